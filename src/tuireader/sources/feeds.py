"""Reading feeds: bytes we fetched ourselves → entries with plain-text bodies.

feedparser does the format work (RSS 0.9x/1.0/2.0, Atom, broken XML via its loose parser, encoding
detection), but it is only ever given bytes, never a URL, so it cannot fetch anything. Before it
sees a document, `check_entities` refuses DTDs that could expand (billion laughs, quadratic
blow-up, external entities): feedparser already strips nested entity declarations and expat has an
amplification limit, but a feed that tries this is hostile or broken and the user should hear so
rather than read "&lol9;" as a title.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from html import unescape
from typing import Any
from urllib.parse import urljoin

MAX_ENTITY_VALUE = 1024  # legitimate feed entities are a character or a word
MIN_FINGERPRINT_WORDS = 50


class FeedError(Exception):
    """A document that cannot be read as a feed; str() is the one-line reason."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed. `content` and `summary` are plain text, paragraphs split by blank lines.

    `key` identifies the entry within its feed (its id/guid, else its link, else a hash of title and
    date); `url` is the absolute link to the article page, if any.
    """

    key: str
    url: str | None
    title: str
    published: str | None
    authors: tuple[str, ...]
    content: str
    summary: str
    source: str | None = None  # the outlet an aggregator names for this item (RSS <source>)
    fingerprint: str | None = None  # text_fingerprint of `text`, computed where parsing runs
    words: int = 0  # words in `text`

    @property
    def text(self) -> str:
        """The most complete text the feed itself gives: full content, else the summary."""
        return self.content if len(self.content) >= len(self.summary) else self.summary


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    url: str
    title: str | None
    link: str | None
    language: str | None
    version: str
    entries: tuple[FeedEntry, ...]
    warning: str | None = None  # e.g. "ill-formed XML, read leniently"


class _Unsafe(Exception):
    pass


class _PrologDone(Exception):
    pass


def check_entities(data: bytes) -> None:
    """Raise FeedError if the document's DTD declares entities that could expand or reach out.

    expat reads only the prolog (it stops at the root element), so quoting inside the DTD is
    handled exactly; no entity is ever expanded here. Refused: parameter and external entities,
    entities whose value refers to another entity, and values over 1 KiB.
    """
    if (
        b"<!ENTITY" not in data
        and b"<\x00!\x00E\x00N\x00T" not in data
        and b"\x00<\x00!\x00E\x00N" not in data
    ):
        return
    import xml.parsers.expat as expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def on_entity(
        name: str, is_pe: int, value: str | None, base: Any, system_id: Any, public_id: Any, notation: Any
    ) -> None:
        if is_pe:
            raise _Unsafe(f"declares parameter entity %{name}")
        if system_id or public_id:
            raise _Unsafe(f"declares external entity &{name}; ({system_id or public_id})")
        if value is not None and "&" in value:
            raise _Unsafe(f"declares nested entity &{name}; (an entity expansion attack)")
        if value is not None and len(value) > MAX_ENTITY_VALUE:
            raise _Unsafe(f"declares entity &{name}; of {len(value)} characters (an entity expansion attack)")

    def on_start(*_args: Any) -> None:
        raise _PrologDone

    parser.EntityDeclHandler = on_entity
    parser.StartElementHandler = on_start
    try:
        parser.Parse(data, True)
    except _PrologDone:
        return
    except _Unsafe as exc:
        raise FeedError(f"refused: the feed's DTD {exc}") from None
    except expat.ExpatError:
        # Not well-formed before the root element: feedparser's loose parser will read it, and that
        # parser only knows the entities feedparser deems safe. Still refuse an obvious attack.
        if re.search(rb"<!ENTITY\s[^>]*(&|SYSTEM|PUBLIC)", data[: 1024 * 1024]):
            raise FeedError("refused: the feed's DTD declares nested or external entities") from None


# ---------------------------------------------------------------------------------------------
# HTML → plain paragraphs


_BLOCK_TAGS = (
    "address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|li|main|nav|"
    "ol|p|pre|section|table|tbody|td|th|thead|tr|ul"
)
_DROP = re.compile(
    r"<!--.*?-->|<(script|style|noscript|iframe|template|svg|object|head|title)\b[^>]*>.*?</\1\s*>",
    re.I | re.S,
)
_BLOCK = re.compile(rf"</?(?:{_BLOCK_TAGS})\b[^>]*>", re.I)
_TAG = re.compile(r"<[a-zA-Z/!?][^>]*>")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_TAG_HINT = re.compile(
    r"<(?:p|br|div|a|b|i|em|strong|span|ul|ol|li|h\d|img|blockquote|figure|table)\b[^>]*>|&[a-z]+;|&#\d+;",
    re.I,
)


def html_to_paragraphs(html: str) -> list[str]:
    """Plain paragraphs of an HTML fragment: block elements break paragraphs, scripts vanish.

    Feed bodies are fragments written by a CMS, so regular expressions over tags (all in C) do
    the job a full HTML parser would, several times faster; a refresh converts thousands.
    Text without markup is split on blank lines, the way plain-text feed bodies mark paragraphs.
    """
    if not html or not html.strip():
        return []
    if not _TAG_HINT.search(html):
        return [" ".join(p.split()) for p in re.split(r"\n\s*\n", html) if p.strip()]
    text = _CDATA.sub(lambda m: m.group(1).replace("<", "&lt;"), html) if "<![" in html else html
    text = _DROP.sub(" ", text)
    text = _BLOCK.sub("\x00", text)
    text = _TAG.sub("", text)
    # entities are decoded once for the whole text (NUL, the paragraph mark, never comes out of
    # one: html.unescape turns &#0; into U+FFFD), then each paragraph's whitespace is collapsed
    return collapse_paragraphs(unescape(text).split("\x00"))


# every character str.split() splits on besides the space (CPython's Py_UNICODE_ISSPACE)
_OTHER_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def collapse_paragraphs(chunks: list[str]) -> list[str]:
    """`" ".join(chunk.split())` of each chunk, empty ones dropped.

    Most CMS paragraphs are single-spaced once their ends are trimmed; splitting them into
    words only to join them again was half the time of reading a feed. One `in` scan per kind of
    whitespace over the trimmed text (each at C speed) tells whether any collapsing is needed.
    """
    paras = [p for c in chunks if (p := c.strip())]
    joined = "\x00".join(paras)
    if "  " in joined or any(w in joined for w in _OTHER_SPACES):
        return [" ".join(p.split()) for p in paras]
    return paras


def text_fingerprint(paragraphs: list[str] | tuple[str, ...]) -> str | None:
    """The identity of a text: its words in order, whatever the spacing, line breaks or case.

    None for short texts ("Watch the video"): a few words are no evidence of one article.
    """
    words = " ".join(paragraphs).casefold().split()
    if len(words) < MIN_FINGERPRINT_WORDS:
        return None
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:20]


def _fingerprint_and_words(text: str) -> tuple[str | None, int]:
    """`text_fingerprint` of `text` and its number of words, for text this module produced:
    paragraphs of words separated by single spaces, joined by blank lines, nothing at the ends.

    For such text the words joined by single spaces are the text with each paragraph break made
    a space (case folding maps letters to letters), so no split and re-join is needed.
    """
    if not text:
        return None, 0
    joined = text.replace("\n\n", " ")
    words = joined.count(" ") + 1
    if words < MIN_FINGERPRINT_WORDS:
        return None, words
    return hashlib.sha256(joined.casefold().encode("utf-8")).hexdigest()[:20], words


def html_to_text(html: str) -> str:
    return "\n\n".join(html_to_paragraphs(html))


# ---------------------------------------------------------------------------------------------
# Entries


def _iso(parsed: time.struct_time | None) -> str | None:
    """feedparser's UTC struct_time as an ISO date-time; implausible dates are dropped."""
    if not parsed:
        return None
    try:
        stamp = calendar.timegm(parsed)
        when = datetime.fromtimestamp(stamp, UTC)
    except (OverflowError, ValueError, TypeError):
        return None
    if when.year < 1990 or stamp > time.time() + 2 * 86400:
        return None
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _text_of(detail: Any, fallback: str = "") -> str:
    """Plain text of a feedparser text construct (title, summary, content item)."""
    if isinstance(detail, dict):
        value = detail.get("value") or ""
        kind = (detail.get("type") or "").lower()
        if kind == "text/plain":
            return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", value) if p.strip())
        return html_to_text(value)
    return html_to_text(fallback or "")


