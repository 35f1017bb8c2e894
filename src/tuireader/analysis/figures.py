"""Figures stated in an article: quantities with units, counts, money, months, dates and times.

Discrepancies between versions of a story hide in these ("about 600 miles" against "several hundred
kilometers"; "In April" against "In March"), so each figure is normalised to a comparable value
(kilometres, kilograms, dollars, a month number, an ISO date) and keeps a *range* of what its words
allow: "about 600 miles" is 600 miles give or take 15%, "several hundred kilometers" 300 to 700 km,
"hundreds of drones" 200 to 999. An exact number allows the rounding of its last stated digit ("250"
is 245 to 255, so it disagrees with "260"; "1,200" holds "1,230"), a stated range its two ends ("10 to
12 children"). Two versions disagree when their ranges do not meet, which avoids flagging "hundreds"
against "400" while catching "600 miles" against "several hundred kilometers".

Each figure also carries its `topic`: the content words of its sentence near it. Versions are
compared figure by figure only when their topics say they measure the same thing (see `align`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tuireader.model import Figure
from tuireader.text.units import STOPWORDS, WORD_RE, norm_word, paragraph_spans, sentence_spans

MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
WEEKDAYS = {
    d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
}

SMALL_NUMBERS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ]
    )
}
TENS = {
    w: 10 * (i + 2)
    for i, w in enumerate(["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"])
}
SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "dozen": 12.0}
#: "several hundred": how many of the scale the vague word allows (dictionary senses, not tuned).
VAGUE_MULTIPLIERS = {"several": (3.0, 7.0), "few": (2.0, 5.0), "couple": (2.0, 3.0), "many": (5.0, 9.0)}
#: Qualifiers as (low factor, high factor) around the stated value.
QUALIFIERS = {
    "about": (0.85, 1.15),
    "around": (0.85, 1.15),
    "roughly": (0.85, 1.15),
    "approximately": (0.85, 1.15),
    "some": (0.85, 1.15),
    "nearly": (0.85, 1.0),
    "almost": (0.85, 1.0),
    "over": (1.0, 2.0),
    "more than": (1.0, 2.0),
    "at least": (1.0, 3.0),
    "up to": (0.0, 1.0),
    "less than": (0.0, 1.0),
    "under": (0.0, 1.0),
    "fewer than": (0.0, 1.0),
    "as many as": (0.5, 1.0),
    "as much as": (0.5, 1.0),
    "close to": (0.85, 1.0),
}
#: Exact numbers still allow the rounding that news copy applies: what rounds to the stated digits
#: ("250" is 245 to 255, "3.2 million" 3.15 to 3.25 million), at most this share either way
#: ("40%" is 38 to 42, not 35 to 45). A whole number never meets its neighbour: "12 dead" is not 13,
#: but "5 miles" is "8 kilometres" rounded.
ROUNDING_SHARE = 0.05
#: A number and its neighbour rounded to the same digits do not meet: "250" ends where "260" starts.
_ROUNDING_EDGE = 0.999

#: unit word -> (dimension, factor to the base unit): km, kg, km2.
UNITS = {
    "km": ("length", 1.0),
    "kilometer": ("length", 1.0),
    "kilometers": ("length", 1.0),
    "kilometre": ("length", 1.0),
    "kilometres": ("length", 1.0),
    "mile": ("length", 1.609344),
    "miles": ("length", 1.609344),
    "meter": ("length", 0.001),
    "meters": ("length", 0.001),
    "metre": ("length", 0.001),
    "metres": ("length", 0.001),
    "foot": ("length", 0.0003048),
    "feet": ("length", 0.0003048),
    "ft": ("length", 0.0003048),
    "yard": ("length", 0.0009144),
    "yards": ("length", 0.0009144),
    "kg": ("mass", 1.0),
    "kilogram": ("mass", 1.0),
    "kilograms": ("mass", 1.0),
    "ton": ("mass", 1000.0),
    "tons": ("mass", 1000.0),
    "tonne": ("mass", 1000.0),
    "tonnes": ("mass", 1000.0),
    "acre": ("area", 0.004047),
    "acres": ("area", 0.004047),
    "hectare": ("area", 0.01),
    "hectares": ("area", 0.01),
}
BASE_UNITS = {"length": "km", "mass": "kg", "area": "km2"}
CURRENCY_WORDS = {"dollar": "USD", "dollars": "USD", "euro": "EUR", "euros": "EUR", "pounds": "GBP"}
CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP"}
_MONTH_CONTEXT = frozenset(
    [
        "in",
        "since",
        "by",
        "until",
        "of",
        "from",
        "through",
        "last",
        "next",
        "early",
        "late",
        "mid",
        "this",
        "during",
        "before",
        "after",
        "as",
    ]
)
_TOPIC_EXCLUDE = frozenset(
    set(SMALL_NUMBERS)
    | set(TENS)
    | set(SCALES)
    | {s + "s" for s in SCALES}
    | set(VAGUE_MULTIPLIERS)
    | set(MONTHS)
    | set(WEEKDAYS)
    | set(UNITS)
    | {
        "percent",
        "per",
        "cent",
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "day",
        "days",
        "early",
        "late",
        "last",
        "next",
        "ago",
    }
    | {w for q in QUALIFIERS for w in q.split()}
)
#: How many content words on each side of a figure say what it measures.
TOPIC_BEFORE = 6
TOPIC_AFTER = 8
#: Content words on each side of a figure that must share one with the paired figure (`near_words`).
NEAR_WORDS = 2
#: Plural nouns that do not end in -s.
IRREGULAR_PLURALS = frozenset(
    [
        "people",
        "children",
        "men",
        "women",
        "police",
        "personnel",
        "staff",
        "troops",
        "cattle",
        "fish",
        "sheep",
    ]
)
#: Words that name what is counted without being plural nouns ("12 dead", "30 injured").
COUNTED_ADJECTIVES = frozenset(["dead", "injured", "wounded", "missing", "killed", "hurt"])
#: Counted nouns that name one quantity: "12 dead" and "14 deaths" disagree.
SAME_QUANTITY = {
    "deaths": "dead",
    "fatalities": "dead",
    "killed": "dead",
    "casualties": "dead",
    "injuries": "injured",
    "wounded": "injured",
    "hurt": "injured",
}
#: People counted by what happened to them: "12 people were killed" counts the dead.
_PEOPLE = frozenset(["people", "persons", "others"])
_WHAT_HAPPENED = {"killed": "dead", "died": "dead", "dead": "dead", "injured": "injured", "hurt": "injured",
                  "wounded": "injured"}  # fmt: skip
#: A verb right before a number that says what it counts: "killing 12", "injuring 30 people".
_DONE_TO = {"killing": "dead", "killed": "dead", "injuring": "injured", "injured": "injured",
            "wounding": "injured", "wounded": "injured"}  # fmt: skip
#: Words between a number and what happened to the counted ("12 were killed", "30 have died").
_AUXILIARIES = frozenset(["were", "have", "had", "been", "was", "are", "reportedly", "also"])


def quantity_key(unit: str | None) -> str | None:
    """What a count's noun counts, one key for words of one quantity ("deaths", "dead", "killed")."""
    if unit is None:
        return None
    return SAME_QUANTITY.get(unit, unit)


