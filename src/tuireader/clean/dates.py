"""Dates written on a page, and which of them is the story's publication date.

A scraped page carries several dates: the publication line ("Posted at 6:51 PM, Jun 09, 2023"), an
update line, the masthead's "today" banner printed on every page of the site, a page clock stamped to
the second, dates inside the story. Only the first is the story's date, so each date found is given a
role from how it is written and where it stands, and the publication date is chosen among the dates
that earned that role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan janvier janv januar jänner enero ene gennaio gen janeiro januari",
        "february feb febr février févr februar febrero febbraio fevereiro fev februari",
        "march mar mars märz marzo março maart",
        "april apr avril abril aprile",
        "may mai mayo maggio maio mei",
        "june jun juin juni junio giugno junho",
        "july jul juillet juli julio luglio julho",
        "august aug août agosto augustus",
        "september sep sept septembre septiembre settembre setembro",
        "october oct octobre oktober octubre ottobre outubro okt",
        "november nov novembre noviembre novembro",
        "december dec décembre déc dezember diciembre dicembre dezembro dez",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS.setdefault(_name, _number)

_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|"
    r"sat|sun|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|montag|dienstag|mittwoch|donnerstag|"
    r"freitag|samstag|sonntag|lunes|martes|miércoles|jueves|viernes|sábado|domingo)"
)
_TIME = (
    r"(?P<hour>[01]?\d|2[0-3])[:.h](?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?"
    r"\s*(?P<ampm>[ap]\.?\s?m\.?)?"
)

# Order matters: the first pattern to match a stretch of text claims it.
_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(
        r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<mon>0?[1-9]|1[0-2])-(?P<day>0?[1-9]|[12]\d|3[01])"
        r"(?:[T ](?P<hour>[01]\d|2[0-3]):(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?(?:\.\d+)?"
        r"(?P<tz>Z|[+-]\d\d:?\d\d)?)?(?!\d)"
    ),
    re.compile(
        rf"(?<![\w])(?:{_WEEKDAY},?\s+)?{_MONTH}\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?<![\w])(?:{_WEEKDAY},?\s+)?(?P<day>[0-3]?\d)(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?"
        r"(?P<year>(?:19|20)\d\d)(?!\d)",
        re.IGNORECASE,
    ),
    # 18.11.2019 is day first everywhere it is written with dots.
    re.compile(r"(?<![\d.])(?P<day>[0-3]?\d)\.(?P<mon>[01]?\d)\.(?P<year>(?:19|20)\d\d)(?![\d.])"),
    # 11/19/2019: month first unless the first number cannot be a month.
    re.compile(r"(?<![\d/])(?P<a>[0-3]?\d)/(?P<b>[0-3]?\d)/(?P<year>(?:19|20)\d\d)(?![\d/])"),
)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
# 20230609 only counts when it is alone on its line or inside a URL path.
_COMPACT = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d\d)(?P<mon>0[1-9]|1[0-2])(?P<day>0[1-9]|[12]\d|3[01])(?!\d)"
)
_TIME_NEAR = re.compile(_TIME, re.IGNORECASE)
# A clock to the second, as page-generation stamps print it ("2025-04-10 18:20:02"); an ISO
# "...T12:48:14Z" stamp is machine metadata about the story instead, so it is not one.
_SECONDS_CLOCK = re.compile(r"(?<![\dT])(?:[01]?\d|2[0-3]):[0-5]\d:[0-5]\d(?!\d)")
_WEEKDAY_RE = re.compile(rf"(?<!\w){_WEEKDAY}(?!\w)", re.IGNORECASE)
_RELATIVE = re.compile(r"(?<!\w)(\d{1,4})\s+(minute|hour|day|week|month|year)s?\s+ago(?!\w)", re.IGNORECASE)
_URL_DATE = re.compile(
    r"/(?P<year>(?:19|20)\d\d)[/-](?P<mon>0?[1-9]|1[0-2])(?:[/-](?P<day>0?[1-9]|[12]\d|3[01]))?(?=[/-]|$)"
)

_PUBLICATION_CUE = re.compile(
    r"(?<!\w)(?:posted|published|publication|released|filed|publié|publiée|veröffentlicht|publicado|"
    r"publicada|pubblicato|gepubliceerd|publicerad|opublikowano)(?!\w)",
    re.IGNORECASE,
)
_UPDATE_CUE = re.compile(
    r"(?<!\w)(?:updated|update|modified|edited|revised|mis à jour|aktualisiert|actualizado|atualizado|"
    r"aggiornato|bijgewerkt)(?!\w)",
    re.IGNORECASE,
)
_BYLINE_CUE = re.compile(r"^\s*(?:by|story by|written by|von|par|por)\s", re.IGNORECASE)
# What may share a line with a date that is "alone" on it: a label such as "Date:", a time, separators.
_LEFTOVER = re.compile(
    r"[\W\d_]|\b(?:date|dated|on|at|am|pm|a\.m|p\.m|utc|gmt|est|edt|cet|cest|bst|pst|pdt|et|pt)\b",
    re.IGNORECASE,
)

Role = str  # "publication" | "banner" | "other"


@dataclass(frozen=True, slots=True)
class FoundDate:
    """One date written in a line, with its place and how it is dressed."""

    day: date
    time: str | None  # "HH:MM" or "HH:MM:SS" when written beside the date
    tz: str | None
    start: int
    end: int

    @property
    def iso(self) -> str:
        if self.time is None:
            return self.day.isoformat()
        return f"{self.day.isoformat()}T{self.time}{self.tz or ''}"


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(line: str) -> list[FoundDate]:
    """Every calendar date written in `line`, left to right, with a time written next to it.

    Every written date holds a four-digit year, so the patterns only look at a short window around
    each year: lines are long and years few, which keeps this cheap.
    """
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for year in _YEAR.finditer(line):
        lo = max(0, year.start() - 48)
        if lo:
            space = line.rfind(" ", 0, lo)
            lo = space + 1 if space >= 0 else 0
        window = line[lo : min(len(line), year.end() + 32)]
        for pattern in _PATTERNS:
            for m in pattern.finditer(window):
                start, end = m.start() + lo, m.end() + lo
                if any(start < e and s < end for s, e in taken):
                    continue
                value, time, tz = _read(m, line, start, end)
                if value is None:
                    continue
                taken.append((start, end))
                found.append(FoundDate(value, time, tz, start, end))
    if not found:
        stripped = line.strip()
        m = _COMPACT.fullmatch(stripped)
        if m:
            value = _make_date(int(m["year"]), int(m["mon"]), int(m["day"]))
            if value is not None:
                offset = line.index(stripped)
                found.append(FoundDate(value, None, None, offset, offset + len(stripped)))
    found.sort(key=lambda f: f.start)
    return found


def _read(m: re.Match[str], line: str, start: int, end: int) -> tuple[date | None, str | None, str | None]:
    """The date, time and zone a pattern match spells."""
    groups = m.groupdict()
    year = int(groups["year"])
    if groups.get("month"):
        month = _MONTHS[groups["month"].lower()]
        day = int(groups["day"])
    elif groups.get("a"):
        a, b = int(groups["a"]), int(groups["b"])
        month, day = (a, b) if a <= 12 else (b, a)
    else:
        month, day = int(groups["mon"]), int(groups["day"])
    value = _make_date(year, month, day)
    if value is None:
        return None, None, None
    if groups.get("hour"):
        time = f"{int(groups['hour']):02d}:{groups['minute']}" + (
            f":{groups['second']}" if groups.get("second") else ""
        )
    else:
        time = _time_near(line, start, end)
    return value, time, groups.get("tz")


def _time_near(line: str, start: int, end: int) -> str | None:
    """A clock time written within a few characters before or after a date ("6:51 PM, Jun 09, 2023")."""
    for m in _TIME_NEAR.finditer(line, max(0, start - 14), min(len(line), end + 16)):
        if m.end() <= start or m.start() >= end:
            hour = int(m["hour"])
            ampm = (m["ampm"] or "").replace(".", "").replace(" ", "").lower()
            if ampm == "pm" and hour < 12:
                hour += 12
            elif ampm == "am" and hour == 12:
                hour = 0
            return f"{hour:02d}:{m['minute']}" + (f":{m['second']}" if m["second"] else "")
    return None


def parse_date(text: str) -> str | None:
    """The first date in `text` as an ISO date (or date-time when a time is given), else None."""
    found = find_dates(text)
    return found[0].iso if found else None


def date_from_url(url: str) -> date | None:
    """A date in a URL path such as /2019/11/18/ or /2019-11-19/, when the path holds one."""
    m = _URL_DATE.search(url)
    if m and m["day"]:
        return _make_date(int(m["year"]), int(m["mon"]), int(m["day"]))
    m = _COMPACT.search(url)
    if m:
        return _make_date(int(m["year"]), int(m["mon"]), int(m["day"]))
    return None


def relative_days(line: str) -> int | None:
    """How many days back "712 days ago" (or weeks, hours ...) points; None when the line has none."""
    m = _RELATIVE.search(line)
    if not m:
        return None
    n, unit = int(m.group(1)), m.group(2).lower()
    return {"minute": 0, "hour": n // 24, "day": n, "week": 7 * n, "month": 30 * n, "year": 365 * n}[unit]


@dataclass(frozen=True, slots=True)
class DateCandidate:
    """A date with the role its line gives it and a score for being the publication date."""

    found: FoundDate
    line: str
    role: Role
    score: float
    why: str


def judge(line: str, found: FoundDate, *, above_title: bool, in_body: bool) -> DateCandidate:
    """Give a date its role from its line: cue words, company on the line, and position.

    - a publication cue ("Posted", "Published") or a byline on the line makes it the story's date;
    - an update cue makes it a fallback ("other");
    - a clock stamped to the second without a cue is the page's clock, a date printed above the
      headline without a cue is the masthead's "today" banner: both are page-visit dates;
    - a date alone on its line below the headline is how many sites print the publication date;
    - a date inside the story is something the story talks about.
    """
    if in_body:
        return DateCandidate(found, line, "other", 0.0, "in the story text")
    if _PUBLICATION_CUE.search(line):
        return DateCandidate(found, line, "publication", 3.0, "publication line")
    if _BYLINE_CUE.match(line):
        return DateCandidate(found, line, "publication", 2.5, "byline")
    if _UPDATE_CUE.search(line):
        return DateCandidate(found, line, "other", 0.5, "update line")
    if _SECONDS_CLOCK.search(line):
        return DateCandidate(found, line, "banner", -1.0, "page clock (time to the second)")
    if above_title:
        return DateCandidate(found, line, "banner", -1.0, "printed above the headline")
    alone = not _LEFTOVER.sub("", line[: found.start] + line[found.end :]).strip()
    if alone:
        if _WEEKDAY_RE.search(line) and not found.time:
            # A weekday-dated line with nothing else is either; below the headline it is the story's.
            return DateCandidate(found, line, "publication", 1.0, "date line below the headline")
        return DateCandidate(found, line, "publication", 1.5, "date line")
    return DateCandidate(found, line, "publication", 0.8, "date in the page header")


def shift(day: date, days_back: int) -> date:
    """`day` moved `days_back` days into the past (for "N days ago")."""
    return day - timedelta(days=days_back)
