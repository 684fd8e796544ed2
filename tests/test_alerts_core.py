"""Alert topics, matching and the change message, without Discord."""

import pytest

from bot import alerts
from bot.store import Author, ValidationError
from tests.conftest import MOD, rate_fact


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        (None, "all"),
        ("everything", "all"),
        ("court rulings", "kind:court_ruling"),
        ("tariff_rate", "kind:tariff_rate"),
        ("US China", "pair:CN-US"),
        ("china-usa", "pair:CN-US"),
        ("Japan", "party:JP"),
    ],
)
def test_parse_topic(bundled_store, text, topic) -> None:
    assert alerts.parse_topic(text, bundled_store.vocab) == topic


def test_bad_topic_names_the_field(bundled_store) -> None:
    with pytest.raises(ValidationError, match="not a topic"):
        alerts.parse_topic("weather in Paris", bundled_store.vocab)


def test_matches() -> None:
    snap = {"kind": "tariff_rate", "parties": ["US", "CN"]}
    assert alerts.matches("all", snap) and alerts.matches("pair:CN-US", snap)
    assert alerts.matches("party:CN", snap) and alerts.matches("kind:tariff_rate", snap)
    assert not alerts.matches("party:JP", snap) and not alerts.matches("kind:deadline", snap)


def test_subscription_sees_only_later_changes_and_delivers_once(bundled_store) -> None:
    assert alerts.subscribe(bundled_store, 42, 1, "pair:CN-US", "7")
    assert not alerts.subscribe(bundled_store, 42, 1, "pair:CN-US", "7")
    assert [p.to_send for p in alerts.pending(bundled_store)] == []  # history is not replayed
    bundled_store.update(
        "us-cn-tariff-30",
        {"rate": 31, "components": None},
        base_revision=1,
        by=Author("m"),
        reason="a change",
    )
    [work] = alerts.pending(bundled_store)
    [revision] = work.to_send
    alerts.record_delivery(bundled_store, 42, revision.seq, 1001)
    assert alerts.pending(bundled_store) == []
    alerts.record_delivery(bundled_store, 42, revision.seq, 1001)  # a repeat is ignored
    assert alerts.deliveries(bundled_store, 42) == [revision.seq]
    assert alerts.nonce_for(42, revision.seq) == alerts.nonce_for(42, revision.seq)
    assert len(alerts.nonce_for(42, revision.seq)) <= 25


def test_change_message_says_what_when_source_who_why(bundled_store) -> None:
    bundled_store.update(
        "us-cn-tariff-30",
        {"rate": 35, "components": None, "valid_to": "2025-11-01"},  # later would overlap
        base_revision=1,
        by=Author("alice", "9"),
        reason="new order",
    )
    rev = bundled_store.history("us-cn-tariff-30")[-1]
    text = alerts.describe_change(rev, bundled_store.sources(), bundled_store.vocab)
    assert "rate: 30% → 35%" in text and "valid to: 10 Nov 2025 → 1 Nov 2025" in text
    assert "Takes effect: 14 May 2025, until 1 Nov 2025" in text
    assert "Source: May 13, 2025 | US Reduces" in text
    assert "Changed by alice: new order" in text and len(text) < 2000


def test_a_source_edit_reaches_channels_watching_its_facts_once(fresh_db) -> None:
    fresh_db.add(rate_fact(), by=MOD, reason="seed")  # US tariff on JP, citing src-a
    alerts.subscribe(fresh_db, 1, 9, "party:JP", "7")
    alerts.subscribe(fresh_db, 2, 9, "party:CN", "7")
    edit = fresh_db.edit_source(
        "src-a", {"title": "Example A, corrected"}, by=Author("alice", "9"), reason="typo"
    )
    work = {p.channel_id: p for p in alerts.pending(fresh_db)}
    assert work[1].to_send == [edit] and work[2].to_send == []
    text = alerts.describe_change(edit, fresh_db.sources(), fresh_db.vocab)
    assert text.startswith("Source src-a (cited by xx-rate) was edited:")
    assert "title: Example A → Example A, corrected" in text
    assert "<https://example.org/a>" in text and "Changed by alice: typo" in text
    alerts.record_delivery(fresh_db, 1, edit.seq, 555)
    alerts.advance(fresh_db, 2, edit.seq)
    assert alerts.pending(fresh_db) == []
    assert alerts.deliveries(fresh_db, 1) == [edit.seq]


def test_a_new_subscription_does_not_replay_an_earlier_source_edit(fresh_db) -> None:
    fresh_db.add(rate_fact(), by=MOD, reason="seed")
    fresh_db.edit_source("src-a", {"title": "Example A, corrected"}, by=MOD, reason="typo")
    alerts.subscribe(fresh_db, 1, 9, "all", "7")
    assert [p.to_send for p in alerts.pending(fresh_db)] == []
