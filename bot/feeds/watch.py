"""The watcher's settings as data: what is asked of the Federal Register, and which of the
documents it returns are relevant (bot/data/watch.toml).

Kept as data so that moderators can widen or narrow the watch (an agency, a term, an
excluded kind of routine notice) without touching Python. The file is checked whole at
load: a wrong key or value is one line naming the file and the key, never a traceback.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot import datafiles

FILE = "watch.toml"
TYPE_CODES = {
    "Presidential Document": "PRESDOCU",
    "Rule": "RULE",
    "Proposed Rule": "PRORULE",
    "Notice": "NOTICE",
}
"""The document types the API returns (`type`) and the codes its `conditions[type][]`
filter takes."""
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_PER_PAGE = 1000  # the API's own limit
MAX_PAGES = 50


class WatchConfigError(ValueError):
    """watch.toml is not usable; the message names the file and the key."""


@dataclass(frozen=True)
class WatchQuery:
    """What one check asks the API for."""

    url: str
    term: str
    agencies: tuple[str, ...]
    types: tuple[str, ...]
    per_page: int
    max_pages: int
    lookback_days: int

    def params(self, since: str) -> list[tuple[str, str]]:
        """The query string for documents published on or after `since` (YYYY-MM-DD),
        newest first. A list of pairs: the API repeats keys ending in `[]`."""
        params: list[tuple[str, str]] = [("conditions[publication_date][gte]", since)]
        if self.term:
            params.append(("conditions[term]", self.term))
        params += [("conditions[agencies][]", slug) for slug in self.agencies]
        params += [("conditions[type][]", TYPE_CODES[t]) for t in self.types]
        params += [("fields[]", name) for name in FIELDS]
        params += [("per_page", str(self.per_page)), ("order", "newest")]
        return params


FIELDS = (
    "document_number",
    "title",
    "type",
    "subtype",
    "abstract",
    "publication_date",
    "signing_date",
    "effective_on",
    "html_url",
    "pdf_url",
    "agencies",
    "executive_order_number",
    "proclamation_number",
    "citation",
)
"""The fields asked for (`fields[]`); bot/feeds/documents.py reads them."""


@dataclass(frozen=True)
class Rules:
    """Which documents are relevant (bot/feeds/relevance.py applies them)."""

    agencies: tuple[str, ...]
    types: tuple[str, ...]
    terms: tuple[str, ...]
    exclude_terms: tuple[str, ...]


@dataclass(frozen=True)
class WatchConfig:
    query: WatchQuery
    rules: Rules


def _section(data: dict[str, Any], name: str, keys: set[str]) -> dict[str, Any]:
    section = data.get(name)
    if not isinstance(section, dict):
        raise WatchConfigError(f"{FILE}: [{name}] is missing")
    unknown = set(section) - keys
    if unknown:
        raise WatchConfigError(f"{FILE}: [{name}] has unknown key(s) {', '.join(sorted(unknown))}")
    missing = keys - set(section)
    if missing:
        raise WatchConfigError(f"{FILE}: [{name}] needs {', '.join(sorted(missing))}")
    return section


def _words(section: dict[str, Any], where: str, key: str, *, lower: bool = True) -> tuple[str, ...]:
    value = section[key]
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(w, str) and w.strip() == w and w for w in value)
        or (lower and any(w != w.lower() for w in value))
    ):
        kind = "lower-case words or phrases" if lower else "names"
        raise WatchConfigError(f"{FILE}: {where}.{key} must be a non-empty list of {kind}")
    if len(set(value)) != len(value):
        raise WatchConfigError(f"{FILE}: {where}.{key} names something twice")
    return tuple(value)


def _slugs(section: dict[str, Any], where: str) -> tuple[str, ...]:
    slugs = _words(section, where, "agencies")
    bad = [s for s in slugs if not SLUG.match(s)]
    if bad:
        raise WatchConfigError(
            f"{FILE}: {where}.agencies: '{bad[0]}' is not an agency slug (a-z, 0-9, '-')"
        )
    return slugs


def _types(section: dict[str, Any], where: str) -> tuple[str, ...]:
    types = _words(section, where, "types", lower=False)
    bad = [t for t in types if t not in TYPE_CODES]
    if bad:
        raise WatchConfigError(
            f"{FILE}: {where}.types: '{bad[0]}' is not one of {', '.join(TYPE_CODES)}"
        )
    return types


def _int(section: dict[str, Any], where: str, key: str, low: int, high: int) -> int:
    value = section[key]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise WatchConfigError(f"{FILE}: {where}.{key} must be a whole number {low}…{high}")
    return value


def parse_config(text: str) -> WatchConfig:
    """watch.toml's text as a checked WatchConfig; raises WatchConfigError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise WatchConfigError(f"{FILE}: not valid TOML ({exc})") from None
    unknown = set(data) - {"query", "relevance"}
    if unknown:
        raise WatchConfigError(f"{FILE}: unknown section(s) {', '.join(sorted(unknown))}")
    q = _section(
        data,
        "query",
        {"url", "term", "agencies", "types", "per_page", "max_pages", "lookback_days"},
    )
    url, term = q["url"], q["term"]
    if not isinstance(url, str) or not url.startswith("https://"):
        raise WatchConfigError(f"{FILE}: query.url must be an https:// address")
    if not isinstance(term, str):
        raise WatchConfigError(f"{FILE}: query.term must be text (empty for none)")
    query = WatchQuery(
        url=url,
        term=term.strip(),
        agencies=_slugs(q, "query"),
        types=_types(q, "query"),
        per_page=_int(q, "query", "per_page", 1, MAX_PER_PAGE),
        max_pages=_int(q, "query", "max_pages", 1, MAX_PAGES),
        lookback_days=_int(q, "query", "lookback_days", 1, 3650),
    )
    r = _section(data, "relevance", {"agencies", "types", "terms", "exclude_terms"})
    rules = Rules(
        agencies=_slugs(r, "relevance"),
        types=_types(r, "relevance"),
        terms=_words(r, "relevance", "terms"),
        exclude_terms=_words(r, "relevance", "exclude_terms"),
    )
    clash = set(rules.terms) & set(rules.exclude_terms)
    if clash:
        raise WatchConfigError(
            f"{FILE}: '{sorted(clash)[0]}' is in both relevance.terms and exclude_terms"
        )
    return WatchConfig(query, rules)


@lru_cache(maxsize=1)
def load_config() -> WatchConfig:
    """The packaged (or TRADEBOT_DATA_DIR's) watch.toml, read once."""
    return parse_config(datafiles.read_text(FILE))
