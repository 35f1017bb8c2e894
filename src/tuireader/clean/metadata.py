"""An article's metadata, each field with a sentence saying where it came from.

Order of trust, for every field: what the file states (header block or sidecar), then what the page
says in a place made for it (a byline, a publication line, a masthead, a copyright line, HTML
metadata), then what can be inferred (the URL's domain and path, the first sentence). A field nothing
supports stays empty: an outlet or a date is never invented.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tuireader.clean import bylines
from tuireader.clean.dates import (
    DateCandidate,
    date_from_url,
    find_dates,
    judge,
    parse_date,
    relative_days,
    shift,
)
from tuireader.clean.language import STOPWORDS, stopwords_for, word_set, words_of
from tuireader.clean.text import Layout, Line
from tuireader.model import DateSeen, RawDocument

LANGUAGE_NAMES = {
    "en": "English", "fr": "French", "de": "German", "es": "Spanish", "it": "Italian",
    "pt": "Portuguese", "nl": "Dutch", "sv": "Swedish", "id": "Indonesian", "pl": "Polish",
    "tr": "Turkish", "ru": "Russian",
}  # fmt: skip

# Words newspapers and sites put in their names ("The Daily Star", "Scripps News"): a segment of a
# masthead or breadcrumb ending in one of them may be the outlet.
_MASTHEAD_NOUNS = word_set(
    """news times post journal herald tribune gazette chronicle telegraph guardian observer
    independent express mirror star sun daily weekly today magazine review report reporter press
    wire insider network radio tv media online digest monitor record examiner inquirer courier
    standard dispatch bulletin sentinel register globe voice week nation"""
)
# Words of section names ("National News", "World News"), which are not outlets.
_SECTION_WORDS = word_set(
    """national international world local breaking latest top home business sports sport politics
    opinion health science tech technology entertainment us u.s. more live video all money
    lifestyle travel culture weather regional state city metro region and the &"""
)
_CAMEL_SEAM = re.compile(r"(?<=[a-z])(?=[A-Z])")
_SEGMENT_SPLIT = re.compile(r"\s*(?:\||>|»|›|/|\s[-–—]\s|·|•)\s*")
# A name as sites print their own: capitalised words, dots only inside ("Cleveland.com", "U.S.").
_SITE_NAME = r"(?P<name>[A-Z][\w&'’-]*(?:\.[A-Za-z]+)*(?:\s+(?:of\s+|the\s+|&\s+)?[A-Z][\w&'’-]*(?:\.[A-Za-z]+)*){0,4})"
_COPYRIGHT = re.compile(
    r"(?:(?:©|\((?i:c)\)|(?i:copyright))\s*)+(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*(?i:by\s+)?(?i:the\s+)?"
    + _SITE_NAME
)
_ORIGINALLY = re.compile(
    r"\b(?i:originally|first)\s+(?i:published|appeared|posted)\s+(?i:on|in|at|by)\s+(?i:the\s+)?" + _SITE_NAME
)
_CORPORATE = re.compile(
    r"[,\s]+(?:llc|inc|ltd|limited|plc|gmbh|ag|s\.a|corp|corporation|company|co|group|holdings)\.?$",
    re.IGNORECASE,
)
_BREADCRUMB = re.compile(r"\s(?:>|»|›)\s|^(?:home|current)\s*[:>»›]", re.IGNORECASE)
_TAG_LABEL = re.compile(r"^[\w’' ]{1,24}:$")
_TAG_LINE = re.compile(r"^(?P<label>[\w’' ]{2,24}):\s*(?P<items>.+)$")
_TAG_ITEMS_SPLIT = re.compile(r"\s*[,;|]\s*")
_FIRST_SENTENCE = re.compile(r"^(.{20,}?[.!?])(?:[\"”’]?\s|$)")
_YEARISH = re.compile(r"(?:19|20)\d\d")
TITLE_WINDOW = 40
TAIL_WINDOW = 14
BYLINE_REACH = 15  # lines above the story where its byline may stand
MAX_TITLE_WORDS = 30
MIN_TITLE_WORDS = 4


@dataclass(slots=True)
class Metadata:
    """Every metadata field of an `Article`, and the provenance sentence of each."""

    title: str = ""
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    dates_seen: list[DateSeen] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    wire: str | None = None
    dateline: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)


def _quote(text: str, limit: int = 70) -> str:
    """`text` quoted for a provenance sentence, shortened to `limit` characters."""
    text = " ".join(text[: 4 * limit].split())
    return "'" + (text if len(text) <= limit else text[: limit - 1] + "…") + "'"


def declared_sources(raw: RawDocument) -> dict[str, str]:
    """For each declared field, "sidecar" or "header": which of the two stated it (the reader of
    the file recorded it; the file is not read again here)."""
    return {k: raw.declared_in.get(k, "header") for k in raw.declared}


def apply_declared(raw: RawDocument, meta: Metadata) -> set[str]:
    """Fill the fields the file states; returns the names of the fields it settled."""
    settled: set[str] = set()
    sources = declared_sources(raw)
    declared = {k: v.strip() for k, v in raw.declared.items() if v and v.strip()}

    def said(key: str) -> str:
        return f"stated in the file's {sources.get(key, 'header')} ({key})"

    if "title" in declared:
        meta.title = declared["title"]
        meta.provenance["title"] = said("title")
        settled.add("title")
    for key in ("outlet", "site", "source"):
        if key in declared:
            meta.outlet = declared[key]
            meta.provenance["outlet"] = said(key)
            settled.add("outlet")
            break
    if "url" in declared:
        meta.url = declared["url"]
        meta.provenance["url"] = said("url")
        settled.add("url")
    for key in ("published", "date"):
        if key in declared:
            value = parse_date(declared[key])
            if value:
                meta.published = value
                meta.provenance["published"] = said(key)
                meta.dates_seen.append(DateSeen(value, f"{sources.get(key, 'header')}: {key}", "publication"))
                settled.add("published")
            else:
                meta.provenance["published"] = f"{said(key)} as {_quote(declared[key])}, not a date; "
            break
    if "fetched" in declared:
        value = parse_date(declared["fetched"])
        if value:
            meta.dates_seen.append(DateSeen(value, f"{sources.get('fetched', 'header')}: fetched", "banner"))
    for key in ("authors", "author"):
        if key in declared:
            names = [n.strip() for n in re.split(r"\s*(?:;|,|\band\b|&)\s*", declared[key]) if n.strip()]
            if names:
                meta.authors = names
                meta.provenance["authors"] = said(key)
                settled.add("authors")
            break
    if "language" in declared:
        meta.language = declared["language"].lower()
        meta.provenance["language"] = said("language")
        settled.add("language")
    if "wire" in declared:
        meta.wire = bylines.wire_name(declared["wire"]) or declared["wire"]
        meta.provenance["wire"] = said("wire")
        settled.add("wire")
    return settled


# --- title ---------------------------------------------------------------------------------------


def _content_words(text: str, stops: frozenset[str]) -> set[str]:
    return {w for w in words_of(text) if len(w) > 2 and w not in stops}


def find_title(layout: Layout, opening: str, stops: frozenset[str]) -> tuple[int, str] | None:
    """The headline: a short line above the story that the story's opening talks about.

    Scored on: the share of its content words found in the story's first paragraphs, being printed
    twice (page title and headline), standing close above the story or a byline/date line, and not
    ending with a full stop (a standfirst does, a headline rarely).
    """
    lines = layout.lines
    start = layout.start
    body_words = _content_words(opening, stops)
    counts: dict[str, int] = {}
    for line in lines:
        key = line.text.lower()
        counts[key] = counts.get(key, 0) + 1
    best: tuple[float, int] | None = None
    for i in range(max(0, start - TITLE_WINDOW), start):
        line = lines[i]
        if line.bullet or line.role in ("date", "byline", "caption", "credit", "rule"):
            continue
        if not MIN_TITLE_WORDS <= line.words <= MAX_TITLE_WORDS or _BREADCRUMB.search(line.text):
            continue
        if line.role == "dup" and counts.get(line.text.lower(), 0) > 1:
            continue  # scored at its first printing
        if bylines.parse_name_line(line.text):
            continue  # a name under a photo or above a column, not a headline
        words = _content_words(line.text, stops)
        if not words:
            continue
        shared = len(words & body_words)
        overlap = shared / len(words)
        printed_twice = counts.get(line.text.lower(), 0) > 1
        if shared == 0 and not printed_twice:
            continue
        score = 3.0 * overlap + 0.4 * min(shared, 5)
        if printed_twice:
            score += 1.5
        if start - i <= 6:
            score += 1.0
        if any(lines[j].role in ("date", "byline") for j in range(i + 1, min(start, i + 6))):
            score += 1.0
        if line.text.endswith(".") and not line.text.endswith("..."):
            score -= 1.5  # a standfirst ends with a full stop, a headline rarely
        if line.text.isupper():
            score -= 1.0
        if best is None or score > best[0]:
            best = (score, i)
    if best is None or best[0] < 1.0:
        return None
    return best[1], lines[best[1]].text


def strip_site_suffix(title: str, body: str) -> tuple[str, str | None]:
    """ "Headline | Site Name" -> ("Headline", "Site Name") when the tail looks like a site name."""
    for sep in (" | ", " - ", " — ", " – ", " :: "):
        if sep in title:
            head, _, tail = title.rpartition(sep)
            if len(head.split()) >= 3 and 1 <= len(tail.split()) <= 4 and tail.lower() not in body.lower():
                return head.strip(), tail.strip()
    return title, None


def first_sentence_title(paragraphs: list[str]) -> str:
    """A stand-in headline when the page shows none: the story's first sentence, shortened."""
    if not paragraphs:
        return ""
    text = paragraphs[0]
    m = _FIRST_SENTENCE.match(text)
    sentence = m.group(1) if m else text
    words = sentence.split()
    if len(words) > 16:
        return " ".join(words[:14]) + " …"
    return sentence


