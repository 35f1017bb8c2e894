"""Cleaning: a raw document in, an `Article` out (story paragraphs, captions, metadata).

`clean` is what the Library calls; `CLEAN_VERSION` is part of its cache key, so any change to what
`clean` returns must bump it, and every cached article is recomputed on the next run.
"""

from __future__ import annotations

from tuireader.clean import metadata, text
from tuireader.clean.site import SiteProfile, host_of, site_profile, site_profiles
from tuireader.model import Article, RawDocument

CLEAN_VERSION = "3"

# Header fields only tuireader's fetcher writes: the body under them is already the story.
_FETCHED_MARKS = ("feed", "fetched")


def clean(raw: RawDocument, profile: SiteProfile | None = None) -> Article:
    """Turn `raw` into an Article; HTML without a story raises `SourceError` naming the file.

    A whole-page scrape is searched for its story; HTML goes through trafilatura first; an article
    written by the fetcher (its header names a feed or a fetch time) is already just the story, so
    only bylines, captions and datelines are lifted out of it. `profile`, the lines `raw`'s site
    prints on its other pages (see `site.site_profile`), marks furniture; the result depends on
    `raw` and `profile.digest_for(raw)` only, which is what a cache key needs.
    """
    furniture = profile.lines if profile is not None else frozenset()
    hints: dict[str, str] | None = None
    if raw.kind == "html":
        from tuireader.clean import html

        extracted = html.extract(raw)
        hints = extracted.hints
        headline = raw.declared.get("title") or hints.get("title")
        layout = text.lay_out(extracted.text, trusted=True, headline=headline, furniture=furniture)
    elif any(raw.declared.get(mark) for mark in _FETCHED_MARKS):
        layout = text.lay_out(raw.body, trusted=True, headline=raw.declared.get("title"), furniture=furniture)
    else:
        layout = text.lay_out(raw.body, furniture=furniture)
    paragraphs, meta = metadata.describe(raw, layout, text.paragraphs(layout), hints)
    return Article(
        id=raw.id,
        path=raw.path,
        content_hash=raw.content_hash,
        title=meta.title,
        paragraphs=tuple(paragraphs),
        captions=tuple(layout.captions),
        outlet=meta.outlet,
        url=meta.url,
        published=meta.published,
        dates_seen=tuple(meta.dates_seen),
        authors=tuple(meta.authors),
        wire=meta.wire,
        dateline=meta.dateline,
        tags=tuple(meta.tags),
        language=meta.language,
        provenance=dict(meta.provenance),
    )


__all__ = ["CLEAN_VERSION", "SiteProfile", "clean", "host_of", "site_profile", "site_profiles"]
