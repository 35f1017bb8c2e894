"""Cross-version links within one story: where each quote, name and figure appears in the others.

**Quotes.** For every quote, each other version is searched for the same words, quoted there or
not. A quote is cut into segments (its sentences; very long sentences at clause breaks) and each
segment is looked for on its own, because outlets quote a long statement in parts, reorder it, or
report half of it in their own words. Candidate windows of the other text are those holding many of
the segment's content words (stems, so "continuing"/"continue" and "neighbours"/"neighbors" meet);
each candidate's edges are then moved word by word to maximise rapidfuzz's similarity with the
segment. Segments found next to each other are merged back into one match.

A match is `verbatim` when its words are the quote's words (ignoring case, punctuation and the
style of quotation marks) and the other version quotes them, `altered` when the other version
quotes them reworded (a word-level diff is kept), and `unquoted` when the other version has the
words outside quotation marks.

Thresholds, chosen so that short generic phrases do not match everything:

* a quote of fewer than two content words ("expanding", "hundreds") matches only an identical
  quotation in the other version, never running text;
* a name in quotation marks (a title or nickname: "Deep Throat", "Ring of Fire") is not speech and
  is not matched at all: the same name in another version says nothing about how a quote travelled;
* a quote of fewer than `SHORT_WORDS` words matches the same words in sequence (two content words
  or more), or, if it has three words or more, another version's quotation at similarity
  >= `SHORT_QUOTE_SCORE` ("will probably be built" / "will likely be built");
* a longer segment needs similarity >= `MIN_SCORE` with its window, and the window must hold at
  least `MIN_COVERAGE` of the segment's content words, each weighted by its rarity in the story
  (see below): words every version repeats ("Iran", "Russia", "drones" in a story about Iranian
  drones for Russia) do not make two different statements alike. The window must also be at least
  `MIN_WINDOW_SHARE` of the segment's length, so that a few shared words are not a match. Segments
  shorter than `SHORT_SEGMENT_WORDS` words need `MIN_SCORE_SHORT_SEGMENT`.

On the seeds, true matches score at least 66 with weighted coverage at least 0.58, and the closest
false candidates 61 with coverage 0.44 or less; the thresholds sit between.

**Entities.** Keys are resolved once more over the whole story (a surname meets the full name
another outlet wrote), and every name recognised anywhere in the story is searched for in each
version, so that a mention the model missed in one outlet ("kyiv") still links.

**Sentences.** Every pair of versions is aligned sentence by sentence (`analysis.align`, by words
and by meaning), and the pairs are kept for both versions: the compare view, the info pane,
discrepancies and `stories`' counts of shared, reworded and only-here sentences all read them.

**Quotes by meaning.** A quote no word window matches is looked for by meaning: among the other
version's quotations (a reworded quote: `altered`) and sentences (`unquoted`), the one whose
meaning is closest, if `similarity.same_meaning` reaches `similarity.REWORDED_MIN` — helped by
context: the same speaker, the same number. Sharing a speaker's name alone never pairs two
quotes: the quoted words themselves must mean the same. The sentence alignment then runs anchored
by every quote match, so the compare view sets a reworded quote beside its original.

**One row per version.** A quote has at most one match in each other version (the best), and a
passage that another version quotes is marked in its own version too (`ReportedQuote`).

**Discrepancies** are found from these pairs by `analysis.discrepancies`.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from tuireader.analysis.align import PassagePair, align_passages, sentence_units
from tuireader.analysis.entities import story_entities
from tuireader.analysis.quotes import looks_like_title
from tuireader.model import (
    AlignedSentence,
    Article,
    ArticleAnalysis,
    DiffOp,
    Entity,
    EntityOccurrence,
    LinkedEntity,
    LinkedQuote,
    Quote,
    QuotedElsewhere,
    QuoteMatch,
    ReportedQuote,
    SentencePair,
    StoryLinks,
)
from tuireader.text.units import STOPWORDS, paragraph_spans, sentence_spans, stem, word_diff, words

LINK_VERSION = "link-3"  # figure pairing: same phrase, one quantity for dead/deaths

#: Quotes shorter than this many words are matched only as exact word sequences or quote to quote.
SHORT_WORDS = 5
#: Similarity (rapidfuzz ratio, 0..100) a short quote needs with another version's quotation.
SHORT_QUOTE_SCORE = 70.0
#: Similarity a segment of a longer quote needs with its window in another version.
MIN_SCORE = 60.0
#: ... and for segments of fewer than SHORT_SEGMENT_WORDS words.
MIN_SCORE_SHORT_SEGMENT = 75.0
SHORT_SEGMENT_WORDS = 12
#: Segments are cut no shorter than this.
MIN_SEGMENT_WORDS = 8
#: A window must be at least this share of its segment's length in words.
MIN_WINDOW_SHARE = 0.5
#: Share of a segment's content words (weighted by rarity in the story) that its window must hold.
MIN_COVERAGE = 0.5
#: Sentences longer than this are cut at clause breaks into segments of at least MIN_SEGMENT_WORDS.
LONG_SEGMENT_WORDS = 20
#: Share of a window's words inside the other version's quotation marks for it to count as quoted.
QUOTED_SHARE = 0.5
# ------------------------------------------------------------------------------------------ model


@dataclass(slots=True)
class _Doc:
    """One version prepared for searching: its words, their stems and which are quoted."""

    article: Article
    text: str
    words: list[str]
    starts: list[int]
    ends: list[int]
    stems: list[str]
    quoted: list[bool]
    quotes: tuple[Quote, ...]
    by_stem: dict[str, list[int]]  # stem -> positions, so a search touches only shared words
    by_word: dict[str, list[int]]

    @classmethod
    def build(cls, article: Article, quotes: Sequence[Quote]) -> _Doc:
        text = article.text
        ws = words(text)
        spans = sorted((q.start, q.end) for q in quotes)
        quoted = []
        k = 0
        for _, s, _e in ws:
            while k < len(spans) and spans[k][1] <= s:
                k += 1
            quoted.append(k < len(spans) and spans[k][0] <= s < spans[k][1])
        stems = [stem(w) for w, _, _ in ws]
        by_stem: dict[str, list[int]] = defaultdict(list)
        by_word: dict[str, list[int]] = defaultdict(list)
        for i, (w, _, _) in enumerate(ws):
            by_stem[stems[i]].append(i)
            by_word[w].append(i)
        return cls(
            article=article,
            text=text,
            words=[w for w, _, _ in ws],
            starts=[s for _, s, _ in ws],
            ends=[e for _, _, e in ws],
            stems=stems,
            quoted=quoted,
            quotes=tuple(quotes),
            by_stem=dict(by_stem),
            by_word=dict(by_word),
        )

    def word_range(self, start: int, end: int) -> tuple[int, int]:
        """Indices [i, j) of the words inside text[start:end]."""
        return bisect.bisect_left(self.starts, start), bisect.bisect_left(self.starts, end)

    def joined(self, i: int, j: int) -> str:
        return " ".join(self.words[i:j])

    def triples(self, i: int, j: int) -> list[tuple[str, int, int]]:
        """`text.units.words` triples of words i..j-1."""
        return list(zip(self.words[i:j], self.starts[i:j], self.ends[i:j], strict=True))


def _content_stems(ws: Sequence[str]) -> set[str]:
    return {stem(w) for w in ws if w not in STOPWORDS and not w.isdigit()}


# ------------------------------------------------------------------------------------------ quotes


def _segments(doc: _Doc, q: Quote) -> list[tuple[int, int]]:
    """Word ranges [i, j) of `doc` that split quote `q` into sentences, long ones at clause breaks."""
    out: list[tuple[int, int]] = []
    for s, e in sentence_spans(doc.text, q.start, q.end):
        i, j = doc.word_range(s, e)
        if j - i <= LONG_SEGMENT_WORDS:
            if j > i:
                out.append((i, j))
            continue
        cut = i
        for k in range(i + MIN_SEGMENT_WORDS, j - MIN_SEGMENT_WORDS + 1):
            gap = doc.text[doc.ends[k - 1] : doc.starts[k]]
            if (
                k - cut >= MIN_SEGMENT_WORDS
                and any(ch in gap for ch in ",;:—–(")
                and j - k >= MIN_SEGMENT_WORDS
            ):
                out.append((cut, k))
                cut = k
        out.append((cut, j))
    merged: list[tuple[int, int]] = []
    for seg in out:  # fold fragments too short to be searched alone into their neighbour
        if merged and (
            seg[1] - seg[0] < MIN_SEGMENT_WORDS or merged[-1][1] - merged[-1][0] < MIN_SEGMENT_WORDS
        ):
            merged[-1] = (merged[-1][0], seg[1])
        else:
            merged.append(seg)
    return merged


def _ratio(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b)


def _rarity(docs: Sequence[_Doc]) -> dict[str, float]:
    """-log(share of the story's sentences containing the stem): common words weigh little."""
    df: dict[str, int] = defaultdict(int)
    n = 0
    for d in docs:
        for lo, hi in paragraph_spans(d.article.paragraphs):
            for s, e in sentence_spans(d.text, lo, hi):
                n += 1
                i, j = d.word_range(s, e)
                for st in set(d.stems[i:j]):
                    df[st] += 1
    return {st: math.log((n + 1) / (c + 0.5)) for st, c in df.items()}


class _Rarity:
    """How telling each stem is in this story: -log of the share of its sentences that hold it."""

    def __init__(self, docs: Sequence[_Doc]) -> None:
        self.weights = _rarity(docs)
        self.default = max(self.weights.values(), default=1.0)

    def __call__(self, st: str) -> float:
        return self.weights.get(st, self.default)

    def coverage(self, content: set[str], have: set[str]) -> float:
        total = sum(self(s) for s in content)
        return sum(self(s) for s in content & have) / total if total else 0.0


def _best_window(
    seg: list[str], other: _Doc, rarity: _Rarity, content: set[str]
) -> tuple[int, int, float] | None:
    """The window of `other` most like the word list `seg`, if it passes the thresholds."""
    n = len(seg)
    if len(content) < 2 or n == 0:
        return None
    stems = other.stems
    total = len(stems)
    if total == 0:
        return None
    positions = sorted(p for st in content for p in other.by_stem.get(st, ()))
    need = max(2, math.ceil(0.4 * len(content)))
    if len(positions) < need:
        return None
    width = min(n, total)
    # windows starting on a shared word, with how many shared words they hold
    order = []
    b = 0
    for a, start in enumerate(positions):
        start = min(start, total - width)
        while b < len(positions) and positions[b] < start + width:
            b += 1
        count = b - bisect.bisect_left(positions, start, 0, a + 1)
        if count >= need:
            order.append((count, -start))
    order.sort()
    candidates: list[int] = []
    for _, neg_s in reversed(order):
        s = -neg_s
        if all(abs(s - c) >= width for c in candidates):
            candidates.append(s)
        if len(candidates) == 3:
            break
    target = " ".join(seg)
    best: tuple[int, int, float] | None = None
    for s in candidates:
        i, j = s, min(total, s + width)
        # shrink to the first and last shared word so the climb starts on them
        while i < j and stems[i] not in content:
            i += 1
        while j > i and stems[j - 1] not in content:
            j -= 1
        score = _ratio(target, other.joined(i, j))
        for _ in range(4 * n):
            moves = [(i - 1, j), (i + 1, j), (i, j - 1), (i, j + 1), (i - 2, j), (i, j + 2)]
            scored = [(_ratio(target, other.joined(a, b)), a, b) for a, b in moves if 0 <= a < b <= total]
            top = max(scored, default=None)
            if top is None or top[0] <= score:
                break
            score, i, j = top
        coverage = rarity.coverage(content, set(other.stems[i:j]))
        threshold = MIN_SCORE if n >= SHORT_SEGMENT_WORDS else MIN_SCORE_SHORT_SEGMENT
        long_enough = j - i >= MIN_WINDOW_SHARE * n
        if (
            score >= threshold
            and coverage >= MIN_COVERAGE
            and long_enough
            and (best is None or score > best[2])
        ):
            best = (i, j, score)
    return best


def _find_sequence(seg: list[str], other: _Doc) -> list[int]:
    """Start indices where `seg` occurs word for word in `other`."""
    n = len(seg)
    return [i for i in other.by_word.get(seg[0], ()) if other.words[i : i + n] == seg]


def _quoted_share(other: _Doc, i: int, j: int) -> float:
    return sum(other.quoted[i:j]) / max(1, j - i)


def _make_match(src: _Doc, qi: int, qj: int, other: _Doc, i: int, j: int, score: float) -> QuoteMatch:
    a_words = src.words[qi:qj]
    b_words = other.words[i:j]
    quoted = _quoted_share(other, i, j) >= QUOTED_SHARE
    same = a_words == b_words
    kind = ("verbatim" if same else "altered") if quoted else "unquoted"
    diff = () if same else word_diff(src.text, src.triples(qi, qj), other.text, other.triples(i, j))
    start, end = other.starts[i], other.ends[j - 1]
    return QuoteMatch(
        article=other.article.id,
        outlet=other.article.outlet,
        kind=kind,  # type: ignore[arg-type]
        score=round(100.0 if same else score, 1),
        text=other.text[start:end],
        start=start,
        end=end,
        diff=diff,
    )


@dataclass(slots=True)
class _QuotePlan:
    """What is searched for one quote, worked out once for all the other versions."""

    qi: int
    qj: int
    words: list[str]
    content: set[str]
    segments: list[tuple[int, int, list[str], set[str]]]  # (i, j, words, content stems)

    @classmethod
    def build(cls, src: _Doc, q: Quote) -> _QuotePlan | None:
        qi, qj = src.word_range(q.start, q.end)
        qwords = src.words[qi:qj]
        if not qwords or looks_like_title(q.text):
            return None
        segments = []
        if len(qwords) >= SHORT_WORDS:
            for si, sj in _segments(src, q):
                seg = src.words[si:sj]
                segments.append((si, sj, seg, _content_stems(seg)))
        return cls(qi, qj, qwords, _content_stems(qwords), segments)


def match_quote(
    src: _Doc, q: Quote, other: _Doc, rarity: _Rarity, plan: _QuotePlan | None = None
) -> list[QuoteMatch]:
    """Where quote `q` of `src` appears in `other` (see the module docstring for the rules)."""
    plan = plan or _QuotePlan.build(src, q)
    if plan is None:
        return []
    qi, qj, qwords, content = plan.qi, plan.qj, plan.words, plan.content
    if len(content) < 2:
        for oq in other.quotes:
            i, j = other.word_range(oq.start, oq.end)
            if other.words[i:j] == qwords:
                return [_make_match(src, qi, qj, other, i, j, 100.0)]
        return []
    if len(qwords) < SHORT_WORDS:
        starts = _find_sequence(qwords, other)
        if starts:
            starts.sort(key=lambda s: -_quoted_share(other, s, s + len(qwords)))
            s = starts[0]
            return [_make_match(src, qi, qj, other, s, s + len(qwords), 100.0)]
        best = None
        for oq in other.quotes:
            i, j = other.word_range(oq.start, oq.end)
            if (
                len(qwords) < 3
                or j - i < 3
                or abs((j - i) - len(qwords)) > 2
                or not (content & set(other.stems[i:j]))
            ):
                continue
            score = _ratio(" ".join(qwords), other.joined(i, j))
            if score >= SHORT_QUOTE_SCORE and (best is None or score > best[2]):
                best = (i, j, score)
        return [_make_match(src, qi, qj, other, *best)] if best else []

    found: list[tuple[int, int, int, int, float]] = []  # (seg i, seg j, window i, window j, score)
    for si, sj, seg, seg_content in plan.segments:
        exact = _find_sequence(seg, other) if len(seg_content) >= 2 else []
        if exact:
            s = max(exact, key=lambda s: _quoted_share(other, s, s + len(seg)))
            found.append((si, sj, s, s + len(seg), 100.0))
            continue
        hit = _best_window(seg, other, rarity, seg_content)
        if hit is not None:
            found.append((si, sj, *hit))
    if not found:
        return []
    # Merge segments found one after the other in the other version into one match.
    groups: list[list[tuple[int, int, int, int, float]]] = []
    for f in found:
        if groups and groups[-1][-1][1] == f[0] and -2 <= f[2] - groups[-1][-1][3] <= 3:
            groups[-1].append(f)
        else:
            groups.append([f])
    matches: list[QuoteMatch] = []
    taken: list[tuple[int, int]] = []
    for g in sorted(groups, key=lambda g: -max(x[4] for x in g)):
        gi, gj = g[0][0], g[-1][1]
        wi, wj = g[0][2], max(x[3] for x in g)
        if any(wi < b and a < wj for a, b in taken):
            continue
        taken.append((wi, wj))
        score = g[0][4] if len(g) == 1 else _ratio(src.joined(gi, gj), other.joined(wi, wj))
        if src.words[gi:gj] == other.words[wi:wj]:
            score = 100.0
        matches.append(_make_match(src, gi, gj, other, wi, wj, score))
    return sorted(matches, key=lambda m: m.start)


# ---------------------------------------------------------------------------------------- entities


def _link_entities(
    articles: Sequence[Article], per: Mapping[str, list[Entity]]
) -> dict[str, tuple[LinkedEntity, ...]]:
    outlet = {a.id: a.outlet or a.id for a in articles}
    occurrences: dict[str, dict[str, list[EntityOccurrence]]] = defaultdict(lambda: defaultdict(list))
    for a in articles:
        for e in per[a.id]:
            occurrences[e.key][a.id].append(EntityOccurrence(a.id, a.outlet, e.start, e.end, e.text))
    out: dict[str, tuple[LinkedEntity, ...]] = {}
    for a in articles:
        cache: dict[str, tuple[tuple[str, ...], tuple[EntityOccurrence, ...]]] = {}
        linked = []
        for e in per[a.id]:
            if e.key not in cache:
                others = {aid: occ for aid, occ in occurrences[e.key].items() if aid != a.id}
                outlets = tuple(sorted({outlet[aid] for aid in others} - {outlet[a.id]}))
                elsewhere = tuple(o for aid in sorted(others) for o in others[aid])
                cache[e.key] = (outlets, elsewhere)
            outlets, elsewhere = cache[e.key]
            linked.append(LinkedEntity(e, outlets, elsewhere))
        out[a.id] = tuple(linked)
    return out




# ------------------------------------------------------------------------------ quotes by meaning


class _Embeddings:
    """Cosines between the story's sentences and quotes, from the sentence model's vectors (which
    `similarity` encodes once per process and text)."""

    def __init__(self, texts: Sequence[str]) -> None:
        from tuireader.analysis.similarity import semantic_matrix

        self._matrix = semantic_matrix
        semantic_matrix(list(dict.fromkeys(texts)), [])  # encode them all in one batch

    def matrix(self, a: Sequence[str], b: Sequence[str]):
        return self._matrix(a, b)

    def cosines(self, a: str, b: Sequence[str]) -> list[float]:
        return [float(x) for x in self._matrix([a], b)[0]] if b else []


#: Bonus to `same_meaning` when context agrees: the same speaker, the same number ("4 a.m."). Neither
#: is enough alone: the quoted words must be close in meaning already.
SAME_SPEAKER_BONUS = 0.05
SAME_NUMBER_BONUS = 0.03
#: A reworded-quote candidate needs this many content words in common with the quote beyond the
#: speaker's name (shared names alone never make two statements one).
MEANING_MIN_SHARED = 1
#: Candidates per version scored by `same_meaning`: the closest by cosine (or shared words).
MEANING_SHORTLIST = 5
#: A quote retold keeps most of its length: the shorter of a quote and a candidate quotation has at
#: least this share of the longer's words (and a sentence reporting it at least this share of the
#: quote's). Parts of quotes are found by the word windows, not here.
MEANING_MIN_LENGTH = 0.6
#: A sentence that reports a quote in other words also says more (the attribution, context), so
#: it needs this much more than REWORDED_MIN.
UNQUOTED_MARGIN = 0.05


@dataclass(slots=True)
class _Side:
    """One version's searchable units for meaning: its quotes and its sentences."""

    doc: _Doc
    quotes: list[Quote]
    sentences: list[tuple[int, int]]


def _meaning_match(
    src: _Doc,
    q: Quote,
    other: _Side,
    emb: _Embeddings | None,
) -> QuoteMatch | None:
    """The passage of `other` closest in meaning to quote `q`: one of its quotes (altered) or, if
    none is close enough, one of its sentences (unquoted)."""
    from tuireader.analysis.similarity import REWORDED_MIN, same_meaning

    qi, qj = src.word_range(q.start, q.end)
    if qj - qi < SHORT_WORDS:
        return None
    q_content = {st for st in src.stems[qi:qj] if st} & _content_stems(src.words[qi:qj])
    doc = other.doc
    best: tuple[float, int, int] | None = None
    name = _name_stems(q.speaker)
    # its quotations first (a reworded quote), then its sentences (reported without marks)
    for spans in ([(oq.start, oq.end, oq) for oq in other.quotes], [(s, e, None) for s, e in other.sentences]):
        shortlist = []
        kept = []
        for s, e, oq in spans:
            i, j = doc.word_range(s, e)
            if j - i < 3 or (j - i) < MEANING_MIN_LENGTH * (qj - qi) or (
                oq is not None and (qj - qi) < MEANING_MIN_LENGTH * (j - i)
            ):
                continue
            # a sentence reporting the quote must share words with it beyond the speaker's name;
            # another quotation is judged on meaning alone (a reworded quote may share none)
            shared = q_content & set(doc.stems[i:j]) - name
            if oq is None and len(shared) < MEANING_MIN_SHARED:
                continue
            kept.append((len(shared), s, e, oq, doc.text[s:e]))
        cosines = emb.cosines(q.text, [k[4] for k in kept]) if emb is not None else [None] * len(kept)
        for (n_shared, s, e, oq, cand), cos in zip(kept, cosines, strict=True):
            shortlist.append((cos if cos is not None else n_shared, s, e, oq, cand, cos))
        shortlist.sort(key=lambda t: -t[0])
        for _rank, s, e, oq, cand, cos in shortlist[:MEANING_SHORTLIST]:
            i, j = doc.word_range(s, e)
            sim = same_meaning(q.text, cand, cos)
            if oq is not None and q.speaker_key and oq.speaker_key == q.speaker_key:
                sim += SAME_SPEAKER_BONUS
            if _numbers(q.text) & _numbers(cand):
                sim += SAME_NUMBER_BONUS
            floor = REWORDED_MIN if oq is not None else REWORDED_MIN + UNQUOTED_MARGIN
            if sim >= floor and (best is None or sim > best[0]):
                best = (sim, i, j)
        if best is not None:
            break
    if best is None:
        return None
    sim, i, j = best
    m = _make_match(src, qi, qj, doc, i, j, min(99.0, 100.0 * sim))
    return m


@lru_cache(maxsize=4096)
def _numbers(text: str) -> frozenset[str]:
    return frozenset(w for w, _, _ in words(text) if any(ch.isdigit() for ch in w))


def _name_stems(name: str | None) -> set[str]:
    return {stem(w) for w, _, _ in words(name or "")}


def _coverage(src: _Doc, q: Quote, m: QuoteMatch) -> float:
    qi, qj = src.word_range(q.start, q.end)
    n = max(1, qj - qi)
    return min(1.0, len(m.text.split()) / n)


def _best_per_version(src: _Doc, q: Quote, matches: Sequence[QuoteMatch]) -> tuple[QuoteMatch, ...]:
    """One match per other version: the one that carries most of the quote, most faithfully."""
    best: dict[str, QuoteMatch] = {}
    for m in matches:
        cur = best.get(m.article)
        if cur is None or (_coverage(src, q, m) * m.score, m.score) > (_coverage(src, q, cur) * cur.score, cur.score):
            best[m.article] = m
    return tuple(best.values())


def _reported(
    arts: Sequence[Article], quotes: Mapping[str, Sequence[LinkedQuote]]
) -> dict[str, tuple[ReportedQuote, ...]]:
    """For each version, the passages other versions quote that it reports without quotation marks."""
    outlet = {a.id: a.outlet for a in arts}
    found: dict[str, list[tuple[int, int, str, QuotedElsewhere]]] = defaultdict(list)
    text = {a.id: a.text for a in arts}
    for aid, lqs in quotes.items():
        for lq in lqs:
            for m in lq.matches:
                if m.kind != "unquoted":
                    continue
                q = lq.quote
                found[m.article].append(
                    (m.start, m.end, m.text, QuotedElsewhere(aid, outlet.get(aid), m.score, q.text, q.start, q.end, q.speaker))
                )
    out: dict[str, tuple[ReportedQuote, ...]] = {}
    for bid, items in found.items():
        items.sort(key=lambda t: (t[0], -t[1]))
        merged: list[list] = []
        for s, e, _t, qe in items:
            if merged and s < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
                if all(x.article != qe.article for x in merged[-1][2]):
                    merged[-1][2].append(qe)
            else:
                merged.append([s, e, [qe]])
        out[bid] = tuple(ReportedQuote(s, e, text[bid][s:e], tuple(by)) for s, e, by in merged)
    return out


# ------------------------------------------------------------------------------------------- story


def _flip(p: PassagePair, b: Article, a: Article, b_text: str) -> SentencePair:
    """Pair `p` (a -> b) seen from b."""
    diff = tuple(
        DiffOp({"insert": "delete", "delete": "insert"}.get(d.op, d.op), d.b, d.a, d.b_start, d.b_end, d.a_start, d.a_end)
        for d in p.diff
    )
    return SentencePair(a.id, a.outlet, p.kind, p.score, p.b_start, p.b_end, p.a_start, p.a_end, diff)  # type: ignore[arg-type]


def _aligned_sentences(
    arts: Sequence[Article], pairs: Mapping[tuple[str, str], Sequence[PassagePair]]
) -> tuple[dict[str, tuple[AlignedSentence, ...]], dict[tuple[str, str], tuple[SentencePair, ...]]]:
    """Every sentence of every version with its counterpart in each other version."""
    by_id = {a.id: a for a in arts}
    per: dict[str, list[SentencePair]] = defaultdict(list)
    directed: dict[tuple[str, str], tuple[SentencePair, ...]] = {}
    for (x, y), pp in pairs.items():
        a, b = by_id[x], by_id[y]
        forward = tuple(
            SentencePair(b.id, b.outlet, p.kind, p.score, p.a_start, p.a_end, p.b_start, p.b_end, p.diff)  # type: ignore[arg-type]
            for p in pp
        )
        directed[(x, y)] = forward
        per[x].extend(forward)
        per[y].extend(_flip(p, b, a, b.text) for p in pp)
    out: dict[str, tuple[AlignedSentence, ...]] = {}
    for a in arts:
        rows = []
        for s, e in (( u.start, u.end) for u in sentence_units(a.text)):
            here = tuple(
                sorted((p for p in per[a.id] if p.start <= s and e <= p.end), key=lambda p: -p.score)
            )
            rows.append(AlignedSentence(s, e, here))
        out[a.id] = tuple(rows)
    return out, directed


def texts_to_encode(article: Article, analysis: ArticleAnalysis) -> list[str]:
    """What the alignment asks the sentence model about one version: its sentences and quotes."""
    text = article.text
    return [text[u.start : u.end] for u in sentence_units(text)] + [q.text for q in analysis.quotes]


def link_story(
    articles: Sequence[Article], analyses: Mapping[str, ArticleAnalysis], *, meaning: bool = True
) -> StoryLinks:
    """The story alignment: sentences, quotes, names and discrepancies across every version.

    `meaning` uses the sentence model when one is installed (see `analysis.similarity`); without it
    (or with `meaning=False`) the alignment is by words alone.
    """
    from tuireader.analysis.discrepancies import Rarity, StoryFacts, find_discrepancies

    arts = sorted((a for a in articles if a.id in analyses), key=lambda a: a.id)
    per_entities, remap = story_entities({a.id: a.text for a in arts}, {a.id: analyses[a.id].entities for a in arts})
    docs = {a.id: _Doc.build(a, analyses[a.id].quotes) for a in arts}
    rarity = _Rarity(list(docs.values()))
    own_quotes = {
        a.id: [replace(q, speaker_key=remap.get(q.speaker_key, q.speaker_key)) if q.speaker_key else q
               for q in analyses[a.id].quotes]
        for a in arts
    }

    # 1. quotes by words
    lexical: dict[str, list[tuple[Quote, list[QuoteMatch]]]] = {}
    for a in arts:
        src = docs[a.id]
        rows = []
        for q in own_quotes[a.id]:
            plan = _QuotePlan.build(src, q)
            found: list[QuoteMatch] = []
            if plan is not None:
                for b in arts:
                    if b.id != a.id:
                        found.extend(match_quote(src, q, docs[b.id], rarity, plan))
            rows.append((q, found))
        lexical[a.id] = rows

    # 2. the story's embeddings, once: every sentence and every quote
    emb = None
    if meaning and len(arts) > 1:
        from tuireader.analysis.similarity import sentence_model

        model = sentence_model()
        if model is not None:
            emb = _Embeddings([t for a in arts for t in texts_to_encode(a, analyses[a.id])])

    # 3. quotes no word window found, by meaning; one match per other version
    sides = {
        a.id: _Side(docs[a.id], own_quotes[a.id], [(u.start, u.end) for u in sentence_units(a.text)])
        for a in arts
    }
    quotes: dict[str, tuple[LinkedQuote, ...]] = {}
    for a in arts:
        src = docs[a.id]
        linked = []
        for q, found in lexical[a.id]:
            have = {m.article for m in found}
            if _QuotePlan.build(src, q) is not None:
                for b in arts:
                    if b.id != a.id and b.id not in have:
                        m = _meaning_match(src, q, sides[b.id], emb)
                        if m is not None:
                            found = [*found, m]
            linked.append(LinkedQuote(q, _best_per_version(src, q, found)))
        quotes[a.id] = tuple(linked)

    # 4. sentences, by words and meaning, anchored by every quote match
    anchors = StoryLinks(quotes=quotes)
    pairs: dict[tuple[str, str], tuple[PassagePair, ...]] = {}
    for i, a in enumerate(arts):
        for b in arts[i + 1 :]:
            pairs[(a.id, b.id)] = align_passages(a, b, anchors, emb.matrix if emb is not None else None)
    sentences, directed = _aligned_sentences(arts, pairs)

    facts = StoryFacts(
        articles=arts,
        analyses=analyses,
        pairs=directed,
        quotes=quotes,
        entities=per_entities,
        rarity=Rarity(arts),
    )
    return StoryLinks(
        quotes=quotes,
        entities=_link_entities(arts, per_entities),
        discrepancies=find_discrepancies(facts),
        reported=_reported(arts, quotes),
        sentences=sentences,
    )
