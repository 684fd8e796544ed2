"""Keyword sets of the intent rules, prepared once so a question costs a few set lookups:
single words by set membership, phrases by substring after a first-word check."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class WordSet:
    """Keywords split once into single words (a set lookup) and phrases (a substring
    test), so checking an intent's keywords costs a few set operations per question."""

    words: frozenset[str]
    phrases: tuple[str, ...]
    by_first: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    """The phrases by their first word: only those whose first word is present can occur
    (every word of the text is in `present`), so most questions test none of them."""
    _firsts: frozenset[str] = field(default=frozenset(), init=False, compare=False, repr=False)

    @classmethod
    def of(cls, items: frozenset[str]) -> WordSet:
        phrases = tuple(sorted(f" {w} " for w in items if " " in w))
        by_first: dict[str, list[str]] = {}
        for p in phrases:
            by_first.setdefault(p.split()[0], []).append(p)
        return cls(
            frozenset(w for w in items if " " not in w),
            phrases,
            {k: tuple(v) for k, v in by_first.items()},
        )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_firsts", frozenset(self.by_first))

    def _phrases_in(self, present: set[str]) -> list[str]:
        by_first = self.by_first
        return [p for w in self._firsts.intersection(present) for p in by_first[w]]

    def hits(self, present: set[str], padded: str) -> bool:
        if not self.words.isdisjoint(present):
            return True
        for w in self._firsts.intersection(present):
            for p in self.by_first[w]:
                if p in padded:
                    return True
        return False

    def count(self, present: set[str], padded: str) -> int:
        return len(self.words & present) + sum(1 for p in self._phrases_in(present) if p in padded)


def any_alternative_holds(
    requires: tuple[tuple[WordSet, ...], ...], present: set[str], padded: str
) -> bool:
    """Is every word group of some alternative present? (Plain loops: this runs for
    every intent on every question.)"""
    for alternative in requires:
        for group in alternative:
            if not group.hits(present, padded):
                break
        else:
            return True
    return False


@dataclass(frozen=True)
class IntentKeys:
    forbid: WordSet
    boost: WordSet
    requires: tuple[tuple[WordSet, ...], ...]
    always_forbid: WordSet = field(default_factory=lambda: WordSet.of(frozenset()))
    forbid_unless: WordSet = field(default_factory=lambda: WordSet.of(frozenset()))
