"""URL checks and the private-address policy: what the fetcher may reach and how it says no."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from tuireader.config import load_config, parse_allow_entry
from tuireader.sources.http import AllowList, FetchError, canonical_url, check_url, origin_of, private_kind
from tuireader.sources.subscriptions import SubscriptionError, normalize_feed_url


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("http://news.example:99999/feed", "Port out of range"),
        ("http://news.example:0/feed", "port 0"),
        ("http://news.example:abc/feed", "malformed URL"),
        ("http://[::1/feed", "malformed URL"),
        ("http://[fe80::1%25eth0/feed", "malformed URL"),
        ("http://[example.com]/feed", "malformed URL"),
        ("http://exa mple.com/feed", "unusable characters"),
        ("http://exa\x1bmple.com/feed", "unusable characters"),
        ("ftp://news.example/feed", "unsupported URL scheme ftp:"),
        ("file:///etc/passwd", "unsupported URL scheme file:"),
        ("http:///feed", "no host"),
    ],
)
def test_an_unfetchable_url_is_one_line(url: str, said: str) -> None:
    with pytest.raises(FetchError) as caught:
        check_url(url)
    assert said in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "url", ["http://news.example:99999/feed", "news.example:70000/rss", "http://[::1/feed", "https://[:::]/x"]
)
def test_normalize_feed_url_raises_subscription_error_only(url: str) -> None:
    with pytest.raises(SubscriptionError) as caught:
        normalize_feed_url(url)
    assert "malformed URL" in str(caught.value) and "\n" not in str(caught.value)


def test_good_urls_pass() -> None:
    for url in (
        "https://news.example/feed",
        "http://127.0.0.1:8080/rss",
        "http://[::1]:8080/",
        "http://localhost/",
    ):
        check_url(url)
    assert normalize_feed_url("news.example/rss") == "https://news.example/rss"


def test_canonical_url_of_a_bad_port_does_not_raise() -> None:
    assert canonical_url("http://news.example:99999/a/") == "https://news.example:99999/a"


def test_origins_make_the_port_explicit() -> None:
    assert origin_of("https://News.Example/x") == ("https", "news.example", 443)
    assert origin_of("http://news.example/x") == ("http", "news.example", 80)
    assert origin_of("http://[::1]:8080/") == ("http", "::1", 8080)
    assert origin_of("http://127.0.0.1/") != origin_of("https://127.0.0.1/")


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"),
        ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"),
        ("100.64.0.1", "private"), ("fd00::1", "private"), ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"), ("0.0.0.0", "unspecified"), ("224.0.0.1", "multicast"),
        ("93.184.216.34", None), ("2606:4700::1111", None),
    ],
)  # fmt: skip
def test_private_kinds(address: str, kind: str | None) -> None:
    assert private_kind(ipaddress.ip_address(address)) == kind


def test_the_allow_list() -> None:
    allow = AllowList(("127.0.0.1:8080", "intranet.local", "[::1]:631", "10.0.0.0/8", "bad entry:x"))
    loop = ipaddress.ip_address("127.0.0.1")
    assert allow.allows_host("127.0.0.1", 8080) and not allow.allows_host("127.0.0.1", 8081)
    assert allow.allows("localhost", 8080, loop)  # the name resolved to an allowed address and port
    assert not allow.allows("localhost", 9000, loop)
    assert allow.allows_host("Intranet.Local.", 443) and allow.allows_host("::1", 631)
    assert allow.allows("wiki", 80, ipaddress.ip_address("10.9.8.7"))
    assert not allow.allows("wiki", 80, ipaddress.ip_address("192.168.0.2"))
    everything = AllowList(("*",))
    assert everything.allows("anything", 1, loop)
    assert not AllowList().allows("localhost", 80, loop)


@pytest.mark.parametrize("entry", ["", "host:99999", "[::1", "a b", "10.0.0.0/99", "host:port"])
def test_bad_allow_entries_are_value_errors(entry: str) -> None:
    with pytest.raises(ValueError):
        parse_allow_entry(entry)


def test_network_allow_private_in_config_toml(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[network]\nallow_private = ["127.0.0.1:8080", "nope:99999", 5]\n', encoding="utf-8")
    config = load_config(path)
    assert config.network.allow_private == ("127.0.0.1:8080",)
    assert len(config.problems) == 2 and all("network.allow_private" in p for p in config.problems)
    assert ("network.allow_private", ["127.0.0.1:8080"], "config.toml") in config.items()

    path.write_text("[network]\nallow_private = true\n", encoding="utf-8")
    assert load_config(path).network.allow_private == ("*",)
    path.write_text('[network]\nallow_private = "yes"\nother = 1\n', encoding="utf-8")
    config = load_config(path)
    assert config.network.allow_private == () and len(config.problems) == 2
    assert load_config(tmp_path / "none.toml").network.allow_private == ()
