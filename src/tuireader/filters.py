"""Narrowing the list of articles: a small query language shared by the reader's filter bar.

    outlet:harbor  feed:harbor.example  since:2026-11-01  until:2026-11-30  unread  outlets:2  ferry strike

* `outlet:TEXT` keeps versions whose outlet name contains TEXT (any case); repeat for either of
  several outlets;
* `feed:TEXT` keeps versions fetched from a subscribed feed whose address (or title, or the
  outlet named when subscribing) contains TEXT; repeat for either of several feeds. Articles that
  came from no feed (copied in with `ingest FILE`) are left out once a feed is asked for;
* `since:` / `until:` keep versions published on or after / on or before a date (`YYYY-MM-DD`, or
  `YYYY-MM`, `YYYY`); undated versions are left out once a date is asked for;
* `unread` (or `is:unread`) keeps the versions not read yet;
* `outlets:N` keeps stories told by at least N different outlets (counted over the whole story);
* any other word must appear in the title (any case).

Pure functions over `ArticleSummary`s, so the reader, the command line and tests agree. Quoting
a value with spaces: `outlet:"harbor times"`. Which feed brought an article is not in its summary:
the caller passes the Library's `article_feeds()` (article id -> what names its feed) when
`flt.feeds` is set.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from tuireader.labels import source_name
from tuireader.model import ArticleSummary


class FilterError(ValueError):
    """A filter that cannot be understood (the message says which part and why)."""


_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


@dataclass(frozen=True)
class ListFilter:
    outlets: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None
    unread: bool = False
    min_outlets: int = 0
    words: tuple[str, ...] = ()
    text: str = field(default="", compare=False)  # what the user typed
    feeds: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.outlets or self.feeds or self.since or self.until or self.unread or self.min_outlets
                    or self.words)  # fmt: skip

    def describe(self) -> str:
        """The filter in words, for the status line."""
        parts = []
        if self.outlets:
            parts.append("outlet " + " or ".join(repr(o) for o in self.outlets))
        if self.feeds:
            parts.append("feed " + " or ".join(repr(f) for f in self.feeds))
        if self.since:
            parts.append(f"since {self.since}")
        if self.until:
            parts.append(f"until {self.until}")
        if self.unread:
            parts.append("unread")
        if self.min_outlets:
            parts.append(f"stories from {self.min_outlets}+ outlets")
        if self.words:
            parts.append("title with " + " ".join(repr(w) for w in self.words))
        return ", ".join(parts) or "everything"


def parse_filter(text: str) -> ListFilter:
    """`text` as a ListFilter; raises FilterError naming what it cannot read."""
    try:
        tokens = shlex.split(text)
    except ValueError as exc:
        raise FilterError(f"unbalanced quotes in {text!r}") from exc
    outlets: list[str] = []
    feeds: list[str] = []
    words: list[str] = []
    since = until = None
    unread = False
    min_outlets = 0
    for token in tokens:
        key, sep, value = token.partition(":")
        key = key.lower()
        if not sep:
            if token.lower() == "unread":
                unread = True
            else:
                words.append(token.casefold())
            continue
        if key == "outlet":
            if not value:
                raise FilterError("outlet: needs a name (outlet:harbor)")
            outlets.append(value.casefold())
        elif key == "feed":
            if not value:
                raise FilterError("feed: needs part of a feed's address or title (feed:harbor)")
            feeds.append(value.casefold())
        elif key in ("since", "until"):
            if not _DATE.match(value):
                raise FilterError(f"{key}: needs a date like 2026-11-30 (got {value!r})")
            if key == "since":
                since = value
            else:
                until = value
        elif key == "is" and value.lower() == "unread":
            unread = True
        elif key == "outlets":
            if not value.isdigit() or int(value) < 1:
                raise FilterError(f"outlets: needs a number of outlets, e.g. outlets:2 (got {value!r})")
            min_outlets = int(value)
        else:
            raise FilterError(f"unknown filter {key}: (outlet:, feed:, since:, until:, unread, outlets:)")
    return ListFilter(tuple(outlets), since, until, unread, min_outlets, tuple(words), text=text.strip(),
                      feeds=tuple(feeds))  # fmt: skip


def combine(base: ListFilter, more: ListFilter) -> ListFilter:
    """Both filters at once (a saved view narrowed further by what is typed): every condition of
    each must hold; outlets or feeds named in both narrow to those named in `more`."""
    return ListFilter(
        more.outlets or base.outlets,
        max(filter(None, (base.since, more.since)), default=None),
        min(filter(None, (base.until, more.until)), default=None),
        base.unread or more.unread,
        max(base.min_outlets, more.min_outlets),
        base.words + tuple(w for w in more.words if w not in base.words),
        text=" ".join(t for t in (base.text, more.text) if t),
        feeds=more.feeds or base.feeds,
    )


def split_search(text: str) -> tuple[str, ListFilter]:
    """A search box's text as (the words to search for, the filter tokens in it): `ferry strike
    outlet:harbor since:2026-11-01` searches "ferry strike" in Harbor's versions since November.
    Quoted phrases stay quoted for the search. Raises FilterError as `parse_filter` does."""
    query: list[str] = []
    tokens: list[str] = []
    for m in re.finditer(r'(\S+:"[^"]*"|\S+:\S+|"[^"]*"?|\S+)', text):
        token = m.group(0)
        key, sep, _value = token.partition(":")
        if sep and key.lower() in _KEYS and not token.startswith('"') or token.lower() in ("unread", "is:unread"):
            tokens.append(token)
        else:
            query.append(token)
    flt = parse_filter(" ".join(tokens)) if tokens else ListFilter()
    return " ".join(query), flt


_KEYS = {"outlet", "feed", "since", "until", "is", "outlets"}


def _date_ok(published: str | None, since: str | None, until: str | None) -> bool:
    if not (since or until):
        return True
    if not published:
        return False
    if since and published[: len(since)] < since:
        return False
    return not (until and published[: len(until)] > until)


def apply_filter(summaries: Iterable[ArticleSummary], flt: ListFilter, read: frozenset[str] | set[str] = frozenset(),
                 feeds: Mapping[str, str] | None = None) -> list[ArticleSummary]:  # fmt: skip
    """The summaries `flt` keeps, in their order. `feeds`: article id -> the text naming the feed
    that brought it (needed when `flt.feeds` is set; articles without one then fail the filter)."""
    rows = list(summaries)
    if flt.empty:
        return rows
    story_outlets: Mapping[str, int] = {}
    if flt.min_outlets:
        seen: dict[str, set[str]] = {}
        for s in rows:
            seen.setdefault(s.story or s.id, set()).add((s.outlet or "").strip().casefold() or s.id)
        story_outlets = {sid: len(names) for sid, names in seen.items()}
    out = []
    for s in rows:
        if flt.min_outlets and story_outlets.get(s.story or s.id, 0) < flt.min_outlets:
            continue
        if flt.unread and s.id in read:
            continue
        if flt.outlets:
            name = source_name(s.outlet, s.id).casefold()
            if not any(o in name for o in flt.outlets):
                continue
        if flt.feeds:
            feed = (feeds or {}).get(s.id, "").casefold()
            if not (feed and any(f in feed for f in flt.feeds)):
                continue
        if not _date_ok(s.published, flt.since, flt.until):
            continue
        if flt.words:
            title = (s.title or "").casefold()
            if not all(w in title for w in flt.words):
                continue
        out.append(s)
    return out