def _authors(entry: Any) -> tuple[str, ...]:
    names: list[str] = []
    for author in entry.get("authors") or []:
        name = (author.get("name") or "").strip() if isinstance(author, dict) else ""
        if name and "@" not in name:
            names.append(" ".join(name.split()))
    if not names:
        raw = (entry.get("author") or "").strip()
        if raw:
            m = re.search(r"\(([^)]+)\)", raw)  # RSS style: "jane@example.com (Jane Doe)"
            raw = m.group(1) if m else raw
            if "@" not in raw:
                names.extend(
                    " ".join(n.split()) for n in re.split(r"\s*(?:;|\band\b|,)\s*", raw) if n.strip()
                )
    seen: dict[str, None] = {}
    for n in names:
        seen.setdefault(n, None)
    return tuple(seen)


def _entry(entry: Any, base: str) -> FeedEntry:
    link = (entry.get("link") or "").strip() or None
    if link:
        link = urljoin(base, link)
        if not link.lower().startswith(("http://", "https://")):
            link = None
    title = _text_of(entry.get("title_detail"), entry.get("title", "")).replace("\n\n", " ")
    published = _iso(entry.get("published_parsed")) or _iso(entry.get("updated_parsed"))
    contents = [_text_of(c) for c in entry.get("content") or []]
    content = max(contents, key=len) if contents else ""
    summary = _text_of(entry.get("summary_detail"), entry.get("summary", ""))
    key = (entry.get("id") or "").strip()
    if key and entry.get("guidislink"):
        key = urljoin(base, key)  # a permalink guid is a URL, relative ones count from the feed
    key = key or link
    if not key:
        digest = hashlib.sha256(f"{title}\n{published}\n{summary[:200]}".encode()).hexdigest()[:16]
        key = f"untitled:{digest}"
    source = entry.get("source") or {}
    source_title = " ".join((source.get("title") or "").split()) if isinstance(source, dict) else ""
    best = content if len(content) >= len(summary) else summary
    fingerprint, words = _fingerprint_and_words(best)
    return FeedEntry(
        key=key,
        url=link,
        title=title.strip(),
        published=published,
        authors=_authors(entry),
        content=content,
        summary=summary,
        source=source_title or None,
        fingerprint=fingerprint,
        words=words,
    )


