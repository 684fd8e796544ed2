"""Every invalid moderator input is refused with a named field, and the database is
unchanged (its full SQL dump compared before and after)."""

from __future__ import annotations

import itertools
import math
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlite_utils
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import forms, service
from bot.store import Author, FactStore, StoreError, ValidationError
from bot.store.facts_files import bundled_facts_dir, load_facts
from bot.store.model import KINDS

COUNTER = itertools.count()
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
GOOD = {
    "id": "prop-fact",
    "kind": "tariff_rate",
    "importer": "US",
    "exporter": "JP",
    "rate": "25",
    "statement": "The US applies a 25% tariff on Japanese cars.",
    "valid_from": "2025-04-03",
}
SOURCE = service.NewSource("https://example.org/autos", "Car tariffs", "Example News", "2025-04-02")

bad_rates = st.one_of(
    st.floats(max_value=-0.001, allow_nan=False),
    st.floats(min_value=1000.01),
    st.just(math.nan),
    st.text(alphabet="abcxyz%-,", min_size=1),
    st.just(""),
    st.booleans(),
)
bad_dates = st.one_of(
    st.text(min_size=1, max_size=12).filter(lambda t: t.strip() and not _is_date(t)),
    st.builds(
        lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}",
        st.integers(1000, 1899),
        st.integers(1, 12),
        st.integers(1, 28),
    ),
    st.builds(lambda m: f"2025-{m:02d}-01", st.integers(13, 99)),
)
bad_ids = st.text(min_size=1, max_size=100).filter(
    lambda t: (
        not (
            t[:1].isalnum()
            and t.isascii()
            and all(c.islower() or c.isdigit() or c == "-" for c in t)
            and 2 <= len(t) <= 80
        )
    )
)
bad_urls = st.one_of(
    st.text(max_size=40).filter(lambda t: not t.startswith("https://")),
    st.builds(lambda h: f"http://{h}.org/x", st.text(alphabet="abc", min_size=1)),
)


def _is_date(text: str) -> bool:
    from bot.store.validate import parse_date

    try:
        parse_date(text)
    except ValueError:
        return False
    return True


@pytest.fixture(scope="module")
def store():
    s = FactStore.open(":memory:")
    load_facts(s, [bundled_facts_dir()])
    yield s
    s.close()


@contextmanager
def fresh_copy(template: FactStore) -> Iterator[FactStore]:
    """A private copy of `template` for one example, so a wrongly accepted input in one
    example cannot change what the next example (or Hypothesis's replay) sees."""
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    template.db.conn.backup(conn)
    copy = FactStore(sqlite_utils.Database(conn), template.vocab)
    try:
        yield copy
    finally:
        copy.close()


def _normalised(text: str) -> str:
    """What the validator keeps of a text field: runs of whitespace become one space."""
    return " ".join(text.split())


def dump(store: FactStore) -> str:
    return "\n".join(store.db.conn.iterdump())


def refused(store: FactStore, action) -> None:
    before = dump(store)
    with pytest.raises((ValidationError, StoreError)) as err:
        action()
    if isinstance(err.value, ValidationError):
        assert err.value.errors and all(e.field and e.message for e in err.value.errors)
    assert dump(store) == before


@SETTINGS
@given(
    field=st.sampled_from(
        ["rate", "valid_from", "valid_to", "id", "importer", "statement", "kind"]
    ),
    data=st.data(),
)
def test_add_with_one_bad_field(store, field, data) -> None:
    value = {
        "rate": bad_rates,
        "valid_from": bad_dates,
        "valid_to": bad_dates,
        "id": bad_ids,
        "importer": st.text(max_size=10).filter(
            lambda t: store.vocab.party_code(t) is None if t.strip() else True
        ),
        # Bad after normalisation: 401 characters of mostly spaces collapse to a valid length.
        "statement": st.one_of(
            st.text(max_size=9),
            st.text(min_size=401, max_size=500).filter(lambda t: len(_normalised(t)) > 400),
        ),
        "kind": st.text(max_size=20).filter(lambda t: t not in KINDS),
    }[field]
    raw = {**GOOD, field: data.draw(value)}
    with fresh_copy(store) as copy:
        refused(
            copy,
            lambda: service.add_fact(
                copy, raw, by=Author("prop"), reason="property", new_source=SOURCE
            ),
        )


@SETTINGS
@given(url=bad_urls, published=st.one_of(st.just("2025-04-02"), bad_dates))
def test_add_with_a_bad_source(store, url, published) -> None:
    source = service.NewSource(url, "Car tariffs", "Example News", published)
    refused(
        store,
        lambda: service.add_fact(
            store, GOOD, by=Author("prop"), reason="property", new_source=source
        ),
    )


@SETTINGS
@given(rate=bad_rates, valid_to=st.one_of(st.just("2025-01-01"), bad_dates))
def test_update_with_bad_values(store, rate, valid_to) -> None:
    fact = store.require("us-cn-tariff-30")
    refused(
        store,
        lambda: service.update_fact(
            store,
            fact.id,
            {"rate": rate, "components": None, "valid_to": valid_to},
            base_revision=fact.revision,
            by=Author("prop"),
            reason="property",
        ),
    )


@SETTINGS
@given(value=st.text(max_size=30), valid=st.text(max_size=30), source=st.text(max_size=60))
def test_moderator_form_text(store, value, valid, source) -> None:
    """Whatever is typed in the form: either a valid fact, or a refusal with no change."""
    form = forms.FactForm(
        value=value,
        statement="The US applies a tariff on Japanese cars.",
        valid=valid,
        source=source,
    )
    before = dump(store)
    fact_id = f"form-prop-{next(COUNTER)}"
    try:
        raw, new_source = forms.form_input("tariff_rate", form)
        fact = service.add_fact(
            store,
            {**raw, "id": fact_id, "kind": "tariff_rate", "importer": "US", "exporter": "JP"},
            by=Author("prop"),
            reason="property",
            new_source=new_source,
        )
    except (ValidationError, StoreError):
        assert dump(store) == before
    else:  # accepted input must have made a sound fact
        assert fact.rate is not None and 0 <= fact.rate <= 1000
        assert all(store.get_source(c.source_id).url.startswith("https://") for c in fact.citations)


@SETTINGS
@given(
    reason=st.one_of(st.text(max_size=2), st.text(min_size=501, max_size=600)),
    by=st.sampled_from(["", " ", "x" * 101]),
)
def test_retract_and_undo_need_who_and_why(store, reason, by) -> None:
    refused(
        store, lambda: service.retract_fact(store, "us-cn-tariff-30", by=Author(by), reason=reason)
    )
    refused(
        store, lambda: service.undo_fact(store, "us-cn-tariff-30", by=Author(by), reason=reason)
    )
