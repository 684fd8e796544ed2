"""The leads store: each document once, posted once, dismissed or linked; never on the
answer path (no change counter moves)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.feeds import leads
from bot.feeds.documents import parse_response
from bot.feeds.watch import load_config
from bot.store import NotFoundError, StoreError
from bot.store.schema import MIGRATIONS
from tests.feeds.common import RELEVANT, fixture

RULES = load_config().rules
DOCS = list(parse_response(fixture("documents_all.json")).documents)


def test_the_migration_is_listed_as_008_after_the_earlier_ones() -> None:
    names = [name for name, _ in MIGRATIONS]
    assert names.index("008_source_leads") > names.index("006_measures")


def test_documents_are_stored_once_with_their_decision(bundled_store) -> None:
    generations = bundled_store.generations()
    new = leads.record(bundled_store, DOCS, RULES)
    assert [lead.document_number for lead in new] == [d.document_number for d in DOCS]
    assert {lead.document_number for lead in new if lead.relevant} == RELEVANT
    steel = next(lead for lead in new if lead.document_number == "2025-02833")
    assert steel.state == "new" and steel.why.startswith("title mentions 'Adjusting Imports'")
    assert steel.agency_names == ["Executive Office of the President"]
    assert steel.details["proclamation_number"] == "10896"
    assert leads.record(bundled_store, DOCS, RULES) == []  # a second run: nothing new
    assert len(leads.leads(bundled_store, relevant_only=False)) == 8
    assert bundled_store.generations() == generations  # the answer index is untouched


def test_default_since_is_the_newest_lead_else_the_lookback(fresh_db) -> None:
    assert leads.default_since(fresh_db, 30, today=date(2025, 6, 30)) == date(2025, 5, 31)
    leads.record(fresh_db, DOCS, RULES)
    assert leads.default_since(fresh_db, 30) == date(2025, 5, 2)


def test_posting_is_recorded_once(fresh_db) -> None:
    leads.record(fresh_db, DOCS, RULES)
    waiting = leads.to_post(fresh_db, limit=10)
    assert [lead.document_number for lead in waiting][:2] == ["2024-21773", "2025-02832"]
    assert {lead.document_number for lead in waiting} == RELEVANT  # oldest first, relevant
    assert leads.mark_posted(fresh_db, "2024-21773", 5, 99)
    assert not leads.mark_posted(fresh_db, "2024-21773", 5, 100)
    lead = leads.get(fresh_db, "2024-21773")
    assert lead.state == "posted" and lead.posted_message_id == 99
    assert "2024-21773" not in {lead.document_number for lead in leads.to_post(fresh_db)}
    assert leads.nonce_for(5, "2024-21773") == leads.nonce_for(5, "2024-21773")
    assert leads.nonce_for(5, "2024-21773") != leads.nonce_for(6, "2024-21773")


def test_dismiss_keeps_who_and_why_and_refuses_twice(fresh_db) -> None:
    leads.record(fresh_db, DOCS, RULES)
    lead = leads.dismiss(fresh_db, "2025-02832", "alice", "  same as   steel ")
    assert (lead.state, lead.dismissed_by, lead.dismissed_reason) == (
        "dismissed",
        "alice",
        "same as steel",
    )
    with pytest.raises(StoreError, match="already dismissed by alice"):
        leads.dismiss(fresh_db, "2025-02832", "bob", "again")
    with pytest.raises(NotFoundError, match="no lead for document 'nope'"):
        leads.dismiss(fresh_db, "nope", "bob", "why")
    assert not leads.mark_posted(fresh_db, "2025-02832", 5, 1)  # dismissed: never posted


def test_link_needs_existing_facts_and_changes_nothing_otherwise(bundled_store) -> None:
    leads.record(bundled_store, DOCS, RULES)
    with pytest.raises(NotFoundError, match="no fact with id 'nope'"):
        leads.link(bundled_store, "2025-02833", ["us-cn-tariff-30", "nope"], "alice")
    assert leads.get(bundled_store, "2025-02833").state == "new"
    lead = leads.link(bundled_store, "2025-02833", ["us-cn-tariff-30"], "alice")
    assert lead.state == "linked" and lead.linked_fact_ids == ("us-cn-tariff-30",)
    with pytest.raises(StoreError, match="is linked to us-cn-tariff-30"):
        leads.dismiss(bundled_store, "2025-02833", "bob", "why")
    assert [lead.document_number for lead in leads.leads(bundled_store, "linked")] == ["2025-02833"]
    with pytest.raises(StoreError, match="not a lead state"):
        leads.leads(bundled_store, "open")
