"""Caches are disposable: a damaged store file is set aside and rebuilt, and the command goes on.

Everything in the cache folder (the catalog, the search index, the story index, the derived-value
cache) is derived from the library folder, so a file that SQLite cannot read (random bytes at its
head, a half-copied file, a page damaged in the middle, a folder where the file should be, a file
this user may not open) costs a rebuild, never the user's command. Such a file is not deleted: it is
renamed to `<name>.damaged-<UTC stamp>` beside itself (the user may want it), a fresh store is
opened in its place, and a one-line notice says so (the CLI prints it on stderr, the reader shows it
in the status line; both get it through `Library.notices`).

`Guarded` wraps a store: damage found when it is opened or on any later call (SQLite only notices a
damaged page when a query reads it) sets the file aside, reopens, lets the owner refill what the
store held (`on_reset`), and repeats the call once. Errors that are not damage — `database is
locked`, a read-only or full disk — pass through for the caller to report; where SQLite words a
read-only or full disk like damage ("unable to open database file", "disk I/O error"), the file
system is asked and its answer raised as an OSError naming the folder.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

# SQLite's words for a file it cannot use as a database (as opposed to a busy or read-only one).
_DAMAGE = (
    "file is not a database",
    "database disk image is malformed",
    "malformed database schema",
    "unable to open database file",
    "no such table",
    "file is encrypted",
    "database corrupt",
)


class StoreUnavailable(Exception):
    """A store that is damaged and cannot be set aside (e.g. its folder is read-only)."""


def is_damage(exc: BaseException) -> bool:
    """True for an error that means the store file itself is unusable (rebuilding helps)."""
    if isinstance(exc, (IsADirectoryError, NotADirectoryError)):
        return True
    if isinstance(exc, sqlite3.DatabaseError):
        text = str(exc).lower()
        if "locked" in text or "busy" in text or "readonly" in text or "full" in text:
            return False
        return isinstance(exc, sqlite3.DatabaseError) and (
            type(exc) is sqlite3.DatabaseError or any(d in text for d in _DAMAGE)
        )
    return False


# What SQLite says both of a damaged file and of a folder it may not write (a read-only mount, a
# full disk, no permission): the file system is asked which it is (`fsutil.fs_trouble`).
_AMBIGUOUS = ("unable to open database file", "disk i/o error")


def not_damage_but(exc: BaseException, path: Path) -> OSError | None:
    """For an error SQLite words alike for damage and for an unwritable folder: the file-system
    condition at `path` that explains it (an OSError naming the folder and the cause), or None."""
    if isinstance(exc, sqlite3.DatabaseError) and any(a in str(exc).lower() for a in _AMBIGUOUS):
        from tuireader.fsutil import fs_trouble

        return fs_trouble(path)
    return None


def utc_stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def set_aside(path: Path, *, companions: tuple[str, ...] = ("-wal", "-shm", "-journal")) -> Path | None:
    """Rename `path` (a file or folder) and its SQLite companion files to `<name>.damaged-<stamp>`;
    returns the new path of `path` (None when there was nothing there). Raises OSError when the
    folder does not allow it."""
    stamp = utc_stamp()
    moved: Path | None = None
    if os.path.lexists(path):
        moved = path.with_name(f"{path.name}.damaged-{stamp}")
        os.replace(path, moved)
    for suffix in companions:
        side = Path(f"{path}{suffix}")
        if os.path.lexists(side):
            with contextlib.suppress(OSError):
                os.replace(side, side.with_name(f"{path.name}.damaged-{stamp}{suffix}"))
    return moved


class Guarded:
    """A store that recovers from damage: see the module docstring.

    `opener()` opens the store at `path`; `notify(line)` is told what happened; `on_reset()` runs
    after a rebuild (before the failed call is repeated), to refill what the store held.
    """

    def __init__(self, opener: Callable[[], Any], path: Path, what: str, notify: Callable[[str], None],
                 on_reset: Callable[[], None] | None = None) -> None:  # fmt: skip
        self._opener = opener
        self._path = Path(path)
        self._what = what
        self._notify = notify
        self._on_reset = on_reset
        self._guard = threading.RLock()
        self._resetting = False
        self.recovered = False  # set aside and rebuilt when opened: the owner refills it
        try:
            self._target = opener()
        except Exception as exc:  # noqa: BLE001 - only damage is handled, the rest re-raised
            if (trouble := not_damage_but(exc, self._path.parent)) is not None:
                raise trouble from exc  # a read-only or full disk: said as such, nothing set aside
            if not is_damage(exc):
                raise
            self._target = self._reopen(exc, run_reset=False)
            self.recovered = True

    @property
    def target(self) -> Any:
        return self._target

    def _reopen(self, exc: BaseException, *, run_reset: bool = True) -> Any:
        old = self.__dict__.get("_target")
        if old is not None:
            with contextlib.suppress(Exception):
                old.close()
        try:
            moved = set_aside(self._path)
        except OSError as err:
            raise StoreUnavailable(
                f"{self._path}: the {self._what} is damaged ({exc}) and cannot be set aside "
                f"({err.strerror or err})"
            ) from exc
        try:
            target = self._opener()
        except Exception as err:  # noqa: BLE001
            raise StoreUnavailable(f"{self._path}: the {self._what} cannot be rebuilt ({err})") from err
        self._target = target
        where = f"; the old one is {moved.name}" if moved is not None else ""
        self._notify(f"{self._path}: the {self._what} was damaged ({exc}); rebuilt it from the library folder{where}")
        if run_reset and self._on_reset is not None and not self._resetting:
            self._resetting = True
            try:
                self._on_reset()
            finally:
                self._resetting = False
        return target

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return getattr(self._target, name)(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001
                if (trouble := not_damage_but(exc, self._path.parent)) is not None:
                    raise trouble from exc
                if not is_damage(exc) or self._resetting:
                    raise
                with self._guard:
                    self._reopen(exc)
                return getattr(self._target, name)(*args, **kwargs)

        return call

    def __contains__(self, key: object) -> bool:
        return self.__getattr__("__contains__")(key)

    def __len__(self) -> int:
        return self.__getattr__("__len__")()
