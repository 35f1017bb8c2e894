"""The story index's rows: one per article, plus its key terms, in SQLite.

What `analysis.stories.StoryIndex` needs to place a new article without looking at the others:
each article's vector (terms and integer weights), its publication day, the cosines to its nearest
neighbours (its local scale), the component of the similarity graph it sits in and its story; an
inverted index from key terms to the articles holding them, with their days and date buckets, to
find candidates; and how many articles hold each key term in each date bucket (and in all), which
is what the candidate cap of `analysis.stories` reads.

Rows, not one pickled object: adding an article reads and writes a few dozen rows (milliseconds in a
100,000-article library) where a pickle had to be loaded and saved whole (about 3 s), and a crash
loses nothing that was committed. An in-memory database (`path=None`) serves one-shot clustering.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

_BATCH = 500  # ids or terms per IN (...) query: well under SQLite's variable limit

DocRow = tuple[str, int, str, bytes, bytes, bytes]  # id, day, terms ("\x1f"-joined), weights, kinds, knn
KeyRow = tuple[str, str, int, int]  # term, id, day, bucket (-1: undated)
ALL = -1  # the bucket of `counts` that counts every holder of a term, dated or not


class StoryStore:
    """SQLite rows of the story index; `version` is the clustering's, and a change empties the store."""

    def __init__(self, path: Path | None, version: str) -> None:
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False, isolation_level=None)
        if path is not None:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        found = self._db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        self.reset = found is None or found[0] != version  # opened empty (new, or another version's rows dropped)
        if self.reset:
            self._db.execute("DROP TABLE IF EXISTS docs")
            self._db.execute("DROP TABLE IF EXISTS keys")
            self._db.execute("DROP TABLE IF EXISTS key_counts")
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (version,))
        self._db.execute(
            """CREATE TABLE IF NOT EXISTS docs (
                 id TEXT PRIMARY KEY, day INTEGER NOT NULL, terms TEXT NOT NULL, weights BLOB NOT NULL,
                 kinds BLOB NOT NULL, knn BLOB NOT NULL, comp TEXT, story TEXT)"""
        )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS keys (term TEXT NOT NULL, id TEXT NOT NULL, day INTEGER NOT NULL,"
            " bucket INTEGER NOT NULL)"
        )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS key_counts (term TEXT NOT NULL, bucket INTEGER NOT NULL, n INTEGER NOT NULL,"
            " PRIMARY KEY (term, bucket)) WITHOUT ROWID"
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS keys_term ON keys(term, bucket, day)")
        self._db.execute("CREATE INDEX IF NOT EXISTS keys_id ON keys(id)")
        self._db.execute("CREATE INDEX IF NOT EXISTS docs_comp ON docs(comp)")
        self._db.execute("CREATE INDEX IF NOT EXISTS docs_story ON docs(story)")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One change of the index, committed whole or not at all."""
        with self._lock:
            self._db.execute("BEGIN")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # --- writing ----------------------------------------------------------------------------------
    def put(self, docs: Sequence[DocRow], keys: Sequence[KeyRow]) -> None:
        """Insert articles (id, day, terms, weights, kinds, knn) and their (term, id, day, bucket)
        key rows, counting each row in its term's bucket (dated rows) and in its term's ALL."""
        with self._lock:
            self._db.executemany(
                "INSERT INTO docs (id, day, terms, weights, kinds, knn) VALUES (?, ?, ?, ?, ?, ?)", docs
            )
            self._db.executemany("INSERT INTO keys VALUES (?, ?, ?, ?)", keys)
            self._bump(keys, 1)

    def delete(self, ids: Sequence[str]) -> None:
        """Remove articles, their key rows and their share of the key counts."""
        with self._lock:
            for part in _chunks(ids):
                marks = ",".join("?" * len(part))
                keys = self._db.execute(f"SELECT term, id, day, bucket FROM keys WHERE id IN ({marks})", part).fetchall()
                self._bump(keys, -1)
                self._db.execute(f"DELETE FROM docs WHERE id IN ({marks})", part)
                self._db.execute(f"DELETE FROM keys WHERE id IN ({marks})", part)
            self._db.execute("DELETE FROM key_counts WHERE n <= 0")

    def _bump(self, keys: Iterable[KeyRow], sign: int) -> None:
        deltas: dict[tuple[str, int], int] = {}
        for term, _id, _day, bucket in keys:
            if bucket >= 0:
                deltas[(term, bucket)] = deltas.get((term, bucket), 0) + sign
            deltas[(term, ALL)] = deltas.get((term, ALL), 0) + sign
        self._db.executemany(
            "INSERT INTO key_counts VALUES (?, ?, ?) ON CONFLICT (term, bucket) DO UPDATE SET n = n + excluded.n",
            [(t, b, n) for (t, b), n in deltas.items()],
        )

    def set_knn(self, rows: Iterable[tuple[bytes, str]]) -> None:
        with self._lock:
            self._db.executemany("UPDATE docs SET knn = ? WHERE id = ?", rows)

    def set_groups(self, rows: Iterable[tuple[str, str, str]]) -> None:
        """(comp, story, id) rows: the component and story each article now belongs to."""
        with self._lock:
            self._db.executemany("UPDATE docs SET comp = ?, story = ? WHERE id = ?", rows)

    # --- reading ----------------------------------------------------------------------------------
    def docs(self, ids: Sequence[str]) -> list[tuple[str, int, str, bytes, bytes, bytes, str | None]]:
        """(id, day, terms, weights, kinds, knn, story) of those of `ids` that are indexed."""
        out: list[tuple[str, int, str, bytes, bytes, bytes, str | None]] = []
        with self._lock:
            for part in _chunks(ids):
                marks = ",".join("?" * len(part))
                out += self._db.execute(
                    f"SELECT id, day, terms, weights, kinds, knn, story FROM docs WHERE id IN ({marks})", part
                ).fetchall()
        return out

    def holders(self, groups: Iterable[tuple[str, int]]) -> list[tuple[str, str, int]]:
        """(term, id, day) of every article holding a key term in a date bucket, for each
        (term, bucket) of `groups` (bucket -1: the undated holders)."""
        groups = list(groups)
        with self._lock:
            if len(groups) <= 64:
                out: list[tuple[str, str, int]] = []
                for group in groups:
                    out += self._db.execute("SELECT term, id, day FROM keys WHERE term = ? AND bucket = ?", group).fetchall()
                return out
            # Many groups (a batch of articles): one join against a temporary table of them.
            self._db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (term TEXT NOT NULL, bucket INTEGER NOT NULL)")
            self._db.execute("DELETE FROM wanted")
            self._db.executemany("INSERT INTO wanted VALUES (?, ?)", groups)
            out = self._db.execute(
                "SELECT k.term, k.id, k.day FROM wanted w JOIN keys k ON k.term = w.term AND k.bucket = w.bucket"
            ).fetchall()
            self._db.execute("DELETE FROM wanted")
            return out

    def counts(self, terms: Sequence[str]) -> dict[tuple[str, int], int]:
        """(term, bucket) -> how many articles hold the key term in that bucket (bucket ALL: in all)."""
        out: dict[tuple[str, int], int] = {}
        with self._lock:
            for part in _chunks(terms):
                marks = ",".join("?" * len(part))
                for term, bucket, n in self._db.execute(
                    f"SELECT term, bucket, n FROM key_counts WHERE term IN ({marks})", part
                ):
                    out[(term, bucket)] = n
        return out

    def keys_of(self, ids: Sequence[str]) -> list[tuple[str, str, int]]:
        """(term, id, day) key rows of `ids`."""
        out: list[tuple[str, str, int]] = []
        with self._lock:
            for part in _chunks(ids):
                marks = ",".join("?" * len(part))
                out += self._db.execute(f"SELECT term, id, day FROM keys WHERE id IN ({marks})", part).fetchall()
        return out

    def comps_of(self, ids: Sequence[str]) -> set[str]:
        out: set[str] = set()
        with self._lock:
            for part in _chunks(ids):
                marks = ",".join("?" * len(part))
                out |= {c for (c,) in self._db.execute(f"SELECT comp FROM docs WHERE id IN ({marks})", part) if c}
        return out

    def members(self, comps: Sequence[str]) -> list[str]:
        """Ids of the articles in components `comps`."""
        out: list[str] = []
        with self._lock:
            for part in _chunks(comps):
                marks = ",".join("?" * len(part))
                out += [i for (i,) in self._db.execute(f"SELECT id FROM docs WHERE comp IN ({marks})", part)]
        return out

    def story_of(self, article_id: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT story FROM docs WHERE id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def assignment(self) -> list[tuple[str, int, str]]:
        """(story, day, id) of every article, ordered by story, then day (undated last), then id."""
        with self._lock:
            return self._db.execute(
                "SELECT story, day, id FROM docs ORDER BY story, day < 0, day, id"
            ).fetchall()

    def story_members(self, stories: Sequence[str]) -> list[tuple[str, int, str]]:
        """(story, day, id) of the members of `stories`."""
        out: list[tuple[str, int, str]] = []
        with self._lock:
            for part in _chunks(stories):
                marks = ",".join("?" * len(part))
                out += self._db.execute(f"SELECT story, day, id FROM docs WHERE story IN ({marks})", part).fetchall()
        return out

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM docs").fetchone()[0]


def _chunks(items: Sequence[str]) -> Iterator[list[str]]:
    items = list(items)
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]
