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
        self.notice: str | None = None  # one line when the saved state could not be trusted

    @classmethod
    def load(cls, library_root: Path) -> RefreshState:
        """The saved state, or a fresh one. A file that is not JSON, or JSON of the wrong shape (a
        list, a string, a feed whose `seen` is a number...), is not trusted: what is wrong starts
        afresh and `notice` says so in one line (reconcile() relearns the stored articles)."""
        state = cls(Path(library_root) / STATE_DIR / STATE_FILE)
        try:
            raw = state.path.read_bytes()
        except FileNotFoundError:
            return state  # none yet
        except OSError as exc:
            state.notice = f"{state.path}: cannot read ({exc.strerror or exc}); starting afresh"
            return state
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            state.notice = f"{state.path}: damaged (not JSON); starting afresh"
            return state
        if not isinstance(data, dict):
            state.notice = f"{state.path}: holds a JSON {_json_type(data)}, not an object; starting afresh"
            return state
        if data.get("version") != cls.VERSION:
            return state  # another version's state: rebuilt, as the docstring says
        wrong: list[str] = []
        feeds = data.get("feeds") or {}
        if not isinstance(feeds, dict):
            wrong.append("feeds")
            feeds = {}
        for url, fstate in feeds.items():
            problem = _feed_problem(fstate)
            if problem is None:
                state.feeds[url] = fstate
            else:
                wrong.append(f"feed {url[:80]!r} ({problem})")
        for name in ("urls", "content", "canon"):
            table = data.get(name) or {}
            if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
                wrong.append(name)
                continue
            setattr(state, name, {str(k): v for k, v in table.items()})
        if wrong:
            shown = ", ".join(wrong[:3]) + (f" and {len(wrong) - 3} more" if len(wrong) > 3 else "")
            state.notice = f"{state.path}: wrong types in {shown}; that part starts afresh"
            state.dirty = True
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


# the fields of one feed's state and the types they must have (others are kept as they are)
_FEED_FIELDS: dict[str, type | tuple[type, ...]] = {
    "done": (str, type(None)), "error": str, "failed_at": str, "ok_at": str, "site_name": str,
    "entries": int, "seen": list, "failures": dict,
}  # fmt: skip


def _feed_problem(fstate: Any) -> str | None:
    """What is wrong with one feed's saved state, None when nothing is."""
    if not isinstance(fstate, dict):
        return f"a {_json_type(fstate)}"
    for key, kind in _FEED_FIELDS.items():
        if key in fstate and (not isinstance(fstate[key], kind) or isinstance(fstate[key], bool)):
            return f"{key} is a {_json_type(fstate[key])}"
    if not all(isinstance(k, str) for k in fstate.get("seen", ())):
        return "seen holds more than keys"
    failures = fstate.get("failures", {})
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in failures.values()):
        return "failures holds more than counts"
    return None


def _json_type(value: Any) -> str:
    names = {dict: "object", list: "list", str: "string", bool: "boolean", int: "number",
             float: "number", type(None): "null"}  # fmt: skip
    return names.get(type(value), type(value).__name__)


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