#: Nouns of time spans: "3 years" is a duration, not a count of things.
DURATION_NOUNS = frozenset(
    ["seconds", "minutes", "hours", "days", "weeks", "months", "years", "decades", "centuries"]
)

#: Seconds in each unit of a duration ("six hours", "three days").
DURATION_SECONDS = {
    "second": 1.0,
    "minute": 60.0,
    "hour": 3600.0,
    "day": 86400.0,
    "week": 604800.0,
    "month": 2629800.0,
    "year": 31557600.0,
    "decade": 315576000.0,
}
#: Relative dates resolved later against the article's publication date ("next year" = +1).
_RELATIVE = {"next": 1, "last": -1, "this": 0}
_AGE_RE = re.compile(r"(\d{1,3})-years?-old")

_TIME_RE = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*([ap])\.?\s?m\b\.?|\b([01]?\d|2[0-3]):([0-5]\d)\b", re.I)
_ISO_DATE_RE = re.compile(r"\b(19\d\d|20\d\d)-(0[1-9]|1[0-2])-([0-2]\d|3[01])\b")


class _Tok:
    __slots__ = ("text", "low", "start", "end")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.low, self.start, self.end = text, text.lower(), start, end


def _number(tok: str) -> float | None:
    t = tok.replace(",", "")
    try:
        return float(t)
    except ValueError:
        return None


