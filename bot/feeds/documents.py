"""A documents.json response of the Federal Register API as typed `Document` records.

The response is data from outside: every field used is checked here, once, and a bad or
missing one is a `FeedFormatError` naming the result and the field, so a changed API or a
wrong saved file is one clear line, never a traceback or a half-stored batch.

Shape (federalregister.gov/developers/documentation/api/v1):
    {"count": 2, "total_pages": 1, "next_page_url": null,
     "results": [{"document_number": "2025-02833", "title": "...", "type": "Presidential
     Document", "abstract": null, "publication_date": "2025-02-18", "html_url": "...",
     "pdf_url": "...", "agencies": [{"name": "...", "slug": "...", ...}], ...}]}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

DOCUMENT_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,39}$")
MAX_TITLE = 2000
MAX_ABSTRACT = 10_000


class FeedFormatError(ValueError):
    """The response is not what the API sends; the message names where and which field."""


@dataclass(frozen=True)
class Agency:
    name: str
    slug: str  # "" when the API names an agency it has no page for


@dataclass(frozen=True)
class Document:
    """One Federal Register document, as the watcher uses it."""

    document_number: str
    title: str
    type: str
    publication_date: date
    html_url: str
    agencies: tuple[Agency, ...]
    abstract: str | None = None
    pdf_url: str | None = None
    subtype: str | None = None
    signing_date: date | None = None
    effective_on: date | None = None
    executive_order_number: str | None = None
    proclamation_number: str | None = None
    citation: str | None = None

    @property
    def agency_names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.agencies)

    @property
    def instrument(self) -> str | None:
        """'Executive Order 14257' / 'Proclamation 10896', when the document is one."""
        if self.executive_order_number:
            return f"Executive Order {self.executive_order_number}"
        if self.proclamation_number:
            return f"Proclamation {self.proclamation_number}"
        return None

    def details(self) -> dict[str, Any]:
        """The optional fields, as stored with a lead (JSON)."""
        out = {
            "subtype": self.subtype,
            "signing_date": self.signing_date.isoformat() if self.signing_date else None,
            "effective_on": self.effective_on.isoformat() if self.effective_on else None,
            "executive_order_number": self.executive_order_number,
            "proclamation_number": self.proclamation_number,
            "citation": self.citation,
        }
        return {k: v for k, v in out.items() if v is not None}


def _text(result: dict[str, Any], key: str, where: str, *, required: bool, limit: int) -> Any:
    value = result.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise FeedFormatError(f"{where}: `{key}` is missing")
        return None
    if not isinstance(value, str):
        raise FeedFormatError(f"{where}: `{key}` must be text, not {type(value).__name__}")
    return " ".join(value.split())[:limit]


def _day(result: dict[str, Any], key: str, where: str, *, required: bool) -> date | None:
    text = _text(result, key, where, required=required, limit=40)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FeedFormatError(f"{where}: `{key}` '{text}' is not a date YYYY-MM-DD") from None


def _url(result: dict[str, Any], key: str, where: str, *, required: bool) -> str | None:
    text = _text(result, key, where, required=required, limit=2000)
    if text is not None and not text.startswith("https://"):
        raise FeedFormatError(f"{where}: `{key}` '{text[:80]}' is not an https:// address")
    return text


def _number(result: dict[str, Any], key: str, where: str) -> str | None:
    """executive_order_number and the like: the API sends a number or a string."""
    value = result.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise FeedFormatError(f"{where}: `{key}` must be a number")
    return str(value).strip() or None


def _agencies(result: dict[str, Any], where: str) -> tuple[Agency, ...]:
    value = result.get("agencies")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise FeedFormatError(f"{where}: `agencies` must be a list")
    out = []
    for i, item in enumerate(value):
        if not isinstance(item, dict):
            raise FeedFormatError(f"{where}: `agencies[{i}]` must be an object")
        name = item.get("name") or item.get("raw_name")
        slug = item.get("slug") or ""
        if not isinstance(name, str) or not name.strip():
            raise FeedFormatError(f"{where}: `agencies[{i}].name` is missing")
        if not isinstance(slug, str):
            raise FeedFormatError(f"{where}: `agencies[{i}].slug` must be text")
        out.append(Agency(" ".join(name.split())[:200], slug.strip()[:200]))
    return tuple(out)


def parse_document(result: Any, where: str) -> Document:
    """One element of `results`; `where` names it in errors ("result 3")."""
    if not isinstance(result, dict):
        raise FeedFormatError(f"{where}: must be an object, not {type(result).__name__}")
    number = _text(result, "document_number", where, required=True, limit=80)
    if not DOCUMENT_NUMBER.match(number):
        raise FeedFormatError(f"{where}: `document_number` '{number}' is not a document number")
    where = f"{where} ({number})"
    return Document(
        document_number=number,
        title=_text(result, "title", where, required=True, limit=MAX_TITLE),
        type=_text(result, "type", where, required=True, limit=80),
        publication_date=_day(result, "publication_date", where, required=True),  # type: ignore[arg-type]
        html_url=_url(result, "html_url", where, required=True),  # type: ignore[arg-type]
        agencies=_agencies(result, where),
        abstract=_text(result, "abstract", where, required=False, limit=MAX_ABSTRACT),
        pdf_url=_url(result, "pdf_url", where, required=False),
        subtype=_text(result, "subtype", where, required=False, limit=80),
        signing_date=_day(result, "signing_date", where, required=False),
        effective_on=_day(result, "effective_on", where, required=False),
        executive_order_number=_number(result, "executive_order_number", where),
        proclamation_number=_number(result, "proclamation_number", where),
        citation=_text(result, "citation", where, required=False, limit=80),
    )


@dataclass(frozen=True)
class Page:
    """One response: its documents, the API's total count and the next page's address."""

    documents: tuple[Document, ...]
    count: int
    next_page_url: str | None


def parse_response(data: Any) -> Page:
    """A decoded documents.json response; raises FeedFormatError."""
    if not isinstance(data, dict):
        raise FeedFormatError(
            f"the response must be a JSON object with `results`, not {type(data).__name__}"
        )
    count = data.get("count", 0)
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise FeedFormatError("`count` must be a whole number")
    results = data.get("results")
    if results is None:
        if count:  # the API leaves `results` out only when nothing matched
            raise FeedFormatError("`results` is missing")
        results = []
    if not isinstance(results, list):
        raise FeedFormatError("`results` must be a list")
    next_url = data.get("next_page_url")
    if next_url is not None and not isinstance(next_url, str):
        raise FeedFormatError("`next_page_url` must be text")
    documents = tuple(parse_document(r, f"result {i + 1}") for i, r in enumerate(results))
    return Page(documents, count, next_url or None)
