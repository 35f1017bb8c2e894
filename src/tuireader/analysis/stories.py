"""Stories: which articles are versions of the same event, as a function of the articles alone.

How two articles are compared
-----------------------------
Each article becomes a unit vector over the cheap features of `textfeatures` (content words with
plurals folded, capitalised names counted twice, adjacent-name pairs, numbers, the title counted
again), weighted by a fixed English rarity (not the library's IDF, see below) and stored as integers,
so that every dot product is exact. The raw similarity of two articles is their cosine.

A raw cosine means different things in different places: two reports of one rehab check-in may
share 0.15 of their weight, while two reports of *different* Microsoft patches share 0.4, because
their whole topic is written in one vocabulary. So similarities are read relative to each
article's neighbourhood (the "local scaling" of self-tuning spectral clustering):

    scaled(a, b) = cos(a, b) / sqrt(sigma_a * sigma_b) * days(a, b) * kinds(a, b)
    sigma = max(SCALE_FLOOR, cos to the NEIGHBOURS-th nearest candidate)
    days  = 1 - gap / REACH_DAYS, clipped to [0, 1]; HALF_DATED when only one is dated;
            1 when neither is dated, or they are copies
    kinds = KIND_FLOOR when the two are clearly about different kinds of event, else 1

The date factor is what keeps two shootings in one city apart when their words agree: most
versions of an event appear within a day or two of each other, and the factor has fallen to a
half after ten days. A follow-up weeks later (an arrest, a trial) is not merged into the first
days' coverage; `follows` links it to the story it continues. A near-copy (raw cosine >=
DUPLICATE) ignores dates: its far date is a republisher's stamp. An undated article meets a dated
one at HALF_DATED: without it, one undated page about an earthquake joined every earthquake of a
synthetic library into one component. The kind factor (event words of `lexicon/event-kinds-en.txt`:
fire, shooting, vote, ...) keeps a fire and a budget vote in one town, with the same mayor, apart:
their names agree, their event words do not.

Clustering: average linkage over scaled similarity, stopping at THRESHOLD, inside the components of
the "anchor" graph (pairs with scaled similarity >= ANCHOR): two parts join only when their average
is high enough and at least one pair between them is clearly close. Average linkage, not single
linkage, because one bridging article (a round-up covering two events) must not chain two stories
together; the anchor keeps components small, so an add re-clusters dozens of articles.

Why these numbers: swept on the tuning halves only (ECB+ even topics, stories-dev events whose
md5 starts with an even digit; `bench/quality_stories.py` prints both halves and the report
halves): THRESHOLD 0.55-0.7 with ANCHOR 0.7-1.0, REACH_DAYS 7-14 (steeper loses stories-dev
recall), NEIGHBOURHOOD_DAYS 14-60, NEIGHBOURS 3-8, SCALE_FLOOR 0.2-0.45 (higher loses
stories-dev recall badly), KEY_TERMS 8-16 with MIN_SHARED 1-3 (3 loses 0.02-0.05), KIND_FLOOR
0.3-0.6 (0.5 is the highest that parts the fire from the vote; with the "court" kind it cost ECB+
0.01, without it nothing), FOLLOW 0.5-0.7 (0.6: best pairwise F1 with follow-ups joined). ECB+
(undated) and stories-dev pull THRESHOLD in opposite directions; the values here are the middle of
a flat plateau. BUCKET_CAP 64 and ALL_CAP 256 change no row of either corpus (no key term of theirs
is that common) while they bound the candidates of a 100,000-article synthetic library. THRESHOLD
0.6 (was 0.55): on the tuning halves ECB+ 0.940 either way, stories-dev 14-day pairwise F1 0.841
-> 0.845 (0.5: ECB+ 0.920; SCALE_FLOOR 0.25: ECB+ 0.940, stories-dev 14-day 0.842).
REACH_DAYS 21 (was 14; the earlier sweep stopped at 14): on the stories-dev tuning half the 14-day
view goes from B-cubed 0.951 / pairwise 0.845 to 0.955 / 0.867 (18: 0.954 / 0.858; 24: 0.955 /
0.867 with lower precision; a quadratic or plateaued fall instead of a straight line: 0.944-0.951
/ 0.833-0.853); ECB+ is undated and does not move. The gentler fall let the fire and the budget
vote five days apart join at KIND_FLOOR 0.5, so KIND_FLOOR is 0.4 (0.3 and 0.4 give the same
tuning rows within 0.001).

A function of the files
-----------------------
The stories of a library are the same whatever order its articles arrived in, in whatever chunks,
and whatever the cache held, because every quantity is defined on the current set of articles:

- an article's vector depends on that article alone (a fixed rarity table, not a running IDF);
- candidates are the pairs that share a key term (an article's KEY_TERMS strongest terms that are
  at least KEY_RARITY rare, plus a fingerprint of its three strongest, which finds copies at any
  date) at least MIN_SHARED times within NEIGHBOURHOOD_DAYS: a symmetric relation on the set;
- the candidate cap: a key term held by more than BUCKET_CAP articles in its date bucket (fixed
  spans of BUCKET_DAYS days) finds no candidates there, and an undated entry (or a fingerprint,
  which meets every date) none when more than ALL_CAP articles hold the term at all. A word that
  half the month's news uses ("long-term", an outlet's name in its footer) says nothing about
  which event an article covers, and pairing on it is what made clustering quadratic. The counts
  are of the current set, so the cap depends on no order; when a count crosses its cap (an add or
  a removal), the holders of the term around that bucket get their neighbours recomputed;
- sigma is the NEIGHBOURS-th best cosine among an article's candidates, kept exact on every add
  and remove;
- each component of the anchor graph is clustered from scratch in a canonical order (by day, then
  id) with similarities quantised to integers (sums exact in any order), up to DENSE_LIMIT
  articles on every pair, beyond on candidate pairs only;
- a story is named after its earliest article ("s_" + id), a component likewise.

Incremental: adding an article looks up its keys' holders (at most BUCKET_CAP per term and
bucket, by the cap), computes its cosines, updates its candidates' sigmas, and re-clusters only
the components it (or a changed sigma) touches; removal does the same around the removed article.
The rows live in SQLite (`store.stories`), so an add to a 100,000-article library reads and writes
a few dozen rows and loads no other vectors than its candidates'. A bulk add works BATCH articles
at a time, each committed: an interrupted rebuild keeps what it placed and goes on from the rest.
"""