def _word_number(toks: Sequence[_Tok], i: int) -> tuple[float, int] | None:
    """A number written in words at toks[i] ("twenty-five", "two"); returns (value, tokens used)."""
    low = toks[i].low
    if low in SMALL_NUMBERS:
        return float(SMALL_NUMBERS[low]), 1
    if low in TENS:
        return float(TENS[low]), 1
    parts = low.split("-")
    if len(parts) == 2 and parts[0] in TENS and parts[1] in SMALL_NUMBERS:
        return float(TENS[parts[0]] + SMALL_NUMBERS[parts[1]]), 1
    return None


def parse_amount(
    toks: Sequence[_Tok], i: int, text: str
) -> tuple[float, float, float, int, str | None] | None:
    """An amount starting at toks[i]: (low, central, high, tokens used, currency sign) or None."""
    n = len(toks)
    j = i
    qual = None
    for q in sorted(QUALIFIERS, key=lambda q: -len(q.split())):
        words_ = q.split()
        if [t.low for t in toks[j : j + len(words_)]] == words_:
            qual = QUALIFIERS[q]
            j += len(words_)
            break
    between = qual is None and j < n and toks[j].low == "between"
    if between:
        j += 1
    if j >= n:
        return None
    sign = None
    prev_char = text[toks[j].start - 1] if toks[j].start > 0 else ""
    if prev_char in CURRENCY_SIGNS:
        sign = CURRENCY_SIGNS[prev_char]
    low = toks[j].low
    lo = hi = None
    # "a few hundred", "several thousand", "a couple of hundred"
    k = j + 1 if low in {"a", "an"} else j
    if k < n and toks[k].low in VAGUE_MULTIPLIERS:
        m_lo, m_hi = VAGUE_MULTIPLIERS[toks[k].low]
        k2 = k + 1
        if k2 < n and toks[k2].low == "of":
            k2 += 1
        if k2 < n and toks[k2].low in SCALES:
            scale = SCALES[toks[k2].low]
            lo, hi, j = m_lo * scale, m_hi * scale, k2 + 1
    if lo is None and low in {"a", "an"} and j + 1 < n and toks[j + 1].low in SCALES:
        v = SCALES[toks[j + 1].low]
        lo = hi = v
        j += 2
    if lo is None and low.endswith("s") and low[:-1] in SCALES:
        # "hundreds of", "tens of thousands of", "dozens of"
        scale = SCALES[low[:-1]]
        lo, hi = 2 * scale, 10 * scale - 1 if scale != 12.0 else 144.0
        j += 1
    if (
        lo is None
        and low == "tens"
        and j + 2 < n
        and toks[j + 1].low == "of"
        and toks[j + 2].low.rstrip("s") in SCALES
    ):
        scale = SCALES[toks[j + 2].low.rstrip("s")]
        lo, hi, j = 20 * scale, 99 * scale, j + 3
    hyphen = re.fullmatch(r"(\d{1,3})-(\d{1,3})", toks[j].text) if lo is None else None
    if hyphen and int(hyphen.group(1)) < int(hyphen.group(2)):  # "10-12 people"
        lo, hi = float(hyphen.group(1)), float(hyphen.group(2))
        j += 1
        qual = (1.0, 1.0)
    if lo is None:
        v = _number(toks[j].text) if re.fullmatch(r"\d[\d,]*(?:\.\d+)?", toks[j].text) else None
        used = 1
        abbreviated = re.fullmatch(r"(\d[\d,]*(?:\.\d+)?)(bn|tn|m|k)", toks[j].low) if v is None else None
        if abbreviated and (sign is not None or abbreviated.group(2) in {"bn", "tn"}):
            v = (_number(abbreviated.group(1)) or 0.0) * _ABBREVIATED_SCALES[abbreviated.group(2)]  # "$3.2m"
        if v is None:
            wn = _word_number(toks, j)
            if wn is None:
                return None
            v, used = wn
        j += used
        scale, after_scale = _scale_after(toks, j)
        scaled = after_scale > j
        v, j = v * scale, after_scale
        lo = hi = v
        to = _range_end(toks, j, between) if qual is None else None
        if to is not None:  # "10 to 12 injured", "between 10 and 12", "3 to 4 million"
            scale, j = _scale_after(toks, to[1])
            hi = to[0] * scale
            if not scaled:
                lo *= scale  # the scale after the second number belongs to both
            lo, hi = min(lo, hi), max(lo, hi)
            qual = (1.0, 1.0)
        if qual is None:
            qual = _rounding(v) if v > 0 else (1.0, 1.0)
    if qual in _APPROXIMATE and lo == hi and lo >= 20:
        qual = _approximately(lo)
    if qual is not None:
        lo, hi = lo * qual[0], hi * qual[1]
    central = (lo + hi) / 2 if hi < float("inf") else lo
    return lo, central, hi, j - i, sign


