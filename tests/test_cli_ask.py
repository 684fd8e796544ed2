"""`tradebot ask` / `chat` through the real CLI: JSON contract and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main

KEYS = {
    "question",
    "intent",
    "confidence",
    "answer",
    "outcome",  # answer | no_record | out_of_scope | clarify | help | greeting | sources
    "facts",
    "sources",
    "suggestions",
    "as_of",
    "product",
    "query",  # the Query answered (null for an empty line)
    "layers",  # one object per measure layer (empty unless a layered answer)
    "stacking",  # ids of the stacking rules applied
    "retrieved",  # true when full-text retrieval over the facts found the answer
}


def invoke(db: Path, *args: str, stdin: str | None = None):
    return CliRunner().invoke(main, [*args, "--db", str(db)], input=stdin)


def test_ask_prints_answer_with_source(db_file: Path) -> None:
    result = invoke(db_file, "ask", "US tariffs on Chinese goods?", "--as-of", "2025-06-01")
    assert result.exit_code == 0
    assert "30%" in result.output and "Source:" in result.output


def test_ask_json_contract(db_file: Path) -> None:
    result = invoke(db_file, "ask", "is the court case over", "--as-of", "2026-03-01", "--json")
    data = json.loads(result.output)
    assert set(data) == KEYS and data["as_of"] == "2026-03-01"
    assert data["intent"] == "court_ruling" and data["facts"]
    assert all(set(s) == {"title", "url", "publisher", "published"} for s in data["sources"])


def test_ask_json_names_the_product_asked_about(db_file: Path) -> None:
    args = ("--as-of", "2025-06-01", "--json")
    toys = json.loads(invoke(db_file, "ask", "US tariff on Chinese toys?", *args).output)
    goods = json.loads(invoke(db_file, "ask", "US tariff on Chinese goods?", *args).output)
    assert toys["product"] == "toys" and "(all goods): 30%" in toys["answer"]
    assert goods["product"] is None and "(all goods)" not in goods["answer"]


def test_out_of_scope_is_exit_0_with_null_intent(db_file: Path) -> None:
    result = invoke(db_file, "ask", "what's the weather in Paris", "--json")
    data = json.loads(result.output)
    assert result.exit_code == 0 and data["intent"] is None and data["facts"] == []


def test_batch_from_stdin_keeps_order_one_object_per_line(db_file: Path) -> None:
    questions = ["US tariff on China", "", "play music", "when does the truce end"]
    result = invoke(
        db_file, "ask", "--batch", "-", "--as-of", "2025-06-01", stdin="\n".join(questions) + "\n"
    )
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["question"] for r in rows] == questions
    assert [r["intent"] for r in rows] == ["tariff_rate", None, None, "truce"]
    assert all(set(r) == KEYS for r in rows)


def test_batch_from_file(db_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "q.txt"
    path.write_text("china's tariff on us goods\nhello\n")
    result = invoke(db_file, "ask", "--batch", str(path), "--as-of", "2025-06-01")
    assert [json.loads(x)["intent"] for x in result.output.splitlines()] == [
        "tariff_rate",
        "greeting",
    ]


def test_usage_errors_exit_2(db_file: Path, tmp_path: Path) -> None:
    for args in (
        ["ask", ""],
        ["ask"],
        ["ask", "x", "--as-of", "2025-02-30"],
        ["ask", "--batch", str(tmp_path / "missing.txt")],
    ):
        result = invoke(db_file, *args)
        assert result.exit_code == 2, args
        assert "error:" in result.output


def test_chat_answers_until_empty_line(db_file: Path) -> None:
    result = invoke(
        db_file,
        "chat",
        "--as-of",
        "2025-06-01",
        stdin="what's china's duty on american goods\nthanks\n\n",
    )
    assert result.exit_code == 0
    assert "10%" in result.output and "Hi!" in result.output


def test_chat_follow_ups_continue_the_last_question(db_file: Path) -> None:
    result = invoke(
        db_file,
        "chat",
        "--as-of",
        "2025-10-01",
        stdin="What is the US tariff on Chinese goods?\nand before that?\nand Japan?\n\n",
    )
    assert result.exit_code == 0
    answers = result.output.split("you> ")[1:4]
    assert "30% from 14 May 2025" in answers[0]
    assert "145% from 10 Apr 2025" in answers[1]  # the day before the 30% began
    assert "US tariffs on Japanese goods" in answers[2]


def test_cold_process_answers_without_importing_discord(tmp_path: Path) -> None:
    db = tmp_path / "cold.db"
    code = (
        "import sys; from bot.cli import main; sys.argv=['tradebot','ask','US tariff on "
        f"China','--db','{db}','--json']\ntry:\n main()\nexcept SystemExit: pass\n"
        "print('discord' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    *answer, imported = result.stdout.strip().splitlines()
    assert json.loads(answer[0])["intent"] == "tariff_rate" and imported == "False"


# ---- input handling: dates, long questions, bytes that are not UTF-8, huge numbers --------


def test_as_of_outside_the_dates_facts_can_have_is_a_one_line_usage_error(
    db_file: Path,
) -> None:
    for command in (["ask", "US tariff on China"], ["chat"], ["ask", "--batch", "-"]):
        for day in ("0001-01-01", "9999-12-31", "1899-12-31", "2101-01-01"):
            result = invoke(db_file, *command, "--as-of", day, stdin="")
            assert result.exit_code == 2, (command, day)
            assert result.output.strip().splitlines() == [
                f"error: --as-of {day} is outside 1900-01-01 … 2100-12-31; give a date in "
                "that range"
            ]


def test_as_of_at_the_range_edges_answers(db_file: Path) -> None:
    for day in ("1900-01-01", "2100-12-31"):
        result = invoke(db_file, "ask", "US tariff on China tomorrow?", "--as-of", day)
        assert result.exit_code == 0 and "don't have a record" in result.output


def test_a_long_question_is_read_whole_not_cut(db_file: Path) -> None:
    context = "I import bicycles and keep reading different things in the news every week. "
    question = context * 10 + "What is the US tariff on Chinese goods?"
    result = invoke(db_file, "ask", question, "--as-of", "2025-06-01", "--json")
    data = json.loads(result.output)
    assert result.exit_code == 0 and data["question"] == question
    assert data["intent"] == "tariff_rate" and "30%" in data["answer"]


def test_a_too_long_question_says_so_with_exit_0(db_file: Path) -> None:
    question = "tariff china " * 25_000  # 325 KB on one line
    result = invoke(db_file, "ask", "--batch", "-", "--as-of", "2025-06-01", stdin=question)
    data = json.loads(result.output)
    assert result.exit_code == 0 and data["intent"] is None
    assert "324,999 characters long" in data["answer"] and "one question" in data["answer"]


def run_cli(args: list[bytes], stdin: bytes, io_encoding: str) -> subprocess.CompletedProcess:
    """The real process: argv and stdin as raw bytes, stdout a pipe."""
    env = {**os.environ, "PYTHONIOENCODING": io_encoding}
    code = "from bot.cli import main; main()"
    return subprocess.run(
        [sys.executable.encode(), b"-c", code.encode(), *args],
        input=stdin,
        capture_output=True,
        env=env,
        check=False,
    )


@pytest.mark.parametrize("io_encoding", ["utf-8", "utf-8:surrogateescape"])
def test_bytes_that_are_not_utf8_are_answered_as_utf8_json(db_file: Path, io_encoding: str) -> None:
    """Strict stdio used to fail (exit 2 on stdin, a traceback on output); with
    surrogateescape (the C.UTF-8 locale) the bad bytes were echoed into the JSON."""
    db = str(db_file).encode()
    common = [b"--as-of", b"2025-06-01", b"--db", db]
    batch = run_cli(
        [b"ask", b"--batch", b"-", *common],
        b"US tariff on China \xff\xfe?\n\xff\xfe\nhello\n",
        io_encoding,
    )
    single = run_cli(
        [b"ask", b"US tariff on China \xff\xfe?", b"--json", *common], b"", io_encoding
    )
    plain = run_cli([b"ask", b"US tariff on China \xed\xa0\x80", *common], b"", io_encoding)
    for result in (batch, single, plain):
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
        result.stdout.decode("utf-8")  # strict: raises on any byte that is not UTF-8
    rows = [json.loads(line) for line in batch.stdout.decode("utf-8").splitlines()]
    assert [r["intent"] for r in rows] == ["tariff_rate", None, "greeting"]
    assert rows[0]["question"] == "US tariff on China \ufffd\ufffd?"
    assert json.loads(single.stdout)["intent"] == "tariff_rate"
    assert "30%" in plain.stdout.decode("utf-8")


def test_huge_base_revision_is_a_one_line_usage_error(db_file: Path) -> None:
    invoke(db_file, "facts", "list")  # creates the database with the bundled facts
    before = invoke(db_file, "facts", "show", "us-cn-tariff-30", "--json").output
    for revision in (str(10**30), str(2**63), "0", "-1"):
        result = invoke(
            db_file,
            "facts",
            "update",
            "us-cn-tariff-30",
            "--base-revision",
            revision,
            "--rate",
            "31",
            "--by",
            "bob",
            "--reason",
            "test",
        )
        assert result.exit_code == 2, (revision, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and f"--base-revision {revision} is not a revision" in lines[0]
    assert invoke(db_file, "facts", "show", "us-cn-tariff-30", "--json").output == before
