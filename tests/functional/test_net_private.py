"""Private addresses: reached where the user named them, refused where a feed or page leads there.

Two real servers on loopback stand for "a public site" (the one the subscription names) and "an
internal service" on another port: a redirect, an entry link or `ingest URL` must not carry a
refresh from the first to the second unless the config allows it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from feeds_server import FeedServer, fast_http

from tuireader.cli.main import main
from tuireader.sources.feeds.ingest import ingest_url
from tuireader.sources.feeds.refresh import refresh
from tuireader.sources.feeds.types import RefreshOptions
from tuireader.sources.subscriptions import add_subscription

SECRET = "Internal admin console: database password is hunter2, do not share this page."


def rss(*items: tuple[str, str]) -> str:
    body = "".join(
        f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid>"
        f"<description>{title}: the council approved the budget after a long evening debate.</description></item>"
        for title, link in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Public Courier</title>{body}</channel></rss>'


PAGE = (
    "<html><head><title>{t}</title></head><body><article><h1>{t}</h1>"
    + "<p>The harbour authority said dredging would begin in May and last six weeks, "
    "according to a statement released on Tuesday by its chair.</p>" * 6 + "</article></body></html>"
)


@pytest.fixture
def servers():
    with FeedServer() as public, FeedServer() as internal:
        internal.add("/admin", f"<html><body><p>{SECRET}</p></body></html>")
        internal.add(
            "/feed.xml", rss(("Internal", internal.url("/admin"))), content_type="application/rss+xml"
        )
        yield public, internal


def _stored(library: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in library.glob("*.txt"))


def _library(tmp_path: Path) -> Path:
    library = tmp_path / "library"
    library.mkdir(exist_ok=True)
    return library


def test_a_feed_redirecting_to_another_private_origin_is_refused(servers, tmp_path: Path) -> None:
    public, internal = servers
    library = _library(tmp_path)
    feed = public.add_redirect("/feed.xml", internal.url("/feed.xml"))
    add_subscription(library, feed)

    report = refresh(library, tmp_path / "cache", options=RefreshOptions(http=fast_http()))

    assert report.added == [] and not internal.hits("/feed.xml") and not internal.hits("/admin")
    [problem] = report.problems
    assert problem.where == feed
    assert "refused redirect to loopback address" in problem.message
    assert internal.base.removeprefix("http://") in problem.message and "allow_private" in problem.message
    assert "\n" not in problem.message
    assert SECRET not in _stored(library)


def test_an_entry_link_to_another_private_origin_is_refused_the_feeds_own_pages_are_read(
    servers, tmp_path: Path
) -> None:
    public, internal = servers
    library = _library(tmp_path)
    public.add("/news/harbour", PAGE.format(t="Harbour dredging to begin"))
    feed = public.add(
        "/feed.xml",
        rss(("Harbour dredging to begin", public.url("/news/harbour")), ("Admin", internal.url("/admin"))),
        content_type="application/rss+xml",
    )
    add_subscription(library, feed)

    report = refresh(library, tmp_path / "cache", options=RefreshOptions(http=fast_http()))

    assert not internal.hits("/admin")
    assert public.hits("/news/harbour")  # the feed's own origin was named: its pages are read
    assert SECRET not in _stored(library)
    refused = [p for p in report.problems if "refused link to loopback address" in p.message]
    assert refused, report.problems
    # the refused page's entry keeps the feed's own text (it is not the internal page)
    assert "Harbour dredging" in _stored(library)


def test_a_name_that_resolves_to_loopback_is_a_private_address(servers, tmp_path: Path) -> None:
    public, internal = servers
    library = _library(tmp_path)
    target = internal.url("/feed.xml").replace("127.0.0.1", "localhost")
    feed = public.add_redirect("/feed.xml", target)
    add_subscription(library, feed)

    report = refresh(library, tmp_path / "cache", options=RefreshOptions(http=fast_http()))

    assert not internal.hits("/feed.xml")
    assert "localhost:" in report.problems[0].message and "(127.0.0.1)" in report.problems[0].message


def test_the_config_allows_a_private_origin(servers, tmp_path: Path) -> None:
    public, internal = servers
    library = _library(tmp_path)
    feed = public.add_redirect("/feed.xml", internal.url("/feed.xml"))
    add_subscription(library, feed)
    allowed = RefreshOptions(http=fast_http(allow_private=(internal.base.removeprefix("http://"),)))

    report = refresh(library, tmp_path / "cache", options=allowed)

    assert internal.hits("/feed.xml") and internal.hits("/admin")
    assert len(report.added) == 1 and SECRET in _stored(library)


def test_a_network_range_in_the_config_allows_it_too(servers, tmp_path: Path) -> None:
    public, internal = servers
    library = _library(tmp_path)
    add_subscription(library, public.add_redirect("/feed.xml", internal.url("/feed.xml")))

    report = refresh(
        library, tmp_path / "cache", options=RefreshOptions(http=fast_http(allow_private=("127.0.0.0/8",)))
    )

    assert len(report.added) == 1 and not report.problems


def test_ingest_url_redirecting_to_another_private_origin_is_refused(servers, tmp_path: Path) -> None:
    public, internal = servers
    library = _library(tmp_path)
    url = public.add_redirect("/story", internal.url("/admin"))

    added, existing, problems = ingest_url(url, library, tmp_path / "cache", RefreshOptions(http=fast_http()))

    assert added == [] and existing == [] and not internal.hits("/admin")
    assert len(problems) == 1 and "refused redirect" in problems[0].message
    assert SECRET not in _stored(library)


def test_the_address_the_user_names_is_reached(servers, tmp_path: Path) -> None:
    _, internal = servers
    library = _library(tmp_path)

    added, _, problems = ingest_url(
        internal.url("/admin"), library, tmp_path / "cache", RefreshOptions(http=fast_http())
    )

    assert problems == [] and len(added) == 1 and SECRET in _stored(library)


def test_a_redirect_to_file_stays_refused_even_when_private_addresses_are_allowed(
    servers, tmp_path: Path
) -> None:
    public, _ = servers
    library = _library(tmp_path)
    add_subscription(library, public.add_redirect("/feed.xml", "file:///etc/passwd"))

    report = refresh(
        library, tmp_path / "cache", options=RefreshOptions(http=fast_http(allow_private=("*",)))
    )

    assert report.added == [] and "unsupported URL scheme file:" in report.problems[0].message


def _write_config(text: str) -> None:
    folder = Path(os.environ["TUIREADER_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text, encoding="utf-8")


def test_the_cli_refresh_follows_network_allow_private_in_config_toml(
    servers, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    public, internal = servers
    library = _library(tmp_path)
    feed = public.add_redirect("/feed.xml", internal.url("/feed.xml"))
    argv = ["--library", str(library), "--cache-dir", str(tmp_path / "cache")]
    assert main([*argv, "feeds", "add", feed]) == 0

    assert main([*argv, "refresh", "--quiet", "--no-pages"]) == 1
    err = capsys.readouterr().err
    assert "refused redirect to loopback address" in err and len(err.strip().splitlines()) == 1
    assert not internal.hits("/feed.xml")

    _write_config(f'[network]\nallow_private = ["{internal.base.removeprefix("http://")}"]\n')
    assert main([*argv, "refresh", "--quiet", "--no-pages"]) == 0
    assert "1 new article" in capsys.readouterr().out
