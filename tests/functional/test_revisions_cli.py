"""`tuireader revisions ID` and `tuireader show ID --revision N` on a story whose Harbour Times
article has three revisions (230, 245, then 260 passengers) beside two other outlets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from revision_story import FIRST, OTHERS, write_story

from tuireader.cli import main


@pytest.fixture()
def folders(tmp_path: Path) -> list[str]:
    root = write_story(tmp_path / "lib")
    return ["--library", str(root), "--cache-dir", str(tmp_path / "c")]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_three_versions_not_five(folders, capsys) -> None:
    code, out, err = run(capsys, "list", "--json", *folders)
    assert code == 0, err
    rows = json.loads(out)
    assert sorted(r["id"] for r in rows) == sorted([f"{FIRST}-r3", *OTHERS])
    assert {r["id"]: r["revisions"] for r in rows}[f"{FIRST}-r3"] == 3


def test_revisions_lists_three_numbered_rows_from_any_revision_id(folders, capsys) -> None:
    code, out, err = run(capsys, "revisions", FIRST, *folders)
    assert code == 0, err
    lines = [line for line in out.splitlines() if FIRST in line and "│" in line]
    assert len(lines) == 3
    assert [line.split("│")[1].strip() for line in lines] == ["1", "2", "3"]
    assert "2024-05-14 22:10" in lines[1] and "13" in lines[2]
    code, out, err = run(capsys, "revisions", f"{FIRST}-r2", "--json", *folders)
    assert code == 0, err
    data = json.loads(out)
    assert [(r["number"], r["article"], r["changed"]) for r in data] == [
        (1, FIRST, None), (2, f"{FIRST}-r2", 1), (3, f"{FIRST}-r3", 13)]  # fmt: skip


def test_revisions_of_an_article_never_revised_and_of_an_unknown_id(folders, capsys) -> None:
    code, out, _err = run(capsys, "revisions", OTHERS[0], *folders)
    assert code == 0
    assert out.strip() == f"{OTHERS[0]} has one revision"
    code, out, err = run(capsys, "revisions", "20991231_ffffffffffffffff", *folders)
    assert code == 1
    assert out == "" and len(err.strip().splitlines()) == 1 and "no such article" in err


def test_show_revision_prints_that_revisions_text(folders, capsys) -> None:
    code, out, err = run(capsys, "show", f"{FIRST}-r3", "--revision", "1", "--json", *folders)
    assert code == 0, err
    shown = json.loads(out)
    assert shown["id"] == FIRST
    text = shown["text"]
    assert "230 passengers" in text and "260" not in text
    code, out, err = run(capsys, "show", FIRST, "--revision", "1", *folders)
    assert code == 0, err
    assert "230 passengers" in out and "revision 1 of 3" in out
    code, out, err = run(capsys, "show", FIRST, *folders)  # the article, as the list has it: the latest
    assert code == 0, err
    assert "260 passengers" in out


def test_show_revision_out_of_range_is_one_line_and_exit_1(folders, capsys) -> None:
    code, out, err = run(capsys, "show", FIRST, "--revision", "4", *folders)
    assert code == 1
    assert out == ""
    assert err.strip().splitlines() == [f"error: {FIRST}: no revision 4 (it has revisions 1 to 3)"]
    code, _out, err = run(capsys, "show", OTHERS[1], "--revision", "2", *folders)
    assert code == 1 and "it has one revision" in err


def test_a_revision_id_with_control_characters_in_its_file_is_printed_safely(tmp_path, capsys) -> None:
    root = write_story(tmp_path / "lib")
    path = root / f"{FIRST}-r2.txt"
    path.write_text(path.read_text().replace("fetched: 2024-05-14T22:10:00+00:00",
                                             "fetched: 2024-05-14\x1b[31mT22"), encoding="utf-8")  # fmt: skip
    code, out, err = run(capsys, "revisions", FIRST, "--library", str(root), "--cache-dir", str(tmp_path / "c"))
    assert code == 0, err
    assert "\x1b[31m" not in out