# --- dates ---------------------------------------------------------------------------------------


def collect_dates(
    layout: Layout, title_line: int | None, url: str | None
) -> tuple[list[DateCandidate], list[DateSeen]]:
    """Every date on the page judged for its role (see `dates.judge`), and all of them as `DateSeen`.

    Dates far below the story belong to teasers or comments; a relative date ("712 days ago")
    counted back from the page's banner date confirms the candidate it lands on.
    """
    lines = layout.lines
    body = set(layout.body)
    candidates: list[DateCandidate] = []
    seen: list[DateSeen] = []
    relative: list[tuple[int, Line]] = []
    for line in lines:
        if not _YEARISH.search(line.text) and not line.text.strip().isdigit():
            if line.n < layout.start and " ago" in line.text:
                days = relative_days(line.text)
                if days is not None:
                    relative.append((days, line))
            continue
        in_body = line.n in body
        above = title_line is not None and line.n < title_line
        for found in find_dates(line.text):
            cand = judge(line.text, found, above_title=above, in_body=in_body)
            if line.n > layout.end + TAIL_WINDOW and cand.role == "publication":
                # Far below the story: a teaser's or a comment's date.
                cand = DateCandidate(found, line.text, "other", 0.0, "below the story")
            candidates.append(cand)
    if url:
        day = date_from_url(url)
        if day:
            seen.append(DateSeen(day.isoformat(), "URL path", "publication"))
    # "712 days ago" next to a banner date counts back to the story's date: it confirms a candidate.
    banners = [c for c in candidates if c.role == "banner"]
    for days, line in relative:
        if banners:
            back = shift(banners[0].found.day, days)
            seen.append(
                DateSeen(
                    back.isoformat(), f"line {_quote(line.text)} counted back from the page date", "other"
                )
            )
            for i, c in enumerate(candidates):
                if c.role == "publication" and c.found.day == back:
                    why = f"{c.why} (confirmed by {_quote(line.text)} counted back from the page date)"
                    candidates[i] = DateCandidate(c.found, c.line, c.role, c.score + 1.0, why)
    listed = [DateSeen(c.found.iso, f"line {_quote(c.line)}", c.role) for c in candidates]  # type: ignore[arg-type]
    return candidates, listed + seen


