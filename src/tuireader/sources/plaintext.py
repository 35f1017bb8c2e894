"""HTML fragments to plain paragraphs, and the fingerprint that tells two copies of one text.

Shared by the feed formats (entry bodies) and the page reader (extracted articles), so that a
text arriving once in a feed and once as a page has one identity.
"""

from __future__ import annotations

import hashlib
import re
from html import unescape

MIN_FINGERPRINT_WORDS = 50


_BLOCK_TAGS = (
    "address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|figure|footer|h[1-6]|header|hr|li|main|nav|"
    "ol|p|pre|section|table|tbody|td|th|thead|tr|ul"
)
_DROP = re.compile(
    r"<!--.*?-->|<(script|style|noscript|iframe|template|svg|object|head|title)\b[^>]*>.*?</\1\s*>",
    re.I | re.S,
)
_BLOCK = re.compile(rf"</?(?:{_BLOCK_TAGS})\b[^>]*>", re.I)
_TAG = re.compile(r"<[a-zA-Z/!?][^>]*>")
_CDATA = re.compile(r"<!\[CDATA\[(.*?)\]\]>", re.S)
_TAG_HINT = re.compile(
    r"<(?:p|br|div|a|b|i|em|strong|span|ul|ol|li|h\d|img|blockquote|figure|table)\b[^>]*>|&[a-z]+;|&#\d+;",
    re.I,
)


def html_to_paragraphs(html: str) -> list[str]:
    """Plain paragraphs of an HTML fragment: block elements break paragraphs, scripts vanish.

    Feed bodies are fragments written by a CMS, so regular expressions over tags (all in C) do
    the job a full HTML parser would, several times faster; a refresh converts thousands.
    Text without markup is split on blank lines, the way plain-text feed bodies mark paragraphs.
    """
    if not html or not html.strip():
        return []
    if not _TAG_HINT.search(html):
        return [" ".join(p.split()) for p in re.split(r"\n\s*\n", html) if p.strip()]
    text = _CDATA.sub(lambda m: m.group(1).replace("<", "&lt;"), html) if "<![" in html else html
    text = _DROP.sub(" ", text)
    text = _BLOCK.sub("\x00", text)
    text = _TAG.sub("", text)
    # entities are decoded once for the whole text (NUL, the paragraph mark, never comes out of
    # one: html.unescape turns &#0; into U+FFFD), then each paragraph's whitespace is collapsed
    return collapse_paragraphs(unescape(text).split("\x00"))


# every character str.split() splits on besides the space (CPython's Py_UNICODE_ISSPACE)
_OTHER_SPACES = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def collapse_paragraphs(chunks: list[str]) -> list[str]:
    """`" ".join(chunk.split())` of each chunk, empty ones dropped.

    Most CMS paragraphs are single-spaced once their ends are trimmed; splitting them into
    words only to join them again was half the time of reading a feed. One `in` scan per kind of
    whitespace over the trimmed text (each at C speed) tells whether any collapsing is needed.
    """
    paras = [p for c in chunks if (p := c.strip())]
    joined = "\x00".join(paras)
    if "  " in joined or any(w in joined for w in _OTHER_SPACES):
        return [" ".join(p.split()) for p in paras]
    return paras


def text_fingerprint(paragraphs: list[str] | tuple[str, ...]) -> str | None:
    """The identity of a text: its words in order, whatever the spacing, line breaks or case.

    None for short texts ("Watch the video"): a few words are no evidence of one article.
    """
    words = " ".join(paragraphs).casefold().split()
    if len(words) < MIN_FINGERPRINT_WORDS:
        return None
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:20]


def fingerprint_and_words(text: str) -> tuple[str | None, int]:
    """`text_fingerprint` of `text` and its number of words, for text `html_to_text` produced:
    paragraphs of words separated by single spaces, joined by blank lines, nothing at the ends.

    For such text the words joined by single spaces are the text with each paragraph break made
    a space (case folding maps letters to letters), so no split and re-join is needed.
    """
    if not text:
        return None, 0
    joined = text.replace("\n\n", " ")
    words = joined.count(" ") + 1
    if words < MIN_FINGERPRINT_WORDS:
        return None, words
    return hashlib.sha256(joined.casefold().encode("utf-8")).hexdigest()[:20], words


def html_to_text(html: str) -> str:
    return "\n\n".join(html_to_paragraphs(html))
