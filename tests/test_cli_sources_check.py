"""`tradebot sources check|leads|dismiss|link`: the Federal Register watcher at the CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.feeds.client import FederalRegisterClient, FeedError
from tests.feeds.common import FIXTURES, RELEVANT
from tests.test_cli import digest, run

ALL = str(FIXTURES / "documents_all.json")


def check(db: Path, *options: str):
    return run(db, "sources", "check", "--feed-file", ALL, *options)


def lines_json(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_check_prints_relevant_documents_once(db_file: Path) -> None:
    first = check(db_file)
    assert first.exit_code == 0, first.output
    assert "2025-02833  2025-02-18  Presidential Document: Adjusting Imports of Steel" in (
        first.output
    )
    assert "relevant: title mentions 'Adjusting Imports'" in first.output
    assert "2025-04875" not in first.output  # an antidumping review: not relevant
    assert "8 new document(s), 5 relevant; stored as leads." in first.output
    again = check(db_file)
    assert again.exit_code == 0 and again.output.strip() == "No new documents."


def test_json_is_one_object_per_line_with_the_keys(db_file: Path) -> None:
    result = check(db_file, "--json", "--all")
    rows = lines_json(result.output)
    assert len(rows) == 8
    for row in rows:
        assert {
            "document_number",
            "title",
            "type",
            "publication_date",
            "html_url",
            "agencies",
            "relevant",
            "why",
        } <= set(row)
        assert isinstance(row["relevant"], bool) and isinstance(row["agencies"], list)
    assert {r["document_number"] for r in rows if r["relevant"]} == RELEVANT
    review = next(r for r in rows if r["document_number"] == "2025-04875")
    assert "'Administrative Review' (excluded)" in review["why"]
    assert lines_json(check(db_file, "--json").output) == []


def test_since_leaves_older_documents_out(db_file: Path) -> None:
    rows = lines_json(check(db_file, "--json", "--since", "2025-04-01").output)
    assert {r["document_number"] for r in rows} == {"2025-07676", "2025-06063"}
    later = lines_json(check(db_file, "--json").output)  # the rest is new on the next run
    assert {r["document_number"] for r in later} == RELEVANT - {"2025-07676", "2025-06063"}
    bad = check(db_file, "--since", "May 2025")
    assert bad.exit_code == 2 and "--since 'May 2025' is not a date" in bad.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad_date", None, "result 2 (2025-06244): `publication_date` is missing"),
        ("not_json", "<html>", "is not a JSON documents.json response"),
        ("list", "[1]", "must be a JSON object with `results`"),
    ],
)
def test_a_bad_feed_file_is_one_line_and_changes_nothing(
    db_file: Path, tmp_path: Path, name: str, content: str | None, message: str
) -> None:
    run(db_file, "sources", "list")  # the database exists
    before = digest(db_file)
    path = FIXTURES / "documents_bad_date.json"
    if content is not None:
        path = tmp_path / f"{name}.json"
        path.write_text(content, encoding="utf-8")
    result = run(db_file, "sources", "check", "--feed-file", str(path))
    assert result.exit_code == 2
    [line] = result.output.strip().splitlines()
    assert line.startswith("error: ") and message in line and "nothing was stored" in line
    assert digest(db_file) == before
    missing = run(db_file, "sources", "check", "--feed-file", str(tmp_path / "none.json"))
    assert missing.exit_code == 2 and "cannot read" in missing.output


def test_a_network_failure_names_the_host_and_suggests_a_feed_file(
    db_file: Path, monkeypatch
) -> None:
    asked = []

    async def unreachable(self, query, since):
        asked.append(since)
        raise FeedError("www.federalregister.gov could not be read after 5 tries (timed out)")

    monkeypatch.setattr(FederalRegisterClient, "fetch", unreachable)
    result = run(db_file, "sources", "check", "--since", "2025-05-01")
    assert result.exit_code == 1 and asked and str(asked[0]) == "2025-05-01"
    [line] = result.output.strip().splitlines()
    assert "www.federalregister.gov could not be read" in line and "--feed-file" in line


def test_leads_dismiss_and_link(db_file: Path) -> None:
    check(db_file)
    listed = lines_json(run(db_file, "sources", "leads", "--state", "new", "--json").output)
    assert {r["document_number"] for r in listed} == RELEVANT
    dismissed = run(
        db_file, "sources", "dismiss", "2025-02832", "--reason", "same as steel", "--by", "alice"
    )
    assert dismissed.exit_code == 0 and "dismissed 2025-02832" in dismissed.output
    before = digest(db_file)
    unknown = run(db_file, "sources", "link", "2025-02833", "us-cn-tariff-30", "no-such-fact")
    assert unknown.exit_code == 1
    [line] = unknown.output.strip().splitlines()
    assert "no fact with id 'no-such-fact'" in line and "Nothing was changed" in line
    assert digest(db_file) == before
    linked = run(db_file, "sources", "link", "2025-02833", "us-cn-tariff-30", "--by", "alice")
    assert linked.exit_code == 0 and "linked 2025-02833 to us-cn-tariff-30" in linked.output
    text = run(db_file, "sources", "leads", "--state", "dismissed").output
    assert "[dismissed] 2025-02832" in text and "dismissed by alice: same as steel" in text
    conn = sqlite3.connect(db_file)
    states = dict(conn.execute("SELECT document_number, state FROM source_leads").fetchall())
    conn.close()
    assert states["2025-02833"] == "linked" and states["2025-04875"] == "new"
    nothing = run(db_file, "sources", "dismiss", "nope", "--reason", "x")
    assert nothing.exit_code == 1 and "no lead for document 'nope'" in nothing.output


def test_the_existing_sources_commands_still_work(db_file: Path) -> None:
    assert run(db_file, "sources", "list").exit_code == 0
    usage = CliRunner().invoke(main, ["sources", "--help"]).output
    assert all(name in usage for name in ("check", "leads", "dismiss", "link", "edit"))