from __future__ import annotations

import hashlib
import heapq
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tuireader.analysis.textfeatures import WEIGHT_SCALE, event_kinds, features, rarity, vector
from tuireader.store.stories import ALL, StoryStore
from tuireader.text.units import day_ordinal

if TYPE_CHECKING:  # numpy is imported lazily: the reader must paint before it loads
    import numpy as np

STORIES_VERSION = "6"  # bump when clustering results or the stored rows change

KEY_TERMS = 16  # an article's strongest terms, looked up to find its candidates
MIN_SHARED = 2  # candidates share at least this many key terms (or a fingerprint)
KEY_RARITY = 5.0  # of those, only terms at least this rare (zipf below about 4): names, not "bridge"
NEIGHBOURS = 5  # sigma: cosine to this nearest candidate
SCALE_FLOOR = 0.2
THRESHOLD = 0.6  # average scaled similarity needed to join a story
ANCHOR = 0.85  # and at least one pair this close between the parts (it bounds the components)
REACH_DAYS = 21  # the date factor reaches 0 at this gap
NEIGHBOURHOOD_DAYS = 60  # candidates (and so sigma's neighbours) are looked for within this gap
BUCKET_DAYS = 60  # key terms are counted per bucket of this many days (day // BUCKET_DAYS)
BUCKET_CAP = 64  # a key term held by more articles than this in a bucket finds no candidates there
ALL_CAP = 256  # nor, for undated articles and fingerprints (which meet every date), in the library
HALF_DATED = 0.7  # the date factor of a dated and an undated article: no evidence either way, and
# an undated page of one kind of event must not bridge that kind's stories across the years
KIND_FLOOR = 0.4  # similarity factor of two articles clearly about different kinds of event
KIND_MENTIONS = 3
KIND_SHARE = 0.6
DUPLICATE = 0.8  # raw cosine of a republished copy: its date is not evidence of another event
BATCH = 5000  # articles placed at a time (bounds memory; the result does not depend on it)
DENSE_LIMIT = 1000  # components up to this many articles are linked on every pair
FOLLOW = 0.6  # raw cosine above which a later story is linked to an earlier one it continues
FOLLOW_DAYS = 730  # how far back a follow-up's story is looked for
VOCAB_LIMIT = 2_000_000  # term codes kept for dot products before they are started afresh
_QUANT = 1_000_000  # scaled similarities are compared as integers of this resolution
_SEP = "\x1f"


Progress = Callable[[int, int], None]  # (articles placed so far, articles to place)


@dataclass(frozen=True)
class StoryDoc:
    """What clustering needs of an article: cleaned title and text, date and outlet."""

    id: str
    title: str
    text: str
    published: str | None = None  # ISO date or date-time
    outlet: str | None = None


