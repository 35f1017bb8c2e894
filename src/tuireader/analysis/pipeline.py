"""One article in, its entities, quotes and figures out.

`analyze` is what the Library calls per article; `analyze_many` does the same for a batch with one
pass of spaCy over all their paragraphs, which is several times faster than one call per article.
Results depend only on the article and on `ANALYSIS_VERSION`, which is part of the cache key: bump
it whenever the output for the same article can change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tuireader.analysis import entities as entities_mod
from tuireader.analysis.figures import find_figures
from tuireader.analysis.quotes import find_quotes
from tuireader.model import Article, ArticleAnalysis

ANALYSIS_VERSION = "analysis-3"

_ENGLISH_HINTS = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "that",
        "for",
        "on",
        "with",
        "was",
        "as",
        "by",
        "at",
        "from",
        "said",
        "has",
        "have",
        "it",
    ]
)
_WORD = re.compile(r"[^\W\d_]+")


def is_english(article: Article) -> bool:
    """Whether the English NER model and English attribution rules apply to this article.

    The cleaner's `language` decides when it is set; otherwise the share of the commonest English
    function words does (about a third of running English text, a few percent of other languages').
    """
    if article.language:
        return article.language.lower().split("-")[0] in {"en", "eng", "english"}
    sample = _WORD.findall(article.text[:5000].lower())
    if len(sample) < 8:
        return True
    return sum(1 for w in sample if w in _ENGLISH_HINTS) / len(sample) >= 0.08


def analyze(article: Article) -> ArticleAnalysis:
    """Entities, quotes and figures of one article (loads spaCy on first use)."""
    return analyze_many([article])[0]


def analyze_many(articles: Sequence[Article]) -> list[ArticleAnalysis]:
    """`analyze` for several articles, with one batched spaCy pass for all the English ones."""
    english = [a for a in articles if a.paragraphs and is_english(a)]
    spans = entities_mod.ner_spans([a.paragraphs for a in english]) if english else []
    by_id = {id(a): s for a, s in zip(english, spans, strict=True)}
    out = []
    for article in articles:
        para_spans = by_id.get(id(article))
        ents = (
            entities_mod.entities_from_spans(article.paragraphs, para_spans) if para_spans is not None else ()
        )
        quotes = find_quotes(article.paragraphs, ents)
        figures = find_figures(article.paragraphs)
        out.append(ArticleAnalysis(entities=ents, quotes=quotes, figures=figures))
    return out
