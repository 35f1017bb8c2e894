"""Cheap language identification from function words.

Why function words: they make up a third to a half of any running text in the languages they belong
to, they are nearly disjoint between languages, and counting them costs one set lookup per word, so
identification runs at cleaning speed without a statistical model. The same lists give the cleaner its
"stopword density", the strongest single sign that a line is prose rather than a menu item.

Each list (`text/lexicon/langid-<code>.txt`) holds only very frequent, unambiguous function words of
its language (general knowledge, not taken from any page).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from tuireader.text.units import load_words


def word_set(text: str) -> frozenset[str]:
    """A word set written as one string: lists of words read better than lists of quoted words."""
    return frozenset(text.split())


LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "sv", "id", "pl", "tr", "ru")
# Each language's function words, from `text/lexicon/langid-<code>.txt`.
STOPWORDS: dict[str, frozenset[str]] = {lang: load_words(f"langid-{lang}") for lang in LANGUAGES}

ALL_STOPWORDS: frozenset[str] = frozenset().union(*STOPWORDS.values())

# Runs of word characters: digits count as words too (cheaper to find, and a line of numbers is
# no more prose than a line of names).
_WORD = re.compile(r"\w+")

# A language must account for this share of the words, and beat the runner-up clearly, to be named.
MIN_SHARE = 0.12
MIN_WORDS = 8


def words_of(text: str) -> list[str]:
    """Lower-cased words, the unit every ratio here counts."""
    return _WORD.findall(text.lower())


def detect_language(texts: Iterable[str]) -> str | None:
    """ISO 639-1 code of the language whose function words dominate `texts`, or None when unsure.

    None is the honest answer for short texts, for languages without a list here and for mixtures
    where no list stands out; callers then use `ALL_STOPWORDS`.
    """
    return detect_language_of_words(words_of(text) for text in texts)


def detect_language_of_words(word_lists: Iterable[list[str]]) -> str | None:
    """`detect_language` for text already split by `words_of`."""
    seen: Counter[str] = Counter()
    for words in word_lists:
        seen.update(words)
    total = seen.total()
    if total < MIN_WORDS:
        return None
    counts = {lang: sum(seen[w] for w in stops if w in seen) for lang, stops in STOPWORDS.items()}
    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)
    (best, hits), (_, runner_up) = ranked[0], ranked[1]
    if hits / total < MIN_SHARE or hits < 1.25 * runner_up:
        return None
    return best


def stopwords_for(language: str | None) -> frozenset[str]:
    """The function words used to measure prose density: the language's own, or all of them."""
    return STOPWORDS.get(language or "", ALL_STOPWORDS)