#: Scales written into a number: "£1.5bn", "$3.2m" ("m" and "k" only after a currency sign: "a 5m
#: wall" is five metres).
_ABBREVIATED_SCALES = {"bn": 1e9, "tn": 1e12, "m": 1e6, "k": 1e3}

#: Words joining the two ends of a stated range ("10 to 12", "between 10 and 12").
_RANGE_WORDS = frozenset({"to", "and", "or"})


def _plain_number(toks: Sequence[_Tok], k: int) -> float | None:
    if k >= len(toks):
        return None
    if re.fullmatch(r"\d[\d,]*(?:\.\d+)?", toks[k].text):
        return _number(toks[k].text)
    wn = _word_number(toks, k)
    return wn[0] if wn else None


def _range_end(toks: Sequence[_Tok], j: int, between: bool) -> tuple[float, int] | None:
    """The upper end of a range whose first number ends at toks[j] ("10 *to 12*", "between 10 *and
    12*"), as (number, index after it); None when the number stands alone. "And" joins a range only
    after "between" ("12 dead and 30 injured" are two figures)."""
    if j + 1 >= len(toks) or toks[j].low not in _RANGE_WORDS or (toks[j].low != "to" and not between):
        return None
    v = _plain_number(toks, j + 1)
    return None if v is None else (v, j + 2)


def _scale_after(toks: Sequence[_Tok], j: int) -> tuple[float, int]:
    scale = 1.0
    while j < len(toks) and toks[j].low in SCALES and toks[j].low != "dozen":
        scale *= SCALES[toks[j].low]
        j += 1
    return scale, j


def _place(v: float) -> float:
    """The place of the last digit a number states: 10 for "250", 100,000 for "3.2 million" (3200000),
    0.1 for "45.5"."""
    digits = f"{v:.6f}".rstrip("0").rstrip(".")
    if "." in digits:
        return 10.0 ** -len(digits.split(".")[1])
    return 10.0 ** (len(digits) - len(digits.rstrip("0")))


def _rounding(v: float) -> tuple[float, float]:
    """The factors around an exact `v` that round to its stated digits (see `ROUNDING_SHARE`)."""
    share = min(ROUNDING_SHARE, 0.5 * _place(v) / v) * _ROUNDING_EDGE
    return 1.0 - share, 1.0 + share


#: The qualifiers that mean "give or take": their width follows the number's stated precision.
_APPROXIMATE = frozenset({QUALIFIERS["about"]})


def _approximately(v: float) -> tuple[float, float]:
    """The range of "about v": one unit of its last non-zero digit either way ("about 1,200" is
    1,100 to 1,300, so it disagrees with "about 1,500"), at least 5% and at most 15%."""
    digits = str(int(v)) if v == int(v) else ""
    place = 10 ** (len(digits) - len(digits.rstrip("0"))) if digits else 1
    share = min(0.15, max(0.05, place / v))
    return 1.0 - share, 1.0 + share


def _month_at(toks: Sequence[_Tok], i: int) -> int | None:
    """The month named by toks[i], if it is one here.

    Abbreviations count only before a day ("Jun 09"); "May" and "March", which are also verbs, only
    after a preposition ("In March", "as of May") or before a day or year.
    """
    tok = toks[i]
    month = MONTHS.get(tok.low)
    if month is None or not tok.text[:1].isupper():
        return None
    nxt = toks[i + 1].text if i + 1 < len(toks) else ""
    before_number = bool(re.fullmatch(r"\d{1,4}", nxt))
    if len(tok.low) <= 3 and tok.low != "may":
        return month if before_number else None
    if tok.low in {"may", "march"}:
        after_preposition = i > 0 and toks[i - 1].low in _MONTH_CONTEXT
        return month if after_preposition or before_number else None
    return month


