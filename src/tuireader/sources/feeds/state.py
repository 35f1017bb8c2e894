"""What earlier refreshes stored and read, kept in the library folder, and the refresh lock.

`.tuireader/refresh-state.json` (written atomically, every few seconds and at the end) holds per
feed the hash of the last fully processed document and its entry keys; the URL hashes (with
aliases: redirect targets, rel=canonical) and per-site content hashes of stored articles. If the
state is lost or behind (killed between a file write and a state save), `reconcile` rebuilds what
it needs from the file names and headers in the folder, so the next refresh continues without
duplicates.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tuireader.fsutil import write_atomic
from tuireader.sources.files import ARTICLE_NAME, SourceError, read_document
from tuireader.sources.http import site_of, url_hash
from tuireader.sources.plaintext import text_fingerprint

STATE_DIR = ".tuireader"
STATE_FILE = "refresh-state.json"
LOCK_FILE = "refresh.lock"
STATE_SAVE_INTERVAL = 5.0


def text_key(site: str, fingerprint: str | None) -> str | None:
    """Per-site content identity (the same words on another site are another outlet's copy)."""
    return f"{site}:{fingerprint}" if fingerprint else None


class RefreshState:
    """What earlier refreshes stored and read; see the module docstring."""

    VERSION = 1

    def __init__(self, path: Path) -> None:
        self.path = path
        self.feeds: dict[str, dict[str, Any]] = {}
        self.urls: dict[str, str] = {}  # url hash → article id
        self.content: dict[str, str] = {}  # site:text hash → article id
        self.canon: dict[str, str] = {}  # rel=canonical + headline hash → article id
        self.dirty = False
        self._saved_at = time.monotonic()

    @classmethod
    def load(cls, library_root: Path) -> RefreshState:
        state = cls(Path(library_root) / STATE_DIR / STATE_FILE)
        try:
            data = json.loads(state.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return state  # none yet, or damaged: reconcile() rebuilds the article index from files
        if isinstance(data, dict) and data.get("version") == cls.VERSION:
            state.feeds = {k: v for k, v in (data.get("feeds") or {}).items() if isinstance(v, dict)}
            state.urls = {str(k): str(v) for k, v in (data.get("urls") or {}).items()}
            state.content = {str(k): str(v) for k, v in (data.get("content") or {}).items()}
            state.canon = {str(k): str(v) for k, v in (data.get("canon") or {}).items()}
        return state

    def save(self) -> None:
        data = {
            "version": self.VERSION,
            "feeds": self.feeds,
            "urls": self.urls,
            "content": self.content,
            "canon": self.canon,
        }
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        self.dirty = False
        self._saved_at = time.monotonic()

    def save_soon(self) -> None:
        """Save if the last save is a few seconds old: an interruption loses little re-work."""
        self.dirty = True
        if time.monotonic() - self._saved_at > STATE_SAVE_INTERVAL:
            self.save()

    def reconcile(self, library_root: Path) -> int:
        """Learn articles present in the folder but missing from the state; returns how many.

        This covers a refresh killed between writing a file and saving the state, and a lost
        state file: the name gives the URL hash at once, the header gives the rest.
        """
        known = set(self.urls.values())
        learned = 0
        try:
            entries = list(os.scandir(library_root))
        except OSError:
            return 0
        for entry in entries:
            stem = entry.name.rpartition(".")[0]  # checked below: cheap for the many known
            if stem in known or not (m := ARTICLE_NAME.match(entry.name)):
                continue
            self.urls.setdefault(m.group(2), stem)
            try:
                doc = read_document(entry.path)
            except SourceError:
                continue
            url = doc.declared.get("url")
            if url:
                self.urls.setdefault(url_hash(url), stem)
                paragraphs = [" ".join(p.split()) for p in doc.body.split("\n\n") if p.strip()]
                key = text_key(site_of(url), text_fingerprint(paragraphs))
                if key:
                    self.content.setdefault(key, stem)
            learned += 1
        if learned:
            self.dirty = True
        return learned


def feed_states(library_root: Path) -> dict[str, dict[str, Any]]:
    """Per feed URL, its saved state (`ok_at`, `error`, ...); empty when there is none yet."""
    return RefreshState.load(library_root).feeds


@contextlib.contextmanager
def refresh_lock(library_root: Path) -> Iterator[bool]:
    """An exclusive lock on the library's refresh (two refreshes at once would race on the state)."""
    path = Path(library_root) / STATE_DIR / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # not POSIX: go without
        yield True
        return
    with open(path, "a+b") as fh:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
