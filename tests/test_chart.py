"""Rate charts: a PNG with one step per recorded period, gaps and today visible."""

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from bot.cli import main

PNG = b"\x89PNG\r\n\x1a\n"


def test_chart_has_one_step_per_period_and_shows_the_gap(assistant) -> None:
    info = assistant.chart("US", "CN", as_of=date(2026, 11, 25))
    assert info.png.startswith(PNG) and len(info.png) > 10_000
    # 10% -> 20% -> 30% -> 104% -> 145% -> 30% -> 20% -> the 10% surcharge on all partners
    assert info.steps == 8
    assert info.gaps == [(date(2026, 7, 24), date(2026, 11, 25))]


def test_chart_of_a_continuous_history_has_no_gap(assistant) -> None:
    info = assistant.chart("CN", "US", as_of=date(2025, 12, 1))
    assert info.steps == 4 and info.gaps == []  # 84% -> 125% -> 10% -> 10% extended


def test_cli_writes_the_png(db_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "chart.png"
    result = CliRunner().invoke(
        main,
        ["chart", "US", "China", "-o", str(out), "--db", str(db_file), "--as-of", "2026-01-01"],
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(PNG) and "8 period(s)" in result.output


def test_cli_rejects_unknown_parties_and_empty_pairs(db_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.png"
    bad = CliRunner().invoke(main, ["chart", "Narnia", "CN", "-o", str(out), "--db", str(db_file)])
    assert bad.exit_code == 2 and "not a known party" in bad.output
    empty = CliRunner().invoke(main, ["chart", "JP", "KR", "-o", str(out), "--db", str(db_file)])
    assert empty.exit_code == 1 and "no rate is recorded" in empty.output and not out.exists()
