"""Every version of a story carries a label no other version shares: in `list`, in `stories` (the
discrepancy table) and in the reader's info pane."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tuireader.cli import main
from tuireader.library import Library
from tuireader.tui.app import ReaderApp

STORY = [
    "Flood waters rose through the river town of Marlow overnight, forcing {n} families from their "
    "homes and closing the old stone bridge, the county emergency office said on Wednesday.",
    "Rescue crews in boats carried residents from the lower streets to the school gym, where the "
    "Red Cross opened a shelter with {beds} beds and hot meals for anyone who needed them.",
    "The river crested at {feet} feet shortly before dawn, the highest level recorded since the "
    "great flood of 1947, according to the gauge kept by the water authority at the mill weir.",
    "Mayor Helen Park said the town would need weeks to recover. \"We have never seen water this "
    "high in the market square,\" she told reporters outside the flooded town hall.",
]


def version(n: int, header: str = "") -> str:
    paras = [p.format(n=20 + n, beds=100 + 10 * n, feet=18 + n % 3) for p in STORY]
    return header + "Flood forces families from homes in Marlow\n\n" + "\n\n".join(paras) + "\n"


@pytest.fixture
def twelve(tmp_path: Path) -> Path:
    """Twelve versions named as the ECB+ corpus names its documents: 1_1ecb.txt ... 1_12ecb.txt."""
    root = tmp_path / "twelve"
    root.mkdir()
    for n in range(1, 13):
        (root / f"1_{n}ecb.txt").write_text(version(n), encoding="utf-8")
    return root


@pytest.fixture
def same_day(tmp_path: Path) -> Path:
    """Two fetched articles of one day, named as a refresh names them, with no outlet stated."""
    root = tmp_path / "same_day"
    root.mkdir()
    for n, (stem, hour) in enumerate([("20240515_5b903ab4dc6d6d19", "08"), ("20240515_9c0e1d2f3a4b5c6d", "14")]):
        header = f"---\ntitle: Flood forces families from homes in Marlow\npublished: 2024-05-15T{hour}:00:00Z\n---\n\n"
        (root / f"{stem}.txt").write_text(version(n, header), encoding="utf-8")
    return root


def cli(capsys: pytest.CaptureFixture[str], root: Path, cache: Path, *argv: str) -> str:
    code = main([*argv, "--library", str(root), "--cache-dir", str(cache)])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


@pytest.mark.parametrize("which", ["twelve", "same_day"])
def test_labels_are_distinct_in_list_and_stories(which: str, request, tmp_path: Path, capsys) -> None:
    root = request.getfixturevalue(which)
    cache = tmp_path / "cache"
    rows = json.loads(cli(capsys, root, cache, "list", "--json"))
    labels = {r["id"]: r["label"] for r in rows}
    assert len(labels) == len(list(root.glob("*.txt")))
    assert len(set(labels.values())) == len(labels), labels

    stories = json.loads(cli(capsys, root, cache, "stories", "--json"))
    assert max(len(s["articles"]) for s in stories) > 1  # versions of one story meet
    for s in stories:
        assert s["labels"] == {aid: labels[aid] for aid in s["articles"]}
    tables = [d for s in stories for d in s["discrepancies"]]
    assert tables, "the versions differ in their figures"
    human = cli(capsys, root, cache, "stories")
    for d in tables:
        for aid in d["values"]:
            assert f"{labels[aid]}:" in human  # each version named by its own label in the table
    if which == "same_day":
        assert set(labels.values()) == {"#20240515_5b90", "#20240515_9c0e"}


@pytest.mark.parametrize("which", ["twelve", "same_day"])
async def test_labels_are_distinct_in_the_reader(which: str, request, tmp_path: Path, settled, screen) -> None:
    root = request.getfixturevalue(which)
    lib = Library(root, cache_dir=tmp_path / "cache")
    app = ReaderApp(lib, remember=False)
    async with app.run_test(size=(160, 50)) as pilot:
        await settled(pilot, timeout=120)
        main_screen = app.reader
        listed = [item.summary.label for item in main_screen.article_list.items if item.summary is not None]
        assert len(listed) == len(set(listed)) == len(list(root.glob("*.txt")))
        story = main_screen.current_view.story
        assert story is not None and len(story.articles) > 1
        pane = " ".join(text for entry in main_screen.meta.links for text, _style in entry.pieces)
        others = [lib.labels()[aid] for aid in story.articles if aid != main_screen.current_id]
        assert f"also {', '.join(others)}" in pane
        assert len(set(others)) == len(others)
        shown = screen(app)
        assert f"{lib.labels()[main_screen.current_id]} · " in shown  # the article's byline names it so
    lib.close()
