"""`tradebot ask` / `chat` through the real CLI: JSON contract and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from bot.cli import main

KEYS = {"question", "intent", "confidence", "answer", "facts", "sources", "suggestions", "as_of"}


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
