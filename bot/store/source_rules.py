"""Source rules: a new source, an explicit edit of one, and what a re-citation says
differently from the stored source.

A source is identified by its URL and keeps its metadata until a moderator edits it on
purpose (`FactStore.edit_source`), so a fact's source never changes behind its back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from bot.store.model import SOURCE_EDITABLE, Source
from bot.store.urls import url_problem
from bot.store.validate import ID_PATTERN, SOURCE_FIELDS, Checker, FieldError, ValidationError


def parse_source(
    raw: Mapping[str, Any], *, document: str | None = None, today: date | None = None
) -> Source:
    """Validate one source; `document` is the full text when we hold the document.

    `today` (default: the current date) bounds `published`: a source cannot be cited
    before it exists, so a future date is a typo.
    """
    c = Checker(raw)
    for key in raw:
        if key not in SOURCE_FIELDS:
            c.fail(key, f"unknown field; known fields: {', '.join(sorted(SOURCE_FIELDS))}")
    source_id = raw.get("id")
    if not isinstance(source_id, str) or not ID_PATTERN.match(source_id):
        c.fail("id", "must be 2–80 characters of a-z, 0-9 and '-', starting with a letter/digit")
    url = c.text("url", required=True)
    problem = url_problem(str(raw.get("url")).strip()) if url is not None else None
    if problem:
        c.fail("url", problem)
    title = c.text("title", required=True)
    publisher = c.text("publisher", required=True)
    published = c.day("published", required=True)
    _published_by(c, published, today)
    if c.errors:
        raise ValidationError(c.errors)
    assert url and title and publisher and published and isinstance(source_id, str)
    return Source(
        id=source_id,
        url=url,
        title=title,
        publisher=publisher,
        published=published,
        document=document,
        document_file=raw.get("document") if isinstance(raw.get("document"), str) else None,
    )


def _published_by(c: Checker, published: date | None, today: date | None) -> None:
    today = today or date.today()
    if published is not None and published > today:
        c.fail(
            "published",
            f"{published} is after today ({today}); give the date the source was published",
        )


def parse_source_changes(
    current: Source, changes: Mapping[str, Any], *, today: date | None = None
) -> Source:
    """Validate an explicit edit of a source: only title, publisher and published change.

    The URL is the source's identity (citing another page is citing another source) and
    the id is what facts cite, so neither can be edited.
    """
    c = Checker(changes)
    for key in changes:
        if key == "url":
            c.fail(
                "url",
                "is the source's identity and cannot be edited; add the right URL as a new "
                "source and cite it instead",
            )
        elif key not in SOURCE_EDITABLE:
            c.fail(key, f"cannot be edited; editable fields: {', '.join(SOURCE_EDITABLE)}")
    values: dict[str, Any] = {}
    for name in ("title", "publisher"):
        if name in changes and (value := c.text(name, required=True)):
            values[name] = value
    if "published" in changes and (published := c.day("published", required=True)):
        _published_by(c, published, today)
        values["published"] = published
    if c.errors:
        raise ValidationError(c.errors)
    return replace(current, **values)


def source_differences(
    stored: Source, given: Source, *, prefix: str = "", documents: bool = True
) -> list[FieldError]:
    """What `given` says differently about a source already stored (same URL or id).

    Citing a stored source again must not change it behind its facts' backs: each
    difference is an error naming the stored and the given value and the way to change it.
    """
    fix = f"edit the source with `tradebot sources edit {stored.id}`"
    errors = []
    for name in SOURCE_EDITABLE:
        old, new = getattr(stored, name), getattr(given, name)
        if old != new:
            errors.append(
                FieldError(
                    f"{prefix}{name}",
                    f"{stored.url} is already cited as '{old}' (you gave '{new}'); "
                    f"{fix} or give the same {name}",
                )
            )
    if documents and stored.content()["document_sha256"] != given.content()["document_sha256"]:
        errors.append(
            FieldError(
                f"{prefix}document",
                f"the text held for {stored.url} differs from the stored copy of "
                f"'{stored.id}'; held documents are not replaced (keep the stored text)",
            )
        )
    return errors
