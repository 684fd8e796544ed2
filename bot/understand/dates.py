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
from collections.abc import Mapping, Sequence
from datetime import MAXYEAR, MINYEAR, date

from bot.dates import DateRange, plus_days

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
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_BETWEEN_MONTHS = re.compile(
    rf"\bbetween\s+((?:{_MONTH_NAMES})(?:\s+(?:19|20)\d{{2}})?)\s+and\s+({_MONTH_NAMES})\b"
)
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


def clamp_year(year: int) -> int:
    """A year the calendar has ("last year" asked in year 1 is year 1, not year 0)."""
    return min(max(year, MINYEAR), MAXYEAR)


def _whole_year(year: int, text: str) -> DateRange:
    year = clamp_year(year)
    return DateRange(date(year, 1, 1), date(year, 12, 31), text)


# "after", "since" ... and "when"/"once" unless they ask a question ("when did ...").
_RELATION = (
    r"(before|the day after|the week after|right after|just after|shortly after|"
    r"immediately after|soon after|after|since|following|prior to|ahead of|during|"
    r"at the time of|at the start of|at the beginning of|the start of|around|under|while|"
    r"on the day of|on the day|the day of|the day|"
    r"the week of|"
    r"the week(?!\s+(?:before|after|prior|following|since))|"
    r"(?:when|once)(?!\s+(?:did|does|do|is|was|will|are|were|has|have|had|can|could|should"
    r"|would)\b))"
)
_BEFORE_DAY = re.compile(r"\b(before|prior to)\s+(?:the\s+)?$")
_SINCE = re.compile(r"since\b")
_DIGIT = re.compile(r"\d")
_SINCE_BEFORE = re.compile(r"\bsince\s+$")
SOON_AFTER = frozenset(
    {
        "the week after",
        "right after",
        "just after",
        "shortly after",
        "immediately after",
        "soon after",
    }
)
_FILLER = r"(?:[^\s,.;:!?]+\s+)"  # a word inside the clause (never across punctuation)
_TAIL = (
    r"(?:\s+(?:down|out|up|it|them|in\s+person|by\s+phone|on\s+the\s+phone))?"
    r"(?:\s+(?:the|those|these)\s+(?:ieepa\s+)?(?:ones|tariffs|tariff|duties|case|lawsuit))?"
)


def _alternatives(phrases: Sequence[str]) -> str:
    ordered = sorted(phrases, key=len, reverse=True)
    # "90-day truce" is written with a hyphen or a space
    return "(?:" + "|".join(r"[\s-]+".join(map(re.escape, p.split())) for p in ordered) + ")"


def event_pattern(who: Sequence[str], did: Sequence[str]) -> str:
    """A clause telling an event: "after scotus killed the ieepa ones", "when the 90 days
    ran out", "after the ruling by the supreme court"."""
    who_rx, did_rx = _alternatives(who), _alternatives(did)
    return (
        rf"\b{_RELATION}\s+(?:the\s+|a\s+)?(?:{_FILLER}{{0,3}}?{who_rx}(?:['’]s)?\s+"
        rf"{_FILLER}{{0,2}}?"
        rf"{did_rx}(?:\s+(?:with\s+|to\s+)?{who_rx})?"
        rf"|{did_rx}\s+(?:by|of|from|in)\s+(?:the\s+)?{who_rx})\b{_TAIL}"
    )


# Days people name instead of dates (month, day); Thanksgiving is computed.
HOLIDAYS = {
    "christmas day": (12, 25),
    "christmas eve": (12, 24),
    "christmas": (12, 25),
    "xmas": (12, 25),
    "new year's day": (1, 1),
    "new years day": (1, 1),
    "new year's eve": (12, 31),
    "new years eve": (12, 31),
    "new year": (1, 1),
    "new years": (1, 1),
    "new year's": (1, 1),
    "halloween": (10, 31),
    "independence day": (7, 4),
    "fourth of july": (7, 4),
    "thanksgiving": (11, 0),
}
_HOLIDAY_WORDS = "|".join(
    re.escape(h).replace("'", "['’]?") for h in sorted(HOLIDAYS, key=len, reverse=True)
)


def _holiday(name: str, year: int | None, today: date) -> DateRange:
    month, day = HOLIDAYS[" ".join(name.replace("’", "'").split())]
    if year is None:
        year = _recent_year(month, max(day, 1), today)
    if day == 0:  # Thanksgiving: the fourth Thursday of November
        first = date(year, 11, 1)
        day = 1 + (3 - first.weekday()) % 7 + 21
    d = date(year, month, day)
    return DateRange(d, d, name)


