"""List the older evaluation items whose label predates the facts that now answer them.

The sets before `indep1` were written against the first facts (the seed article and the
research timeline: US–China, the court cases, Japan, a global surcharge). Issue 13 added
sourced facts for every major partner and product. An item labelled `no_record` (or
expecting the older all-goods answer) that is now answered with one of those newer facts
has a stale label: the research found a record its author could not see. The rule is
mechanical and does not look at whether the new answer is right:

    stale  = the item fails, and the answer uses a fact that is not in FIRST_FACTS

Issue 15 changed what a question about now, asked after the records end, gets: "no
record", then the latest record framed as past (its value included). An older item
labelled `no_record` that forbade that value (`must_not_include`) is stale too:

    stale  = the item is labelled and answered `no_record`, the answer gives the latest
             record (`last_day`), and its only failures are forbidden strings it contains

and an older item labelled `answer` that is now a `no_record` because every fact the
answer states lapsed by its date — a scheduled end or a deadline passed with nothing
recorded after it ("when does the truce end?" asked after 10 Nov 2026):

    stale  = the item is labelled `answer`, answered `no_record`, its only failure is the
             outcome, and every fact the answer states lapsed by the item's date

Run after the facts change; it rewrites tests/eval/stale.txt (one `set id` per line).
`benchmarks/accuracy.py` reports the older sets with and without these items.

    .venv/bin/python scripts/stale_labels.py [--check]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.due import lapsed  # noqa: E402
from bot.evaluation import evaluate, load_items  # noqa: E402
from bot.service import Assistant, open_store  # noqa: E402

FIRST_FACTS_COMMIT = "d6f4925"  # the last commit before issue 13's facts
FIRST_FILES = ("us-china.toml", "us-courts.toml", "us-japan.toml", "us-global.toml")
OUT = ROOT / "tests" / "eval" / "stale.txt"
OLDER = ("dev", "heldout")  # set names starting so; the independent sets are current


def first_fact_ids() -> set[str]:
    """The fact ids of the facts files as they were before issue 13 (from git)."""
    ids: set[str] = set()
    for name in FIRST_FILES:
        text = subprocess.run(
            ["git", "show", f"{FIRST_FACTS_COMMIT}:facts/{name}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        ids |= {f["id"] for f in tomllib.loads(text).get("facts", [])}
    return ids


def stale_items() -> list[str]:
    first = first_fact_ids()
    assistant = Assistant(open_store(":memory:"))
    out = []
    for path in sorted((ROOT / "tests" / "eval").glob("*.jsonl")):
        if not path.stem.startswith(OLDER):
            continue
        for result in evaluate(assistant, load_items(path)):
            if result.ok:
                continue
            newer = [
                i for i in result.answer.facts if i not in first and not i.startswith("stacking:")
            ]
            if newer or _latest_record_given(result) or _lapsed_since(result, assistant):
                out.append(f"{path.stem} {result.item['id']}")
    return out


def _latest_record_given(result) -> bool:
    answer = result.answer
    return (
        result.item.get("outcome") == "no_record"
        and answer.outcome == "no_record"
        and answer.last_day is not None
        and all(f.startswith("contains ") for f in result.failures)
    )


def _lapsed_since(result, assistant: Assistant) -> bool:
    answer, index = result.answer, assistant.index
    stated = [index.by_id[i] for i in answer.facts if i in index.by_id]
    return (
        result.item.get("outcome") == "answer"
        and answer.outcome == "no_record"
        and [f.split()[0] for f in result.failures] == ["outcome"]
        and bool(stated)
        and all(lapsed(f, index.following(f), answer.as_of) for f in stated)
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    args = parser.parse_args()
    lines = stale_items()
    text = "".join(f"{line}\n" for line in lines)
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        return 0 if current == text else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"{len(lines)} items with stale labels written to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
