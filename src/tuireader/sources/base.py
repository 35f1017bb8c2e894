"""What every source of articles is and yields, and the registry that finds the right one.

A source turns a place on the web into entries: a feed (RSS/Atom, JSON Feed) or a single page.
Each is one module with a `SOURCE` object and one line in `BUILTIN`; the refresh, `ingest URL`
and the Accept header they send ask this registry, so none of them knows a format by name.
The registry is keyed by the kind of subscription (`"rss"`, `"jsonfeed"`, `"page"`); the order of
`BUILTIN` is the order in which they are asked whether a response is theirs.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Protocol, runtime_checkable


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
    updated: str | None = None  # when the feed says the entry last changed (a revision's hint)

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


class Source(Protocol):
    """One kind of place articles come from."""

    kind: str  # the registry key, also what a subscription of this kind is called
    media_types: tuple[str, ...]  # what to ask servers for (the Accept header), most wanted first

    def claims(self, content_type: str, head: bytes) -> bool:
        """Whether a response (its media type, lower-cased, and its first 4 KiB) is of this kind."""
        ...


@runtime_checkable
class FeedSource(Source, Protocol):
    """A source whose documents list entries (each naming an article page, often with its text)."""

    def parse(self, data: bytes, url: str, content_type: str | None = None, *,
              max_entries: int | None = None) -> ParsedFeed:  # fmt: skip
        """The document's entries; raises FeedError with a one-line reason."""
        ...


BUILTIN = (
    "tuireader.sources.feeds.jsonfeed:SOURCE",
    "tuireader.sources.feeds.rss_atom:SOURCE",
    "tuireader.sources.pages:SOURCE",
)
_REGISTERED: dict[str, Source] = {}


def register(source: Source) -> None:
    """Add (or replace) the source of `source.kind`; it is asked after the built-in ones."""
    _REGISTERED[source.kind] = source


@cache
def _builtin() -> tuple[Source, ...]:
    # loaded by name, as plugins are: the registry depends on no format, and a format's module is
    # imported only once a refresh or an ingest asks for it
    found = []
    for spec in BUILTIN:
        module, _, name = spec.partition(":")
        found.append(getattr(importlib.import_module(module), name))
    return tuple(found)


def sources() -> dict[str, Source]:
    """Every source by kind: the built-in ones first, in the order they are asked."""
    return {s.kind: s for s in (*_builtin(), *_REGISTERED.values())}


def feed_sources() -> list[FeedSource]:
    return [s for s in sources().values() if isinstance(s, FeedSource)]


def detect(content_type: str | None, body: bytes) -> Source | None:
    """The source a response belongs to (feeds are often served as text/html or text/plain, so
    the body decides as much as the type); None when no source claims it."""
    ctype = (content_type or "").lower()
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    return next((s for s in sources().values() if s.claims(ctype, head)), None)


@cache
def feed_accept() -> str:
    """The Accept header for a feed request: every feed format's types, most wanted first (by
    their q values; in registry order among equals), then anything."""
    types: list[str] = []
    for source in feed_sources():
        types += [t for t in source.media_types if t not in types]
    types.sort(key=lambda t: -float(t.partition(";q=")[2] or 1))
    return ", ".join(types) + ", */*;q=0.1"


def parse_feed(data: bytes, url: str, content_type: str | None = None, *,
               max_entries: int | None = None) -> ParsedFeed:  # fmt: skip
    """Read a fetched document as whichever feed it is; raises FeedError with a one-line reason.

    A document no feed format claims is given to RSS/Atom, whose lenient parser recovers what it
    can and otherwise says what the document was instead (an HTML page, ill-formed XML)."""
    if not data.strip():
        raise FeedError("empty response, no feed")
    source = detect(content_type, data)
    if not isinstance(source, FeedSource):
        source = sources()["rss"]
    return source.parse(data, url, content_type, max_entries=max_entries)
