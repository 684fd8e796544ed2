"""How parties, dates and spans read in answer sentences."""

from __future__ import annotations

from datetime import date

from bot.dates import DateRange, plus_days
from bot.present import human_date
from bot.store import Fact
from bot.vocabulary import Vocabulary

SHORT_NAMES = {"US": "US", "GB": "UK", "EU": "EU", "WORLD": "all trading partners"}


class Names:
    """How parties read in sentences: 'US tariffs on Chinese goods'."""

    def __init__(self, vocab: Vocabulary) -> None:
        self.vocab = vocab

    def short(self, code: str | None) -> str:
        if code in SHORT_NAMES:
            return SHORT_NAMES[code]
        return self.vocab.party_name(code)

    def owner(self, code: str | None) -> str:
        """'US tariffs', "China's tariffs"."""
        if code in ("US", "EU", "GB"):
            return self.short(code)
        return f"{self.short(code)}'s"

    def goods(self, code: str | None) -> str:
        if code == "WORLD":
            return "goods from all trading partners"
        entity = self.vocab.parties.get(code or "")
        adjective = entity.demonyms[0] if entity and entity.demonyms else self.short(code)
        return f"{adjective} goods"

    def rate_subject(self, importer: str | None, exporter: str | None) -> str:
        if importer and exporter:
            return f"{self.owner(importer)} tariffs on {self.goods(exporter)}"
        if exporter:
            return f"tariffs on {self.goods(exporter)}"
        return f"{self.owner(importer)} tariffs"

    def parties(self, codes: list[str]) -> str:
        return "–".join(self.short(c) for c in codes)


def overlaps(fact: Fact, rng: DateRange) -> bool:
    return fact.valid_from <= rng.end and (fact.valid_to is None or fact.valid_to > rng.start)


def case_name(fact: Fact) -> str:
    """ " (Learning Resources v. Trump)" from a subject that names its case, else ""."""
    subject = fact.subject or ""
    if "(" in subject and subject.endswith(")"):
        return " (" + subject.rsplit("(", 1)[1]
    return ""


def on_range(rng: DateRange) -> str:
    """ "on 15 Dec 2025" for a day, "in Apr 2025" for a month or year, "from 10 Jun 2025
    to 10 Jul 2025" for other spans."""
    label = range_label(rng)
    if rng.is_day:
        return f"on {label}"
    return f"from {label}" if " to " in label else f"in {label}"


def range_label(rng: DateRange) -> str:
    """A date range as people write it: "12 Aug 2025", "Dec 2026", "2025", "1–9 Jun 2025"."""
    start, end = rng.start, rng.end
    if start == end:
        return human_date(start)
    if start.day == 1 and plus_days(end, 1).day == 1:  # whole months
        if start.month == end.month and start.year == end.year:
            return start.strftime("%b %Y")
        if (start.month, end.month) == (1, 12) and start.year == end.year:
            return str(start.year)
    return f"{human_date(start)} to {human_date(end)}"


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def relative(day: date, today: date) -> str:
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta > 0:
        return "tomorrow" if delta == 1 else f"in {delta} days"
    return "yesterday" if delta == -1 else f"{-delta} days ago"
