"""Answers found by full-text retrieval (bot/answer/retrieval.py), for questions no
intent took or whose strategy found no record: the facts' own sentences, with their
dates and sources. The composer calls this only for questions inside the topic gate
(`Query.in_domain`)."""

from __future__ import annotations

from datetime import date

from bot.answer import ends
from bot.answer.answer import Answer
from bot.answer.kit import Asked, Kit
from bot.present import human_date
from bot.store.model import Fact

SEARCH = "search"
"""The intent an answer found by retrieval carries when no intent took the question."""
FOLLOW_UPS = ["What is the US tariff on Chinese goods?", "Which deadlines are coming up?"]


def retrieved(kit: Kit, asked: Asked) -> Answer | None:
    """The best one or two facts for the question's terms among those involving the
    parties it names and known by the date asked; None when nothing matches well."""
    q, rng, base = asked.query, asked.rng, asked.base
    if not q.in_domain or not q.terms:
        return None
    parties = kit.topic_parties(q)
    hits = kit.index.fact_search().search(
        q.terms,
        allowed=lambda f: f.valid_from <= rng.end and _involves(kit, f, parties),
        restricted=bool(parties),
        current=lambda f: f.is_valid_on(rng.end),
    )
    if not hits:
        return None
    facts = [h.fact for h in hits]
    if q.date_asked is None:  # about now: a subject's newest record, not one it replaced
        facts = list(dict.fromkeys(_newest_of_subject(kit, f, rng.end) for f in facts))
    lines = [_line(kit, f, rng.end) for f in facts]
    # Answered by the facts' words, not by an intent: `intent` says so ("search").
    answer = kit.answer({**base, "intent": base.get("intent") or SEARCH}, lines, facts, FOLLOW_UPS)
    answer.retrieved = True
    return answer


def _involves(kit: Kit, fact: Fact, parties: list[str]) -> bool:
    """Does the fact concern every party named (directly, through its bloc, or as one of
    all trading partners)?"""
    if not parties:
        return True
    scope = set(fact.parties) | set(fact.origin_scope) | {fact.importer, fact.exporter}
    for party in parties:
        names = {party} | set(kit.vocab.groups_of(party)) | set(kit.vocab.members(party))
        if not names & scope and not ("WORLD" in scope and fact.kind == "tariff_rate"):
            return False
    return True


def _newest_of_subject(kit: Kit, fact: Fact, day: date) -> Fact:
    """The newest record of the fact's subject begun by `day` (a pause's extension for the
    pause it extended): the words may match an older record better, but the answer is
    the latest one."""
    if not fact.subject:
        return fact
    same = [
        f
        for f in kit.index.kind(fact.kind)
        if f.subject == fact.subject and set(f.parties) == set(fact.parties)
        and f.valid_from <= day
    ]  # fmt: skip
    return max(same, key=lambda f: (f.valid_from, f.recorded), default=fact)


def _line(kit: Kit, fact: Fact, day: date) -> str:
    subject = fact.subject or kit.names.parties(list(fact.parties)) or fact.kind
    ended = fact.valid_to is not None and fact.valid_to <= day
    key = "ended" if ended else "line"
    if ended and fact.scheduled_end and not ends.has_successor(kit.index, fact):
        key = "lapsed"  # never "ended": it may have been extended
    return kit.t["retrieval"][key].format(
        subject=subject,
        since=human_date(fact.valid_from),
        until=human_date(fact.valid_to) if fact.valid_to else "",
        statement=fact.statement,
    )
