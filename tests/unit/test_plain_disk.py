"""The derived-value cache holds plain data: it never unpickles, so a planted pickle never runs."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import diskcache
import pytest

from tuireader.model import Article, Discrepancy, LinkedQuote, Quote, QuoteMatch, StoryLinks
from tuireader.store.plain_disk import NotPlainData, PlainDisk, dumps, loads


def test_project_values_round_trip_exactly(tmp_path):
    cache = diskcache.Cache(str(tmp_path), disk=PlainDisk)
    article = Article("a", "/a.txt", "h", "Title", ("One.", "Two."), outlet="Out", provenance={"outlet": "header"})
    quote = Quote("we will act", "Kirby", 5, 16)
    links = StoryLinks(
        quotes={"a": (LinkedQuote(quote, (QuoteMatch("b", None, "verbatim", 100.0, "we will act", 1, 12),)),)},
        discrepancies=(Discrepancy("residents", {"a": "1,200", "b": "1,500"}, "count", {"a": (1, 6)}, ("c",)),),
    )
    key = ("links", ("3", "analysis-2"), (("a", "h"), ("b", "g")))
    value = (article, links, frozenset({"x", "y"}), {("k", 1): b"\x00\x01"}, [1.5, None, True])
    cache.set(key, value)
    assert cache.get(key) == value
    big = tuple(f"sentence {i} " * 20 for i in range(2000))  # stored in a file of its own
    cache.set("big", big)
    assert cache.get("big") == big and ("big" in cache)


def test_a_planted_pickle_is_never_loaded(tmp_path):
    marker = tmp_path / "ran"

    class Boom:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    plain = diskcache.Cache(str(tmp_path / "c"))  # someone with write access, using diskcache's default disk
    plain.set("key", Boom())
    plain.close()
    cache = diskcache.Cache(str(tmp_path / "c"), disk=PlainDisk)
    assert cache.get("key") is None  # its key is a pickle too: never even matched
    rows = cache._sql("SELECT mode, filename, value FROM Cache").fetchall()
    assert rows
    for mode, filename, value in rows:
        with pytest.raises(NotPlainData):
            cache._disk.fetch(mode, filename, value, False)
    with pytest.raises(NotPlainData):
        loads(pickle.dumps(Boom()))
    assert not marker.exists()


def test_classes_outside_the_project_and_changed_classes_are_refused():
    with pytest.raises(TypeError):
        dumps(Path("/etc"))
    assert loads(dumps({"x": 1, "~odd": (1,)})) == {"x": 1, "~odd": (1,)}
    import json
    import zlib

    def entry(obj) -> bytes:
        return b"TRJ1" + zlib.compress(json.dumps(obj).encode())

    with pytest.raises(NotPlainData):
        loads(entry({"~c": "os:system", "v": {}}))
    with pytest.raises(NotPlainData):
        loads(entry({"~c": "tuireader.fsutil:write_atomic", "v": {}}))
    with pytest.raises(NotPlainData):
        loads(entry({"~c": "tuireader.model:Quote", "v": {"no_such_field": 1}}))
    with pytest.raises(NotPlainData):
        loads(b"TRJ1garbage")
