"""A diskcache `Disk` that unpickles only the project's own value types.

diskcache stores values as pickles, and a pickle can name any importable callable: a cache folder
that someone else can write (a shared machine, a synced home folder) would otherwise run their code
in the reader (CVE-2025-69872; diskcache has no fixed release). This disk's unpickler accepts the
plain containers and scalars, and classes of the `tuireader` package that are dataclasses (the
values in `model.py`, the site profiles of `clean.site`): nothing that runs code when built. A
value that names anything else raises `UnsafePickle` before anything is built; the Library reads
that, like any value that does not unpickle (another version's objects), as a cache miss, and
recomputes it from the library folder.
"""

from __future__ import annotations

import dataclasses
import io
import pickle
from typing import Any

import diskcache
from diskcache.core import MODE_PICKLE

#: Callables a pickle of plain values and dataclasses refers to.
_ALLOWED_BUILTINS = {
    ("builtins", name)
    for name in ("tuple", "list", "dict", "set", "frozenset", "str", "bytes", "bytearray", "int", "float",
                 "complex", "bool", "object", "slice", "range")  # fmt: skip
} | {("copyreg", "_reconstructor"), ("copyreg", "__newobj__"), ("collections", "OrderedDict"),
     ("collections", "defaultdict"), ("array", "_array_reconstructor"), ("array", "array")}


#: Project classes that are plain data without being dataclasses (state set from a dict, no custom
#: reduce): the story index, until its rows live in SQLite.
_ALLOWED_CLASSES = {("tuireader.analysis.stories", "StoryIndex")}


class UnsafePickle(pickle.UnpicklingError):
    """A cached value named something other than plain data or a tuireader dataclass."""


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED_BUILTINS:
            return super().find_class(module, name)
        if module == "tuireader" or module.startswith("tuireader."):
            found = super().find_class(module, name)
            if isinstance(found, type) and (dataclasses.is_dataclass(found) or (module, name) in _ALLOWED_CLASSES):
                return found
        raise UnsafePickle(f"{module}.{name} is not a cache value type")


def safe_loads(data: bytes) -> Any:
    return _Unpickler(io.BytesIO(data)).load()


class SafeDisk(diskcache.Disk):
    """diskcache's Disk with the restricted unpickler for keys and values."""

    def get(self, key: Any, raw: bool) -> Any:
        if raw:
            return super().get(key, raw)
        return safe_loads(bytes(key))

    def fetch(self, mode: int, filename: str | None, value: Any, read: bool) -> Any:
        if mode != MODE_PICKLE:
            return super().fetch(mode, filename, value, read)
        if value is None:
            with open(f"{self._directory}/{filename}", "rb") as reader:  # type: ignore[attr-defined]
                return safe_loads(reader.read())
        return safe_loads(bytes(value))
