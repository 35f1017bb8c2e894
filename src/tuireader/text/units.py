"""Text units every layer shares: words, sentences, paragraphs, normalisers, word lists.

One definition of a word and of a sentence, so that quote extraction, figures, the story
alignment and search agree on what they are cutting. Word lists are data files in `lexicon/`
(one entry a line, `#` comments), loaded once.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources

from tuireader.model import DiffOp


@cache
def load_words(name: str) -> frozenset[str]:
    """The entries of `lexicon/<name>.txt`: one a line, blank lines and `#` comments left out."""
    text = resources.files("tuireader.text").joinpath("lexicon", f"{name}.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    )



#: A word: letters or digits, with inner apostrophes, hyphens, dots or commas ("Iran's", "Su-35",
#: "2.1", "1,000").
WORD_RE = re.compile(r"[^\W_]+(?:['’.,\-][^\W_]+)*")
_WORD_STRIP = str.maketrans("", "", "'’-.,")

STOPWORDS = load_words("stopwords-en")

#: Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = load_words("abbreviations-en")

_SENTENCE_END = re.compile(r"[.!?…]+(?: ?[\"”’»']{1,2})?[\"”’»')\]]*\s+(?=[\"“‘'«(\[`]*[A-Z0-9])")


def norm_word(word: str) -> str:
    """A word for comparison: lower case, without apostrophes, hyphens or inner punctuation."""
    return word.translate(_WORD_STRIP).casefold()


def stem(word: str) -> str:
    """A crude stem good enough to meet inflections and spellings ("continuing"/"continue",
    "neighbours"/"neighbors", "defense"/"defence"): the first five letters of long words."""
    return word[:5] if len(word) > 5 else word


def words(text: str, lo: int = 0, hi: int | None = None) -> list[tuple[str, int, int]]:
    """(normalised word, start, end) for each word of text[lo:hi], offsets into `text`."""
    hi = len(text) if hi is None else hi
    return [(norm_word(m.group(0)), m.start(), m.end()) for m in WORD_RE.finditer(text, lo, hi)]


def paragraph_spans(paragraphs: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) of each paragraph in the text that joins them with blank lines."""
    spans, pos = [], 0
    for p in paragraphs:
        spans.append((pos, pos + len(p)))
        pos += len(p) + 2
    return spans


def sentence_spans(text: str, lo: int, hi: int, masked: str | None = None) -> list[tuple[int, int]]:
    """Sentences of text[lo:hi] (one paragraph) as (start, end), trimmed of spaces.

    `masked`, when given, is the same text with quoted words replaced so that full stops inside a
    quotation do not end the sentence that frames it.
    """
    source = text if masked is None else masked
    spans = []
    start = lo
    for m in _SENTENCE_END.finditer(source, lo, hi):
        punct = m.start()
        before = source[max(lo, punct - 20) : punct]
        token = before.rsplit(None, 1)[-1] if before.strip() else ""
        bare = token.lstrip("\"“‘'(").lower()
        if source[punct] == "." and (
            bare in ABBREVIATIONS or re.fullmatch(r"[a-z]", bare) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", bare)
        ):
            continue
        end = m.end()
        spans.append((start, end))
        start = end
    if start < hi:
        spans.append((start, hi))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def word_diff(
    a_text: str,
    a_words: Sequence[tuple[str, int, int]],
    b_text: str,
    b_words: Sequence[tuple[str, int, int]],
) -> tuple[DiffOp, ...]:
    """Word-level diff of two passages, compared on normalised words, shown as written.

    `a_words`/`b_words` are `words()` triples (normalised word, start, end) into `a_text` and
    `b_text`; every op carries the character span of its words in both texts, so a view can paint
    the changed words without searching for them again.
    """
    sm = difflib.SequenceMatcher(a=[w for w, _, _ in a_words], b=[w for w, _, _ in b_words], autojunk=False)

    def span(ws: Sequence[tuple[str, int, int]], i: int, j: int) -> tuple[int, int]:
        if i < j:
            return ws[i][1], ws[j - 1][2]
        at = ws[i][1] if i < len(ws) else (ws[-1][2] if ws else 0)
        return at, at

    ops = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        a0, a1 = span(a_words, i1, i2)
        b0, b1 = span(b_words, j1, j2)
        ops.append(
            DiffOp(
                op,
                " ".join(a_text[s:e] for _, s, e in a_words[i1:i2]),
                " ".join(b_text[s:e] for _, s, e in b_words[j1:j2]),
                a0,
                a1,
                b0,
                b1,
            )
        )
    return tuple(ops)
