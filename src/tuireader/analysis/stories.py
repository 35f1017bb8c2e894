"""Stories: which articles are versions of the same event, kept up to date one article at a time.

How two articles are compared
-----------------------------
Each article becomes a TF-IDF vector over the cheap features of `textfeatures` (content words with
plurals folded, capitalised names counted twice, adjacent-name pairs, numbers, the title counted
again), with sublinear term frequency, keeping its `MAX_TERMS` strongest terms. The raw similarity
of two articles is the cosine of their vectors.

A raw cosine means different things in different places: two reports of the same rehab check-in may
share 0.15 of their weight, while two reports of *different* Microsoft browser patches share 0.4,
because their whole topic is written in one vocabulary. A single global threshold cannot serve both
(on ECB+, whose every topic holds two events of one kind, the best global threshold reaches B-cubed
F1 0.87-0.89). So similarities are read relative to each article's neighbourhood (the "local
scaling" of self-tuning spectral clustering):

    scaled(a, b) = cos(a, b) / sqrt(sigma_a * sigma_b),   sigma = max(SCALE_FLOOR, cos to the
                                                                   NEIGHBOURS-th nearest article)

An article in a crowded topic must be as close to a story as it is to its nearest neighbours; an
article in a quiet corner of the library is judged against the floor, so scaling never lowers the
bar below `THRESHOLD * SCALE_FLOOR` of raw cosine (0.12: still well above unrelated articles).

Dates: scaled similarity is multiplied by a date factor: 1 within `WINDOW_DAYS` of publication,
falling linearly to 0 at `FAR_DAYS`. Two earthquakes a year apart are two stories however much
their words agree; in a small library nothing else could tell them apart (two White House drone
announcements eleven months apart share as much vocabulary as the versions of one of them). The
one exception is a copy: at raw cosine >= `DUPLICATE` (never reached by two different events on
ECB+, whose closest such pair is 0.64) a far date is a republisher's stamp, not another event.
Articles without a date are compared on text alone. Because the factor is pairwise, a story that
runs for weeks is held together by its overlapping days, and a months-long one splits into
episodes, which is what a reader comparing versions of one event wants.

Clustering: average linkage over scaled similarity, stopping at `THRESHOLD`. Average linkage, not
single linkage, because one bridging article (a round-up covering two events) must not chain two
stories together.

Why these numbers: `NEIGHBOURS` (3, 5, 7), `SCALE_FLOOR` (0.15-0.25) and `THRESHOLD` (0.45-0.8)
were swept once on the even-numbered topics of ECB+ (same-kind event pairs: exactly the trap) and
the best kept (5, 0.2, 0.6: B-cubed F1 0.943, tied with 7, 0.25, 0.6); the odd topics are the held-out check (0.932), and
`bench/quality_stories.py` prints both. The plateau is wide: THRESHOLD 0.55-0.7 keeps F1 >= 0.915
on either half. The same features on raw cosine with the best global threshold score 0.87-0.90.
`WINDOW_DAYS` covers the days of follow-ups an event gets; `FAR_DAYS` is a month, after
which a repeat of the same kind of event is the common case (monthly reports, annual events).
`IDF_PRIOR` pretends every term is absent from a hundred unseen documents: in a five-article library
raw IDF would rank each page's boilerplate above the words all versions share.

How it scales and stays incremental
-----------------------------------
One code path serves a one-article add and a 100,000-article import:

- candidates come from an inverted index over each article's `KEY_TERMS` strongest terms (its rare
  names and words). A new article meets the `MAX_POSTING` most recent holders of each of its keys;
  inside a batch, each holder meets the next `BATCH_WINDOW` holders, so a key shared by thousands
  (a long-running story, a common word) costs linear time yet still chains its holders. Each
  article keeps its `MAX_CANDIDATES` candidates sharing the most keys. Up to `SMALL_LIBRARY`
  articles, every pair is a candidate (keys are unreliable while IDF knows little);
- exact cosines are computed, vectorised with numpy, for the candidate pairs only; they also
  update each article's nearest-neighbour list, hence its sigma;
- components of the graph "scaled similarity (with dates) >= THRESHOLD", joined with the stories
  they touch, are the only places average linkage can change anything, so it runs only there:
  exactly, on dense matrices, up to `DENSE_LIMIT` articles; on the sparse candidate graph beyond
  (pairs never compared count as zero, scaled similarities below `SPARSE_FLOOR` too; a new
  article's linkage to an existing story is still exact). Such giants are rare and come from
  pages listing links to many other stories.
- existing stories enter linkage whole: additions can grow or join stories, never split them, and
  a story keeps its id (its earliest article's when formed, the larger story's when two join), so
  unrelated additions rename nothing. Removal re-links the story that lost an article from its
  remaining members, so a story held together by the removed article splits again.
- IDF describes everything the index has seen (removals do not forget it); vectors are re-weighted
  from their stored term counts whenever the library has doubled since the last time (amortised
  O(1) per article; neighbour lists are not recomputed then).
"""

