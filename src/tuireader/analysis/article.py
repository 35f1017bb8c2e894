"""One article in, its entities, quotes and figures out; many articles on every core.

`analyze` is what the Library calls per article; `analyze_many` does the same for a batch with one
pass of spaCy over all their paragraphs, which is several times faster than one call per article;
`analyze_batches` spreads batches over worker processes (each loads its own spaCy once), which is
how a whole library is analysed in the background. Results depend only on the article and on
`ANALYSIS_VERSION`, which is part of the cache key: bump it whenever the output for the same
article can change.

The analysis modules (and through them spaCy) are imported inside the functions, so that reading
`ANALYSIS_VERSION` to build a cache key costs nothing: `tuireader show` of an analysed article
never loads them.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tuireader.model import Article, ArticleAnalysis

ANALYSIS_VERSION = "analysis-4"  # figures: rounding, ranges, counted dead and injured; quotes: attribution rules of 2026-12

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
    from tuireader.analysis import entities as entities_mod
    from tuireader.analysis.figures import find_figures
    from tuireader.analysis.quotes import find_quotes
    from tuireader.model import ArticleAnalysis

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


# ------------------------------------------------------------------------------ many articles

#: Articles per task handed to a worker: enough for spaCy's batched pipe to pay off, small enough
#: that results (and progress) arrive every second or two.
BATCH_SIZE = 16


def default_workers() -> int:
    """Worker processes for a background analysis: one per idle core, at most four.

    Measured on 2 cores (180 ECB+ articles): two workers spend 4.2 s of CPU each where one process
    spends 6.9 s (every worker loads its own model), so on an idle machine two finish in about two
    thirds of the time; on a machine whose cores are already busy they only add a fifth more CPU
    and finish no sooner. The load average (which counts this process) tells the two apart.
    """
    cores = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0] - 1.0
    except (AttributeError, OSError):  # no load average on this system
        busy = 0.0
    return max(1, min(4, cores, round(cores - max(0.0, busy))))


def analyze_batches(
    articles: Iterable[Article], workers: int | None = None, batch_size: int = BATCH_SIZE
) -> Iterator[tuple[list[Article], list[ArticleAnalysis | str]]]:
    """Analyse `articles` in batches, yielding (batch, results) as each batch finishes.

    A result is the article's analysis or, when analysing that article failed, a one-line reason:
    one bad article does not lose its batch. With one worker (or a single batch) everything runs
    here; otherwise batches go to `workers` spawned processes, a few at a time so that articles are
    read as the workers need them; if a worker dies, the rest is analysed here. `ModelMissingError`
    (no spaCy model) is raised, not reported per article. Batches may finish out of order.
    """
    workers = default_workers() if workers is None else max(1, workers)
    batches = _batches(articles, batch_size)
    head = list(itertools.islice(batches, 2))
    queue = itertools.chain(head, batches)
    if workers == 1 or len(head) < 2:
        for batch in queue:
            yield batch, _analyze_batch(batch)
        return
    import multiprocessing
    from collections import deque
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    # spawn, not fork: the reader calls this from a thread, and forking a threaded process is unsafe
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_warm_up)
    running: dict[Future, list[Article]] = {}  # submitted, not yielded yet
    waiting: deque[list[Article]] = deque()  # taken from the queue, not submitted yet
    try:
        while True:
            while len(running) < 2 * workers and (waiting or (nxt := next(queue, None)) is not None):
                if not waiting:
                    waiting.append(nxt)
                running[pool.submit(_analyze_batch, waiting[0])] = waiting[0]
                waiting.popleft()
            if not running:
                return
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                results = future.result()
                yield running.pop(future), results
    except BrokenProcessPool:  # a worker died (killed, out of memory): the rest is done here
        pass
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    for batch in itertools.chain(list(running.values()), list(waiting), queue):
        yield batch, _analyze_batch(batch)


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for article in articles:
        batch.append(article)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _warm_up() -> None:
    """Worker start: load the model before the first batch arrives (a missing model is reported by
    the first batch)."""
    from tuireader.analysis.entities import ModelMissingError, load_nlp

    with contextlib.suppress(ModelMissingError):
        load_nlp()


def _analyze_batch(articles: list[Article]) -> list[ArticleAnalysis | str]:
    """One batch in one spaCy pass; if that fails, each article alone, so the error names one."""
    from tuireader.analysis.entities import ModelMissingError

    try:
        return list(analyze_many(articles))
    except ModelMissingError:
        raise
    except Exception:  # noqa: BLE001 - retried one by one below, each failure named
        pass
    out: list[ArticleAnalysis | str] = []
    for article in articles:
        try:
            out.append(analyze_many([article])[0])
        except ModelMissingError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported as this article's problem
            out.append(f"analysis failed ({type(exc).__name__}: {exc})".splitlines()[0][:200])
    return out