def _tokens(text: str, lo: int, hi: int) -> list[_Tok]:
    return [_Tok(m.group(0), m.start(), m.end()) for m in WORD_RE.finditer(text, lo, hi)]


def _topic(toks: Sequence[_Tok], i: int, j: int) -> tuple[str, ...]:
    """Content words of the sentence nearest to toks[i:j]: TOPIC_BEFORE before it, TOPIC_AFTER after."""

    def content(k: int) -> str | None:
        w = norm_word(toks[k].text)
        if len(w) < 2 or w in STOPWORDS or w in _TOPIC_EXCLUDE or w.isdigit():
            return None
        return w

    before = [w for k in range(i - 1, -1, -1) if (w := content(k))][:TOPIC_BEFORE]
    after = [w for k in range(j, len(toks)) if (w := content(k))][:TOPIC_AFTER]
    out: list[str] = []
    for w in [*reversed(before), *after]:
        if w not in out:
            out.append(w)
    return tuple(out)


def near_words(text: str, fig: Figure, k: int = NEAR_WORDS) -> set[str]:
    """The `k` content words closest to a figure on each side, within its sentence.

    Two versions state the same fact when the words right next to the figure agree ("600 miles
    *east*" / "several hundred kilometers *east*"); words further away in a long sentence often
    belong to another figure of it (a quake's depth and its distance from a city).
    """
    left, right = near_sides(text, fig, k)
    return set(left) | set(right)


def near_sides(text: str, fig: Figure, k: int = NEAR_WORDS) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`near_words` apart: the `k` content words before the figure and the `k` after it, in order."""
    left = re.split(r"[.!?;:]\s", text[max(0, fig.start - 120) : fig.start])[-1]
    right = re.split(r"[.!?;:]\s", text[fig.end : fig.end + 120])[0]

    def content(chunk: str) -> list[str]:
        out = []
        for m in WORD_RE.finditer(chunk):
            w = norm_word(m.group(0))
            if len(w) >= 2 and w not in STOPWORDS and w not in _TOPIC_EXCLUDE and not w.isdigit():
                out.append(w)
        return out

    return tuple(content(left)[-k:]), tuple(content(right)[:k])


def _count_unit(toks: Sequence[_Tok], j: int) -> tuple[str, int] | None:
    """The counted noun after an amount: "hundreds of one-way attack drones" -> ("drones", end)."""
    k = j
    if k < len(toks) and toks[k].low == "of":
        k += 1
    head = None
    for m in range(k, min(len(toks), k + 4)):
        low = toks[m].low
        if low in STOPWORDS or not low[0].isalpha():
            break
        if (
            (low.endswith("s") and len(low) > 3 and not low.endswith("ss"))
            or low in IRREGULAR_PLURALS
            or (m == k and low in COUNTED_ADJECTIVES)
        ):
            head = m
            break
    if head is not None and toks[head].low in DURATION_NOUNS:
        return None
    if head is None:
        return None
    noun = toks[head].low
    if noun in _PEOPLE:  # "12 people were killed", "14 people died"
        noun = _what_happened(toks, head + 1) or noun
    return noun, head + 1


def _what_happened(toks: Sequence[_Tok], k: int) -> str | None:
    """"dead" or "injured" when toks[k:] say so ("were killed", "died"), else None."""
    for m in range(k, min(len(toks), k + 3)):
        if toks[m].low in _WHAT_HAPPENED:
            return _WHAT_HAPPENED[toks[m].low]
        if toks[m].low not in _AUXILIARIES:
            return None
    return None


def find_figures(paragraphs: Sequence[str]) -> tuple[Figure, ...]:
    """The figures of an article, in text order.

    A month stated without a year keeps only its number ("04"): versions are compared on what they
    say, not on a year inferred from a publication date the scrape may have wrong. Relative
    expressions ("last month", "next year") keep their offset ("rel-year:+1"): the discrepancy
    checks resolve them against the article's own publication date.
    """
    text = "\n\n".join(paragraphs)
    figures: list[Figure] = []
    for lo, hi in paragraph_spans(paragraphs):
        for s, e in sentence_spans(text, lo, hi):
            figures.extend(_sentence_figures(text, s, e))
    return tuple(sorted(figures, key=lambda f: f.start))


class _Sentence:
    """One sentence's tokens and the figures found in it so far (a token is used by one figure)."""

    def __init__(self, text: str, s: int, e: int) -> None:
        self.text = text
        self.toks = _tokens(text, s, e)
        self.out: list[Figure] = []
        self.taken: set[int] = set()

    def add(self, kind: str, i: int, j: int, value: float | str | None, unit: str | None) -> None:
        toks, text = self.toks, self.text
        start = toks[i].start
        if start > 0 and text[start - 1] in CURRENCY_SIGNS:
            start -= 1
        self.out.append(
            Figure(kind, text[start : toks[j - 1].end], value, unit, start, toks[j - 1].end, _topic(toks, i, j))
        )
        self.taken.update(range(i, j))


