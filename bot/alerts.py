"""Change alerts: channel subscriptions, the change feed, and exactly-once delivery.

The feed is the store's append-only `revisions` table (ordered by `seq`), so a change is
seen however it was made: in Discord, with `tradebot facts ...`, or by loading changed
facts files — also by another process, and while the bot was offline. Edits of a source
(`tradebot sources edit`, table `source_revisions`) are numbered in the same sequence and
are part of the feed: a channel gets one when a fact citing the source matches its topic.

Delivery per channel: every revision after the channel's cursor is examined in order;
one that matches a subscription is sent, then the ledger row (channel, seq) and the
cursor are written in one transaction. A crash between the send and that write makes
the bot send the change again after restart with the *same* message nonce and
`enforce_nonce`, which Discord de-duplicates, so the channel still sees it once.
A channel the bot can no longer post in is disabled with the reason and skipped.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from bot import kinds
from bot.present import human_date, percent
from bot.safe_text import for_discord
from bot.store import FactStore, FieldError, Revision, Source, ValidationError
from bot.store.model import SourceRevision
from bot.vocabulary import Vocabulary

ALL = "all"


def parse_topic(text: str | None, vocab: Vocabulary) -> str:
    """'everything' -> 'all'; 'court rulings' -> 'kind:court_ruling'; 'US China' ->
    'pair:CN-US'; 'Japan' -> 'party:JP'. Raises ValidationError naming `topic`."""
    raw = " ".join((text or "").replace(",", " ").split()).strip()
    if not raw or raw.lower() in ("all", "everything", "any", "*"):
        return ALL
    kind = kinds.load_kinds().by_word(raw)  # a kind's name or one of its `words` (kinds.toml)
    if kind is not None:
        return f"kind:{kind}"
    parts = [p for p in re.split(r"[\s\-/–]+|\bvs\b|\band\b", raw) if p.strip()]
    codes = [vocab.party_code(p) for p in parts]
    if not parts or len(parts) > 2 or any(c is None for c in codes):
        raise ValidationError(
            [
                FieldError(
                    "topic",
                    f"'{raw}' is not a topic: use 'all', a kind ({_kind_words()}) "
                    "or one or two parties such as 'US CN'",
                )
            ]
        )
    found = sorted(set(c for c in codes if c))
    return f"party:{found[0]}" if len(found) == 1 else f"pair:{found[0]}-{found[1]}"


def _kind_words() -> str:
    """Each kind's first alert word ("rates, rulings, talks, ..."), for the topic error."""
    return ", ".join(
        spec.words[0] if spec.words else spec.name for spec in kinds.load_kinds().kinds.values()
    )


def topic_label(topic: str, vocab: Vocabulary) -> str:
    if topic == ALL:
        return "every change"
    kind, _, value = topic.partition(":")
    if kind == "kind":
        return f"changes to {kinds.topic_word(value)}"
    return " – ".join(vocab.party_name(c) for c in value.split("-")) + " changes"


def matches(topic: str, snapshot: Mapping[str, Any]) -> bool:
    if topic == ALL:
        return True
    kind, _, value = topic.partition(":")
    parties = set(snapshot.get("parties") or [])
    if kind == "kind":
        return snapshot.get("kind") == value
    if kind == "party":
        return value in parties
    if kind == "pair":
        return set(value.split("-")) <= parties
    return False


def concerns(topic: str, change: Revision | SourceRevision) -> bool:
    """Does a change match a topic? A source edit does when a fact citing it does."""
    if isinstance(change, SourceRevision):
        return any(matches(topic, fact) for fact in change.cited_by)
    return matches(topic, change.after)


def nonce_for(channel_id: int, seq: int) -> str:
    """A stable message nonce per (channel, change): Discord drops a resend with it."""
    return hashlib.sha1(f"{channel_id}:{seq}".encode()).hexdigest()[:25]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ---- subscriptions ---------------------------------------------------------------------