PARTS_OF_MONTH = {
    "early": (1, 10),
    "beginning of": (1, 10),
    "start of": (1, 10),
    "mid": (11, 20),
    "late": (21, 31),
    "end of": (21, 31),
}
PARTS_OF_YEAR = {
    "early": (1, 4),
    "beginning of": (1, 3),
    "start of": (1, 3),
    "mid": (5, 8),
    "late": (9, 12),
    "end of": (10, 12),
}
SEASONS = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "winter": (12, 2),
}


def _season(which: str, name: str, year: int | None, today: date, text: str) -> DateRange | None:
    """Northern-hemisphere seasons; winter 2025 runs from Dec 2025 to Feb 2026. Without a
    year, "this summer" is this year's and "last summer" (or a bare "summer") the most
    recent one that has begun."""
    first, last = SEASONS[name]
    if year is None:
        year = today.year
        if which == "this":
            if last < first and today.month <= last:  # "this winter" in January
                year -= 1
        elif date(year, first, 1) > today or (
            which in ("last", "past") and today <= _season_end(year, first, last)
        ):
            year -= 1
    year = clamp_year(year)
    end = _season_end(year, first, last)
    return DateRange(date(year, first, 1), end, text)


def _season_end(year: int, first: int, last: int) -> date:
    end_year = year + 1 if last < first else year
    if end_year > MAXYEAR:  # winter 9999 ends after the calendar does
        return date.max
    return date(end_year, last, calendar.monthrange(end_year, last)[1])


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
    this = date(today.year, month, max(1, min(day, 28)))  # "may 0" is no day: checked later
    if this > today and (this - today).days > 60:
        return clamp_year(today.year - 1)
    return today.year


def _shift_months(day: date, months: int) -> date:
    """`day` moved by whole months (the day capped at the month's length), stopping at
    the calendar's first and last months."""
    index = day.year * 12 + day.month - 1 + months
    index = min(max(index, MINYEAR * 12), MAXYEAR * 12 + 11)
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


_WORD = re.compile(r"[a-z]+")
_MONTH_WORDS = frozenset(MONTHS)
_RELATIVE_WORDS = frozenset(
    "today tonight now currently moment yesterday last this tomorrow next date point".split()
)
_SEASON_WORDS = frozenset(SEASONS)
_HOLIDAY_TRIGGERS = frozenset(w for h in HOLIDAYS for w in _WORD.findall(h))
_PART_WORDS = frozenset({"early", "mid", "late", "beginning", "start", "end"})
_AGO_WORDS = frozenset({"ago"})


def _triggered(name: str, words: set[str], digits: bool, relation: bool) -> bool:
    """Could the date form `name` match a text with these words?"""
    if name.startswith("event") or name == "anchor":
        return relation
    if name in ("iso", "mdy_slash", "year", "part_year", "d_m", "d_m_y", "m_d_y", "m_d"):
        return digits and (
            name in ("iso", "mdy_slash", "year", "part_year") or bool(words & _MONTH_WORDS)
        )
    if name in ("m_y", "in_month"):
        return bool(words & _MONTH_WORDS)
    if name == "part_month":
        return bool(words & _MONTH_WORDS) and bool(words & _PART_WORDS)
    if name == "holiday":
        return bool(words & _HOLIDAY_TRIGGERS)
    if name == "ago":
        return bool(words & _AGO_WORDS)
    if name == "relative":
        return bool(words & _RELATIVE_WORDS)
    if name == "season":
        return bool(words & _SEASON_WORDS)
    return True


class _LazyPatterns(dict):
    """Compiled on first use: the event clauses are large regexes, and a one-shot
    `tradebot ask` should not pay for the forms its question does not use."""

    def __init__(self, sources: dict[str, str]) -> None:
        super().__init__()
        self.sources = sources

    def __missing__(self, name: str) -> re.Pattern[str]:
        compiled = self[name] = re.compile(self.sources[name], re.IGNORECASE)
        return compiled