from __future__ import annotations

import datetime as _dt
import heapq
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tuireader.analysis.textfeatures import features

if TYPE_CHECKING:  # numpy is imported lazily: the reader must paint before it loads
    import numpy as np

STORIES_VERSION = "2"  # bump when clustering results or the pickled layout change

MAX_TERMS = 64  # strongest terms kept per article
KEY_TERMS = 8  # of which these are inverted-index keys for candidate lookup
MAX_POSTING = 200  # a new article meets at most this many of a key's most recent holders
BATCH_WINDOW = 20  # in a batch, each holder of a key meets the next this many holders
MAX_CANDIDATES = 20  # candidates kept per article, those sharing most keys first
IDF_PRIOR = 100  # IDF counts this many unseen background documents (tames tiny libraries)
SMALL_LIBRARY = 300  # up to this many articles, every pair is a candidate
NEIGHBOURS = 5  # sigma: raw cosine to this nearest neighbour
SCALE_FLOOR = 0.2
THRESHOLD = 0.6  # average scaled similarity needed to join a story
WINDOW_DAYS = 7
FAR_DAYS = 30
DUPLICATE = 0.8  # raw cosine of a republished copy: its date is not evidence of another event
DENSE_LIMIT = 1000  # components up to this many articles are linked exactly on dense matrices
SPARSE_FLOOR = 0.1  # in larger ones, scaled similarities below this count as zero


@dataclass(frozen=True)
class StoryDoc:
    """What clustering needs of an article: cleaned title and text, date and outlet."""

    id: str
    title: str
    text: str
    published: str | None = None  # ISO date or date-time
    outlet: str | None = None


def _day(published: str | None) -> int:
    """Proleptic ordinal of an ISO date/date-time, or -1 when absent or unreadable."""
    if not published:
        return -1
    try:
        return _dt.date.fromisoformat(str(published).strip()[:10]).toordinal()
    except ValueError:
        return -1


