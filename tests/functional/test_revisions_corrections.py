"""Story corrections that name a version later revised: the decision stands for the latest
revision of that article (a version the user moved stays moved after a new revision arrives, a
split stays split), through rescans and a deleted cache; the decisions file is left as written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tuireader.library import Library

STORIES = Path(__file__).resolve().parents[1] / "data" / "stories"


# The seed stories under the names fetched articles get (`<date>_<16 hex>`), which revisions extend.
ID = {path.stem: f"20240514_{i:016x}" for i, path in enumerate(sorted(STORIES.glob("*/*.txt")), start=1)}


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "lib"
    root.mkdir()
    for path in sorted(STORIES.glob("*/*.txt")):
        shutil.copy2(path, root / f"{ID[path.stem]}.txt")
    return root


def revise(root: Path, stem: str, number: int, old: str, new: str) -> str:
    """Store revision `number` of article `stem` beside its first file, as a re-fetch does: the
    text of the revision before with `old` replaced by `new`, linked in its header."""
    previous = stem if number == 2 else f"{stem}-r{number - 1}"
    text = (root / f"{previous}.txt").read_text(encoding="utf-8")
    assert old in text
    head, body = text.split("---\n", 2)[1:]
    head = "".join(line + "\n" for line in head.splitlines() if not line.startswith(("revision:", "previous:", "fetched:")))
    head += f"revision: {number}\nprevious: {previous}\nfetched: 2024-05-16T0{number}:00:00+00:00\n"
    revised = f"{stem}-r{number}"
    (root / f"{revised}.txt").write_text(f"---\n{head}---\n{body.replace(old, new)}", encoding="utf-8")
    return revised


def scanned(root: Path, cache: Path) -> Library:
    lib = Library(root, cache_dir=cache)
    lib.scan()
    return lib


def test_a_moved_version_stays_moved_when_it_is_revised(folder, tmp_path):
    cache = tmp_path / "cache"
    lib = scanned(folder, cache)
    bridge = lib.move_version(ID["river_courier"], ID["capital_ledger"])
    assert lib.story_of(ID["river_courier"]) == bridge != lib.story_of(ID["harbor_times"])
    lib.close()

    r2 = revise(folder, ID["river_courier"], 2, "about 1,500 residents", "about 1,600 residents")
    lib = scanned(folder, cache)  # incremental: the new revision is clustered with the fire, raw
    assert lib.story_of(r2) == bridge
    assert r2 in lib.story_groups()[bridge] and ID["river_courier"] not in lib.story_groups()[bridge]
    assert [s.status for s in lib.story_decisions()] == ["applied"]
    assert lib.decisions.decisions[0].articles == (ID["river_courier"],)  # the file keeps what the user said
    lib.close()

    r3 = revise(folder, ID["river_courier"], 3, "about 1,600 residents", "about 1,650 residents")
    lib = scanned(folder, cache)
    assert lib.story_of(r3) == bridge
    lib.close()

    shutil.rmtree(cache)  # everything derived rebuilt from the folder and its decisions
    lib = scanned(folder, cache)
    assert lib.story_of(r3) == bridge
    assert lib.story_of(ID["harbor_times"]) != bridge
    lib.close()


def test_a_split_naming_a_revised_version_keeps_its_latest_revision_out(folder, tmp_path):
    cache = tmp_path / "cache"
    lib = scanned(folder, cache)
    fire = lib.story_of(ID["harbor_times"])
    lib.split_story(fire, [ID["river_courier"], ID["valley_post"]])
    lib.close()

    r2 = revise(folder, ID["valley_post"], 2, "Around 1,200 residents", "Around 1,300 residents")
    lib = scanned(folder, cache)
    new = lib.story_of(r2)  # named after its earliest member, now the revision
    assert lib.story_of(ID["river_courier"]) == new != lib.story_of(ID["harbor_times"])
    assert set(lib.story_groups()[new]) == {ID["river_courier"], r2}
    assert [s.status for s in lib.story_decisions()] == ["applied"]
    lib.close()


def test_moving_an_older_revision_moves_its_article(folder, tmp_path):
    cache = tmp_path / "cache"
    r2 = revise(folder, ID["river_courier"], 2, "about 1,500 residents", "about 1,600 residents")
    lib = scanned(folder, cache)
    bridge = lib.story_of(ID["capital_ledger"])
    assert lib.move_version(ID["river_courier"], bridge) == bridge  # the reader had revision 1 open
    assert lib.story_of(r2) == bridge
    assert lib.decisions.decisions[-1].articles == (r2,)
    lib.close()
