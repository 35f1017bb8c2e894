"""HTML pages through trafilatura: the story, its metadata, and pages that hold no story."""

from __future__ import annotations

import pytest

from tuireader.clean import clean
from tuireader.sources.files import SourceError, read_document

PARAGRAPHS = [
    "BRINDLEWICK (Reuters) - The council of Brindlewick voted on Tuesday to rebuild the old stone bridge "
    "over the river, ending a dispute that had divided the town for almost three years.",
    "Engineers told the meeting that the bridge could be closed for eight months while the work is done, "
    "and that traffic would be sent through the northern villages in the meantime.",
    "Residents who had opposed the plan said they were disappointed, but several of them added that they "
    "would now work with the council to keep the disruption as short as possible.",
    "The mayor said the decision was not an easy one and that the town would hold a public meeting next "
    "month to explain how the money for the project will be raised.",
]

ARTICLE_PAGE = """<!doctype html>
<html lang="en"><head>
<title>Council agrees to rebuild the stone bridge | Brindlewick Herald</title>
<meta property="og:title" content="Council agrees to rebuild the stone bridge">
<meta property="og:site_name" content="Brindlewick Herald">
<meta name="author" content="Ann Example">
<meta property="article:published_time" content="2024-02-12T09:30:00Z">
<meta property="article:tag" content="Brindlewick">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<main><article>
<h1>Council agrees to rebuild the stone bridge</h1>
<p class="byline">By Ann Example</p>
{paragraphs}
<figure><img src="bridge.jpg"><figcaption>The bridge in winter. (Photo: Jo Bloggs / Example)</figcaption></figure>
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/a">Ten walks to try before the winter sets in</a></li>
<li><a href="/b">Local bakery wins a regional prize for its rye loaf</a></li></ul></aside>
<footer><p>© 2024 Brindlewick Herald. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>
"""

NO_ARTICLE_PAGE = """<!doctype html><html><head><title>Site map</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/weather">Weather</a></li></ul></nav>
<footer><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body></html>
"""


def test_html_article_story_and_metadata(tmp_path):
    path = tmp_path / "bridge.html"
    path.write_text(
        ARTICLE_PAGE.replace("{paragraphs}", "\n".join(f"<p>{p}</p>" for p in PARAGRAPHS)), encoding="utf-8"
    )
    a = clean(read_document(path))
    assert a.paragraphs[0].startswith("The council of Brindlewick voted on Tuesday")
    assert a.paragraphs[-1] == PARAGRAPHS[-1]
    for furniture in ("Home", "Ten walks", "Privacy", "All rights reserved"):
        assert furniture not in a.text
    assert a.title == "Council agrees to rebuild the stone bridge"
    assert a.outlet == "Brindlewick Herald"
    assert a.published == "2024-02-12"
    assert a.authors == ("Ann Example",)
    assert a.wire == "Reuters" and a.dateline == "BRINDLEWICK"
    assert a.language == "en"
    for field in ("title", "outlet", "published", "authors"):
        assert "HTML" in a.provenance[field]


def test_html_without_an_article_is_a_one_line_error_naming_the_file(tmp_path):
    path = tmp_path / "sitemap.html"
    path.write_text(NO_ARTICLE_PAGE, encoding="utf-8")
    with pytest.raises(SourceError) as err:
        clean(read_document(path))
    message = str(err.value)
    assert str(path) in message and "\n" not in message


def test_cleaning_text_never_imports_trafilatura(tmp_path):
    """The reader cleans text files at start-up; trafilatura loads only when an HTML page needs it."""
    import subprocess
    import sys

    path = tmp_path / "a.txt"
    path.write_text("\n\n".join(PARAGRAPHS), encoding="utf-8")
    code = (
        "import sys\n"
        "from tuireader.clean import clean\n"
        "from tuireader.sources.files import read_document\n"
        f"clean(read_document({str(path)!r}))\n"
        "print(sorted(m for m in ('trafilatura', 'spacy', 'lxml') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
