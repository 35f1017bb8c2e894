"""Differing figures through the Library and the command line: between outlets (our figure stories,
reworded, with traps), and between the revisions of one outlet's article (a number changed after
publication), reported apart from those between outlets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from figure_stories import BUS, POLL, STADIUM
from revision_story import FIRST, OTHERS, write_story

from tuireader.cli import main
from tuireader.library import Library

LATEST = f"{FIRST}-r3"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def story_discrepancies(tmp_path: Path, *stories) -> list:
    root = tmp_path / "lib"
    for st in stories:
        st.write(root)
    lib = Library(root, cache_dir=tmp_path / "c")
    lib.scan()
    return [d for s in lib.stories() for d in s.discrepancies]


def values(d) -> set[str]:
    return set(d.values.values())


def test_money_and_shares_that_differ_between_outlets_are_reported(tmp_path: Path) -> None:
    found = story_discrepancies(tmp_path, STADIUM, POLL)
    money = [d for d in found if d.kind == "money"]
    assert [values(d) for d in money] == [{"$3.2 million", "$3.5 million"}]
    shares = {frozenset(values(d)) for d in found if d.kind == "percent"}
    assert {"40", "45 percent", "40 percent"} in shares  # 40% / 45 percent / 40 percent
    assert {"60 percent", "Sixty-four percent", "60"} in shares
    # the range "between 80 and 90 million euros" holds "85 million euros": no money discrepancy
    assert not any("85 million euros" in values(d) for d in found)
    assert all(d.between == "outlets" for d in found)


def test_deaths_that_differ_are_reported_and_other_quantities_are_not_mixed_in(tmp_path: Path) -> None:
    found = story_discrepancies(tmp_path, BUS)
    dead = [d for d in found if d.what.startswith("dead")]
    assert len(dead) == 1 and {"12 people", "Fourteen people"} <= values(dead[0])
    units = {d.what.split()[0] for d in found if d.kind == "count"}
    assert units == {"dead", "ambulances"}  # three ambulances / eight: a real difference
    # no group mixes the dead with the injured, and the range "10 to 12 children" holds "11"
    assert not any("30" in v for d in found for v in d.values.values())
    assert not any("children" in d.what for d in found)


def test_revisions_that_change_a_number_are_reported_between_revisions(tmp_path: Path) -> None:
    lib = Library(write_story(tmp_path / "lib"), cache_dir=tmp_path / "c")
    lib.scan()
    changes = lib.revision_discrepancies(f"{FIRST}-r2")  # any revision's id names the article
    assert [(d.kind, d.between, list(d.values.items())) for d in changes] == [
        ("count", "revisions", [(FIRST, "230 passengers"), (f"{FIRST}-r2", "245 passengers")]),
        ("count", "revisions", [(f"{FIRST}-r2", "245 passengers"), (LATEST, "260 passengers")]),
    ]
    # between outlets the story compares the latest revision: 250 (Coast Courier) against 260
    (outlets,) = lib.story(lib.story_of(LATEST)).discrepancies
    assert outlets.between == "outlets"
    assert outlets.values == {
        OTHERS[0]: "250 passengers",
        LATEST: "260 passengers",
        OTHERS[1]: "260 passengers",
    }
    assert lib.revision_discrepancies(OTHERS[0]) == []  # never revised


@pytest.fixture()
def folders(tmp_path: Path) -> list[str]:
    root = write_story(tmp_path / "lib")
    return ["--library", str(root), "--cache-dir", str(tmp_path / "c")]


def test_the_revisions_command_lists_the_changed_figures(folders, capsys) -> None:
    code, out, err = run(capsys, "revisions", FIRST, *folders)
    assert code == 0, err
    changed = [line.strip() for line in out.splitlines() if "→" in line]
    assert len(changed) == 2
    assert changed[0].startswith("r1 → r2: passengers 230 → 245")
    assert changed[1].startswith("r2 → r3: passengers 245 → 260")
    code, out, err = run(capsys, "revisions", LATEST, "--json", *folders)
    assert code == 0, err
    rows = json.loads(out)
    assert [len(r["discrepancies"]) for r in rows] == [0, 1, 1]
    last = rows[2]["discrepancies"][0]
    assert last["between"] == "revisions" and last["values"] == {f"{FIRST}-r2": "245 passengers",
                                                                  LATEST: "260 passengers"}  # fmt: skip


def test_the_stories_command_shows_the_outlets_figures_that_differ(folders, capsys) -> None:
    code, out, err = run(capsys, "stories", *folders)
    assert code == 0, err
    assert "no discrepancies" not in out.lower()
    assert "250 / 260" in out


def test_a_revision_that_changes_only_words_reports_no_figure(tmp_path: Path, capsys) -> None:
    from revision_story import harbour

    root = tmp_path / "lib"
    root.mkdir()
    (root / f"{FIRST}.txt").write_text(harbour(260), encoding="utf-8")
    more = " The operator said it would pay for hotel rooms for stranded travellers."
    (root / f"{FIRST}-r2.txt").write_text(harbour(260, 2, "2024-05-15T07:30:00+00:00", more), encoding="utf-8")
    lib = Library(root, cache_dir=tmp_path / "c")
    lib.scan()
    assert len(lib.revisions(FIRST)) == 2
    assert lib.revision_discrepancies(FIRST) == []
    code, out, err = run(capsys, "revisions", FIRST, "--library", str(root), "--cache-dir", str(tmp_path / "c"))
    assert code == 0, err
    assert "no figure changed between revisions" in out and "→" not in out
