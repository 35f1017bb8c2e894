"""Writing many new files at once, crash-safe: each whole or absent, none ever replaced.

`fsutil.write_new_atomic` makes one file durable with an fsync; a refresh writes thousands of
small files and per-file fsyncs would cost more than the fetching, so here one `syncfs` covers a
chunk of files (see `write_new_batch`), and `BatchWriter` gathers the writes of concurrent tasks
into such chunks, in a thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import functools
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from tuireader.fsutil import new_file_mode


@functools.lru_cache(maxsize=1)
def _libc_syncfs() -> Callable[[int], int] | None:
    """libc's syncfs (Linux), looked up once; None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).syncfs  # type: ignore[no-any-return]
    except (OSError, AttributeError):
        return None


def _syncfs(dir_fd: int) -> bool:
    """Flush the file system holding the open directory `dir_fd` in one call; False where that
    is not available (the caller then fsyncs each file)."""
    syncfs = _libc_syncfs()
    return syncfs is not None and syncfs(dir_fd) == 0


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


WRITE_CHUNK = 256  # files in flight at once in `write_new_batch` (each holds a descriptor)
# O_TMPFILE files are linked to their name through /proc (linkat with AT_EMPTY_PATH needs a capability)
_O_TMPFILE = getattr(os, "O_TMPFILE", 0) if os.path.isdir("/proc/self/fd") else 0
_NO_TMPFILE = (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT)
_NO_PROC_LINK = (errno.EPERM, errno.EACCES, errno.ENOENT, errno.EXDEV, errno.EOPNOTSUPP, errno.EINVAL)


def write_new_batch(directory: Path, items: list[tuple[str, bytes]]) -> list[bool | OSError]:
    """Create files that do not exist yet, all-or-nothing each, durable, in one go.

    The same guarantee as `fsutil.write_new_atomic` for every file (the data made durable in a
    file that has no name yet, then hard-linked to its name, so a file is whole or absent and
    never replaced), but with one `syncfs` per chunk of files instead of one fsync per file: a
    refresh writes thousands of small files and per-file fsyncs would cost more than the
    fetching. On Linux the nameless file is an O_TMPFILE: one directory operation per article
    instead of three (create, link, unlink a temporary name), and a killed refresh leaves
    nothing behind. Elsewhere it is a named temporary file, removed after the link.
    Returns, per item, True (created), False (the name existed) or the OSError that stopped it.
    """
    directory.mkdir(parents=True, exist_ok=True)
    results: list[bool | OSError] = []
    dir_fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        for start in range(0, len(items), WRITE_CHUNK):
            chunk = items[start : start + WRITE_CHUNK]
            done = _write_chunk_tmpfile(dir_fd, chunk) if _O_TMPFILE else None
            results += done if done is not None else _write_chunk_named(directory, dir_fd, chunk)
    finally:
        os.close(dir_fd)
    return results


def _link_all(dir_fd: int, names: list[str], sources: list[str | OSError]) -> list[bool | OSError]:
    results: list[bool | OSError] = []
    for name, src in zip(names, sources, strict=True):
        if isinstance(src, OSError):
            results.append(src)
            continue
        try:
            os.link(src, name, dst_dir_fd=dir_fd, follow_symlinks=True)
            results.append(True)
        except FileExistsError:
            results.append(False)
        except OSError as exc:
            results.append(exc)
    return results


