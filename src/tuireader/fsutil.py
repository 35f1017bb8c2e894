"""File-system helpers shared by every layer that writes: nothing is ever half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


def _write_temp(target: Path, data: bytes) -> str:
    """Write `data` to a flushed, fsynced temporary file beside `target`; returns its path.

    The name starts with "." and ends in ".tmp", so folder scans ignore a leftover from a crash.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
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
