"""Adding an article to a big library catalogues just that article: ingest does not walk or re-read
the library folder (issue 18: adding one of 100,000 articles took about 3 s, two full scans), and
still refuses content the library holds, finds nothing stale in the catalog, and places the new
article into the stories and the search index."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tuireader.library import Library


def article(n: int, day: int = 3) -> str:
    return (f"---\ntitle: Harbour crossing {n} reopens\noutlet: Outlet {n % 3}\npublished: 2026-05-{day:02d}\n---\n\n"
            f"The ferry on crossing {n} ran again on Monday, {n + 2} days after a storm closed it.\n\n"
            f"\u201cCrossing {n} is our lifeline,\u201d said harbour master number {n}.\n")  # fmt: skip


@pytest.fixture
def library(tmp_path: Path):
    """A scanned library of five articles, and the folder new ones come from."""
    root = tmp_path / "lib"
    root.mkdir()
    for n in range(5):
        (root / f"00{n}_own.txt").write_text(article(n), encoding="utf-8")
    lib = Library(root, cache_dir=tmp_path / "cache")
    lib.scan()
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    yield lib, incoming
    lib.close()


class FolderWatch:
    """Records which paths below the library root are listed, stat'ed or read while it watches."""

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.root = str(root)
        self.listed: list[str] = []
        self.touched: set[str] = set()
        real_scandir, real_stat, real_open = os.scandir, os.stat, Path.open

        def scandir(path=".", *args):
            if str(path).startswith(self.root):
                self.listed.append(str(path))
            return real_scandir(path, *args)

        def stat(path, *args, **kwargs):
            if isinstance(path, (str, os.PathLike)) and str(path).startswith(self.root):
                self.touched.add(str(path))
            return real_stat(path, *args, **kwargs)

        def path_open(path, *args, **kwargs):
            if str(path).startswith(self.root):
                self.touched.add(str(path))
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(os, "scandir", scandir)
        monkeypatch.setattr(os, "stat", stat)
        monkeypatch.setattr(Path, "open", path_open)

    def library_files_touched(self) -> set[str]:
        """Names of the article files in the folder (not below hidden folders) that were stat'ed or
        read (a name only looked for, and not there, does not count)."""
        return {Path(p).name for p in self.touched
                if Path(p).suffix in (".txt", ".html", ".htm") and "/." not in p[len(self.root):]
                and Path(p).is_file()}  # fmt: skip


def test_ingest_of_one_file_leaves_the_rest_of_the_folder_alone(library, monkeypatch: pytest.MonkeyPatch) -> None:
    lib, incoming = library
    root = lib.root
    (root / "009_by_hand.txt").write_text(article(9), encoding="utf-8")  # dropped in behind the catalog's back
    altered = root / "001_own.txt"
    altered.write_text(article(1) + "\nA correction was added by hand.\n", encoding="utf-8")
    new = incoming / "new.txt"
    new.write_text(article(7), encoding="utf-8")

    watch = FolderWatch(root, monkeypatch)
    report = lib.ingest([str(new)])
    monkeypatch.undo()

    assert len(report.added) == 1 and not report.problems, report
    stem = report.added[0]
    assert watch.listed == []  # the library folder was not walked
    assert watch.library_files_touched() == {stem + ".txt"}  # only the file it wrote was stat'ed or read
    # the new article is catalogued, in a story and searchable at once
    assert stem in lib.summaries()
    assert lib.story_of(stem) is not None
    assert any(hit.article == stem for hit in lib.search("crossing 7 lifeline"))
    # what was changed by hand waits for the next scan, which finds it as before
    assert "009_by_hand" not in lib.summaries()
    scanned = lib.scan()
    assert scanned.added == ["009_by_hand"] and scanned.changed == ["001_own"]
    assert {"009_by_hand", stem} <= set(lib.summaries())


def test_a_duplicate_of_a_catalogued_article_is_refused_without_a_scan(library, monkeypatch) -> None:
    lib, incoming = library
    copy = incoming / "copy_of_two.txt"
    copy.write_text(article(2), encoding="utf-8")  # the same bytes as 002_own.txt
    before = sorted(p.name for p in lib.root.iterdir() if not p.name.startswith("."))

    watch = FolderWatch(lib.root, monkeypatch)
    report = lib.ingest([str(copy)])
    monkeypatch.undo()

    assert report.added == [] and report.duplicates == [(str(copy), "002_own")]
    assert watch.listed == []
    assert sorted(p.name for p in lib.root.iterdir() if not p.name.startswith(".")) == before  # no second copy
    # and twice in one ingest: the second is a duplicate of the first
    twice = incoming / "twice.txt"
    twice.write_text(article(8), encoding="utf-8")
    again = lib.ingest([str(twice), str(copy), str(twice)])
    assert len(again.added) == 1
    assert again.duplicates == [(str(copy), "002_own"), (str(twice), again.added[0])]


