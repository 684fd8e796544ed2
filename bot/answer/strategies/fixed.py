"""Answers about Tradebot itself: what it can answer, where its facts come from, hello
(strategies `help`, `sources`, `greeting`)."""

from __future__ import annotations

from bot.answer.answer import Answer
from bot.answer.kit import MAX_LISTED_PAIRS, Asked, Kit
from bot.present import human_date


def sources(kit: Kit, asked: Asked) -> Answer:
    all_sources = kit.index.sources
    article = next((s for s in all_sources.values() if s.document), None)
    publishers = sorted({s.publisher for s in all_sources.values() if s is not article})
    text = kit.t["fixed"]["sources"].format(
        count=len(all_sources),
        article=f"{article.publisher}, {human_date(article.published)}" if article else "—",
        publishers=", ".join(publishers[:6]) + (" and others" if len(publishers) > 6 else ""),
        newest=_cutoff(kit, asked),
    )
    return kit.text_answer(asked.base, text, "sources")


def _cutoff(kit: Kit, asked: Asked) -> str:
    """The data cut-off as known on the day asked (the newest fact recorded by then)."""
    cutoff = kit.index.cutoff(asked.as_of)
    return human_date(cutoff) if cutoff else "no date yet (no facts)"


def help_text(kit: Kit, asked: Asked) -> Answer:
    known = kit.index.rate_pairs()
    pairs = ", ".join(kit.names.rate_subject(i, e) for i, e in known[:MAX_LISTED_PAIRS])
    if len(known) > MAX_LISTED_PAIRS:
        pairs += f" and {len(known) - MAX_LISTED_PAIRS} more rates"
    topics = (
        f"{pairs}; the US–China truce and its deadlines; trade talks; leaders' "
        "contacts; trade deals; the court cases over the tariffs"
    )
    text = kit.t["fixed"]["help"].format(topics=topics, newest=_cutoff(kit, asked))
    return kit.text_answer(asked.base, text, "help")


def greeting(kit: Kit, asked: Asked) -> Answer:
    return kit.fixed(
        "greeting", asked.base, outcome="greeting", suggestions=kit.default_suggestions()
    )
