"""`tradebot ask`, `chat` and `chart`: questions answered from the fact store.

One-shot latency matters here: nothing imported by this module pulls in discord.py or
pydantic (tests/test_core_imports.py); matplotlib loads only when `chart` draws.
bot.cli registers these commands.
"""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from bot import review
from bot.cli_common import (
    EXIT_FAILED,
    as_date,
    db_option,
    fail,
    make_assistant,
    say,
    say_json,
    utf8_text,
)


def print_answer(answer: Any, as_json: bool, explain: bool = False) -> None:
    """The whole answer (no length limit: that is Discord's, not the terminal's)."""
    if as_json:
        say_json(answer.to_json())
        return
    say(answer.text)
    if answer.suggestions:
        say("You could ask: " + " | ".join(answer.suggestions))
    if explain:
        say(explanation(answer))


def explanation(answer: Any) -> str:
    """The Query the answer answered, one field a line, leaving out empty fields."""
    if answer.query is None:
        lines = ["Query: none (the question was not read)"]
    else:
        fields = answer.query.to_json()
        fired = fields.pop("fired", [])
        shown = [f"  {k}: {v}" for k, v in fields.items() if v not in (None, False, [], {}, "")]
        lines = ["Query:", *shown]
        if fired:
            lines += ["Rules that fired:", *(f"  {rule}" for rule in fired)]
    if answer.retrieved:
        lines.append("Answered by: full-text retrieval over the facts")
    elif answer.intent:
        lines.append(f"Answered by: the strategy of intent {answer.intent}")
    if answer.stacking:
        lines.append("Stacking rules applied: " + ", ".join(r["rule"] for r in answer.stacking))
    return "\n".join(lines)


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


@click.command()
@click.argument("question", required=False)
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Answer as if today were this date.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--explain", is_flag=True, help="Also print how the question was read (its Query).")
@click.option(
    "--batch",
    metavar="FILE",
    help="One question per line ('-' for stdin); prints one JSON object per line.",
)
@db_option
def ask(
    question: str | None,
    as_of: str | None,
    as_json: bool,
    explain: bool,
    batch: str | None,
    db_path: Path | None,
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
    print_answer(answer, as_json, explain)


@click.command()
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD", help="Answer as if today were this date.")
@db_option
def chat(as_of: str | None, db_path: Path | None) -> None:
    """Ask questions interactively (empty line or Ctrl-D to quit)."""
    day = as_date(as_of, "--as-of") or date.today()
    assistant = make_assistant(db_path)
    click.echo(f"Tradebot — answers as of {day.isoformat()}. Empty line or Ctrl-D to quit.")
    if isinstance(sys.stdin, io.TextIOWrapper):
        sys.stdin.reconfigure(errors="replace")  # a line that is not UTF-8 is still asked
    previous = None  # "and Japan?" continues the last answer
    while True:
        try:
            question = utf8_text(input("you> "))
        except (EOFError, KeyboardInterrupt):
            click.echo()
            return
        if not question.strip() or question.strip().lower() in ("quit", "exit"):
            return
        click.echo()
        answer = assistant.ask(question, day, previous=previous)
        previous = assistant.previous_of(answer) or previous
        review.record_miss(assistant.store, answer)
        print_answer(answer, as_json=False)
        click.echo()


@click.command()
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
