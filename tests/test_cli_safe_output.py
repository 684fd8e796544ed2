"""The CLI prints stored text without terminal control sequences, in text and in JSON.

A fact, source, reason, author or missed question holding ESC[…] colours, an OSC window
title, a C1 CSI (U+009B), a bidi override or a zero-width space must not act on the
terminal: text output drops them; JSON output keeps the data but writes them as \\u
escapes (`json.dumps` alone writes C1 and bidi characters raw).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner, Result

from bot.cli import main

MEDIUM = "https://medium.com/@author/post"
STATEMENT = "Japan applies **12%** \x1b[31mred\x1b[0m \u202eevil\u202c tar\u200biff \x9b2J [x](https://e.example)"
STATEMENT_SHOWN = "Japan applies **12%** red evil tariff  [x](https://e.example)"  # CSI 2J gone
TITLE = "\x1b]0;pwned\x07Car \x1b[2Jtariffs"
QUOTE = "Japan set \x1b[5m12%\x1b[0m"
BY = "eve\x1b[8m"
REASON = "new\u202e tariff\x1b]8;;https://evil.example\x1b\\"
TERMINAL_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]"
)

ADD = [
    *("facts", "add", "--id", "jp-us-hostile", "--kind", "tariff_rate"),
    *("--importer", "JP", "--exporter", "US", "--rate", "12", "--statement", STATEMENT),
    *("--valid-from", "2025-04-03", "--source-url", MEDIUM, "--source-title", TITLE),
    *("--source-publisher", "Pub\u202e", "--source-published", "2025-04-02"),
    *("--quote", QUOTE, "--by", BY, "--reason", REASON),
]


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--db", str(db)], catch_exceptions=False)


def assert_terminal_safe(result: Result) -> None:
    assert not TERMINAL_CONTROLS.search(result.output), repr(result.output)


def test_text_output_drops_terminal_controls(db_file: Path) -> None:
    added = run(db_file, *ADD)
    assert added.exit_code == 0, added.output
    assert_terminal_safe(added)
    shown = run(db_file, "facts", "show", "jp-us-hostile")
    assert f"statement:  {STATEMENT_SHOWN}" in shown.output
    assert f"Car tariffs — Pub, 2 Apr 2025 <{MEDIUM}>" in shown.output
    assert "“Japan set 12%”" in shown.output
    listed = run(db_file, "facts", "list", "--kind", "tariff_rate")
    history = run(db_file, "facts", "history", "jp-us-hostile")
    assert "create by eve: new tariff" in history.output
    answer = run(db_file, "ask", "What is Japan's tariff on US goods?", "--as-of", "2025-06-01")
    assert "12%" in answer.output and f"<{MEDIUM}>" in answer.output  # the '@' intact
    for result in (shown, listed, history, answer):
        assert result.exit_code == 0
        assert_terminal_safe(result)


def test_json_output_keeps_the_data_and_escapes_the_controls(db_file: Path) -> None:
    run(db_file, *ADD)
    shown = run(db_file, "facts", "show", "jp-us-hostile", "--json")
    fact = json.loads(shown.output)
    assert fact["statement"] == STATEMENT  # the stored text, exactly (whitespace as stored)
    assert fact["sources"][0]["url"] == MEDIUM
    history = run(db_file, "facts", "history", "jp-us-hostile", "--json")
    assert json.loads(history.output)[0]["reason"] == REASON
    answer = run(
        db_file, "ask", "What is Japan's tariff on US goods?", "--as-of", "2025-06-01", "--json"
    )
    assert json.loads(answer.output)["sources"][0]["title"] == TITLE
    listed = run(db_file, "facts", "list", "--json")
    for result in (shown, history, answer, listed):
        assert_terminal_safe(result)


def test_review_and_errors_drop_terminal_controls(db_file: Path) -> None:
    asked = run(db_file, "ask", "\x1b]0;pwned\x07 do cats \u202ereally\x1b[2J purr?")
    assert asked.exit_code == 0
    listed = run(db_file, "review")
    assert "do cats really purr?" in listed.output
    assert_terminal_safe(listed)
    run(db_file, *ADD)
    run(db_file, "facts", "retract", "jp-us-hostile", "--by", BY, "--reason", REASON)
    again = run(db_file, "facts", "retract", "jp-us-hostile", "--by", BY, "--reason", REASON)
    assert again.exit_code != 0 and "already retracted" in again.output
    assert_terminal_safe(again)
