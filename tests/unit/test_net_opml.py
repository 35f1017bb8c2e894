"""OPML at scale and in depth: large imports, deeply nested folders, duplicates among thousands."""

from __future__ import annotations

from pathlib import Path

from tuireader.sources.opml import format_opml, parse_opml
from tuireader.sources.subscriptions import import_opml, load_subscriptions


def _opml(body: str) -> bytes:
    return f'<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>{body}</body></opml>'.encode()


def test_five_thousand_nested_folders_parse_without_recursion_error() -> None:
    depth = 5000
    body = "".join(f'<outline text="f{i}">' for i in range(depth))
    body += '<outline type="rss" text="Deep" xmlUrl="https://deep.example/feed"/>' + "</outline>" * depth
    [sub] = parse_opml(_opml(body))
    assert sub.url == "https://deep.example/feed"
    assert (
        sub.category is not None
        and sub.category.startswith("f0 / f1 / f2")
        and sub.category.endswith("f4999")
    )


def test_nesting_keeps_document_order_and_categories() -> None:
    body = (
        '<outline type="rss" text="A" xmlUrl="https://a.example/rss"/>'
        '<outline text="World"><outline text="Europe">'
        '<outline type="rss" text="B" xmlUrl="https://b.example/rss"/></outline>'
        '<outline type="rss" text="C" xmlUrl="https://c.example/rss"/></outline>'
        '<outline type="rss" text="D" xmlUrl="https://d.example/rss"/>'
    )
    subs = parse_opml(_opml(body))
    assert [(s.url[8], s.category) for s in subs] == [
        ("a", None), ("b", "World / Europe"), ("c", "World"), ("d", None)
    ]  # fmt: skip


def test_a_large_import_keeps_every_new_feed_once(tmp_path: Path) -> None:
    n = 6000
    outlines = [
        f'<outline type="rss" text="F{i}" xmlUrl="https://site{i % 5000}.example/feed.xml"/>'
        for i in range(n)
    ]
    path = tmp_path / "big.opml"
    path.write_bytes(_opml("".join(outlines)))
    library = tmp_path / "library"
    library.mkdir()
    (library / "feeds.opml").write_bytes(format_opml(parse_opml(_opml(outlines[7]))))  # one known already

    added, already, skipped = import_opml(library, path)

    assert len(added) == 4999 and already == 1001 and skipped == []
    urls = [s.url for s in load_subscriptions(library)]
    assert len(urls) == len(set(urls)) == 5000


def test_spellings_of_one_feed_count_once(tmp_path: Path) -> None:
    path = tmp_path / "in.opml"
    path.write_bytes(_opml(
        '<outline type="rss" text="A" xmlUrl="https://a.example/rss/"/>'
        '<outline type="rss" text="A" xmlUrl="http://A.example/rss?utm_source=x"/>'
    ))  # fmt: skip
    library = tmp_path / "library"
    library.mkdir()
    added, already, _ = import_opml(library, path)
    assert len(added) == 1 and already == 1
