"""Intent rules as data: `bot/data/intents.toml`, validated and expanded once at start-up.

An intent has example phrasings (with slots `{country}`, `{court}`, `{official}`,
`{date}`, alternations `(a|b)` and optional parts `[the]`), the evidence it requires
(`requires`: alternatives, each a list of word groups that must all be present), words
that rule it out (`forbid`), words that support it (`boost`), and a suggestion shown when
the bot offers interpretations. Extra phrasings learnt later are appended the same way.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot import datafiles
from bot.understand.text import normalise

SLOTS = {
    "{country}": "zcountry",
    "{court}": "zcourt",
    "{official}": "zofficial",
    "{date}": "zdate",
    "{percent}": "zpercent",
}
INTENT_NAMES = (
    "tariff_rate",
    "rate_change",
    "truce",
    "negotiation_status",
    "leaders",
    "court_ruling",
    "deals",
    "sources",
    "help",
    "greeting",
)
MAX_EXPANSIONS = 400


class RulesError(ValueError):
    """A problem in the rules file, naming the intent and field."""


@dataclass(frozen=True)
class Intent:
    name: str
    description: str
    suggestion: str
    examples: tuple[str, ...]
    requires: tuple[tuple[frozenset[str], ...], ...]
    forbid: frozenset[str]
    boost: frozenset[str]
    min_score: float = 0.0
    topic_nouns: frozenset[str] = frozenset()
    """Nouns naming this intent's topic ("talks"): a word right before one that the
    intent's own phrasings never use ("peace talks", "strike talks") means another topic."""
    topic_after: tuple[str, ...] = ()
    """Phrases ("rule on") whose object must be a word the intent knows ("rule on
    birthright citizenship" is another case)."""
    needs_party: frozenset[str] = frozenset()
    """When the question names parties, one must be among these (the truce is US–China)."""
    forbid_unless: frozenset[str] = frozenset()
    """Phrases that lift this intent's own forbidden words: "can you answer questions about
    court cases?" asks for help although it names a topic help is otherwise never about."""
    strategy: str = ""
    """The answer strategy (bot/answer/strategies) that answers this intent; checked when
    the composer is built. Defaults to the intent's name for the built-in intents."""
    kind: str | None = None
    """The fact kind a generic strategy (`status`) answers about."""


@dataclass(frozen=True)
class Event:
    """An event told as a clause ("after scotus killed the tariffs", "when the 90 days ran
    out"): someone (`who`) and what they did (`did`), dated by a fact.

    Such a clause dates the question; it is not its topic. Without this, the court words
    in "what's the tariff on China after the Supreme Court struck it down?" pull the
    question to court_ruling.
    """

    fact: str
    at: str  # "start": the fact's valid_from; "due": a deadline's due date
    who: tuple[str, ...]
    did: tuple[str, ...]


EVENT_AT = ("start", "due")


@dataclass
class Rules:
    intents: dict[str, Intent]
    anchors: dict[str, str] = field(default_factory=dict)
    """Event phrases usable in dates ("before the truce") -> fact id giving the date."""
    settings: dict[str, float | str] = field(default_factory=dict)
    events: tuple[Event, ...] = ()
    generic_modifiers: frozenset[str] = frozenset()
    """Words that may stand before any topic noun ("the", "new", "ongoing")."""
    global_forbid: frozenset[str] = frozenset()
    """Words that rule out every intent ("translate", "NBA")."""
    known_names: frozenset[str] = frozenset()
    """Capitalised words that are no stranger to a trade question (news outlets)."""
    courtesy: frozenset[str] = frozenset()
    """Words that carry no topic ("please"): left out of a question that has two others."""


def expand(pattern: str) -> list[str]:
    """All phrasings of a pattern: '(a|b) c [d]' -> ['a c d', 'a c', 'b c d', 'b c']."""
    parts: list[list[str]] = []
    pos = 0
    for match in re.finditer(r"\(([^()]*)\)|\[([^\[\]]*)\]", pattern):
        parts.append([pattern[pos : match.start()]])
        if match.group(1) is not None:
            parts.append(match.group(1).split("|"))
        else:
            parts.append([match.group(2), ""])
        pos = match.end()
    parts.append([pattern[pos:]])
    out = []
    for combo in itertools.islice(itertools.product(*parts), MAX_EXPANSIONS):
        out.append(" ".join("".join(combo).split()))
    return out


