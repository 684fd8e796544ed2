"""Migration 008: the `source_leads` table (bot/store/schema.py lists it in MIGRATIONS).

Kept apart from bot/feeds/leads.py, which imports the store: the schema module imports
this one, so it must import nothing of Tradebot's.
"""

from __future__ import annotations

import sqlite_utils

STATES = ("new", "posted", "dismissed", "linked")


def m008_source_leads(db: sqlite_utils.Database) -> None:
    # One row per Federal Register document seen, however often it is seen again
    # (document_number is the dedup key). A lead is bookkeeping, not a fact: no change
    # counter trigger, so storing leads never rebuilds the answer index.
    # state: 'new' (stored, not posted) -> 'posted' (in the moderators' channel, once:
    # posted_message_id) -> 'dismissed' (who, why) or 'linked' (the facts recording it).
    db.execute(f"""CREATE TABLE source_leads (
        id INTEGER PRIMARY KEY,
        document_number TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        type TEXT NOT NULL,
        publication_date TEXT NOT NULL,
        html_url TEXT NOT NULL,
        pdf_url TEXT,
        agencies TEXT NOT NULL DEFAULT '[]',
        abstract TEXT,
        details TEXT NOT NULL DEFAULT '{{}}',
        relevant INTEGER NOT NULL CHECK (relevant IN (0, 1)),
        why TEXT NOT NULL,
        found_at TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'new' CHECK (state IN {STATES!r}),
        linked_fact_ids TEXT NOT NULL DEFAULT '[]',
        linked_by TEXT,
        linked_at TEXT,
        dismissed_by TEXT,
        dismissed_reason TEXT,
        dismissed_at TEXT,
        posted_channel_id INTEGER,
        posted_message_id INTEGER,
        posted_at TEXT
    )""")
    db.execute("CREATE INDEX source_leads_state ON source_leads (state, relevant)")
    db.execute("CREATE INDEX source_leads_published ON source_leads (publication_date)")
