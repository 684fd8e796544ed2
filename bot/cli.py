"""The `tradebot` command: a thin click layer over `bot.service`.

Exit codes: 0 success; 1 the request was understood but could not be done (unknown fact,
edit conflict); 2 bad input (usage, invalid values), with the reason on stderr.
discord.py is imported only by `run` and `sync`, so the other commands start fast.
"""

from __future__ import annotations

import io
import sqlite3
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click

from bot import __version__, review, service
from bot.present import fact_detail, fact_line, revision_line
from bot.safe_text import for_terminal, json_for_terminal
from bot.store import Author, FactStore, StoreError, ValidationError
from bot.store.facts_files import EXPORT_FORMATS, FactsFileError, bundled_facts_dir
from bot.store.location import StoreLocationError, check_location
from bot.store.model import KINDS
from bot.store.validate import MAX_DATE, MIN_DATE, parse_date
from bot.understand.rules import INTENT_NAMES

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
MAX_REVISION = 2**63 - 1  # the largest INTEGER SQLite stores


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    say(f"error: {message}", err=True)
    sys.exit(code)


def say(text: str = "", *, err: bool = False) -> None:
    """Print text holding stored strings (statements, titles, reasons, names, questions)
    with no terminal escape sequence, control or bidi character: a fact must not be able
    to recolour, move the cursor, retitle the window or reorder what is printed."""
    click.echo(for_terminal(text), err=err)


def say_json(value: Any, *, indent: int | None = None) -> None:
    """Print JSON; characters a terminal would act on are \\u escapes, the data unchanged."""
    click.echo(json_for_terminal(value, indent=indent))


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help="Database file (default: $TRADEBOT_DB, else ./tradebot.db).",
    )(func)


def resolve_db(db_path: Path | None) -> Path:
    if db_path is not None:
        return db_path
    from bot import quick_config

    return quick_config.db_path()


def open_store(db_path: Path | None) -> FactStore:
    path = resolve_db(db_path)
    try:
        store = service.open_store(path)
    except StoreLocationError as exc:  # missing folder, not a Tradebot file: a wrong path
        fail(str(exc))
    except FactsFileError as exc:
        fail(str(exc), EXIT_FAILED)
    except Exception as exc:  # sqlite3 errors: unreadable, not a database, read-only
        fail(
            f"cannot open the database {path}: {exc}. Check the path (--db or TRADEBOT_DB).",
            EXIT_FAILED,
        )
    click.get_current_context().call_on_close(store.close)
    return store


def as_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        day = parse_date(value)
    except ValueError:
        fail(f"{option} '{utf8_text(value)}' is not a date YYYY-MM-DD")
    if not MIN_DATE <= day <= MAX_DATE:  # the dates a fact may have (bot.store.validate)
        fail(f"{option} {day} is outside {MIN_DATE} … {MAX_DATE}; give a date in that range")
    return day


def utf8_text(value: str) -> str:
    """`value` as text that encodes to UTF-8: bytes that were not UTF-8 (kept by Python
    as lone surrogates in argv, or read from stdin or a file) become U+FFFD, so the
    question is still answered and the JSON printed and the misses stored stay UTF-8."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        try:
            raw = value.encode("utf-8", "surrogateescape")  # the bytes argv really held
        except UnicodeEncodeError:
            raw = value.encode("utf-8", "surrogatepass")
        return raw.decode("utf-8", "replace")


def report_errors(exc: ValidationError) -> NoReturn:
    lines = "\n".join(f"  {e.field}: {e.message}" for e in exc.errors)
    fail(f"nothing was changed; fix these and try again:\n{lines}")


def storage_problem(exc: sqlite3.Error) -> str:
    """What to tell a user when SQLite itself fails (read-only file, full disk, corruption)."""
    text = str(exc)
    if "readonly" in text or "read-only" in text:
        hint = "the database file or its folder is read-only; check permissions"
    elif "full" in text:
        hint = "the disk is full; free some space"
    elif "locked" in text or "busy" in text:
        hint = "another process holds the database; try again in a moment"
    else:
        hint = "the file may be damaged; check it with `sqlite3 FILE 'PRAGMA integrity_check'`"
    return f"the fact store could not be used ({text}): {hint}. Nothing was changed."


class TradebotGroup(click.Group):
    """Turns storage failures in any command into one clear line and exit code 1, and
    reads every argument as UTF-8 text (bytes that were not become U+FFFD), so no
    option value can carry a lone surrogate into the store or the output."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, [utf8_text(arg) for arg in args])

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except sqlite3.Error as exc:
            fail(storage_problem(exc), EXIT_FAILED)


