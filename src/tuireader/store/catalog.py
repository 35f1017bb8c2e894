"""The catalog: what the library folder held at the last scan, so start-up does not re-read it.

One SQLite row per article file: its size and mtime (to notice changes with a `stat`, not a read),
its content hash (the key of everything derived in the content cache) and the summary that
`tuireader list` and the reader's list show. With it, opening a library of 100,000 articles costs a
directory walk and one query.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from tuireader.model import ArticleSummary

SCHEMA_VERSION = 1


class Catalog:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(
            """CREATE TABLE IF NOT EXISTS files (
                 path TEXT PRIMARY KEY,
                 id TEXT NOT NULL,
                 size INTEGER NOT NULL,
                 mtime_ns INTEGER NOT NULL,
                 hash TEXT NOT NULL,
                 version TEXT NOT NULL,
                 summary TEXT NOT NULL
               )"""
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS files_id ON files(id)")
        self._db.execute("CREATE INDEX IF NOT EXISTS files_hash ON files(hash)")
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        if self.get_meta("schema") != str(SCHEMA_VERSION):
            self._db.execute("DELETE FROM files")
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
            (path, summary.id, size, mtime, h, version, json.dumps(_summary_dict(summary)))
            for path, size, mtime, h, version, summary in rows
        ]
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany(
                    "INSERT OR REPLACE INTO files(path, id, size, mtime_ns, hash, version, summary) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
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
        """Record each article's story id in its summary (article id -> story id)."""
        with self._lock:
            rows = self._db.execute("SELECT path, id, summary FROM files").fetchall()
            updates = []
            for path, aid, summary in rows:
                if aid in assignment:
                    data = json.loads(summary)
                    if data.get("story") != assignment[aid]:
                        data["story"] = assignment[aid]
                        updates.append((json.dumps(data), path))
            if updates:
                self._db.execute("BEGIN")
                self._db.executemany("UPDATE files SET summary = ? WHERE path = ?", updates)
                self._db.execute("COMMIT")

    def summaries(self) -> list[ArticleSummary]:
        with self._lock:
            rows = self._db.execute("SELECT summary FROM files").fetchall()
        return [_summary_from(json.loads(r[0])) for r in rows]

    def lookup(self, article_id: str) -> tuple[str, str] | None:
        """(path, content hash) of the article with this id, if catalogued."""
        with self._lock:
            row = self._db.execute("SELECT path, hash FROM files WHERE id = ?", (article_id,)).fetchone()
        return (row[0], row[1]) if row else None

    def id_for_hash(self, content_hash: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT id FROM files WHERE hash = ?", (content_hash,)).fetchone()
        return row[0] if row else None

    # --- small key/value stores -----------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _summary_dict(s: ArticleSummary) -> dict:
    return {
        "id": s.id,
        "path": s.path,
        "outlet": s.outlet,
        "title": s.title,
        "published": s.published,
        "authors": list(s.authors),
        "story": s.story,
        "words": s.words,
    }


def _summary_from(d: dict) -> ArticleSummary:
    return ArticleSummary(
        id=d["id"],
        path=d["path"],
        outlet=d.get("outlet"),
        title=d.get("title") or "",
        published=d.get("published"),
        authors=tuple(d.get("authors") or ()),
        story=d.get("story"),
        words=int(d.get("words") or 0),
    )
