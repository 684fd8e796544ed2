"""Long and odd-shaped questions: every one answered in under a second, none cut.

Run:  .venv/bin/python benchmarks/long_input.py [--limit SECONDS]

- answered: `Assistant.ask` on each shape at 2,000 characters (the longest question read,
  MAX_UNDERSTOOD_CHARS) and at 100 KB, 300 KB and 1 MB (answered "too long" without
  being read); the slowest of 3 runs, in seconds.
- engine (cap lifted): the same shapes read whole at 50 KB and 100 KB with the length
  cap switched off, to show the text scans themselves are linear (the ratio of the two
  times is ~2; a quadratic scan gives ~4). Before the fix, `tariff` + 100 KB of spaces +
  `china?` took seconds in `ask_part`'s `^(.+?)[,;]?\\s+now that` regex, and a question
  naming a party thousands of times made one whole-text search per name.
- cli: `tradebot ask --batch -` as a new process on a 300 KB line.

Exits 1 if any answer took `--limit` seconds (default 1) or more.
"""

from __future__ import annotations

import argparse
import random
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import bot.understand.engine as engine_module  # noqa: E402
from bot.service import Assistant, open_store  # noqa: E402
from bot.understand.text import MAX_UNDERSTOOD_CHARS  # noqa: E402

DAY = date(2025, 6, 1)
SIZES = (MAX_UNDERSTOOD_CHARS, 100_000, 300_000, 1_000_000)
LIFTED_SIZES = (50_000, 100_000)


def repeat(unit: str) -> Callable[[int], str]:
    return lambda n: (unit * (n // len(unit) + 1))[:n]


def random_text(n: int) -> str:
    rng = random.Random(n)
    return "".join(rng.choice(string.ascii_lowercase + "  .,?0123456789%'") for _ in range(n))


SHAPES: dict[str, Callable[[int], str]] = {
    "words 'tariff china'": repeat("tariff china "),
    "digits": repeat("7"),
    "numbers": repeat("12 "),
    "spaces inside": lambda n: "tariff" + " " * max(n - 12, 0) + "china?",
    "punctuation": repeat("?!.,;:"),
    "one long word": repeat("a"),
    "dates": repeat("on 1 May 2025 "),
    "iso dates": repeat("2025-05-01 "),
    "random": random_text,
    "abbreviations": repeat("U.S.A. D.C. "),
    "arrows": repeat("US->CN "),
    "possessives": repeat("china's "),
    "names": repeat("US xi trump "),
    "turns": repeat("now that "),
    "said + dates": repeat("bessent said in may "),
    "event clauses": repeat("after scotus killed the ieepa ones "),
    "unicode": repeat("é中→ "),
    "newlines": lambda n: "what is the tariff" + "\n" * max(n - 32, 0) + "now that china",
}


def slowest(assistant: Assistant, question: str, rounds: int = 3) -> float:
    """The slowest of `rounds` answers to `question`, in seconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        assistant.ask(question, DAY)
        times.append(time.perf_counter() - start)
    return max(times)


def answered(assistant: Assistant) -> dict[str, list[float]]:
    return {name: [slowest(assistant, make(n)) for n in SIZES] for name, make in SHAPES.items()}


def lifted(assistant: Assistant) -> dict[str, list[float]]:
    saved = engine_module.MAX_UNDERSTOOD_CHARS
    engine_module.MAX_UNDERSTOOD_CHARS = 10**9
    try:
        return {
            name: [slowest(assistant, make(n), rounds=1) for n in LIFTED_SIZES]
            for name, make in SHAPES.items()
        }
    finally:
        engine_module.MAX_UNDERSTOOD_CHARS = saved


def cli_seconds() -> float:
    exe = Path(sys.executable).with_name("tradebot")
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        subprocess.run([exe, "facts", "list", "--db", db], capture_output=True, check=True)
        line = ("tariff china " * 25_000).encode()
        start = time.perf_counter()
        subprocess.run(
            [exe, "ask", "--batch", "-", "--db", db], input=line, capture_output=True, check=True
        )
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=1.0)
    args = parser.parse_args()
    assistant = Assistant(open_store(":memory:"))
    assistant.ask("warm up: US tariff on China", DAY)
    head = "".join(f"{n:>10,}" for n in SIZES)
    print(f"answered (slowest of 3, seconds)\n{'shape':<22}{head}")
    worst = 0.0
    for name, times in answered(assistant).items():
        worst = max(worst, *times)
        print(f"{name:<22}" + "".join(f"{t:>10.4f}" for t in times))
    head = "".join(f"{n:>10,}" for n in LIFTED_SIZES)
    print(f"\nengine with the cap lifted (seconds; ratio ~2 = linear)\n{'shape':<22}{head}  ratio")
    for name, (small, large) in lifted(assistant).items():
        print(f"{name:<22}{small:>10.4f}{large:>10.4f}  {large / max(small, 1e-6):5.1f}")
    cli = cli_seconds()
    print(f"\ncli: tradebot ask --batch - on a 325 KB line: {cli:.2f} s (process start included)")
    print(f"\nslowest in-process answer: {worst:.4f} s (limit {args.limit} s)")
    return 0 if worst < args.limit else 1


if __name__ == "__main__":
    sys.exit(main())
