"""Text units every layer shares: words, sentences, paragraphs, normalisers, word lists.

One definition of a word and of a sentence, so that quote extraction, figures, the story
alignment and search agree on what they are cutting. Word lists are data files in `lexicon/`
(one entry a line, `#` comments), loaded once.
"""

from __future__ import annotations

import datetime as _dt
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



def day_ordinal(published: str | None) -> int:
    """The day an ISO date or date-time falls on, as a proleptic ordinal; -1 when absent or
    unreadable (how the story clustering and the story corrections date an article)."""
    if not published:
        return -1
    try:
        return _dt.date.fromisoformat(str(published).strip()[:10]).toordinal()
    except ValueError:
        return -1


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


def sentence_spans(text: str, lo: int = 0, hi: int | None = None, masked: str | None = None) -> list[tuple[int, int]]:
    """The sentences of text[lo:hi] as (start, end), trimmed of spaces, in order.

    The one sentence splitter of every stage (quotes, figures, the story alignment, search): a
    sentence ends at `.`, `!`, `?` or `…` (optionally followed by closing quotes or brackets) when
    whitespace and an opening capital, digit or quotation mark follow, unless the word before the
    stop is a known abbreviation, a single initial or a dotted form ("U.S."). Line breaks always end
    a sentence (plain-text scrapes put headlines and list items on lines of their own), and a run-on
    span longer than `MAX_SENTENCE_CHARS` is cut at a space. Every non-blank character of the range
    belongs to exactly one span.

    `masked`, when given, is the same text with quoted words replaced, so that full stops inside a
    quotation do not end the sentence that frames it.
    """
    hi = len(text) if hi is None else hi
    source = text if masked is None else masked
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(source, lo, hi):
        line_start, line_end = line.span()
        cursor = line_start
        for m in _BOUNDARY.finditer(source, line_start, line_end):
            if _is_abbreviation(source, m.start()) or not _NEXT_START.match(source, m.end(), line_end):
                continue
            spans.extend(_pieces(text, cursor, m.end()))
            cursor = m.end()
        spans.extend(_pieces(text, cursor, line_end))
    return spans


#: A run-on span (a paragraph without stops) is cut at a space into pieces no longer than this.
MAX_SENTENCE_CHARS = 800
_LINE = re.compile(r"[^\n]+")
# A candidate boundary: terminal punctuation, any closing quotes/brackets, then whitespace.
# It starts only at the first stop of a run and never gives characters back, so that a run of
# thousands of stops without a space after it is read once (it was quadratic).
_BOUNDARY = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’»)\]]*+(?=\s)")
# What must follow for the boundary to count: an opening quote/bracket (optional), then a capital or digit.
_NEXT_START = re.compile(r"\s+[\"'“‘«(\[`]*[A-Z0-9\u00C0-\u024F]")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


def _is_abbreviation(text: str, stop: int) -> bool:
    """Whether the `.` at `stop` closes an abbreviation or initial rather than a sentence."""
    if text[stop] != ".":
        return False
    m = _WORD_BEFORE.search(text, max(0, stop - 40), stop)
    if not m:
        return False
    word = m.group(1).strip(".").lower()
    if not word:
        return False
    # single letters are initials ("John F. Kennedy"); dotted forms ("U.S", "a.m") abbreviations
    return (len(word) == 1 and word.isalpha()) or word in ABBREVIATIONS or bool(_DOTTED.fullmatch(word))


_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """text[start:end] trimmed, cut at spaces into pieces of at most MAX_SENTENCE_CHARS."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    out: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        if cut <= start:
            cut = start + MAX_SENTENCE_CHARS
        out.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        out.append((start, end))
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