def subscribe(store: FactStore, channel_id: int, guild_id: int | None, topic: str, by: str) -> bool:
    """Subscribe a channel; changes from now on are delivered. False if already there."""
    with store.transaction() as db:
        exists = db.execute(
            "SELECT 1 FROM subscriptions WHERE channel_id = ? AND topic = ?", [channel_id, topic]
        ).fetchone()
        if exists:
            return False
        db["subscriptions"].insert(
            {
                "channel_id": channel_id,
                "topic": topic,
                "guild_id": guild_id,
                "created_by": by,
                "created_at": _now(),
            }
        )
        cursor = db.execute(
            "SELECT cursor_seq FROM alert_channels WHERE channel_id = ?", [channel_id]
        ).fetchone()
        head = store.feed_head()  # fact and source revisions share one numbering
        if cursor is None:
            db["alert_channels"].insert(
                {"channel_id": channel_id, "cursor_seq": head, "disabled_reason": None}
            )
        else:  # re-enable a channel that was disabled, from now on
            db.execute(
                "UPDATE alert_channels SET disabled_reason = NULL, cursor_seq = "
                "max(cursor_seq, ?) WHERE channel_id = ? AND disabled_reason IS NOT NULL",
                [head, channel_id],
            )
        return True


def unsubscribe(store: FactStore, channel_id: int, topic: str | None = None) -> int:
    """Remove one topic (or all) from a channel; returns how many were removed."""
    with store.transaction() as db:
        if topic is None:
            cur = db.execute("DELETE FROM subscriptions WHERE channel_id = ?", [channel_id])
        else:
            cur = db.execute(
                "DELETE FROM subscriptions WHERE channel_id = ? AND topic = ?", [channel_id, topic]
            )
        return cur.rowcount


def subscriptions(store: FactStore, channel_id: int | None = None) -> list[dict[str, Any]]:
    with store._lock:
        sql = "SELECT * FROM subscriptions"
        params: list[Any] = []
        if channel_id is not None:
            sql += " WHERE channel_id = ?"
            params.append(channel_id)
        return list(store.db.query(sql + " ORDER BY channel_id, topic", params))


# ---- the feed ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Pending:
    """Work for one channel: the revisions after its cursor, and which of them to send."""

    channel_id: int
    cursor_seq: int
    revisions: list[Revision | SourceRevision]
    to_send: list[Revision | SourceRevision]
    guild_id: int | None = None


def pending(store: FactStore, limit: int = 200) -> list[Pending]:
    """What each enabled, subscribed channel has not seen yet (at most `limit` each)."""
    with store._lock:
        channels = list(
            store.db.query(
                "SELECT c.channel_id, c.cursor_seq FROM alert_channels c"
                " WHERE c.disabled_reason IS NULL AND EXISTS"
                " (SELECT 1 FROM subscriptions s WHERE s.channel_id = c.channel_id)"
            )
        )
        topics: dict[int, list[str]] = {}
        guilds: dict[int, int | None] = {}
        for row in store.db.query("SELECT channel_id, topic, guild_id FROM subscriptions"):
            topics.setdefault(row["channel_id"], []).append(row["topic"])
            guilds[row["channel_id"]] = row["guild_id"]
    work = []
    for row in channels:
        revisions = store.changes_since(row["cursor_seq"], limit=limit)
        if not revisions:
            continue
        with store._lock:
            done = {
                r[0]
                for r in store.db.execute(
                    "SELECT seq FROM deliveries WHERE channel_id = ? AND seq > ?",
                    [row["channel_id"], row["cursor_seq"]],
                ).fetchall()
            }
        wanted = [
            r
            for r in revisions
            if r.seq not in done and any(concerns(t, r) for t in topics.get(row["channel_id"], []))
        ]
        work.append(
            Pending(
                row["channel_id"],
                row["cursor_seq"],
                revisions,
                wanted,
                guilds.get(row["channel_id"]),
            )
        )
    return work


def record_delivery(store: FactStore, channel_id: int, seq: int, message_id: int | None) -> None:
    with store.transaction() as db:
        db.execute(
            "INSERT OR IGNORE INTO deliveries (channel_id, seq, message_id, delivered_at) "
            "VALUES (?, ?, ?, ?)",
            [channel_id, seq, message_id, _now()],
        )
        db.execute(
            "UPDATE alert_channels SET cursor_seq = max(cursor_seq, ?) WHERE channel_id = ?",
            [seq, channel_id],
        )


def advance(store: FactStore, channel_id: int, seq: int) -> None:
    """Nothing to send up to `seq` (no matching subscription): move the cursor."""
    with store.transaction() as db:
        db.execute(
            "UPDATE alert_channels SET cursor_seq = max(cursor_seq, ?) WHERE channel_id = ?",
            [seq, channel_id],
        )


def disable(store: FactStore, channel_id: int, reason: str) -> None:
    with store.transaction() as db:
        db.execute(
            "UPDATE alert_channels SET disabled_reason = ? WHERE channel_id = ?",
            [reason[:300], channel_id],
        )


