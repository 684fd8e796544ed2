"""Stored text shown to people as text, never as markup, links, mentions or terminal codes.

Fact statements, source titles, publishers, reasons, author names, quotes and missed
questions come from users, moderators and files. Every door passes them through here
exactly once, at the point where they are put into a message:

- `for_discord(text)`: text for Discord message content, embed descriptions and field
  values (which render markdown). Markdown is backslash-escaped (Discord shows `\\*` as
  `*`), masked links and `<@id>`/`<#id>`/`<t:…>` forms cannot form, `@everyone`/`@here`
  cannot ping, invites cannot unfurl, invisible and bidirectional characters are removed.
  A link in the text stays clickable only when it passes the source-URL check
  (`bot.store.urls.url_problem`); its `@` (medium.com/@author) is left intact.
- `plain(text)`: for places Discord shows without markdown (embed footers, button
  labels): only invisible and control characters are removed; escaping there would show
  the backslashes.
- `link(title, url)` / `url_text(url)`: the only way a link is built, and only from a URL
  that passes the source-URL check.
- `for_terminal(text)` / `json_for_terminal(value)`: CLI output without terminal escape
  sequences, control or bidirectional characters.

Text made by the bot itself (templates, dates, numbers, our own `**bold**`) is not passed
through `for_discord`; each piece of stored text is, once. Escaping twice would show the
backslashes (`\\*`), so the door that builds the message is the one that escapes.
"""

from __future__ import annotations

import json
import re
from typing import Any

INVISIBLE = "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
"""Zero-width characters, word joiners, the BOM and bidirectional marks, embeddings,
overrides and isolates (U+202E turns 'gpj.exe' into what looks like 'exe.jpg')."""

_ANSI = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, screen clears
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"  # OSC/DCS…
    r"|\x1b[ -/]*[0-~]?"  # any other escape sequence (or a lone ESC)
)
_CONTROLS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{INVISIBLE}]")
_LINE_SEPARATORS = re.compile("[\u2028\u2029]|\r\n?")

# A link as Discord's autolink would see it, stopping at characters that would otherwise
# carry markup out of the link.
_URL = r"https?://[^\s<>\[\]()\"'`*|\\]+"
_URLS = re.compile(rf"<(?P<bare>{_URL})>|{_URL}", re.IGNORECASE)  # <url>: no preview
_INVITE = re.compile(
    r"discord(?:app)?\.com/invite/|discord\.gg/|discord\.me/|dsc\.gg/", re.IGNORECASE
)  # what Discord's invite detection looks for, anywhere in a message
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_ALWAYS = re.compile(r"([\\*`\[\]<])")
_PAIRED = re.compile(r"(?<=\|)\||\|(?=\|)|(?<=~)~|~(?=~)|^[|~]|[|~]$")
_LOOSE_UNDERSCORE = re.compile(r"_(?![A-Za-z0-9])|(?<![A-Za-z0-9])_")
_LINE_START = re.compile(r"^([ \t]*)([#>+-])", re.MULTILINE)  # heading, quote, list
_NUMBERED = re.compile(r"^([ \t]*\d+)\.(?=\s)", re.MULTILINE)  # "1. " starts a list
_MASS_MENTION = re.compile(r"@(everyone|here)\b", re.IGNORECASE)


def _strip(text: str, *, newlines: bool) -> str:
    """Remove escape sequences, control and invisible characters; newlines optional."""
    text = _LINE_SEPARATORS.sub("\n", str(text))
    text = _ANSI.sub("", text).replace("\t", " ")
    text = _CONTROLS.sub("", text)
    return text if newlines else " ".join(text.split("\n"))


def plain(text: str, *, newlines: bool = True) -> str:
    """Stored text for a place that shows no markdown (embed footer, button label).
    '@everyone' and '@here' still get a zero-width space: inert wherever it lands."""
    return _MASS_MENTION.sub("@\u200b\\1", _strip(text, newlines=newlines))


