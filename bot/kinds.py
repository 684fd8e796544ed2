"""The fact kinds the store holds, read once from `bot/data/kinds.toml`.

A kind's rules (which fields it requires and allows, its status words, the event details
it accepts, its names in answers, alerts and forms) are data, so the parser, the fact
form, alerts and answers read one registry, and a new kind whose fields are known here is
added by a data file alone (also from an overlay folder, see bot/datafiles.py). The file
is checked at load: a mistake is one error naming the kind and what to fix, never a
surprise when a moderator first uses the kind.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot import datafiles

FILE = "kinds.toml"
NAME = re.compile(r"^[a-z][a-z_]{1,39}$")

KIND_FIELDS: dict[str, str] = {
    "importer": "party",
    "exporter": "party",
    "parties": "parties",
    "rate": "rate",
    "rate_candidates": "rates",
    "components": "components",
    "status": "status",
    "court": "court",
    "due": "date",
    "origins": "origins",
    "origins_except": "origins",
    "products": "products",
    "products_except": "products",
    "authority": "choice",
    "instrument": "text",
    "rate_kind": "choice",
}
"""The kind-specific fields the parser knows, with how each is read. A kind names them in
`required`/`allowed`; a field no kind names is refused on every fact."""

COMMON_FIELDS: frozenset[str] = frozenset(
    {
        "id", "kind", "statement", "valid_from", "valid_to", "recorded", "topic", "subject",
        "basis", "disputed", "confidence", "citations", "supersedes", "attributes",
        "retracted", "end_kind",
    }
)  # fmt: skip
"""Fields every kind takes."""

LIST_FIELDS: frozenset[str] = frozenset(
    name for name, how in KIND_FIELDS.items() if how in ("parties", "rates", "origins", "products")
)

CHECKS: tuple[str, ...] = (
    "origins_name_exporter",
    "importer_not_exporter",
    "rate_or_candidates",
    "components_add_up",
    "floor_needs_rate",
    "parties_from_measure",
)
"""Rules that need code; bot/store/validate_kind.py implements one per name and runs
them in this order (filling in `exporter` from `origins` comes first)."""

ATTRIBUTE_TYPES: tuple[str, ...] = ("text", "list", "date", "integer", "quote")


class KindsError(ValueError):
    """kinds.toml is wrong; the message names the kind and what to fix."""


@dataclass(frozen=True)
class AttributeSpec:
    """An event detail (place, participants, …) a kind may accept."""

    name: str
    type: str
    help: str
    supports: str | None = None
    pattern: str | None = None


@dataclass(frozen=True)
class KindSpec:
    """One kind: its names and the rules its facts follow."""

    name: str
    label: str
    topic: str
    words: tuple[str, ...]
    required: tuple[tuple[str, ...], ...]
    """Groups of fields; each group needs one of its fields ("exporter|origins")."""
    allowed: frozenset[str]
    statuses: tuple[str, ...]
    attributes: tuple[str, ...]
    checks: tuple[str, ...]
    form_value: tuple[str, ...]
    form_hint: str

    @property
    def fields(self) -> frozenset[str]:
        """Every kind-specific field a fact of this kind may give."""
        return self.allowed | {name for group in self.required for name in group}

    def permits(self, field_name: str) -> bool:
        return field_name in COMMON_FIELDS or field_name in self.fields


@dataclass(frozen=True)
class Kinds:
    kinds: dict[str, KindSpec]
    attributes: dict[str, AttributeSpec]
    form_clauses: tuple[str, ...] = ()
    """Kind-specific fields the fact form's first line may set as `name: value` clauses."""

    @property
    def names(self) -> tuple[str, ...]:
        """Kind names in the file's order (the order choices are offered in)."""
        return tuple(self.kinds)

    def get(self, name: object) -> KindSpec | None:
        return self.kinds.get(name) if isinstance(name, str) else None

    def kinds_with(self, field_name: str) -> tuple[str, ...]:
        """The kinds that take `field_name`, for "only applies to ... facts" errors."""
        return tuple(k.name for k in self.kinds.values() if field_name in k.fields)

    def clauses(self, name: str) -> tuple[str, ...]:
        """The form clauses kind `name` offers: its form fields not in its form_value,
        then its attributes."""
        spec = self.kinds[name]
        fields = [f for f in self.form_clauses if f in spec.fields and f not in spec.form_value]
        return (*fields, *spec.attributes)

    def by_word(self, word: str) -> str | None:
        """The kind a moderator means by `word` ("talks", "court_ruling"), or None."""
        lowered = " ".join(word.lower().split())
        for spec in self.kinds.values():
            if lowered == spec.name or lowered in spec.words:
                return spec.name
        return None


