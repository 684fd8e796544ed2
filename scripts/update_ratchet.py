"""Rewrite tests/eval/ratchet.txt: the ids of every evaluation item that passes now.

Run after a change that makes items pass (the list grows) or, when items stop passing
for a reason the commit states (new facts make an old label wrong), to accept that.
Prints how many ids were added and dropped; never prints an item.
"""

from __future__ import annotations

from pathlib import Path

from bot.evaluation import evaluate, load_items
from bot.service import Assistant, open_store

EVAL = Path(__file__).resolve().parent.parent / "tests" / "eval"


def main() -> None:
    assistant = Assistant(open_store(":memory:"))
    passing: set[str] = set()
    for path in sorted(EVAL.glob("*.jsonl")):
        passing |= {r.item["id"] for r in evaluate(assistant, load_items(path)) if r.ok}
    ratchet = EVAL / "ratchet.txt"
    before = set(ratchet.read_text(encoding="utf-8").split()) if ratchet.exists() else set()
    ratchet.write_text("\n".join(sorted(passing)) + "\n", encoding="utf-8")
    print(f"{len(passing)} passing; added {len(passing - before)}, dropped {len(before - passing)}")


if __name__ == "__main__":
    main()
