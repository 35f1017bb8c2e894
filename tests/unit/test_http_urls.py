"""URL identity and the bounded inflater: what makes one article one file, and a bomb harmless."""

from __future__ import annotations

import gzip
import zlib

import pytest

from tuireader.sources.http import _BoundedInflater, _retry_after, canonical_url, site_of, url_hash

SAME_ARTICLE = [
    "https://news.example.com/2024/03/story",
    "http://news.example.com/2024/03/story",
    "https://news.example.com/2024/03/story/",
    "https://NEWS.example.com:443/2024/03/story#comments",
    "https://news.example.com/2024/03/story?utm_source=rss&utm_medium=feed&utm_campaign=x",
    "https://news.example.com/2024/03/story?fbclid=IwAR0abc&gclid=Cj0K",
    "http://news.example.com:80/2024/03/story/?mc_cid=1&mc_eid=2",
]


@pytest.mark.parametrize("variant", SAME_ARTICLE[1:])
def test_tracking_scheme_slash_fragment_variants_are_one_article(variant: str) -> None:
    assert canonical_url(variant) == canonical_url(SAME_ARTICLE[0])
    assert url_hash(variant) == url_hash(SAME_ARTICLE[0])


@pytest.mark.parametrize(
    "other",
    [
        "https://news.example.com/2024/03/other-story",
        "https://news.example.com/article?id=124",
        "https://elsewhere.example.org/2024/03/story",
        "https://news.example.com:8443/2024/03/story",
    ],
)
def test_different_articles_stay_different(other: str) -> None:
    assert url_hash(other) != url_hash("https://news.example.com/2024/03/story")
    assert url_hash("https://news.example.com/article?id=123") != url_hash(
        "https://news.example.com/article?id=124"
    )


def test_meaningful_query_is_kept_and_order_does_not_matter() -> None:
    a = canonical_url("https://x.example/view?page=2&id=9&utm_term=a")
    assert a == canonical_url("https://x.example/view?id=9&page=2")
    assert "id=9" in a and "page=2" in a and "utm" not in a


def test_site_ignores_www() -> None:
    assert site_of("https://www.example.com/a") == site_of("http://example.com/b") == "example.com"


def _inflate_all(inflater: _BoundedInflater, data: bytes, room: int) -> bytes:
    out = b""
    for i in range(0, len(data), 4096):
        out += b"".join(inflater.feed(data[i : i + 4096], room - len(out)))
    return out


def test_inflater_decodes_gzip_multi_member_and_raw_deflate() -> None:
    text = b"The storm knocked out power to 40,000 homes. " * 200
    assert _inflate_all(_BoundedInflater("gzip"), gzip.compress(text), 10**6) == text
    two = gzip.compress(text[:100]) + gzip.compress(text[100:])
    assert _inflate_all(_BoundedInflater("gzip"), two, 10**6) == text
    assert _inflate_all(_BoundedInflater("deflate"), zlib.compress(text), 10**6) == text
    raw = zlib.compressobj(6, zlib.DEFLATED, -15)
    assert _inflate_all(_BoundedInflater("deflate"), raw.compress(text) + raw.flush(), 10**6) == text


def test_inflater_stops_a_bomb_at_the_cap() -> None:
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join(comp.compress(b"\0" * 2**20) for _ in range(200)) + comp.flush()  # 200 MiB inflated
    assert len(bomb) < 300_000
    inflater = _BoundedInflater("gzip")
    with pytest.raises(OverflowError):
        _inflate_all(inflater, bomb, 2 * 2**20)


def test_retry_after_seconds_and_dates() -> None:
    assert _retry_after("120") == 120
    assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0  # in the past: retry now
    assert _retry_after("soon") is None
