"""Answer latency in-process (shipped size and at scale) and one-shot CLI wall time.

Run:  .venv/bin/python benchmarks/latency.py

- shipped: the bundled facts and rules, every question of tests/eval/*.jsonl, 5 rounds;
- scale: 10,000 synthetic tariff facts (100 importers x 100 exporters) plus 2,000
  synthetic phrasings added to the rules, same questions;
- cli: `tradebot ask` as a new process, 10 runs (database already created).

In-process runs freeze the start-up heap (`gc.freeze()`), as the bot does after start-up.
"""

from __future__ import annotations

import gc
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.evaluation import load_items  # noqa: E402
from bot.service import Assistant, open_store  # noqa: E402
from bot.store import Author, FactStore, Source  # noqa: E402
from bot.understand.rules import INTENT_NAMES, load_rules, with_extra_examples  # noqa: E402


def questions() -> list[tuple[str, date]]:
    out = []
    for path in sorted((ROOT / "tests" / "eval").glob("*.jsonl")):
        out += [(i["question"], date.fromisoformat(i["as_of"])) for i in load_items(path)]
    return out


def percentiles(samples: list[float]) -> dict[str, float]:
    samples = sorted(samples)
    pick = lambda p: samples[min(len(samples) - 1, int(p * len(samples)))]  # noqa: E731
    return {
        "n": len(samples),
        "p50_ms": round(pick(0.50) * 1e3, 3),
        "p99_ms": round(pick(0.99) * 1e3, 3),
        "max_ms": round(samples[-1] * 1e3, 3),
        "mean_ms": round(statistics.fmean(samples) * 1e3, 3),
    }


def measure(assistant: Assistant, qs: list[tuple[str, date]], rounds: int) -> dict[str, float]:
    for q, d in qs[:50]:
        assistant.ask(q, d)  # warm up
    # As the bot does after start-up (bot/client.py): the long-lived index and rules are
    # moved out of the collector's generations, so collections stay small.
    gc.collect()
    gc.freeze()
    samples = []
    for _ in range(rounds):
        for q, d in qs:
            start = time.perf_counter()
            assistant.ask(q, d)
            samples.append(time.perf_counter() - start)
    return percentiles(samples)


def scaled_assistant() -> Assistant:
    store = open_store(":memory:")
    rng = random.Random(7)
    add_synthetic_facts(store, rng)
    extra = [
        (
            INTENT_NAMES[k % len(INTENT_NAMES)],
            f"synthetic phrasing number {k} about "
            f"{rng.choice(['tariffs', 'talks', 'the truce', 'courts'])} and {{country}}",
        )
        for k in range(2000)
    ]
    return Assistant(store, rules=with_extra_examples(load_rules(), extra))


def add_synthetic_facts(store: FactStore, rng: random.Random) -> None:
    """About 10,000 synthetic tariff facts (100 importers x 100 exporters), one source;
    also used by benchmarks/load.py --scale."""
    vocab = store.vocab
    codes = [c for c, e in vocab.parties.items() if e.kind == "country"][:100]
    store.put_source(
        Source(
            "synthetic",
            "https://example.org/synthetic",
            "Synthetic facts",
            "Benchmark",
            date(2025, 1, 1),
        )
    )
    with store.transaction():
        for i, importer in enumerate(codes):
            for j, exporter in enumerate(codes):
                if importer == exporter or (importer, exporter) in (("US", "CN"), ("CN", "US")):
                    continue
                store.add(
                    {
                        "id": f"syn-{i}-{j}",
                        "kind": "tariff_rate",
                        "importer": importer,
                        "exporter": exporter,
                        "rate": rng.randint(0, 60),
                        "statement": f"Synthetic tariff {importer} on {exporter}.",
                        "valid_from": "2025-01-01",
                        "recorded": "2025-01-01",
                        "citations": [{"source": "synthetic"}],
                    },
                    by=Author("benchmark"),
                    reason="synthetic load",
                )


def adversarial(assistant: Assistant) -> dict[str, object]:
    """The slowest answer among inputs built to stress regexes and fuzzy matching."""
    day = date(2025, 6, 1)
    cases = {
        "4000 chars of a real question": ("what is the US tariff on China " * 140)[:4000],
        "4000 chars of one letter": "a" * 4000,
        "4000 chars of digits and %": "1% " * 1333,
        "nested brackets": "(" * 2000 + "tariff" + ")" * 2000,
        "zero-width soup": "\u200b".join("tariff china") * 300,
        "many country names": " ".join(["china japan korea india brazil"] * 150),
        "many dates": " ".join(["on 1 May 2025"] * 300),
        "mentions": " ".join(["<@123456789012345678> @everyone"] * 120),
        "sql": "'; DROP TABLE facts; -- " * 150,
        "unicode": "🇨🇳中国关税是多少？" * 300,
    }
    worst = ("", 0.0)
    for name, text in cases.items():
        start = time.perf_counter()
        answer = assistant.ask(text, day)
        elapsed = time.perf_counter() - start
        assert len(answer.text) <= 2000
        if elapsed > worst[1]:
            worst = (name, elapsed)
    return {"cases": len(cases), "worst_case": worst[0], "worst_ms": round(worst[1] * 1e3, 2)}


def cli_wall_time(runs: int = 10) -> dict[str, float]:
    exe = Path(sys.executable).parent / "tradebot"
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        cmd = [str(exe), "ask", "What is the US tariff on Chinese goods?", "--db", str(db)]
        subprocess.run(cmd, check=True, capture_output=True)  # creates the database
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            samples.append(time.perf_counter() - start)
    return {
        "runs": runs,
        "median_s": round(statistics.median(samples), 3),
        "max_s": round(max(samples), 3),
    }


def main() -> None:
    qs = questions()
    started = time.perf_counter()
    shipped = Assistant(open_store(":memory:"))
    startup = time.perf_counter() - started
    report = {"startup_s": round(startup, 3), "shipped": measure(shipped, qs, rounds=5)}
    started = time.perf_counter()
    scaled = scaled_assistant()
    report["scale_build_s"] = round(time.perf_counter() - started, 2)
    scaled.index.refresh()
    report["scale_facts"] = len(scaled.index.facts)
    report["scale_phrasings"] = sum(len(i.examples) for i in scaled.rules.intents.values())
    report["scale"] = measure(scaled, qs, rounds=2)
    report["adversarial_worst_case"] = adversarial(shipped)
    report["cli_one_shot"] = cli_wall_time()
    start = time.perf_counter()
    count = 0
    while time.perf_counter() - start < 3:
        for q, d in qs:
            shipped.ask(q, d)
            count += 1
    report["questions_per_second_one_core"] = round(count / (time.perf_counter() - start))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