def _write_chunk_tmpfile(dir_fd: int, chunk: list[tuple[str, bytes]]) -> list[bool | OSError] | None:
    """`write_new_batch` with O_TMPFILE; None when this file system does not support it."""
    global _O_TMPFILE
    fds: list[int | OSError] = []
    try:
        for _name, data in chunk:
            try:
                fd = os.open(".", _O_TMPFILE | os.O_WRONLY, 0o666, dir_fd=dir_fd)  # less the umask
            except OSError as exc:
                if not fds and exc.errno in _NO_TMPFILE:
                    return None
                fds.append(exc)
                continue
            fds.append(fd)
            try:
                _write_all(fd, data)
            except OSError as exc:
                os.close(fd)
                fds[-1] = exc
        if not _syncfs(dir_fd):
            for fd in fds:
                if isinstance(fd, int):
                    os.fsync(fd)
        names = [name for name, _ in chunk]
        sources = [f"/proc/self/fd/{fd}" if isinstance(fd, int) else fd for fd in fds]
        # the first link tells whether linking through /proc is allowed here (some sandboxes
        # refuse it); if not, this chunk and every later one use named temporary files
        first = next((i for i, src in enumerate(sources) if isinstance(src, str)), None)
        if first is None:
            return _link_all(dir_fd, names, sources)
        try:
            os.link(sources[first], names[first], dst_dir_fd=dir_fd, follow_symlinks=True)
        except FileExistsError:
            pass  # reported as False by _link_all below
        except OSError as exc:
            if exc.errno in _NO_PROC_LINK:
                _O_TMPFILE = 0
                return None
        else:  # linked: the others follow
            rest = _link_all(dir_fd, names[:first] + names[first + 1 :], sources[:first] + sources[first + 1 :])
            rest.insert(first, True)
            return rest
        return _link_all(dir_fd, names, sources)
    finally:
        for fd in fds:
            if isinstance(fd, int):
                os.close(fd)


def _write_chunk_named(directory: Path, dir_fd: int, chunk: list[tuple[str, bytes]]) -> list[bool | OSError]:
    """`write_new_batch` with named temporary files (hidden: "." prefix, ".tmp" suffix)."""
    mode = new_file_mode()
    temps: list[str | OSError] = []
    try:
        for name, data in chunk:
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
            except OSError as exc:
                temps.append(exc)
                continue
            try:
                with os.fdopen(fd, "wb") as fh:
                    if hasattr(os, "fchmod"):
                        os.fchmod(fh.fileno(), mode)
                    fh.write(data)
                temps.append(tmp)
            except OSError as exc:  # e.g. disk full: the temporary file goes, the error is reported
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                temps.append(exc)
        if not _syncfs(dir_fd):
            for tmp in temps:
                if isinstance(tmp, str):
                    fd = os.open(tmp, os.O_RDONLY)
                    try:
                        os.fsync(fd)
                    finally:
                        os.close(fd)
        return _link_all(dir_fd, [name for name, _ in chunk], temps)
    finally:
        for tmp in temps:
            if isinstance(tmp, str):
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


class BatchWriter:
    """Collects article writes for a moment and performs them in a thread, in batches.

    A caller hands over one file (`write`) or a feed's worth (`write_many`, one future for all:
    ten thousand articles on a first refresh need not be ten thousand tasks)."""

    def __init__(self, directory: Path, max_batch: int = 256, linger: float = 0.02) -> None:
        self.directory = directory
        self.max_batch = max_batch
        self.linger = linger
        self._queue: list[tuple[list[tuple[str, bytes]], asyncio.Future[list[bool | OSError]]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def write(self, name: str, data: bytes) -> bool:
        """True when created, False when a file of that name exists; raises OSError."""
        (result,) = await self.write_many([(name, data)])
        if isinstance(result, OSError):
            raise result
        return result

    async def write_many(self, items: list[tuple[str, bytes]]) -> list[bool | OSError]:
        """Per (name, data): True (created), False (the name existed) or the OSError met."""
        if not items:
            return []
        future: asyncio.Future[list[bool | OSError]] = asyncio.get_running_loop().create_future()
        self._queue.append((items, future))
        if self._flusher is None or self._flusher.done():
            self._flusher = asyncio.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        await asyncio.sleep(self.linger)
        while self._queue:
            count = taken = 0
            for items, _ in self._queue:  # whole requests, up to max_batch files (at least one)
                if taken and count + len(items) > self.max_batch:
                    break
                count += len(items)
                taken += 1
            batch, self._queue = self._queue[:taken], self._queue[taken:]
            try:
                results = await asyncio.to_thread(
                    write_new_batch, self.directory, [item for items, _ in batch for item in items]
                )
            except BaseException as exc:  # cancelled, or an unexpected failure: nobody waits forever
                for _, fut in batch:
                    if not fut.done():
                        fut.set_exception(exc if isinstance(exc, Exception) else OSError("interrupted"))
                raise
            at = 0
            for items, fut in batch:
                if not fut.done():
                    fut.set_result(results[at : at + len(items)])
                at += len(items)
