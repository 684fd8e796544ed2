"""Text normalisation shared by rule indexing and question matching.

Questions and example phrasings go through the same function, so a rule written as
"What's the U.S. tariff?" matches "whats the us tariff" without special cases.
"""

from __future__ import annotations

import re
import unicodedata

from bot.query import MAX_UNDERSTOOD_CHARS as MAX_UNDERSTOOD_CHARS  # defined with the Query

MAX_QUESTION_CHARS = 500
"""The longest question Discord's /ask takes, and the most of one kept for review."""

_DISCORD_MARKUP = re.compile(r"<(?:@[!&]?|#|a?:\w+:)\d+>|@(?:everyone|here)\b")
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]")
_URL = re.compile(r"https?://\S+")
_APOSTROPHE = re.compile(r"[’'`´]")
# Punctuation goes, except a decimal point between digits ("12.5%", "9903.01.25").
_NON_WORD = re.compile(r"(?:(?<!\d)\.|\.(?!\d)|[^a-z0-9%.\s])+")
_SPACES = re.compile(r"\s+")
_ARROW_LEVY = re.compile(
    r"(\w+)\s*(?:→|->)\s*(\w+)(?=\s+(?:tariffs?|duty|duties|levy|levies|rates?)\b)",
    re.IGNORECASE,
)
_LEVY_ARROW = re.compile(
    r"\b((?:tariffs?|duty|duties|levy|levies|rates?)\s+)(\w+)\s*(?:→|->)\s*(\w+)",
    re.IGNORECASE,
)
_PERCENT_WORDS = re.compile(r"\b(\d+(?:\.\d+)?)\s*(?:percent|per\s+cent|pct)\b")
_ABBREVIATION_WORDS = {
    "u.s.": "us",
    "u.s": "us",
    "u.s.a.": "usa",
    "u.s.a": "usa",
    "u.k.": "uk",
    "u.k": "uk",
    "d.c.": "dc",
    "d.c": "dc",
    "d.d.c.": "ddc",
    "d.d.c": "ddc",
}
_ABBREVIATIONS = re.compile(
    r"\b(?:[uU]\.\s?[sS]\.(?:\s?[aA]\.?)?|[uU]\.\s?[kK]\.?|[dD]\.[dD]\.[cC]\.?|[dD]\.[cC]\.?)(?!\w)"
)
_CONTRACTIONS = {
    "what's": "what is",
    "whats": "what is",
    "hows": "how is",
    "wheres": "where is",
    "whos": "who is",
    "whens": "when is",
    "where's": "where is",
    "how's": "how is",
    "who's": "who is",
    "when's": "when is",
    "it's": "it is",
    "that's": "that is",
    "there's": "there is",
    "isn't": "is not",
    "aren't": "are not",
    "wasn't": "was not",
    "don't": "do not",
    "doesn't": "does not",
    "didn't": "did not",
    "won't": "will not",
    "can't": "can not",
    "i'm": "i am",
    "u": "you",
    "w": "with",
    "w/": "with",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "rn": "right now",
    "atm": "at the moment",
    "bc": "because",
    "cuz": "because",
    "thx": "thanks",
    "tbh": "",
    "ngl": "",
    "idk": "i do not know",
    "wut": "what",
    "wat": "what",
    "wht": "what",
    "prev": "previous",
    "intl": "international",
}


def clean_for_display(text: str) -> str:
    """Remove what must never be echoed back: mentions, zero-width characters, excess."""
    text = _ZERO_WIDTH.sub("", text)
    text = _DISCORD_MARKUP.sub("", text)
    return _SPACES.sub(" ", text).strip()[:MAX_QUESTION_CHARS]


def normalise(text: str) -> str:
    """Lower-case ASCII-ish text: no punctuation but '%', possessives and contractions
    expanded, numbers kept, one space between words."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
        text = _ZERO_WIDTH.sub("", text)
    if "<" in text or "@" in text:
        text = _DISCORD_MARKUP.sub(" ", text)
    if "://" in text:
        text = _URL.sub(" ", text)
    if "→" in text or "->" in text:
        # "US→CN tariff": the levier's tariff on the other; otherwise "China → US" is
        # goods going from China to the US.
        text = _ARROW_LEVY.sub(r"\1 tariffs on \2 goods", text)
        text = _LEVY_ARROW.sub(r"\1\2 on \3 goods", text)  # "tariff US->CN"
        text = text.replace("→", " into ").replace("->", " into ")
    if "." in text:
        text = _ABBREVIATIONS.sub(
            lambda m: _ABBREVIATION_WORDS[m.group(0).lower().replace(" ", "")] + " ", text
        )
    text = text.lower()
    if not text.isascii():
        text = _APOSTROPHE.sub("'", text)
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    if "'" in text or "`" in text:
        text = text.replace("`", "'")
        words = []
        for word in text.split():
            stripped = word.strip('.,!?;:()[]{}"')
            if stripped in _CONTRACTIONS:
                words.append(_CONTRACTIONS[stripped])
                continue
            if stripped.endswith("'s"):
                stripped = stripped[:-2]
            elif stripped.endswith("s'"):
                stripped = stripped[:-1]
            words.append(stripped.replace("'", ""))
        text = " ".join(words)
    else:
        text = " ".join(_CONTRACTIONS.get(w.strip('.,!?;:()[]{}"'), w) for w in text.split())
    if "per" in text or "pct" in text:  # "145 percent", "30 per cent", "20pct"
        text = _PERCENT_WORDS.sub(r"\1%", text)
    text = _NON_WORD.sub(" ", text)
    if "%" in text:
        text = re.sub(r"(\d)\s*%", r"\1%", text)
    return " ".join(text.split())