_PREPARED = False


def prepare_feedparser() -> None:
    """Import feedparser and give its cp1252 repair table an entry for every BMP code point.

    feedparser passes every text it reads through `str.translate` with a dict mapping the C1
    controls (U+0080..U+009F) to the cp1252 characters they usually stand for. For non-ASCII text
    CPython looks each character up in that dict, and every miss raises and clears a KeyError:
    a fifth of the parse time of a typical feed. Identity entries for the rest of the BMP turn
    the misses into hits, with exactly the same result (feedparser's own entries win). Called
    once per process, before forking workers so they share the table.
    """
    global _PREPARED
    if _PREPARED:
        return
    import feedparser.mixin

    table = getattr(feedparser.mixin, "_cp1252", None)
    if isinstance(table, dict) and len(table) < 0x10000:
        full: dict[int, Any] = {i: i for i in range(0x10000)}
        full.update(table)
        feedparser.mixin._cp1252 = full
    _PREPARED = True


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lower()
    return b"<html" in head or b"<!doctype html" in head


_FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
)


def parse_feed(
    data: bytes,
    url: str,
    content_type: str | None = None,
    *,
    max_entries: int | None = None,
    parser: str = "auto",
) -> ParsedFeed:
    """Read `data` (fetched from `url`) as a feed; raises FeedError with a one-line reason.

    A document feedparser recovers entries from is accepted even if not well-formed (as every feed
    reader does); one yielding no feed at all is an error saying what it was instead.
    `parser="auto"` reads well-formed feeds through `feedxml` (same result, several times faster)
    and everything else through feedparser; `parser="feedparser"` always uses feedparser.
    """
    if not data.strip():
        raise FeedError("empty response, no feed")
    check_entities(data)
    if parser == "auto":
        from tuireader.sources import feedxml

        fast = feedxml.read_feed(data, content_type)
        if fast is not None:
            return _parsed(fast, url, data, max_entries)
    prepare_feedparser()
    import feedparser

    # No content-location: feedparser would otherwise resolve xml:base against the URL at every
    # element (a tenth of its time); the links we use are made absolute here instead (`urljoin`
    # is compositional, so a relative xml:base still counts from the feed's URL). Sanitising and
    # resolving URIs inside the HTML are off too: the HTML is reduced to plain text here.
    headers = {"content-type": content_type} if content_type else {}
    try:
        result = feedparser.parse(
            io.BytesIO(data), response_headers=headers, sanitize_html=False, resolve_relative_uris=False
        )
    except Exception as exc:  # feedparser is defensive, but never let one feed stop a refresh
        raise FeedError(f"cannot parse feed ({exc.__class__.__name__}: {exc})") from None
    return _parsed(result, url, data, max_entries)