def choose_published(candidates: list[DateCandidate], url: str | None) -> tuple[str | None, str]:
    """The story's date (an ISO date) and why: best publication candidate, else URL, else update."""
    pubs = [c for c in candidates if c.role == "publication"]
    if pubs:
        best = max(pubs, key=lambda c: c.score)  # max keeps the first of equals: the highest line
        why, _, confirmed = best.why.partition(" (")
        return best.found.day.isoformat(), f"{why} {_quote(best.line)}" + (
            f" ({confirmed}" if confirmed else ""
        )
    if url:
        day = date_from_url(url)
        if day:
            return day.isoformat(), f"date in the URL path {_quote(url, 90)}"
    update = next((c for c in candidates if c.why == "update line"), None)
    if update is not None:
        why = f"last-updated line {_quote(update.line)} (no publication date found)"
        return update.found.day.isoformat(), why
    return None, "no publication date on the page" + (" (page-visit dates only)" if candidates else "")


# --- people --------------------------------------------------------------------------------------


def _lowercase_vocabulary(paragraphs: list[str]) -> set[str]:
    return {w for p in paragraphs for w in p.split() if w.islower()}


def find_people(layout: Layout, paragraphs: list[str]) -> tuple[list[str], str | None, list[str], set[int]]:
    """Authors and wire from bylines, "X contributed." lines and name lines beside the story.

    Returns (authors, wire, evidence lines, line numbers used) so the provenance can quote them.
    """
    lines = layout.lines
    story = "\n".join(paragraphs)
    authors: list[str] = []
    wire: str | None = None
    evidence: list[str] = []
    used: set[int] = set()
    lower_vocab: set[str] | None = None
    lo = max(0, layout.start - TITLE_WINDOW)
    hi = min(len(lines), layout.end + TAIL_WINDOW + 1)
    body = set(layout.body)

    found: list[tuple[int, str]] = []  # (line number, name): authors are listed in page order

    def add(at: int, names: tuple[str, ...] | list[str]) -> None:
        found.extend((at, name) for name in names)

    for i in range(max(lo, layout.start - BYLINE_REACH), hi):
        if i in body:
            continue
        line = lines[i]
        if line.bullet or line.words > 25 or not bylines.may_be_byline(line.text.lower()):
            continue  # a list item is a menu entry, never a byline
        parsed = bylines.parse_byline(line.text)
        if parsed is None:
            continue
        if (
            parsed.kind == "byline"
            and found
            and i < layout.start
            and not any(a in parsed.authors for _, a in found)
        ):
            continue  # a second byline above the story belongs to something else
        add(i, parsed.authors)
        wire = wire or parsed.wire
        evidence.append(_quote(line.text))
        used.add(i)
    # Bare name lines right after the story (or right above it), as some sites print bylines.
    for block in (range(layout.end + 1, min(len(lines), layout.end + 6)), range(layout.start - 1, lo, -1)):
        names: list[tuple[int, str]] = []
        for i in block:
            line = lines[i]
            if i in used:
                continue
            if line.role and line.role not in ("dup",):
                if line.role == "byline":
                    continue
                break
            name = bylines.parse_name_line(line.text)
            if name is None or name in story:
                break  # a name the story talks about is its subject, not its writer
            if lower_vocab is None:
                lower_vocab = _lowercase_vocabulary(paragraphs)
            if any(w.lower() in lower_vocab for w in name.split() if w.lower() not in bylines.PARTICLES):
                break  # ordinary words, not a name ("White House" when the story says "white")
            names.append((i, name))
        # One name alone counts only beside a byline or contributor line: "View Comments" is
        # name-shaped too, but it does not sit next to a byline.
        beside = any(abs(i - j) <= 1 for i, _ in names for j in used)
        if names and (beside or len(names) >= 2):
            for i, name in names:
                add(i, [name])
            evidence.extend(_quote(lines[i].text) for i, _ in names)
            used.update(i for i, _ in names)
    for _, name in sorted(found, key=lambda f: f[0]):
        if name not in authors:
            authors.append(name)
    return authors, wire, evidence, used


