"""Malformed URLs, OPML files with bad outlines, a symlinked feeds.opml, escape codes in entries:
each gives one line and the rest goes on."""

from __future__ import annotations

import pytest
from feeds_server import FeedServer, fast_http

from tuireader.cli.main import main
from tuireader.sources.feeds.refresh import refresh
from tuireader.sources.feeds.types import RefreshOptions
from tuireader.sources.files import looks_binary
from tuireader.sources.opml import parse_opml
from tuireader.sources.subscriptions import add_subscription

BAD_URLS = [
    "http://news.example:99999/feed.xml",  # port out of range
    "http://news.example:-1/feed.xml",
    "http://[::1/feed.xml",  # broken IPv6 literal
    "http://[not-an-address]/feed.xml",
    "http://news.example:80a/feed.xml",
]


@pytest.fixture
def argv(tmp_path):
    library = tmp_path / "library"
    library.mkdir()
    return ["--library", str(library), "--cache-dir", str(tmp_path / "cache")]


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


@pytest.mark.parametrize("url", BAD_URLS)
def test_feeds_add_refresh_feed_and_ingest_name_a_malformed_url_in_one_line(
    url: str, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*argv, "feeds", "add", url]) == 2
    line = _one_error_line(capsys.readouterr().err)
    assert line.startswith("error: ") and "malformed URL" in line

    assert main([*argv, "refresh", "--quiet", "--feed", url]) == 1
    assert "malformed URL" in _one_error_line(capsys.readouterr().err)

    assert main([*argv, "ingest", url]) == 1
    captured = capsys.readouterr()
    assert "malformed URL" in captured.err + captured.out and "Traceback" not in captured.err


def test_a_redirect_to_a_malformed_url_fails_that_feed_alone(tmp_path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    with FeedServer() as server:
        bad = server.add_redirect("/moved.xml", "http://news.example:99999/feed.xml")
        add_subscription(library, bad)
        report = refresh(library, tmp_path / "cache", options=RefreshOptions(http=fast_http()))
    assert [p.message for p in report.problems] == ["malformed URL (Port out of range 0-65535)"]


def test_one_bad_outline_does_not_abort_an_opml_import(
    argv: list[str], tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    opml = tmp_path / "mine.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body>'
        '<outline type="rss" text="Courier" xmlUrl="https://courier.example/rss"/>'
        '<outline type="rss" text="Broken port" xmlUrl="http://broken.example:99999/rss"/>'
        '<outline type="rss" text="Broken v6" xmlUrl="http://[::1/rss"/>'
        '<outline type="rss" text="Local file" xmlUrl="file:///home/me/feed.xml"/>'
        '<outline text="Folder"><outline type="rss" text="Herald" xmlUrl="https://herald.example/atom"/></outline>'
        "</body></opml>",
        encoding="utf-8",
    )
    assert main([*argv, "feeds", "import", str(opml)]) == 0
    captured = capsys.readouterr()
    assert "imported 2 feeds" in captured.out
    skipped = captured.err.strip().splitlines()
    assert len(skipped) == 3 and all(line.startswith("skipped ") for line in skipped)
    assert "malformed URL" in skipped[0] and "malformed URL" in skipped[1] and "only http" in skipped[2]
    library = argv[1]
    urls = [s.url for s in parse_opml((tmp_path / "library" / "feeds.opml").read_bytes())]
    assert urls == ["https://courier.example/rss", "https://herald.example/atom"], library


def test_feeds_add_writes_through_a_symlinked_feeds_opml(argv: list[str], tmp_path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "feeds.opml"
    target.write_text('<?xml version="1.0"?><opml version="2.0"><body/></opml>', encoding="utf-8")
    link = tmp_path / "library" / "feeds.opml"
    link.symlink_to(target)

    assert main([*argv, "feeds", "add", "https://courier.example/rss"]) == 0

    assert link.is_symlink() and link.resolve() == target
    assert [s.url for s in parse_opml(target.read_bytes())] == ["https://courier.example/rss"]


ESCAPES = (
    "\x1b]0;owned terminal\x07\x1b[2J\x1b[31;1mRED\x1b[0m \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\"
    "\x1bc\x07\x08\x00\x1b[6n\x9b1m"
)


def _feed(*items: tuple[str, str]) -> str:
    body = "".join(
        f"<item><title>{t}</title><guid>{i}</guid><description>{d}</description></item>"
        for i, (t, d) in enumerate(items)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour News</title>{body}</channel></rss>'
    )


def test_an_entry_full_of_escape_codes_is_stored_clean_and_lists(
    argv: list[str], tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = tmp_path / "library"
    text = (ESCAPES * 3 + " The harbour board approved the dredging plan by five votes to two. ") * 20
    # escape codes as XML can carry them: character references for the ones XML 1.0 forbids raw
    xml_text = "".join(
        c if c in "\t\n" or ord(c) >= 32 and not 0x7F <= ord(c) <= 0x9F else f"&#x{ord(c):x};" for c in text
    )
    with FeedServer() as server:
        feed = server.add(
            "/feed.xml",
            _feed(
                (
                    f"Dredging{ESCAPES[:12]} approved".replace("\x1b", "&#x1b;").replace("\x07", "&#x7;"),
                    xml_text,
                )
            ),
            content_type="application/rss+xml",
        )
        assert main([*argv, "feeds", "add", feed]) == 0
        assert main([*argv, "refresh", "--quiet", "--no-pages"]) == 0
    capsys.readouterr()
    [stored] = list(library.glob("*.txt"))
    data = stored.read_bytes()
    assert not looks_binary(data)
    assert not any(b < 32 and b not in (9, 10) for b in data) and "\x9b" not in data.decode("utf-8")
    assert b"harbour board approved the dredging plan" in data and b"owned terminal" not in data

    assert main([*argv, "list"]) == 0  # read as text at every scan, not refused as binary
    captured = capsys.readouterr()
    assert "binary" not in captured.err and "Dredging" in captured.out


def test_an_entry_of_nothing_but_escape_codes_is_given_up_on(tmp_path) -> None:
    library = tmp_path / "library"
    library.mkdir()
    only = "&#x1b;[2J&#x1b;[31;1m&#x1b;]0;&#x7;&#x1b;[0m &#x1b;]8;;&#x1b;\\&#x1b;c&#x7;&#x8;&#x1b;[6n"
    with FeedServer() as server:
        add_subscription(
            library, server.add("/feed.xml", _feed(("", only)), content_type="application/rss+xml")
        )
        options = RefreshOptions(http=fast_http(), fetch_pages=False)
        reports = [refresh(library, tmp_path / "cache", options=options) for _ in range(4)]
    assert [len(r.problems) for r in reports] == [1, 1, 1, 0]  # reported, retried, then given up
    assert "no article text" in reports[0].problems[0].message
    assert list(library.glob("*.txt")) == []
