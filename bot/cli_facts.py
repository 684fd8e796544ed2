"""`tradebot facts ...`: read, load, export and moderate the fact store.

Every write goes through `bot.service` and leaves a revision; bad input is one clear line
(exit 2) and changes nothing. bot.cli registers the `facts` group.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from bot import service
from bot.cli_change import facts_change
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
from bot.cli_due import facts_due, facts_settle
from bot.cli_measures import measure_input, measure_lines, measure_options, measure_tag
from bot.present import fact_detail, fact_line, revision_line
from bot.store import Author, StoreError, ValidationError
from bot.store.facts_files import EXPORT_FORMATS, FactsFileError, bundled_facts_dir
from bot.store.model import KINDS

MAX_REVISION = 2**63 - 1  # the largest INTEGER SQLite stores


@click.group()
def facts() -> None:
    """Read, load, export and moderate the fact store."""


@facts.command("load")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@db_option
def facts_load(paths: tuple[Path, ...], db_path: Path | None) -> None:
    """Load facts files (default: the bundled facts/). Idempotent; all or nothing.

    The bundled facts also correct the title, publisher or date of sources already
    stored (each correction is a source revision); other files may not change a source.
    """
    store = open_store(db_path)
    try:
        report = service.load_fact_files(
            store, list(paths) or [bundled_facts_dir()], correct_sources=not paths
        )
    except FactsFileError as exc:
        fail(str(exc))
    say(f"loaded: {report.summary()}")
    for fact_id in report.created + report.updated:
        say(f"  {'created' if fact_id in report.created else 'updated'} {fact_id}")
    for source_id in report.sources_corrected:
        say(f"  corrected source {source_id}")
    for warning in report.warnings:
        say(f"warning: {warning}", err=True)


@facts.command("list")
@click.option("--kind", type=click.Choice(KINDS), help="Only facts of this kind.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Only facts valid on this date.")
@click.option("--all", "include_retracted", is_flag=True, help="Include retracted facts.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@db_option
def facts_list(
    kind: str | None,
    as_of: str | None,
    include_retracted: bool,
    as_json: bool,
    db_path: Path | None,
) -> None:
    """List facts, oldest first."""
    day = as_date(as_of, "--as-of")
    store = open_store(db_path)
    found = service.list_facts(store, kind=kind, as_of=day, include_retracted=include_retracted)
    if as_json:
        say_json([service.fact_json(store, f) for f in found], indent=2)
        return
    if not found:
        click.echo("no facts match" + (f" on {day}" if day else ""))
    for fact in found:
        say(fact_line(fact, store.vocab) + measure_tag(fact))


@facts.command("show")
@click.argument("fact_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def facts_show(fact_id: str, as_json: bool, db_path: Path | None) -> None:
    """Show one fact with its sources and quotes."""
    store = open_store(db_path)
    try:
        fact = store.require(fact_id)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    if as_json:
        say_json(service.fact_json(store, fact), indent=2)
    else:
        say(detail_text(fact, store))


def detail_text(fact: Any, store: Any) -> str:
    """`fact_detail` with the measure fields that are set, before the statement."""
    lines = fact_detail(fact, store.sources_of(fact), store.vocab).split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("  statement:"))
    return "\n".join(lines[:at] + measure_lines(fact) + lines[at:])


@facts.command("history")
@click.argument("fact_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def facts_history(fact_id: str, as_json: bool, db_path: Path | None) -> None:
    """Show every revision of a fact: who, when, why, and what changed."""
    store = open_store(db_path)
    try:
        revisions = service.fact_history(store, fact_id)
        fact = store.require(fact_id)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    linked = service.linked_history(store, fact_id)
    if as_json:
        everything = sorted([*revisions, *(rev for _, rev in linked)], key=lambda r: r.seq)
        say_json([service.revision_json(r) for r in everything], indent=2)
        return
    say(f"{fact_id}: {len(revisions)} revision(s)")
    for rev in revisions:
        say(revision_line(rev))
    for other_id, rev in linked:  # the other half of each `facts change`
        role = "succeeded by" if other_id != fact.supersedes else "succeeds"
        say(f"  {role} {other_id}:" + revision_line(rev).removeprefix(" "))
    for rejected in store.rejected_edits(fact_id):
        say(
            f"  refused {rejected['attempted_at']}: {rejected['author']} edited "
            f"revision {rejected['base_revision']} after it became "
            f"r{rejected['current_revision']} ({rejected['reason']}); nothing written"
        )
    from bot.cli_sources import source_edit_lines

    for line in source_edit_lines(store, fact_id):  # its sources' edits are its history too
        say(line)


def fact_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The content options shared by `facts add` and `facts update`."""
    options = [
        click.option("--kind", type=click.Choice(KINDS), help="Kind of fact."),
        click.option("--importer", help="tariff_rate: party that levies the tariff (e.g. US)."),
        click.option("--exporter", help="tariff_rate: party whose goods are taxed (e.g. CN)."),
        click.option("--parties", help="Other kinds: party codes, comma-separated (US,CN)."),
        click.option("--rate", help="tariff_rate: the total rate in percent (0–1000)."),
        click.option(
            "--component",
            "components",
            multiple=True,
            metavar="NAME=RATE",
            help="A part of the rate, repeatable: --component 'reciprocal=10'.",
        ),
        click.option("--status", help="Other kinds: a short status word, e.g. stalled."),
        click.option("--statement", help="One sentence saying what is true."),
        click.option("--court", help="court_ruling: court code (CIT, CAFC, SCOTUS, DDC)."),
        click.option("--due", metavar="YYYY-MM-DD", help="deadline: the date it falls due."),
        click.option("--valid-from", metavar="YYYY-MM-DD", help="First day it is true."),
        click.option(
            "--valid-to",
            metavar="YYYY-MM-DD",
            help="First day it is no longer true ('' = still true).",
        ),
        click.option(
            "--end-kind",
            type=click.Choice(["scheduled", "confirmed", ""]),
            help="What --valid-to is: 'scheduled' (an announced expiry that may be "
            "extended) or 'confirmed' (we know it ended).",
        ),
        click.option("--confidence", type=click.Choice(["high", "medium", "low"])),
        click.option("--subject", help="A short label for what the fact is about."),
        click.option("--basis", help="How dates or values were established."),
        click.option(
            "--recorded", metavar="YYYY-MM-DD", help="When we learned it (default today)."
        ),
        click.option("--topic", help="Facts file it belongs to on export (default: moderated)."),
        click.option(
            "--source",
            "source_ids",
            multiple=True,
            metavar="ID",
            help="Cite a source already in the store (repeatable).",
        ),
        click.option(
            "--source-url",
            help="Cite a source by its https URL (a new one needs the three options below).",
        ),
        click.option("--source-title", help="New source: title."),
        click.option("--source-publisher", help="New source: publisher."),
        click.option("--source-published", metavar="YYYY-MM-DD", help="New source: date."),
        click.option("--quote", help="Exact supporting quote from the new source."),
        click.option("--by", required=True, help="Who makes the change (your name)."),
        click.option("--reason", required=True, help="Why the change is made."),
    ]
    for option in reversed(options):
        func = option(func)
    return measure_options(func)


