"""Splitting cleaned article text into sentences, as character spans.

The search index works on sentences because a reader searching for a remembered line wants to land on
that line, and because a reworded quote is compared best against one sentence, not a whole paragraph.
Spans (not strings) are returned so every hit can point back into `Article.text`.

The rules are deliberately plain and language-agnostic beyond English abbreviations: a sentence ends
at `.`, `!`, `?` or `…` (optionally followed by closing quotes or brackets) when whitespace and an
opening capital, digit or quotation mark follow, unless the word before the stop is a known
abbreviation or a single initial. Paragraph breaks and line breaks always end a sentence: plain-text
scrapes put headlines, bylines and list items on lines of their own.
"""

from __future__ import annotations

import re

# Titles, months, corporate suffixes and other dotted short forms that rarely end an English sentence.
_ABBREVIATIONS_TEXT = """
    mr mrs ms dr prof sen rep gov gen col lt sgt capt cmdr adm maj cpl pvt rev fr sr jr st mt ft
    hon pres supt insp det amb
    inc corp co ltd llc plc bros dept univ assn est
    jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thurs fri sat sun
    no nos vol vols fig figs pp ed eds approx vs etc al cf ca
    a.m p.m u.s u.k u.n e.u d.c i.e e.g
    ala ariz ark calif colo conn del fla ga ill ind kan ky la md mass mich minn miss mo mont neb nev
    okla ore pa tenn tex va vt wash wis wyo
    """
_ABBREVIATIONS = frozenset(_ABBREVIATIONS_TEXT.split())

# A candidate boundary: terminal punctuation, any closing quotes/brackets, then whitespace.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s)")
# What must follow for the boundary to count: an opening quote/bracket (optional), then a capital or digit.
_NEXT_START = re.compile(r"\s+[\"'“‘«(\[]*[A-Z0-9\u00C0-\u024F]")
_WORD_BEFORE = re.compile(r"([\w.]+)$")

MAX_SENTENCE_CHARS = 800


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
    # Single letters are initials ("John F. Kennedy"); dotted forms like "U.S" are abbreviations.
    if len(word) == 1 and word.isalpha():
        return True
    return word in _ABBREVIATIONS


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut a run-on span (a paragraph without stops) at whitespace so that no passage is huge."""
    spans: list[tuple[int, int]] = []
    while end - start > MAX_SENTENCE_CHARS:
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, start + MAX_SENTENCE_CHARS)
        if cut <= start:
            cut = start + MAX_SENTENCE_CHARS
        spans.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        spans.append((start, end))
    return spans


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return `(start, end)` character spans of the sentences of `text`, in order, without blanks.

    Every non-blank character of `text` belongs to exactly one span, so nothing is lost to search.
    """
    spans: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text):
        line_start, line_end = line.span()
        cursor = line_start
        for m in _BOUNDARY.finditer(text, line_start, line_end):
            stop = m.start()
            if _is_abbreviation(text, stop) or not _NEXT_START.match(text, m.end(), line_end):
                continue
            s, e = _trimmed(text, cursor, m.end())
            if s < e:
                spans.extend(_split_long(text, s, e))
            cursor = m.end()
        s, e = _trimmed(text, cursor, line_end)
        if s < e:
            spans.extend(_split_long(text, s, e))
    return spans
