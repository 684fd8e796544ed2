"""`tradebot sources ...`: list, show and explicitly edit sources, with their history; and
watch the Federal Register for new official documents (`check`, `leads`, `dismiss`, `link`;
the watcher itself is bot/feeds/).

A source's title, publisher and date change only here (or through `FactStore.edit_source`):
every edit is a revision (who, when, why, before → after) that `sources history`, the
`facts history` of each citing fact and the /watch alert channels all show. The URL is
the source's identity and is never edited: a different page is a different source.
"""

from __future__ import annotations

import getpass
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bot.cli_common import (
    EXIT_FAILED,
    as_date,
    db_option,
    fail,
    open_store,
    report_errors,
    say,
    say_json,
)
from bot.feeds import leads as lead_store
from bot.feeds.documents import Document, FeedFormatError, parse_response
from bot.feeds.watch import WatchConfigError, load_config

if TYPE_CHECKING:
    from bot.feeds.client import FetchResult
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


# ---- watching the Federal Register (bot/feeds/) -------------------------------------------

LEAD_STATES = ("new", "posted", "dismissed", "linked", "all")


def _watch_config():
    try:
        return load_config()
    except WatchConfigError as exc:
        fail(f"{exc}. Fix the file (or the copy in TRADEBOT_DATA_DIR) and try again.")


def _read_feed_file(path: Path) -> list[Document]:
    """One saved documents.json response (air-gapped installs, tests)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror or exc}; check the path given to --feed-file")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(f"{path} is not a JSON documents.json response ({exc}); nothing was stored")
    try:
        return list(parse_response(data).documents)
    except FeedFormatError as exc:
        fail(f"{path}: {exc}; nothing was stored")


def _fetch(since: date) -> FetchResult:
    # aiohttp is imported here, not with the module: every `tradebot` command imports
    # this one, and `tradebot ask` must start fast (benchmarks/latency.py, one-shot CLI).
    import asyncio

    from bot.feeds.client import FederalRegisterClient, FeedError

    config = _watch_config()
    try:
        return asyncio.run(FederalRegisterClient().fetch(config.query, since))
    except FeedError as exc:
        fail(
            f"could not fetch new documents: {exc}. Check the connection and try again, or "
            "use --feed-file FILE with a saved API response.",
            EXIT_FAILED,
        )


def _lead_lines(lead: lead_store.Lead) -> list[str]:
    agencies = ", ".join(lead.agency_names) or "no agency named"
    lines = [
        f"{lead.document_number}  {lead.publication_date.isoformat()}  {lead.type}: {lead.title}",
        f"    {agencies}",
        f"    {'relevant' if lead.relevant else 'not relevant'}: {lead.why}",
        f"    <{lead.html_url}>",
    ]
    if lead.state == "dismissed":
        lines.append(f"    dismissed by {lead.dismissed_by}: {lead.dismissed_reason}")
    elif lead.state == "linked":
        lines.append(f"    linked to {', '.join(lead.linked_fact_ids)} by {lead.linked_by}")
    return lines


def _by(by: str | None) -> str:
    if by:
        return by
    try:
        return getpass.getuser()
    except Exception:  # no login name (a container): still say it came from the CLI
        return "cli"


@sources.command("check")
@click.option(
    "--since",
    metavar="YYYY-MM-DD",
    help="Documents published on or after this day "
    "(default: the newest stored lead's date, else 30 days ago).",
)
@click.option(
    "--feed-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read one saved documents.json response instead of asking the API.",
)
@click.option("--all", "show_all", is_flag=True, help="Also print documents judged not relevant.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@db_option
def sources_check(
    since: str | None, feed_file: Path | None, show_all: bool, as_json: bool, db_path: Path | None
) -> None:
    """Fetch new Federal Register documents, store each once as a lead, print the new ones."""
    config = _watch_config()
    since_day = as_date(since, "--since")
    if feed_file is not None:  # read before opening the store: a bad file changes nothing
        documents = _read_feed_file(feed_file)
        if since_day is not None:
            documents = [d for d in documents if d.publication_date >= since_day]
        truncated = False
    store = open_store(db_path)
    if feed_file is None:
        start = since_day or lead_store.default_since(store, config.query.lookback_days)
        result = _fetch(start)
        documents, truncated = result.documents, result.truncated
    new = lead_store.record(store, documents, config.rules)
    shown = [lead for lead in new if lead.relevant or show_all]
    if as_json:
        for lead in shown:
            say_json(lead_store.lead_json(lead))
        return
    for lead in shown:
        for line in _lead_lines(lead):
            say(line)
    relevant = sum(lead.relevant for lead in new)
    if not new:
        say("No new documents.")
    elif not shown:
        say(f"No new relevant documents ({len(new)} new, not relevant; --all shows them).")
    else:
        say(f"{len(new)} new document(s), {relevant} relevant; stored as leads.")
    if truncated:
        say(
            f"More than {config.query.max_pages} pages of documents: check again for the rest.",
            err=True,
        )


@sources.command("leads")
@click.option(
    "--state",
    type=click.Choice(LEAD_STATES),
    default="all",
    show_default=True,
    help="Only leads in this state.",
)
@click.option("--all", "show_all", is_flag=True, help="Also list documents judged not relevant.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@db_option
def sources_leads(state: str, show_all: bool, as_json: bool, db_path: Path | None) -> None:
    """Stored Federal Register leads, newest first."""
    store = open_store(db_path)
    found = lead_store.leads(store, state, relevant_only=not show_all)
    if as_json:
        for lead in found:
            say_json(lead_store.lead_json(lead))
        return
    if not found:
        say("No leads." if state == "all" else f"No {state} leads.")
    for lead in found:
        say(f"[{lead.state}] " + "\n".join(_lead_lines(lead)))


@sources.command("dismiss")
@click.argument("document_number")
@click.option("--reason", required=True, help="Why the document records no fact.")
@click.option("--by", help="Who dismisses it (default: your login name).")
@db_option
def sources_dismiss(
    document_number: str, reason: str, by: str | None, db_path: Path | None
) -> None:
    """Dismiss a lead: the document needs no fact (kept, with who and why)."""
    store = open_store(db_path)
    try:
        lead = lead_store.dismiss(store, document_number, _by(by), reason)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    say(
        f"dismissed {lead.document_number} ({lead.title}) by {lead.dismissed_by}: "
        f"{lead.dismissed_reason}"
    )


@sources.command("link")
@click.argument("document_number")
@click.argument("fact_ids", nargs=-1, required=True)
@click.option("--by", help="Who links them (default: your login name).")
@db_option
def sources_link(
    document_number: str, fact_ids: tuple[str, ...], by: str | None, db_path: Path | None
) -> None:
    """Link a lead to the facts that record it (each fact must exist)."""
    store = open_store(db_path)
    try:
        lead = lead_store.link(store, document_number, fact_ids, _by(by))
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    say(f"linked {lead.document_number} to {', '.join(lead.linked_fact_ids)}")
