"""JSON Feed (versions 1.0 and 1.1, jsonfeed.org): a feed written as a JSON object.

feedparser 6.0 reads no JSON, so this small reader maps the format onto the same `ParsedFeed` the
RSS/Atom reader gives: the refresh, the duplicate checks and the article files never know which
format an entry came in. What the specification leaves loose is read leniently, as the other
formats are (an `id` given as a number, a missing title, a date with a time zone offset); what
is not a JSON Feed at all is a FeedError naming what it was.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

from tuireader.sources.base import FeedEntry, FeedError, ParsedFeed
from tuireader.sources.plaintext import collapse_paragraphs, fingerprint_and_words, html_to_text

VERSION_PREFIX = "https://jsonfeed.org/version/"
_VERSIONS = {"1": "json10", "1.1": "json11"}


class JsonFeed:
    """The JSON Feed source: `application/feed+json`, or JSON that names a JSON Feed version."""

    kind = "jsonfeed"
    media_types = ("application/feed+json;q=0.9", "application/json;q=0.8")  # after RSS/Atom: unchanged for them

    def claims(self, content_type: str, head: bytes) -> bool:
        if "feed+json" in content_type:
            return True
        return head.startswith(b"{") and b"jsonfeed.org/version" in head

    def parse(self, data: bytes, url: str, content_type: str | None = None, *,
              max_entries: int | None = None) -> ParsedFeed:  # fmt: skip
        return parse(data, url, max_entries=max_entries)


SOURCE = JsonFeed()


def parse(data: bytes, url: str, *, max_entries: int | None = None) -> ParsedFeed:
    """Read a JSON Feed document fetched from `url`; raises FeedError with a one-line reason."""
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        detail = f"line {exc.lineno}, column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else "not UTF-8"
        raise FeedError(f"not a feed: ill-formed JSON ({detail})") from None
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith(VERSION_PREFIX):
        raise FeedError("not a feed: JSON, but not a JSON Feed (no jsonfeed.org version)")
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError("not a feed: a JSON Feed without an items list")
    number = str(doc["version"])[len(VERSION_PREFIX) :].strip("/")
    entries = [_entry(item, url) for item in items[: max_entries or len(items)] if isinstance(item, dict)]
    return ParsedFeed(
        url=url,
        title=_line(doc.get("title")) or None,
        link=_web_url(url, doc.get("home_page_url")),
        language=_line(doc.get("language")) or None,
        version=_VERSIONS.get(number, "json"),
        entries=tuple(entries),
        warning=None,
    )


def _entry(item: dict[str, Any], base: str) -> FeedEntry:
    link = _web_url(base, item.get("url")) or _web_url(base, item.get("external_url"))
    title = _line(item.get("title"))
    published = _date(item.get("date_published")) or _date(item.get("date_modified"))
    if isinstance(item.get("content_html"), str) and item["content_html"].strip():
        content = html_to_text(item["content_html"])
    else:
        content = _plain(item.get("content_text"))
    summary = _plain(item.get("summary"))
    key = item.get("id")
    key = str(key).strip() if isinstance(key, str | int | float) and not isinstance(key, bool) else ""
    if not key:
        key = link or "untitled:" + hashlib.sha256(f"{title}\n{published}\n{summary[:200]}".encode()).hexdigest()[:16]
    fingerprint, words = fingerprint_and_words(content if len(content) >= len(summary) else summary)
    return FeedEntry(key=key, url=link, title=title, published=published, authors=_authors(item),
                     content=content, summary=summary, fingerprint=fingerprint, words=words,
                     updated=_date(item.get("date_modified")))  # fmt: skip


def _line(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _plain(value: Any) -> str:
    """Plain text (content_text, summary) as paragraphs separated by blank lines."""
    if not isinstance(value, str):
        return ""
    return "\n\n".join(collapse_paragraphs(re.split(r"\n\s*\n", value)))


def _web_url(base: str, value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    absolute = urljoin(base, value.strip())
    return absolute if absolute.lower().startswith(("http://", "https://")) else None


def _authors(item: dict[str, Any]) -> tuple[str, ...]:
    """Version 1.1's `authors` list, else version 1.0's single `author` object."""
    found = item.get("authors")
    people = found if isinstance(found, list) else [item.get("author")]
    names = [_line(p.get("name")) for p in people if isinstance(p, dict)]
    return tuple(dict.fromkeys(n for n in names if n and "@" not in n))


def _date(value: Any) -> str | None:
    """An RFC 3339 date as ISO UTC; implausible dates (before 1990, days ahead) are dropped."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    when = when.astimezone(UTC)
    if when.year < 1990 or when.timestamp() > time.time() + 2 * 86400:
        return None
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")
