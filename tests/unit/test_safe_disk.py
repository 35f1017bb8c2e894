"""The derived-value cache never runs code from a cache folder someone else could write."""

from __future__ import annotations

import os
import pickle

import diskcache
import pytest

from tuireader.model import Article, Quote
from tuireader.store.safe_disk import SafeDisk, UnsafePickle, safe_loads


class _Boom:
    def __reduce__(self):
        return (os.system, ("echo pwned > /dev/null",))


def test_project_values_round_trip(tmp_path):
    cache = diskcache.Cache(str(tmp_path), disk=SafeDisk)
    article = Article("a", "/a.txt", "h", "Title", ("One.", "Two."), outlet="Out")
    cache.set(("analysis", "h", ("3",)), (article, [Quote("x", "Kirby", 0, 1)], {"k": 1.5}, frozenset({1})))
    got = cache.get(("analysis", "h", ("3",)))
    assert got[0] == article and got[1][0].speaker == "Kirby" and got[2] == {"k": 1.5}


def test_a_pickle_that_calls_something_is_refused_before_it_runs(tmp_path):
    with pytest.raises(UnsafePickle, match="posix.system|os.system"):
        safe_loads(pickle.dumps(_Boom()))
    cache = diskcache.Cache(str(tmp_path), disk=SafeDisk)
    # written by a plain diskcache (an attacker with write access to the folder)
    plain = diskcache.Cache(str(tmp_path))
    plain.set("key", _Boom())
    with pytest.raises(UnsafePickle):
        cache.get("key")


def test_functions_of_the_project_are_not_callable_from_a_pickle():
    from tuireader import fsutil

    class _Write:
        def __reduce__(self):
            return (fsutil.write_atomic, ("/tmp/never-written-by-a-cache", b"x"))

    with pytest.raises(UnsafePickle):
        safe_loads(pickle.dumps(_Write()))
    assert not os.path.exists("/tmp/never-written-by-a-cache")
