"""The command line's filters: `list --filter/--feed/--view`, `search --feed/--view` and filter
words in a search query, over articles of our own fetched from two feeds and one copied file."""

from __future__ import annotations

import json

from story_texts import ferry

from tuireader.cli import main
from tuireader.locations import config_file


def fed(text: str, feed: str) -> str:
    return text.replace("---\n", f"---\nfeed: {feed}\n", 1)


def make_library(tmp_path):  # noqa: ANN001, ANN201
    root = tmp_path / "lib"
    root.mkdir()
    (root / "950_harbor.txt").write_text(fed(ferry("Harbor Times", "harbor.example", "4,000"),
                                             "https://harbor.example/rss.xml"), encoding="utf-8")
    (root / "951_coast.txt").write_text(fed(ferry("Coast Daily", "coast.example", "5,000"),
                                            "https://coast.example/feed"), encoding="utf-8")
    (root / "952_valley.txt").write_text(ferry("Valley Post", "valley.example", "4,500"), encoding="utf-8")
    return ["--library", str(root), "--cache-dir", str(tmp_path / "cache")]


def run(capsys, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_list_narrows_by_feed_filter_words_and_saved_view(tmp_path, capsys):
    where = make_library(tmp_path)
    code, out, _ = run(capsys, "list", "--json", "--feed", "harbor.example", *where)
    assert code == 0 and [r["id"] for r in json.loads(out)] == ["950_harbor"]
    code, out, _ = run(capsys, "list", "--json", "--feed", "harbor", "--feed", "coast", *where)
    assert sorted(r["id"] for r in json.loads(out)) == ["950_harbor", "951_coast"]
    code, out, _ = run(capsys, "list", "--json", "--filter", "outlet:valley outlets:3", *where)
    assert [r["id"] for r in json.loads(out)] == ["952_valley"]

    config_file().parent.mkdir(parents=True, exist_ok=True)
    config_file().write_text('[views.fetched]\nfeed = ["harbor.example", "coast.example"]\n', encoding="utf-8")
    code, out, _ = run(capsys, "list", "--json", "--view", "fetched", *where)
    assert sorted(r["id"] for r in json.loads(out)) == ["950_harbor", "951_coast"]
    code, out, _ = run(capsys, "list", "--json", "--view", "fetched", "--filter", "outlet:coast", *where)
    assert [r["id"] for r in json.loads(out)] == ["951_coast"]  # the view, narrowed further

    code, _, err = run(capsys, "list", "--view", "evening", *where)
    assert code == 2 and "no saved view 'evening'" in err and "fetched" in err
    code, _, err = run(capsys, "list", "--filter", "since:someday", *where)
    assert code == 2 and "since: needs a date" in err


def test_search_takes_feed_view_and_filter_words(tmp_path, capsys):
    where = make_library(tmp_path)
    code, out, _ = run(capsys, "search", "--json", "ferry crews walked off", *where)
    assert code == 0 and {h["article"] for h in json.loads(out)} == {"950_harbor", "951_coast", "952_valley"}
    code, out, _ = run(capsys, "search", "--json", "ferry crews walked off", "--feed", "coast", *where)
    assert {h["article"] for h in json.loads(out)} == {"951_coast"}
    code, out, _ = run(capsys, "search", "--json", "ferry crews walked off outlet:valley", *where)
    assert {h["article"] for h in json.loads(out)} == {"952_valley"}
    code, out, _ = run(capsys, "search", "ferry crews", "--feed", "nowhere", *where)
    assert code == 0 and "no matches" in out and "feed 'nowhere'" in out
