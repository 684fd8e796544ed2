"""Dates in questions: "on 1 May 2025", "as of June 2025", "last month", "before the truce".

A small grammar rather than a general date parser: it knows exactly the forms people use
in these questions, imports in microseconds (the CLI must start fast), and never guesses
a date out of an ordinary number. Every expression becomes a `DateRange` (a single day has
start == end), and is replaced in the text by the word `qdate` so the intent matcher sees
"what was the rate on {date}" whatever the date was.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "febuary": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8,
    "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
SENTINEL = "qdate"
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"((?:19|20)\d{2})"
_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
}


@dataclass(frozen=True)
class DateRange:
    start: date
    end: date
    text: str

    @property
    def is_day(self) -> bool:
        return self.start == self.end

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def _month_range(year: int, month: int, text: str) -> DateRange:
    last = calendar.monthrange(year, month)[1]
    return DateRange(date(year, month, 1), date(year, month, last), text)


def _safe_day(year: int, month: int, day: int, text: str) -> DateRange | None:
    try:
        d = date(year, month, day)
    except ValueError:
        return None
    return DateRange(d, d, text)


def _recent_year(month: int, day: int, today: date) -> int:
    """A date without a year means its nearest occurrence: "aug 12" asked on 30 Jul is
    this year's, asked in January it is last year's (people rarely ask far ahead)."""
    this = date(today.year, month, min(day, 28))
    if this > today and (this - today).days > 60:
        return today.year - 1
    return today.year


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


class DateReader:
    """Finds date expressions; event anchors ("the truce") come from the rules data."""

    def __init__(self, anchors: Mapping[str, date] | None = None) -> None:
        self.anchors = dict(anchors or {})
        anchor_words = "|".join(re.escape(a) for a in sorted(self.anchors, key=len, reverse=True))
        patterns: list[tuple[str, str]] = [
            ("iso", r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"),
            ("mdy_slash", r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"),
            ("d_m_y", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b"),
            ("m_d_y", rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
            ("m_y", rf"\b{_MONTH},?\s+{_YEAR}\b"),
            ("d_m", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b"),
            ("m_d", rf"\b{_MONTH}\s+{_DAY}\b(?!\s*%)"),
            (
                "ago",
                r"\b(\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve)"
                r"\s+(day|week|month|year)s?\s+ago\b",
            ),
            (
                "relative",
                r"\b(today|tonight|right now|now|currently|at the moment|as of now|"
                r"yesterday|last week|last month|last year|this month|this year|"
                r"(?:early|mid|late)\s+(?=\d{4}))\b",
            ),
            (
                "in_month",
                rf"\b(?:in|during|since|from|by|until|till|as of)\s+{_MONTH}(?!\s*\d)\b"
                r"(?!\s+(?:i|we|you|he|she|they|it|be|have|not|also|well)\b)",
            ),
            ("year", rf"\b(?:in|during|since|from|by|of|for|as of)\s+{_YEAR}\b"),
        ]
        if anchor_words:
            patterns.append(
                (
                    "anchor",
                    rf"\b(before|after|since|during|prior to|ahead of|following)\s+"
                    rf"(?:the\s+)?({anchor_words})\b",
                )
            )
        self.pattern = re.compile(
            "|".join(f"(?P<{name}>{rx})" for name, rx in patterns), re.IGNORECASE
        )
        self._groups = {name: re.compile(rx, re.IGNORECASE) for name, rx in patterns}

    def read(self, text: str, today: date) -> tuple[str, list[DateRange]]:
        """Return the text with each date replaced by `qdate`, and the dates found."""
        found: list[DateRange] = []
        pieces: list[str] = []
        last = 0
        for match in self.pattern.finditer(text):
            kind = match.lastgroup or ""
            span_text = match.group(0)
            parsed = self._parse(kind, span_text, today)
            if parsed is None:
                continue
            found.append(parsed)
            pieces.append(text[last : match.start()])
            pieces.append(f" {SENTINEL} ")
            last = match.end()
        pieces.append(text[last:])
        return "".join(pieces), found

    def _parse(self, kind: str, text: str, today: date) -> DateRange | None:
        m = self._groups[kind].fullmatch(text)
        if m is None:
            return None
        g = [x for x in m.groups()]
        low = text.lower()
        if kind == "iso":
            return _safe_day(int(g[0]), int(g[1]), int(g[2]), text)
        if kind == "mdy_slash":
            a, b, year = int(g[0]), int(g[1]), int(g[2])
            month, day = (a, b) if a <= 12 else (b, a)
            return _safe_day(year, month, day, text)
        if kind == "d_m_y":
            return _safe_day(int(g[2]), MONTHS[g[1].lower()], int(g[0]), text)
        if kind == "m_d_y":
            return _safe_day(int(g[2]), MONTHS[g[0].lower()], int(g[1]), text)
        if kind == "m_y":
            return _month_range(int(g[1]), MONTHS[g[0].lower()], text)
        if kind in ("d_m", "m_d"):
            month_word, day_text = (g[1], g[0]) if kind == "d_m" else (g[0], g[1])
            if month_word.lower() in ("may", "mar") and kind == "m_d" and int(day_text) > 31:
                return None
            month, day = MONTHS[month_word.lower()], int(day_text)
            if (
                kind == "m_d"
                and month_word.lower() == "may"
                and not re.search(r"\d(st|nd|rd|th)?$", low)
            ):
                return None
            return _safe_day(_recent_year(month, day, today), month, day, text)
        if kind == "in_month":
            month = MONTHS[g[0].lower()]
            year = _recent_year(month, 1, today)
            return _month_range(year, month, text)
        if kind == "year":
            year = int(g[0])
            return DateRange(date(year, 1, 1), date(year, 12, 31), text)
        if kind == "ago":
            amount = _NUMBER_WORDS.get(g[0].lower()) or int(g[0])
            unit = g[1].lower()
            if unit == "day":
                d = today - timedelta(days=amount)
            elif unit == "week":
                d = today - timedelta(weeks=amount)
            elif unit == "month":
                d = _shift_months(today, -amount)
            else:
                d = _shift_months(today, -12 * amount)
            return DateRange(d, d, text)
        if kind == "relative":
            word = " ".join(low.split())
            if word in (
                "today",
                "tonight",
                "right now",
                "now",
                "currently",
                "at the moment",
                "as of now",
                "this month",
                "this year",
            ):
                return DateRange(today, today, text)
            if word == "yesterday":
                d = today - timedelta(days=1)
                return DateRange(d, d, text)
            if word == "last week":
                d = today - timedelta(weeks=1)
                return DateRange(d, d, text)
            if word == "last month":
                prev = _shift_months(today, -1)
                return _month_range(prev.year, prev.month, text)
            if word == "last year":
                return DateRange(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31), text)
            return None
        if kind == "anchor":
            relation = g[0].lower()
            anchor = " ".join(g[1].lower().split())
            start = self.anchors.get(anchor)
            if start is None:
                return None
            if relation in ("before", "prior to", "ahead of"):
                d = start - timedelta(days=1)
                return DateRange(d, d, text)
            if relation in ("after", "since", "following") and start < today:
                return DateRange(start, today, text)  # from the event until now
            return DateRange(start, start, text)
        return None