def to_matchable(text: str) -> str:
    """Normalise an example phrasing, keeping its slots as plain placeholder words.

    In keyword lists only: `{court:CIT}` stands for a mention of that particular court,
    `{country:UA}` for that party, `{leader}` for a head of state or government,
    `{leaders:2}` for two of them, `{product}` for a product group of
    bot/data/products.toml, `{case}` for a court case of bot/data/cases.toml.
    """
    text = re.sub(r"\{court:(\w+)\}", lambda m: f" zcourt{m.group(1).lower()} ", text)
    text = re.sub(r"\{country:(\w+)\}", lambda m: f" zparty{m.group(1).lower()} ", text)
    text = text.replace("{leaders:2}", " zleaderstwo ").replace("{leader}", " zleader ")
    text = text.replace("{product}", " zproduct ").replace("{case}", " zcase ")
    for slot, word in SLOTS.items():
        text = text.replace(slot, f" {word} ")
    return normalise(text)


def _words(value: Any, where: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RulesError(f"{where} must be a list of words")
    return frozenset(to_matchable(v) for v in value)


def parse_rules(data: dict[str, Any]) -> Rules:
    intents: dict[str, Intent] = {}
    for i, raw in enumerate(data.get("intents", []), 1):
        name = raw.get("name")
        where = f"intents.toml, intent {name or f'#{i}'}"
        strategy = raw.get("strategy", name if name in INTENT_NAMES else None)
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
            raise RulesError(f"{where}: name must be a lower-case identifier")
        if name not in INTENT_NAMES and not raw.get("strategy"):
            raise RulesError(
                f"{where}: name must be one of {', '.join(INTENT_NAMES)}, or the intent must "
                'name the strategy that answers it (strategy = "...")'
            )
        if not isinstance(strategy, str) or not strategy.strip():
            raise RulesError(f"{where}: strategy must be a strategy name")
        kind = raw.get("kind")
        if kind is not None and (not isinstance(kind, str) or not kind.strip()):
            raise RulesError(f"{where}: kind must be a fact kind's name")
        if name in intents:
            raise RulesError(f"{where}: defined twice")
        unknown = set(raw) - {
            "name",
            "description",
            "suggestion",
            "examples",
            "requires",
            "forbid",
            "boost",
            "min_score",
            "topic_nouns",
            "topic_after",
            "needs_party",
            "forbid_unless",
            "strategy",
            "kind",
        }
        if unknown:
            raise RulesError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        for key in ("description", "suggestion"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise RulesError(f"{where}: {key} is required text")
        examples: list[str] = []
        for pattern in raw.get("examples", []):
            if not isinstance(pattern, str) or pattern.count("(") != pattern.count(")"):
                raise RulesError(f"{where}: example {pattern!r} has unbalanced brackets")
            for slot in re.findall(r"\{[^}]*\}", pattern):
                if slot not in SLOTS:
                    raise RulesError(f"{where}: example {pattern!r} uses unknown slot {slot}")
            examples.extend(to_matchable(p) for p in expand(pattern))
        if not examples:
            raise RulesError(f"{where}: needs at least one example")
        requires = []
        for j, alternative in enumerate(raw.get("requires", []), 1):
            if not isinstance(alternative, list) or not alternative:
                raise RulesError(f"{where}: requires[{j}] must be a list of word groups")
            requires.append(tuple(_words(g, f"{where}: requires[{j}]") for g in alternative))
        intents[name] = Intent(
            name=name,
            description=raw["description"].strip(),
            suggestion=raw["suggestion"].strip(),
            examples=tuple(dict.fromkeys(e for e in examples if e)),
            requires=tuple(requires),
            forbid=_words(raw.get("forbid", []), f"{where}: forbid"),
            boost=_words(raw.get("boost", []), f"{where}: boost"),
            min_score=float(raw.get("min_score", 0.0)),
            topic_nouns=_words(raw.get("topic_nouns", []), f"{where}: topic_nouns"),
            topic_after=tuple(sorted(_words(raw.get("topic_after", []), f"{where}: topic_after"))),
            needs_party=frozenset(
                c.upper() for c in _words(raw.get("needs_party", []), f"{where}: needs_party")
            ),
            forbid_unless=_words(raw.get("forbid_unless", []), f"{where}: forbid_unless"),
            strategy=strategy.strip(),
            kind=kind.strip() if kind else None,
        )
    missing = set(INTENT_NAMES) - set(intents)
    if missing:
        raise RulesError(f"intents.toml: missing intents: {', '.join(sorted(missing))}")
    anchors = data.get("anchors", {})
    if not isinstance(anchors, dict) or not all(isinstance(v, str) for v in anchors.values()):
        raise RulesError("intents.toml: [anchors] maps event phrases to fact ids")
    settings = {
        k: v if isinstance(v, str) else float(v) for k, v in data.get("settings", {}).items()
    }
    return Rules(
        intents=intents,
        anchors={normalise(k): v for k, v in anchors.items()},
        settings=settings,
        events=_events(data.get("events", [])),
        generic_modifiers=_words(
            data.get("topics", {}).get("generic_modifiers", []), "intents.toml: [topics]"
        ),
        global_forbid=_words(
            data.get("topics", {}).get("global_forbid", []), "intents.toml: [topics]"
        ),
        courtesy=_words(data.get("topics", {}).get("courtesy", []), "intents.toml: [topics]"),
        known_names=frozenset(
            w
            for name in _words(data.get("topics", {}).get("known_names", []), "[topics]")
            for w in name.split()
        ),
    )


def _events(raw_events: Any) -> tuple[Event, ...]:
    if not isinstance(raw_events, list):
        raise RulesError("intents.toml: [[events]] must be a list of tables")
    events = []
    for n, raw in enumerate(raw_events, 1):
        where = f"intents.toml: events[{n}]"
        if not isinstance(raw, dict):
            raise RulesError(f"{where}: must be a table")
        unknown = set(raw) - {"fact", "at", "who", "did"}
        if unknown:
            raise RulesError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
        fact, at = raw.get("fact"), raw.get("at", "start")
        if not isinstance(fact, str) or not fact:
            raise RulesError(f"{where}: fact must be a fact id")
        if at not in EVENT_AT:
            raise RulesError(f"{where}: at must be one of {', '.join(EVENT_AT)}")
        phrases = {}
        for key in ("who", "did"):
            value = raw.get(key)
            if (
                not isinstance(value, list)
                or not value
                or not all(isinstance(v, str) and v.strip() for v in value)
            ):
                raise RulesError(f"{where}: {key} must be a non-empty list of phrases")
            phrases[key] = tuple(dict.fromkeys(" ".join(v.lower().split()) for v in value))
        events.append(Event(fact=fact, at=at, who=phrases["who"], did=phrases["did"]))
    return tuple(events)


def load_rules() -> Rules:
    text = datafiles.read_text("intents.toml")
    return parse_rules(tomllib.loads(text))


def with_extra_examples(rules: Rules, extra: Iterable[tuple[str, str]]) -> Rules:
    """Rules plus phrasings learnt at run time (intent name, phrasing)."""
    intents = dict(rules.intents)
    for name, phrasing in extra:
        if name in intents:
            intent = intents[name]
            added = tuple(to_matchable(p) for p in expand(phrasing))
            intents[name] = Intent(**{**intent.__dict__, "examples": intent.examples + added})
    return Rules(
        intents=intents,
        anchors=rules.anchors,
        settings=rules.settings,
        events=rules.events,
        generic_modifiers=rules.generic_modifiers,
        global_forbid=rules.global_forbid,
        courtesy=rules.courtesy,
        known_names=rules.known_names,
    )
