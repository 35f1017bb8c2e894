"""The Library's story alignment: one source for every view, and sentence vectors kept per version."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tuireader.analysis import similarity
from tuireader.cli import main
from tuireader.library import Library

STORY = Path(__file__).resolve().parents[1] / "data" / "stories" / "plant-fire"


@pytest.fixture
def fire(tmp_path: Path) -> tuple[Path, Path]:
    lib = tmp_path / "lib"
    shutil.copytree(STORY, lib)
    return lib, tmp_path / "cache"


def test_a_changed_version_is_the_only_one_encoded_again(fire, monkeypatch):
    lib_dir, cache = fire
    if similarity.sentence_model() is None:
        pytest.fail("the sentence model is a dependency and must load: " + similarity.model_status())
    lib = Library(lib_dir, cache)
    lib.scan()
    lib.links(lib.story_of("valley_post"))
    lib.close()

    with (lib_dir / "river_courier.txt").open("a") as f:
        f.write("\nA late update said the plant would stay closed for at least a week.\n")
    similarity._vectors.clear()  # as in a new process
    model = similarity.sentence_model()
    encoded: list[str] = []
    real = model.encode
    monkeypatch.setattr(model, "encode", lambda texts: (encoded.extend(texts), real(texts))[1])
    lib = Library(lib_dir, cache)
    lib.scan()
    links = lib.links(lib.story_of("valley_post"))
    assert encoded, "the changed version is encoded"
    assert "A late update said the plant would stay closed for at least a week." in encoded
    others = {lib.article(a).text for a in ("harbor_times", "metro_wire", "valley_post")}
    assert not [t for t in encoded if any(t in o for o in others) and t not in lib.article("river_courier").text]
    assert links.quotes["valley_post"]  # and the alignment is whole
    lib.close()


def test_show_and_stories_json_read_the_same_alignment(fire, capsys):
    lib_dir, cache = fire
    assert main(["--library", str(lib_dir), "--cache-dir", str(cache), "show", "river_courier", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    (d,) = [d for d in shown["discrepancies"] if d["kind"] == "count"]
    assert set(d["values"]) == {"harbor_times", "metro_wire", "river_courier", "valley_post"}
    assert d["summary"].endswith("1,200 / 1,500")
    statuses = {s["status"] for s in shown["sentences"]}
    assert statuses <= {"shared", "reworded", "only here"} and "only here" in statuses
    assert any("under control" in r["text"] for r in shown["reported"])
    for s in shown["sentences"]:
        assert len({p["article"] for p in s["pairs"]}) == len(s["pairs"])

    assert main(["--library", str(lib_dir), "--cache-dir", str(cache), "stories", "--json"]) == 0
    (story,) = json.loads(capsys.readouterr().out)
    versions = {v["id"]: v for v in story["versions"]}
    assert set(versions) == {"harbor_times", "metro_wire", "river_courier", "valley_post"}
    river = versions["river_courier"]
    told = [s["status"] for s in shown["sentences"]]
    assert (river["shared"], river["reworded"], river["only_here"]) == (
        told.count("shared"),
        told.count("reworded"),
        told.count("only here"),
    )


def test_show_paints_the_quote_where_it_stands_when_the_text_holds_control_characters(tmp_path, capsys):
    lib_dir = tmp_path / "lib"
    shutil.copytree(STORY, lib_dir)
    path = lib_dir / "metro_wire.txt"
    path.write_text(path.read_text().replace("Calloway Chemicals, which", "Calloway\x07 Chemicals\x1b[2J, which"))
    assert main(["--library", str(lib_dir), "--cache-dir", str(tmp_path / "c"), "show", "metro_wire"]) == 0
    out = capsys.readouterr().out
    assert "\x1b[2J" not in out and "\x07" not in out
    from tuireader.cli.render import highlighted_text

    lib = Library(lib_dir, tmp_path / "c")
    lib.scan()
    view = lib.view("metro_wire")
    text = highlighted_text(view)
    for lq in view.quotes:
        (span,) = [s for s in text.spans if s.start == lq.quote.start and s.end == lq.quote.end]
        assert text.plain[span.start : span.end] == lq.quote.text
    lib.close()


def test_without_the_spacy_model_show_and_stories_say_so_in_one_line(fire, capsys, monkeypatch):
    from tuireader.analysis import entities

    lib_dir, cache = fire
    monkeypatch.setattr(entities, "MODEL_NAMES", ("no_such_model_installed",))
    monkeypatch.setattr(entities, "_nlp", None)
    assert main(["--library", str(lib_dir), "--cache-dir", str(cache), "show", "valley_post"]) == 1
    out = capsys.readouterr()
    assert "The fire was contained by 4 a.m." in out.out  # the article itself still reads
    (line,) = out.err.strip().splitlines()
    assert "valley_post" in line and "spaCy" in line and "Traceback" not in out.err
    assert main(["--library", str(lib_dir), "--cache-dir", str(cache), "stories"]) == 1
    out = capsys.readouterr()
    assert "Fire at Dunmore" in out.out
    (line,) = out.err.strip().splitlines()
    assert "discrepancies unavailable" in line
