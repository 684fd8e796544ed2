"""Full-text retrieval over the facts: the detail questions no intent anticipated.

"From what entry date did CBP stop collecting IEEPA duties?", "what came out of the
USMCA joint review?": the facts say it (their statements, quotes, attributes and source
titles), but no intent rule expects the wording. The Query carries the question's
content words (`terms`, read by the understanding step); this module ranks the facts
that involve the parties named with SQLite FTS5 (porter stemming, BM25, through
sqlite-utils' `enable_fts` and `search`) and keeps a hit only when enough of the
distinctive terms are in it — retrieval answers only inside the topic gates the composer
applies, so off-topic questions stay off-topic.

The FTS table lives in a private in-memory database built from the fact index's
snapshot (one per index generation): the answer path never writes the store.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import sqlite_utils

from bot.products import synonym_words
from bot.search_words import RetrievalWords, common_words, load_retrieval_words
from bot.store.model import Fact, Source

MAX_HITS = 2
SEARCH_LIMIT = 200  # BM25's best rows checked against the parties and the terms
QUOTE = '"'
TELLING_FREQUENCY = 0.05  # a word in at most 5% of the facts tells which fact is meant
SECOND_HIT_RANK = 0.85  # BM25 ranks are negative: at least 85% of the best one's


@dataclass(frozen=True)
class Hit:
    fact: Fact
    rank: float
    """BM25 rank (lower is better)."""
    matched: tuple[str, ...]
    """The distinctive terms of the question found in the fact."""


def fact_text(fact: Fact, sources: dict[str, Source]) -> str:
    """Everything a fact says in words: statement, subject, status, quotes, attributes,
    the titles of its sources."""
    parts = [fact.statement, fact.subject or "", fact.status or ""]
    parts += [c.quote for c in fact.citations if c.quote]
    for _, value in fact.attributes:
        parts += [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]
    parts += [sources[c.source_id].title for c in fact.citations if c.source_id in sources]
    return " ".join(p for p in parts if p)


class FactSearch:
    """An FTS5 index of the facts, built once per fact-index generation."""

    def __init__(self, facts: Sequence[Fact], sources: dict[str, Source]) -> None:
        self._facts = {f.id: f for f in facts if not f.retracted}
        self._lock = threading.Lock()  # one in-memory connection, used by one thread at a time
        # check_same_thread off: answers run in a worker thread; the lock serialises use.
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        self._db = sqlite_utils.Database(conn, execute_plugins=False)
        table = self._db["facts"]
        table.insert_all(
            ({"id": f.id, "text": fact_text(f, sources)} for f in self._facts.values()),
            pk="id",
        )
        if self._facts:
            table.enable_fts(["text"], tokenize="porter")
        self._stems = {  # the stems of each fact's words, to count the terms it matches
            f.id: set(_stems(fact_text(f, sources).lower().split())) for f in self._facts.values()
        }
        self._df: dict[str, int] = {}  # in how many facts each stem occurs
        for stems in self._stems.values():
            for stem in stems:
                self._df[stem] = self._df.get(stem, 0) + 1

    def _tells(self, term: str, stem: str, words: RetrievalWords) -> bool:
        frequency = self._df.get(stem, 0) / max(1, len(self._facts))
        return _tells_word(term, frequency, words)

    def search(
        self,
        terms: Sequence[str],
        *,
        allowed: Callable[[Fact], bool] | None = None,
        restricted: bool = False,
        current: Callable[[Fact], bool] | None = None,
        words: RetrievalWords | None = None,
    ) -> list[Hit]:
        """The facts (those `allowed` says, if given) that match enough of the distinctive
        terms, best first. A hit must contain all of them when there are three or fewer,
        else two thirds (one shared word is a coincidence, not an answer), and
        one of those must tell: a trade word ("ieepa", "cape") or a word that is neither
        ordinary English nor frequent in the facts ("93bn", "turnberry") — unless the
        question named who it is about (`restricted`), which narrows the facts already."""
        words = words or load_retrieval_words()
        distinct = [t for t in dict.fromkeys(terms) if t not in words.generic]
        if not distinct or not self._facts:
            return []
        # Short questions are precise: every word must be there ("de minimis threshold"
        # is not answered by a fact about de minimis that names no threshold).
        needed = len(distinct) if len(distinct) <= 3 else math.ceil(len(distinct) * 2 / 3)
        query = " OR ".join(f'"{t.replace(QUOTE, "")}"' for t in distinct)
        try:
            with self._lock:
                rows = list(
                    self._db["facts"].search(
                        query, columns=["id"], limit=SEARCH_LIMIT, include_rank=True
                    )
                )
        except sqlite3.OperationalError:  # a term FTS5 cannot parse: no hit, not a crash
            return []
        hits = []
        stems = dict(zip(distinct, _stems(distinct), strict=True))
        for row in rows:
            if allowed is not None and not allowed(self._facts[row["id"]]):
                continue
            have = self._stems[row["id"]]
            matched = tuple(t for t in distinct if stems[t] in have)
            if len(matched) >= needed and (
                restricted or any(self._tells(t, stems[t], words) for t in matched)
            ):
                hits.append(Hit(self._facts[row["id"]], row["rank"], matched))
        # More terms matched first; then a fact true on the day asked (`current`); then BM25.
        hits.sort(key=lambda h: (-len(h.matched), not (current and current(h.fact)), h.rank))
        if not hits:
            return []
        # A second fact only when it matches as many terms and ranks nearly as well.
        best = hits[0]
        close = [h for h in hits[1:] if len(h.matched) == len(best.matched)]
        return [best, *[h for h in close if h.rank <= best.rank * SECOND_HIT_RANK]][:MAX_HITS]


def _tells_word(term: str, frequency: float, words: RetrievalWords) -> bool:
    if term in words.domain:
        return True
    if term in synonym_words():  # a product names what, not which fact ("car oil")
        return False
    # A bare number (a year, a day, "5") is in too many facts to tell which one is meant;
    # short words are too often ordinary ones ("oil") that the word list lacks.
    return (
        not term.isdigit()
        and len(term) >= 4
        and term not in common_words()
        and frequency <= TELLING_FREQUENCY
    )


def _stems(words: Iterable[str]) -> list[str]:
    """A light stemmer matching FTS5's porter tokenizer closely enough to count terms:
    plural and verb endings off ("collecting" -> "collect", "duties" -> "duti")."""
    out = []
    for raw in words:
        word = "".join(c for c in raw if c.isalnum())
        for suffix in ("ing", "ies", "ied", "ed", "es", "s", "y"):
            if len(word) > len(suffix) + 2 and word.endswith(suffix):
                word = word[: -len(suffix)] + ("i" if suffix in ("ies", "ied", "y") else "")
                doubled = len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz"
                if suffix in ("ing", "ed") and doubled:
                    word = word[:-1]  # "stopped" -> "stop", not "stopp"
                break
        out.append(word)
    return out