def collect_fact_input(opts: dict[str, Any]) -> tuple[dict[str, Any], service.NewSource | None]:
    """Map CLI options to the raw mapping `bot.store.validate.parse_fact` reads."""
    raw: dict[str, Any] = {}
    for name in (
        "kind",
        "importer",
        "exporter",
        "rate",
        "status",
        "statement",
        "court",
        "due",
        "valid_from",
        "valid_to",
        "end_kind",
        "confidence",
        "subject",
        "basis",
        "recorded",
        "topic",
    ):
        if opts.get(name) is not None:
            raw[name] = opts[name] if opts[name] != "" else None
    if opts.get("parties") is not None:
        raw["parties"] = opts["parties"]
    if opts.get("components"):
        components = []
        for item in opts["components"]:
            name, sep, rate = item.rpartition("=")
            if not sep or not name.strip():
                fail(f"--component '{item}' must look like NAME=RATE, e.g. 'reciprocal=10'")
            components.append({"name": name.strip(), "rate": rate.strip()})
        raw["components"] = components
    raw.update(measure_input(opts))
    if opts.get("source_ids"):
        raw["citations"] = [{"source": s} for s in opts["source_ids"]]
    new_source = None
    given = [
        opts.get(k) for k in ("source_url", "source_title", "source_publisher", "source_published")
    ]
    if any(given):
        if not given[0]:
            fail(
                "--source-title, --source-publisher and --source-published describe the "
                "source at --source-url; give --source-url too"
            )
        new_source = service.NewSource(*given)  # a stored URL needs no other option
    return raw, new_source


