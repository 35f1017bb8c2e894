"""RSS (0.9x, 1.0, 2.0) and Atom: feedparser does the format work, `feedxml` the fast path.

feedparser reads every dialect, broken XML through its loose parser, and guesses encodings, but it
is only ever given bytes, never a URL, so it cannot fetch anything. Before it sees a document,
`xmlguard.check_entities` refuses DTDs that could expand.
"""

from __future__ import annotations

import calendar
import hashlib
import io
import re
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from tuireader.sources.base import FeedEntry, FeedError, ParsedFeed
from tuireader.sources.plaintext import fingerprint_and_words, html_to_text
from tuireader.sources.xmlguard import check_entities


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
    fingerprint, words = fingerprint_and_words(best)
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
        # feedparser's dict answers `updated_parsed` with the published date when there is no
        # updated element; the fast parser's dict does not: both read the same this way
        updated=_iso(entry.get("updated_parsed") or entry.get("published_parsed")),
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


def parse(
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
        from tuireader.sources.feeds import feedxml

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


class RssAtom:
    """The RSS/Atom source: XML that names itself a feed (by media type or by its root)."""

    kind = "rss"
    media_types = ("application/rss+xml", "application/atom+xml", "application/rdf+xml;q=0.9",
                   "application/xml;q=0.8", "text/xml;q=0.8")  # fmt: skip

    def claims(self, content_type: str, head: bytes) -> bool:
        if any(t in content_type for t in ("rss", "atom", "rdf")):
            return True
        head = head.lower()
        return head.startswith((b"<?xml", b"<rss", b"<feed", b"<rdf")) and any(
            t in head for t in (b"<rss", b"<feed", b"<rdf:rdf", b"<channel")
        )

    def parse(self, data: bytes, url: str, content_type: str | None = None, *,
              max_entries: int | None = None) -> ParsedFeed:  # fmt: skip
        return parse(data, url, content_type, max_entries=max_entries)


SOURCE = RssAtom()