def _parsed(result: Any, url: str, data: bytes, max_entries: int | None) -> ParsedFeed:
    """A ParsedFeed from feedparser's result (or `feedxml`'s, which has the same shape)."""
    version = result.get("version") or ""
    raw_entries = result.get("entries") or []
    feed = result.get("feed") or {}
    unreadable = result.get("bozo") and not (feed.get("title") or feed.get("link"))
    if not raw_entries and (not version or unreadable):
        if _looks_like_html(data):
            hint = ""
            for link in feed.get("links") or []:
                if (link.get("rel") == "alternate" and (link.get("type") or "").lower() in _FEED_TYPES
                        and link.get("href")):  # fmt: skip
                    hint = f" (it names a feed: {urljoin(url, link['href'])})"
                    break
            raise FeedError(f"an HTML page, not a feed{hint}")
        if result.get("bozo"):
            exc = result.get("bozo_exception")
            detail = str(exc).splitlines()[0] if exc is not None and str(exc) else "unreadable"
            detail = re.sub(r"^<unknown>:(\d+):(\d+): ", r"line \1, column \2: ", detail)
            raise FeedError(f"not a feed: ill-formed XML ({detail})")
        raise FeedError("not a feed (no RSS or Atom elements)")
    warning = None
    if result.get("bozo"):
        exc = result.get("bozo_exception")
        name = exc.__class__.__name__ if exc is not None else ""
        if name not in ("CharacterEncodingOverride", "NonXMLContentType"):
            warning = "ill-formed XML, read leniently"
    entries: list[FeedEntry] = []
    for raw in raw_entries[: max_entries or len(raw_entries)]:
        entries.append(_entry(raw, url))
    title = _text_of(feed.get("title_detail"), feed.get("title", "")).replace("\n\n", " ").strip() or None
    link = urljoin(url, feed.get("link") or "") if feed.get("link") else None
    if link and not link.lower().startswith(("http://", "https://")):
        link = None  # javascript: and the like are no site address
    return ParsedFeed(
        url=url,
        title=title,
        link=link,
        language=(feed.get("language") or None),
        version=version or "unknown",
        entries=tuple(entries),
        warning=warning,
    )