@facts.command("add")
@click.option("--id", "fact_id", required=True, help="New fact id: a-z, 0-9 and '-'.")
@fact_options
@db_option
def facts_add(
    fact_id: str, by: str, reason: str, quote: str | None, db_path: Path | None, **opts: Any
) -> None:
    """Add a new fact with at least one source."""
    raw, new_source = collect_fact_input(opts)
    raw["id"] = fact_id
    store = open_store(db_path)
    try:
        fact = service.add_fact(
            store, raw, by=Author(by), reason=reason, new_source=new_source, quote=quote
        )
    except ValidationError as exc:
        report_errors(exc)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    say(f"added {fact.id} (revision {fact.revision})")
    say(fact_detail(fact, store.sources_of(fact), store.vocab))


@facts.command("update")
@click.argument("fact_id")
@click.option(
    "--base-revision",
    type=int,
    required=True,
    help="The revision you looked at (see `facts show`); protects others' edits.",
)
@fact_options
@db_option
def facts_update(
    fact_id: str,
    base_revision: int,
    by: str,
    reason: str,
    quote: str | None,
    db_path: Path | None,
    **opts: Any,
) -> None:
    """Correct a fact: rewrites it over its whole valid time (a new revision; the old one
    is kept). For a change in the world (a new rate or status from a date), use
    `tradebot facts change`, which ends the fact and starts its successor."""
    if not 1 <= base_revision <= MAX_REVISION:  # SQLite's INTEGER could not even record it
        fail(
            f"--base-revision {base_revision} is not a revision (they count up from 1); "
            "`tradebot facts show FACT_ID` prints the current one"
        )
    raw, new_source = collect_fact_input(opts)
    if raw.get("citations"):
        fail("--source replaces nothing on update; cite a new source with --source-url …")
    store = open_store(db_path)
    try:
        before = store.require(fact_id)
        fact = service.update_fact(
            store,
            fact_id,
            raw,
            base_revision=base_revision,
            by=Author(by),
            reason=reason,
            new_source=new_source,
            quote=quote,
        )
    except ValidationError as exc:
        report_errors(exc)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    click.echo(f"updated {fact.id}: revision {before.revision} → {fact.revision}")
    say(revision_line(service.fact_history(store, fact_id)[-1]))


@facts.command("retract")
@click.argument("fact_id")
@click.option("--by", required=True, help="Who retracts it (your name).")
@click.option("--reason", required=True, help="Why it is retracted.")
@db_option
def facts_retract(fact_id: str, by: str, reason: str, db_path: Path | None) -> None:
    """Mark a fact retracted. It stays in the store with its history."""
    store = open_store(db_path)
    try:
        fact = service.retract_fact(store, fact_id, by=Author(by), reason=reason)
    except ValidationError as exc:
        report_errors(exc)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    say(f"retracted {fact.id} (revision {fact.revision}): {fact.retracted_reason}")


@facts.command("undo")
@click.argument("fact_id")
@click.option("--by", required=True, help="Who undoes it (your name).")
@click.option("--reason", required=True, help="Why.")
@db_option
def facts_undo(fact_id: str, by: str, reason: str, db_path: Path | None) -> None:
    """Restore the state before the latest revision, as a new revision."""
    store = open_store(db_path)
    try:
        fact = service.undo_fact(store, fact_id, by=Author(by), reason=reason)
    except ValidationError as exc:
        report_errors(exc)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    click.echo(f"restored {fact.id} as revision {fact.revision}")


@facts.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="toml",
    show_default=True,
    help="toml/json: facts files that `facts load` reads back; csv: flat tables.",
)
@db_option
def facts_export(directory: Path, fmt: str, db_path: Path | None) -> None:
    """Write the store to DIRECTORY as facts files (toml, json) or tables (csv)."""
    store = open_store(db_path)
    try:
        written = service.export_fact_files(store, directory, fmt)
    except OSError as exc:
        fail(f"cannot write to {directory}: {exc}", EXIT_FAILED)
    except StoreError as exc:  # e.g. a path from the data that would leave DIRECTORY
        fail(str(exc), EXIT_FAILED)
    for path in written:
        say(f"wrote {path}")


facts.add_command(facts_change)  # bot/cli_change.py: a change in the world
facts.add_command(facts_due)  # bot/cli_due.py: records about to lapse, and settling them
facts.add_command(facts_settle)
