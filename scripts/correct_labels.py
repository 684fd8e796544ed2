"""Apply the documented label corrections to evaluation sets (see tests/eval/README.md).

An answer states the rate it replaced ("30% from 14 May 2025 (before: 145%)"), as the
specification asks. An item whose `must_not_include` forbids the rate that one of its
own expected rates replaced contradicts the specification, not the bot: that string is
dropped. Run by hand on a new set, before it is scored:

    .venv/bin/python scripts/correct_labels.py tests/eval/dev6.jsonl [--check]

Prints how many items changed (`--check`: changes nothing, exits 1 if any would).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.service import open_store  # noqa: E402


def correct(item: dict, facts: list) -> bool:
    """Drop a forbidden string that is the rate the expected rate replaced.

    Only tariff_rate answers (a rate_change answer names its "before" on purpose and its
    labels say which); the expected fact is the item's pair's fact carrying an expected
    rate, the one valid on the item's date when there are several ("10%" in 2026 is the
    extended 10%, which replaced 10%, not 125%).
    """
    if item.get("intent") != "tariff_rate" or item.get("outcome") != "answer":
        return False
    pair = (item.get("importer"), item.get("exporter"))
    expected = set(item.get("must_include", []))
    carrying = [f for f in facts if (f.importer, f.exporter) == pair and _pct(f.rate) in expected]
    day = date.fromisoformat(item["as_of"])
    valid = [
        f for f in carrying if f.valid_from <= day and (f.valid_to is None or day < f.valid_to)
    ]
    allowed = {
        _pct(before.rate)
        for fact in (valid or carrying)
        for before in facts
        if (before.importer, before.exporter) == pair and before.valid_to == fact.valid_from
    }
    kept = [s for s in item.get("must_not_include", []) if s not in allowed]
    if kept == item.get("must_not_include", []):
        return False
    item["must_not_include"] = kept
    return True


def _pct(rate: float | None) -> str | None:
    return None if rate is None else f"{rate:g}%"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    snapshot, _ = open_store(":memory:").snapshot()
    facts = [f for f in snapshot if f.kind == "tariff_rate"]
    changed_any = False
    for path in args.paths:
        lines = path.read_text(encoding="utf-8").splitlines()
        items = [json.loads(line) for line in lines if line.strip()]
        changed = sum(correct(item, facts) for item in items)
        changed_any |= bool(changed)
        print(f"{path}: {changed} of {len(items)} items corrected")
        if changed and not args.check:
            path.write_text(
                "".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8"
            )
    sys.exit(1 if args.check and changed_any else 0)


if __name__ == "__main__":
    main()