def deliveries(store: FactStore, channel_id: int) -> list[int]:
    with store._lock:
        return [
            r[0]
            for r in store.db.execute(
                "SELECT seq FROM deliveries WHERE channel_id = ? ORDER BY seq", [channel_id]
            )
        ]


# ---- the message -------------------------------------------------------------------------


def _takes(snap: Mapping[str, Any], field_name: str) -> bool:
    """Does the snapshot's kind take `field_name` (kinds.toml)? Rates and importers are
    what make a fact a tariff in an alert's words."""
    spec = kinds.load_kinds().get(snap.get("kind"))
    return spec is not None and field_name in spec.fields


def _value(snap: Mapping[str, Any]) -> str:
    if _takes(snap, "rate"):
        if snap.get("rate") is not None:
            return percent(snap["rate"])
        return " or ".join(percent(r) for r in snap.get("rate_candidates") or [])
    status = snap.get("status") or ""
    return f"{status}, due {snap['due']}" if snap.get("due") else status


def _day(text: str | None) -> str:
    return human_date(date.fromisoformat(text)) if text else "open"


def describe_source_change(rev: SourceRevision) -> list[str]:
    """A source edit's alert lines: the facts citing it, what changed, the link, who, why."""
    cited = [fact["id"] for fact in rev.cited_by]
    shown = ", ".join(cited[:10]) + (f" and {len(cited) - 10} more" if len(cited) > 10 else "")
    changes = []
    for key in rev.changed_fields():
        old, new = rev.before.get(key), rev.after.get(key)
        if key == "published":
            old, new = _day(old), _day(new)
        changes.append(f"{key}: {old} → {new}")
    return [
        f"Source {rev.source_id} (cited by {shown or 'no current fact'}) was edited:",
        "; ".join(changes),
        f"Link: <{rev.after.get('url')}>",
        f"Changed by {rev.author}: {rev.reason}",
    ]


def describe_change(
    rev: Revision | SourceRevision, sources: Mapping[str, Source], vocab: Vocabulary
) -> str:
    """The alert text: what changed (before → after), when it takes effect, the source,
    who changed it and why. Plain text, well under 2,000 characters."""
    if isinstance(rev, SourceRevision):
        return _message(describe_source_change(rev))
    after, before = rev.after, rev.before
    if _takes(after, "importer"):
        subject = (
            f"{vocab.party_name(after.get('importer'))} tariffs on goods from "
            f"{vocab.party_name(after.get('exporter'))}"
        )
    else:
        subject = after.get("subject") or " – ".join(
            vocab.party_name(p) for p in after.get("parties") or []
        )
    lines = [f"Fact {rev.fact_id} ({subject}):"]
    if rev.action == "create":
        lines.append(f"New: {_value(after)} — {after.get('statement')}")
    elif rev.action == "retract":
        lines.append(
            f"Retracted: no longer used ({after.get('retracted_reason')}). "
            f"It said: {_value(after)}."
        )
    else:
        changes = []
        for key in (
            "rate",
            "rate_candidates",
            "status",
            "due",
            "valid_from",
            "valid_to",
            "confidence",
            "statement",
        ):
            old, new = (before or {}).get(key), after.get(key)
            if old != new:
                if key in ("rate", "rate_candidates"):
                    old, new = _value(before or {}), _value(after)
                elif key in ("valid_from", "valid_to", "due"):
                    old, new = _day(old), _day(new)
                changes.append(f"{key.replace('_', ' ')}: {old} → {new}")
        if (before or {}).get("retracted") and not after.get("retracted"):
            changes.append("restored (no longer retracted)")
        lines.append("; ".join(changes) or "its sources changed")
    lines.append(
        f"Takes effect: {_day(after.get('valid_from'))}"
        + (f", until {_day(after.get('valid_to'))}" if after.get("valid_to") else "")
    )
    cited = [
        sources[c["source_id"]]
        for c in after.get("citations") or []
        if c.get("source_id") in sources
    ]
    if cited:
        src = cited[-1]
        lines.append(
            f"Source: {src.title} — {src.publisher}, {human_date(src.published)} <{src.url}>"
        )
    lines.append(f"Changed by {rev.author}: {rev.reason}")
    return _message(lines)


def _message(lines: list[str]) -> str:
    """The alert as Discord markdown. The lines are plain text (our words, no markup, and
    stored values: statements, titles, names, reasons), so the whole message is escaped
    here, once: markdown, masked links, invites and mentions are shown as text, and a
    `<url>` stays a link (without preview) only when it is a safe source URL."""
    text = for_discord("\n".join(lines))
    return text if len(text) <= 1900 else text[:1899] + "…"