@dataclass
class _Vec:
    day: int
    terms: tuple[str, ...]
    weights: array  # "q" integers
    kinds: array  # "q": how often it names each kind of event (textfeatures.event_kinds)
    knn: array  # "q": the best dot products with candidates, best first (at most NEIGHBOURS)
    story: str | None = None
    kind: int = -1  # the kind of event it is clearly about (`_kind`), or -1
    coded: tuple[dict[str, int], np.ndarray, np.ndarray] | None = None  # (vocabulary, codes, weights)

    def __post_init__(self) -> None:
        self.kind = _kind(self.kinds)

    def codes(self, vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
        """Its terms as codes of `vocab` (added as needed) and its weights, as arrays (cached)."""
        import numpy as np

        if self.coded is None or self.coded[0] is not vocab:
            codes = np.fromiter((vocab.setdefault(t, len(vocab)) for t in self.terms), np.int64, len(self.terms))
            self.coded = (vocab, codes, np.frombuffer(self.weights, dtype=np.int64).astype(np.float64))
        return self.coded[1], self.coded[2]


def _keys(terms: Sequence[str]) -> list[str]:
    """Key terms: the strongest terms, and a fingerprint of the top three (finds copies at any date)."""
    keys = [t for t in terms[:KEY_TERMS] if rarity(t) >= KEY_RARITY]
    if len(terms) >= 3:
        keys.append("=" + hashlib.sha1(_SEP.join(sorted(terms[:3])).encode()).hexdigest()[:16])
    return keys


def _key_rows(article_id: str, terms: Sequence[str], day: int) -> list[tuple[str, str, int, int]]:
    """(term, id, day, bucket) rows of an article's keys; fingerprints are stored undated."""
    rows = []
    for key in _keys(terms):
        at = -1 if key.startswith("=") else day
        rows.append((key, article_id, at, at // BUCKET_DAYS if at >= 0 else -1))
    return rows


def _usable(term: str, day: int, counts: dict[tuple[str, int], int]) -> bool:
    """Whether a key entry finds candidates: its term is rare enough where it stands (in its date
    bucket; undated entries and fingerprints, which meet every date, in the whole library)."""
    if day >= 0:
        return counts.get((term, day // BUCKET_DAYS), 0) <= BUCKET_CAP
    return counts.get((term, ALL), 0) <= ALL_CAP


def _flips(before: dict[tuple[str, int], int], rows: Iterable[tuple[str, str, int, int]],
           sign: int) -> list[tuple[str, int]]:
    """The (term, bucket) counts that cross their cap when `rows` are added (sign 1) or removed (-1)."""
    deltas: dict[tuple[str, int], int] = {}
    for term, _id, _day, bucket in rows:
        if bucket >= 0:
            deltas[(term, bucket)] = deltas.get((term, bucket), 0) + sign
        deltas[(term, ALL)] = deltas.get((term, ALL), 0) + sign
    flips = []
    for (term, bucket), delta in deltas.items():
        cap = ALL_CAP if bucket == ALL else BUCKET_CAP
        old = before.get((term, bucket), 0)
        if (old <= cap) != (old + delta <= cap):
            flips.append((term, bucket))
    return sorted(flips)


def _sigma(knn: array) -> float:
    floor = SCALE_FLOOR * WEIGHT_SCALE * WEIGHT_SCALE
    return float(max(floor, knn[NEIGHBOURS - 1])) if len(knn) >= NEIGHBOURS else float(floor)


class StoryIndex:
    """Incremental story clustering over SQLite rows (in memory when `path` is None)."""

    def __init__(self, path: Path | None = None) -> None:
        self._store = StoryStore(path, STORIES_VERSION)
        self.reset = self._store.reset  # opened empty: a new file, or rows of another version dropped
        self._vocab: dict[str, int] = {}  # term codes for dot products (any codes do: sums are exact)

    def _csr(self, vecs: Sequence[_Vec]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """indptr, term codes and integer weights (as float64) of `vecs`."""
        import numpy as np

        if len(self._vocab) > VOCAB_LIMIT:
            self._vocab = {}
        coded = [v.codes(self._vocab) for v in vecs]
        indptr = np.zeros(len(vecs) + 1, np.int64)
        np.cumsum([len(c) for c, _w in coded], out=indptr[1:])
        if not coded:
            return indptr, np.zeros(0, np.int64), np.zeros(0, np.float64)
        return indptr, np.concatenate([c for c, _w in coded]), np.concatenate([w for _c, w in coded])

    def close(self) -> None:
        self._store.close()

    # ----------------------------------------------------------------------------- public API

    def add(self, docs: Sequence[StoryDoc], progress: Progress | None = None) -> set[str]:
        """Add (or replace) articles; returns the ids of stories that were created or changed.

        Works BATCH articles at a time to bound memory, each batch committed on its own: since the
        stories do not depend on how the articles arrive, the batches change nothing but the peak,
        and an interrupted add (or rebuild) resumes from the articles not yet stored. `progress`
        is called after each batch with (articles placed, articles to place).
        """
        unique: dict[str, StoryDoc] = {}
        for doc in docs:
            unique[doc.id] = doc
        batch = list(unique.values())
        changed: set[str] = set()
        for start in range(0, len(batch), BATCH):
            changed |= self._add_batch(batch[start : start + BATCH])
            if progress:
                progress(min(start + BATCH, len(batch)), len(batch))
        return changed

    def _add_batch(self, docs: list[StoryDoc]) -> set[str]:
        unique = {doc.id: doc for doc in docs}
        changed: set[str] = set()
        again = [row[0] for row in self._store.docs(list(unique))]
        if again:
            changed |= self.remove(again)
        vecs: dict[str, _Vec] = {}
        rows, keys = [], []
        for doc in unique.values():
            bag = features(doc.title or "", doc.text or "")
            terms, weights = vector("", "", bag)
            kinds = array("q", event_kinds(bag))
            day = day_ordinal(doc.published)
            vecs[doc.id] = _Vec(day, terms, array("q", weights), kinds, array("q"))
            rows.append((doc.id, day, _SEP.join(terms), array("q", weights).tobytes(), kinds.tobytes(), b""))
            keys += _key_rows(doc.id, terms, day)
        with self._store.transaction():
            flips = _flips(self._store.counts(sorted({k[0] for k in keys})), keys, 1)
            self._store.put(rows, keys)
            fresh = set(unique)
            a, b, dots = self._candidate_dots(fresh, vecs)
            sigma_changed = self._merge_knn(a, b, dots, vecs, fresh=fresh)
            # Old articles whose key terms just became too common (in a bucket, or in all) lose
            # candidates: their neighbours are recomputed from scratch.
            capped = self._holders_around(flips) - fresh
            working = set(fresh)
            if capped:
                vecs.update(self._load(sorted(capped - set(vecs))))
                na, nb, ndots = self._candidate_dots(capped, vecs)
                self._recompute_knn(capped, na, nb, ndots, vecs)
                working |= self._reached(na, nb, ndots, vecs, capped) | capped
            working |= self._reached(a, b, dots, vecs, fresh | sigma_changed)
            changed |= self._regroup(working, vecs, known=(a, b, dots), fresh=fresh)
        return changed

    def remove(self, ids: Iterable[str]) -> set[str]:
        """Remove articles; returns the ids of stories that changed (including ones now gone).

        The components they were in are re-clustered from their remaining articles, so a story that
        was held together by a removed article falls apart again.
        """
        gone = {row[0]: row for row in self._store.docs(list(dict.fromkeys(ids)))}
        if not gone:
            return set()
        vecs = self._load(list(gone))
        with self._store.transaction():
            keys = [(t, i, d, d // BUCKET_DAYS if d >= 0 else -1) for t, i, d in self._store.keys_of(list(gone))]
            before = self._store.counts(sorted({k[0] for k in keys}))
            a, b, dots = self._candidate_dots(set(gone), vecs)
            comps = self._store.comps_of(list(gone))
            old_stories = {v.story for v in vecs.values() if v.story}
            # Neighbours whose sigma may fall: the removed article was among their nearest.
            neighbours: set[str] = set()
            for x, y, d in zip(a, b, dots, strict=True):
                for me, other in ((x, y), (y, x)):
                    if other in gone and me not in gone:
                        knn = vecs[me].knn
                        if len(knn) < NEIGHBOURS or d >= knn[-1]:
                            neighbours.add(me)
            self._store.delete(list(gone))
            for article_id in gone:
                vecs.pop(article_id)
            # Key terms now rare enough again (in a bucket, or in all) give their holders new candidates.
            neighbours |= self._holders_around(_flips(before, keys, -1)) - set(gone)
            missing = sorted(neighbours - set(vecs))
            if missing:
                vecs.update(self._load(missing))
            working = set(self._store.members(sorted(comps)))
            if neighbours:
                na, nb, ndots = self._candidate_dots(neighbours, vecs)
                self._recompute_knn(neighbours, na, nb, ndots, vecs)
                working |= self._reached(na, nb, ndots, vecs, neighbours) | neighbours
            changed = self._regroup(working, vecs) | old_stories
        return changed

    def story_of(self, article_id: str) -> str | None:
        return self._store.story_of(article_id)

    def stories(self) -> dict[str, list[str]]:
        """Story id -> article ids (each list in date order, undated last, then by id)."""
        result: dict[str, list[str]] = {}
        for story, _d, article_id in self._store.assignment():
            result.setdefault(story, []).append(article_id)
        return result

    def story_members(self, stories: Iterable[str]) -> dict[str, list[str]]:
        """Members of the given stories (those that still exist)."""
        result: dict[str, list[str]] = {}
        for story, _d, article_id in sorted(self._store.story_members(sorted(set(stories))),
                                               key=lambda r: (r[0], r[1] < 0, r[1], r[2])):
            result.setdefault(story, []).append(article_id)
        return result

    def follows(self, stories: Iterable[str] | None = None) -> dict[str, str]:
        """Story -> the earlier story it continues (a follow-up: arrest, charges, trial, verdict).

        Story S follows T when some member of T, published before S began (and less than
        FOLLOW_DAYS before), shares a key term with a member of S and their raw cosine is at least
        FOLLOW; of several such T, the one with the highest cosine (then the smaller id). A
        function of the current articles, like the stories themselves.
        """
        groups = self.stories() if stories is None else self.story_members(stories)
        all_ids = [m for members in groups.values() for m in members]
        vecs = self._load(all_ids)
        first = {s: min((vecs[m].day for m in ms if vecs[m].day >= 0), default=-1) for s, ms in groups.items()}
        key_rows = [r for r in self._store.keys_of(all_ids) if not r[0].startswith("=")]
        counts = self._store.counts(sorted({t for t, _i, _d in key_rows}))
        groups: set[tuple[str, int]] = set()
        for term, article_id, day in key_rows:
            start = first.get(vecs[article_id].story or "", -1)
            if start >= 0 and _usable(term, day, counts):
                for bucket in range((start - FOLLOW_DAYS) // BUCKET_DAYS, start // BUCKET_DAYS + 1):
                    if 0 < counts.get((term, bucket), 0) <= BUCKET_CAP:
                        groups.add((term, bucket))
        holders = self._store.holders(sorted(groups))
        by_term: dict[str, list[tuple[str, int]]] = {}
        for term, article_id, day in holders:
            by_term.setdefault(term, []).append((article_id, day))
        pairs: set[tuple[str, str]] = set()
        for term, article_id, _d in key_rows:
            story = vecs[article_id].story
            start = first.get(story or "", -1)
            if start < 0:
                continue
            for other, day in by_term.get(term, ()):
                if 0 <= day < start and start - day <= FOLLOW_DAYS:
                    pairs.add((article_id, other))
        if not pairs:
            return {}
        ordered = sorted(pairs)
        vecs.update(self._load(sorted({o for _m, o in ordered} - set(vecs))))
        dots = self._pair_dots([m for m, _o in ordered], [o for _m, o in ordered], vecs)
        limit = FOLLOW * WEIGHT_SCALE * WEIGHT_SCALE
        best: dict[str, tuple[float, str]] = {}
        for (mine, other), dot in zip(ordered, dots.tolist(), strict=True):
            source, target = vecs[mine].story, vecs[other].story
            if dot < limit or not source or not target or source == target:
                continue
            current = best.get(source)
            if current is None or (-dot, target) < (-current[0], current[1]):
                best[source] = (dot, target)
        return {s: t for s, (_d, t) in best.items()}

    def __len__(self) -> int:
        return len(self._store)

    # ------------------------------------------------------------------------------ rows

    def _load(self, ids: Sequence[str]) -> dict[str, _Vec]:
        out: dict[str, _Vec] = {}
        for article_id, day, terms, weights, kinds, knn, story in self._store.docs(ids):
            w, e, k = array("q"), array("q"), array("q")
            w.frombytes(weights)
            e.frombytes(kinds)
            k.frombytes(knn)
            out[article_id] = _Vec(day, tuple(terms.split(_SEP)) if terms else (), w, e, k, story)
        return out

    # ------------------------------------------------------------------------- candidates

    def _candidate_dots(
        self, focus: set[str], vecs: dict[str, _Vec], within: set[str] | None = None
    ) -> tuple[list[str], list[str], list[float]]:
        """Candidate pairs with at least one end in `focus` (both in `within` when given), with
        their dot products; loads the vectors it meets into `vecs`."""
        import numpy as np

        key_rows = self._store.keys_of(sorted(focus))
        counts = self._store.counts(sorted({t for t, _i, _d in key_rows}))
        open_groups = {g for g, n in counts.items() if n <= (ALL_CAP if g[1] == ALL else BUCKET_CAP)}
        buckets: dict[str, list[int]] = {}
        for term, bucket in open_groups:
            if bucket != ALL:
                buckets.setdefault(term, []).append(bucket)
        groups: set[tuple[str, int]] = set()
        reach = range(-(NEIGHBOURHOOD_DAYS // BUCKET_DAYS) - 1, NEIGHBOURHOOD_DAYS // BUCKET_DAYS + 2)
        for term, _i, day in key_rows:
            if day < 0:  # undated (or a fingerprint): it meets every date
                if (term, ALL) in open_groups:
                    groups.add((term, -1))
                    groups.update((term, b) for b in buckets.get(term, ()))
                continue
            here = day // BUCKET_DAYS
            if (term, here) not in open_groups:
                continue
            if (term, ALL) in open_groups:
                groups.add((term, -1))  # its undated holders
            low, high = (day - NEIGHBOURHOOD_DAYS) // BUCKET_DAYS, (day + NEIGHBOURHOOD_DAYS) // BUCKET_DAYS
            for step in reach:
                if low <= here + step <= high and (term, here + step) in open_groups:
                    groups.add((term, here + step))
        rows = self._store.holders(sorted(groups))
        if within is not None:
            rows = [r for r in rows if r[1] in within]
        if not rows:
            return [], [], []
        terms, ids, days = zip(*rows, strict=True)
        id_list = sorted(set(ids))
        id_code = {i: n for n, i in enumerate(id_list)}
        term_code = {t: n for n, t in enumerate(sorted(set(terms)))}
        t = np.fromiter((term_code[x] for x in terms), dtype=np.int64, count=len(rows))
        d = np.asarray(days, dtype=np.int64)
        c = np.fromiter((id_code[x] for x in ids), dtype=np.int64, count=len(rows))
        is_focus = np.zeros(len(id_list), dtype=bool)
        is_focus[[id_code[i] for i in focus if i in id_code]] = True
        copy_terms = np.asarray([term.startswith("=") for term in sorted(term_code)], dtype=bool)
        lo, hi = _pairs(t, d, c, is_focus, copy_terms[t])
        if not len(lo):
            return [], [], []
        a = [id_list[x] for x in lo.tolist()]
        b = [id_list[x] for x in hi.tolist()]
        missing = sorted({*a, *b} - set(vecs))
        if missing:
            vecs.update(self._load(missing))
        dots = self._pair_dots(a, b, vecs)
        positive = dots > 0
        keep = positive.tolist()
        a = [x for x, k in zip(a, keep, strict=True) if k]
        b = [x for x, k in zip(b, keep, strict=True) if k]
        return a, b, dots[positive].tolist()

    def _pair_dots(self, a: Sequence[str], b: Sequence[str], vecs: dict[str, _Vec]) -> np.ndarray:
        """Exact integer dot products of the pairs (a[i], b[i]) (as float64, exact below 2**53)."""
        import numpy as np

        if not len(a):
            return np.zeros(0)
        ids = sorted({*a, *b})
        code = {i: n for n, i in enumerate(ids)}
        csr = self._csr([vecs[i] for i in ids])
        return _dots(csr, np.fromiter((code[x] for x in a), np.int64, len(a)),
                     np.fromiter((code[x] for x in b), np.int64, len(b)))

    # ------------------------------------------------------------------------------- sigma

    def _merge_knn(
        self, a: list[str], b: list[str], dots: list[float], vecs: dict[str, _Vec], fresh: set[str]
    ) -> set[str]:
        """Fold new cosines into nearest-neighbour lists; returns old articles whose sigma changed."""
        offers: dict[str, list[int]] = {}
        for x, y, d in zip(a, b, dots, strict=True):
            offers.setdefault(x, []).append(int(d))
            offers.setdefault(y, []).append(int(d))
        changed: set[str] = set()
        rows = []
        for article_id, new in offers.items():
            vec = vecs[article_id]
            before = _sigma(vec.knn)
            merged = array("q", sorted([*vec.knn, *new], reverse=True)[:NEIGHBOURS])
            if merged != vec.knn:
                vec.knn = merged
                rows.append((merged.tobytes(), article_id))
                if article_id not in fresh and _sigma(merged) != before:
                    changed.add(article_id)
        self._store.set_knn(rows)
        return changed

    def _recompute_knn(
        self, targets: set[str], a: list[str], b: list[str], dots: list[float], vecs: dict[str, _Vec]
    ) -> None:
        offers: dict[str, list[int]] = {t: [] for t in targets}
        for x, y, d in zip(a, b, dots, strict=True):
            for me in (x, y):
                if me in offers:
                    offers[me].append(int(d))
        rows = []
        for article_id, new in offers.items():
            vecs[article_id].knn = array("q", sorted(new, reverse=True)[:NEIGHBOURS])
            rows.append((vecs[article_id].knn.tobytes(), article_id))
        self._store.set_knn(rows)

    def _holders_around(self, flips: list[tuple[str, int]]) -> set[str]:
        """Articles whose candidates change when the (term, bucket) counts of `flips` cross their
        cap: the holders of the term that met (or now meet) an entry in that bucket."""
        if not flips:
            return set()
        counts = self._store.counts(sorted({t for t, _b in flips}))
        flipped = set(flips)

        def met(term: str, bucket: int) -> bool:  # its entries use the term, or just stopped or started to
            cap = ALL_CAP if bucket == ALL else BUCKET_CAP
            return (term, bucket) in flipped or counts.get((term, bucket), 0) <= cap

        groups: set[tuple[str, int]] = set()
        for term, bucket in flips:
            if met(term, ALL):
                groups.add((term, -1))
            if bucket == ALL:  # its undated entries changed: every dated holder met them
                groups.update((t, b) for t, b in counts if t == term and b != ALL and met(t, b))
            else:
                groups.update((term, b) for b in (bucket - 1, bucket, bucket + 1) if met(term, b))
        return {article_id for _t, article_id, _d in self._store.holders(sorted(groups))}

    def _reached(self, a: list[str], b: list[str], dots: list[float], vecs: dict[str, _Vec],
                 ends: set[str]) -> set[str]:
        """Members of the components of `ends` and of their strong partners (whole components)."""
        touched = set(ends)
        for x, y, s in zip(a, b, self._scaled(a, b, dots, vecs).tolist(), strict=True):
            if s >= ANCHOR * _QUANT and (x in ends or y in ends):
                touched.add(x)
                touched.add(y)
        comps = self._store.comps_of(sorted(touched))
        return set(self._store.members(sorted(comps))) | touched

    def _scaled(self, a: Sequence[str], b: Sequence[str], dots: Sequence[float], vecs: dict[str, _Vec]) -> np.ndarray:
        import numpy as np

        root = {i: np.sqrt(_sigma(vecs[i].knn)) for i in {*a, *b}}
        sa = np.fromiter((root[x] for x in a), np.float64, len(a))
        sb = np.fromiter((root[x] for x in b), np.float64, len(b))
        da = np.fromiter((vecs[x].day for x in a), np.int64, len(a))
        db = np.fromiter((vecs[x].day for x in b), np.int64, len(b))
        kind = _kind_agreement(np.fromiter((vecs[x].kind for x in a), np.int64, len(a)),
                               np.fromiter((vecs[x].kind for x in b), np.int64, len(b)))
        return _quantised(np.asarray(dots, dtype=np.float64), sa, sb, da, db, kind)

    # --------------------------------------------------------------------------- clustering

    def _regroup(
        self,
        working: set[str],
        vecs: dict[str, _Vec],
        known: tuple[list[str], list[str], list[float]] | None = None,
        fresh: set[str] = frozenset(),  # type: ignore[assignment]
    ) -> set[str]:
        """Re-cluster the articles of `working` (whole components): components, then linkage.

        `known` are the candidate pairs already computed for the `fresh` articles (every pair with a
        fresh end); only the pairs among the others are looked up again.
        """
        import numpy as np

        if not working:
            return set()
        missing = sorted(working - set(vecs))
        if missing:
            vecs.update(self._load(missing))
        working = {w for w in working if w in vecs}
        before = {w: vecs[w].story for w in working}
        if known is None:
            a, b, dots = self._candidate_dots(working, vecs, within=working)
        else:
            old = working - fresh
            a, b, dots = self._candidate_dots(old, vecs, within=old) if old else ([], [], [])
            for x, y, d in zip(*known, strict=True):
                if x in working and y in working:
                    a.append(x)
                    b.append(y)
                    dots.append(d)
        scaled = self._scaled(a, b, dots, vecs)
        parent = {w: w for w in working}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        strong = scaled >= ANCHOR * _QUANT
        for x, y in zip(np.asarray(a, dtype=object)[strong], np.asarray(b, dtype=object)[strong], strict=True):
            rx, ry = find(x), find(y)
            if rx != ry:
                parent[max(rx, ry)] = min(rx, ry)
        comps: dict[str, list[str]] = {}
        for w in working:
            comps.setdefault(find(w), []).append(w)
        edges: dict[str, list[tuple[str, str, float]]] = {}
        if any(len(m) > DENSE_LIMIT for m in comps.values()):
            for x, y, s in zip(a, b, scaled.tolist(), strict=True):
                edges.setdefault(find(x), []).append((x, y, s))
        rows: list[tuple[str, str, str]] = []
        for root, members in comps.items():
            members.sort(key=lambda m: (vecs[m].day < 0, vecs[m].day, m))
            if len(members) == 1:
                groups = [[0]]
            elif len(members) <= DENSE_LIMIT:
                groups = _average_linkage(self._dense_scaled(members, vecs), THRESHOLD * _QUANT)
            else:
                groups = _sparse_linkage(members, edges.get(root, []), THRESHOLD * _QUANT)
            comp = "c_" + members[0]
            for group in groups:
                ordered = sorted(group)
                story = "s_" + members[ordered[0]]
                for i in ordered:
                    rows.append((comp, story, members[i]))
                    vecs[members[i]].story = story
        self._store.set_groups(rows)
        after: dict[str, set[str]] = {}
        old: dict[str, set[str]] = {}
        for w in working:
            after.setdefault(vecs[w].story or "", set()).add(w)
            if before[w]:
                old.setdefault(before[w], set()).add(w)  # type: ignore[arg-type]
        return {s for s in set(after) | set(old) if after.get(s) != old.get(s)}

    def _dense_scaled(self, members: list[str], vecs: dict[str, _Vec]) -> np.ndarray:
        """Quantised scaled similarity of every pair of `members` (the diagonal is -inf)."""
        import numpy as np

        indptr, cols, weights = self._csr([vecs[m] for m in members])
        cols = np.unique(cols, return_inverse=True)[1].reshape(-1)
        n = len(members)
        rows = np.repeat(np.arange(n), np.diff(indptr))
        counts = np.bincount(cols) if len(cols) else np.zeros(1, np.int64)
        shared = counts[cols] > 1  # a term held by one member adds nothing to any dot product
        column = np.cumsum(counts > 1) - 1
        dense = np.zeros((n, max(int((counts > 1).sum()), 1)), dtype=np.float64)
        dense[rows[shared], column[cols[shared]]] = weights[shared]
        dots = dense @ dense.T  # integer-valued and below 2**53: exact in any summation order
        root = np.sqrt(np.fromiter((_sigma(vecs[m].knn) for m in members), np.float64, n))
        days = np.fromiter((vecs[m].day for m in members), np.int64, n)
        ii, jj = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
        kinds = np.fromiter((vecs[m].kind for m in members), np.int64, n)
        kind = _kind_agreement(kinds[ii.ravel()], kinds[jj.ravel()])
        sim = _quantised(
            dots.ravel(), root[ii.ravel()], root[jj.ravel()], days[ii.ravel()], days[jj.ravel()], kind
        )
        sim = sim.reshape(n, n)
        np.fill_diagonal(sim, -np.inf)
        return sim


def _kind_agreement(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """0 where both articles are clearly about different kinds of event (`_kind`), else 1."""
    import numpy as np

    return np.where((a >= 0) & (b >= 0) & (a != b), 0.0, 1.0)


def _kind(counts: array) -> int:
    """The kind of event an article is clearly about (index into the lexicon), or -1.

    "Clearly": its most named kind has at least KIND_MENTIONS mentions and KIND_SHARE of all its
    event words, so a shooting report that mentions a hospital, or an earthquake report with a
    football match in its sidebar, still counts as one kind.
    """
    total = sum(counts)
    if not total:
        return -1
    top = max(range(len(counts)), key=lambda i: (counts[i], -i))
    return top if counts[top] >= KIND_MENTIONS and counts[top] >= KIND_SHARE * total else -1


def _quantised(
    dots: np.ndarray, sa: np.ndarray, sb: np.ndarray, da: np.ndarray, db: np.ndarray, kind: np.ndarray
) -> np.ndarray:
    """Scaled similarity with the date and event-kind factors, as whole numbers of 1/_QUANT
    (element-wise, so the same pair gets the same value in every code path)."""
    import numpy as np

    scaled = dots / sa / sb
    gap = np.abs(da - db)
    factor = 1.0 - np.minimum(gap, REACH_DAYS) / REACH_DAYS
    copy = dots >= DUPLICATE * WEIGHT_SCALE * WEIGHT_SCALE
    factor = np.where((da < 0) ^ (db < 0), HALF_DATED, factor)
    factor = np.where(((da < 0) & (db < 0)) | copy, 1.0, factor)
    factor = factor * np.where(copy, 1.0, KIND_FLOOR + (1.0 - KIND_FLOOR) * kind)
    return np.floor(scaled * factor * _QUANT)


def _dots(csr: tuple[np.ndarray, np.ndarray, np.ndarray], a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Dot products of rows a[i] and b[i] of a CSR matrix: each (row, term) of the matrix is sorted
    once into one key array, and the terms of the shorter row of each pair are looked up in the
    longer row's keys."""
    import numpy as np

    indptr, cols, weights = csr
    out = np.zeros(len(a), dtype=np.float64)
    if not len(a) or not len(cols):
        return out
    lengths = np.diff(indptr)
    vocab = int(cols.max()) + 1
    keys = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths) * vocab + cols
    order = np.argsort(keys, kind="stable")
    keys, sorted_weights = keys[order], weights[order]
    swap = lengths[a] > lengths[b]
    long_side, short_side = np.where(swap, a, b), np.where(swap, b, a)
    chunk = 50_000
    for start in range(0, len(a), chunk):
        pl, ps = long_side[start : start + chunk], short_side[start : start + chunk]
        ns = lengths[ps]
        entries = _expand(indptr[ps], ns)
        if not len(entries):
            continue
        pair = np.repeat(np.arange(len(ps), dtype=np.int64), ns)
        wanted = pl[pair] * vocab + cols[entries]
        pos = np.searchsorted(keys, wanted)
        pos[pos >= len(keys)] = 0
        hit = keys[pos] == wanted
        products = sorted_weights[pos[hit]] * weights[entries[hit]]
        out[start : start + len(ps)] = np.bincount(pair[hit], weights=products, minlength=len(ps))
    return out


def _expand(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenated ranges start..start+length."""
    import numpy as np

    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return offsets + np.arange(total, dtype=np.int64)


def _pairs(
    term: np.ndarray, day: np.ndarray, doc: np.ndarray, focus: np.ndarray, copy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct document pairs (lo < hi) that share a term within REACH_DAYS (or where either is
    undated; fingerprint rows are stored undated), at least one of them in `focus`."""
    import numpy as np

    order = np.lexsort((doc, day, term))
    term, day, doc, copy = term[order], day[order], doc[order], copy[order]
    group_end = np.searchsorted(term, term, side="right")
    pieces: list[np.ndarray] = []
    n = int(doc.max()) + 1
    # Dated entries meet the later entries of their term up to REACH_DAYS - 1 days on; undated
    # entries (day < 0 sort first in their group) meet every entry of their term.
    span = np.int64(1 << 32)
    combined = term * span + day
    window_end = np.searchsorted(combined, term * span + day + NEIGHBOURHOOD_DAYS, side="right")
    reach_end = np.where(day < 0, group_end, np.minimum(window_end, group_end))
    positions = np.arange(len(term))
    step = 1 << 16
    for start in range(0, len(term), step):
        pos = positions[start : start + step]
        count = np.maximum(reach_end[pos] - pos - 1, 0)
        left = doc[np.repeat(pos, count)]
        right = doc[_expand(pos + 1, count)]
        useful = (left != right) & (focus[left] | focus[right])
        lo, hi = np.minimum(left, right)[useful], np.maximum(left, right)[useful]
        pieces.append(lo * n + hi)
        fingerprint = copy[np.repeat(pos, count)][useful]
        pieces.append(np.repeat(pieces[-1][fingerprint], MIN_SHARED - 1))  # a shared fingerprint suffices
    if not pieces:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    codes, shared = np.unique(np.concatenate(pieces), return_counts=True)
    codes = codes[shared >= MIN_SHARED]
    return codes // n, codes % n


def _average_linkage(sim: np.ndarray, threshold: float) -> list[list[int]]:
    """Merge rows while the best average linkage >= threshold; returns groups of row indices.

    `sim` holds whole numbers, so the running sums are exact and the result does not depend on
    the order of additions; ties go to the lowest index. Keeps each cluster's best partner, so a
    merge costs O(n) plus a rescan of the rows that pointed at the merged pair.
    """
    import numpy as np

    n = sim.shape[0]
    sums = np.where(np.isfinite(sim), sim, 0.0)
    sizes = np.ones(n, dtype=np.float64)
    avg = sim.copy()
    best = avg.argmax(axis=1)
    best_value = avg[np.arange(n), best]
    active = np.ones(n, dtype=bool)
    groups: list[list[int]] = [[k] for k in range(n)]
    while True:
        i = int(np.argmax(best_value))
        if best_value[i] < threshold:
            break
        j = int(best[i])
        i, j = min(i, j), max(i, j)
        sums[i, :] += sums[j, :]
        sums[:, i] = sums[i, :]
        sizes[i] += sizes[j]
        active[j] = False
        groups[i].extend(groups[j])
        groups[j] = []
        row = sums[i, :] / (sizes[i] * sizes)
        row = np.where(active, row, -np.inf)
        row[i] = -np.inf
        avg[i, :] = row
        avg[:, i] = row
        avg[j, :] = -np.inf
        avg[:, j] = -np.inf
        best_value[j] = -np.inf
        stale = active & ((best == i) | (best == j))
        stale[i] = True
        for k in np.flatnonzero(stale):
            best[k] = int(np.argmax(avg[k]))
            best_value[k] = avg[k, best[k]]
        better = active & ~stale & (row > best_value)
        best[better] = i
        best_value[better] = row[better]
    return [g for k, g in enumerate(groups) if active[k]]


def _sparse_linkage(members: list[str], edges: list[tuple[str, str, float]], threshold: float) -> list[list[int]]:
    """Average linkage on the candidate graph of a large component (pairs never compared count 0)."""
    index = {m: i for i, m in enumerate(members)}
    sums: list[dict[int, float]] = [{} for _ in members]
    for x, y, s in edges:
        i, j = index[x], index[y]
        if s > 0 and i != j:
            sums[i][j] = sums[i].get(j, 0.0) + s
            sums[j][i] = sums[i][j]
    sizes = [1.0] * len(members)
    heap = [(-s / 1.0, i, j) for i in range(len(members)) for j, s in sums[i].items() if i < j]
    heapq.heapify(heap)
    alive = [True] * len(members)
    groups = [[i] for i in range(len(members))]
    while heap:
        negative, x, y = heapq.heappop(heap)
        if -negative < threshold:
            break
        if not (alive[x] and alive[y]) or sums[x].get(y, 0.0) / (sizes[x] * sizes[y]) != -negative:
            continue
        x, y = min(x, y), max(x, y)
        alive[y] = False
        groups[x].extend(groups[y])
        groups[y] = []
        sizes[x] += sizes[y]
        for z, s in sums[y].items():
            if z != x:
                sums[z].pop(y, None)
                sums[x][z] = sums[x].get(z, 0.0) + s
                sums[z][x] = sums[x][z]
        sums[x].pop(y, None)
        sums[y] = {}
        for z, s in sums[x].items():
            heapq.heappush(heap, (-s / (sizes[x] * sizes[z]), min(x, z), max(x, z)))
    return [g for i, g in enumerate(groups) if alive[i]]


def cluster_stories(docs: Sequence[StoryDoc]) -> dict[str, list[str]]:
    """One-shot convenience: the stories of `docs` (story id -> article ids)."""
    index = StoryIndex()
    try:
        index.add(docs)
        return index.stories()
    finally:
        index.close()
