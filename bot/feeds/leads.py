"""The leads store: each Federal Register document kept once, posted once, then dismissed or
linked to the facts that record it.

Writes follow the fact store's rules: each is one `store.transaction()` (the store's one
writer lock, `BEGIN IMMEDIATE`), so a check run by `tradebot sources check` and the
Discord watcher at the same time store each document once (`document_number` is unique,
inserts are `OR IGNORE`). Nothing here is on the answer path, and leads bump no change
counter: storing them never rebuilds the answer index.

Posting mirrors the alert ledger (bot/alerts.py): a lead is sent with a message nonce
stable per (channel, document) and `enforce_nonce`, then marked posted with the message
id in one transaction. A crash between the two sends it again after a restart with the
same nonce, which Discord drops, so the channel still sees it once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from bot.feeds.documents import Document
from bot.feeds.migration import STATES
from bot.feeds.relevance import decide
from bot.feeds.watch import Rules
from bot.store import FactStore, NotFoundError, StoreError

ALL = "all"


@dataclass(frozen=True)
class Lead:
    """A stored document and what became of it."""

    document_number: str
    title: str
    type: str
    publication_date: date
    html_url: str
    pdf_url: str | None
    agencies: tuple[dict[str, str], ...]
    abstract: str | None
    details: dict[str, Any]
    relevant: bool
    why: str
    found_at: str
    state: str
    linked_fact_ids: tuple[str, ...] = ()
    linked_by: str | None = None
    dismissed_by: str | None = None
    dismissed_reason: str | None = None
    posted_channel_id: int | None = None
    posted_message_id: int | None = None

    @property
    def agency_names(self) -> list[str]:
        return [a["name"] for a in self.agencies]


def lead_from_row(row: dict[str, Any]) -> Lead:
    return Lead(
        document_number=row["document_number"],
        title=row["title"],
        type=row["type"],
        publication_date=date.fromisoformat(row["publication_date"]),
        html_url=row["html_url"],
        pdf_url=row["pdf_url"],
        agencies=tuple(json.loads(row["agencies"] or "[]")),
        abstract=row["abstract"],
        details=json.loads(row["details"] or "{}"),
        relevant=bool(row["relevant"]),
        why=row["why"],
        found_at=row["found_at"],
        state=row["state"],
        linked_fact_ids=tuple(json.loads(row["linked_fact_ids"] or "[]")),
        linked_by=row["linked_by"],
        dismissed_by=row["dismissed_by"],
        dismissed_reason=row["dismissed_reason"],
        posted_channel_id=row["posted_channel_id"],
        posted_message_id=row["posted_message_id"],
    )


def lead_json(lead: Lead) -> dict[str, Any]:
    """A lead as `tradebot sources check/leads --json` print it (one object per line)."""
    return {
        "document_number": lead.document_number,
        "title": lead.title,
        "type": lead.type,
        "publication_date": lead.publication_date.isoformat(),
        "html_url": lead.html_url,
        "pdf_url": lead.pdf_url,
        "agencies": lead.agency_names,
        "abstract": lead.abstract,
        **lead.details,
        "relevant": lead.relevant,
        "why": lead.why,
        "state": lead.state,
        "found_at": lead.found_at,
        "linked_fact_ids": list(lead.linked_fact_ids),
        "dismissed_by": lead.dismissed_by,
        "dismissed_reason": lead.dismissed_reason,
        "posted_message_id": lead.posted_message_id,
    }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def nonce_for(channel_id: int, document_number: str) -> str:
    """A stable message nonce per (channel, document): Discord drops a resend with it."""
    return hashlib.sha1(f"lead:{channel_id}:{document_number}".encode()).hexdigest()[:25]


# ---- writing --------------------------------------------------------------------------


def record(store: FactStore, documents: Iterable[Document], rules: Rules) -> list[Lead]:
    """Store each document not seen before as a lead, with its relevance decision, in one
    transaction; return the new leads (a document seen before is left as it is)."""
    found_at = _now()
    new: list[str] = []
    with store.transaction() as db:
        for doc in documents:
            decision = decide(doc, rules)
            cursor = db.execute(
                "INSERT OR IGNORE INTO source_leads (document_number, title, type,"
                " publication_date, html_url, pdf_url, agencies, abstract, details, relevant,"
                " why, found_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'new')",
                [
                    doc.document_number,
                    doc.title,
                    doc.type,
                    doc.publication_date.isoformat(),
                    doc.html_url,
                    doc.pdf_url,
                    json.dumps(
                        [{"name": a.name, "slug": a.slug} for a in doc.agencies],
                        ensure_ascii=False,
                    ),
                    doc.abstract,
                    json.dumps(doc.details(), ensure_ascii=False),
                    int(decision.relevant),
                    decision.why,
                    found_at,
                ],
            )
            if cursor.rowcount == 1:
                new.append(doc.document_number)
        rows = _rows(db, "document_number IN (SELECT value FROM json_each(?))", [json.dumps(new)])
    by_number = {row["document_number"]: lead_from_row(row) for row in rows}
    return [by_number[n] for n in new]


def mark_posted(store: FactStore, document_number: str, channel_id: int, message_id: int) -> bool:
    """The lead was sent: record where, once. False if it was no longer 'new' (dismissed or
    linked meanwhile, or posted by another process)."""
    with store.transaction() as db:
        cursor = db.execute(
            "UPDATE source_leads SET state = 'posted', posted_channel_id = ?,"
            " posted_message_id = ?, posted_at = ? WHERE document_number = ? AND state = 'new'",
            [channel_id, message_id, _now(), document_number],
        )
        if cursor.rowcount == 0:  # still keep the message id of a lead handled meanwhile
            db.execute(
                "UPDATE source_leads SET posted_channel_id = ?, posted_message_id = ?,"
                " posted_at = ? WHERE document_number = ? AND posted_message_id IS NULL",
                [channel_id, message_id, _now(), document_number],
            )
        return cursor.rowcount == 1


def dismiss(store: FactStore, document_number: str, by: str, reason: str) -> Lead:
    """Mark a lead dismissed (who, why). Raises NotFoundError or StoreError (already
    dismissed, or linked to facts) and changes nothing then."""
    reason = " ".join(reason.split())
    if not reason:
        raise StoreError("give a reason for dismissing the lead")
    with store.transaction() as db:
        lead = _require(db, document_number)
        if lead.state == "dismissed":
            raise StoreError(
                f"lead {document_number} was already dismissed by {lead.dismissed_by}"
                f" ({lead.dismissed_reason}); nothing was changed"
            )
        if lead.state == "linked":
            raise StoreError(
                f"lead {document_number} is linked to {', '.join(lead.linked_fact_ids)};"
                " nothing was changed"
            )
        db.execute(
            "UPDATE source_leads SET state = 'dismissed', dismissed_by = ?,"
            " dismissed_reason = ?, dismissed_at = ? WHERE document_number = ?",
            [by, reason[:500], _now(), document_number],
        )
        return _require(db, document_number)


def link(store: FactStore, document_number: str, fact_ids: Sequence[str], by: str) -> Lead:
    """Link a lead to the facts that record it (each must exist); it becomes 'linked'.
    Raises NotFoundError naming the missing lead or fact, and changes nothing then."""
    if not fact_ids:
        raise StoreError("name at least one fact id to link the lead to")
    with store.transaction() as db:
        lead = _require(db, document_number)
        for fact_id in fact_ids:
            if store.get(fact_id, missing_ok=True) is None:
                raise NotFoundError(
                    f"no fact with id '{fact_id}'; `tradebot facts list` shows the ids."
                    " Nothing was changed"
                )
        linked = list(dict.fromkeys([*lead.linked_fact_ids, *fact_ids]))
        db.execute(
            "UPDATE source_leads SET state = 'linked', linked_fact_ids = ?, linked_by = ?,"
            " linked_at = ? WHERE document_number = ?",
            [json.dumps(linked), by, _now(), document_number],
        )
        return _require(db, document_number)


# ---- reading --------------------------------------------------------------------------


def _rows(db: Any, where: str, params: list[Any]) -> list[dict[str, Any]]:
    return list(
        db.query(
            f"SELECT * FROM source_leads WHERE {where}"
            " ORDER BY publication_date DESC, document_number",
            params,
        )
    )


def _require(db: Any, document_number: str) -> Lead:
    rows = _rows(db, "document_number = ?", [document_number])
    if not rows:
        raise NotFoundError(
            f"no lead for document '{document_number}'; `tradebot sources leads` lists them"
        )
    return lead_from_row(rows[0])


def get(store: FactStore, document_number: str) -> Lead | None:
    with store.reading() as db:
        rows = _rows(db, "document_number = ?", [document_number])
    return lead_from_row(rows[0]) if rows else None


def leads(store: FactStore, state: str = ALL, *, relevant_only: bool = True) -> list[Lead]:
    """Stored leads in `state` ('all' for every state), newest publication first."""
    if state != ALL and state not in STATES:
        raise StoreError(f"'{state}' is not a lead state: {', '.join((*STATES, ALL))}")
    where, params = ["1"], []
    if state != ALL:
        where.append("state = ?")
        params.append(state)
    if relevant_only:
        where.append("relevant = 1")
    with store.reading() as db:
        return [lead_from_row(row) for row in _rows(db, " AND ".join(where), params)]


def to_post(store: FactStore, limit: int = 10) -> list[Lead]:
    """Relevant leads not posted yet, oldest publication first (at most `limit`)."""
    with store.reading() as db:
        rows = db.query(
            "SELECT * FROM source_leads WHERE state = 'new' AND relevant = 1"
            " ORDER BY publication_date, document_number LIMIT ?",
            [limit],
        )
        return [lead_from_row(row) for row in rows]


def newest_publication_date(store: FactStore) -> date | None:
    with store.reading() as db:
        row = db.execute("SELECT max(publication_date) FROM source_leads").fetchone()
    return date.fromisoformat(row[0]) if row and row[0] else None


def default_since(store: FactStore, lookback_days: int, today: date | None = None) -> date:
    """Where a check starts: the newest stored lead's publication date (documents of that
    day are asked again; the ones seen are skipped), else `lookback_days` ago."""
    newest = newest_publication_date(store)
    if newest is not None:
        return newest
    return (today or datetime.now(UTC).date()) - timedelta(days=lookback_days)
