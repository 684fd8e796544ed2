"""Find parties, courts and officials in a normalised question, tolerating typos safely.

Safety rules (the product must never turn ordinary words into countries):
- names are matched exactly, as whole words, longest first;
- a typo is corrected only for a word of 4+ letters that is *not* an ordinary English
  word (`bot/data/common_words.txt`), towards a name word of 5+ letters with the same
  first letter, at edit distance 1 (2 for names of 8+ letters);
- the lower-case word "us" is the United States unless it reads as the pronoun
  ("tell us", "for us") and nothing trade-like follows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.search_words import common_words
from bot.understand.text import normalise
from bot.vocabulary import Vocabulary

MAX_ALIAS_WORDS = 6

PRONOUN_BEFORE_US = frozenset(
    "tell give show let help send for with to about of join among brief remind update "
    "inform teach lets hit gets got make makes affect affects hurt hurts cost costs "
    "explain can could would will please secure book find bring take reserve schedule "
    "order buy".split()
)
TRADE_AFTER_US = frozenset(
    "tariff tariffs goods products exports imports duty duties rate rates and china "
    "government treasury administration trade side president court economy china vs "
    "versus levy levies charges charge on customs companies importers exporters made "
    "based officials negotiators supreme federal trade-war origin sourced manufactured "
    "importer exporter firms businesses buyers".split()
)


@dataclass(frozen=True)
class Mention:
    """One entity found in the question: tokens [start, end) of the corrected text."""

    kind: str  # party | court | official
    code: str
    form: str  # name | alias | demonym | capital
    start: int
    end: int
    text: str


class EntityIndex:
    """All entity names, indexed once; `correct` then `find` per question."""

    def __init__(self, vocab: Vocabulary, extra_words: set[str] | None = None) -> None:
        self.exact: dict[tuple[str, ...], tuple[str, str, str]] = {}
        for kind, table in (
            ("party", vocab.parties),
            ("court", vocab.courts),
            ("official", vocab.officials),
        ):
            for entity in table.values():
                forms = [("name", entity.name)]
                forms += [("alias", a) for a in entity.aliases]
                forms += [("demonym", d) for d in entity.demonyms]
                forms += [("capital", c) for c in entity.capitals]
                for form, text in forms:
                    key = tuple(normalise(text).split())
                    if not key or len(key) > MAX_ALIAS_WORDS:
                        continue
                    if key == ("us",):
                        continue  # handled by the pronoun rule in `find`
                    self.exact.setdefault(key, (kind, entity.code, form))
        self.non_entities: dict[str, list[tuple[str, ...]]] = {}
        for phrase in vocab.non_entities:
            key = tuple(normalise(phrase).split())
            if key:
                self.non_entities.setdefault(key[0], []).append(key)
        self.common = common_words()
        name_words = {w for key in self.exact for w in key if len(w) >= 5 and w.isalpha()}
        self.lexicon = sorted(name_words | {w for w in (extra_words or set()) if len(w) >= 5})
        self._by_letter: dict[str, list[str]] = {}
        for w in self.lexicon:
            self._by_letter.setdefault(w[0], []).append(w)
        self.name_words = frozenset(w for key in self.exact for w in key)
        """Every word of every name, alias, demonym and capital."""
        self._lexicon_set = frozenset(self.lexicon) | self.name_words

    def correct(self, words: list[str]) -> list[str]:
        """Fix likely typos of names and domain words; leave ordinary words alone."""
        out = []
        for word in words:
            out.append(self._correct_word(word))
        return out

    def _correct_word(self, word: str) -> str:
        if len(word) < 4 or not word.isalpha() or word in self._lexicon_set or word in self.common:
            return word
        limit = 2 if len(word) >= 8 else 1
        candidates = [
            w for w in self._by_letter.get(word[0], ()) if abs(len(w) - len(word)) <= limit
        ]
        if not candidates:
            return word
        best = process.extractOne(word, candidates, scorer=OSA.distance, score_cutoff=limit)
        if best is None:
            return word
        match = best[0]
        if len(match) >= 8 or OSA.distance(word, match) <= 1:
            return match
        return word

    def find(self, words: list[str]) -> list[Mention]:
        """Non-overlapping mentions, longest match first, in question order."""
        mentions: list[Mention] = []
        i = 0
        while i < len(words):
            skip = next(
                (
                    len(k)
                    for k in self.non_entities.get(words[i], ())
                    if tuple(words[i : i + len(k)]) == k
                ),
                0,
            )
            if skip:
                i += skip
                continue
            hit = None
            for size in range(min(MAX_ALIAS_WORDS, len(words) - i), 0, -1):
                key = tuple(words[i : i + size])
                if key in self.exact:
                    hit = (size, self.exact[key])
                    break
            if hit is None and words[i] == "us" and self._us_is_country(words, i):
                hit = (1, ("party", "US", "alias"))
            if hit:
                size, (kind, code, form) = hit
                mentions.append(
                    Mention(kind, code, form, i, i + size, " ".join(words[i : i + size]))
                )
                i += size
            else:
                i += 1
        return mentions

    @staticmethod
    def _us_is_country(words: list[str], i: int) -> bool:
        before = words[i - 1] if i > 0 else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        if after in TRADE_AFTER_US:
            return True
        return before not in PRONOUN_BEFORE_US
