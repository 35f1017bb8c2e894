"""`tuireader feeds ...` and `tuireader refresh` as a user runs them: output, files, exit status."""

from __future__ import annotations

import argparse
import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
from feeds_server import FeedServer, serve_site

from tuireader.cli.feeds import register
from tuireader.sources.opml import parse_opml


def run(library: Path, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="tuireader")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    args.library = library
    args.cache_dir = library.parent / "cache"
    return args.handler(args)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    root = tmp_path / "library"
    root.mkdir()
    return root


def test_subscription_commands(library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(library, "feeds", "add", "https://news.example/rss.xml", "--outlet", "Example News") == 0
    assert "subscribed: https://news.example/rss.xml (Example News)" in capsys.readouterr().out
    assert run(library, "feeds", "add", "http://news.example/rss.xml/") == 0
    assert "already subscribed" in capsys.readouterr().out
    assert run(library, "feeds", "add", "blog.example/atom") == 0
    capsys.readouterr()

    assert run(library, "feeds", "list", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["url"], r["outlet"]) for r in rows] == [
        ("https://news.example/rss.xml", "Example News"),
        ("https://blog.example/atom", None),
    ]
    assert run(library, "feeds", "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert (
        len(lines) == 2
        and lines[0].startswith("Example News")
        and lines[0].endswith("https://news.example/rss.xml")
    )

    out_file = tmp_path / "backup.opml"
    assert run(library, "feeds", "export", str(out_file)) == 0
    assert [s.url for s in parse_opml(out_file.read_bytes())] == [r["url"] for r in rows]
    assert run(library, "feeds", "export") == 0
    assert capsys.readouterr().out.startswith('<?xml version="1.0" encoding="UTF-8"?>')

    assert run(library, "feeds", "remove", "https://news.example/rss.xml") == 0
    assert "unsubscribed" in capsys.readouterr().out
    assert run(library, "feeds", "remove", "https://news.example/rss.xml") == 1
    err = capsys.readouterr().err
    assert err == "error: https://news.example/rss.xml: not subscribed\n"
    # by the name `feeds list` shows, as a user would type it
    assert run(library, "feeds", "add", "https://news.example/rss.xml", "--outlet", "Example News") == 0
    capsys.readouterr()
    assert run(library, "feeds", "remove", "example NEWS") == 0
    assert "unsubscribed: https://news.example/rss.xml" in capsys.readouterr().out

    other = tmp_path / "library2"
    other.mkdir()
    assert run(other, "feeds", "import", str(out_file)) == 0
    assert "imported 2 feeds" in capsys.readouterr().out
    assert run(other, "feeds", "import", str(tmp_path / "nope.opml")) == 1
    assert "nope.opml: no such file" in capsys.readouterr().err


def test_bad_url_is_a_usage_error(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(library, "feeds", "add", "ftp://files.example/feed") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "only http and https" in err
    assert not (library / "feeds.opml").exists()


def test_refresh_reports_failures_by_name_and_exit_status(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with FeedServer() as server:
        feeds = serve_site(server)

        def hostile(handler: BaseHTTPRequestHandler, owner: FeedServer) -> None:
            # a reason phrase carrying a terminal escape sequence
            handler.send_response(404, "Not \x1b[2J\x1b]0;pwned\x07Found")
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        bad = server.add("/feeds/hostile.xml", handler=hostile)
        run(library, "feeds", "add", feeds["atom.xml"])
        run(library, "feeds", "add", bad)
        capsys.readouterr()

        assert run(library, "refresh", "--quiet") == 1
        out, err = capsys.readouterr()
        assert out.strip() == "2 new articles from 2 feeds, 1 failed"
        assert err.count("\n") == 1 and err.startswith(f"error: {bad}: HTTP 404")
        assert "\x1b" not in err and "\x07" not in err

        assert run(library, "feeds", "list", "--json") == 0
        rows = {r["url"]: r for r in json.loads(capsys.readouterr().out)}
        assert rows[bad]["error"].startswith("HTTP 404") and rows[feeds["atom.xml"]]["error"] is None
        assert rows[feeds["atom.xml"]]["title"] == "The Coastal Herald"

        assert run(library, "feeds", "remove", bad) == 0
        capsys.readouterr()
        assert run(library, "refresh", "--json") == 0
        report = json.loads(capsys.readouterr().out)
        assert report["added"] == [] and report["problems"] == [] and report["feeds_ok"] == 1

        assert run(library, "refresh", "--feed", feeds["rss10.rdf"], "--no-pages", "--quiet") == 0
        assert capsys.readouterr().out.strip() == "2 new articles from 1 feed"
        assert server.hits("/tribune/glacier-drones") == []


def test_refresh_without_subscriptions_says_how_to_add_one(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(library, "refresh") == 0
    assert "tuireader feeds add URL" in capsys.readouterr().err


def test_refresh_follows_the_configs_pages_setting(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`[refresh] pages = false` in config.toml: `tuireader refresh` keeps to the feeds' text."""
    from tuireader.locations import config_file

    config_file().parent.mkdir(parents=True, exist_ok=True)
    config_file().write_text("[refresh]\npages = false\n")
    with FeedServer() as server:
        feeds = serve_site(server)
        run(library, "feeds", "add", feeds["rss20.xml"])
        assert run(library, "refresh", "--quiet") == 0
        assert "new article" in capsys.readouterr().out
        assert server.hits("/courier/2024/03/light-rail-extension/") == []
