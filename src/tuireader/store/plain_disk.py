"""A diskcache `Disk` that stores plain data (tagged JSON), never pickles.

diskcache pickles keys and values by default, and a pickle can name any importable callable: a
cache folder that someone else can write (a shared machine, a synced home folder) would run their
code in the reader (CVE-2025-69872; diskcache has no fixed release). This disk writes JSON instead,
with tags for what JSON lacks: tuples, sets, bytes, non-string dict keys, and dataclasses of the
`tuireader` package (the values of `model.py`, the site profiles of `clean.site`), which are
rebuilt field by field through their constructors. Reading anything else — a pickle from an older
version, a tag naming a class outside the project, a damaged file — raises `NotPlainData`, which the
Library reads as a cache miss and recomputes from the library folder.

Small values sit in the cache's SQLite rows, large ones in files, as diskcache does for bytes.
"""

from __future__ import annotations

import base64
import dataclasses
import importlib
import json
import os
import sqlite3
import zlib
from typing import Any

import diskcache
from diskcache.core import MODE_BINARY, MODE_RAW

#: Values at least this long (compressed JSON bytes) go to a file of their own.
FILE_THRESHOLD = 32 * 1024
_MAGIC = b"TRJ1"


class NotPlainData(ValueError):
    """A cache entry that is not plain data written by this disk (an old pickle, a foreign class)."""


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, tuple):
        return {"~t": [_encode(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"~s" if isinstance(value, set) else "~f": [_encode(v) for v in sorted(value, key=repr)]}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"~b": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("~") for k in value):
            return {k: _encode(v) for k, v in value.items()}
        return {"~d": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        if not cls.__module__.startswith("tuireader."):
            raise TypeError(f"{cls.__module__}.{cls.__qualname__} is not a cache value type")
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return {"~c": f"{cls.__module__}:{cls.__qualname__}", "v": fields}
    raise TypeError(f"{type(value).__name__} is not plain data")


def _class(tag: str) -> type:
    module, _, name = tag.partition(":")
    if not module.startswith("tuireader.") or "." in name:
        raise NotPlainData(f"{tag} is not a cache value type")
    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as e:
        raise NotPlainData(f"{tag} no longer exists") from e
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise NotPlainData(f"{tag} is not a cache value type")
    return cls


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (tag, inner), = value.items()
        if tag == "~t":
            return tuple(_decode(v) for v in inner)
        if tag == "~s":
            return {_decode(v) for v in inner}
        if tag == "~f":
            return frozenset(_decode(v) for v in inner)
        if tag == "~b":
            return base64.b64decode(inner)
        if tag == "~d":
            return {_decode(k): _decode(v) for k, v in inner}
    if "~c" in value:
        cls = _class(value["~c"])
        try:
            return cls(**{k: _decode(v) for k, v in value["v"].items()})
        except TypeError as e:  # the class changed its fields since this was written
            raise NotPlainData(f"{value['~c']}: {e}") from e
    return {k: _decode(v) for k, v in value.items()}


def dumps(value: Any) -> bytes:
    return _MAGIC + zlib.compress(json.dumps(_encode(value), separators=(",", ":")).encode("utf-8"), 1)


def loads(data: bytes) -> Any:
    data = bytes(data)
    if not data.startswith(_MAGIC):
        raise NotPlainData("not written by this cache (an older version's pickle?)")
    try:
        return _decode(json.loads(zlib.decompress(data[len(_MAGIC) :])))
    except (zlib.error, ValueError, RecursionError) as e:
        raise NotPlainData(f"damaged entry: {e}") from e


class PlainDisk(diskcache.Disk):
    """diskcache's Disk with keys and values as tagged JSON (see the module docstring)."""

    def put(self, key: Any):
        return sqlite3.Binary(dumps(key)), False

    def get(self, key: Any, raw: bool) -> Any:
        return loads(key)

    def store(self, value: Any, read: bool, key: Any = diskcache.core.UNKNOWN):
        if read:
            raise NotPlainData("file handles are not cached")
        data = dumps(value)
        if len(data) < FILE_THRESHOLD:
            return 0, MODE_RAW, None, sqlite3.Binary(data)
        filename, full_path = self.filename(key, value)
        os.makedirs(os.path.dirname(full_path), exist_ok=True)
        with open(full_path, "wb") as writer:
            writer.write(data)
        return len(data), MODE_BINARY, filename, None

    def fetch(self, mode: int, filename: str | None, value: Any, read: bool) -> Any:
        if mode == MODE_RAW:
            return loads(value)
        if mode == MODE_BINARY and filename:
            with open(os.path.join(self._directory, filename), "rb") as reader:  # type: ignore[attr-defined]
                return loads(reader.read())
        raise NotPlainData("not written by this cache (an older version's entry)")


__all__ = ["NotPlainData", "PlainDisk", "dumps", "loads"]
