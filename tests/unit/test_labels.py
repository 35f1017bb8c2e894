"""Version labels: meaningful (the outlet) and never the same for two versions that meet."""

from __future__ import annotations

from tuireader.labels import version_labels
from tuireader.model import ArticleSummary


def row(aid: str, outlet: str | None = None, published: str | None = None, story: str | None = "s1") -> ArticleSummary:
    return ArticleSummary(aid, f"/lib/{aid}.txt", outlet, "A title", published, (), story, 300)


def test_twelve_files_numbered_alike_get_twelve_labels() -> None:
    """`1_1ecb.txt` ... `1_12ecb.txt` (ECB+ style names) were all "#1"."""
    rows = [row(f"1_{n}ecb", story=f"s{n % 3}") for n in range(1, 13)]
    labels = version_labels(rows)
    assert len(set(labels.values())) == 12
    assert labels["1_1ecb"] == "#1_1ecb" and labels["1_12ecb"] == "#1_12ecb"


def test_numbered_files_keep_their_short_number_when_it_is_theirs_alone() -> None:
    labels = version_labels([row("003_5b903ab4dc6d6d19"), row("004_3ebe211b05f5ac72")])
    assert labels == {"003_5b903ab4dc6d6d19": "#003", "004_3ebe211b05f5ac72": "#004"}


def test_fetched_files_of_one_day_without_outlet() -> None:
    """Two fetched articles of 15 May were both "#20240515"."""
    a, b = "20240515_5b903ab4dc6d6d19", "20240515_5b917ea725e07b18"
    labels = version_labels([row(a), row(b), row("20240516_0123456789abcdef", story="s2")])
    assert labels[a] == "#20240515_5b90" and labels[b] == "#20240515_5b91"
    assert labels["20240516_0123456789abcdef"] == "#20240516_0123"


def test_outlets_name_versions_and_same_outlet_versions_add_when() -> None:
    rows = [
        row("20240515_aaaaaaaaaaaaaaaa", "The Tribune", "2024-05-15T08:00:00Z"),
        row("20240515_bbbbbbbbbbbbbbbb", "the tribune", "2024-05-15T14:30:00Z"),  # same outlet, other spelling
        row("20240516_cccccccccccccccc", "The Tribune", "2024-05-16"),
        row("20240515_dddddddddddddddd", "Harbour Herald", "2024-05-15"),
        row("20240517_eeeeeeeeeeeeeeee", "The Tribune", "2024-05-17", story="s2"),  # another story
    ]
    labels = version_labels(rows)
    assert labels["20240515_aaaaaaaaaaaaaaaa"] == "The Tribune 2024-05-15 08:00"
    assert labels["20240515_bbbbbbbbbbbbbbbb"] == "The Tribune 2024-05-15 14:30"  # one spelling in a story
    assert labels["20240516_cccccccccccccccc"] == "The Tribune 2024-05-16"
    assert labels["20240515_dddddddddddddddd"] == "Harbour Herald"
    assert labels["20240517_eeeeeeeeeeeeeeee"] == "The Tribune"  # alone in its story: the outlet suffices


def test_same_outlet_same_minute_or_undated_falls_back_to_the_file_tag() -> None:
    rows = [row("20240515_aaaa1111aaaa1111", "Wire", "2024-05-15T08:00:00Z"),
            row("20240515_aaaa2222aaaa2222", "Wire", "2024-05-15T08:00:30Z"),
            row("undated-copy", "Wire")]
    labels = version_labels(rows)
    assert labels == {"20240515_aaaa1111aaaa1111": "Wire #20240515_aaaa1",
                      "20240515_aaaa2222aaaa2222": "Wire #20240515_aaaa2",
                      "undated-copy": "Wire #undated-copy"}


def test_an_outlet_spelt_like_a_tag_cannot_make_two_labels_alike() -> None:
    labels = version_labels([row("003_5b903ab4dc6d6d19"), row("x", "#003")])
    assert len(set(labels.values())) == 2


def test_control_characters_in_names_are_not_passed_through() -> None:
    labels = version_labels([row("a", "Evil\x1b[2J News")])
    assert "\x1b" not in labels["a"]