def _sentence_figures(text: str, s: int, e: int) -> list[Figure]:
    """The figures of one sentence: dates and months first (their numbers are not amounts), then
    clock times, then amounts with what they count or measure."""
    sent = _Sentence(text, s, e)
    _dates(sent)
    _times(sent, s, e)
    _amounts(sent)
    return sent.out


def _dates(sent: _Sentence) -> None:
    """Months, days, weekdays, ISO dates, years after "in"/"early"..., relative years, ages."""
    toks, taken, add = sent.toks, sent.taken, sent.add
    for i, tok in enumerate(toks):
        if i in taken:
            continue
        month = _month_at(toks, i)
        if month is not None:
            j = i + 1
            day = year = None
            if j < len(toks) and re.fullmatch(r"\d{1,2}", toks[j].text) and 1 <= int(toks[j].text) <= 31:
                day = int(toks[j].text)
                j += 1
            elif (
                i
                and re.fullmatch(r"\d{1,2}", toks[i - 1].text)
                and 1 <= int(toks[i - 1].text) <= 31
                and i - 1 not in taken
            ):
                day = int(toks[i - 1].text)
                i -= 1
            if j < len(toks) and re.fullmatch(r"(19|20)\d\d", toks[j].text):
                year = toks[j].text
                j += 1
            if day is not None:
                value = f"{year or '--'}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
                add("date", i, j, value, None)
            else:
                add("month", i, j, f"{year}-{month:02d}" if year else f"{month:02d}", None)
            continue
        if tok.low in WEEKDAYS and tok.text[:1].isupper():
            add("date", i, i + 1, f"weekday:{WEEKDAYS[tok.low]}", None)
            continue
        m = _ISO_DATE_RE.fullmatch(tok.text)
        if m:
            add("date", i, i + 1, tok.text, None)
            continue
        if (
            re.fullmatch(r"(19|20)\d\d", tok.text)
            and i
            and toks[i - 1].low
            in _MONTH_CONTEXT | {"early", "late", "mid", "spring", "summer", "autumn", "fall", "winter"}
        ):
            add("date", i, i + 1, tok.text, None)
        if tok.low in _RELATIVE and i + 1 < len(toks) and toks[i + 1].low in {"year", "month"}:
            unit = toks[i + 1].low
            add("date" if unit == "year" else "month", i, i + 2, f"rel-{unit}:{_RELATIVE[tok.low]:+d}", None)
            continue
        age = _AGE_RE.fullmatch(tok.low)
        if age:
            add("age", i, i + 1, float(age.group(1)), "years")
            continue
        if tok.low == "aged" and i + 1 < len(toks) and toks[i + 1].text.isdigit():
            add("age", i, i + 2, float(toks[i + 1].text), "years")
            continue


def _times(sent: _Sentence, s: int, e: int) -> None:
    """Clock times ("4 a.m.", "16:30")."""
    toks, taken, add, text = sent.toks, sent.taken, sent.add, sent.text
    for m in _TIME_RE.finditer(text, s, e):
        if m.group(4):
            value = f"{int(m.group(4)):02d}:{m.group(5)}"
        else:
            hour = int(m.group(1)) % 12 + (12 if m.group(3).lower() == "p" else 0)
            value = f"{hour:02d}:{m.group(2) or '00'}"
        idx = [k for k, t in enumerate(toks) if m.start() <= t.start < m.end()]
        if idx and not taken.intersection(idx):
            add("time", idx[0], idx[-1] + 1, value, None)


