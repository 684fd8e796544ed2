"""The CLI prints whole answers (the 2,000-character limit is Discord's) and, with
`--explain`, the Query the question was read as."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from bot.answer.answer import Answer
from bot.cli import main
from bot.cli_ask import print_answer


def test_a_long_answer_is_printed_whole(capsys) -> None:
    text = "\n".join(f"line {n} " + "word " * 30 for n in range(40))
    answer = Answer("q", "tariff_rate", 1.0, text, [], [], [], date(2025, 6, 1), "answer")
    print_answer(answer, as_json=False)
    out = capsys.readouterr().out
    assert len(text) > 2000 and text in out


def test_explain_prints_the_query(tmp_path: Path) -> None:
    args = ["ask", "US tariff on Chinese steel on 2 May 2025", "--as-of", "2025-06-01"]
    result = CliRunner().invoke(main, [*args, "--explain", "--db", str(tmp_path / "t.db")])
    assert result.exit_code == 0, result.output
    query = result.output.split("Query:\n", 1)[1]
    assert "  intent: tariff_rate" in query and "  product: steel" in query
    assert "  importer: US" in query and "  exporter: CN" in query
    assert "'start': '2025-05-02'" in query and "  date_role: asked" in query
    rules = result.output.split("Rules that fired:\n", 1)[1]
    assert "tariff_rate: closest example" in rules and "product named: steel" in rules
    assert "Answered by: the strategy of intent tariff_rate" in result.output
    plain = CliRunner().invoke(main, [*args, "--db", str(tmp_path / "t.db")])
    assert "Query:" not in plain.output


def test_explain_says_when_retrieval_answered(tmp_path: Path) -> None:
    args = ["ask", "From what entry date did CBP stop collecting IEEPA duties?", "--explain"]
    result = CliRunner().invoke(
        main, [*args, "--as-of", "2026-03-01", "--db", str(tmp_path / "t.db")]
    )
    assert result.exit_code == 0, result.output
    assert "Answered by: full-text retrieval over the facts" in result.output
    assert "  terms: ['entry', 'cbp', 'stop', 'collecting', 'ieepa'" in result.output


def test_explain_names_the_stacking_rules_of_a_layered_answer(capsys) -> None:
    answer = Answer("q", "tariff_rate", 1.0, "layers", [], [], [], date(2025, 7, 1), "answer")
    answer.stacking = [{"rule": "metals-share-reciprocal"}, {"rule": "china-ieepa-stacks"}]
    print_answer(answer, as_json=False, explain=True)
    out = capsys.readouterr().out
    assert "Stacking rules applied: metals-share-reciprocal, china-ieepa-stacks" in out
    answer.stacking = []
    print_answer(answer, as_json=False, explain=True)
    assert "Stacking rules" not in capsys.readouterr().out
