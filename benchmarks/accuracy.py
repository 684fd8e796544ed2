"""Accuracy, invented numbers and out-of-scope rejection, against a TF-IDF baseline.

Run:  .venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/accuracy.py

Sets: tests/eval/dev.jsonl, dev2 ... dev6 (rules were tuned on these),
tests/eval/heldout.jsonl and heldout2.jsonl (never used for tuning),
CLINC150 val and oos_val (out of scope; vendored with their licence in
tests/data_external/clinc150/; thresholds were tuned on train, which is not vendored).
The baseline is a TF-IDF character n-gram +
LogisticRegression classifier trained on the same intent example phrasings, with
"out of scope" when its top probability is below a threshold chosen on the dev sets.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.evaluation import accuracy, evaluate, load_items, outcome_of  # noqa: E402
from bot.service import Assistant, open_store  # noqa: E402
from bot.understand.engine import SCORERS  # noqa: E402
from bot.understand.rules import load_rules  # noqa: E402

EVAL = ROOT / "tests" / "eval"
CLINC = ROOT / "tests" / "data_external" / "clinc150" / "clinc150_val.json"
CLINC_SPLITS = ("val", "oos_val")
DAY = date(2025, 7, 1)


# used for tuning
DEV_SETS = (
    "dev",
    "dev2",
    "dev3",
    "dev4",
    "dev5",
    "dev6",
    "dev7",
    "dev8",
    "dev9",
    "dev10",
    "dev11",
    "dev12",
    "dev13",
    "dev14",
    "dev15",
    "dev16",
    "dev17",
    "dev18",
    "dev19",
    "dev20",
    "dev21",
    "dev22",
    "dev23",
    "dev24",
    "dev25",
    "dev26",
    "dev27",
    "dev28",
    "dev29",
    "dev30",
    "dev31",
    "dev32",
    "dev33",
    "dev34",
    "dev35",
    "dev36",
    "dev37",
)
HARD_NEGATIVES = ("dev_oos",)
HELDOUT_SETS = (
    "heldout",
    "heldout2",
    "heldout3",
    "heldout4",
    "heldout5",
    "heldout6",
    "heldout7",
    "heldout8",
)  # measured only
# Written from the source documents only (no intents, rules or facts); items carry
# `form` and `lang`, no `intent`. indep1 is for development; sealed_indep1 is never read.
INDEPENDENT_SETS = (
    "indep1",
    "sealed_indep1",
    "indep2",
    "sealed_indep2",
    "indep3",
    "sealed_indep3",
)
STALE = EVAL / "stale.txt"  # older items whose label predates the issue-13 facts


def stale_ids() -> set[tuple[str, str]]:
    if not STALE.exists():
        return set()
    lines = STALE.read_text(encoding="utf-8").splitlines()
    return {tuple(line.split(maxsplit=1)) for line in lines if line.strip()}  # type: ignore[misc]


def sets() -> dict[str, list[dict]]:
    found = {
        name: load_items(EVAL / f"{name}.jsonl")
        for name in (*DEV_SETS, *HARD_NEGATIVES, *HELDOUT_SETS, *INDEPENDENT_SETS)
        if (EVAL / f"{name}.jsonl").exists()
    }
    stale = stale_ids()
    for label, names in (("dev", DEV_SETS), ("heldout", HELDOUT_SETS)):
        found[f"{label}_all"] = [i for name in names for i in found.get(name, [])]
        found[f"{label}_all_current_labels"] = [
            i for name in names for i in found.get(name, []) if (name, i["id"]) not in stale
        ]
    return found


def clinc() -> dict[str, list[str]]:
    data = json.loads(CLINC.read_text(encoding="utf-8"))
    return {split: [q for q, _ in data[split]] for split in CLINC_SPLITS}


def tradebot_report(assistant: Assistant, eval_sets, clinc_sets) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for name, items in eval_sets.items():
        if not items:
            continue
        results = evaluate(assistant, items)
        labelled = [r for r in results if "intent" in r.item]
        in_scope = [r for r in results if r.item["outcome"] != "out_of_scope"]
        out[name] = {
            "n": len(items),
            "correct": round(accuracy(results), 4),
            "invented_numbers": sum(len(r.invented) for r in results),
            "oos_items_answered_with_fact": sum(
                1 for r in results if r.item["outcome"] == "out_of_scope" and r.answer.facts
            ),
            "in_scope_declined": sum(outcome_of(r.answer) == "out_of_scope" for r in in_scope),
            "in_scope": len(in_scope),
        }
        if labelled:
            intent_ok = sum(r.answer.intent == r.item["intent"] for r in labelled)
            out[name]["intent_accuracy"] = round(intent_ok / len(labelled), 4)
        if name in INDEPENDENT_SETS:
            out[name]["by_form"] = _breakdown(results, "form")
            out[name]["by_lang"] = _breakdown(results, "lang")
    for split, questions in clinc_sets.items():
        if not questions:  # nothing to divide by; an empty split reports nothing
            continue
        answered = sum(1 for q in questions if assistant.ask(q, DAY).facts)
        given_intent = sum(
            1
            for q in questions
            if assistant.understand(q, DAY).intent not in (None, "help", "greeting", "sources")
        )
        out[f"clinc_{split}"] = {
            "n": len(questions),
            "answered_with_fact": round(answered / len(questions), 4),
            "given_a_fact_intent": round(given_intent / len(questions), 4),
        }
    return out


def _breakdown(results, key: str) -> dict[str, str]:
    """ "passing/total" per value of an item field (question form, language)."""
    counts: dict[str, list[int]] = {}
    for r in results:
        tally = counts.setdefault(str(r.item.get(key)), [0, 0])
        tally[0] += r.ok
        tally[1] += 1
    return {k: f"{ok}/{n}" for k, (ok, n) in sorted(counts.items())}


def baseline_report(eval_sets, clinc_sets) -> dict[str, dict]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    rules = load_rules()
    texts, labels = [], []
    for name, intent in rules.intents.items():
        for example in intent.examples:
            texts.append(
                example.replace("zcountry", "china")
                .replace("zcourt", "court")
                .replace("zofficial", "trump")
                .replace("zdate", "today")
            )
            labels.append(name)
    model = make_pipeline(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
        LogisticRegression(max_iter=2000, C=10),
    )
    model.fit(texts, labels)
    classes = list(model.classes_)

    def predict(questions: list[str], threshold: float) -> list[str | None]:
        probs = model.predict_proba([q.lower() for q in questions])
        return [classes[p.argmax()] if p.max() >= threshold else None for p in probs]

    tune = eval_sets.get("dev_all", [])
    best = max(
        (t / 100 for t in range(5, 95, 5)),
        key=lambda t: sum(
            p == i["intent"]
            for p, i in zip(predict([i["question"] for i in tune], t), tune, strict=True)
        ),
    )
    out: dict[str, dict] = {"threshold": {"value": best}}
    for name, items in eval_sets.items():
        items = [i for i in items if "intent" in i]  # independent sets carry no intent
        if not items:
            continue
        predicted = predict([i["question"] for i in items], best)
        ok = sum(p == i["intent"] for p, i in zip(predicted, items, strict=True))
        out[name] = {"n": len(items), "intent_accuracy": round(ok / len(items), 4)}
    for split, questions in clinc_sets.items():
        if not questions:
            continue
        predicted = predict(questions, best)
        fact_intents = sum(p not in (None, "help", "greeting", "sources") for p in predicted)
        out[f"clinc_{split}"] = {
            "n": len(questions),
            "given_a_fact_intent": round(fact_intents / len(questions), 4),
        }
    return out


def scorer_report(store, eval_sets, clinc_sets) -> dict[str, dict]:
    """Tradebot's accuracy with each rapidfuzz scorer (same rules, same thresholds)."""
    out = {}
    for name in SCORERS:
        rules = load_rules()
        rules = replace(rules, settings={**rules.settings, "scorer": name})
        assistant = Assistant(store, rules=rules)
        clinc_val = {"val": clinc_sets["val"]} if clinc_sets.get("val") else {}
        report = tradebot_report(assistant, eval_sets, clinc_val)
        out[name] = {k: v.get("correct", v.get("answered_with_fact")) for k, v in report.items()}
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--scorers", action="store_true", help="compare rapidfuzz scorers")
    args = parser.parse_args(argv)
    eval_sets, clinc_sets = sets(), clinc()
    store = open_store(":memory:")
    report: dict[str, object] = {
        "tradebot": tradebot_report(Assistant(store), eval_sets, clinc_sets)
    }
    if not args.no_baseline:
        report["tfidf_baseline"] = baseline_report(eval_sets, clinc_sets)
    if args.scorers:
        report["scorers"] = scorer_report(store, eval_sets, clinc_sets)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