def test_a_catalogued_file_removed_or_altered_by_hand_no_longer_counts_as_a_duplicate(library) -> None:
    lib, incoming = library
    (lib.root / "003_own.txt").unlink()  # removed by hand; the catalog still names it
    (lib.root / "004_own.txt").write_text(article(44), encoding="utf-8")  # altered by hand
    three, four = incoming / "three.txt", incoming / "four.txt"
    three.write_text(article(3), encoding="utf-8")
    four.write_text(article(4), encoding="utf-8")

    report = lib.ingest([str(three), str(four)])

    assert report.duplicates == [] and len(report.added) == 2, report
    for stem in report.added:
        assert (lib.root / f"{stem}.txt").is_file() and stem in lib.summaries()


def test_content_already_in_the_folder_under_its_own_name_is_not_copied_again(library) -> None:
    """A file that has the name ingest would give the content (copied from another library, not
    yet scanned) is found without a scan, whatever its suffix."""
    lib, incoming = library
    page = incoming / "page.html"
    page.write_text("<html><head><title>Harbour crossing reopens</title></head><body><article>"
                    "<h1>Harbour crossing reopens</h1><p>The ferry ran again on Monday, two days after a storm "
                    "closed the crossing to the island.</p><p>The harbour master said the crossing is the "
                    "island's lifeline and that the boats would run every hour.</p></article></body></html>",
                    encoding="utf-8")  # fmt: skip
    first = lib.ingest([str(page)]).added[0]
    assert (lib.root / f"{first}.html").is_file()
    other_root = lib.root.parent / "other"
    other_root.mkdir()
    (other_root / f"{first}.htm").write_bytes(page.read_bytes())  # copied in by hand, never scanned
    other = Library(other_root, cache_dir=lib.cache_dir)
    try:
        report = other.ingest([str(page)])
        assert report.added == [] and report.duplicates == [(str(page), first)]
        assert sorted(p.name for p in other_root.iterdir() if not p.name.startswith(".")) == [f"{first}.htm"]
    finally:
        other.close()


FURNITURE = ("Home\nLocal\nSport", "Share this story\nThe Brindlewick Post has reported on the valley since 1894.\n"
             "All content remains the property of its respective owners.\nContact us")  # fmt: skip
PAGES = {
    "bridge": "The council of Brindlewick voted on Tuesday to rebuild the old stone bridge over the river, "
    "ending a dispute that had divided the town for almost three years.",
    "festival": "The annual river festival will return in June after a two-year break, the organisers said "
    "on Monday, with boat races, a market and a concert on the meadow by the old mill.",
}


def page(name: str) -> str:
    return (f"---\nurl: https://www.brindlewick-post.example/{name}\npublished: 2026-05-0{len(name) % 9}\n---\n"
            f"{FURNITURE[0]}\n{PAGES[name]}\n{FURNITURE[1]}")  # fmt: skip


def test_ingesting_a_page_of_a_known_host_cleans_that_host_anew_without_a_scan(tmp_path, monkeypatch) -> None:
    """The host's furniture (lines its pages repeat) is learnt from all of its files: a second page
    of the host, ingested, makes the first one lose its furniture too, as a full scan would."""
    root = tmp_path / "lib"
    root.mkdir()
    (root / "bridge.txt").write_text(page("bridge"), encoding="utf-8")
    lib = Library(root, cache_dir=tmp_path / "cache")
    try:
        lib.scan()
        assert lib.article("bridge").text != PAGES["bridge"]  # alone, a page's furniture is not told apart
        incoming = tmp_path / "incoming"
        incoming.mkdir()
        (incoming / "festival.txt").write_text(page("festival"), encoding="utf-8")

        watch = FolderWatch(root, monkeypatch)
        report = lib.ingest([str(incoming / "festival.txt")])
        monkeypatch.undo()

        assert len(report.added) == 1 and not report.problems
        assert watch.listed == []
        got = {aid: lib.article(aid).text for aid in lib.summaries()}
        assert sorted(got.values()) == sorted(PAGES.values())
        assert any(hit.article == "bridge" for hit in lib.search("stone bridge dispute"))
    finally:
        lib.close()
    fresh = Library(root, cache_dir=tmp_path / "fresh")  # the same files scanned from nothing
    try:
        fresh.scan()
        assert {aid: fresh.article(aid).text for aid in fresh.summaries()} == got
    finally:
        fresh.close()
