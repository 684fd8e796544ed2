"""`tradebot sources ...`: list, show and explicitly edit sources, with their history.

A source's title, publisher and date change only here (or through `FactStore.edit_source`):
every edit is a revision (who, when, why, before → after) that `sources history`, the
`facts history` of each citing fact and the /watch alert channels all show. The URL is
the source's identity and is never edited: a different page is a different source.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from bot.cli_common import (
    EXIT_FAILED,
    db_option,
    fail,
    open_store,
    report_errors,
    say,
    say_json,
)
from bot.present import source_revision_line
from bot.service import source_json
from bot.store import Author, FactStore, StoreError, ValidationError
from bot.store.model import SourceRevision

# bot.cli registers this group; the helpers it shares with every command are in
# bot.cli_common, so this module imports on its own (also under `python -m bot.cli`).


def source_revision_json(rev: SourceRevision) -> dict[str, Any]:
    return {
        "source_id": rev.source_id,
        "revision": rev.revision,
        "action": rev.action,
        "author": rev.author,
        "author_id": rev.author_id,
        "reason": rev.reason,
        "at": rev.at,
        "changed": rev.changed_fields(),
        "before": rev.before,
        "after": rev.after,
        "cited_by": [fact["id"] for fact in rev.cited_by],
    }


def source_edit_lines(store: FactStore, fact_id: str) -> list[str]:
    """For `facts history`: the edits of every source the fact cites or cited."""
    edits = store.source_edits_for(store.history(fact_id))
    if not edits:
        return []
    return [f"{len(edits)} edit(s) of its sources:"] + [
        source_revision_line(rev, name_source=True) for rev in edits
    ]


@click.group("sources")
def sources() -> None:
    """List, show and edit the sources facts cite (edits keep a revision)."""


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def sources_list(as_json: bool, db_path: Path | None) -> None:
    """Every source: id, date, publisher, title, link and how many facts cite it."""
    store = open_store(db_path)
    rows = [
        {**source_json(source), "cited_by": store.citing_fact_ids(source.id)}
        for source in store.sources().values()
    ]
    if as_json:
        say_json(rows, indent=2)
        return
    for row in rows:
        say(
            f"{row['id']}  {row['published']}  {row['publisher']}: {row['title']}  "
            f"<{row['url']}>  ({len(row['cited_by'])} fact(s))"
        )


def _require(store: FactStore, source_id: str) -> Any:
    try:
        return store.require_source(source_id)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)


@sources.command("show")
@click.argument("source_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def sources_show(source_id: str, as_json: bool, db_path: Path | None) -> None:
    """Show one source, the facts citing it and its edits."""
    store = open_store(db_path)
    source = _require(store, source_id)
    cited_by = store.citing_fact_ids(source_id)
    edits = store.source_history(source_id)
    if as_json:
        out = {
            **source_json(source),
            "document_held": source.document is not None,
            "cited_by": cited_by,
            "revisions": [source_revision_json(rev) for rev in edits],
        }
        say_json(out, indent=2)
        return
    say(f"{source.id}: {source.title}")
    say(f"  publisher: {source.publisher}")
    say(f"  published: {source.published.isoformat()}")
    say(f"  url: {source.url}")
    say(f"  cited by: {', '.join(cited_by) or 'no fact'}")
    say(f"  edits: {len(edits)}")
    for rev in edits:
        say(source_revision_line(rev))


@sources.command("history")
@click.argument("source_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def sources_history(source_id: str, as_json: bool, db_path: Path | None) -> None:
    """Every edit of a source: who, when, why, and what changed."""
    store = open_store(db_path)
    _require(store, source_id)
    edits = store.source_history(source_id)
    if as_json:
        say_json([source_revision_json(r) for r in edits], indent=2)
        return
    say(f"{source_id}: {len(edits)} edit(s)")
    for rev in edits:
        say(source_revision_line(rev))


@sources.command("edit")
@click.argument("source_id")
@click.option("--title", help="The corrected title.")
@click.option("--publisher", help="The corrected publisher.")
@click.option("--published", metavar="YYYY-MM-DD", help="The corrected publication date.")
@click.option("--by", required=True, help="Who makes the change (your name).")
@click.option("--reason", required=True, help="Why the change is made.")
@db_option
def sources_edit(
    source_id: str,
    title: str | None,
    publisher: str | None,
    published: str | None,
    by: str,
    reason: str,
    db_path: Path | None,
) -> None:
    """Correct a source's title, publisher or date; writes a revision every citing fact's
    history and alert channels show. The URL cannot be edited: cite a new source."""
    changes = {
        name: value
        for name, value in (("title", title), ("publisher", publisher), ("published", published))
        if value is not None
    }
    if not changes:
        fail("give at least one of --title, --publisher or --published")
    store = open_store(db_path)
    _require(store, source_id)
    try:
        rev = store.edit_source(source_id, changes, by=Author(by), reason=reason)
    except ValidationError as exc:
        report_errors(exc)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    cited = ", ".join(fact["id"] for fact in rev.cited_by) or "no current fact"
    say(f"edited source {source_id} (revision {rev.revision}; cited by {cited})")
    say(source_revision_line(rev))