@click.group(cls=TradebotGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tradebot")
def main() -> None:
    """Tradebot: trade-tariff answers with the source and date of every fact."""


# ---- facts ------------------------------------------------------------------------------


@main.group()
def facts() -> None:
    """Read, load, export and moderate the fact store."""


@facts.command("load")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@db_option
def facts_load(paths: tuple[Path, ...], db_path: Path | None) -> None:
    """Load facts files (default: the bundled facts/). Idempotent; all or nothing."""
    store = open_store(db_path)
    try:
        report = service.load_fact_files(store, list(paths) or [bundled_facts_dir()])
    except FactsFileError as exc:
        fail(str(exc))
    say(f"loaded: {report.summary()}")
    for fact_id in report.created + report.updated:
        say(f"  {'created' if fact_id in report.created else 'updated'} {fact_id}")
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
        say(fact_line(fact, store.vocab))


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
        say(fact_detail(fact, store.sources_of(fact), store.vocab))


@facts.command("history")
@click.argument("fact_id")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@db_option
def facts_history(fact_id: str, as_json: bool, db_path: Path | None) -> None:
    """Show every revision of a fact: who, when, why, and what changed."""
    store = open_store(db_path)
    try:
        revisions = service.fact_history(store, fact_id)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    if as_json:
        say_json([service.revision_json(r) for r in revisions], indent=2)
        return
    say(f"{fact_id}: {len(revisions)} revision(s)")
    for rev in revisions:
        say(revision_line(rev))
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
    return func


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
    """Change a fact; writes a new revision and keeps the old one."""
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


# ---- questions --------------------------------------------------------------------------


def make_assistant(db_path: Path | None) -> service.Assistant:
    from bot import quick_config

    try:
        stale_days = quick_config.stale_after_days()
    except ValueError as exc:
        fail(str(exc))
    store = open_store(db_path if db_path is not None else quick_config.db_path())
    return service.Assistant(store, stale_after_days=stale_days)


def print_answer(answer: Any, as_json: bool) -> None:
    if as_json:
        say_json(answer.to_json())
        return
    say(answer.text)
    if answer.suggestions:
        say("You could ask: " + " | ".join(answer.suggestions))


def read_batch(batch: str) -> list[str]:
    """The questions, one a line; bytes that are not UTF-8 become U+FFFD (every line is
    still answered, one JSON object each)."""
    try:
        if batch == "-":
            stream = getattr(sys.stdin, "buffer", None)
            text = stream.read().decode("utf-8", "replace") if stream else sys.stdin.read()
        else:
            text = Path(batch).read_bytes().decode("utf-8", "replace")
    except OSError as exc:
        fail(f"cannot read --batch file {utf8_text(batch)}: {exc.strerror or exc}")
    return utf8_text(text).splitlines()


@main.command()
@click.argument("question", required=False)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Answer as if today were this date.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option(
    "--batch",
    metavar="FILE",
    help="One question per line ('-' for stdin); prints one JSON object per line.",
)
@db_option
def ask(
    question: str | None, as_of: str | None, as_json: bool, batch: str | None, db_path: Path | None
) -> None:
    """Answer a question about trade tariffs, with sources and dates."""
    day = as_date(as_of, "--as-of") or date.today()
    if batch is not None:
        if question:
            fail("give either a QUESTION or --batch FILE, not both")
        lines = read_batch(batch)
        assistant = make_assistant(db_path)
        for line in lines:
            answer = assistant.ask(line, day)
            say_json(answer.to_json())
        return
    if question is None or not question.strip():
        fail(
            'the question is empty; ask something, e.g. tradebot ask "What is the US tariff '
            'on Chinese goods?"'
        )
    assistant = make_assistant(db_path)
    answer = assistant.ask(utf8_text(question), day)
    review.record_miss(assistant.store, answer)
    print_answer(answer, as_json)


@main.command()
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Answer as if today were this date.")
@db_option
def chat(as_of: str | None, db_path: Path | None) -> None:
    """Ask questions interactively (empty line or Ctrl-D to quit)."""
    day = as_date(as_of, "--as-of") or date.today()
    assistant = make_assistant(db_path)
    click.echo(f"Tradebot — answers as of {day.isoformat()}. Empty line or Ctrl-D to quit.")
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="replace")  # a line that is not UTF-8 is still asked
    while True:
        try:
            question = utf8_text(input("you> "))
        except (EOFError, KeyboardInterrupt):
            click.echo()
            return
        if not question.strip() or question.strip().lower() in ("quit", "exit"):
            return
        click.echo()
        answer = assistant.ask(question, day)
        review.record_miss(assistant.store, answer)
        print_answer(answer, as_json=False)
        click.echo()


@main.command()
@click.argument("importer")
@click.argument("exporter")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="PNG file to write.",
)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Draw 'today' at this date.")
@db_option
def chart(
    importer: str, exporter: str, output: Path, as_of: str | None, db_path: Path | None
) -> None:
    """Draw the rate IMPORTER puts on EXPORTER's goods over time as a PNG."""
    day = as_date(as_of, "--as-of") or date.today()
    assistant = make_assistant(db_path)
    codes = []
    for value, name in ((importer, "IMPORTER"), (exporter, "EXPORTER")):
        code = assistant.store.vocab.party_code(value)
        if code is None:
            fail(f"{name} '{value}' is not a known party; use a code such as US or CN")
        codes.append(code)
    info = assistant.chart(codes[0], codes[1], as_of=day)
    if info.steps == 0:
        fail(
            f"no rate is recorded for {codes[0]} on {codes[1]}; `tradebot facts list "
            "--kind tariff_rate` shows the pairs",
            EXIT_FAILED,
        )
    try:
        output.write_bytes(info.png)
    except OSError as exc:
        fail(f"cannot write {output}: {exc}", EXIT_FAILED)
    click.echo(f"wrote {output}: {info.title}, {info.steps} period(s), {len(info.gaps)} gap(s)")


