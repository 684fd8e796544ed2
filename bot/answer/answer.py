"""The Answer every strategy returns, and the canned answers that need no facts.

Plain text and structured parts (lines, notes, sources, quotes): each door decides how
to show it (the CLI prints `text` whole; Discord fits it to its limits in
bot/exts/render.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.query import MAX_UNDERSTOOD_CHARS, Query
from bot.store import Source


@dataclass
class Answer:
    question: str
    intent: str | None
    confidence: float
    text: str
    facts: list[str]
    sources: list[Source]
    suggestions: list[str]
    as_of: date
    outcome: str  # answer | no_record | out_of_scope | clarify | help | greeting | sources
    stale: bool = False
    lines: list[str] = field(default_factory=list)
    """The answer's own sentences, without the source footer (for embeds)."""
    notes: list[str] = field(default_factory=list)
    """Staleness, confidence and disagreement notes (for embed footers)."""
    quotes: dict[str, str] = field(default_factory=dict)
    """Source id -> supporting quote, for sources whose text we hold."""
    context: list[str] = field(default_factory=list)
    """Ids in `facts` cited only as context (the rate an answer's rate replaced)."""
    interpretations: list[str] = field(default_factory=list)
    """For an ambiguous question: the intents offered, in the order of `suggestions`."""
    product: str | None = None
    """The product group the question names (bot/data/products.toml), or None."""
    query: Query | None = None
    """The Query answered (None for answers that are not to a question)."""
    layers: list[dict[str, Any]] = field(default_factory=list)
    """Tariff answers: one object per measure layer that applies (bot/answer/layer_text.py)."""
    stacking: list[dict[str, Any]] = field(default_factory=list)
    """The stacking rules a layered total relied on, with their sources."""
    retrieved: bool = False
    last_day: date | None = None
    """A "no record" for a date past the records: the last day the records held (the
    composer answers a "now" question with the record of that day, framed as past)."""
    """Found by full-text retrieval over the facts, not by the intent's strategy."""

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "intent": self.intent,
            "confidence": round(max(0.0, min(1.0, self.confidence)), 3),
            "answer": self.text,
            "outcome": self.outcome,
            "facts": self.facts,
            "sources": [
                {
                    "title": s.title,
                    "url": s.url,
                    "publisher": s.publisher,
                    "published": s.published.isoformat(),
                }
                for s in self.sources
            ],
            "suggestions": self.suggestions,
            "as_of": self.as_of.isoformat(),
            "product": self.product,
            "query": self.query.to_json() if self.query is not None else None,
            "layers": self.layers,
            "stacking": self.stacking,
            "retrieved": self.retrieved,
        }


def empty_question_answer(question: str, as_of: date) -> Answer:
    return _canned(
        question,
        as_of,
        'That message has no question in it. Ask me about trade tariffs, e.g. "What is the '
        'US tariff on Chinese goods?"',
    )


def too_long_answer(question: str, as_of: date) -> Answer:
    """A question longer than the engine reads: said so, with its length, instead of
    answering a part of it as if that were the question."""
    return _canned(
        question,
        as_of,
        f"That question is {len(question.strip()):,} characters long; I read questions of up "
        f"to {MAX_UNDERSTOOD_CHARS:,} characters, whole. Ask one question at a time, e.g. "
        '"What is the US tariff on Chinese goods?"',
    )


def _canned(question: str, as_of: date, text: str) -> Answer:
    """An answer that is only guidance: no intent, no facts, one example to ask."""
    return Answer(
        question=question,
        intent=None,
        confidence=0.0,
        text=text,
        facts=[],
        sources=[],
        suggestions=["What is the US tariff on Chinese goods?"],
        as_of=as_of,
        outcome="out_of_scope",
        lines=[text],
    )