class StoryIndex:
    """Incremental clustering state; picklable (the Library stores it in diskcache).

    Articles live in slots (list positions); a removed article leaves its slot empty until the
    next compaction. Per slot: term ids (sorted), their raw counts and current weights (`array`s,
    compact and cheap to pickle), a date ordinal and the cosines to its nearest neighbours.
    """

    def __init__(self) -> None:
        self._vocab: dict[str, int] = {}
        self._df = array("i")
        self._seen = 0  # documents ever added: the N of IDF
        self._weighted_at = 0  # _seen when all vectors were last re-weighted
        self._ids: list[str | None] = []
        self._slot: dict[str, int] = {}
        self._terms: list[array] = []
        self._counts: list[array] = []
        self._weights: list[array] = []
        self._days = array("i")
        self._knn: list[array] = []
        self._story_of: list[str | None] = []
        self._members: dict[str, set[int]] = {}
        self._postings: dict[int, list[int]] = {}
        self._free = 0  # empty slots, for compaction

    # ----------------------------------------------------------------------------- public API

    def add(self, docs: Sequence[StoryDoc]) -> set[str]:
        """Add (or replace) articles; returns the ids of stories that were created or changed.

        An article whose id is already indexed is replaced (removed, then added again).
        """
        unique: dict[str, StoryDoc] = {}
        for doc in docs:
            unique[doc.id] = doc
        if not unique:
            return set()
        changed: set[str] = set()
        again = [i for i in unique if i in self._slot]
        if again:
            changed |= self.remove(again)
        base = len(self._ids)
        self._insert(list(unique.values()))
        new_slots = list(range(base, len(self._ids)))
        if self._seen >= 2 * self._weighted_at:
            self._postings = {}
            alive = [s for s, i in enumerate(self._ids) if i is not None]
            keys = self._weigh(alive)
            self._weighted_at = self._seen
        else:
            keys = self._weigh(new_slots)
        changed |= self._cluster(base, keys)
        return changed

    def remove(self, ids: Iterable[str]) -> set[str]:
        """Remove articles; returns the ids of stories that changed (including ones now gone).

        A story that lost members is re-linked from its remaining articles, so one that was held
        together by the removed article falls apart again.
        """
        touched: set[str] = set()
        for article_id in ids:
            slot = self._slot.pop(article_id, None)
            if slot is None:
                continue
            story = self._story_of[slot]
            if story is not None:
                self._members[story].discard(slot)
                touched.add(story)
            self._ids[slot] = None
            self._story_of[slot] = None
            self._terms[slot] = array("i")
            self._counts[slot] = self._weights[slot] = self._knn[slot] = array("f")
            self._free += 1
        changed = set(touched)
        for story in touched:
            members = self._members[story]
            if not members:
                del self._members[story]
            elif len(members) > 1:
                changed |= self._relink(story)
        if self._free > 1000 and self._free > len(self._ids) // 2:
            self._compact()
        return changed

    def story_of(self, article_id: str) -> str | None:
        slot = self._slot.get(article_id)
        return None if slot is None else self._story_of[slot]

    def stories(self) -> dict[str, list[str]]:
        """Story id -> article ids (each list in date order, undated last, then by id)."""
        result: dict[str, list[str]] = {}
        for story, members in self._members.items():
            ordered = sorted(members, key=self._order_key)
            result[story] = [self._ids[s] for s in ordered]  # type: ignore[misc]
        return result

    def __len__(self) -> int:
        return len(self._slot)

    # ----------------------------------------------------------------------------- pickling

    _PACKED = (("_terms", "i"), ("_counts", "f"), ("_weights", "f"), ("_knn", "f"))

    def __getstate__(self) -> dict[str, object]:
        """Per-article arrays and postings packed into a few flat buffers: a 100,000-article
        index pickles and loads several times faster than as hundreds of thousands of objects."""
        state = dict(self.__dict__)
        for name, _code in self._PACKED:
            arrays = state.pop(name)
            state[name] = (array("i", map(len, arrays)), b"".join(a.tobytes() for a in arrays))
        postings = state.pop("_postings")
        state["_postings"] = (
            array("i", postings.keys()),
            array("i", map(len, postings.values())),
            array("i", (s for posting in postings.values() for s in posting)),
        )
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        for name, code in self._PACKED:
            lengths, blob = state.pop(name)  # type: ignore[misc]
            view = memoryview(blob)
            arrays: list[array] = []
            offset = 0
            for length in lengths:
                piece = array(code)
                piece.frombytes(view[offset : offset + 4 * length])
                offset += 4 * length
                arrays.append(piece)
            state[name] = arrays
        keys, lengths, flat = state.pop("_postings")  # type: ignore[misc]
        postings: dict[int, list[int]] = {}
        offset = 0
        flat_list = flat.tolist()
        for key, length in zip(keys, lengths, strict=True):
            postings[key] = flat_list[offset : offset + length]
            offset += length
        state["_postings"] = postings
        self.__dict__.update(state)

    # ------------------------------------------------------------------------------ vectors

    def _insert(self, docs: list[StoryDoc]) -> None:
        """Append slots for `docs` with their term counts; count their terms into DF."""
        vocab = self._vocab
        df = self._df
        for doc in docs:
            bag = features(doc.title or "", doc.text or "")
            ids = array("i")
            for term in bag:
                tid = vocab.get(term)
                if tid is None:
                    tid = len(vocab)
                    vocab[term] = tid
                    df.append(0)
                df[tid] += 1
                ids.append(tid)
            self._seen += 1
            self._slot[doc.id] = len(self._ids)
            self._ids.append(doc.id)
            self._terms.append(ids)
            self._counts.append(array("f", bag.values()))
            self._weights.append(array("f"))
            self._days.append(_day(doc.published))
            self._knn.append(array("f"))
            self._story_of.append(None)

    def _weigh(self, slots: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """TF-IDF vectors of `slots` with today's IDF, cut to their MAX_TERMS strongest terms.

        Returns each article's KEY_TERMS strongest terms as (slot, term) arrays, for `_candidates`
        to look up and register. Works in chunks to bound memory.
        """
        import numpy as np

        parts = [self._weigh_chunk(slots[i : i + 8192]) for i in range(0, len(slots), 8192)]
        if not parts:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def _weigh_chunk(self, slots: list[int]) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        slot_arr = np.asarray(slots, dtype=np.int64)
        lengths = np.fromiter((len(self._terms[s]) for s in slots), dtype=np.int64, count=len(slots))
        owner = np.repeat(np.arange(len(slots)), lengths)
        terms = np.concatenate(
            [np.frombuffer(self._terms[s], dtype=np.int32) for s in slots] + [np.zeros(0, np.int32)]
        )
        counts = np.concatenate(
            [np.frombuffer(self._counts[s], dtype=np.float32) for s in slots] + [np.zeros(0, np.float32)]
        )
        df = np.frombuffer(self._df, dtype=np.int32)[terms].astype(np.float64)
        idf = np.log((self._seen + IDF_PRIOR + 1) / (df + 1)) + 1.0
        weights = (1.0 + np.log(np.maximum(counts, 1.0))) * idf
        order = np.lexsort((-weights, owner))
        owner, terms, counts, weights = owner[order], terms[order], counts[order], weights[order]
        first = np.searchsorted(owner, owner, side="left")
        rank = np.arange(len(owner)) - first
        keep = rank < MAX_TERMS
        key = rank < KEY_TERMS
        key_slots, key_terms = slot_arr[owner[key]], terms[key].astype(np.int64)
        owner, terms, counts, weights = owner[keep], terms[keep], counts[keep], weights[keep]
        norms = np.sqrt(np.bincount(owner, weights=weights * weights, minlength=len(slots)))
        weights = weights / np.where(norms > 0, norms, 1.0)[owner]
        order = np.lexsort((terms, owner))
        owner, terms, counts, weights = owner[order], terms[order], counts[order], weights[order]
        bounds = np.searchsorted(owner, np.arange(len(slots) + 1))
        terms_b = terms.astype(np.int32).tobytes()
        counts_b = counts.astype(np.float32).tobytes()
        weights_b = weights.astype(np.float32).tobytes()
        for k, s in enumerate(slots):
            lo, hi = int(bounds[k]) * 4, int(bounds[k + 1]) * 4
            t, c, w = array("i"), array("f"), array("f")
            t.frombytes(terms_b[lo:hi])
            c.frombytes(counts_b[lo:hi])
            w.frombytes(weights_b[lo:hi])
            self._terms[s], self._counts[s], self._weights[s] = t, c, w
        return key_slots, key_terms

    def _order_key(self, slot: int) -> tuple[int, str]:
        day = self._days[slot]
        return (day if day >= 0 else 10**9, self._ids[slot] or "")

    # ---------------------------------------------------------------------------- similarity

    def _csr(self, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """indptr, term ids and weights of `slots`' vectors, in that order."""
        import numpy as np

        lengths = np.fromiter((len(self._terms[s]) for s in slots), dtype=np.int64, count=len(slots))
        indptr = np.zeros(len(slots) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        terms = np.concatenate(
            [np.frombuffer(self._terms[s], dtype=np.int32) for s in slots] + [np.zeros(0, np.int32)]
        )
        weights = np.concatenate(
            [np.frombuffer(self._weights[s], dtype=np.float32) for s in slots] + [np.zeros(0, np.float32)]
        )
        return indptr, terms.astype(np.int64), weights

    def _pair_cosines(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Cosines of the pairs (a[i], b[i]), vectorised: matching (pair, term) keys by sorting."""
        import numpy as np

        out = np.zeros(len(a), dtype=np.float32)
        if not len(a):
            return out
        uniq, inverse = np.unique(np.concatenate([a, b]), return_inverse=True)
        indptr, terms, weights = self._csr(uniq)
        lengths = np.diff(indptr)
        ia, ib = inverse[: len(a)], inverse[len(a) :]
        vocab = max(len(self._vocab), 1)
        chunk = 20_000
        for start in range(0, len(a), chunk):
            pa, pb = ia[start : start + chunk], ib[start : start + chunk]
            na, nb = lengths[pa], lengths[pb]
            ea = _expand(indptr[pa], na)
            eb = _expand(indptr[pb], nb)
            if not len(ea) or not len(eb):
                continue
            pair_a = np.repeat(np.arange(len(pa), dtype=np.int64), na)
            pair_b = np.repeat(np.arange(len(pb), dtype=np.int64), nb)
            key_a = pair_a * vocab + terms[ea]
            key_b = pair_b * vocab + terms[eb]
            pos = np.searchsorted(key_a, key_b)
            pos[pos >= len(key_a)] = 0
            hit = key_a[pos] == key_b
            products = weights[ea[pos[hit]]] * weights[eb[hit]]
            out[start : start + len(pa)] = np.bincount(pair_b[hit], weights=products, minlength=len(pa))
        return out

    def _dense_cosines(self, slots: np.ndarray) -> np.ndarray:
        """All pairwise cosines of `slots` as a dense matrix (terms held by one article dropped)."""
        import numpy as np

        indptr, terms, weights = self._csr(slots)
        m = len(slots)
        if not len(terms):
            return np.zeros((m, m), dtype=np.float32)
        rows = np.repeat(np.arange(m), np.diff(indptr))
        _uniq, local, counts = np.unique(terms, return_inverse=True, return_counts=True)
        shared = counts[local] > 1
        column = np.cumsum(counts > 1) - 1
        dense = np.zeros((m, max(int((counts > 1).sum()), 1)), dtype=np.float32)
        dense[rows[shared], column[local[shared]]] = weights[shared]
        return dense @ dense.T

    def _sigmas(self, slots: Iterable[int]) -> np.ndarray:
        import numpy as np

        knn = self._knn
        return np.fromiter(
            (
                max(SCALE_FLOOR, knn[s][NEIGHBOURS - 1]) if len(knn[s]) >= NEIGHBOURS else SCALE_FLOOR
                for s in slots
            ),
            dtype=np.float32,
        )

    def _scaled_pairs(self, a: np.ndarray, b: np.ndarray, cos: np.ndarray, dated: bool = True) -> np.ndarray:
        """Scaled similarity of pairs; with `dated`, times the date factor of the two articles."""
        import numpy as np

        sigma = self._sigmas(np.concatenate([a, b]).tolist())
        scaled = cos / np.sqrt(sigma[: len(a)] * sigma[len(a) :])
        if dated:
            days = np.asarray(self._days, dtype=np.int64)
            da, db = days[a], days[b]
            scaled = scaled * _date_factor(np.where((da < 0) | (db < 0), -1, np.abs(da - db)))
        return scaled

    def _scaled_matrix(self, slot_arr: np.ndarray) -> np.ndarray:
        import numpy as np

        cos = self._dense_cosines(slot_arr)
        root = np.sqrt(self._sigmas(slot_arr.tolist()))
        return cos / root[:, None] / root[None, :]

    def _adopt_copies(self, a: np.ndarray, b: np.ndarray, cos: np.ndarray) -> None:
        """A near-copy dated far from its original takes the original's date (a republisher's stamp)."""
        days = self._days
        for x, y in zip(a[cos >= DUPLICATE].tolist(), b[cos >= DUPLICATE].tolist(), strict=True):
            dx, dy = days[x], days[y]
            if dx >= 0 and dy >= 0 and abs(dx - dy) > WINDOW_DAYS:
                days[x if dx > dy else y] = min(dx, dy)

    # ---------------------------------------------------------------------------- clustering

    def _candidates(
        self, base: int, key_slots: np.ndarray, key_terms: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Pairs (a, b), a < b, at least one new (slot >= base), that share key terms.

        Each article keeps the pairs ranked within its MAX_CANDIDATES by shared keys. Registers the
        new keys in the postings.
        """
        import numpy as np

        if len(self._slot) <= SMALL_LIBRARY:
            for s, t in zip(key_slots.tolist(), key_terms.tolist(), strict=True):
                self._postings.setdefault(t, []).append(s)
            alive = np.asarray([s for s, i in enumerate(self._ids) if i is not None], dtype=np.int64)
            a, b = np.meshgrid(alive, alive, indexing="ij")
            pick = (a < b) & (b >= base)
            return a[pick], b[pick]
        new = key_slots >= base
        new_slots, new_terms = key_slots[new], key_terms[new]
        old_slots, old_terms = key_slots[~new], key_terms[~new]
        postings = self._postings
        # Existing holders of the new articles' keys (most recent first), then register new keys.
        extra_slots: list[np.ndarray] = []
        extra_terms: list[np.ndarray] = []
        ids = self._ids
        for t in np.unique(new_terms).tolist():
            posting = postings.get(t)
            if posting:
                recent = [s for s in posting[-MAX_POSTING:] if ids[s] is not None and s < base]
                if recent:
                    extra_slots.append(np.asarray(recent, dtype=np.int64))
                    extra_terms.append(np.full(len(recent), t, dtype=np.int64))
        for s, t in zip(key_slots.tolist(), key_terms.tolist(), strict=True):
            postings.setdefault(t, []).append(s)
        slots = np.concatenate([new_slots, old_slots, *extra_slots])
        terms = np.concatenate([new_terms, old_terms, *extra_terms])
        # Entries grouped by term, slots ascending; each meets the next BATCH_WINDOW of its group,
        # so a key held by thousands (a long-running story, a common word) costs linear time.
        order = np.lexsort((slots, terms))
        slots, terms = slots[order], terms[order]
        group_end = np.searchsorted(terms, terms, side="right")
        n = max(len(self._ids), 1)
        pieces: list[np.ndarray] = []
        step = 1 << 16  # entries per piece: bounds the memory of the pair arrays
        for start in range(0, len(terms), step):
            position = np.arange(start, min(start + step, len(terms)))
            reach = np.minimum(group_end[position] - position - 1, BATCH_WINDOW)
            a = slots[np.repeat(position, reach)]
            b = slots[_expand(position + 1, reach)]
            useful = b >= base  # b > a within a group: the pair involves a new article
            pieces.append(a[useful] * n + b[useful])
            del a, b, useful
        codes, shared = np.unique(np.concatenate(pieces), return_counts=True)
        del pieces
        lo, hi = (codes // n).astype(np.int32), (codes % n).astype(np.int32)
        del codes
        fewer = -shared.astype(np.int16)
        keep = np.zeros(len(lo), dtype=bool)
        for end in (lo, hi):
            order = np.lexsort((fewer, end))
            ranked = end[order]
            rank = np.arange(len(order), dtype=np.int64) - np.searchsorted(ranked, ranked, side="left")
            keep[order[rank < MAX_CANDIDATES]] = True
            del order, ranked, rank
        return lo[keep].astype(np.int64), hi[keep].astype(np.int64)

    def _update_knn(self, a: np.ndarray, b: np.ndarray, cos: np.ndarray) -> None:
        """Merge newly computed cosines into each article's nearest-neighbour list."""
        import numpy as np

        if not len(a):
            return
        ends = np.concatenate([a, b])
        sims = np.concatenate([cos, cos])
        order = np.lexsort((-sims, ends))
        ends, sims = ends[order], sims[order]
        rank = np.arange(len(ends)) - np.searchsorted(ends, ends, side="left")
        top = rank < NEIGHBOURS
        ends, sims = ends[top].tolist(), sims[top].tolist()
        knn = self._knn
        start = 0
        while start < len(ends):
            slot = ends[start]
            stop = start + 1
            while stop < len(ends) and ends[stop] == slot:
                stop += 1
            current = knn[slot]
            merged = (
                sorted([*current, *sims[start:stop]], reverse=True)[:NEIGHBOURS]
                if current
                else sims[start:stop]
            )
            knn[slot] = array("f", merged)
            start = stop

    def _cluster(self, base: int, keys: tuple[np.ndarray, np.ndarray]) -> set[str]:
        """Place the articles of slots >= base: join, found or merge stories (see module doc)."""
        a, b = self._candidates(base, *keys)
        cos = self._pair_cosines(a, b)
        positive = cos > 0
        a, b, cos = a[positive], b[positive], cos[positive]
        self._update_knn(a, b, cos)
        self._adopt_copies(a, b, cos)
        scaled = self._scaled_pairs(a, b, cos)
        strong = scaled >= THRESHOLD
        # Components: new articles, their strong edges, and the existing stories they reach (whole).
        parent = list(range(len(self._ids)))

        def find(x: int) -> int:
            root = x
            while parent[root] != root:
                root = parent[root]
            while parent[x] != root:
                parent[x], x = root, parent[x]
            return root

        joined: set[str] = set()
        for x, y in zip(a[strong].tolist(), b[strong].tolist(), strict=True):
            for end in (x, y):
                story = self._story_of[end]
                if story is not None and story not in joined:
                    joined.add(story)
                    members = iter(self._members[story])
                    anchor = find(next(members))
                    for m in members:
                        parent[find(m)] = anchor
            rx, ry = find(x), find(y)
            if rx != ry:
                parent[max(rx, ry)] = min(rx, ry)
        groups: dict[int, list[int]] = {}
        for slot in range(base, len(self._ids)):
            groups.setdefault(find(slot), [])
        for story in joined:
            groups.setdefault(find(next(iter(self._members[story]))), [])
        for slot in range(base, len(self._ids)):
            groups[find(slot)].append(slot)
        for story in joined:
            groups[find(next(iter(self._members[story])))].extend(self._members[story])
        edges = (a, b, scaled)
        changed: set[str] = set()
        for members in groups.values():
            changed |= self._link(sorted(members), edges)
        return changed

    def _link(self, slots: list[int], edges: tuple[np.ndarray, np.ndarray, np.ndarray]) -> set[str]:
        """Average linkage inside one component; existing stories enter whole, new articles alone."""
        import numpy as np

        units: list[list[int]] = []
        unit_story: list[str | None] = []
        story_unit: dict[str, int] = {}
        for i, s in enumerate(slots):
            story = self._story_of[s]
            if story is None:
                units.append([i])
                unit_story.append(None)
            elif story in story_unit:
                units[story_unit[story]].append(i)
            else:
                story_unit[story] = len(units)
                units.append([i])
                unit_story.append(story)
        if len(units) == 1:
            if unit_story[0] is None:
                return {self._found(slots)}
            return set()
        slot_arr = np.asarray(slots, dtype=np.int64)
        if len(slots) <= DENSE_LIMIT:
            days = np.asarray(self._days, dtype=np.int64)[slot_arr]
            groups = _average_linkage(self._scaled_matrix(slot_arr), units, THRESHOLD, days)
        else:
            groups = self._sparse_linkage(slot_arr, units, unit_story, edges)
        changed: set[str] = set()
        for group in groups:
            stories = [unit_story[u] for u in group if unit_story[u] is not None]
            fresh = [slots[i] for u in group if unit_story[u] is None for i in units[u]]
            if not stories:
                changed.add(self._found(fresh))
                continue
            keep: str = min(stories, key=lambda st: (-len(self._members[st]), st))  # type: ignore[arg-type,index]
            for other in stories:
                if other != keep:
                    for m in self._members.pop(other):  # type: ignore[arg-type]
                        self._story_of[m] = keep
                        self._members[keep].add(m)
                    changed.add(other)  # type: ignore[arg-type]
            if fresh or len(stories) > 1:
                for m in fresh:
                    self._story_of[m] = keep
                    self._members[keep].add(m)
                changed.add(keep)
        return changed

    def _sparse_linkage(
        self,
        slot_arr: np.ndarray,
        units: list[list[int]],
        unit_story: list[str | None],
        edges: tuple[np.ndarray, np.ndarray, np.ndarray],
    ) -> list[list[int]]:
        """Average linkage on the candidate graph of a large component (rare: long chains of
        overlapping coverage, or pages full of links to other stories).

        Pairs that were never candidates count as zero, except between a new article and an
        existing story, whose average is computed over all its members, exactly.
        """
        import numpy as np

        unit_of = np.full(len(self._ids), -1, dtype=np.int64)
        for u, rows in enumerate(units):
            unit_of[slot_arr[rows]] = u
        a, b, scaled = edges
        inside = (unit_of[a] >= 0) & (unit_of[b] >= 0)
        ua, ub, values = unit_of[a[inside]], unit_of[b[inside]], scaled[inside]
        story_end = np.asarray([unit_story[u] is not None for u in range(len(units))], dtype=bool)
        sizes = [float(len(rows)) for rows in units]
        sums: list[dict[int, float]] = [{} for _ in units]
        # New article - existing story: exact sums over every member.
        mixed = story_end[ua] ^ story_end[ub]
        doc_unit = np.where(story_end[ua], ub, ua)[mixed]
        story_u = np.where(story_end[ua], ua, ub)[mixed]
        pairs = sorted(set(zip(doc_unit.tolist(), story_u.tolist(), strict=True)))
        if pairs:
            left: list[int] = []
            right: list[int] = []
            for d, st in pairs:
                doc_slot = int(slot_arr[units[d][0]])
                for row in units[st]:
                    left.append(doc_slot)
                    right.append(int(slot_arr[row]))
            la, ra = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
            exact = self._scaled_pairs(la, ra, self._pair_cosines(la, ra), dated=False)
            pos = 0
            for d, st in pairs:
                n = len(units[st])
                total = float(exact[pos : pos + n].sum())
                pos += n
                sums[d][st] = sums[st][d] = total
        keep = ~mixed & (values >= SPARSE_FLOOR) & (ua != ub)
        for x, y, v in zip(ua[keep].tolist(), ub[keep].tolist(), values[keep].tolist(), strict=True):
            sums[x][y] = sums[x].get(y, 0.0) + v
            sums[y][x] = sums[y].get(x, 0.0) + v
        first_days, last_days = _unit_days(units, np.asarray(self._days, dtype=np.int64)[slot_arr])
        first, last = first_days.tolist(), last_days.tolist()
        span = FAR_DAYS - WINDOW_DAYS

        def linkage(x: int, y: int) -> float:
            value = sums[x].get(y, 0.0) / (sizes[x] * sizes[y])
            if first[x] >= 0 and first[y] >= 0:
                gap = max(0, first[y] - last[x], first[x] - last[y])
                value *= 1.0 - min(max((gap - WINDOW_DAYS) / span, 0.0), 1.0)
            return value

        heap = [(-linkage(x, y), x, y) for x in range(len(units)) for y in sums[x] if x < y]
        heapq.heapify(heap)
        alive = [True] * len(units)
        groups = [[u] for u in range(len(units))]
        while heap:
            negative, x, y = heapq.heappop(heap)
            if -negative < THRESHOLD:
                break
            if not (alive[x] and alive[y]):
                continue
            current = linkage(x, y)
            if abs(current + negative) > 1e-9:
                continue  # stale entry; the fresh one is in the heap
            if len(sums[x]) < len(sums[y]):
                x, y = y, x
            alive[y] = False
            groups[x].extend(groups[y])
            groups[y] = []
            sizes[x] += sizes[y]
            if first[y] >= 0:
                first[x] = first[y] if first[x] < 0 else min(first[x], first[y])
                last[x] = max(last[x], last[y])
            for z, s in sums[y].items():
                if z == x:
                    continue
                sums[z].pop(y, None)
                sums[x][z] = sums[x].get(z, 0.0) + s
                sums[z][x] = sums[x][z]
            sums[x].pop(y, None)
            sums[y] = {}
            for z in sums[x]:
                heapq.heappush(heap, (-linkage(x, z), min(x, z), max(x, z)))
        return [g for u, g in enumerate(groups) if alive[u]]

    def _found(self, slots: list[int]) -> str:
        """A new story of `slots`, named after its earliest article."""
        first = min(slots, key=self._order_key)
        story = "s_" + (self._ids[first] or "")
        while story in self._members:
            story += "+"
        self._members[story] = set(slots)
        for s in slots:
            self._story_of[s] = story
        return story

    def _relink(self, story: str) -> set[str]:
        """Re-run average linkage on a story's remaining articles; split it if they fall apart."""
        import numpy as np

        members = sorted(self._members[story], key=self._order_key)
        member_arr = np.asarray(members, dtype=np.int64)
        days = np.asarray(self._days, dtype=np.int64)[member_arr]
        groups = _average_linkage(
            self._scaled_matrix(member_arr), [[i] for i in range(len(members))], THRESHOLD, days
        )
        if len(groups) == 1:
            return {story}
        rows = sorted(groups, key=lambda g: (-len(g), min(g)))
        self._members[story] = {members[i] for i in rows[0]}
        changed = {story}
        for group in rows[1:]:
            changed.add(self._found([members[i] for i in group]))
        return changed

    def _compact(self) -> None:
        """Drop empty slots (renumbering the rest) so that a long-lived index does not grow."""
        alive = [s for s, i in enumerate(self._ids) if i is not None]
        renumber = {old: new for new, old in enumerate(alive)}
        self._ids = [self._ids[s] for s in alive]
        self._slot = {i: n for n, i in enumerate(self._ids)}  # type: ignore[misc]
        self._terms = [self._terms[s] for s in alive]
        self._counts = [self._counts[s] for s in alive]
        self._weights = [self._weights[s] for s in alive]
        self._days = array("i", (self._days[s] for s in alive))
        self._knn = [self._knn[s] for s in alive]
        self._story_of = [self._story_of[s] for s in alive]
        self._members = {st: {renumber[m] for m in ms} for st, ms in self._members.items()}
        self._postings = {
            t: [renumber[s] for s in posting if s in renumber] for t, posting in self._postings.items()
        }
        self._free = 0


def _expand(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenated ranges start..start+length (the entries of the rows of a CSR matrix)."""
    import numpy as np

    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return offsets + np.arange(total, dtype=np.int64)


def _date_factor(gap: np.ndarray) -> np.ndarray:
    """1 up to WINDOW_DAYS apart, falling linearly to 0 at FAR_DAYS; 1 where the gap is unknown (< 0)."""
    import numpy as np

    factor = 1.0 - np.clip((gap - WINDOW_DAYS) / (FAR_DAYS - WINDOW_DAYS), 0.0, 1.0)
    return np.where(gap < 0, 1.0, factor)


def _unit_days(units: list[list[int]], days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last publication day of each unit's dated rows (-1 when none is dated)."""
    import numpy as np

    first = np.full(len(units), -1, dtype=np.int64)
    last = np.full(len(units), -1, dtype=np.int64)
    for k, rows in enumerate(units):
        dated = days[rows]
        dated = dated[dated >= 0]
        if len(dated):
            first[k], last[k] = dated.min(), dated.max()
    return first, last


def _range_gap(first: np.ndarray, last: np.ndarray, i: int | np.ndarray, k: int | np.ndarray) -> np.ndarray:
    """Days between the date ranges of units i and k (0 when they overlap; -1 when one is undated)."""
    import numpy as np

    gap = np.maximum(0, np.maximum(first[k] - last[i], first[i] - last[k]))
    return np.where((first[i] < 0) | (first[k] < 0), -1, gap)


def _average_linkage(
    sim: np.ndarray, units: list[list[int]], threshold: float, days: np.ndarray
) -> list[list[int]]:
    """Merge units (lists of row indices) while the best linkage >= threshold.

    Linkage of two units: their average pairwise similarity times the date factor of their date
    ranges (so an undated article in a dated story carries the story's dates). Returns groups of
    unit indices. Keeps unit-by-unit sums and each unit's best partner, so a merge costs O(units)
    plus a rescan of the rows that pointed at the merged pair.
    """
    import numpy as np

    u = len(units)
    if u == 1:
        return [[0]]
    member = np.zeros((sim.shape[0], u), dtype=np.float32)
    for k, rows in enumerate(units):
        member[rows, k] = 1.0
    sums = (member.T @ sim.astype(np.float32) @ member).astype(np.float64)
    sizes = member.sum(axis=0).astype(np.float64)
    first, last = _unit_days(units, days)
    everyone = np.arange(u)
    avg = (
        sums
        / np.outer(sizes, sizes)
        * _date_factor(_range_gap(first, last, everyone[:, None], everyone[None, :]))
    )
    np.fill_diagonal(avg, -np.inf)
    best = avg.argmax(axis=1)
    best_value = avg[everyone, best]
    active = np.ones(u, dtype=bool)
    groups: list[list[int]] = [[k] for k in range(u)]
    while True:
        i = int(np.argmax(best_value))
        if best_value[i] < threshold:
            break
        j = int(best[i])
        i, j = min(i, j), max(i, j)
        sums[i, :] += sums[j, :]
        sums[:, i] = sums[i, :]
        sizes[i] += sizes[j]
        if first[j] >= 0:
            first[i] = first[j] if first[i] < 0 else min(first[i], first[j])
            last[i] = max(last[i], last[j])
        active[j] = False
        groups[i].extend(groups[j])
        groups[j] = []
        row = sums[i, :] / (sizes[i] * sizes) * _date_factor(_range_gap(first, last, i, everyone))
        row = np.where(active, row, -np.inf)
        row[i] = -np.inf
        avg[i, :] = row
        avg[:, i] = row
        avg[j, :] = -np.inf
        avg[:, j] = -np.inf
        best_value[j] = -np.inf
        # Rows whose best partner was i or j must rescan; others only compare with the new row i.
        stale = active & ((best == i) | (best == j))
        stale[i] = True
        for k in np.flatnonzero(stale):
            best[k] = int(np.argmax(avg[k]))
            best_value[k] = avg[k, best[k]]
        better = active & ~stale & (row > best_value)
        best[better] = i
        best_value[better] = row[better]
    return [g for k, g in enumerate(groups) if active[k]]


def cluster_stories(docs: Sequence[StoryDoc]) -> dict[str, list[str]]:
    """One-shot convenience: the stories of `docs` (story id -> article ids)."""
    index = StoryIndex()
    index.add(docs)
    return index.stories()