def _amounts(sent: _Sentence) -> None:
    """Money, quantities with units, durations, ages, shares and counts of things."""
    toks, taken, add, text, out = sent.toks, sent.taken, sent.add, sent.text, sent.out
    i = 0
    while i < len(toks):
        if i in taken:
            i += 1
            continue
        amount = parse_amount(toks, i, text)
        if amount is None:
            i += 1
            continue
        lo, central, hi, used, sign = amount
        j = i + used
        if j > len(toks) or any(k in taken for k in range(i, j)):
            i += 1
            continue
        after = toks[j].low if j < len(toks) else ""
        nxt = toks[j + 1].low if j + 1 < len(toks) else ""
        if after == "of" and nxt in UNITS | CURRENCY_WORDS.keys():
            j += 1
            after, nxt = nxt, toks[j + 1].low if j + 1 < len(toks) else ""
        duration = DURATION_SECONDS.get(after.rstrip("s") if after.endswith("s") else after)
        if sign is not None:
            add("money", i, j, central, sign)
        elif duration is not None and nxt != "ago" and not (after.startswith("year") and nxt == "old"):
            add("duration", i, j + 1, central * duration, "s")
        elif after.startswith("year") and nxt == "old":
            add("age", i, j + 2, central, "years")
        elif after in CURRENCY_WORDS:
            add("money", i, j + 1, central, CURRENCY_WORDS[after])
        elif after in UNITS:
            dim, factor = UNITS[after]
            add("quantity", i, j + 1, central * factor, BASE_UNITS[dim])
        elif after in {"percent", "%"} or (
            j < len(toks) and text[toks[j - 1].end : toks[j - 1].end + 1] == "%"
        ):
            add("percent", i, j + (1 if after == "percent" else 0), central, "%")
        elif after == "per" and nxt == "cent":  # "45 per cent"
            add("percent", i, j + 2, central, "%")
        elif after == "of" and j + 1 < len(toks) and parse_amount(toks, j + 1, text) is not None:
            pass  # "one of six children": a part of a whole; the whole ("six children") is the figure
        else:
            unit = _count_unit(toks, j)
            done_to = _DONE_TO.get(toks[i - 1].low) if i > 0 else None
            if done_to is not None and (unit is None or unit[0] in _PEOPLE):
                unit = (done_to, unit[1] if unit else j)  # "killing 12 people", "injuring 30"
            elif unit is None and j < len(toks) and toks[j].low in _AUXILIARIES:
                happened = _what_happened(toks, j)  # "12 were killed"
                unit = (happened, j) if happened else None
            if unit is not None and central == central and not re.fullmatch(r"(19|20)\d\d", toks[i].text):
                noun, end = unit
                fig_end = j if toks[j - 1].low != "of" else j - 1
                add("count", i, max(fig_end, i + 1), central, noun)
                # keep the noun in the text so the reader sees what was counted
                out[-1] = Figure(
                    "count",
                    text[toks[i].start : toks[end - 1].end],
                    central,
                    noun,
                    toks[i].start,
                    toks[end - 1].end,
                    out[-1].topic,
                )
        i = max(j, i + 1)


def figure_range(fig: Figure) -> tuple[float, float] | None:
    """The range of values a quantity, count, money or percent figure's words allow, in its unit."""
    if fig.kind not in {"quantity", "count", "money", "percent", "age", "duration"}:
        return None
    if fig.kind == "age" and isinstance(fig.value, float):
        return fig.value, fig.value + 0.999  # "54" is anything from the 54th birthday to the 55th
    toks = _tokens(fig.text, 0, len(fig.text))
    amount = parse_amount(toks, 0, fig.text) if toks else None
    if amount is None:
        return None
    lo, _, hi, used, _ = amount
    factor = 1.0
    if fig.kind == "quantity":
        for t in toks[used : used + 2]:
            if t.low in UNITS:
                factor = UNITS[t.low][1]
                break
    elif fig.kind == "duration":
        for t in toks[used : used + 1]:
            factor = DURATION_SECONDS.get(t.low.rstrip("s") if t.low.endswith("s") else t.low, 1.0)
    return lo * factor, hi * factor
