"""Incremental work: adding, removing and interrupted scans keep every derived store consistent."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import tuireader.clean
from tuireader.library import Library

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "articles").glob("*.txt"))

OTHER = """---
title: Flooding closes mountain pass as storm lingers
outlet: Valley Courier
published: 2024-02-02
---
Heavy rain closed the mountain pass north of Granite Falls on Thursday, and crews warned that mudslides
could keep the highway shut through the weekend.

"We have never seen this much water on the road this early in the season," said highway supervisor Dana
Whitlock, who asked drivers to avoid the area.
"""


@pytest.fixture()
def lib_dir(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    for f in SEEDS:
        shutil.copy2(f, folder / f.name)
    return folder


def count_cleaning(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = tuireader.clean.clean

    def counting(raw, *profile):
        calls.append(raw.id)
        return real(raw, *profile)

    monkeypatch.setattr(tuireader.clean, "clean", counting)
    return calls


def test_adding_one_article_cleans_only_that_article(lib_dir, tmp_path, monkeypatch):
    lib = Library(lib_dir, cache_dir=tmp_path / "c")
    lib.scan()
    calls = count_cleaning(monkeypatch)
    (lib_dir / "900_flood.txt").write_text(OTHER, encoding="utf-8")
    report = Library(lib_dir, cache_dir=tmp_path / "c").scan()
    assert report.added == ["900_flood"]
    assert calls == ["900_flood"]
    lib2 = Library(lib_dir, cache_dir=tmp_path / "c")
    groups = lib2.story_groups()
    seeds_story = lib2.story_of(SEEDS[0].stem)
    assert sorted(groups[seeds_story]) == [p.stem for p in SEEDS]
    assert lib2.story_of("900_flood") != seeds_story
    hits = lib2.search("mudslides highway shut")
    assert hits and hits[0].article == "900_flood"


def test_removing_a_file_removes_it_from_list_stories_and_search(lib_dir, tmp_path):
    lib = Library(lib_dir, cache_dir=tmp_path / "c")
    lib.scan()
    assert any(h.article == "003_5b903ab4dc6d6d19" for h in lib.search("USAID boats rescue gear"))
    (lib_dir / "003_5b903ab4dc6d6d19.txt").unlink()
    lib = Library(lib_dir, cache_dir=tmp_path / "c")
    report = lib.scan()
    assert report.removed == ["003_5b903ab4dc6d6d19"]
    assert "003_5b903ab4dc6d6d19" not in lib.summaries()
    assert all(h.article != "003_5b903ab4dc6d6d19" for h in lib.search("USAID boats rescue gear"))
    assert all("003_5b903ab4dc6d6d19" not in members for members in lib.story_groups().values())


def test_interrupted_scan_resumes_without_redoing_finished_work(lib_dir, tmp_path, monkeypatch):
    for i in range(4):
        (lib_dir / f"90{i}_flood.txt").write_text(OTHER.replace("Thursday", f"day {i}"), encoding="utf-8")
    lib = Library(lib_dir, cache_dir=tmp_path / "c")
    real_add = Library._add_to_stories
    chunks = []

    def interrupt_second_chunk(self, articles, *rest):
        chunks.append([a.id for a in articles])
        if len(chunks) == 2:
            raise KeyboardInterrupt
        return real_add(self, articles, *rest)

    monkeypatch.setattr(Library, "_add_to_stories", interrupt_second_chunk)
    with pytest.raises(KeyboardInterrupt):
        lib.scan(chunk=3)
    monkeypatch.setattr(Library, "_add_to_stories", real_add)
    lib.close()

    calls = count_cleaning(monkeypatch)
    lib = Library(lib_dir, cache_dir=tmp_path / "c")
    lib.scan(chunk=3)
    finished = set(chunks[0])
    assert not finished & set(calls), "articles catalogued before the interruption were cleaned again"
    everything = {p.stem for p in lib_dir.glob("*.txt")}
    assert set(lib.summaries()) == everything
    assert {aid for members in lib.story_groups().values() for aid in members} == everything
    assert all(s.story for s in lib.summaries().values())
    assert lib.index.article_ids() == everything


def test_quotes_stay_searchable_as_quotes_when_the_state_is_rebuilt(lib_dir, tmp_path):
    lib = Library(lib_dir, cache_dir=tmp_path / "c")
    lib.scan()
    lib.view("001_e3ccb26ac0196571")  # analyses the story: quotes go into the index
    query = "full-scale defense partnership harmful to Ukraine"
    assert any(h.kind == "quote" for h in lib.search(query))
    state = lib.state_dir
    lib.close()
    shutil.rmtree(state)  # catalog and search index gone; the content cache stays warm
    lib = Library(lib_dir, cache_dir=tmp_path / "c")
    lib.scan()
    assert any(h.kind == "quote" and h.article == "001_e3ccb26ac0196571" for h in lib.search(query))


def _extra_articles() -> dict[str, str]:
    """Hand-written articles beside the seeds: two events of one kind in one town, and the flood."""
    texts = {"050_flood.txt": OTHER}
    for n, (day, street, name) in enumerate(
        [("2024-04-02", "Quarry Lane", "Ennis Polder"), ("2024-04-03", "Quarry Lane", "Ennis Polder"),
         ("2024-04-20", "Saltmarsh Road", "Wren Haddock"), ("2024-04-21", "Saltmarsh Road", "Wren Haddock")]
    ):
        texts[f"06{n}_crash.txt"] = (
            f"---\ntitle: Crash on {street} injures {name}\noutlet: Outlet {n}\npublished: {day}\n---\n"
            f"A delivery van struck a cyclist on {street} in Granite Falls, police said. {name} was taken "
            f"to hospital with a broken arm; the driver stopped and was not charged.\n\n"
            f'"{street} needs a cycle lane," said {name}\'s neighbour after the crash.\n'
        )
    return texts


def _partition(lib: Library) -> list[list[str]]:
    return sorted(sorted(members) for members in lib.story_groups().values())


def test_stories_are_a_function_of_the_files_not_of_order_chunks_or_cache(lib_dir, tmp_path):
    for name, text in _extra_articles().items():
        (lib_dir / name).write_text(text, encoding="utf-8")
    reference = Library(lib_dir, cache_dir=tmp_path / "cold")
    reference.scan()
    expected = _partition(reference)
    reference.close()
    assert len(expected) > 2

    import random

    rng = random.Random(3)
    files = sorted(lib_dir.iterdir())
    for trial in range(3):
        folder = tmp_path / f"shuffled{trial}"
        folder.mkdir()
        order = list(files)
        rng.shuffle(order)
        # The same cache folder each trial: warm for every file after the first trial.
        lib = Library(folder, cache_dir=tmp_path / "warm")
        while order:
            take = order[: rng.randint(1, 4)]
            order = order[len(take) :]
            for f in take:
                shutil.copy2(f, folder / f.name)
            lib.scan(chunk=rng.randint(1, 3))
        assert _partition(lib) == expected
        # Rewriting identical files changes nothing either.
        for f in files[:3]:
            (folder / f.name).write_bytes(f.read_bytes())
        lib.scan()
        assert _partition(lib) == expected
        lib.close()


def _shooting(day: str, outlet: str, title: str, body: str) -> str:
    return f"---\ntitle: {title}\noutlet: {outlet}\npublished: {day}\n---\n{body}\n"


def test_a_follow_up_months_later_shows_as_continuing_its_story(tmp_path, capsys):
    import json

    from tuireader.cli import main

    folder = tmp_path / "lib"
    folder.mkdir()
    files = {
        "001_shot.txt": _shooting(
            "2016-08-12", "Carvel Daily", "Man shot outside Dunmore Avenue store",
            "A 24-year-old man was shot in the leg outside a convenience store on Dunmore Avenue in Carvel "
            "City on Friday night, police said. Officers found Jarell Kimbrough on the sidewalk and took him "
            "to Carvel General Hospital.\n\nPolice spokesman Dale Ferrity said investigators were looking for "
            "a man seen running toward Pike Street.",
        ),
        "002_shot.txt": _shooting(
            "2016-08-12", "Metro 9", "Police seek gunman after Dunmore Avenue shooting",
            "Carvel City police are searching for the gunman who wounded Jarell Kimbrough, 24, outside a "
            "Dunmore Avenue convenience store Friday. Spokesman Dale Ferrity said Kimbrough was expected to "
            "survive. The suspect fled on foot toward Pike Street.",
        ),
        "003_arrest.txt": _shooting(
            "2016-11-15", "Carvel Daily", "Arrest made in Dunmore Avenue shooting of Jarell Kimbrough",
            "Carvel City police have arrested a 27-year-old man in the August shooting of Jarell Kimbrough "
            "outside a Dunmore Avenue convenience store. Spokesman Dale Ferrity said Marcus Delaine was "
            "charged with aggravated assault.\n\nKimbrough was shot in the leg on Dunmore Avenue. Police "
            "said Delaine had fled toward Pike Street after the shooting.",
        ),
        "004_flood.txt": OTHER,
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    code = main(["stories", "--json", "--library", str(folder), "--cache-dir", str(tmp_path / "c")])
    out, err = capsys.readouterr()
    assert code == 0, err
    stories = {s["id"]: s for s in json.loads(out)}
    by_article = {a: s for s in stories.values() for a in s["articles"]}
    first, arrest = by_article["001_shot"], by_article["003_arrest"]
    assert first is by_article["002_shot"] and arrest is not first
    assert arrest["follows"] == first["id"]
    assert first["follows"] is None and by_article["004_flood"]["follows"] is None
