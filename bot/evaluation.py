"""Scoring answers against the evaluation sets in `tests/eval/` (shared by tests and
benchmarks, so both count a question as right in exactly the same way).

An item is right when the intent matches, the outcome (answer / no_record /
out_of_scope) matches, every `must_include` string is in the answer text and no
`must_not_include` string is. For tariff questions the importer/exporter must be right
too (checked through the facts used), and so must the product group when the item names
one (its answer must then say "all goods" where only the all-goods rate is known). A
number in an answer that is not in the facts used (or a sum of charged layers) counts as
an *invented number*, whatever the item says.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot.answer.compose import Answer
from bot.answer.measure_match import covers_origin
from bot.vocabulary import load_vocabulary

OUTCOMES_THAT_ANSWER = {"answer", "sources", "help", "greeting"}
PERCENT = re.compile(r"(\d+(?:\.\d+)?)%")


@dataclass
class ItemResult:
    item: dict[str, Any]
    answer: Answer
    failures: list[str] = field(default_factory=list)
    invented: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def load_items(path: Path) -> list[dict[str, Any]]:
    items = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON: {exc}") from None
    return items


def outcome_of(answer: Answer) -> str:
    if answer.intent is None:
        return "out_of_scope"
    if answer.outcome in OUTCOMES_THAT_ANSWER:
        return "answer"
    return answer.outcome


def invented_numbers(answer: Answer, fact_numbers: set[str]) -> list[str]:
    """Percentages in the answer that none of the facts used carries."""
    body = "\n".join(answer.lines) if answer.lines else answer.text
    return [n for n in PERCENT.findall(body) if n not in fact_numbers]


def layer_totals(answer: Answer) -> set[str]:
    """Totals a layered answer may state: sums of two or more of its charged layers'
    rates (computed from facts, so not invented), and 0 when every layer it lists was
    left uncharged by a rule (coffee out of the reciprocal tariff)."""
    layers = getattr(answer, "layers", [])
    rates = [
        layer["rate"] for layer in layers if layer.get("charged") and layer.get("rate") is not None
    ][:8]
    sums: set[str] = {"0"} if layers and not any(la.get("charged") for la in layers) else set()
    for mask in range(1, 1 << len(rates)):
        if mask & (mask - 1):  # two or more layers
            sums.add(f"{sum(r for i, r in enumerate(rates) if mask >> i & 1):g}")
    return sums


def co_valid_sums(used: list[Any]) -> set[str]:
    """Totals a series answer may state: sums of two or more tariff facts used that are
    in force together on some day (a combined step, bot/answer/combined.py)."""
    rated = [f for f in used if f.kind == "tariff_rate" and f.rate is not None][:8]
    sums: set[str] = set()
    for mask in range(1, 1 << len(rated)):
        chosen = [f for i, f in enumerate(rated) if mask >> i & 1]
        if len(chosen) < 2:
            continue
        start = max(f.valid_from for f in chosen)
        if all(f.valid_to is None or f.valid_to > start for f in chosen):
            sums.add(f"{sum(f.rate for f in chosen):g}")
    return sums


def score(item: dict[str, Any], answer: Answer, facts_by_id: dict[str, Any]) -> ItemResult:
    result = ItemResult(item, answer)
    if "intent" in item:  # independent sets carry no intent: their authors never saw one
        expected_intent = item["intent"]
        if answer.intent != expected_intent:
            result.failures.append(f"intent {answer.intent} != {expected_intent}")
    got = outcome_of(answer)
    if got != item.get("outcome"):
        result.failures.append(f"outcome {got} != {item.get('outcome')}")
    if item.get("product") and getattr(answer, "product", None) != item["product"]:
        result.failures.append(f"product {getattr(answer, 'product', None)} != {item['product']}")
    text = _plain(answer.text)
    body = _plain("\n".join(answer.lines)) if answer.lines else text  # claims, not sources
    for needle in item.get("must_include", []):
        if _plain(needle) not in text:
            result.failures.append(f"missing {needle!r}")
    for needle in item.get("must_not_include", []):
        if _plain(needle) in body:
            result.failures.append(f"contains {needle!r}")
    used = [facts_by_id[i] for i in answer.facts if i in facts_by_id]
    numbers: set[str] = set()
    for fact in used:
        values = [fact.rate, *fact.rate_candidates, *(c.rate for c in fact.components)]
        numbers |= {f"{v:g}" for v in values if v is not None}
        numbers |= set(PERCENT.findall(fact.statement))
        numbers |= set(PERCENT.findall(fact.disputed or "") + PERCENT.findall(fact.basis or ""))
    numbers |= layer_totals(answer) | co_valid_sums(used)
    result.invented = invented_numbers(answer, numbers)
    if result.invented:
        result.failures.append(f"invented numbers {result.invented}")
    if _checks_direction(item):
        failure = _direction_failure(item["importer"], item["exporter"], used)
        if failure:
            result.failures.append(failure)
    return result


def _plain(text: str) -> str:
    """Typography aside: "6–3" is "6-3", a curly quote a straight one."""
    return text.translate(_TYPOGRAPHY)


_TYPOGRAPHY = str.maketrans({"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"'})


def _checks_direction(item: dict[str, Any]) -> bool:
    """Tariff items answered with a fact name who taxes whom; independent items (no
    intent) are checked whenever they give both sides."""
    if item.get("outcome") != "answer" or not (item.get("importer") and item.get("exporter")):
        return False
    return "intent" not in item or item["intent"] in ("tariff_rate", "rate_change")


def _direction_failure(importer: str, exporter: str, used: list[Any]) -> str | None:
    """None when some tariff fact used is the importer's on goods from the exporter —
    named, through a bloc it belongs to (EU measures for German goods) or on all
    partners; else what was used."""
    tariffs = [f for f in used if f.kind == "tariff_rate"]
    vocab = load_vocabulary()
    if any(f.importer == importer and covers_origin(f, exporter, vocab) for f in tariffs):
        return None
    pairs = sorted({(f.importer, f.exporter) for f in tariffs})
    return f"direction: used {pairs}, asked {importer}/{exporter}"


def evaluate(assistant: Any, items: list[dict[str, Any]]) -> list[ItemResult]:
    assistant.index.refresh()
    facts_by_id = dict(assistant.index.by_id)
    out = []
    for item in items:
        answer = assistant.ask(item["question"], date.fromisoformat(item["as_of"]))
        out.append(score(item, answer, facts_by_id))
    return out


def accuracy(results: list[ItemResult]) -> float:
    return sum(r.ok for r in results) / len(results) if results else 0.0
