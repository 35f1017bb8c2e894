"""A shared archive on a real PostgreSQL server: one worker writes it from its folder, readers on
other folders (other machines) follow it, and nothing is lost, doubled or locked on the way."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from feeds_server import FeedServer

from archive_texts import write_story
from tuireader.library import Library, store_backend
from tuireader.model import SourceError

STORIES = {  # (outlet, topic): a few sentences each; every article is its own text
    "Harbour Weekly": ["bridge", "ferry", "lighthouse", "harbour wall", "fish market", "marina", "quay", "dock",
                       "slipway", "breakwater", "pier", "boatyard", "tide gauge", "pontoon", "sea wall",
                       "crane", "warehouse", "customs house", "boat show", "regatta"],
    "Coast Radio": ["orchard", "vineyard", "dairy", "sawmill", "quarry", "bakery", "brewery", "tannery",
                    "apiary", "creamery", "cannery", "forge", "mill pond", "granary", "hop farm",
                    "nursery", "tree farm", "cider press", "wool mill", "smokehouse"],
}  # fmt: skip
FIGURES = [120, 340, 560, 780, 910, 1300, 1750, 2200, 2650, 3100, 3550, 4000, 4450, 4900, 5350, 5800,
           6250, 6700, 7150, 7600]  # fmt: skip


def _entry(base: str, outlet: str, n: int) -> str:
    topic = STORIES[outlet][n]
    slug = topic.replace(" ", "-")
    body = (
        f"The council approved a plan for the {topic} on Tuesday after months of debate. "
        f"Officials said the work on the {topic} would cost about {FIGURES[n]:,} pounds and take a year. "
        f"\u201cThe {topic} matters to everyone in town,\u201d the mayor told reporters at the hall. "
        f"Residents near the {topic} asked for quieter building hours, and the council agreed to review them."
    )
    return textwrap.dedent(f"""\
        <item><title>Plan for the {topic} approved ({outlet})</title>
        <link>{base}/{outlet.split()[0].lower()}/{slug}</link>
        <guid>{outlet.split()[0].lower()}-{slug}</guid>
        <pubDate>Tue, {n + 1:02d} Apr 2025 09:00:00 GMT</pubDate>
        <description>{body}</description></item>""")


def _feed(base: str, outlet: str, count: int) -> str:
    items = "\n".join(_entry(base, outlet, n) for n in range(count))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>{outlet}</title>'
            f"<link>{base}/</link><description>news</description>{items}</channel></rss>")  # fmt: skip


READER = textwrap.dedent("""\
    import json, sys, time
    from tuireader.library import Library, store_backend

    url, root, cache, expected = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    lib = Library(root, cache, stores=store_backend(url))
    counts, errors, found = [], [], []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            lib.scan()  # a reader's scan follows the archive (nothing of its folder is written)
            ids = [s.id for s in lib.catalog.summaries()]
            if len(ids) != len(set(ids)):
                errors.append(f"duplicate ids: {len(ids)} rows, {len(set(ids))} ids")
            counts.append(len(set(ids)))
            if len(set(ids)) >= expected:
                # the search index follows the catalog within the same scan (after the stories)
                found = [(h.outlet, h.text) for h in lib.search("council approved the regatta plan", limit=1)]
                if found and "regatta" in found[0][1]:
                    break
        except Exception as exc:
            errors.append(repr(exc))
        time.sleep(0.2)
    ids = sorted(lib.summaries())
    texts = [lib.article(aid).text[:40] for aid in ids[:3]]  # read from the archive
    print(json.dumps({"ids": ids, "counts": counts, "errors": errors, "found": found, "texts": texts}))
