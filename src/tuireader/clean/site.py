"""Site profiles: the lines a site prints on many of its pages (menus, footers, disclaimers).

Why: one page alone cannot always tell a site's boilerplate from its story. A legal disclaimer or an
"about us" paragraph is long, well-formed prose, and on a short or list-like story page it can
outweigh the story itself. Across several pages of one host, though, furniture gives itself away: it
repeats word for word on pages that tell different stories, while a story's paragraphs do not.

A `SiteProfile` is the set of such lines for one host, collected from raw documents alone (no
cleaning needed, so the Library can build it at scan time and cache it). The cleaner treats the
profile's lines as furniture; `clean(raw, profile)` stays a pure function of its two arguments, and
`SiteProfile.digest_for(raw)` gives the part of the profile that can change a document's result, for
cache keys that change only when that document's cleaning could.

Two versions of the same story (a page fetched twice, an updated article) share their paragraphs; such
pages are recognised by how much of their prose they share, and lines they share only with each other
are not furniture.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from tuireader.clean.text import line_keys
from tuireader.model import RawDocument

MIN_PAGES = 2  # a line is furniture when pages telling at least this many different stories print it
PROSE_WORDS = 8  # lines with at least this many words say which pages tell the same story ...
SAME_STORY = 0.8  # ... when two pages share at least this share of the prose words of each
MAX_PAIRING = 8  # a line on more pages than this is furniture outright (not used to pair pages)


@dataclass(frozen=True, slots=True)
class SiteProfile:
    """The repeated lines of one host (as `text.line_keys` spells them), from `pages` documents."""

    host: str
    pages: int
    lines: frozenset[str]

    def lines_in(self, body: str) -> frozenset[str]:
        """The profile's lines that occur in `body`: all that can change how `body` is cleaned."""
        return self.lines & line_keys(body)

    def digest_for(self, raw: RawDocument) -> str:
        """A short, stable digest of `lines_in(raw.body)`, for the Library's cache key."""
        joined = "\n".join(sorted(self.lines_in(raw.body)))
        return hashlib.blake2b(joined.encode("utf-8"), digest_size=8).hexdigest()


def host_of(raw: RawDocument) -> str | None:
    """The host a document comes from, by its declared URL ("www." dropped), else None."""
    url = raw.declared.get("url", "")
    try:
        host = urlsplit(url.strip()).hostname if url else None
    except ValueError:
        return None
    return host.removeprefix("www.") if host else None


def site_profile(raw_documents: Iterable[RawDocument], host: str = "") -> SiteProfile:
    """The lines printed on pages of `raw_documents` (all of one host) that tell different stories.

    Each document counts a line once. Pages with the same declared URL (query and fragment aside),
    and pages that share nearly all of their prose, are taken as versions of one story; a line
    counts as furniture only when it appears on pages of at least `MIN_PAGES` different stories.
    (Sharing is measured against the larger page: two short stories framed by the same long
    disclaimer share much of their prose, but each still has its own.)
    """
    raws = list(raw_documents)
    docs = [line_keys(raw.body) for raw in raws]
    where: dict[str, list[int]] = defaultdict(list)
    for i, keys in enumerate(docs):
        for key in keys:
            where[key].append(i)
    prose = [sum(_words(k) for k in keys if _words(k) >= PROSE_WORDS) for keys in docs]
    shared: dict[tuple[int, int], int] = defaultdict(int)
    for key, pages in where.items():
        n = _words(key)
        if n >= PROSE_WORDS and 2 <= len(pages) <= MAX_PAIRING:
            for a_i, a in enumerate(pages):
                for b in pages[a_i + 1 :]:
                    shared[(a, b)] += n
    story = list(range(len(docs)))  # union-find: each page's story group

    def group(i: int) -> int:
        while story[i] != i:
            story[i] = story[story[i]]
            i = story[i]
        return i

    for (a, b), words in shared.items():
        if words >= SAME_STORY * max(1, prose[a], prose[b]):
            story[group(a)] = group(b)
    first_of: dict[str, int] = {}
    for i, raw in enumerate(raws):
        address = _story_address(raw)
        if address:
            story[group(i)] = group(first_of.setdefault(address, i))
    lines = frozenset(
        key
        for key, pages in where.items()
        if len(pages) >= MIN_PAGES
        and (len(pages) > MAX_PAIRING or len({group(p) for p in pages}) >= MIN_PAGES)
    )
    return SiteProfile(host, len(docs), lines)


def site_profiles(raw_documents: Iterable[RawDocument]) -> dict[str, SiteProfile]:
    """One profile per host, for hosts with at least `MIN_PAGES` documents."""
    by_host: dict[str, list[RawDocument]] = defaultdict(list)
    for raw in raw_documents:
        host = host_of(raw)
        if host:
            by_host[host].append(raw)
    return {h: site_profile(docs, h) for h, docs in by_host.items() if len(docs) >= MIN_PAGES}


def _story_address(raw: RawDocument) -> str:
    """The declared URL without scheme, query or fragment: one address is one story."""
    url = raw.declared.get("url", "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    return f"{(parts.hostname or '').removeprefix('www.')}{parts.path.rstrip('/')}" if parts.hostname else ""


def _words(key: str) -> int:
    return key.count(" ") + 1
