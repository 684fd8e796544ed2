"""`tradebot sources list|show|history|edit` and source rules at the CLI door."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.test_cli import ADD, digest, run

SOURCE = "britishwire-2025-05-30"


def edit(db: Path, *options: str):
    return run(
        db, "sources", "edit", SOURCE, *options, "--by", "alice", "--reason", "typo in title"
    )


def test_list_and_show_name_every_source_and_its_facts(db_file: Path) -> None:
    listed = json.loads(run(db_file, "sources", "list", "--json").output)
    row = next(r for r in listed if r["id"] == SOURCE)
    assert (
        row["url"].startswith("https://britishwire.com/") and "us-cn-tariff-30" in row["cited_by"]
    )
    shown = run(db_file, "sources", "show", SOURCE)
    assert shown.exit_code == 0 and "British Wire" in shown.output and "edits: 0" in shown.output


def test_edit_is_a_revision_shown_in_source_and_fact_history(db_file: Path) -> None:
    result = edit(db_file, "--title", "Talks lose momentum", "--published", "2025-05-31")
    assert result.exit_code == 0, result.output
    assert f"edited source {SOURCE} (revision 2" in result.output
    history = json.loads(run(db_file, "sources", "history", SOURCE, "--json").output)
    [rev] = history
    assert rev["author"] == "alice" and rev["reason"] == "typo in title"
    assert (
        rev["changed"] == ["title", "published"] and rev["after"]["title"] == "Talks lose momentum"
    )
    assert rev["before"]["published"] == "2025-05-30"
    shown = json.loads(run(db_file, "sources", "show", SOURCE, "--json").output)
    assert shown["title"] == "Talks lose momentum" and shown["published"] == "2025-05-31"
    fact_history = run(db_file, "facts", "history", "us-cn-tariff-30").output
    assert "1 edit(s) of its sources:" in fact_history
    assert f"source {SOURCE} r2" in fact_history and "→ Talks lose momentum" in fact_history


def test_bad_edits_exit_2_name_the_field_and_change_nothing(db_file: Path) -> None:
    run(db_file, "facts", "list")
    before = digest(db_file)
    future = edit(db_file, "--published", "2099-01-01")
    assert future.exit_code == 2 and "published: 2099-01-01 is after today" in future.output
    nothing = run(db_file, "sources", "edit", SOURCE, "--by", "alice", "--reason", "why")
    assert nothing.exit_code == 2 and "give at least one of --title" in nothing.output
    unknown = run(
        db_file, "sources", "edit", "nope", "--title", "T", "--by", "a", "--reason", "why"
    )
    assert unknown.exit_code == 1 and "no source with id 'nope'" in unknown.output
    assert digest(db_file) == before


def test_loading_the_old_file_after_an_edit_names_the_difference(db_file: Path) -> None:
    edit(db_file, "--title", "Talks lose momentum")
    result = run(db_file, "facts", "load")
    assert result.exit_code == 2
    assert (
        "is already cited as 'Talks lose momentum' (you gave 'US-China trade talks" in result.output
    )
    assert f"`tradebot sources edit {SOURCE}`" in result.output


def test_fact_add_re_citing_a_url_with_another_title_is_refused(db_file: Path) -> None:
    assert run(db_file, *ADD).exit_code == 0
    before = digest(db_file)
    again = [*ADD]
    again[again.index("us-jp-autos")] = "us-jp-autos-2"
    again[again.index("Car tariffs")] = "Car tariffs, revised"
    result = run(db_file, *again)
    assert result.exit_code == 2
    assert (
        "source_title: https://example.org/autos is already cited as 'Car tariffs'" in result.output
    )
    assert digest(db_file) == before


def test_fact_add_can_cite_a_stored_source_by_url_alone(db_file: Path) -> None:
    assert run(db_file, *ADD).exit_code == 0
    cut = ADD.index("--source-title")
    again = [*ADD[:cut], *ADD[cut + 6 :]]
    again[again.index("us-jp-autos")] = "us-jp-autos-2"
    again[again.index("JP")] = "KR"  # the same scope and time would overlap the first
    result = run(db_file, *again)
    assert result.exit_code == 0, result.output
    shown = json.loads(run(db_file, "facts", "show", "us-jp-autos-2", "--json").output)
    assert [s["title"] for s in shown["sources"]] == ["Car tariffs"]


def test_source_options_without_a_url_are_a_usage_error(db_file: Path) -> None:
    cut = ADD.index("--source-url")
    result = run(db_file, *ADD[:cut], *ADD[cut + 2 :])
    assert result.exit_code == 2 and "give --source-url too" in result.output


def test_deceptive_source_url_is_refused(db_file: Path) -> None:
    bad = [*ADD]
    bad[bad.index("https://example.org/autos")] = "https://www.ustr.gov@evil.example/x"
    result = run(db_file, *bad)
    assert (
        result.exit_code == 2 and "source_url:" in result.output and "user@ part" in result.output
    )


def test_export_refusing_a_path_outside_is_one_line_exit_1(db_file: Path, tmp_path: Path) -> None:
    run(db_file, "facts", "list")
    with sqlite3.connect(db_file) as conn:
        conn.execute("UPDATE facts SET topic = '../escaped' WHERE id = 'us-cn-tariff-30'")
    result = run(db_file, "facts", "export", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "topic '../escaped' cannot be a file name" in result.output
    assert not (tmp_path / "escaped.toml").exists()


def test_stored_text_is_printed_without_terminal_escapes(db_file: Path) -> None:
    assert edit(db_file, "--title", "Plain \x1b]0;owned\x07 \x1b[31mred").exit_code == 0
    for args in (("show", SOURCE), ("history", SOURCE), ("list",)):
        assert "\x1b" not in run(db_file, "sources", *args).output
