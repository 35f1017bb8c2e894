"""Reading article files: encodings, header blocks, sidecars and bad input."""

from __future__ import annotations

import json

import pytest

from tuireader.sources.files import SourceError, format_header, parse_header, read_document


def test_header_block_round_trips_and_is_removed_from_body(tmp_path):
    header = format_header({"outlet": "Scripps News", "url": "https://example.com/a", "published": "2023-06-09"})
    path = tmp_path / "a.txt"
    path.write_text(header + "First paragraph.\n\nSecond.\n", encoding="utf-8")
    doc = read_document(path)
    assert doc.declared == {"outlet": "Scripps News", "url": "https://example.com/a", "published": "2023-06-09"}
    assert doc.body.startswith("First paragraph.")
    assert "---" not in doc.body


def test_text_that_merely_starts_with_dashes_is_not_a_header():
    fields, rest = parse_header("---\nThis is a sentence, not a field.\n---\nBody")
    assert fields == {}
    assert rest.startswith("---")


def test_sidecar_overrides_header(tmp_path):
    path = tmp_path / "b.txt"
    path.write_text(format_header({"outlet": "Header Outlet"}) + "Body text here.", encoding="utf-8")
    (tmp_path / "b.meta.json").write_text(json.dumps({"outlet": "Sidecar Outlet"}), encoding="utf-8")
    assert read_document(path).declared["outlet"] == "Sidecar Outlet"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Caf\xe9 \x93quoted\x94 text".encode("latin-1"), "Café “quoted” text"),  # Windows-1252 bytes
        ("Na\xefve r\xe9sum\xe9".encode("latin-1"), "Naïve résumé"),  # Latin-1 text
        ("Déjà vu — “ok”".encode(), "Déjà vu — “ok”"),
    ],
)
def test_decodes_common_encodings(tmp_path, raw, expected):
    path = tmp_path / "enc.txt"
    path.write_bytes(raw)
    assert read_document(path).body == expected


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\n ", "empty file"),
        ("binary.txt", bytes(range(256)) * 10, "binary"),
        ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_bad_files_give_one_line_errors_naming_the_file(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(SourceError) as info:
        read_document(path)
    text = str(info.value)
    assert "\n" not in text
    assert name in text
    assert message in text


def test_missing_and_huge_files(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        read_document(tmp_path / "nope.txt")
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse 50 MB file: rejected by size before it is read
    with pytest.raises(SourceError, match="too large"):
        read_document(huge)
