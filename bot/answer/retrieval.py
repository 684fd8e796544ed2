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
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import sqlite_utils

from bot import datafiles
from bot.store.model import Fact, Source

MAX_HITS = 2


@dataclass(frozen=True)
class RetrievalWords:
    """bot/data/retrieval.toml: words that carry no topic, and words that put a question
    inside the trade topic (the gate)."""

    stop: frozenset[str]
    generic: frozenset[str]
    domain: frozenset[str]


@lru_cache(maxsize=1)
def load_retrieval_words() -> RetrievalWords:
    data = tomllib.loads(datafiles.read_text("retrieval.toml"))
    lists = {}
    for key in ("stop_words", "generic_words", "domain_words"):
        value = data.get(key)
        if not isinstance(value, list) or not all(isinstance(w, str) and w for w in value):
            raise ValueError(f"retrieval.toml: `{key}` is a list of words")
        lists[key] = frozenset(w.lower() for w in value)
    return RetrievalWords(lists["stop_words"], lists["generic_words"], lists["domain_words"])


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

    def search(
        self,
        terms: Sequence[str],
        *,
        allowed: Iterable[str] | None = None,
        words: RetrievalWords | None = None,
    ) -> list[Hit]:
        """The facts (among `allowed` ids, if given) that match enough of the distinctive
        terms, best first. A hit must contain at least half of them, and two when the
        question has two or more: one shared word is a coincidence, not an answer."""
        words = words or load_retrieval_words()
        distinct = [t for t in dict.fromkeys(terms) if t not in words.generic]
        if not distinct or not self._facts:
            return []
        needed = max(min(2, len(distinct)), math.ceil(len(distinct) / 2))
        query = " OR ".join(f'"{t}"' for t in distinct)
        with self._lock:
            rows = list(
                self._db["facts"].search(query, columns=["id"], limit=50, include_rank=True)
            )
        keep = set(allowed) if allowed is not None else None
        hits = []
        stems = dict(zip(distinct, _stems(distinct), strict=True))
        for row in rows:
            if keep is not None and row["id"] not in keep:
                continue
            have = self._stems[row["id"]]
            matched = tuple(t for t in distinct if stems[t] in have)
            if len(matched) >= needed:
                hits.append(Hit(self._facts[row["id"]], row["rank"], matched))
        hits.sort(key=lambda h: (-len(h.matched), h.rank))
        return hits[:MAX_HITS]


def _stems(words: Iterable[str]) -> list[str]:
    """A light stemmer matching FTS5's porter tokenizer closely enough to count terms:
    plural and verb endings off ("collecting" -> "collect", "duties" -> "duti")."""
    out = []
    for raw in words:
        word = "".join(c for c in raw if c.isalnum())
        for suffix in ("ing", "ies", "ied", "ed", "es", "s", "y"):
            if len(word) > len(suffix) + 2 and word.endswith(suffix):
                word = word[: -len(suffix)] + ("i" if suffix in ("ies", "ied", "y") else "")
                break
        out.append(word)
    return out