# --- outlet --------------------------------------------------------------------------------------


_RESERVED = re.compile(r"\ball rights reserved\b|^copyright\b", re.IGNORECASE)


def _clean_name(name: str) -> str:
    name = _RESERVED.sub("", name).strip(" .,;:-–—|")
    previous = None
    while previous != name:
        previous = name
        name = _CORPORATE.sub("", name).strip(" .,;&")
        name = re.sub(r"\s+and$", "", name)
    return name


def _masthead_segments(text: str) -> list[str]:
    parts: list[str] = []
    for chunk in _SEGMENT_SPLIT.split(text):
        parts.extend(p.strip() for p in _CAMEL_SEAM.split(chunk) if p.strip())
    # Camel seams split "NewsNational NewsScripps News" into "News", "National News", "Scripps News".
    return parts


def _masthead_name(segment: str) -> str | None:
    words = segment.split()
    if not 1 <= len(words) <= 5 or not all(w[:1].isupper() or w.lower() in _SECTION_WORDS for w in words):
        return None
    lowered = [w.lower().strip(".,:") for w in words]
    if lowered[-1] not in _MASTHEAD_NOUNS and lowered[0] not in _MASTHEAD_NOUNS:
        return None
    if all(w in _MASTHEAD_NOUNS or w in _SECTION_WORDS for w in lowered):
        return None  # "National News": a section
    if bylines.wire_name(segment):
        return None
    return segment