def _text(where: str, item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise KindsError(f"{FILE}: {where}: `{key}` is required (text)")
    return value.strip()


def _texts(where: str, item: dict[str, Any], key: str) -> tuple[str, ...]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KindsError(f"{FILE}: {where}: `{key}` must be a list of text")
    if len(set(value)) != len(value):
        raise KindsError(f"{FILE}: {where}: `{key}` names something twice")
    return tuple(v.strip() for v in value)


def _known(where: str, key: str, names: tuple[str, ...], known: Any, what: str) -> None:
    for name in names:
        if name not in known:
            raise KindsError(
                f"{FILE}: {where}: `{key}` names unknown {what} {name!r}; known: "
                f"{', '.join(sorted(known))}"
            )


KIND_KEYS = frozenset(
    {
        "name", "label", "topic", "words", "required", "allowed", "statuses", "attributes",
        "checks", "form_value", "form_hint",
    }
)  # fmt: skip


def _kind(item: Any, attributes: dict[str, AttributeSpec]) -> KindSpec:
    if not isinstance(item, dict):
        raise KindsError(f"{FILE}: every [[kinds]] entry must be a table")
    name = item.get("name")
    if not isinstance(name, str) or not NAME.match(name):
        raise KindsError(f"{FILE}: kind name {name!r}: 2–40 lower-case letters and '_'")
    where = f"kind {name!r}"
    for key in item:
        if key not in KIND_KEYS:
            raise KindsError(f"{FILE}: {where}: unknown key `{key}`; known: {sorted(KIND_KEYS)}")
    required = tuple(tuple(g.split("|")) for g in _texts(where, item, "required"))
    allowed = _texts(where, item, "allowed")
    for names in (*required, allowed):
        _known(where, "required/allowed", names, KIND_FIELDS, "field")
    flat = [n for group in required for n in group] + list(allowed)
    if len(set(flat)) != len(flat):
        raise KindsError(f"{FILE}: {where}: a field is both required and allowed, or twice")
    fields = frozenset(flat)
    attribute_names = _texts(where, item, "attributes")
    _known(where, "attributes", attribute_names, attributes, "attribute")
    for attr in attribute_names:
        supports = attributes[attr].supports
        if supports and supports not in attribute_names:
            raise KindsError(f"{FILE}: {where}: `{attr}` backs `{supports}`; accept both")
    checks = _texts(where, item, "checks")
    _known(where, "checks", checks, CHECKS, "check")
    form_value = _texts(where, item, "form_value")
    _known(where, "form_value", form_value, fields, "field of the kind")
    statuses = _texts(where, item, "statuses")
    if statuses and "status" not in fields:
        raise KindsError(f"{FILE}: {where}: lists `statuses` but takes no `status` field")
    return KindSpec(
        name=name,
        label=_text(where, item, "label"),
        topic=_text(where, item, "topic"),
        words=tuple(w.lower() for w in _texts(where, item, "words")),
        required=required,
        allowed=frozenset(allowed),
        statuses=statuses,
        attributes=attribute_names,
        checks=checks,
        form_value=form_value or (("status",) if "status" in fields else ()),
        form_hint=item.get("form_hint") or "Status",
    )


def _attribute(name: str, item: Any) -> AttributeSpec:
    where = f"attribute {name!r}"
    if not NAME.match(name) or not isinstance(item, dict):
        raise KindsError(f"{FILE}: {where}: a lower-case name with a table {{type, help}}")
    unknown = set(item) - {"type", "help", "supports", "pattern"}
    if unknown:
        raise KindsError(f"{FILE}: {where}: unknown key(s) {sorted(unknown)}")
    kind_of = item.get("type")
    if kind_of not in ATTRIBUTE_TYPES:
        raise KindsError(
            f"{FILE}: {where}: type {kind_of!r} is not one of {', '.join(ATTRIBUTE_TYPES)}"
        )
    supports = item.get("supports")
    if (supports is not None) != (kind_of == "quote"):
        raise KindsError(f"{FILE}: {where}: a quote (and only a quote) names what it `supports`")
    pattern = item.get("pattern")
    if pattern is not None:
        try:
            re.compile(pattern)
        except (re.error, TypeError) as exc:
            raise KindsError(f"{FILE}: {where}: pattern is not a regular expression") from exc
    return AttributeSpec(name, kind_of, _text(where, item, "help"), supports, pattern)


def parse_kinds(data: dict[str, Any]) -> Kinds:
    """Check and build the registry; raise `KindsError` naming the first mistake."""
    unknown = set(data) - {"kinds", "attributes", "form_clauses"}
    if unknown:
        raise KindsError(f"{FILE}: unknown top-level key(s) {sorted(unknown)}")
    form_clauses = _texts("form_clauses", data, "form_clauses")
    _known("form_clauses", "form_clauses", form_clauses, KIND_FIELDS, "field")
    raw_attributes = data.get("attributes", {})
    if not isinstance(raw_attributes, dict):
        raise KindsError(f"{FILE}: [attributes] must be a table")
    attributes = {name: _attribute(name, item) for name, item in raw_attributes.items()}
    clash = sorted(set(attributes) & (set(KIND_FIELDS) | COMMON_FIELDS))
    if clash:
        raise KindsError(f"{FILE}: attribute(s) {clash} share a fact field's name; rename them")
    for spec in attributes.values():
        if spec.supports and spec.supports not in attributes:
            raise KindsError(f"{FILE}: attribute {spec.name!r} backs unknown {spec.supports!r}")
    kinds: dict[str, KindSpec] = {}
    for item in data.get("kinds", []):
        spec = _kind(item, attributes)
        if spec.name in kinds:
            raise KindsError(f"{FILE}: kind {spec.name!r} is defined twice")
        kinds[spec.name] = spec
    if not kinds:
        raise KindsError(f"{FILE}: no [[kinds]] defined")
    owner: dict[str, str] = {}
    for spec in kinds.values():
        for word in (spec.name, *spec.words):
            if owner.setdefault(word, spec.name) != spec.name:
                raise KindsError(
                    f"{FILE}: word {word!r} names both {owner[word]!r} and {spec.name!r}"
                )
    return Kinds(kinds, attributes, form_clauses)


@lru_cache(maxsize=1)
def load_kinds() -> Kinds:
    """The registry, parsed once per process (tests changing the overlay clear this)."""
    try:
        data = tomllib.loads(datafiles.read_text(FILE))
    except tomllib.TOMLDecodeError as exc:
        raise KindsError(f"{FILE}: not valid TOML ({exc}); a kind defined twice?") from exc
    return parse_kinds(data)


def kind_names() -> tuple[str, ...]:
    return load_kinds().names


def kind(name: str) -> KindSpec:
    """The kind `name`; KeyError naming the known kinds if there is none."""
    spec = load_kinds().get(name)
    if spec is None:
        raise KeyError(f"'{name}' is not a known kind; use one of: {', '.join(kind_names())}")
    return spec


def topic_word(name: str) -> str:
    """How answers and alerts name the kind's facts ("trade talks")."""
    spec = load_kinds().get(name)
    return spec.topic if spec else name.replace("_", " ")


def label(name: str) -> str:
    """One fact of the kind, in words ("court ruling")."""
    spec = load_kinds().get(name)
    return spec.label if spec else name.replace("_", " ")
