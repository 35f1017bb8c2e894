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

**Discrepancies.** Figures of different versions are paired when they are of the same kind and unit
and their topic words agree, weighting each word by how rare it is in the story's sentences (so
"Iran" and "Russia", in every sentence of this story, count for little, and "Su-35" for much). A
group of paired figures whose values cannot all be true together (ranges that do not meet,
different months) is a discrepancy, reported with every version's words.
"""

from __future__ import annotations

import bisect
import difflib
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from tuireader.analysis.entities import key_mapping, loose_forms, missed_mentions
from tuireader.analysis.figures import BASE_UNITS, figure_range, near_words
from tuireader.analysis.quotes import looks_like_title
from tuireader.model import (
    Article,
    ArticleAnalysis,
    DiffOp,
    Discrepancy,
    Entity,
    EntityOccurrence,
    Figure,
    LinkedEntity,
    LinkedQuote,
    Quote,
    QuoteMatch,
    StoryLinks,
)
from tuireader.text.units import STOPWORDS, paragraph_spans, sentence_spans, stem, words

LINK_VERSION = "link-1"

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
#: Topic agreement (sum of rarity weights of shared topic words) needed to pair two figures.
PAIR_WEIGHT = {
    "quantity": 4.0,
    "money": 8.0,
    "percent": 8.0,
    "count": 9.0,
    "month": 9.0,
    "date": 10.0,
    "time": 10.0,
}
MIN_SHARED_TOPIC = 2
#: ... and that weight must be at least this share of the weight of both figures' topic words.
MIN_PAIR_SHARE = 0.25


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


def _diff(
    a_words: Sequence[str], a_surface: Sequence[str], b_words: Sequence[str], b_surface: Sequence[str]
) -> tuple[DiffOp, ...]:
    """Word-level diff (compared on normalised words, shown with the words as written)."""
    sm = difflib.SequenceMatcher(a=list(a_words), b=list(b_words), autojunk=False)
    return tuple(
        DiffOp(op, " ".join(a_surface[i1:i2]), " ".join(b_surface[j1:j2]))
        for op, i1, i2, j1, j2 in sm.get_opcodes()
    )


def _make_match(src: _Doc, qi: int, qj: int, other: _Doc, i: int, j: int, score: float) -> QuoteMatch:
    a_words = src.words[qi:qj]
    b_words = other.words[i:j]
    quoted = _quoted_share(other, i, j) >= QUOTED_SHARE
    same = a_words == b_words
    kind = ("verbatim" if same else "altered") if quoted else "unquoted"
    diff: tuple[DiffOp, ...] = ()
    if not same:
        a_surface = [src.text[s:e] for s, e in zip(src.starts[qi:qj], src.ends[qi:qj], strict=True)]
        b_surface = [other.text[s:e] for s, e in zip(other.starts[i:j], other.ends[i:j], strict=True)]
        diff = _diff(a_words, a_surface, b_words, b_surface)
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


def _story_entities(
    articles: Sequence[Article], analyses: Mapping[str, ArticleAnalysis]
) -> tuple[dict[str, list[Entity]], dict[str, str]]:
    """Each version's entities with keys resolved over the story, plus names the model missed.

    Returns the entities per article id and the mapping applied to keys (for speakers).
    """
    per: dict[str, list[Entity]] = {a.id: list(analyses[a.id].entities) for a in articles}
    every = [e for es in per.values() for e in es]
    loose = loose_forms([a.text for a in articles], every)
    for a in articles:
        per[a.id].extend(missed_mentions(a.text, every, per[a.id], loose))
    every = [e for es in per.values() for e in es]
    mapping = key_mapping(every)
    remap = {k: v[0] for k, v in mapping.items()}
    for aid, ents in per.items():
        out = []
        for e in ents:
            target = mapping.get(e.key)
            out.append(replace(e, key=target[0], label=target[1] or e.label) if target else e)
        per[aid] = sorted(out, key=lambda e: e.start)
    return per, remap


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


# ----------------------------------------------------------------------------------- discrepancies

_DIMENSION_NAMES = {unit: dim for dim, unit in BASE_UNITS.items()}
_WHAT = {"month": "month", "date": "date", "time": "time", "money": "amount", "percent": "share"}


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


def _compatible(a: Figure, b: Figure) -> bool:
    if a.kind != b.kind:
        return False
    if a.kind in {"quantity", "money", "percent"}:
        return a.unit == b.unit
    if a.kind == "count":
        return a.unit is not None and b.unit is not None and stem(a.unit) == stem(b.unit)
    if a.kind == "date":
        return _date_grain(a) == _date_grain(b)
    return True


def _date_grain(f: Figure) -> str:
    v = str(f.value)
    if v.startswith("weekday:"):
        return "weekday"
    if v.startswith("--"):
        return "monthday"
    return {4: "year", 10: "day"}.get(len(v), "other")


def _consistent(a: Figure, b: Figure) -> bool:
    ra, rb = figure_range(a), figure_range(b)
    if ra is not None and rb is not None:
        return ra[0] <= rb[1] * 1.001 and rb[0] <= ra[1] * 1.001
    va, vb = str(a.value), str(b.value)
    if a.kind == "month" and (len(va) == 2 or len(vb) == 2):
        return va[-2:] == vb[-2:]
    if a.kind == "date" and va.startswith("--") != vb.startswith("--"):
        return va[-5:] == vb[-5:]
    return va == vb


def _what(kind: str, unit: str | None, shared: Sequence[str]) -> str:
    if kind == "quantity":
        label = {"length": "distance", "mass": "weight", "area": "area"}.get(
            _DIMENSION_NAMES.get(unit or "", ""), "quantity"
        )
    elif kind == "count":
        label = f"number of {unit}"
    else:
        label = _WHAT.get(kind, kind)
    return f"{label}: {' '.join(shared)}" if shared else label


def _discrepancies(
    articles: Sequence[Article], analyses: Mapping[str, ArticleAnalysis], rarity: _Rarity
) -> tuple[Discrepancy, ...]:
    text = {a.id: a.text for a in articles}
    figs = [(a.id, f) for a in articles for f in analyses[a.id].figures if f.topic]
    topic_stems = [{stem(w) for w in f.topic} for _, f in figs]
    near = [{stem(w) for w in near_words(text[aid], f)} for aid, f in figs]
    paired: dict[tuple[int, int], float] = {}
    for x in range(len(figs)):
        ax, fx = figs[x]
        for y in range(x + 1, len(figs)):
            ay, fy = figs[y]
            if ax == ay or not _compatible(fx, fy):
                continue
            shared = topic_stems[x] & topic_stems[y]
            if len(shared) < MIN_SHARED_TOPIC or not (shared & near[x] and shared & near[y]):
                continue
            weight = sum(rarity(s) for s in shared)
            union = sum(rarity(s) for s in topic_stems[x] | topic_stems[y])
            if weight >= PAIR_WEIGHT.get(fx.kind, 10.0) and weight >= MIN_PAIR_SHARE * union:
                paired[(x, y)] = weight

    # Complete-linkage grouping, strongest pairs first: a figure joins a group only if it pairs with
    # every member, and a group holds at most one figure per version, so chains of loosely similar
    # figures (yardages of different plays) do not become one "fact".
    def pairs_with(m: int, members: list[int]) -> bool:
        return all((min(m, o), max(m, o)) in paired for o in members)

    group_of: dict[int, int] = {}
    groups: dict[int, list[int]] = {}
    next_id = 0
    for (x, y), _ in sorted(paired.items(), key=lambda kv: -kv[1]):
        gx, gy = group_of.get(x), group_of.get(y)
        if gx is None and gy is None:
            groups[next_id] = [x, y]
            group_of[x] = group_of[y] = next_id
            next_id += 1
            continue
        if gx is not None and gy is not None:
            if gx == gy:
                continue
            a, b = groups[gx], groups[gy]
            if {figs[m][0] for m in a} & {figs[m][0] for m in b} or not all(pairs_with(m, a) for m in b):
                continue
            a.extend(groups.pop(gy))
            for m in a:
                group_of[m] = gx
            continue
        g, new = (gx, y) if gx is not None else (gy, x)
        members = groups[g]
        if figs[new][0] not in {figs[m][0] for m in members} and pairs_with(new, members):
            members.append(new)
            group_of[new] = g
    by_article: dict[str, list[Figure]] = defaultdict(list)
    for aid, f in figs:
        by_article[aid].append(f)

    def contradicts(x: int, y: int) -> bool:
        """x and y disagree, and neither version states the other's value anywhere else: versions
        that list the same figures in another order ("12 magazines and 923 rounds") agree."""
        (ax, fx), (ay, fy) = figs[x], figs[y]
        if _consistent(fx, fy):
            return False
        y_has_x = any(_compatible(fx, g) and _consistent(fx, g) for g in by_article[ay])
        x_has_y = any(_compatible(fy, g) and _consistent(fy, g) for g in by_article[ax])
        return not (y_has_x and x_has_y)

    out = []
    for members in groups.values():
        members.sort(key=lambda m: (figs[m][0], figs[m][1].start))
        fs = [figs[m][1] for m in members]
        if not any(contradicts(x, y) for i, x in enumerate(members) for y in members[i + 1 :]):
            continue
        # name the fact by the first version's topic words that another version shares
        others = set().union(*(topic_stems[m] for m in members[1:]))
        shared = [w for w in fs[0].topic if stem(w) in others]
        out.append(
            Discrepancy(
                what=_what(fs[0].kind, fs[0].unit, shared),
                values={figs[m][0]: figs[m][1].text for m in members},
                kind=fs[0].kind,
                spans={figs[m][0]: (figs[m][1].start, figs[m][1].end) for m in members},
            )
        )
    return tuple(sorted(out, key=lambda d: d.what))


# ------------------------------------------------------------------------------------------- story


def link_story(articles: Sequence[Article], analyses: Mapping[str, ArticleAnalysis]) -> StoryLinks:
    """Compare the versions of one story: quote matches, shared names and discrepancies."""
    arts = [a for a in articles if a.id in analyses]
    per_entities, remap = _story_entities(arts, analyses)
    docs = {a.id: _Doc.build(a, analyses[a.id].quotes) for a in arts}
    rarity = _Rarity(list(docs.values()))
    quotes: dict[str, tuple[LinkedQuote, ...]] = {}
    for a in arts:
        src = docs[a.id]
        linked = []
        for q in analyses[a.id].quotes:
            if q.speaker_key in remap:
                q = replace(q, speaker_key=remap[q.speaker_key])
            matches: list[QuoteMatch] = []
            plan = _QuotePlan.build(src, q)
            for b in arts:
                if b.id != a.id and plan is not None:
                    matches.extend(match_quote(src, q, docs[b.id], rarity, plan))
            linked.append(LinkedQuote(q, tuple(matches)))
        quotes[a.id] = tuple(linked)
    return StoryLinks(
        quotes=quotes,
        entities=_link_entities(arts, per_entities),
        discrepancies=_discrepancies(arts, analyses, rarity),
    )
