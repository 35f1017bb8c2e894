"""`tuireader export STORY --format md|html|json`: a story's comparison to share, with every article
string escaped (hostile text: markup, a closing table cell, control characters)."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tuireader.cli.main import main
from tuireader.library import Library

HOSTILE_TITLE = "Dam <script>alert(1)</script> breach </td></tr> floods \x1b[31mvalley\x07"

VERSION = """---
outlet: {outlet}
url: https://{host}/dam
published: {date}
---
{title}

The dam above Millbrook failed on Tuesday night and {count} residents were evacuated, officials said.

"We moved everyone we could reach before midnight <b>and</b> we are still searching," said fire chief Dana Reyes.

Engineers had warned in {month} that the spillway was cracked, according to the county.
"""


@pytest.fixture(scope="module")
def hostile_library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("export")
    root = base / "articles"
    root.mkdir()
    rows = [("Valley Post <i>", "valley.example", "2026-11-01", "1,200", "March"),
            ("River Herald", "river.example", "2026-11-02", "1,500", "April"),
            ("River Herald", "river.example", "2026-11-03", "1,500", "April")]
    for n, (outlet, host, date, count, month) in enumerate(rows):
        text = VERSION.format(outlet=outlet, host=host, date=date, title=HOSTILE_TITLE, count=count, month=month)
        if n == 2:
            text += "\nA later update added that the road north was closed.\n"
        (root / f"00{n}_dam{n}.txt").write_text(text, encoding="utf-8")
    lib = Library(root, cache_dir=base / "cache")
    lib.scan()
    lib.analyze_all()
    lib.close()
    return root, base / "cache"


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001, ANN201
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):  # noqa: ANN001, ANN201
        self.text.append(data)


def export(root: Path, cache: Path, fmt: str, capsys) -> str:  # noqa: ANN001
    assert main(["export", "000_dam0", "--format", fmt, "--library", str(root), "--cache-dir", str(cache)]) == 0
    return capsys.readouterr().out


def test_html_escapes_every_article_string_and_loads_nothing(hostile_library, capsys):
    page = export(*hostile_library, "html", capsys)
    parser = _Tags()
    parser.feed(page)
    allowed = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "table", "tr", "th",
               "td", "ul", "li", "strong", "blockquote", "span", "br", "del", "ins"}
    assert set(parser.tags) <= allowed  # no <script>, <i>, <b> from the articles
    assert not any(name in ("src", "href") for name, _ in parser.attrs)  # nothing to load or follow
    text = "".join(parser.text)
    assert "<script>alert(1)</script>" in text  # shown as text
    assert "</td></tr>" in text
    assert "Valley Post <i>" in text and "<b>and</b>" in text
    assert "\x1b" not in page and "\x07" not in page
    assert "default-src 'none'" in page
    # The comparison itself: versions, who was first, the differing figure, the outlet counted once.
    assert "First reported by Valley Post &lt;i&gt;" in page
    assert "River Herald (2)" in page
    assert "1,200" in text and "1,500" in text


def test_markdown_lists_versions_counts_quotes_and_differences(hostile_library, capsys):
    doc = export(*hostile_library, "md", capsys)
    assert "\x1b" not in doc
    assert "<script>" not in doc and r"\<script\>" in doc  # literal, not HTML for a Markdown viewer
    assert "| outlet | published | title | words | shared | reworded | only here |" in doc
    assert doc.count("River Herald") >= 2
    assert "Dana Reyes" in doc
    assert "1,200" in doc and "1,500" in doc
    assert "## Where the versions differ" in doc


def test_json_has_the_coverage_counts_of_every_version(hostile_library, capsys):
    data = json.loads(export(*hostile_library, "json", capsys))
    assert len(data["versions"]) == 3
    lib = Library(hostile_library[0], cache_dir=hostile_library[1])
    coverage = lib.coverage(lib.story_of("000_dam0"))
    lib.close()
    for v in data["versions"]:
        assert (v["shared"], v["reworded"], v["only_here"]) == (
            coverage[v["id"]]["shared"], coverage[v["id"]]["reworded"], coverage[v["id"]]["only here"])
    assert [v["first"] for v in data["versions"]].count(True) == 1


def test_an_unknown_story_is_one_line_and_status_1(hostile_library, capsys):
    root, cache = hostile_library
    assert main(["export", "no-such-story", "--library", str(root), "--cache-dir", str(cache)]) == 1
    err = capsys.readouterr().err
    assert "no-such-story" in err and len(err.strip().splitlines()) == 1


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(_chromium() is None, reason="Debian's chromium is not installed (apt-get install chromium)")
def test_the_html_page_renders_the_hostile_text_as_text_in_chromium(hostile_library, tmp_path, capsys):
    page = tmp_path / "story.html"
    page.write_text(export(*hostile_library, "html", capsys), encoding="utf-8")
    run = subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                          page.as_uri()], capture_output=True, text=True, timeout=60, check=False)
    dom = run.stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "<script" not in dom