def find_outlet(layout: Layout, paragraphs: list[str], title_suffix: str | None) -> tuple[str | None, str]:
    lines = layout.lines
    for text in paragraphs[-3:] + [ln.text for ln in lines[layout.end + 1 : layout.end + TAIL_WINDOW]]:
        m = _ORIGINALLY.search(text)
        if m and not bylines.wire_name(m.group("name")) and not text[m.end() :].lstrip()[:1].isdigit():
            return _clean_name(m.group("name")), f"line {_quote(text)}"
    for line in lines[: min(5, layout.start)]:
        if line.bullet:
            continue
        for segment in _masthead_segments(line.text):
            name = _masthead_name(segment)
            if name:
                return name, f"masthead line {_quote(line.text)}"
    if title_suffix and not bylines.wire_name(title_suffix):
        return title_suffix, "site name after the headline"
    for line in lines[layout.end + 1 :]:
        if "©" not in line.text and "opyright" not in line.text and "(c)" not in line.text.lower():
            continue
        m = _COPYRIGHT.search(line.text)
        # "Copyright Policy" is a link; a copyright notice has the sign or a year.
        if m and ("©" in m.group(0) or "(c)" in m.group(0).lower() or _YEARISH.search(m.group(0))):
            name = _clean_name(m.group("name"))
            if len(name) > 1 and not bylines.wire_name(name):
                return name, f"copyright line {_quote(line.text)}"
    return None, ""


