"""What a refresh is told (options), tells as it goes (progress) and tells at the end (report)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tuireader.model import Problem
from tuireader.sources.http import HttpConfig


@dataclass(frozen=True, slots=True)
class RefreshOptions:
    """How a refresh behaves; defaults are for real use, tests and benchmarks adjust them."""

    http: HttpConfig = field(default_factory=HttpConfig)
    fetch_pages: bool = True  # fetch each new entry's page for the full text (else feed text only)
    max_entries_per_feed: int = 200  # entries read per document (feeds list newest first)
    article_concurrency: int = 16  # pages in hand at once (bounds memory as well as sockets)
    workers: int | None = None  # processes for parsing/extraction (default: CPU count)
    process_threshold: int = 24  # CPU jobs run in a thread until a refresh proves this big
    max_attempts: int = 3  # an entry that yields no text is retried on this many refreshes
    feed_deadline: float = 15.0  # seconds for one feed whole (document and pages); the rest waits


@dataclass(frozen=True, slots=True)
class RefreshProgress:
    """A snapshot for progress displays; `articles_total` grows as feeds are read."""

    feeds_total: int
    feeds_done: int
    feeds_failed: int
    articles_total: int
    articles_done: int
    added: int
    current: str | None = None


@dataclass
class RefreshReport:
    """What a refresh did. `added` are the new article ids (file stems), `revised` the ids of new
    revisions (`<first>-r<N>`) of articles stored before."""

    added: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)  # new revision files of articles stored before
    problems: list[Problem] = field(default_factory=list)
    feeds_ok: int = 0
    feeds_failed: int = 0
    entries_seen: int = 0
    duplicates: int = 0  # new entries that turned out to be articles already stored
    feeds_unchanged: int = 0  # of feeds_ok: document unchanged since the last full pass
    notices: list[str] = field(default_factory=list)  # one line each: not failures (a state rebuilt)


ProgressCallback = Callable[[RefreshProgress], None]
