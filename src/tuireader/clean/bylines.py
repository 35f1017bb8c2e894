"""Who wrote a story and where it was filed from: bylines, contributor lines, wires and datelines.

These lines sit at the edges of a story ("By Jane Doe", "Story by JANE DOE | Associated Press",
"John Roe contributed.", "WASHINGTON (AP) —"), and in scrapes they are mixed into the text. They are
metadata, not story, so they are lifted out of the body and kept as authors, wire and dateline.

Names are recognised by shape (two to five capitalised words, lower-case particles such as "de" or
"van" allowed), never by a list of people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tuireader.text.units import load_words

# Wire services are a small, closed set; a byline or dateline naming one marks the story as wire copy.
WIRES: dict[str, str] = {
    "ap": "Associated Press",
    "associated press": "Associated Press",
    "the associated press": "Associated Press",
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "afp": "Agence France-Presse",
    "agence france-presse": "Agence France-Presse",
    "agence france presse": "Agence France-Presse",
    "upi": "United Press International",
    "united press international": "United Press International",
    "dpa": "Deutsche Presse-Agentur",
    "deutsche presse-agentur": "Deutsche Presse-Agentur",
    "ansa": "ANSA",
    "efe": "EFE",
    "xinhua": "Xinhua",
    "kyodo": "Kyodo News",
    "kyodo news": "Kyodo News",
    "yonhap": "Yonhap",
    "tass": "TASS",
    "interfax": "Interfax",
    "pa": "PA Media",
    "pa media": "PA Media",
    "press association": "PA Media",
    "cp": "The Canadian Press",
    "the canadian press": "The Canadian Press",
    "canadian press": "The Canadian Press",
    "aap": "Australian Associated Press",
    "australian associated press": "Australian Associated Press",
    "pti": "Press Trust of India",
    "press trust of india": "Press Trust of India",
    "ani": "ANI",
    "ians": "IANS",
    "anadolu": "Anadolu Agency",
    "anadolu agency": "Anadolu Agency",
    "bloomberg": "Bloomberg",
    "bloomberg news": "Bloomberg",
}

PARTICLES = load_words("name-particles")
_ROLE_WORDS = load_words("byline-roles")  # "Jane Doe, Staff Writer"
_DESK_WORDS = load_words("byline-desks")  # "Business Columnist", "Sports Reporter"
MAX_NAME_WORDS = 4  # words of a name, not counting particles ("Juan Carlos de la Vega" has four)
_NAME_WORD = re.compile(
    r"^(?:[A-ZÀ-Þ][a-zà-ÿ'’]+(?:-[A-ZÀ-Þ][a-zà-ÿ'’]+)?|Mc[A-Z][a-z]+|Mac[A-Z][a-z]+|O['’][A-Z][a-z]+|[A-Z]\.(?:[A-Z]\.)*)$"
)
_UPPER_NAME_WORD = re.compile(r"^(?:[A-ZÀ-Þ][A-ZÀ-Þ'’-]+|[A-Z]\.)$")

_BYLINE = re.compile(
    r"^(?:story|written|words|reporting|additional reporting|text|report|article|posted|published|compiled)?\s*"
    r"(?:by|von|par|por|di|door|av|przez)\s*[:\s]\s*(?P<rest>.+)$",
    re.IGNORECASE,
)
_CONTRIBUTED = re.compile(
    r"^(?P<names>.{3,120}?)\s+(?:also\s+)?contributed(?:\s+(?:to\s+this\s+(?:report|story|article)|reporting|"
    r"additional\s+reporting)(?:\s+from\s+[^.]+)?)?\s*[.]?$",
)
# "Posted by Jane Doe on November 19, 2019, 6:21 AM EST": the date part is not a name.
_DATE_TAIL = re.compile(r"\s+(?:on|at|le|am|el|il)\s+.*\d.*$|\s*[|,]\s*[^|,]*\d{4}.*$", re.IGNORECASE)
_SPLIT_NAMES = re.compile(r"\s*(?:,|;|\band\b|&|\||\s[-–—]\s|\bwith\b|\bund\b|\bet\b|\by\b|\be\b)\s*")

_WIRE_KEYS = "|".join(sorted((re.escape(k) for k in WIRES if len(k) <= 12), key=len, reverse=True))
# "WASHINGTON (AP) — ", "KYIV, Ukraine (Reuters) - ", "LONDON — " at the start of a story.
_LEAD_DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{1,40}[A-ZÀ-Þ.])(?:,\s+(?P<region>[A-Z][\w.]*(?:\s[A-Z][\w.]*){0,3}))?"
    r"(?:\s*\((?P<wire>[^()]{2,40})\)\s*[—–-]{1,2}|\s+[—–-]{1,2}\s|\s*[—–]{1,2})\s*(?=\S)"
)
_LEAD_WIRE_ONLY = re.compile(rf"^\((?P<wire>{_WIRE_KEYS})\)\s*[—–-]{{1,2}}\s*(?=\S)", re.IGNORECASE)
# "... from Russia. —WASHINGTON (AP)" at the end of the last paragraph, where some scrapes put it.
_TRAIL_DATELINE = re.compile(
    r"\s*[—–-]{1,2}\s*(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{1,40}[A-ZÀ-Þ.])(?:,\s+[A-Z][\w.]*(?:\s[A-Z][\w.]*){0,3})?"
    r"\s*\((?P<wire>[^()]{2,40})\)\s*$"
)


def wire_name(text: str) -> str | None:
    """The wire service `text` names ("AP", "The Associated Press", "Reuters"), else None."""
    key = " ".join(text.strip(" .,;:()").lower().split())
    return WIRES.get(key)


def _title_word(word: str) -> str:
    if word.isupper() and len(word) > 2 and not word.endswith("."):
        if word.startswith(("MC", "MAC")) and len(word) > 4:
            head = 2 if word.startswith("MC") else 3
            return word[:head].capitalize() + word[head:].capitalize()
        return "-".join(part.capitalize() for part in word.split("-"))
    return word


def as_name(text: str) -> str | None:
    """`text` as a person's name if it has the shape of one (2-5 words), else None.

    All-capitals names ("AAMER MADHANI") are turned into title case, as a reader expects to see them.
    """
    text = " ".join(text.strip(" .,;:|").split())
    words = text.split()
    if not 2 <= len(words) <= 2 * MAX_NAME_WORDS:
        return None
    if sum(1 for w in words if w.lower() not in PARTICLES) > MAX_NAME_WORDS:
        return None
    upper = all(_UPPER_NAME_WORD.match(w) or w.lower() in PARTICLES for w in words)
    capitals = 0
    for i, word in enumerate(words):
        if word.lower() in PARTICLES and 0 < i < len(words) - 1:
            continue
        if _NAME_WORD.match(word) or (upper and _UPPER_NAME_WORD.match(word)):
            capitals += 1
            continue
        return None
    if capitals < 2 or any(w.lower().strip(".") in _ROLE_WORDS for w in words):
        return None
    if wire_name(text):
        return None
    return " ".join(_title_word(w) for w in words) if upper else text


@dataclass(frozen=True, slots=True)
class Byline:
    """What a byline-like line says: names, a wire, and what kind of line it was."""

    authors: tuple[str, ...]
    wire: str | None
    kind: str  # "byline" | "contributed" | "name"


def _names_and_wire(rest: str) -> tuple[list[str], str | None]:
    names: list[str] = []
    wire = None
    for part in _SPLIT_NAMES.split(rest):
        part = part.strip(" .,:;")
        if not part:
            continue
        w = wire_name(part)
        if w:
            wire = wire or w
            continue
        name = as_name(part) or as_name(_without_job_title(part))
        if name:
            names.append(name)
        elif not names:
            # A name must come first; anything else means this is not a byline.
            return [], wire
        else:
            break  # a job title or outlet after the names ends the byline
    return names, wire


_BYLINE_HINT = re.compile(r"\b(?:by|von|par|por|di|door|av|przez|contributed)\b")


def may_be_byline(lowered: str) -> bool:
    """A cheap first look (on the lower-cased line) before `parse_byline` does the work."""
    return _BYLINE_HINT.search(lowered) is not None


def _without_job_title(part: str) -> str:
    """ "Michael Hiltzik Business Columnist" -> "Michael Hiltzik": job words trail the name."""
    words = part.split()
    if not any(w.lower().strip(".,") in _ROLE_WORDS for w in words):
        return part
    while words and (words[-1].lower().strip(".,") in _ROLE_WORDS or words[-1].lower() in _DESK_WORDS):
        words.pop()
    return " ".join(words)


def parse_byline(line: str) -> Byline | None:
    """Read "By ...", "Story by ... | Wire", "X and Y contributed." lines; None for anything else.

    Short lines only: a byline is never a sentence of the story ("By Friday, troops had left.").
    """
    text = line.strip()
    if len(text) > 160 or len(text.split()) > 20:
        return None
    m = _BYLINE.match(_DATE_TAIL.sub("", text))
    if m:
        names, wire = _names_and_wire(m.group("rest"))
        if names or wire:
            return Byline(tuple(names), wire, "byline")
        return None
    m = _CONTRIBUTED.match(text)
    if m:
        names, wire = _names_and_wire(m.group("names"))
        if names:
            return Byline(tuple(names), wire, "contributed")
    return None


# Words of page furniture and credits that are name-shaped when capitalised ("Getty Images",
# "Related Topics", "View Comments"): a line holding one is not a person's name.
_NOT_NAME_WORDS = load_words("not-name-words")


def parse_name_line(line: str) -> str | None:
    """A line holding only a person's name (how some sites print bylines under or after a story).

    Capitals-only lines are refused here: without a "By" in front they are headings ("PORT OF SPAIN
    WEATHER"), not names; so are lines with a word of page furniture in them.
    """
    text = line.strip()
    if len(text) > 60 or text.isupper():
        return None
    if any(w.lower().strip(".,:") in _NOT_NAME_WORDS for w in text.split()):
        return None
    # "Tom Krisher, Ap Auto Writer": a name followed by a job title.
    head, _, tail = text.partition(",")
    if tail and any(w.lower().strip(".") in _ROLE_WORDS for w in tail.split()):
        return as_name(head)
    return as_name(text)


@dataclass(frozen=True, slots=True)
class Dateline:
    place: str
    wire: str | None
    text: str  # the characters removed from the paragraph


def lead_dateline(paragraph: str) -> Dateline | None:
    """ "WASHINGTON (AP) — Iran ..." -> place and wire, to be cut from the paragraph's start."""
    m = _LEAD_DATELINE.match(paragraph)
    if m:
        place = m.group("place").strip()
        letters = [c for c in place if c.isalpha()]
        if len(letters) < 3 or not all(c.isupper() for c in letters):
            return None
        # "(CNN)" and the like name an outlet, not a wire: still a dateline, without a wire.
        wire = wire_name(m.group("wire")) if m.group("wire") else None
        region = m.group("region")
        return Dateline(place + (f", {region}" if region else ""), wire, m.group(0))
    m = _LEAD_WIRE_ONLY.match(paragraph)
    if m:
        return Dateline("", wire_name(m.group("wire")), m.group(0))
    return None


def trailing_dateline(paragraph: str) -> Dateline | None:
    """ "... from Russia. —WASHINGTON (AP)" -> place and wire, to be cut from the paragraph's end."""
    m = _TRAIL_DATELINE.search(paragraph)
    if not m:
        return None
    wire = wire_name(m.group("wire"))
    if wire is None:
        return None
    return Dateline(m.group("place").strip(), wire, m.group(0))
