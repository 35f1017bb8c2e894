"""Which passages of two versions of a story tell the same thing: the story alignment's pairs.

Two outlets' versions of one story share passages (wire copy, a press release, a reworded lead) but
rarely share their paragraphs: one outlet splits a sentence in two, another merges two paragraphs,
moves the background up, or drops half of it. So the alignment works on **sentences** (the shared
`tuireader.text.units.sentence_spans`, so search and compare agree on what a sentence is) and
reports pairs of character spans, one sentence (or a few adjacent ones) on each side.

**Scoring.** Two sentences are compared twice:

* `score`, the similarity of their normalised words (lower case, no punctuation; see
  `text.units.words`): the mean of rapidfuzz's `token_set_ratio` (the words they share, whatever the
  order, so reordered clauses and an added attribution still score high) and `ratio` (the edit
  distance, so a sentence that merely contains a few of the other's words does not score 100);
* `overlap`, the share of their content words (stopwords left out, crude stems so "supplying" and
  "supplied" meet) that they have in common, each word weighted by how rare it is among the two
  versions' sentences (-log of the share of sentences holding it). In a story about Iranian drones
  for Russia nearly every sentence says "Iran", "Russia" and "drones"; those words say little about
  whether two sentences tell the same thing, and the character-level score alone cannot tell them
  from the telling ones (unrelated sentences of one story reach 55 on `score`).

**Thresholds.** Chosen by reading, on the five seed versions, every sentence pair with score
>= 55 or overlap >= 0.2 (about 150 of their 2,900 pairs), and checked on ECB+ (see
bench/bench_passages.py):

* a pair is a candidate when `score >= MIN_SCORE`, `overlap >= MIN_OVERLAP` and the two share at
  least `MIN_CONTENT_WORDS` content words. On the seeds, reworded leads ("Iran has been sending
  material to Russia for the construction of a domestic facility..." / "Iran is providing Russia
  with materials to build a drone manufacturing plant...") sit at score 56-62, overlap 0.25-0.36,
  and most unrelated pairs of the story below overlap 0.25 whatever their score;
* *sure* pairs, strong (`score >= STRONG_SCORE` and `overlap >= STRONG_OVERLAP`, or joined by a
  quote match of the story, `links`) and each sentence's best candidate on both sides, are kept
  wherever they are: a paragraph copied into another place is the same passage;
* among the other candidates, those that keep the two versions' order (the heaviest chain of
  pairs increasing on both sides) are kept: order is evidence, as in any monotone alignment of two
  documents; a candidate out of that order (a moved passage) is kept only if it is strong. The
  false candidates left on the seeds, where two sentences share only an attribution ("...,
  National Security Council spokesman John Kirby said"), lose to the true pair of one of the two
  sentences, which shares more rarity-weighted words (the chain weighs pairs by that weight).

On ECB+, documents about the same event get 2.2 pairs per document pair, documents of different
topics 0.002 (3 pairs in 1,460 document pairs, all scored below 60). Documents about a different
event of the same kind get 0.4: news written from one template ("Microsoft releases emergency
patch for IE") pairs, and should, since the words are the same.

**One to a few.** A sentence split in two (or two merged) pairs with both halves: once pairs are
chosen, a pair takes in a neighbouring sentence that no pair took when the neighbour pairs with
the other side on its own or is mostly made of its words (`MIN_PART_CONTAINMENT`), and the pair's
overlap rises by `MERGE_GAIN` at least.

**Kinds.** A pair is `same` when the normalised words are identical (differences of punctuation,
case, quotation marks or hyphenation only), else `reworded`, with a word-level diff computed by
`text.units.word_diff` (the one quote matches use), so the compare view marks both alike.

**By meaning.** Words alone miss a sentence retold in other words ("The blaze was under control
by 4 a.m., and nobody was badly injured" / "The fire was contained by 4 a.m. and no one was
seriously hurt"). When a sentence encoder is at hand (`meaning`, see `analysis.similarity`), every
sentence pair is also scored by `same_meaning`, a blend of the words they share and the cosine of
their embeddings fitted on scored news sentence pairs; a pair at `REWORDED_MIN` or above is a
candidate even when its words alone would not pass, and it counts as strong at
`MEANING_STRONG`. Context adds a little (`_context`): the same number in both sentences, and a
similar place in the story. Meaning is never enough on its own for sentences that share no content
word at all: two different statements of one story are often close in embedding space.

Speed: words are compared only between sentences that share a content word (an inverted index),
and rapidfuzz is given a cut-off; two 1,000-word articles align in a few milliseconds, plus one
matrix product when meaning is used (the embeddings are computed once per story by the caller).
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from tuireader.model import Article, DiffOp, StoryLinks
from tuireader.text.units import STOPWORDS, sentence_spans, stem, word_diff, words

PASSAGES_VERSION = "passages-3"

#: rapidfuzz blend (0..100) a candidate pair needs.
MIN_SCORE = 50.0
#: Rarity-weighted share of content words (Dice, 0..1) a candidate pair needs.
MIN_OVERLAP = 0.25
#: A pair out of the versions' common order is kept only at this score and overlap (or via links).
STRONG_SCORE = 60.0
STRONG_OVERLAP = 0.4
#: A neighbour joins a pair (one-to-few) when this share of its content weight is in the other side...
MIN_PART_CONTAINMENT = 0.5
#: ... and the pair's overlap rises by at least this much.
MERGE_GAIN = 0.03
#: At most this many adjacent sentences on one side of a pair.
MAX_PARTS = 3
#: A sentence needs this many content words to be aligned by similarity (shorter ones pair only
#: when their words are identical to the other side's), and a pair must share this many: one
#: shared rare word ("spoken", "reported") is chance, not a retold sentence.
MIN_CONTENT_WORDS = 2
#: A quote match of the story (`links`) anchors the two sentences holding it when the quote has
#: this many words, or covers this share of one of the two sentences.
LINK_MIN_WORDS = 6
LINK_COVER = 0.5
#: A pair found by meaning counts as strong (kept out of order, sure) at this `same_meaning`.
MEANING_STRONG = 0.8

#: (sentences of a, sentences of b) -> cosine matrix of their embeddings, or None without a model.
Meaning = Callable[[Sequence[str], Sequence[str]], Any]


@dataclass(frozen=True, slots=True)
class PassagePair:
    """A passage of version a and the passage of version b that tells the same thing.

    Offsets are character offsets into each article's `text`; `score` is the rapidfuzz blend
    (0..100); `kind` is "same" (identical words) or "reworded" (with `diff`, word by word).
    """

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    score: float
    kind: str  # "same" | "reworded"
    diff: tuple[DiffOp, ...] = ()


# ------------------------------------------------------------------------------------------ units


@dataclass(slots=True)
class _Unit:
    """One sentence, prepared for comparison."""

    start: int
    end: int
    words: list[str]  # normalised
    triples: list[tuple[str, int, int]]  # (normalised word, start, end) into the article text
    content: frozenset[str]  # content stems
    weight: float = 0.0  # sum of the rarity of its content stems
    numbers: frozenset[str] = frozenset()  # its words with digits ("4", "1,200", "a.m" not)


def sentence_units(text: str) -> list[_Unit]:
    """The sentences of `text` that hold words, prepared for comparison (the alignment's units).

    Fresh objects each call (a pair sets their weights); the splitting is done once per text.
    """
    return [replace(u) for u in _split_units(text)]


@lru_cache(maxsize=64)
def _split_units(text: str) -> tuple[_Unit, ...]:
    out = []
    for s, e in sentence_spans(text):
        ws = words(text, s, e)
        if not ws:
            continue
        norm = [w for w, _, _ in ws]
        out.append(
            _Unit(
                start=s,
                end=e,
                words=norm,
                triples=ws,
                content=frozenset(stem(w) for w in norm if w not in STOPWORDS and not w.isdigit()),
                numbers=frozenset(w for w in norm if any(ch.isdigit() for ch in w)),
            )
        )
    return tuple(out)


class _Rarity:
    """-log of the share of the two versions' sentences that hold a stem: common words weigh little."""

    def __init__(self, units: Iterable[_Unit]) -> None:
        df: dict[str, int] = defaultdict(int)
        n = 0
        for u in units:
            n += 1
            for st in u.content:
                df[st] += 1
        self.weights = {st: math.log((n + 1) / (c + 0.5)) for st, c in df.items()}

    def __call__(self, stems: Iterable[str]) -> float:
        w = self.weights
        return sum(w.get(s, 0.0) for s in stems)


# ------------------------------------------------------------------------------------------ pairs


@dataclass(slots=True)
class _Candidate:
    """Sentences a0..a1 of a (inclusive) told again as sentences b0..b1 of b."""

    a0: int
    a1: int
    b0: int
    b1: int
    score: float
    overlap: float
    shared: float  # rarity weight of the shared content stems
    anchored: bool = False
    meant: float = 0.0  # `same_meaning` of the pair when meaning found it (0..1)

    @property
    def weight(self) -> float:
        """What the chain maximises: how much telling content the pair shares, and how alike it is."""
        return self.shared * self.score / 100.0

    @property
    def strong(self) -> bool:
        return (
            self.anchored
            or self.meant >= MEANING_STRONG
            or (self.score >= STRONG_SCORE and self.overlap >= STRONG_OVERLAP)
        )


class _Scorer:
    def __init__(self, ua: Sequence[_Unit], ub: Sequence[_Unit], rarity: _Rarity) -> None:
        from rapidfuzz import fuzz

        self.fuzz = fuzz
        self.ua, self.ub, self.rarity = ua, ub, rarity
        self._joined: dict[tuple[str, int, int], str] = {}

    def _text(self, side: str, i: int, j: int) -> str:
        key = (side, i, j)
        got = self._joined.get(key)
        if got is None:
            units = self.ua if side == "a" else self.ub
            got = " ".join(w for u in units[i : j + 1] for w in u.words)
            self._joined[key] = got
        return got

    def _content(self, side: str, i: int, j: int) -> tuple[frozenset[str], float]:
        units = self.ua if side == "a" else self.ub
        if i == j:
            return units[i].content, units[i].weight
        content = frozenset().union(*(u.content for u in units[i : j + 1]))
        return content, self.rarity(content)

    def score(self, a0: int, a1: int, b0: int, b1: int, cutoff: float = 0.0) -> float:
        ta, tb = self._text("a", a0, a1), self._text("b", b0, b1)
        if ta == tb:
            return 100.0
        ts = self.fuzz.token_set_ratio(ta, tb)
        # the blend reaches the cut-off only if ratio >= 2 * cutoff - ts
        r = self.fuzz.ratio(ta, tb, score_cutoff=max(0.0, 2 * cutoff - ts))
        return (ts + r) / 2.0

    def candidate(self, a0: int, a1: int, b0: int, b1: int, cutoff: float = 0.0) -> _Candidate:
        ca, wa = self._content("a", a0, a1)
        cb, wb = self._content("b", b0, b1)
        shared = self.rarity(ca & cb)
        overlap = 2 * shared / (wa + wb) if wa + wb else 0.0
        score = self.score(a0, a1, b0, b1, cutoff) if overlap >= MIN_OVERLAP or cutoff <= 0 else 0.0
        return _Candidate(a0, a1, b0, b1, round(score, 1), overlap, shared)

    def containment(self, part: frozenset[str], part_weight: float, other: frozenset[str]) -> float:
        return self.rarity(part & other) / part_weight if part_weight else 0.0


def _passes(c: _Candidate) -> bool:
    return c.anchored or c.meant > 0 or (c.score >= MIN_SCORE and c.overlap >= MIN_OVERLAP)


def _single_candidates(
    ua: Sequence[_Unit], ub: Sequence[_Unit], sc: _Scorer
) -> dict[tuple[int, int], _Candidate]:
    """Sentence pairs that share content words (via an inverted index) and pass the thresholds."""
    index: dict[str, list[int]] = defaultdict(list)
    for j, u in enumerate(ub):
        for st in u.content:
            index[st].append(j)
    out: dict[tuple[int, int], _Candidate] = {}
    for i, u in enumerate(ua):
        if len(u.content) < MIN_CONTENT_WORDS:
            continue
        # the overlap of a pair is bounded by what the shared words can weigh: skip hopeless pairs
        shared: dict[int, float] = defaultdict(float)
        count: dict[int, int] = defaultdict(int)
        w = sc.rarity.weights
        for st in u.content:
            for j in index.get(st, ()):
                shared[j] += w[st]
                count[j] += 1
        for j, s in shared.items():
            v = ub[j]
            if count[j] < MIN_CONTENT_WORDS or 2 * s / (u.weight + v.weight) < MIN_OVERLAP:
                continue
            c = sc.candidate(i, i, j, j, cutoff=MIN_SCORE)
            if _passes(c):
                out[(i, j)] = c
    # sentences too short to be compared by similarity still pair when they are word for word the same
    for i, u in enumerate(ua):
        if len(u.content) < MIN_CONTENT_WORDS and len(u.words) >= 3:
            for j, v in enumerate(ub):
                if v.words == u.words:
                    out[(i, j)] = _Candidate(i, i, j, j, 100.0, 1.0, max(u.weight, 1.0))
    return out


def _anchor(
    cands: dict[tuple[int, int], _Candidate],
    a: Article,
    b: Article,
    ua: Sequence[_Unit],
    ub: Sequence[_Unit],
    links: StoryLinks,
    sc: _Scorer,
) -> None:
    """Quote matches of the story that join a sentence of a to one of b make that pair strong."""
    a_starts, b_starts = [u.start for u in ua], [u.start for u in ub]

    def covering(units: Sequence[_Unit], starts: list[int], s: int, e: int) -> list[tuple[int, float]]:
        """(sentence, share of it inside text[s:e]) for the sentences that text[s:e] touches."""
        k = max(0, bisect.bisect_right(starts, s) - 1)
        out = []
        while k < len(units) and units[k].start < e:
            u = units[k]
            if u.end > s:
                out.append((k, (min(e, u.end) - max(s, u.start)) / (u.end - u.start)))
            k += 1
        return out

    spans: list[tuple[int, int, int, int, str]] = []
    for lq in links.quotes.get(a.id, ()):
        spans.extend(
            (lq.quote.start, lq.quote.end, m.start, m.end, lq.quote.text)
            for m in lq.matches
            if m.article == b.id
        )
    for lq in links.quotes.get(b.id, ()):
        spans.extend(
            (m.start, m.end, lq.quote.start, lq.quote.end, lq.quote.text)
            for m in lq.matches
            if m.article == a.id
        )
    for qa0, qa1, qb0, qb1, quote in spans:
        long_quote = len(quote.split()) >= LINK_MIN_WORDS
        on_a, on_b = covering(ua, a_starts, qa0, qa1), covering(ub, b_starts, qb0, qb1)
        for i, share_a in on_a:
            for j, share_b in on_b:
                if not (long_quote or max(share_a, share_b) >= LINK_COVER):
                    continue
                c = cands.get((i, j))
                if c is None and len(on_a) == len(on_b) == 1:
                    # A quote spanning several sentences says which sentences it joins only
                    # through the pairs similarity found; one sentence each side it says outright.
                    c = cands[(i, j)] = sc.candidate(i, i, j, j)
                if c is not None:
                    c.anchored = True


def _grow(
    c: _Candidate,
    sc: _Scorer,
    cands: dict[tuple[int, int], _Candidate],
    used_a: set[int],
    used_b: set[int],
) -> _Candidate:
    """Add free neighbouring sentences to either side of a pair while they belong to it.

    A neighbour belongs when it pairs with the other side on its own (a candidate) or is mostly
    made of the other side's words (`MIN_PART_CONTAINMENT`), and the pair's overlap rises by
    `MERGE_GAIN`: the two halves of a split sentence, a lead that two sentences retell.
    """
    while True:
        best = c
        options = []
        if c.a1 - c.a0 + 1 < MAX_PARTS:
            options += [("a", c.a0 - 1), ("a", c.a1 + 1)]
        if c.b1 - c.b0 + 1 < MAX_PARTS:
            options += [("b", c.b0 - 1), ("b", c.b1 + 1)]
        for side, k in options:
            units, used = (sc.ua, used_a) if side == "a" else (sc.ub, used_b)
            if not 0 <= k < len(units) or k in used or not units[k].content:
                continue
            if side == "a":
                other, _w = sc._content("b", c.b0, c.b1)
                alone = any((k, j) in cands for j in range(c.b0, c.b1 + 1))
            else:
                other, _w = sc._content("a", c.a0, c.a1)
                alone = any((i, k) in cands for i in range(c.a0, c.a1 + 1))
            if not alone and sc.containment(units[k].content, units[k].weight, other) < MIN_PART_CONTAINMENT:
                continue
            if side == "a":
                g = sc.candidate(min(k, c.a0), max(k, c.a1), c.b0, c.b1)
            else:
                g = sc.candidate(c.a0, c.a1, min(k, c.b0), max(k, c.b1))
            if g.overlap >= best.overlap + MERGE_GAIN and g.score >= min(c.score, MIN_SCORE):
                g.anchored, g.meant = c.anchored, c.meant
                best = g
        if best is c:
            return c
        c = best


def _heaviest_chain(cands: Sequence[_Candidate]) -> list[_Candidate]:
    """The candidates increasing on both sides (no shared sentence) with the largest total weight."""
    items = sorted(cands, key=lambda c: (c.a0, c.b0))
    n = len(items)
    if not n:
        return []
    weights = [c.weight for c in items]
    best = list(weights)
    prev = [-1] * n
    for i in range(n):
        ci = items[i]
        for j in range(i):
            cj = items[j]
            if cj.a1 < ci.a0 and cj.b1 < ci.b0 and best[j] + weights[i] > best[i]:
                best[i] = best[j] + weights[i]
                prev[i] = j
    k = max(range(n), key=lambda i: best[i])
    chain = []
    while k >= 0:
        chain.append(items[k])
        k = prev[k]
    return chain[::-1]


def _units_of(c: _Candidate) -> tuple[set[int], set[int]]:
    return set(range(c.a0, c.a1 + 1)), set(range(c.b0, c.b1 + 1))


def _select(pool: Sequence[_Candidate]) -> list[_Candidate]:
    """One pair at most per sentence: sure pairs first, then order, then strong moved pairs.

    1. *Sure* pairs: strong, and each sentence's best candidate on both sides. They hold whatever
       the order (a paragraph copied word for word into another place is the same passage).
    2. The heaviest chain in the versions' order among the sure pairs and the candidates whose
       sentences are still free: weaker pairs are kept only where the order supports them.
    3. Strong pairs left over, best first, where both sides are still free (moved passages).
    """
    best_a: dict[int, float] = defaultdict(float)
    best_b: dict[int, float] = defaultdict(float)
    for c in pool:
        for i in range(c.a0, c.a1 + 1):
            best_a[i] = max(best_a[i], c.weight)
        for j in range(c.b0, c.b1 + 1):
            best_b[j] = max(best_b[j], c.weight)
    used_a: set[int] = set()
    used_b: set[int] = set()
    sure: list[_Candidate] = []
    for c in sorted(pool, key=lambda c: -c.weight):
        span_a, span_b = _units_of(c)
        if (
            c.strong
            and all(best_a[i] <= c.weight for i in span_a)
            and all(best_b[j] <= c.weight for j in span_b)
            and not (span_a & used_a or span_b & used_b)
        ):
            sure.append(c)
            used_a |= span_a
            used_b |= span_b
    sure_ids = {id(c) for c in sure}
    free = [
        c
        for c in pool
        if id(c) not in sure_ids and not (_units_of(c)[0] & used_a or _units_of(c)[1] & used_b)
    ]
    chain = _heaviest_chain([*sure, *free])
    chosen = list(sure)
    for c in chain:
        if id(c) not in sure_ids:
            chosen.append(c)
            span_a, span_b = _units_of(c)
            used_a |= span_a
            used_b |= span_b
    for c in sorted(free, key=lambda c: -c.weight):
        span_a, span_b = _units_of(c)
        if c.strong and not (span_a & used_a or span_b & used_b):
            chosen.append(c)
            used_a |= span_a
            used_b |= span_b
    return chosen


def _pair(c: _Candidate, ua: Sequence[_Unit], ub: Sequence[_Unit], a_text: str, b_text: str) -> PassagePair:
    a_units, b_units = ua[c.a0 : c.a1 + 1], ub[c.b0 : c.b1 + 1]
    a_words = [w for u in a_units for w in u.words]
    b_words = [w for u in b_units for w in u.words]
    same = a_words == b_words
    diff: tuple[DiffOp, ...] = ()
    if not same:
        diff = word_diff(
            a_text, [t for u in a_units for t in u.triples], b_text, [t for u in b_units for t in u.triples]
        )
    return PassagePair(
        a_start=a_units[0].start,
        a_end=a_units[-1].end,
        b_start=b_units[0].start,
        b_end=b_units[-1].end,
        score=100.0 if same else c.score,
        kind="same" if same else "reworded",
        diff=diff,
    )


#: Sentence pairs below this cosine are not scored by meaning at all: to reach REWORDED_MIN from
#: there, two sentences must share about 60% of their content words, and then the words find them.
#: It saves scoring the story's many unrelated pairs.
MIN_COSINE = 0.45
#: Context that makes two sentences close in meaning more likely to be one statement: the same
#: number in both ("4 a.m.", "1,200"), and a similar place in the story (leads retell leads).
SAME_NUMBER_BONUS = 0.03
POSITION_BONUS = 0.03


def _context(u: _Unit, v: _Unit, pos_u: float, pos_v: float) -> float:
    bonus = SAME_NUMBER_BONUS if u.numbers & v.numbers else 0.0
    return bonus + POSITION_BONUS * max(0.0, 1.0 - 2.0 * abs(pos_u - pos_v))


def _meaning_candidates(
    cands: dict[tuple[int, int], _Candidate],
    a_text: str,
    b_text: str,
    ua: Sequence[_Unit],
    ub: Sequence[_Unit],
    sc: _Scorer,
    meaning: Meaning,
) -> None:
    """Add the sentence pairs that mean the same although their words differ (see the docstring)."""
    from tuireader.analysis.similarity import REWORDED_MIN, same_meaning

    ta = [a_text[u.start : u.end] for u in ua]
    tb = [b_text[u.start : u.end] for u in ub]
    cos = meaning(ta, tb)
    if cos is None:
        return
    for i, u in enumerate(ua):
        if len(u.content) < MIN_CONTENT_WORDS:
            continue
        for j, v in enumerate(ub):
            if len(v.content) < MIN_CONTENT_WORDS or not (u.content & v.content) or cos[i][j] < MIN_COSINE:
                continue
            sim = same_meaning(ta[i], tb[j], float(cos[i][j])) + _context(u, v, i / len(ua), j / len(ub))
            if sim < REWORDED_MIN:
                continue
            c = cands.get((i, j))
            if c is None:
                c = sc.candidate(i, i, j, j)
                cands[(i, j)] = c
            c.score = max(c.score, round(100.0 * sim, 1))
            c.meant = max(c.meant, sim)


def align_passages(
    a: Article, b: Article, links: StoryLinks | None = None, meaning: Meaning | None = None
) -> tuple[PassagePair, ...]:
    """The passages of `a` and `b` that tell the same thing, in the order of `a`.

    Each sentence takes part in at most one pair. Pairs keep the two versions' order where they
    can; a pair out of that order (a moved passage) is kept when it is strong (see the module
    docstring). `links`, the story's quote matches, anchors the sentences a quote joins;
    `meaning` adds the pairs that say the same in other words.
    """
    ua, ub = sentence_units(a.text), sentence_units(b.text)
    if not ua or not ub:
        return ()
    rarity = _Rarity([*ua, *ub])
    for u in (*ua, *ub):
        u.weight = rarity(u.content)
    sc = _Scorer(ua, ub, rarity)
    cands = _single_candidates(ua, ub, sc)
    if meaning is not None:
        _meaning_candidates(cands, a.text, b.text, ua, ub, sc, meaning)
    if links is not None:
        _anchor(cands, a, b, ua, ub, links, sc)
    chosen = _select(list(cands.values()))
    # One to a few: a chosen pair takes in the neighbouring sentences nothing else took.
    used_a = {i for c in chosen for i in range(c.a0, c.a1 + 1)}
    used_b = {j for c in chosen for j in range(c.b0, c.b1 + 1)}
    grown = []
    for c in sorted(chosen, key=lambda c: -c.weight):
        g = _grow(c, sc, cands, used_a, used_b)
        used_a.update(range(g.a0, g.a1 + 1))
        used_b.update(range(g.b0, g.b1 + 1))
        grown.append(g)
    chosen = grown
    return tuple(sorted((_pair(c, ua, ub, a.text, b.text) for c in chosen), key=lambda p: (p.a_start, p.b_start)))


__all__ = ["PASSAGES_VERSION", "PassagePair", "align_passages", "sentence_units"]
