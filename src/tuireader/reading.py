"""What the user has read, and what the last scan brought: kept with the library, not in the cache.

The cache can be deleted and rebuilt from the folder at any time, so it cannot hold the one thing
the folder does not: which articles the user has already read. That lives in the library folder's
hidden `.tuireader/reading.json` (folder scans skip hidden folders), keyed by article id (the file's
stem, which a rebuild keeps), written atomically so a crash leaves the old state or the new one.

The file holds three sets:

* `read`: articles the user has read (everything else counts as unread);
* `known`: every article id the last scan saw, so the next scan can tell what arrived;
* `new`: what the most recent scan that brought anything brought (the reader's "new" marker). It is
  replaced by the next arrivals, not cleared on reading: "new" says when it came, "unread" whether
  it was read.

A damaged or foreign file is read as empty rather than stopping the reader; ids of articles that no
longer exist are dropped the next time arrivals are noted.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from pathlib import Path

from tuireader.fsutil import write_atomic

STATE_FOLDER = ".tuireader"
READING_FILE = "reading.json"


def reading_path(library_root: Path) -> Path:
    """Where a library's reading state lives (inside the library folder, so it travels with it)."""
    return library_root / STATE_FOLDER / READING_FILE


def _ids(value: object) -> set[str]:
    if not isinstance(value, list):
        return set()
    return {v for v in value if isinstance(v, str)}


class ReadingState:
    """Read and new article ids of one library, loaded on first use and saved on every change.

    Thread safe: the reader marks articles from its UI thread while a scan notes arrivals in a
    worker.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._read: set[str] = set()
        self._known: set[str] | None = None  # None: no scan noted yet (first run)
        self._new: set[str] = set()
        self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if not isinstance(data, dict):
            return
        self._read = _ids(data.get("read"))
        self._new = _ids(data.get("new"))
        if isinstance(data.get("known"), list):
            self._known = _ids(data["known"])

    def _save(self) -> None:
        data = {"read": sorted(self._read), "known": sorted(self._known or ()), "new": sorted(self._new)}
        write_atomic(self.path, json.dumps(data, indent=0).encode("utf-8"))

    @property
    def read(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._read)

    @property
    def new(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._new)

    def mark(self, ids: Iterable[str], read: bool = True) -> bool:
        """Mark articles read (or unread); returns whether anything changed (and was saved).

        Raises OSError when the state cannot be written (e.g. a read-only library folder); the
        change then holds for this session only.
        """
        ids = set(ids)
        with self._lock:
            before = len(self._read)
            if read:
                self._read |= ids
            else:
                self._read -= ids
            if len(self._read) == before:
                return False
            self._save()
        return True

    def note_scan(self, ids: Iterable[str]) -> frozenset[str]:
        """Record the ids a scan found; returns the ones that are new since the previous scan.

        The very first scan of a library brings nothing "new" (everything would be): it only learns
        what is there. Raises OSError when the state cannot be written.
        """
        current = set(ids)
        with self._lock:
            if self._known is None:
                arrived: set[str] = set()
            else:
                arrived = current - self._known
            changed = self._known != current
            self._known = current
            if arrived:
                self._new = arrived
            gone_read = self._read - current
            gone_new = self._new - current
            if gone_read or gone_new:
                self._read -= gone_read
                self._new -= gone_new
                changed = True
            if changed:
                self._save()
            return frozenset(arrived)
