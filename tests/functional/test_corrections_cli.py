"""`tuireader stories move|split|merge|decisions`: the user's word on stories from the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tuireader.cli import main

STORIES = Path(__file__).resolve().parents[1] / "data" / "stories"
FIRE = {"harbor_times", "metro_wire", "river_courier", "valley_post"}
BRIDGE = {"capital_ledger", "lakeside_daily", "north_gazette"}


@pytest.fixture()
def lib(tmp_path: Path) -> list[str]:
    root = tmp_path / "lib"
    root.mkdir()
    for path in sorted(STORIES.glob("*/*.txt")):
        shutil.copy2(path, root / path.name)
    return ["--library", str(root), "--cache-dir", str(tmp_path / "cache")]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def listed_stories(capsys, lib) -> dict[str, set[str]]:
    code, out, _err = run(capsys, "list", "--json", *lib)
    assert code == 0
    groups: dict[str, set[str]] = {}
    for row in json.loads(out):
        groups.setdefault(row["story"], set()).add(row["id"])
    return groups


def test_move_split_merge_and_undo_from_the_command_line(lib, capsys, tmp_path):
    code, out, err = run(capsys, "stories", "move", "river_courier", "--to", "capital_ledger", *lib)
    assert (code, err) == (0, "")
    assert out.startswith("moved river_courier to s_capital_ledger (4 versions): Harlow Bridge")
    assert listed_stories(capsys, lib)["s_capital_ledger"] == BRIDGE | {"river_courier"}

    code, out, _ = run(capsys, "stories", "split", "harbor_times", "metro_wire", *lib)
    assert code == 0
    assert "new story s_metro_wire (1 version): Chemical plant fire in Dunmore" in out
    assert "left in s_harbor_times (2 versions)" in out

    code, out, _ = run(capsys, "stories", "merge", "s_metro_wire", "valley_post", *lib)
    assert code == 0 and out.startswith("merged into s_harbor_times (3 versions)")
    assert listed_stories(capsys, lib) == {"s_capital_ledger": BRIDGE | {"river_courier"},
                                           "s_harbor_times": FIRE - {"river_courier"}}

    code, out, _ = run(capsys, "stories", "decisions", "--json", *lib)
    decisions = json.loads(out)
    assert [(d["n"], d["action"], d["status"]) for d in decisions] == [
        (1, "move", "applied"), (2, "split", "applied"), (3, "merge", "applied")]
    code, out, _ = run(capsys, "stories", "decisions", *lib)
    assert "move river_courier to the story of capital_ledger" in out and "applied" in out

    code, out, _ = run(capsys, "stories", "decisions", "--undo", "1", *lib)
    assert code == 0 and out.startswith("undid 1: move river_courier")
    assert listed_stories(capsys, lib) == {"s_capital_ledger": BRIDGE, "s_harbor_times": FIRE}


def test_the_decisions_survive_deleting_the_cache(lib, capsys, tmp_path):
    assert run(capsys, "stories", "move", "lakeside_daily", "--to", "new", *lib)[0] == 0
    before = listed_stories(capsys, lib)
    assert before["s_lakeside_daily"] == {"lakeside_daily"}
    shutil.rmtree(tmp_path / "cache")
    assert listed_stories(capsys, lib) == before
    assert (tmp_path / "lib" / ".tuireader" / "stories.json").is_file()


def test_mistakes_are_one_line_and_change_nothing(lib, capsys, tmp_path):
    code, _out, err = run(capsys, "stories", "move", "nosuch", "--to", "new", *lib)
    assert code == 1 and err.strip() == f"error: nosuch: no such article in {tmp_path / 'lib'}"
    code, _out, err = run(capsys, "stories", "move", "metro_wire", "--to", "harbor_times", *lib)
    assert code == 2 and "is in s_harbor_times already" in err
    code, _out, err = run(capsys, "stories", "split", "harbor_times", "capital_ledger", *lib)
    assert code == 1 and "capital_ledger: not a version of s_harbor_times" in err
    code, _out, err = run(capsys, "stories", "merge", "harbor_times", "metro_wire", *lib)
    assert code == 2 and "one story already" in err
    code, _out, err = run(capsys, "stories", "decisions", "--undo", *lib)
    assert code == 1 and "no such decision" in err
    assert not (tmp_path / "lib" / ".tuireader" / "stories.json").exists()
    assert listed_stories(capsys, lib) == {"s_capital_ledger": BRIDGE, "s_harbor_times": FIRE}


def test_stale_decisions_are_listed_as_such(lib, capsys, tmp_path):
    run(capsys, "stories", "move", "valley_post", "--to", "new", *lib)
    (tmp_path / "lib" / "valley_post.txt").unlink()
    code, out, _ = run(capsys, "stories", "decisions", *lib)
    assert code == 0 and "stale" in out and "gone: valley_post" in out