# ---- review queue -------------------------------------------------------------------------


@main.group("review", invoke_without_command=True)
@db_option
@click.pass_context
def review_group(ctx: click.Context, db_path: Path | None) -> None:
    """The questions Tradebot missed, grouped, and the answers marked wrong."""
    if ctx.invoked_subcommand is not None:
        return
    store = open_store(db_path)
    found = review.groups(store)
    click.echo(
        f"{len(found)} group(s) of missed questions (kept {review.RETENTION_DAYS} days, "
        "no user ids):"
    )
    for group in found:
        intents = ", ".join(group.intents) or "out of scope"
        say(f"  [{group.id}] ×{group.count}  “{group.question}”  (read as: {intents})")
    wrong = review.wrong_answers(store)
    click.echo(f"{len(wrong)} answer(s) marked wrong or outdated:")
    for row in wrong:
        say(f"  ×{row['votes']}  “{row['question']}”  facts: {row['facts']}")
    if found:
        click.echo(
            "Teach a group: tradebot review learn GROUP --intent INTENT --by NAME; "
            "or: tradebot review dismiss GROUP --by NAME"
        )


@review_group.command("learn")
@click.argument("group_id", type=int)
@click.option(
    "--intent",
    required=True,
    type=click.Choice(INTENT_NAMES),
    help="The intent the group's question should have been read as.",
)
@click.option("--by", required=True, help="Who teaches it (your name).")
@db_option
def review_learn(group_id: int, intent: str, by: str, db_path: Path | None) -> None:
    """Add a group's question as a phrasing of an intent (used at once)."""
    assistant = make_assistant(db_path)
    try:
        phrasing = assistant.learn(group_id, intent, by)
    except ValidationError as exc:
        report_errors(exc)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    say(f"learned “{phrasing}” as {intent}")


@review_group.command("dismiss")
@click.argument("group_id", type=int)
@click.option("--by", required=True, help="Who dismisses it (your name).")
@db_option
def review_dismiss(group_id: int, by: str, db_path: Path | None) -> None:
    """Close a group of misses without teaching anything."""
    store = open_store(db_path)
    try:
        count = review.dismiss(store, group_id)
    except StoreError as exc:
        fail(str(exc), EXIT_FAILED)
    click.echo(f"dismissed group {group_id} ({count} question(s)) by {by}")


# ---- Discord ----------------------------------------------------------------------------


def discord_settings(db_path: Path | None) -> Any:
    """The settings `run` and `sync` need, checked before anything connects: bad
    variables (one line each) and a database path that cannot work are exit 2."""
    from bot.config import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        for line in exc.lines:
            click.echo(f"error: {line}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if db_path is not None:
        settings = settings.model_copy(update={"db_path": db_path})
    try:
        check_location(settings.db_path)
    except StoreLocationError as exc:
        fail(str(exc))
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        fail(
            "DISCORD_TOKEN is not set: put it in .env or the environment (see .env.example)",
            EXIT_FAILED,
        )
    return settings


def configure_logging(level: str) -> None:
    import logging

    logging.basicConfig(
        level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )


@main.command()
@db_option
def run(db_path: Path | None) -> None:
    """Start the Discord bot (needs DISCORD_TOKEN)."""
    settings = discord_settings(db_path)
    configure_logging(settings.log_level)
    from bot.client import create_bot

    bot = create_bot(settings)
    token = settings.discord_token.get_secret_value()
    try:
        bot.run(token, log_handler=None)
    except Exception as exc:  # discord.LoginFailure, PrivilegedIntentsRequired, network
        fail(f"the bot stopped: {type(exc).__name__}: {exc}", EXIT_FAILED)


@main.command()
@click.option(
    "--guild",
    "guild_id",
    type=int,
    default=None,
    help="Also sync the moderator commands to this guild (default: the home guild).",
)
@db_option
def sync(guild_id: int | None, db_path: Path | None) -> None:
    """Register the slash commands with Discord (run after adding or changing commands)."""
    settings = discord_settings(db_path)
    configure_logging(settings.log_level)
    import asyncio

    from bot.client import create_bot

    async def do_sync() -> dict[str, int]:
        bot = create_bot(settings.model_copy(update={"sync_on_start": False}))
        async with bot:
            await bot.login(settings.discord_token.get_secret_value())
            return await bot.sync_commands(guild_id)

    try:
        synced = asyncio.run(do_sync())
    except Exception as exc:
        fail(f"sync failed: {type(exc).__name__}: {exc}", EXIT_FAILED)
    for scope, count in synced.items():
        click.echo(f"synced {count} command(s) to {scope}")


from bot.cli_sources import sources as sources_group  # noqa: E402

main.add_command(sources_group)

from bot.doctor import doctor  # noqa: E402  (checks live in bot/doctor.py)

main.add_command(doctor)

if __name__ == "__main__":  # pragma: no cover
    main()
