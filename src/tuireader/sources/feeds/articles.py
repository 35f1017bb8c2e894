"""Building the article file of a feed entry, and the keys that find it again.

An entry becomes one readable `.txt` file (header block + paragraphs) named by `files.article_stem`
from its date and the hash of its canonical URL. The keys kept beside it (URL hashes, the per-site
text fingerprint, the rel=canonical key) are how the refresh recognises the same article arriving
again: under another URL, from another feed, or after a redirect. Pure functions, so that they can
run in the worker processes.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple
from urllib.parse import urlsplit

from tuireader.model import Problem
from tuireader.sources.base import FeedEntry, parse_feed
from tuireader.sources.feeds.state import text_key
from tuireader.sources.files import article_stem, format_header
from tuireader.sources.http import canonical_url, site_of, url_hash
from tuireader.sources.opml import Subscription
from tuireader.sources.pages import ExtractedPage


def now_iso() -> str:
    return _iso_second(int(time.time()))


@functools.lru_cache(maxsize=4)
def _iso_second(stamp: int) -> str:
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@functools.lru_cache(maxsize=8192)
def clean_url(url: str) -> str:
    """The URL as written into an article: tracking parameters and fragment removed, scheme kept."""
    if "?" not in url and "#" not in url:
        return url
    from urllib.parse import urlsplit, urlunsplit

    scheme = urlsplit(url).scheme
    canon = urlsplit(canonical_url(url))
    return urlunsplit((scheme or canon.scheme, canon.netloc, urlsplit(url).path or "/", canon.query, ""))


# Terminal control sequences (CSI, OSC, DCS/SOS/PM/APC strings, two-character escapes, their
# 8-bit forms), then any control character left but tab and newline.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?|\x9b[0-?]*[ -/]*[@-~]?"
    r"|[\x1b][\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """`text` without terminal control sequences or control characters (tab and newline kept).

    Feed entries and pages are untrusted: an entry full of escape codes is stored without them,
    so the file reads as text (not as binary at every scan) and nothing in it can drive a terminal.
    """
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))


def _clean_paragraphs(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    """`strip_controls` over paragraphs, each still one line (or blank-line separated parts, as a
    feed's text is), none left empty."""
    if not any(_CONTROL.search(p) for p in paragraphs):
        return paragraphs
    cleaned: list[str] = []
    for paragraph in paragraphs:
        parts = [" ".join(strip_controls(part).split()) for part in paragraph.split("\n\n")]
        if text := "\n\n".join(part for part in parts if part):
            cleaned.append(text)
    return tuple(cleaned)


def article_bytes(fields: dict[str, str | None], paragraphs: list[str] | tuple[str, ...]) -> bytes:
    """An article file: the header block, a blank line, paragraphs separated by blank lines."""
    body = "\n\n".join(paragraphs)  # already one line each: sources collapse whitespace
    return (format_header(fields) + "\n" + body + "\n").encode("utf-8")


class NewArticle(NamedTuple):
    """An entry ready to be written (all but possibly its outlet). A named tuple: ten thousand of
    them come back from the workers on a first refresh, and tuples pickle fastest."""

    primary: str
    fields: dict[str, str | None]
    paragraphs: tuple[str, ...]
    aliases: frozenset[str]
    text_key: str | None
    site_url: str
    site_name: str | None
    where: str
    canonical_key: str | None = None
    stem: str = ""  # with `data`: the file's name and bytes, when the worker made it whole
    data: bytes | None = None


def entry_signature(entry: FeedEntry) -> str:
    """What tells that a feed entry read before changed: its title, text and dates. An entry whose
    signature differs from the one recorded is looked at again for a revision."""
    text = entry.fingerprint or hashlib.sha256(" ".join(entry.text.split()).encode()).hexdigest()[:20]
    parts = (entry.title, text, entry.published or "", entry.updated or "")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def revision_fields(new: dict[str, str | None], previous: dict[str, str], previous_stem: str,
                    number: int) -> dict[str, str | None]:  # fmt: skip
    """The header of revision `number` of an article: what the new fetch says, the outlet and
    publication date the article already had when the new fetch does not name them (so the
    version stays one outlet's), and the link to the file it follows."""
    fields = {**new}
    for key in ("outlet", "published", "title", "authors", "language"):
        if not fields.get(key) and previous.get(key):
            fields[key] = previous[key]
    if previous.get("outlet"):
        fields["outlet"] = previous["outlet"]  # one outlet's version, however the page names it now
    fields["fetched"] = now_iso()
    fields["revision"] = str(number)
    fields["previous"] = previous_stem
    return fields


def primary_of(feed_url: str, entry: FeedEntry) -> str:
    """The hash naming the entry's article: its URL's, else its feed's and key's."""
    if entry.url:
        return url_hash(entry.url)
    return hashlib.sha256(f"{canonical_url(feed_url)}\n{entry.key}".encode()).hexdigest()[:16]


def canonical_key(page: ExtractedPage, final_url: str) -> str | None:
    """The page's rel=canonical with its title: the same article under another address.

    Canonical links are often misconfigured (every page naming the home page or a section), so
    one counts only on the same site, never the site root, and only with the same headline.
    """
    canon = page.canonical_url
    if not canon or not page.title or site_of(canon) != site_of(final_url):
        return None
    if urlsplit(canon).path in ("", "/"):
        return None
    title = " ".join(re.findall(r"\w+", page.title.casefold()))
    return hashlib.sha256(f"{canonical_url(canon)}\n{title}".encode()).hexdigest()[:20]


def build_article(sub: Subscription, language: str | None, entry: FeedEntry, primary: str,
                   page: ExtractedPage | None, page_error: str | None, final_url: str | None,
                   ) -> NewArticle | Problem:  # fmt: skip
    """The article to write for `entry` (with its page, if one was fetched), or the Problem that
    there is no text. A pure function: it also runs in the worker processes."""
    use_page = page is not None and page.words >= 0.8 * entry.words
    paragraphs: tuple[str, ...]
    if page is not None and use_page:
        paragraphs, fingerprint = page.paragraphs, page.fingerprint
    else:
        # the feed's text is already paragraphs joined by blank lines, none empty
        # (feeds.html_to_paragraphs): written as it is, without splitting and re-joining
        text = entry.text.strip()
        paragraphs, fingerprint = ((text,) if text else ()), entry.fingerprint
    paragraphs = _clean_paragraphs(paragraphs)
    if not paragraphs:
        if not sub.url:  # a single page asked for by URL
            where, message = entry.url or "", f"no article text ({page_error or 'empty page'})"
        else:
            where = entry.url or f"{sub.url} ({entry.title or entry.key})"
            page_part = f"page: {page_error}; " if page_error else ""
            message = f"no article text ({page_part}feed {sub.url} gives none)"
        return Problem(where=where, message=" ".join(message.split()))

    site_url = final_url or sub.url
    site_name = page.site_name if page is not None else None
    if site_name and site_name.lower().removeprefix("www.") in (
        site_of(site_url),
        urlsplit(site_url).netloc,
    ):
        site_name = None  # trafilatura falls back to the host name: not a name the site gives
    url = final_url or entry.url
    fields: dict[str, str | None] = {
        "title": entry.title or (page.title if page else None) or "(untitled)",
        "outlet": sub.outlet or site_name or entry.source,
        "url": clean_url(url) if url else None,
        "feed": sub.url or None,
        "published": entry.published or (page.published if page else None),
        "fetched": now_iso(),
        "authors": "; ".join(entry.authors or (page.authors if page else ())) or None,
        "language": language or (page.language if page else None),
    }
    fields = {k: strip_controls(v) if v else v for k, v in fields.items()}
    aliases = {primary} | {url_hash(u) for u in (final_url, entry.url) if u}
    return NewArticle(
        primary=primary,
        fields=fields,
        paragraphs=paragraphs,
        aliases=frozenset(aliases),
        text_key=text_key(site_of(site_url), fingerprint),
        site_url=site_url,
        site_name=site_name,
        where=entry.url or sub.url,
        canonical_key=canonical_key(page, final_url) if page is not None and final_url else None,
    )


class Prepare(NamedTuple):
    """What a worker needs to make a feed's articles whole (refreshes without pages)."""

    outlet: str | None  # the subscription's own name for the outlet
    site_name: str | None  # the name the feed's pages gave on an earlier refresh
    seen: set[str]  # keys of the entries already read, not made again
    signatures: dict[str, str] | None = None  # entry_signature of those, when recorded: changed ones are made


@dataclass(frozen=True, slots=True)
class FeedDocument:
    """A feed document as the event loop needs it: per entry its key, URL and primary hash, and
    either the entries (their pages to fetch) or, with `Prepare`, the articles the worker made
    ready to write (a Problem where an entry has no text); then `entries` is empty, as the texts
    are already in the articles' bytes and need not travel back twice."""

    title: str | None
    link: str | None
    language: str | None
    keys: tuple[str, ...]
    urls: tuple[str | None, ...]
    primaries: tuple[str, ...]
    entries: tuple[FeedEntry, ...]
    articles: tuple[NewArticle | Problem | None, ...] | None = None  # None: an entry already seen
    signatures: tuple[str, ...] = ()  # entry_signature of each entry


def parse_document(body: bytes, url: str, content_type: str | None, max_entries: int, feed_url: str,
                   prepare: Prepare | None) -> FeedDocument:  # fmt: skip
    """Parse a feed (in a worker process) into a `FeedDocument`; raises FeedError.

    With `prepare`, every entry's article file is built here, on the workers' cores, instead of
    on the event loop's, which on a first refresh of thousands of entries is the busier one.
    """
    parsed = parse_feed(body, url, content_type, max_entries=max_entries)
    entries = parsed.entries
    primaries = tuple(primary_of(feed_url, e) for e in entries)
    signatures = tuple(entry_signature(e) for e in entries)
    articles: tuple[NewArticle | Problem | None, ...] | None = None
    if prepare is not None:
        sub = Subscription(url=feed_url, outlet=prepare.outlet)
        outlet = prepare.site_name or parsed.title or site_of(feed_url)
        made: list[NewArticle | Problem | None] = []
        recorded = prepare.signatures or {}
        for entry, primary, sig in zip(entries, primaries, signatures, strict=True):
            if entry.key in prepare.seen and recorded.get(entry.key, sig) == sig:
                made.append(None)
                continue
            try:
                article = build_article(sub, parsed.language, entry, primary, None, None, entry.url)
            except Exception as exc:  # a bug met by one entry must not lose the others
                message = f"internal error: {exc.__class__.__name__}: {exc}"
                made.append(Problem(where=entry.url or feed_url, message=" ".join(message.split())))
                continue
            if isinstance(article, NewArticle):
                fields = article.fields
                if not fields["outlet"]:
                    fields = {**fields, "outlet": outlet}
                article = article._replace(
                    fields={},
                    paragraphs=(),
                    stem=article_stem(fields['published'], primary),
                    data=article_bytes(fields, article.paragraphs),
                )
            made.append(article)
        articles = tuple(made)
    return FeedDocument(
        title=parsed.title,
        link=parsed.link,
        language=parsed.language,
        keys=tuple(e.key for e in entries),
        urls=tuple(e.url for e in entries),
        primaries=primaries,
        entries=() if prepare is not None else entries,
        articles=articles,
        signatures=signatures,
    )
