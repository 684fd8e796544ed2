"""`tradebot facts change` and the measure options of `facts add` / `facts update`."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from bot.store import FactStore, Source
from tests.conftest import MOD, rate_fact
from tests.test_cli import ADD, digest

CHANGE = [
    "facts",
    "change",
    "us-jp-autos",
    "--effective",
    "2025-09-16",
    "--by",
    "bob",
    "--reason",
    "US-Japan deal in force",
]
MEASURE = [
    "--products",
    "steel, aluminium",
    "--origins",
    "all-except:GB,Canada",
    "--authority",
    "section-232",
    "--rate-kind",
    "additional",
    "--instrument",
    "Proclamation 10947",
]

_EXPORTER_AT = ADD.index("--exporter")
WITHOUT_EXPORTER = ADD[:_EXPORTER_AT] + ADD[_EXPORTER_AT + 2 :]  # --origins names them


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--db", str(db)], catch_exceptions=False)


def add(db: Path, *extra: str) -> None:
    result = run(db, *(ADD if not extra else WITHOUT_EXPORTER), *extra)
    assert result.exit_code == 0, result.output


def test_change_ends_the_fact_and_starts_its_successor(db_file: Path) -> None:
    add(db_file)
    result = run(db_file, *CHANGE, "--rate", "15")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "ended us-jp-autos: 25% from 3 Apr 2025, until 16 Sep 2025",
        "started us-jp-autos-from-2025-09-16: 15% from 16 Sep 2025 (supersedes us-jp-autos)",
    ]
    history = run(db_file, "facts", "history", "us-jp-autos").output
    assert "valid_to: — → 2025-09-16" in history
    assert "succeeded by us-jp-autos-from-2025-09-16: r1" in history
    successor = json.loads(
        run(db_file, "facts", "history", "us-jp-autos-from-2025-09-16", "--json").output
    )
    assert [(h["fact_id"], h["action"], h["author"]) for h in successor] == [
        ("us-jp-autos", "update", "bob"),
        ("us-jp-autos-from-2025-09-16", "create", "bob"),
    ]
    shown = json.loads(
        run(db_file, "facts", "show", "us-jp-autos-from-2025-09-16", "--json").output
    )
    assert (shown["rate"], shown["supersedes"], shown["valid_from"]) == (
        15,
        "us-jp-autos",
        "2025-09-16",
    )


def test_change_json_and_a_new_source_for_the_new_value(db_file: Path) -> None:
    add(db_file)
    result = run(
        db_file,
        *CHANGE,
        "--status",
        "paused",
        "--new-id",
        "us-jp-autos-paused",
        "--source-url",
        "https://example.org/pause",
        "--source-title",
        "Car tariffs paused",
        "--source-publisher",
        "Example News",
        "--source-published",
        "2025-09-15",
        "--json",
    )
    assert result.exit_code == 0, result.output
    both = json.loads(result.output)
    assert both["ended"]["valid_to"] == "2025-09-16"
    successor = both["successor"]
    assert (successor["id"], successor["status"], successor["rate"]) == (
        "us-jp-autos-paused",
        "paused",
        25,
    )
    assert [s["url"] for s in successor["sources"]] == ["https://example.org/pause"]


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["--rate", "15", "--status", "paused"], "give either --rate", 2),
        ([], "give either --rate", 2),
        (["--rate", "lots"], "--rate 'lots' is not a number", 2),
        (["--rate", "15", "--effective", "2025-04-03"], "not strictly inside", 2),
        (["--rate", "25"], "is the same as now", 2),
        (["--rate", "15", "--effective", "16/09/2025"], "is not a date", 2),
        (["--rate", "15", "--quote", "Cars pay 15%."], "quote: goes with a new source", 2),
    ],
)
def test_bad_change_is_refused_and_changes_nothing(
    db_file: Path, args: list[str], message: str, code: int
) -> None:
    add(db_file)
    before = digest(db_file)
    result = run(db_file, *CHANGE, *args)
    assert result.exit_code == code
    assert message in result.output
    assert digest(db_file) == before


def test_change_of_an_unknown_fact_exits_1(db_file: Path) -> None:
    run(db_file, "facts", "list")
    result = run(
        db_file,
        "facts",
        "change",
        "nope",
        "--effective",
        "2025-09-16",
        "--rate",
        "1",
        "--by",
        "bob",
        "--reason",
        "why not",
    )
    assert result.exit_code == 1 and "no fact with id 'nope'" in result.output


def test_update_help_points_to_change_for_a_change_in_the_world() -> None:
    text = CliRunner().invoke(main, ["facts", "update", "--help"]).output
    assert "Correct a fact" in text and "tradebot facts change" in text
    text = CliRunner().invoke(main, ["facts", "change", "--help"]).output
    assert "--effective" in text and "tradebot facts update" in text


def test_an_overlapping_add_is_one_line_naming_the_other_fact(db_file: Path) -> None:
    add(db_file)
    before = digest(db_file)
    other = [a if a != "us-jp-autos" else "us-jp-autos-2" for a in ADD]
    result = run(db_file, *other)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: us-jp-autos-2 overlaps us-jp-autos (3 Apr 2025 – no end) with the same "
        "importer, origins, products and authority; end that one first (tradebot facts "
        "change) or narrow the dates"
    ]
    assert digest(db_file) == before


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        (
            "--products",
            "steel,tofu",
            "--products 'tofu' is not a product group; use ids such as steel",
        ),
        ("--origins", "CN,Atlantis", "--origins 'Atlantis' is not a known party"),
        ("--origins", "all-except:", "--origins all-except: needs the parties left out"),
        ("--authority", "section-999", "--authority 'section-999' is not known; use one of: ieepa"),
        (
            "--rate-kind",
            "sometimes",
            "--rate-kind 'sometimes' is not known; use one of: additional",
        ),
    ],
)
def test_bad_measure_option_is_one_line_naming_option_and_known_values(
    db_file: Path, option: str, value: str, message: str
) -> None:
    run(db_file, "facts", "list")
    before = digest(db_file)
    result = run(db_file, *ADD, option, value)
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"error: {result.output.strip()[7:]}"]
    assert message in result.output
    assert digest(db_file) == before


def test_add_with_measure_options_and_show_them(db_file: Path) -> None:
    add(db_file, *MEASURE)
    shown = json.loads(run(db_file, "facts", "show", "us-jp-autos", "--json").output)
    assert shown["products"] == ["steel", "aluminum"]
    assert (shown["origins"], shown["origins_except"]) == (["WORLD"], ["GB", "CA"])
    assert (shown["authority"], shown["rate_kind"], shown["instrument"]) == (
        "section-232",
        "additional",
        "Proclamation 10947",
    )
    text = run(db_file, "facts", "show", "us-jp-autos").output
    assert "  products:   steel, aluminum" in text and "  authority:  section-232" in text
    listed = run(db_file, "facts", "list", "--kind", "tariff_rate").output
    assert "[steel, aluminum; WORLD except GB, CA; section-232]" in listed


def test_update_takes_the_measure_options(db_file: Path) -> None:
    add(db_file, *MEASURE)
    result = run(
        db_file,
        "facts",
        "update",
        "us-jp-autos",
        "--base-revision",
        "1",
        "--products",
        "",
        "--authority",
        "section-301",
        "--by",
        "bob",
        "--reason",
        "all goods, in fact",
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(run(db_file, "facts", "show", "us-jp-autos", "--json").output)
    assert "products" not in shown and shown["authority"] == "section-301"


def test_show_list_and_json_print_measure_fields_when_set(db_file: Path) -> None:
    """Written through the store, so this holds whatever the parser accepts."""
    run(db_file, "facts", "list")
    store = FactStore.open(db_file)
    store.put_source(
        Source("src-a", "https://example.org/a", "Example A", "Example News", date(2025, 6, 1))
    )
    base = store.parse(rate_fact())
    store.add(
        replace(
            base,
            exporter="WORLD",
            origins=("WORLD",),
            origins_except=("GB",),
            products=("steel",),
            authority="section-232",
            instrument="Proclamation 10947",
            rate_kind="floor",
        ),
        by=MOD,
        reason="seed",
    )
    store.close()
    text = run(db_file, "facts", "show", "xx-rate").output
    for line in (
        "  origins:    WORLD except GB",
        "  products:   steel",
        "  authority:  section-232",
        "  instrument: Proclamation 10947",
        "  rate kind:  floor",
    ):
        assert line in text.splitlines()
    assert "supersedes" not in text  # unset fields print nothing
    listed = run(db_file, "facts", "list", "--kind", "tariff_rate").output
    assert "[steel; WORLD except GB; section-232; floor]" in listed
    shown = json.loads(run(db_file, "facts", "show", "xx-rate", "--json").output)
    assert (shown["products"], shown["rate_kind"]) == (["steel"], "floor")
    plain = json.loads(run(db_file, "facts", "show", "us-cn-tariff-30", "--json").output)
    assert "products" not in plain and "authority" not in plain
