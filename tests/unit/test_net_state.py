"""The refresh state file, however it was damaged or hand-edited, never gives a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tuireader.sources.feeds.state import STATE_DIR, STATE_FILE, RefreshState, feed_states


def _write(library: Path, data: object | bytes) -> Path:
    path = library / STATE_DIR / STATE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else json.dumps(data).encode())
    return path


GOOD_FEED = {
    "done": "ab12",
    "seen": ["k1", "k2"],
    "failures": {"k3": 1},
    "entries": 3,
    "ok_at": "2024-03-01T10:00:00Z",
}


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ([1, 2, 3], "holds a JSON list"),
        ("just a string", "holds a JSON string"),
        (42, "holds a JSON number"),
        (None, "holds a JSON null"),
        (b"\x00\xff not json", "damaged"),
        (b'{"version": 1, "feeds": ', "damaged"),
        (b"[" * 100_000, "damaged"),  # deeper than the JSON parser recurses
    ],
)
def test_a_state_of_the_wrong_type_starts_afresh_with_one_line(
    tmp_path: Path, data: object, said: str
) -> None:
    path = _write(tmp_path, data)
    state = RefreshState.load(tmp_path)
    assert state.feeds == {} and state.urls == {}
    assert state.notice is not None and said in state.notice and str(path) in state.notice
    assert "\n" not in state.notice
    assert feed_states(tmp_path) == {}


@pytest.mark.parametrize(
    ("feeds", "wrong"),
    [
        ({"https://a.example/rss": "not a dict"}, "a string"),
        ({"https://a.example/rss": {**GOOD_FEED, "seen": 5}}, "seen is a number"),
        ({"https://a.example/rss": {**GOOD_FEED, "seen": [1, 2]}}, "seen holds more than keys"),
        ({"https://a.example/rss": {**GOOD_FEED, "failures": ["k"]}}, "failures is a list"),
        ({"https://a.example/rss": {**GOOD_FEED, "failures": {"k": "many"}}}, "failures holds more"),
        ({"https://a.example/rss": {**GOOD_FEED, "entries": "3"}}, "entries is a string"),
        ({"https://a.example/rss": {**GOOD_FEED, "error": {"deep": True}}}, "error is a object"),
    ],
)
def test_a_feed_of_wrong_types_is_dropped_the_others_kept(tmp_path: Path, feeds: dict, wrong: str) -> None:
    good = "https://b.example/atom"
    _write(tmp_path, {"version": 1, "feeds": {**feeds, good: GOOD_FEED}, "urls": {"h1": "2024-a"}})
    state = RefreshState.load(tmp_path)
    assert list(state.feeds) == [good] and state.feeds[good] == GOOD_FEED
    assert state.urls == {"h1": "2024-a"}
    assert state.notice is not None and wrong in state.notice and "https://a.example/rss" in state.notice


@pytest.mark.parametrize("table", ["urls", "content", "canon"])
def test_a_wrong_table_starts_afresh(tmp_path: Path, table: str) -> None:
    _write(tmp_path, {"version": 1, "feeds": {"https://b.example/atom": GOOD_FEED}, table: ["x"]})
    state = RefreshState.load(tmp_path)
    assert getattr(state, table) == {} and "https://b.example/atom" in state.feeds
    assert state.notice is not None and table in state.notice
    _write(tmp_path, {"version": 1, table: {"k": 7}})
    assert table in (RefreshState.load(tmp_path).notice or "")


def test_feeds_that_are_not_an_object_start_afresh(tmp_path: Path) -> None:
    _write(tmp_path, {"version": 1, "feeds": ["https://a.example/rss"], "urls": {"h": "a"}})
    state = RefreshState.load(tmp_path)
    assert state.feeds == {} and state.urls == {"h": "a"} and "feeds" in (state.notice or "")


def test_a_sound_state_loads_without_a_notice(tmp_path: Path) -> None:
    _write(tmp_path, {"version": 1, "feeds": {"https://b.example/atom": GOOD_FEED}, "urls": {"h": "a"}})
    state = RefreshState.load(tmp_path)
    assert state.notice is None and state.feeds["https://b.example/atom"] == GOOD_FEED
    assert RefreshState.load(tmp_path / "elsewhere").notice is None  # none yet is no damage


def test_refresh_reports_the_notice_and_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tuireader.cli.main import main

    library = tmp_path / "library"
    library.mkdir()
    _write(library, ["not", "a", "state"])
    (library / "feeds.opml").write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline type="rss" text="x" xmlUrl="http://127.0.0.1:9/none.xml"/></body></opml>',
        encoding="utf-8",
    )
    main(["--library", str(library), "--cache-dir", str(tmp_path / "cache"), "refresh", "--quiet"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    notes = [line for line in err.splitlines() if line.startswith("note: ")]
    assert len(notes) == 1 and "holds a JSON list" in notes[0]
    assert isinstance(json.loads((library / STATE_DIR / STATE_FILE).read_text()), dict)  # rewritten whole