""")


def test_one_worker_and_two_readers_share_an_archive(pg_url: str, tmp_path: Path) -> None:
    env = {**os.environ, "TUIREADER_CACHE_DIR": str(tmp_path / "worker-cache"),
           "TUIREADER_STATE_DIR": str(tmp_path / "state"), "TUIREADER_CONFIG_DIR": str(tmp_path / "config")}  # fmt: skip
    env.pop("TUIREADER_STORE", None)
    work = tmp_path / "worker"
    work.mkdir()
    with FeedServer() as server:
        feeds = {outlet: server.add(f"/{outlet.split()[0].lower()}.xml", _feed(server.base, outlet, 8),
                                    content_type="application/rss+xml")
                 for outlet in STORIES}  # fmt: skip
        lib = Library(work, tmp_path / "worker-cache")
        for outlet, url in feeds.items():
            lib.subscribe(url, outlet)
        lib.close()
        total = sum(len(topics) for topics in STORIES.values())
        readers = []
        for n in (1, 2):
            (tmp_path / f"reader{n}").mkdir()
            readers.append(subprocess.Popen(
                [sys.executable, "-c", READER, pg_url, str(tmp_path / f"reader{n}"), str(tmp_path / f"cache{n}"),
                 str(total)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env))  # fmt: skip
        worker = subprocess.Popen(
            [sys.executable, "-m", "tuireader", "refresh", "--library", str(work), "--store", pg_url,
             "--every", "0.5", "--no-pages", "--quiet"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 120
            while len(list(work.glob("*.txt"))) < 16 and time.monotonic() < deadline:
                time.sleep(0.2)
            assert len(list(work.glob("*.txt"))) == 16, "the worker's first rounds fetched nothing"
            for outlet in STORIES:  # the feeds grow while the readers read
                server.add(f"/{outlet.split()[0].lower()}.xml", _feed(server.base, outlet, 20),
                           content_type="application/rss+xml")  # fmt: skip
            results = []
            for reader in readers:
                out, err = reader.communicate(timeout=300)
                assert reader.returncode == 0, err
                assert "database is locked" not in err
                results.append(json.loads(out.strip().splitlines()[-1]))
        finally:
            worker.send_signal(signal.SIGTERM)  # stops between rounds
            w_out, w_err = worker.communicate(timeout=120)
            for reader in readers:
                if reader.poll() is None:
                    reader.kill()
        assert worker.returncode == 0, w_err
        assert "stopped" in w_err and "database is locked" not in w_err + w_out

    files = sorted(p.stem for p in work.glob("*.txt"))
    assert len(files) == total  # every entry once, none twice
    for result in results:
        assert result["errors"] == []
        assert result["ids"] == files  # each reader ends with exactly the worker's articles
        assert result["counts"] == sorted(result["counts"]) and result["counts"][-1] == total
        outlet, text = result["found"][0]  # the last entry, fetched late, is searchable
        assert outlet == "Harbour Weekly" and "regatta" in text
        assert all(t.startswith("The council approved") for t in result["texts"])
    assert not list((tmp_path / "reader1").iterdir())  # a reader writes nothing into its own folder
    import psycopg

    with psycopg.connect(pg_url) as db:
        rows, distinct = db.execute("SELECT count(*), count(DISTINCT id) FROM tr_files").fetchone()
        indexed = db.execute("SELECT count(*) FROM tr_search_articles").fetchone()[0]
    assert (rows, distinct, indexed) == (total, total, total)


def test_readers_follow_the_worker_and_read_without_its_files(pg_url: str, tmp_path: Path) -> None:
    work, elsewhere = tmp_path / "worker", tmp_path / "reader"
    write_story(work, ["harbour.txt", "valley.txt"])
    write_story(elsewhere, ["coast.txt"])  # the reader's own folder: never written into the archive
    worker = Library(work, tmp_path / "wcache", stores=store_backend(pg_url, worker=True))
    reader = Library(elsewhere, tmp_path / "rcache", stores=store_backend(pg_url))
    try:
        assert reader.scan().added == []  # an empty archive: nothing to follow yet
        worker.scan()
        assert sorted(reader.scan().added) == ["harbour", "valley"]
        assert reader.scan().added == []  # nothing changed since
        write_story(work, ["coast.txt"])
        worker.scan()
        assert reader.scan().added == ["coast"]
        assert reader.story_of("coast") == reader.story_of("harbour")
        assert {h.article for h in reader.search("relieved boats running again")[:2]} == {"harbour", "coast"}
        (work / "valley.txt").unlink()
        worker.scan()
        assert reader.scan().removed == ["valley"]
        moved = tmp_path / "worker-moved"
        work.rename(moved)  # the worker's files are not on the reader's machine
        assert reader.article("harbour").outlet == "Harbour Weekly"
        moved.rename(work)
        other = Library(elsewhere, tmp_path / "ocache", stores=store_backend(pg_url, worker=True))
        try:
            with pytest.raises(SourceError, match="the archive is written from"):
                other.scan()  # a second worker would remove the first one's articles: refused
            assert sorted(other.rebuild().added) == ["coast"]  # unless it takes the archive over
        finally:
            other.close()
        assert reader.scan().removed == ["harbour"]
    finally:
        worker.close()
        reader.close()


def test_rebuild_from_the_article_files_on_the_command_line(pg_url: str, tmp_path: Path) -> None:
    from tuireader.cli.main import main

    work = tmp_path / "worker"
    write_story(work, ["harbour.txt", "coast.txt", "valley.txt"])
    common = ["--library", str(work), "--cache-dir", str(tmp_path / "cache"), "--store", pg_url]
    assert main(["scan", *common]) == 0
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("DELETE FROM tr_files WHERE id = 'coast'")  # the archive lost a row
        db.execute("DELETE FROM tr_search_articles")
    assert main(["scan", "--rebuild", *common]) == 0
    with psycopg.connect(pg_url) as db:
        assert {r[0] for r in db.execute("SELECT id FROM tr_files")} == {"harbour", "coast", "valley"}
        assert db.execute("SELECT count(*) FROM tr_search_articles").fetchone()[0] == 3