def outlet_from_url(url: str) -> str | None:
    host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    host = host.lower()
    for prefix in ("www.", "m.", "amp.", "mobile."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    return host or None


# --- tags ----------------------------------------------------------------------------------------


def find_tags(layout: Layout, story: str) -> tuple[list[str], str, set[int]]:
    """A tag list after the story: "In:" / "Tags:" followed by short items the story mentions."""
    lines = layout.lines
    lowered = story.lower()
    start = layout.end + 1
    for i in range(start, min(len(lines), start + TAIL_WINDOW)):
        line = lines[i]
        if _TAG_LABEL.match(line.text) and len(line.text.split()) <= 3:
            items: list[str] = []
            j = i + 1
            while j < len(lines) and len(items) < 30:
                item = lines[j]
                if item.words == 0 or item.words > 5 or item.terminal or item.role:
                    break
                if items and item.bullet != lines[i + 1].bullet:
                    break  # the list ended: its items were all list items, or none were
                if not item.bullet and not line.bullet and item.blank_before and items:
                    break
                items.append(item.text)
                j += 1
            if len(items) >= 2 and _mentioned(items, lowered):
                return items, f"tag list after the story ({_quote(line.text)})", set(range(i, j))
        m = _TAG_LINE.match(line.text)
        if m and len(m.group("label").split()) <= 3:
            items = [t for t in _TAG_ITEMS_SPLIT.split(m.group("items")) if t]
            if len(items) >= 2 and all(len(t.split()) <= 5 for t in items) and _mentioned(items, lowered):
                return items, f"tag line after the story ({_quote(m.group('label') + ':')})", {i}
    return [], "", set()


def _mentioned(items: list[str], story: str) -> bool:
    """Tags name what the story is about; share buttons and section menus do not appear in it."""
    hits = sum(1 for t in items if t.lower() in story)
    return hits * 2 >= len(items)


# --- dateline ------------------------------------------------------------------------------------


def lift_dateline(paragraphs: list[str]) -> tuple[list[str], bylines.Dateline | None, str]:
    """Cut "WASHINGTON (AP) —" from the first paragraph, or "—WASHINGTON (AP)" from the last."""
    if not paragraphs:
        return paragraphs, None, ""
    found = bylines.lead_dateline(paragraphs[0])
    if found:
        rest = paragraphs[0][len(found.text) :].strip()
        out = ([rest] if rest else []) + paragraphs[1:]
        return out, found, f"opening of the story {_quote(found.text.strip())}"
    found = bylines.trailing_dateline(paragraphs[-1])
    if found:
        rest = paragraphs[-1][: len(paragraphs[-1]) - len(found.text)].rstrip()
        out = paragraphs[:-1] + ([rest] if rest else [])
        return out, found, f"end of the last paragraph {_quote(found.text.strip())}"
    return paragraphs, None, ""


# --- all together --------------------------------------------------------------------------------


def apply_hints(hints: dict[str, str], meta: Metadata, settled: set[str]) -> None:
    """Fill unsettled fields from an HTML page's own metadata (title, author, date, site name, tags)."""

    def said(key: str) -> str:
        return f"HTML page metadata ({key}: {_quote(hints[key], 60)})"

    if "title" not in settled and hints.get("title"):
        title, suffix = strip_site_suffix(" ".join(hints["title"].split()), "")
        meta.title = title
        meta.provenance["title"] = said("title")
        settled.add("title")
        if suffix and not hints.get("sitename"):
            hints = {**hints, "sitename": suffix}
    if "url" not in settled and hints.get("url"):
        meta.url = hints["url"]
        meta.provenance["url"] = said("url")
        settled.add("url")
    if "published" not in settled and hints.get("date"):
        value = parse_date(hints["date"])
        if value:
            meta.published = value[:10]
            meta.provenance["published"] = said("date")
            meta.dates_seen.append(DateSeen(value, "HTML metadata: date", "publication"))
            settled.add("published")
    if "authors" not in settled and hints.get("author"):
        names = [n.strip() for n in re.split(r"\s*(?:;|\band\b|&)\s*", hints["author"]) if n.strip()]
        if names:
            meta.authors = names
            meta.provenance["authors"] = said("author")
            settled.add("authors")
    if "outlet" not in settled and hints.get("sitename") and not bylines.wire_name(hints["sitename"]):
        meta.outlet = hints["sitename"].strip()
        meta.provenance["outlet"] = said("sitename")
        settled.add("outlet")
    if hints.get("tags"):
        meta.tags = [t for t in hints["tags"].split("; ") if t]
        meta.provenance["tags"] = said("tags")
        settled.add("tags")


def describe(
    raw: RawDocument, layout: Layout, paragraphs: list[str], hints: dict[str, str] | None = None
) -> tuple[list[str], Metadata]:
    """Metadata for a page laid out by `text.lay_out`; returns the final paragraphs too.

    `hints` are an HTML page's own metadata: below what the file declares, above inference.
    """
    meta = Metadata()
    settled = apply_declared(raw, meta)
    if hints:
        apply_hints(hints, meta, settled)
    paragraphs, dateline, dateline_where = lift_dateline(paragraphs)
    if dateline:
        if dateline.place:
            meta.dateline = dateline.place
            meta.provenance["dateline"] = dateline_where
        if dateline.wire and "wire" not in settled:
            meta.wire = dateline.wire
            meta.provenance["wire"] = "dateline " + dateline_where
    story = "\n".join(paragraphs)
    language = meta.language if "language" in settled else layout.language
    if "language" not in settled:
        meta.language = language
        if language:
            meta.provenance["language"] = (
                f"function words of the page's prose ({LANGUAGE_NAMES.get(language, language)})"
            )
    stops = stopwords_for(language) if language in STOPWORDS else stopwords_for(None)

    title_line: int | None = None
    suffix: str | None = None
    found = find_title(layout, "\n".join(paragraphs[:3]), stops)
    if found:
        title_line = found[0]
    if "title" not in settled:
        if found:
            meta.title, suffix = strip_site_suffix(found[1], story)
            meta.provenance["title"] = f"headline line {found[0] + 1} of the page"
        else:
            meta.title = first_sentence_title(paragraphs)
            meta.provenance["title"] = "first sentence of the story (no headline found on the page)"

    candidates, seen = collect_dates(layout, title_line, meta.url)
    meta.dates_seen.extend(seen)
    if "published" not in settled:
        meta.published, why = choose_published(candidates, meta.url)
        meta.provenance["published"] = meta.provenance.get("published", "") + why

    authors, wire, evidence, _ = find_people(layout, paragraphs)
    if "authors" not in settled and authors:
        meta.authors = authors
        meta.provenance["authors"] = "byline " + ", ".join(evidence)
    if wire and meta.wire is None:
        meta.wire = wire
        meta.provenance["wire"] = "byline " + evidence[0] if evidence else "byline"

    if "outlet" not in settled:
        outlet, why = find_outlet(layout, paragraphs, suffix)
        if outlet is None and meta.url:
            outlet, why = outlet_from_url(meta.url), f"domain of the URL {_quote(meta.url, 90)}"
        meta.outlet = outlet
        if outlet:
            meta.provenance["outlet"] = why

    tags, why, _ = find_tags(layout, story) if "tags" not in settled else ([], "", set())
    if tags:
        meta.tags = tags
        meta.provenance["tags"] = why
    return paragraphs, meta
