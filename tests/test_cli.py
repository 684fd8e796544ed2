"""The `tradebot` CLI end to end (click's CliRunner), including bad input and exit codes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main

ADD = [
    "facts",
    "add",
    "--id",
    "us-jp-autos",
    "--kind",
    "tariff_rate",
    "--importer",
    "US",
    "--exporter",
    "JP",
    "--rate",
    "25",
    "--statement",
    "The US applies 25% to Japanese cars.",
    "--valid-from",
    "2025-04-03",
    "--source-url",
    "https://example.org/autos",
    "--source-title",
    "Car tariffs",
    "--source-publisher",
    "Example News",
    "--source-published",
    "2025-04-02",
    "--by",
    "alice",
    "--reason",
    "new tariff",
]


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--db", str(db)], catch_exceptions=False)


def digest(db: Path) -> str:
    h = hashlib.sha256()
    for suffix in ("", "-wal"):
        path = Path(str(db) + suffix)
        if path.exists():
            h.update(path.read_bytes())
    return h.hexdigest()


def test_first_command_creates_database_with_bundled_facts(db_file: Path) -> None:
    result = run(db_file, "facts", "list", "--json")
    assert result.exit_code == 0
    facts = json.loads(result.output)
    assert db_file.exists() and len(facts) > 20
    for fact in facts:
        assert {"id", "kind", "valid_from", "valid_to", "sources"} <= set(fact)
        assert fact["sources"] and {"url", "title"} <= set(fact["sources"][0])


def test_list_as_of_and_kind_filter(db_file: Path) -> None:
    result = run(
        db_file, "facts", "list", "--kind", "tariff_rate", "--as-of", "2025-06-01", "--json"
    )
    listed = json.loads(result.output)
    assert listed and all(f["kind"] == "tariff_rate" for f in listed)
    assert all(f["valid_from"] <= "2025-06-01" for f in listed)
    assert all(f["valid_to"] is None or f["valid_to"] > "2025-06-01" for f in listed)
    rates = {f["id"]: f["rate"] for f in listed}
    assert rates["us-cn-tariff-30"] == 30 and rates["cn-us-tariff-10"] == 10
    assert "us-cn-tariff-145" not in rates  # ended on 14 May 2025


def test_db_path_comes_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "env.db"
    monkeypatch.setenv("TRADEBOT_DB", str(target))
    result = CliRunner().invoke(main, ["facts", "list"])
    assert result.exit_code == 0 and target.exists()


def test_show_and_history(db_file: Path) -> None:
    shown = run(db_file, "facts", "show", "us-cn-tariff-30")
    assert "30%" in shown.output and "britishwire.com" in shown.output
    assert "“US tariffs on Chinese goods were lowered from 145% to 30%”" in shown.output
    history = run(db_file, "facts", "history", "us-cn-tariff-30")
    assert "r1" in history.output and "file:facts/us-china.toml" in history.output


def test_add_update_retract_undo_flow(db_file: Path) -> None:
    added = run(db_file, *ADD)
    assert added.exit_code == 0, added.output
    updated = run(
        db_file,
        "facts",
        "update",
        "us-jp-autos",
        "--base-revision",
        "1",
        "--rate",
        "15",
        "--statement",
        "The US applies 15% to Japanese cars.",
        "--by",
        "bob",
        "--reason",
        "deal signed",
    )
    assert updated.exit_code == 0, updated.output
    assert "rate: 25.0 → 15.0" in updated.output
    retracted = run(
        db_file, "facts", "retract", "us-jp-autos", "--by", "carol", "--reason", "duplicate"
    )
    assert retracted.exit_code == 0
    undone = run(db_file, "facts", "undo", "us-jp-autos", "--by", "carol", "--reason", "oops")
    assert undone.exit_code == 0
    history = json.loads(run(db_file, "facts", "history", "us-jp-autos", "--json").output)
    assert [(h["action"], h["author"]) for h in history] == [
        ("create", "alice"),
        ("update", "bob"),
        ("retract", "carol"),
        ("undo", "carol"),
    ]
    shown = json.loads(run(db_file, "facts", "show", "us-jp-autos", "--json").output)
    assert shown["rate"] == 15 and not shown["retracted"]
    assert shown["sources"][0]["url"] == "https://example.org/autos"


def test_stale_base_revision_is_a_conflict(db_file: Path) -> None:
    run(db_file, *ADD)
    run(
        db_file,
        "facts",
        "update",
        "us-jp-autos",
        "--base-revision",
        "1",
        "--rate",
        "15",
        "--statement",
        "The US applies 15% to Japanese cars.",
        "--by",
        "bob",
        "--reason",
        "first edit",
    )
    before = json.loads(run(db_file, "facts", "history", "us-jp-autos", "--json").output)
    result = run(
        db_file,
        "facts",
        "update",
        "us-jp-autos",
        "--base-revision",
        "1",
        "--rate",
        "20",
        "--by",
        "alice",
        "--reason",
        "late edit",
    )
    assert result.exit_code == 1
    assert "changed by bob" in result.output and "nothing was written" in result.output
    # The fact and its revisions are untouched; the refused attempt is in the audit trail.
    assert json.loads(run(db_file, "facts", "history", "us-jp-autos", "--json").output) == before
    shown = json.loads(run(db_file, "facts", "show", "us-jp-autos", "--json").output)
    assert shown["rate"] == 15 and shown["revision"] == 2
    history = run(db_file, "facts", "history", "us-jp-autos").output
    assert "refused" in history and "alice edited revision 1 after it became r2" in history


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        (("--rate", "2000"), "rate:"),
        (("--valid-from", "2025-13-01"), "valid_from: '2025-13-01' is not a date"),
        (("--source-url", "http://example.org/autos"), "source_url:"),
        (("--importer", "Atlantis"), "importer:"),
        (("--kind", "tariff_rate", "--valid-to", "2025-01-01"), "valid_to:"),
    ],
)
def test_bad_input_exits_2_names_the_field_and_leaves_db_unchanged(
    db_file: Path, replace: tuple[str, ...], expected: str
) -> None:
    run(db_file, "facts", "list")  # create the database first
    before = digest(db_file)
    args = list(ADD)
    for flag, value in zip(replace[::2], replace[1::2], strict=True):
        if flag in args:
            args[args.index(flag) + 1] = value
        else:
            args += [flag, value]
    result = run(db_file, *args)
    assert result.exit_code == 2
    assert expected in result.output and "nothing was changed" in result.output
    assert digest(db_file) == before


def test_unknown_fact_exits_1_with_hint(db_file: Path) -> None:
    result = run(db_file, "facts", "show", "nope")
    assert result.exit_code == 1 and "facts list" in result.output


def test_malformed_as_of_is_a_usage_error(db_file: Path) -> None:
    result = run(db_file, "facts", "list", "--as-of", "yesterday")
    assert result.exit_code == 2 and "not a date" in result.output


def test_export_then_load_round_trip_via_cli(db_file: Path, tmp_path: Path) -> None:
    run(db_file, *ADD)
    out = tmp_path / "export"
    assert run(db_file, "facts", "export", str(out)).exit_code == 0
    assert (out / "us-china.toml").exists() and (out / "moderated.toml").exists()
    other = tmp_path / "other.db"
    # A new database loads the bundled facts first; loading the export adds the rest.
    loaded = run(other, "facts", "load", str(out))
    assert loaded.exit_code == 0 and "1 created" in loaded.output
    original = json.loads(run(db_file, "facts", "list", "--json").output)
    copy = json.loads(run(other, "facts", "list", "--json").output)
    strip = lambda facts: [{k: v for k, v in f.items() if k != "revision"} for f in facts]  # noqa: E731
    assert strip(copy) == strip(original)


def test_load_of_invalid_file_reports_and_changes_nothing(db_file: Path, tmp_path: Path) -> None:
    run(db_file, "facts", "list")
    before = digest(db_file)
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "Bad"\n[[facts]]\nid = "x1"\nkind = "tariff_rate"\n')
    result = run(db_file, "facts", "load", str(bad))
    assert result.exit_code == 2
    assert "bad.toml, fact x1: statement: is required" in result.output
    assert digest(db_file) == before


def test_every_command_has_help_text() -> None:
    def walk(group, prefix=()):
        for name, command in group.commands.items():
            yield (*prefix, name), command
            if hasattr(command, "commands"):
                yield from walk(command, (*prefix, name))

    for path, command in walk(main):
        assert command.help, path
        result = CliRunner().invoke(main, [*path, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_run_without_token_is_a_one_line_error(db_file: Path, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    result = CliRunner().invoke(main, ["run", "--db", str(db_file)])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "DISCORD_TOKEN" in result.output and ".env.example" in result.output


def test_export_formats_via_cli(db_file: Path, tmp_path: Path) -> None:
    for fmt, expected in (("json", "us-china.json"), ("csv", "facts.csv")):
        out = tmp_path / fmt
        result = run(db_file, "facts", "export", str(out), "--format", fmt)
        assert result.exit_code == 0 and (out / expected).exists()
    bad = CliRunner().invoke(
        main, ["facts", "export", str(tmp_path / "x"), "--format", "xml", "--db", str(db_file)]
    )
    assert bad.exit_code == 2


def test_moderator_input_that_is_not_utf8_is_stored_as_text(db_file: Path) -> None:
    """A byte that is not UTF-8 in an option (a lone surrogate in argv) is read as U+FFFD,
    not carried into SQLite, where it crashed the write."""
    args = [*ADD[: ADD.index("--reason") + 1], "new tariff \udc9b", "--db", str(db_file)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    history = CliRunner().invoke(
        main, ["facts", "history", "us-jp-autos", "--json", "--db", str(db_file)]
    )
    assert json.loads(history.output)[0]["reason"] == "new tariff \ufffd"
