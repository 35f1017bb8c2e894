"""Seed articles for the analysis tests, cleaned by the project's cleaner when it works.

While the cleaner is unfinished (it is written alongside the analysis), a minimal stand-in keeps
the paragraphs that read as prose: lines of at least twelve words. That is enough for the analysis
tests, which look for quotes, names and figures in the article body and never depend on boilerplate.
Set TUIREADER_SEEDS_STANDIN=1 to use the stand-in anyway (to tell a cleaner change from an analysis
regression when a seed test fails).
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

from tuireader.model import Article

SEEDS = Path(__file__).resolve().parents[2] / "articles"


def seed_path(prefix: str) -> Path:
    """The seed file whose name starts with `prefix` ("000" ... "004")."""
    (path,) = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    return path


def _fallback(path: Path) -> Article:
    data = path.read_bytes()
    text = data.decode("utf-8", errors="replace")
    paragraphs = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if len(line.split()) >= 12 and line not in paragraphs:
            paragraphs.append(line)
    return Article(
        id=path.stem,
        path=str(path),
        content_hash=hashlib.sha256(data).hexdigest(),
        title=paragraphs[0] if paragraphs else path.stem,
        paragraphs=tuple(paragraphs),
    )


@cache
def seed(prefix: str) -> Article:
    """The seed article, through `clean(read_document(path))` if the cleaner works, else the stand-in."""
    path = seed_path(prefix)
    if os.environ.get("TUIREADER_SEEDS_STANDIN"):
        return _fallback(path)
    try:
        from tuireader.clean import clean  # type: ignore[attr-defined]
        from tuireader.sources.files import read_document

        article = clean(read_document(path))
        if len(article.paragraphs) >= 3:
            return article
    except Exception:  # the cleaner is another module's work in progress
        pass
    return _fallback(path)


def seeds() -> list[Article]:
    return [seed(f"{i:03d}") for i in range(5)]


def quote_with(article_quotes, fragment: str):
    """The one quote whose text contains `fragment` (case-insensitive)."""
    hits = [q for q in article_quotes if fragment.lower() in q.text.lower()]
    assert len(hits) == 1, f"{len(hits)} quotes contain {fragment!r}: {[q.text[:40] for q in article_quotes]}"
    return hits[0]


@cache
def seed_analyses():
    """{article id: ArticleAnalysis} for the five seeds, computed once per test session."""
    from tuireader.analysis.article import analyze_many

    articles = seeds()
    return dict(zip((a.id for a in articles), analyze_many(articles), strict=True))


@cache
def seed_links():
    """StoryLinks of the five seeds as one story, computed once per test session."""
    from tuireader.analysis.link import link_story

    return link_story(seeds(), seed_analyses())


def make_article(
    article_id: str, paragraphs, outlet: str | None = None, title: str = "", language: str | None = None
) -> Article:
    """A hand-made article for edge cases."""
    paragraphs = tuple(paragraphs)
    return Article(
        id=article_id,
        path=f"{article_id}.txt",
        content_hash=hashlib.sha256("\n\n".join(paragraphs).encode()).hexdigest(),
        title=title or article_id,
        paragraphs=paragraphs,
        outlet=outlet,
        language=language,
    )
