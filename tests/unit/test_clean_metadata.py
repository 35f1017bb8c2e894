"""Metadata with provenance on small hand-made pages: dates, titles, outlets, tags, declared fields."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tuireader.clean import clean
from tuireader.clean.bylines import as_name, parse_byline
from tuireader.clean.dates import find_dates
from tuireader.model import Article
from tuireader.sources.files import format_header, read_document

STORY = "\n\n".join(
    [
        "The council of Brindlewick voted on Tuesday to rebuild the old stone bridge over the river, ending "
        "a dispute that had divided the town for almost three years.",
        "Engineers told the meeting that the bridge could be closed for eight months while the work is done, "
        "and that traffic would be sent through the northern villages in the meantime.",
        "Residents who had opposed the plan said they were disappointed, but several of them added that they "
        "would now work with the council to keep the disruption as short as possible.",
    ]
)
HEADLINE = "Council agrees to rebuild the old stone bridge"


def page(tmp_path: Path, text: str, name: str = "page.txt") -> Article:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return clean(read_document(path))


# ---- dates ---------------------------------------------------------------------------------------


def test_publication_line_wins_over_the_masthead_banner(tmp_path):
    text = "\n\n".join(["Monday, March 3, 2025", HEADLINE, "Published 12 Feb 2024, 10:15", STORY])
    a = page(tmp_path, text)
    assert a.published == "2024-02-12"
    assert "Published 12 Feb 2024" in a.provenance["published"]
    roles = {(d.value[:10], d.role) for d in a.dates_seen}
    assert ("2025-03-03", "banner") in roles and ("2024-02-12", "publication") in roles


def test_a_page_clock_is_not_a_publication_date(tmp_path):
    a = page(tmp_path, "\n\n".join([HEADLINE, "Date:2025-01-07 09:41:12", STORY]))
    assert a.published is None
    assert [d.role for d in a.dates_seen] == ["banner"]
    assert "page-visit" in a.provenance["published"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("20240212", "2024-02-12"),
        (" date 2024-02-12 ", "2024-02-12"),
        ("Posted at 6:51 PM, Feb 12, 2024", "2024-02-12"),
    ],
)
def test_date_lines_below_the_headline(tmp_path, line, expected):
    assert page(tmp_path, "\n\n".join([HEADLINE, line, STORY])).published == expected


def test_relative_date_counted_back_from_the_banner_confirms_the_story_date(tmp_path):
    text = "\n\n".join(["Friday, March 1, 2024", HEADLINE, "10 days ago", "20240220", "20240218", STORY])
    a = page(tmp_path, text)
    assert a.published == "2024-02-20"  # the one "10 days ago" points at, not merely the first
    assert "10 days ago" in a.provenance["published"]


def test_updated_line_is_only_a_fallback(tmp_path):
    a = page(tmp_path, "\n\n".join([HEADLINE, "Updated: 4 April 2024", STORY]))
    assert a.published == "2024-04-04"
    assert "updated" in a.provenance["published"].lower()


def test_times_and_formats_of_dates():
    assert [f.iso for f in find_dates("Posted at 6:51 PM, Jun 09, 2023")] == ["2023-06-09T18:51"]
    assert [f.iso for f in find_dates("21:17 18.11.2019")] == ["2019-11-18T21:17"]
    assert [f.iso for f in find_dates("sexta-feira, 22 de outubro de 2010")] == ["2010-10-22"]
    assert [f.iso for f in find_dates("11/19/2019 and 19/11/2019")] == ["2019-11-19", "2019-11-19"]
    assert find_dates("In 2019 the bridge was 600 years old") == []
    assert find_dates("February 30, 2024") == []


# ---- declared fields -----------------------------------------------------------------------------


def test_header_block_wins_over_inference_and_says_so(tmp_path):
    header = format_header(
        {
            "title": "Bridge to be rebuilt",
            "outlet": "Brindlewick Post",
            "url": "https://post.example/b",
            "published": "2024-02-12",
        }
    )
    a = page(tmp_path, header + "\n".join(["Monday, March 3, 2025", HEADLINE, "Published 1 Jan 2024", STORY]))
    assert (a.title, a.outlet, a.url, a.published) == (
        "Bridge to be rebuilt",
        "Brindlewick Post",
        "https://post.example/b",
        "2024-02-12",
    )
    for field in ("title", "outlet", "url", "published"):
        assert "header" in a.provenance[field]


def test_sidecar_fields_are_credited_to_the_sidecar(tmp_path):
    (tmp_path / "page.meta.json").write_text(
        json.dumps({"outlet": "Sidecar Gazette", "authors": "Ann Example; Bob Roe"})
    )
    a = page(tmp_path, "\n\n".join([HEADLINE, STORY]))
    assert a.outlet == "Sidecar Gazette" and "sidecar" in a.provenance["outlet"]
    assert a.authors == ("Ann Example", "Bob Roe") and "sidecar" in a.provenance["authors"]


def test_url_gives_outlet_domain_and_date_when_the_page_does_not(tmp_path):
    header = format_header({"url": "https://www.brindlewick-post.example/news/2024/02/12/bridge-vote"})
    a = page(tmp_path, header + "\n".join([HEADLINE, STORY]))
    assert a.outlet == "brindlewick-post.example"
    assert "domain" in a.provenance["outlet"]
    assert a.published == "2024-02-12" and "URL" in a.provenance["published"]


def test_no_outlet_is_invented(tmp_path):
    a = page(tmp_path, "\n\n".join([HEADLINE, "WASHINGTON (AP) — " + STORY]))
    assert a.outlet is None and "outlet" not in a.provenance
    assert a.wire == "Associated Press" and a.dateline == "WASHINGTON"


# ---- outlet, title, tags -------------------------------------------------------------------------


def test_outlet_from_masthead_segments_not_sections(tmp_path):
    a = page(tmp_path, "\n\n".join(["NewsWorld NewsThe Brindlewick Herald", HEADLINE, STORY]))
    assert a.outlet == "The Brindlewick Herald"


def test_outlet_from_copyright_or_originally_published(tmp_path):
    a = page(
        tmp_path,
        "\n\n".join([HEADLINE, STORY, "Privacy", "© 2024 Brindlewick Chronicle, LLC. All rights reserved."]),
    )
    assert a.outlet == "Brindlewick Chronicle" and "copyright" in a.provenance["outlet"]
    b = page(tmp_path, "\n\n".join([HEADLINE, STORY, "Originally published on River Valley Times."]), "b.txt")
    assert b.outlet == "River Valley Times"


def test_headline_is_the_line_the_story_talks_about_not_the_standfirst(tmp_path):
    dek = "Engineers say the river crossing will be closed for most of next year while the work is done."
    text = "\n\n".join(
        ["Menu", "Search", HEADLINE + " | Brindlewick Herald", dek, HEADLINE, "By Ann Example", STORY]
    )
    a = page(tmp_path, text)
    assert a.title == HEADLINE
    assert a.authors == ("Ann Example",)


def test_site_name_after_the_headline_is_cut_and_becomes_the_outlet(tmp_path):
    a = page(tmp_path, "\n\n".join([HEADLINE + " | Brindlewick Herald", STORY]))
    assert a.title == HEADLINE
    assert a.outlet == "Brindlewick Herald"


def test_without_a_headline_the_first_sentence_stands_in(tmp_path):
    a = page(tmp_path, STORY)
    assert a.title.startswith("The council of Brindlewick voted on Tuesday")
    assert "first sentence" in a.provenance["title"]


def test_tag_line_after_the_story(tmp_path):
    a = page(
        tmp_path,
        "\n\n".join([HEADLINE, STORY, "Tags: Brindlewick, bridge, council", "Share: Facebook, Email"]),
    )
    assert a.tags == ("Brindlewick", "bridge", "council")
    b = page(tmp_path, "\n\n".join([HEADLINE, STORY, "Share:", "- Facebook", "- Email", "- Print"]), "b.txt")
    assert b.tags == ()  # share buttons are not what the story is about


# ---- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("AAMER MADHANI", "Aamer Madhani"), ("Dan de Luce", "Dan de Luce"), ("Carol E. Lee", "Carol E. Lee"),
     ("Related articles", None), ("White", None), ("Associated Press", None), ("Staff Writer", None)],
)  # fmt: skip
def test_name_shapes(text, expected):
    assert as_name(text) == expected


def test_bylines_parse_names_wires_and_contributors():
    assert parse_byline("Story by AAMER MADHANI | Associated Press").authors == ("Aamer Madhani",)
    assert parse_byline("Story by AAMER MADHANI | Associated Press").wire == "Associated Press"
    assert parse_byline("Posted by Ann Example on March 1, 2024, 6:21 AM EST").authors == ("Ann Example",)
    assert parse_byline("Carol E. Lee contributed.").kind == "contributed"
    assert parse_byline("By Friday, the troops had left the town and the bridge was closed.") is None