def for_terminal(text: str) -> str:
    """Stored text for a terminal: no ESC[…] colours or cursor moves, no OSC titles or
    hyperlinks, no other C0/C1 controls but newline and tab, no bidirectional overrides
    or zero-width characters (which could make a printed fact read differently)."""
    text = _LINE_SEPARATORS.sub("\n", str(text))
    text = _ANSI.sub("", text)
    return _CONTROLS.sub("", text)


def json_for_terminal(value: Any, *, indent: int | None = None) -> str:
    """JSON whose parsed value is exactly `value`, safe to print on a terminal.

    `json.dumps` escapes C0 controls (ESC included) even with ensure_ascii=False, but
    writes DEL, C1 controls (U+009B is a one-byte CSI on some terminals) and bidi or
    zero-width characters raw. Those are written as \\uXXXX escapes instead: readers of
    the JSON get the same strings, the terminal gets no control characters.
    """
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    return re.sub(f"[\x7f-\x9f{INVISIBLE}\u2028\u2029]", lambda m: f"\\u{ord(m.group()):04x}", text)


def _escape_markup(text: str) -> str:
    """Backslash-escape Discord markdown in text that holds no link."""
    text = _ALWAYS.sub(r"\\\1", text)
    text = _PAIRED.sub(lambda m: "\\" + m.group(), text)
    text = _LOOSE_UNDERSCORE.sub(r"\\_", text)
    text = _LINE_START.sub(r"\1\\\2", text)
    text = _NUMBERED.sub(r"\1\\.", text)
    text = _INVITE.sub(lambda m: _defuse(m.group()), text)
    return _MASS_MENTION.sub("@\u200b\\1", text)


def _defuse(text: str) -> str:
    """Shown as typed, but inert: every punctuation character escaped, so neither the
    link rule (it needs a literal '://') nor Discord's invite detection (it needs a
    literal 'discord.gg/') matches, while Discord still displays `\\.` as '.'."""
    return _PUNCTUATION.sub(r"\\\1", text)


def safe_url(url: str) -> bool:
    """True when `url` may become a link: it passes the source-URL check (https, no
    user@ part, no backslash, no control characters, ASCII host, brackets encoded) and
    is not a Discord invite."""
    from bot.store.urls import url_problem

    return url_problem(url) is None and not _INVITE.search(url)


def for_discord(text: str, *, newlines: bool = True) -> str:
    """Stored text for Discord markdown (content, embed description, field value)."""
    text = _strip(text, newlines=newlines)
    out, last = [], 0
    for match in _URLS.finditer(text):
        out.append(_escape_markup(text[last : match.start()]))
        token = match.group()
        out.append(token if safe_url(match.group("bare") or token) else _defuse(token))
        last = match.end()
    out.append(_escape_markup(text[last:]))
    return "".join(out)


def mentions_inert(text: str) -> str:
    """Plain text (the core's answers) with a zero-width space after every '@' outside
    links, so no '@everyone' or '<@id>' survives; a link's '@' (medium.com/@author) is
    left as it is, or the link would lead elsewhere."""
    parts = re.split(f"({_URL})", text)
    return "".join(p if i % 2 else p.replace("@", "@\u200b") for i, p in enumerate(parts))


def link(title: str, url: str) -> str:
    """A masked link `[title](url)`, built only when `url` is a safe source URL; else the
    title alone as text. The title is escaped, so it can hold no link of its own."""
    shown = for_discord(title, newlines=False).strip() or "source"
    if not safe_url(url):
        return shown
    if _URLS.search(title):  # a title that names a link must not hide where this one goes
        return f"{shown} <{url}>"
    return f"[{shown}]({url})"


def url_text(url: str) -> str:
    """A bare link `<url>` (no preview) for a safe source URL, or the URL as inert text."""
    return f"<{url}>" if safe_url(url) else _defuse(_strip(url, newlines=False))