class DateReader:
    """Finds date expressions; event anchors ("the truce") come from the rules data."""

    def __init__(
        self,
        anchors: Mapping[str, date] | None = None,
        events: Sequence[tuple[Sequence[str], Sequence[str], date]] = (),
    ) -> None:
        self.anchors = dict(anchors or {})
        self.event_dates = [day for _, _, day in events]
        # An event clause needs one of its actors' words ("scotus", "truce", "talks") and
        # an anchor one of its own: only those patterns are tried.
        self._needs: dict[str, frozenset[str]] = {
            f"event{n}": frozenset(w for phrase in who for w in re.split(r"[\s-]+", phrase))
            for n, (who, _, _) in enumerate(events)
        }
        self._needs["anchor"] = frozenset(
            w for phrase in self.anchors for w in re.split(r"[\s-]+", phrase)
        )
        anchor_words = _alternatives(list(self.anchors))[3:-1]  # without the outer group
        # Events come first: at the same position the longer clause wins over an anchor.
        patterns: list[tuple[str, str]] = [
            (f"event{n}", event_pattern(who, did)) for n, (who, did, _) in enumerate(events)
        ]
        patterns += [
            ("iso", r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"),
            ("mdy_slash", r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b"),
            ("d_m_y", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b"),
            ("m_d_y", rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
            ("m_y", rf"\b{_MONTH},?\s+{_YEAR}\b"),
            ("holiday", rf"\b({_HOLIDAY_WORDS})(?:,?\s+(?:of\s+|in\s+)?{_YEAR})?\b"),
            ("d_m", rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b"),
            ("m_d", rf"\b{_MONTH}\s+{_DAY}\b(?!\s*%)"),
            (
                "ago",
                r"\b(\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve)"
                r"\s+(day|week|month|year)s?\s+ago\b",
            ),
            (
                "relative",
                r"\b(today|tonight|right now|now|currently|at the moment|as of now|at this point|"
                r"as on date|as on today|as of date|"
                r"yesterday|last week|last month|last year|this month|this year|"
                r"tomorrow|next week|next month|next year)\b",
            ),
            (
                "part_month",
                rf"\b(early|mid|late|beginning of|start of|end of)[\s-]+(?:of\s+)?{_MONTH}"
                rf"(?:,?\s+{_YEAR})?\b",
            ),
            ("part_year", rf"\b(early|mid|late|beginning of|start of|end of)[\s-]+{_YEAR}\b"),
            (
                "season",
                # "fall" only as a season: "this fall", "in the fall", "fall 2025" (not
                # "did the tariff fall between April and June").
                rf"\b(?:(last|this|past)\s+)?(spring|summer|autumn|winter|"
                rf"(?:(?<=last\s)|(?<=this\s)|(?<=past\s)|(?<=the\s)|(?<=in\s))fall|"
                rf"fall(?=\s+(?:of\s+)?\d{{4}}))"
                rf"(?:\s+(?:of\s+)?{_YEAR})?\b",
            ),
            (
                "in_month",
                rf"\b(?:in|during|since|from|by|until|till|as of|between)\s+{_MONTH}(?!\s*\d)\b"
                r"(?!\s+(?:i|we|you|he|she|they|it|be|have|not|also|well)\b)",
            ),
            ("year", rf"\b(?:in|during|since|from|by|of|for|as of)\s+{_YEAR}\b"),
        ]
        if anchor_words:
            patterns.append(
                (
                    "anchor",
                    rf"\b(before|the day after|the week after|right after|just after|"
                    rf"shortly after|immediately after|soon after|after|since|during|prior to|"
                    rf"ahead of|following|at the time of|the week of|at the start of|"
                    rf"at the beginning of|the start of|"
                    rf"around|under|while|on the day of|on the day|the day of|the day)\s+"
                    rf"(?:the\s+)?({anchor_words})\b",
                )
            )
        self._patterns = patterns
        self._relation = re.compile(rf"\b{_RELATION}\s", re.IGNORECASE)
        self._groups = _LazyPatterns(dict(patterns))

    def _matches(self, text: str, events: bool) -> list[tuple[str, re.Match[str]]]:
        """The date expressions in `text`, left to right, not overlapping.

        Only the forms whose trigger words the text has are tried (most questions hold
        one or two kinds: a month, a digit, "now"), each with its own precompiled regex;
        at the same position the form listed first wins, as in one big alternation.
        """
        words = set(_WORD.findall(text.lower()))
        digits = _DIGIT.search(text) is not None
        relation = bool(self._relation.search(text))
        found = []
        for order, (name, _) in enumerate(self._patterns):
            clause = relation and (events or not (name.startswith("event") or name == "anchor"))
            needs = self._needs.get(name)
            if needs is not None and (not clause or needs.isdisjoint(words)):
                continue
            if _triggered(name, words, digits, clause):
                found += [(m.start(), order, name, m) for m in self._groups[name].finditer(text)]
        found.sort(key=lambda item: (item[0], item[1]))
        chosen, end = [], -1
        for start, _, name, match in found:
            if start >= end:
                chosen.append((name, match))
                end = max(match.end(), start + 1)
        return chosen

    def read(self, text: str, today: date, events: bool = True) -> tuple[str, list[DateRange]]:
        """Return the text with each date replaced by `qdate`, and the dates found.

        With `events=False`, event clauses and anchors ("before the truce") are left in
        the text (the caller's second reading when the event turned out to be the
        question's topic)."""
        if "between" in text:  # "between April and June 2025": each month on its own
            text = _BETWEEN_MONTHS.sub(r"in \1 and in \2", text)
        found: list[DateRange] = []
        pieces: list[str] = []
        last = 0
        for kind, match in self._matches(text, events):
            span_text = match.group(0)
            parsed = self._parse(kind, span_text, today)
            if parsed is None:
                continue
            start = match.start()
            relation = _BEFORE_DAY.search(text, last, start) if parsed.is_day else None
            if relation is not None:  # "before May 14th": the day before
                day = plus_days(parsed.start, -1)
                parsed = DateRange(day, day, f"{relation.group(1)} {span_text}")
                start = relation.start()
            elif kind in ("in_month", "m_y") and parsed.start < today:
                since = _SINCE.match(span_text.lower()) or _SINCE_BEFORE.search(text, last, start)
                if since is not None:  # "since May", "since May 2025": until today
                    if since.re is _SINCE_BEFORE:
                        start, span_text = since.start(), f"since {span_text}"
                    parsed = DateRange(parsed.start, today, span_text)
            found.append(parsed)
            pieces.append(text[last:start])
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
        if kind == "part_month":
            part, month = g[0].lower(), MONTHS[g[1].lower()]
            year = int(g[2]) if g[2] else _recent_year(month, 1, today)
            whole = _month_range(year, month, text)
            first, last = PARTS_OF_MONTH[part]
            return DateRange(
                whole.start.replace(day=first),
                whole.end.replace(day=min(last, whole.end.day)),
                text,
            )
        if kind == "part_year":
            part, year = g[0].lower(), int(g[1])
            first, last = PARTS_OF_YEAR[part]
            return DateRange(date(year, first, 1), _month_range(year, last, text).end, text)
        if kind == "season":
            return _season(
                (g[0] or "").lower(), g[1].lower(), int(g[2]) if g[2] else None, today, text
            )
        if kind == "holiday":
            name = g[0].lower().replace("’", "'")
            if name not in HOLIDAYS:
                name = name.replace("years", "year's")
            found = _holiday(name, int(g[1]) if g[1] else None, today)
            return DateRange(found.start, found.end, text)
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
            return _whole_year(int(g[0]), text)
        if kind == "ago":
            amount = _NUMBER_WORDS.get(g[0].lower()) or int(g[0])
            unit = g[1].lower()
            if unit == "day":
                d = plus_days(today, -amount)
            elif unit == "week":
                d = plus_days(today, -7 * amount)
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
                "at this point",
                "as of now",
                "as on date",
                "as on today",
                "as of date",
                "this month",
                "this year",
            ):
                return DateRange(today, today, text)
            if word == "yesterday":
                d = plus_days(today, -1)
                return DateRange(d, d, text)
            if word == "last week":  # the seven days before today: what happened in them
                return DateRange(plus_days(today, -7), plus_days(today, -1), text)
            if word == "last month":
                prev = _shift_months(today, -1)
                return _month_range(prev.year, prev.month, text)
            if word == "last year":
                return _whole_year(today.year - 1, text)
            if word == "tomorrow":
                d = plus_days(today, 1)
                return DateRange(d, d, text)
            if word == "next week":
                return DateRange(plus_days(today, 1), plus_days(today, 7), text)
            if word == "next month":
                nxt = _shift_months(today, 1)
                return _month_range(nxt.year, nxt.month, text)
            if word == "next year":
                return _whole_year(today.year + 1, text)
            return None
        if kind == "anchor" or kind.startswith("event"):
            relation = " ".join(g[0].lower().split())
            if kind == "anchor":
                start = self.anchors.get(re.sub(r"[\s-]+", " ", g[1].lower()).strip())
            else:
                start = self.event_dates[int(kind.removeprefix("event"))]
            if start is None:
                return None
            event = kind != "anchor"
            if relation in ("before", "prior to", "ahead of"):
                d = plus_days(start, -1)
                return DateRange(d, d, text, event)
            if relation == "the day after":
                d = plus_days(start, 1)
                return DateRange(d, d, text, event)
            if relation in SOON_AFTER and start < today:  # the week that followed
                return DateRange(start, min(plus_days(start, 7), today), text, event)
            if relation in ("after", "since", "following") and start < today:
                return DateRange(start, today, text, event)  # from the event until now
            return DateRange(start, start, text, event)
        return None
