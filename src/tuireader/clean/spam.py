"""Tokens injected by republishers, glued to the front of real words ("Brandx:Iran", "be Brandxused").

Why by behaviour: the injected token changes from one republisher to the next, so no list can keep up,
but its behaviour is always the same. It is glued, with no space, to the front of words that stand
on their own elsewhere in the page, the words it is glued to are unrelated to each other, and the token
itself never stands on its own as a word. Real words and names do not behave like this: a brand
written in camel case ("TrendPulse") meets one partner, not several, and the first half of a compound
("Bundes" in "Bundesregierung") is never glued to the next word with a colon.
"""

from __future__ import annotations

import re
from collections import Counter

# Punctuation that glues a token to the next word without a space ("Brand:Iran", "Brand|Iran").
_GLUE_MARK = re.compile(r"[:|·•](?=[^\W\d_])")
_TAIL_RUN = re.compile(r"[^\W\d_]+$")
_HEAD_RUN = re.compile(r"[^\W\d_]+")
# Inside a run: a lower-case letter followed by an upper-case one is a seam where two words meet.
_CAMEL_SEAM = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])")
# What may surround a word that stands on its own (besides white space): no glue marks, no letters.
_EDGES = frozenset(".,;!?\"'“”‘’()[]—–-")

MIN_TOKEN = 4
MAX_CANDIDATES = 25


def _stands_alone(lowered: str, word: str) -> bool:
    """Whether `word` occurs in `lowered` (the lower-cased text) as a word of its own."""
    word = word.lower()
    n, end = len(word), len(lowered)
    i = lowered.find(word)
    while i != -1:
        before = lowered[i - 1] if i else " "
        after = lowered[i + n] if i + n < end else " "
        if (before.isspace() or before in _EDGES) and (after.isspace() or after in _EDGES):
            return True
        i = lowered.find(word, i + 1)
    return False


def find_spam_tokens(text: str) -> set[str]:
    """Tokens that recur glued to the front of different words and are never words themselves.

    A candidate must be seen at least once glued by punctuation ("Brand:Iran"): gluing by letters
    alone ("AirPods", "AirPlay") is how brand families and compounds are spelt, so it only adds
    weight to a token already caught gluing the hard way.
    """
    glues: list[tuple[str, str]] = []
    for m in _GLUE_MARK.finditer(text):
        i = m.start()
        before = _TAIL_RUN.search(text, max(0, i - 60), i)
        if before is None:
            continue
        left = _CAMEL_SEAM.split(before.group())[-1]
        right = _HEAD_RUN.match(text, i + 1)
        if len(left) >= MIN_TOKEN and right is not None:
            glues.append((left, right.group()))
    if not glues:
        return set()
    lowered = text.lower()
    alone: dict[str, bool] = {}

    def stands_alone(word: str) -> bool:
        key = word.lower()
        if key not in alone:
            alone[key] = _stands_alone(lowered, key)
        return alone[key]

    spam = set()
    # Most-glued first, and only so many: each candidate costs a pass over the text.
    counts = Counter(left for left, _ in glues)
    for token, _ in counts.most_common(MAX_CANDIDATES):
        if stands_alone(token):
            continue
        partners = set()
        for m in re.finditer(rf"{re.escape(token)}[:|·•]?([^\W\d_]+)", text):
            start = m.start()
            prev = text[start - 1] if start else " "
            if prev.isalpha() and not (prev.islower() and token[0].isupper()):
                continue  # inside a longer word
            partner = m.group(1)
            if partner.lower() not in partners and stands_alone(partner):
                partners.add(partner.lower())
        if len(partners) >= 2:
            spam.add(token)
    return spam


def remove_spam_tokens(text: str, tokens: set[str]) -> str:
    """Cut each token out where it is glued; a seam between two words becomes a space."""
    if not tokens:
        return text
    alternatives = "|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True))
    pattern = re.compile(rf"(?P<before>[^\W\d_]?)(?P<token>{alternatives})[:|·•]?(?P<after>[^\W\d_]?)")

    def cut(m: re.Match[str]) -> str:
        before, token, after = m.group("before"), m.group("token"), m.group("after")
        if before and not (before.islower() and token[0].isupper()):
            return m.group(0)  # inside a longer word, not glued at a seam
        if before and after:
            return before + " " + after
        return before + after

    return pattern.sub(cut, text)
