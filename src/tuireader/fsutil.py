"""File-system helpers shared by every layer that writes: nothing is ever half-written."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

_UMASK: int | None = None


def umask() -> int:
    """The process's umask, read without changing it where Linux tells it (/proc), else once."""
    global _UMASK
    if _UMASK is None:
        try:
            with open("/proc/self/status", encoding="ascii") as fh:
                _UMASK = next(int(line.split()[1], 8) for line in fh if line.startswith("Umask:"))
        except (OSError, StopIteration, ValueError, IndexError):
            _UMASK = os.umask(0o022)
            os.umask(_UMASK)
    return _UMASK


def new_file_mode() -> int:
    """The mode an ordinary new file gets (0o666 less the umask): temporary files are created
    private (0o600), and the files they become must not stay that way."""
    return 0o666 & ~umask()


def _write_temp(target: Path, data: bytes) -> str:
    """Write `data` to a flushed, fsynced temporary file beside `target`; returns its path.

    The name starts with "." and ends in ".tmp", so folder scans ignore a leftover from a crash.
    The file gets the mode of the file it replaces, else that of an ordinary new file.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = os.stat(target).st_mode & 0o7777
    except OSError:
        mode = new_file_mode()
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            if hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), mode)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write `data` to `path` so that readers see either the old file or the whole new one."""
    tmp = _write_temp(Path(path), data)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_new_atomic(path: str | os.PathLike[str], data: bytes) -> bool:
    """Like `write_atomic`, but never replaces an existing file; returns False if one was there.

    Used when adding articles: two writers racing for one name cannot overwrite each other.
    """
    tmp = _write_temp(Path(path), data)
    try:
        os.link(tmp, path)
    except FileExistsError:
        return False
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
    return True


@contextlib.contextmanager
def held_lock(path: str | os.PathLike[str], *, wait: float = 0.0) -> Iterator[bool]:
    """An exclusive advisory lock on `path` (created if missing) for the `with` block: yields True
    once held, or False when another process still holds it after `wait` seconds (polled). Where
    the platform has no `fcntl`, it yields True (nothing to take)."""
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield True
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "a+b") as fh:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    yield False
                    return
                time.sleep(0.05)
        try:
            yield True
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


# What `_write_temp` and fsbatch leave behind when a writer is killed: ".NAME.<random>.tmp".
_TEMP_NAME = re.compile(r"^\..+\.[A-Za-z0-9_]{6,12}\.tmp$")


def sweep_stale_temps(folder: str | os.PathLike[str], *, older_than: float = 300.0) -> list[str]:
    """Remove this module's own temporary files in `folder` (not below it) that are older than
    `older_than` seconds: leftovers of a writer killed mid-write (a live writer fsyncs and renames
    within moments). Returns the names removed; a file that cannot be removed is left alone."""
    removed: list[str] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not _TEMP_NAME.match(entry.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and now - entry.stat(follow_symlinks=False).st_mtime > older_than:
                os.unlink(entry.path)
                removed.append(entry.name)
        except OSError:
            continue
    return removed


def os_error_cause(exc: OSError) -> str:
    """The cause of a file-system failure in a user's words ("the disk is full", ...)."""
    import errno

    causes = {errno.ENOSPC: "the disk is full", errno.EROFS: "the file system is read-only",
              errno.EACCES: "permission denied", errno.EPERM: "not permitted",
              errno.EDQUOT: "disk quota exceeded"}  # fmt: skip
    return causes.get(exc.errno or 0) or exc.strerror or str(exc) or type(exc).__name__


def shown_path(filename: str | os.PathLike[str]) -> str:
    """The path to name in a message: for one of our temporary files (".NAME.<random>.tmp"), the
    file it was to become, which is what the user knows."""
    path = Path(filename)
    if _TEMP_NAME.match(path.name):
        return str(path.with_name(path.name[1:].rsplit(".", 2)[0]))
    return str(path)


def describe_os_error(exc: OSError) -> str:
    """One line naming the path and the cause: "/news/.tuireader: the file system is read-only"."""
    cause = os_error_cause(exc)
    return f"{shown_path(exc.filename)}: {cause}" if exc.filename is not None else cause


def fs_trouble(path: str | os.PathLike[str]) -> OSError | None:
    """Why nothing can be written at `path` (the nearest folder that exists): an OSError with
    EROFS (a read-only mount), ENOSPC (no free block left) or EACCES (no write permission), naming
    that folder; None when writing there looks possible.

    SQLite reports these conditions vaguely ("unable to open database file", "disk I/O error",
    both also said of damaged files), so the store code asks the file system before calling a
    file damaged or a failure unexplained."""
    import errno

    folder = Path(path)
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    try:
        st = os.statvfs(folder)
    except (OSError, AttributeError):  # AttributeError: no statvfs on this platform
        st = None
    if st is not None and st.f_flag & getattr(os, "ST_RDONLY", 1):
        return OSError(errno.EROFS, os.strerror(errno.EROFS), str(folder))
    if st is not None and st.f_bavail == 0 and st.f_blocks > 0:
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder))
    if not os.access(folder, os.W_OK | os.X_OK):
        return OSError(errno.EACCES, os.strerror(errno.EACCES), str(folder))
    return None
