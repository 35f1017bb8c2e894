"""The catalog: what the library folder held at the last scan, so start-up does not re-read it.

One SQLite row per article file: its size and mtime (to notice changes with a `stat`, not a read),
its content hash (the key of everything derived in the content cache) and the summary that
`tuireader list` and the reader's list show. With it, opening a library of 100,000 articles costs a
directory walk and one query.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from tuireader.model import ArticleSummary

SCHEMA_VERSION = 2


class Catalog:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        if self.get_meta_raw("schema") != str(SCHEMA_VERSION):
            self._db.execute("DROP TABLE IF EXISTS files")
        self._db.execute(
            """CREATE TABLE IF NOT EXISTS files (
                 path TEXT PRIMARY KEY,
                 id TEXT NOT NULL,
                 size INTEGER NOT NULL,
                 mtime_ns INTEGER NOT NULL,
                 hash TEXT NOT NULL,
                 version TEXT NOT NULL,
                 outlet TEXT,
                 title TEXT NOT NULL,
                 published TEXT,
                 authors TEXT NOT NULL,
                 story TEXT,
                 words INTEGER NOT NULL
               )"""
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS files_id ON files(id)")
        self._db.execute("CREATE INDEX IF NOT EXISTS files_hash ON files(hash)")
        if self.get_meta_raw("schema") != str(SCHEMA_VERSION):  # a read-only open (show, list) writes nothing
            self.set_meta("schema", str(SCHEMA_VERSION))

    # --- rows -----------------------------------------------------------------------------------
    def stats(self) -> dict[str, tuple[int, int, str, str]]:
        """path -> (size, mtime_ns, hash, version) for every catalogued file."""
        with self._lock:
            rows = self._db.execute("SELECT path, size, mtime_ns, hash, version FROM files").fetchall()
        return {p: (s, m, h, v) for p, s, m, h, v in rows}

    def put(self, rows: Iterable[tuple[str, int, int, str, str, ArticleSummary]]) -> None:
        """Insert or replace (path, size, mtime_ns, hash, version, summary) rows in one transaction."""
        data = [
            (path, s.id, size, mtime, h, version, s.outlet, s.title, s.published, "\x1f".join(s.authors),
             s.story, s.words)
            for path, size, mtime, h, version, s in rows
        ]
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany(
                    "INSERT OR REPLACE INTO files(path, id, size, mtime_ns, hash, version, outlet, title, "
                    "published, authors, story, words) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    data,
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def remove(self, paths: Iterable[str]) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in paths])
            self._db.execute("COMMIT")

    def set_stories(self, assignment: dict[str, str | None]) -> None:
        """Record the story id of each article named in `assignment` (article id -> story id)."""
        if not assignment:
            return
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany(
                "UPDATE files SET story = ? WHERE id = ? AND story IS NOT ?",
                [(sid, aid, sid) for aid, sid in assignment.items()],
            )
            self._db.execute("COMMIT")

    def ids(self) -> set[str]:
        with self._lock:
            return {r[0] for r in self._db.execute("SELECT id FROM files")}

    def summaries(self) -> list[ArticleSummary]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, path, outlet, title, published, authors, story, words FROM files"
            ).fetchall()
        return [
            ArticleSummary(aid, path, outlet, title, published, tuple(authors.split("\x1f")) if authors else (),
                           story, words)
            for aid, path, outlet, title, published, authors, story, words in rows
        ]

    # --- the reader's first page (tuireader.library.Library.first_page) --------------------------
    def story_page(self, stories: int, offset: int = 0, skip: Iterable[str] = (),
                   include: Iterable[str] = ()) -> tuple[list[ArticleSummary], int | None, int]:  # fmt: skip
        """The reader's list a page at a time: every article of the next `stories` stories in the
        order of their newest versions (undated last), reading the publication-date index from
        row `offset`, leaving out the stories in `skip` (pages already shown) and adding those of
        the `include` ids. Returns the rows, the offset the next page starts from (None: no more)
        and the number of catalogued articles. Each page reads only its own rows, so the first
        costs the same at 1,000 articles as at 1,000,000."""
        skipped = set(skip)
        with self._lock:
            if not getattr(self, "_page_indexes", False):
                self._db.execute("CREATE INDEX IF NOT EXISTS files_published ON files(published)")
                self._db.execute("CREATE INDEX IF NOT EXISTS files_story ON files(story)")
                self._page_indexes = True
            wanted: dict[str, None] = {}
            cursor = self._db.execute(
                "SELECT coalesce(story, id) FROM files INDEXED BY files_published ORDER BY published DESC "
                "LIMIT -1 OFFSET ?", (offset,)
            )
            at: int | None = offset
            exhausted = True
            for (sid,) in cursor:
                at += 1
                if sid in skipped or sid in wanted:
                    continue
                wanted[sid] = None
                if len(wanted) >= stories:
                    exhausted = False
                    break
            cursor.close()  # no read snapshot left open behind the page
            next_offset = None if exhausted else at
            for aid in include:
                row = self._db.execute("SELECT coalesce(story, id) FROM files WHERE id = ?", (aid,)).fetchone()
                if row and row[0] not in skipped:
                    wanted[row[0]] = None
            rows = self._story_rows(list(wanted))
            total = self._db.execute("SELECT count(*) FROM files").fetchone()[0]
        return rows, next_offset, total

    def _story_rows(self, sids: list[str]) -> list[ArticleSummary]:
        """Every article of the stories `sids` (an article with no story is its own), once each."""
        cols = "id, path, outlet, title, published, authors, story, words"
        rows: list[tuple] = []
        for begin in range(0, len(sids), 500):
            part = sids[begin : begin + 500]
            marks = ",".join("?" * len(part))
            rows += self._db.execute(f"SELECT {cols} FROM files WHERE story IN ({marks})", part).fetchall()
            rows += self._db.execute(f"SELECT {cols} FROM files WHERE story IS NULL AND id IN ({marks})",
                                     part).fetchall()  # fmt: skip
        seen: set[str] = set()
        out = []
        for aid, path, outlet, title, published, authors, story, words in rows:
            if aid not in seen:
                seen.add(aid)
                out.append(ArticleSummary(aid, path, outlet, title, published,
                                          tuple(authors.split("\x1f")) if authors else (), story, words))
        return out

    def recent_page(self, stories: int, include: Iterable[str] = ()) -> tuple[list[ArticleSummary], int]:
        """Every article of the `stories` stories with the newest versions (a story is as recent
        as its newest version; undated last), and of the stories of the `include` article ids;
        with the number of catalogued articles. Reads only those rows, through indexes on the
        publication date and the story (made on the first call), so its cost does not grow with
        the catalog: what the reader paints while the whole list is still being read."""
        with self._lock:
            if not getattr(self, "_page_indexes", False):
                self._db.execute("CREATE INDEX IF NOT EXISTS files_published ON files(published)")
                self._db.execute("CREATE INDEX IF NOT EXISTS files_story ON files(story)")
                self._page_indexes = True
            wanted: dict[str, None] = {}
            cursor = self._db.execute(
                "SELECT coalesce(story, id) FROM files INDEXED BY files_published ORDER BY published DESC"
            )
            for (sid,) in cursor:
                wanted[sid] = None
                if len(wanted) >= stories:
                    break
            cursor.close()  # no read snapshot left open behind the page
            for aid in include:
                row = self._db.execute("SELECT coalesce(story, id) FROM files WHERE id = ?", (aid,)).fetchone()
                if row:
                    wanted[row[0]] = None
            cols = "id, path, outlet, title, published, authors, story, words"
            rows: list[tuple] = []
            sids = list(wanted)
            for begin in range(0, len(sids), 500):
                part = sids[begin : begin + 500]
                marks = ",".join("?" * len(part))
                rows += self._db.execute(f"SELECT {cols} FROM files WHERE story IN ({marks})", part).fetchall()
                rows += self._db.execute(f"SELECT {cols} FROM files WHERE story IS NULL AND id IN ({marks})",
                                         part).fetchall()  # fmt: skip
            total = self._db.execute("SELECT count(*) FROM files").fetchone()[0]
        seen: set[str] = set()
        out = []
        for aid, path, outlet, title, published, authors, story, words in rows:
            if aid not in seen:
                seen.add(aid)
                out.append(ArticleSummary(aid, path, outlet, title, published,
                                          tuple(authors.split("\x1f")) if authors else (), story, words))
        return out, total

    def lookup(self, article_id: str) -> tuple[str, str, str] | None:
        """(path, content hash, version it was cleaned with) of the article with this id, if catalogued."""
        with self._lock:
            row = self._db.execute("SELECT path, hash, version FROM files WHERE id = ?", (article_id,)).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def with_hashes(self, hashes: Iterable[str]) -> dict[str, list[tuple[str, int, int]]]:
        """content hash -> [(path, size, mtime_ns)] of the catalogued files holding it, for each of
        `hashes` that is catalogued: what ingest asks to refuse a duplicate without a scan (an
        indexed lookup, 500 hashes a query)."""
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, list[tuple[str, int, int]]] = {}
        with self._lock:
            for begin in range(0, len(wanted), 500):
                part = wanted[begin : begin + 500]
                marks = ",".join("?" * len(part))
                for h, path, size, mtime in self._db.execute(
                    f"SELECT hash, path, size, mtime_ns FROM files WHERE hash IN ({marks}) ORDER BY path", part
                ):
                    found.setdefault(h, []).append((path, size, mtime))
        return found

    # --- small key/value stores -----------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self._lock:
            return self.get_meta_raw(key)

    def get_meta_raw(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def close(self) -> None:
        with self._lock:
            self._db.close()

