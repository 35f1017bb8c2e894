"""The user's settings: `config.toml` in the user config folder, read with tomllib, over defaults.

    library = "~/news"            # the library when --library is not given
    theme = "gruvbox"             # the reader's theme until one is picked in it
    browser = "firefox"           # what `o` opens web addresses with (a webbrowser name)

    [refresh]
    pages = true                  # fetch each new entry's page for its full text
    concurrency = 16              # pages in hand at once
    connect_timeout = 10.0        # seconds
    read_timeout = 10.0           # longest silence between two reads
    total_timeout = 15.0          # a whole request: redirects, retries and body included
    feed_deadline = 15.0          # a whole feed: its document and its entries' pages
    on_start = true               # the reader refreshes the feeds when it opens
    every_minutes = 30            # ... and again every 30 minutes while it is open (unset: never)

    [network]
    allow_private = []            # private addresses reachable beyond those you name, e.g.
                                  # ["127.0.0.1:8080", "intranet.local", "10.0.0.0/8"]; true: all
    proxy = "http://proxy.example:3128"  # every fetch through this proxy (NO_PROXY still
                                  # excepts hosts); false: never a proxy; unset: HTTP(S)_PROXY

    [store]
    url = "postgresql://reader@archive.example/news"   # a shared archive (default: this machine's files)

    [views.morning]               # a saved view: the reader's `w` and palette, `--view morning`
    outlet = ["harbor", "courier"]  # any of these outlets (one name, or a list)
    feed = "harbor.example"       # fetched from a feed whose address or title contains this
    since = "2026-11-01"          # also: until
    unread = true
    min_outlets = 2               # stories told by at least two outlets
    words = "ferry strike"        # in the title
    # or the reader's filter text at once: filter = "outlet:harbor unread outlets:2"

A missing file means the defaults. A setting that is unknown or of the wrong type is named in
`problems` (which `tuireader config` shows) and its default used: a typo must not stop the reader.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from tuireader.locations import config_file


@dataclass(frozen=True, slots=True)
class RefreshSettings:
    pages: bool = True
    on_start: bool = False  # the reader's: refresh the feeds when it opens
    every_minutes: float = 0.0  # the reader's: refresh every N minutes while open (0: never)
    concurrency: int = 16
    connect_timeout: float = 10.0
    read_timeout: float = 10.0
    total_timeout: float = 15.0
    feed_deadline: float = 15.0


@dataclass(frozen=True, slots=True)
class NetworkSettings:
    # Private addresses (loopback, link-local, private ranges, names resolving to them) are
    # reached only at the origin the user named (a subscription, `ingest URL`); these are the
    # others allowed ("*" for all, from `allow_private = true`).
    allow_private: tuple[str, ...] = ()
    # The proxy for fetches: None follows the environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY,
    # NO_PROXY); an http(s):// URL is used for every fetch; "none" (from `proxy = false`): direct.
    proxy: str | None = None


@dataclass(frozen=True, slots=True)
class StoreSettings:
    url: str | None = None  # postgresql://... for a shared archive; None: SQLite files here


@dataclass(frozen=True, slots=True)
class Config:
    library: Path | None = None
    theme: str | None = None
    browser: str | None = None
    refresh: RefreshSettings = field(default_factory=RefreshSettings)
    network: NetworkSettings = field(default_factory=NetworkSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    views: tuple[tuple[str, str], ...] = ()  # saved views: (name, filter text in tuireader.filters' words)
    path: Path | None = None  # the file read (None: no file, defaults only)
    given: frozenset[str] = frozenset()  # settings the file set, as "theme" or "refresh.pages"
    problems: tuple[str, ...] = ()  # one line each, about the file at `path`

    def items(self) -> list[tuple[str, Any, str]]:
        """(setting, value in force, "config.toml" or "default"), for `tuireader config`."""
        out: list[tuple[str, Any, str]] = []
        for name in ("library", "theme", "browser"):
            out.append((name, getattr(self, name), "config.toml" if name in self.given else "default"))
        for f in fields(RefreshSettings):
            key = f"refresh.{f.name}"
            out.append((key, getattr(self.refresh, f.name), "config.toml" if key in self.given else "default"))
        key = "network.allow_private"
        where = "config.toml" if key in self.given else "default"
        out.append((key, list(self.network.allow_private), where))
        key = "network.proxy"
        shown = _masked(self.network.proxy) if self.network.proxy is not None else "(HTTP_PROXY, HTTPS_PROXY, NO_PROXY)"
        out.append((key, shown, "config.toml" if key in self.given else "default"))
        out.append(("store.url", self.store.url, "config.toml" if "store.url" in self.given else "default"))
        out.extend((f"views.{name}", text, "config.toml") for name, text in self.views)
        return out


_TOP = {"library": str, "theme": str, "browser": str}
_REFRESH = {"pages": bool, "concurrency": int, "connect_timeout": float, "read_timeout": float,
            "total_timeout": float, "feed_deadline": float}  # fmt: skip
_STORE = {"url": str}
_REFRESH |= {"on_start": bool, "every_minutes": float}  # the reader's timer (tui.screens.main)
# A saved view's keys, and the filter word each stands for (tuireader.filters).
_VIEW_KEYS = {"outlet": "outlet", "feed": "feed", "since": "since", "until": "until", "unread": "unread",
              "min_outlets": "outlets", "words": "", "filter": ""}  # fmt: skip


def _fits(value: Any, kind: type) -> bool:
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool) and value > 0
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool) and value > 0
    return isinstance(value, kind) and (kind is not str or bool(value.strip()))


def load_config(path: Path | None = None) -> Config:
    """The settings in force: `path` (default: the user's config.toml) over the defaults."""
    path = path or config_file()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Config()
    except OSError as exc:
        return Config(path=path, problems=(f"cannot read ({exc.strerror or exc}); using the defaults",))
    import tomllib

    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Config(path=path, problems=(f"not valid TOML ({exc}); using the defaults",))
    problems: list[str] = []
    given: set[str] = set()
    top: dict[str, Any] = {}
    refresh: dict[str, Any] = {}
    network: dict[str, Any] = {}
    store: dict[str, Any] = {}
    views: list[tuple[str, str]] = []
    for key, value in doc.items():
        if key == "refresh" and isinstance(value, dict):
            for sub, subvalue in value.items():
                _take(f"refresh.{sub}", subvalue, _REFRESH.get(sub), refresh, sub, given, problems)
        elif key == "network" and isinstance(value, dict):
            for sub, subvalue in value.items():
                if sub == "allow_private":
                    _take_allow_private(subvalue, network, given, problems)
                elif sub == "proxy":
                    _take_proxy(subvalue, network, given, problems)
                else:
                    problems.append(f"unknown setting 'network.{sub}' (ignored)")
        elif key == "store" and isinstance(value, dict):
            for sub, subvalue in value.items():
                _take(f"store.{sub}", subvalue, _STORE.get(sub), store, sub, given, problems)
        elif key == "views" and isinstance(value, dict):
            for name, table in value.items():
                text = _view_text(name, table, problems)
                if text is not None:
                    views.append((name, text))
                    given.add(f"views.{name}")
        else:
            _take(key, value, _TOP.get(key), top, key, given, problems)
    if "library" in top:
        top["library"] = Path(top["library"]).expanduser()
    if "url" in store and not store["url"].startswith(("postgresql://", "postgres://")):
        problems.append(f"store.url = {store.pop('url')!r} is not a postgresql:// address (the local store is used)")
        given.discard("store.url")
    return Config(**top, refresh=RefreshSettings(**refresh), network=NetworkSettings(**network),
                  store=StoreSettings(**store), path=path, given=frozenset(given),
                  problems=tuple(problems), views=tuple(views))  # fmt: skip


def _view_text(name: str, table: Any, problems: list[str]) -> str | None:
    """A `[views.NAME]` table as the filter text it stands for; None (and a problem named) when
    any part of it cannot be read, so a half-understood view is never applied."""
    import re

    if not isinstance(table, dict):
        problems.append(f"views.{name} is not a table like [views.{name}] (ignored)")
        return None
    parts: list[str] = []
    for key, value in table.items():
        word = _VIEW_KEYS.get(key)
        if word is None:
            problems.append(f"unknown setting 'views.{name}.{key}' (the view is ignored)")
            return None
        values = value if isinstance(value, list) else [value]
        for v in values:
            if key == "unread":
                if not isinstance(v, bool):
                    problems.append(f"views.{name}.unread = {v!r} is not true or false (the view is ignored)")
                    return None
                parts += ["unread"] if v else []
            elif key == "min_outlets":
                if not _fits(v, int):
                    problems.append(f"views.{name}.min_outlets = {v!r} is not a whole number above 0 "
                                    "(the view is ignored)")
                    return None
                parts.append(f"outlets:{v}")
            elif not isinstance(v, str) or not v.strip():
                problems.append(f"views.{name}.{key} = {v!r} is not a text (the view is ignored)")
                return None
            elif key in ("since", "until") and not re.match(r"^\d{4}(-\d{2}(-\d{2})?)?$", v.strip()):
                problems.append(f"views.{name}.{key} = {v!r} is not a date like 2026-11-30 (the view is ignored)")
                return None
            elif '"' in v:
                problems.append(f"views.{name}.{key} = {v!r}: a double quote cannot be matched (the view is ignored)")
                return None
            elif key in ("words", "filter"):
                parts.append(v.strip())
            else:
                parts.append(f'{word}:"{v.strip()}"' if " " in v.strip() else f"{word}:{v.strip()}")
    return " ".join(parts)  # a `filter` text is checked where it is used (Library.saved_views)


_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True, slots=True)
class AllowedPrivate:
    """A private origin (or network) the config allows the fetcher to reach."""

    host: str | None  # a host name or address as written in URLs (lower case)
    port: int | None  # None: any port
    network: _Network | None  # for an address or a network: the resolved address must be in it


def parse_allow_entry(text: str) -> AllowedPrivate | None:
    """One `[network] allow_private` entry (the fetcher's `AllowList` reads them): "*" (None:
    every private address), "host", "host:port", "[v6]:port", an address, or a network
    ("10.0.0.0/8"); ValueError for anything else."""
    text = text.strip()
    if text == "*":
        return None
    if not text:
        raise ValueError("empty entry")
    if "/" in text:
        return AllowedPrivate(None, None, ipaddress.ip_network(text, strict=False))
    host, port = text, None
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        if not sep or (rest and not rest.startswith(":")):
            raise ValueError(f"{text!r} is not [address]:port")
        port = int(rest[1:]) if rest else None
    elif text.count(":") == 1:
        host, _, digits = text.partition(":")
        port = int(digits)
    if port is not None and not 0 < port < 65536:
        raise ValueError(f"port {port} out of range")
    host = host.lower().rstrip(".")
    if not host or any(c.isspace() or c in "/?#@" for c in host):
        raise ValueError(f"{text!r} is not a host")
    try:
        network: _Network | None = ipaddress.ip_network(host)
    except ValueError:
        network = None
    return AllowedPrivate(host, port, network)


def _take_allow_private(value: Any, into: dict[str, Any], given: set[str], problems: list[str]) -> None:
    """`allow_private`: true (every private address), false, or a list of entries, each checked
    (a bad entry is named and left out, the others kept)."""
    name = "network.allow_private"
    if isinstance(value, bool):
        into["allow_private"] = ("*",) if value else ()
        given.add(name)
        return
    if not isinstance(value, list):
        problems.append(f"{name} = {value!r} is not true, false or a list of addresses (the default is used)")
        return
    kept: list[str] = []
    for item in value:
        try:
            if not isinstance(item, str):
                raise ValueError("not a text")
            parse_allow_entry(item)
        except ValueError as exc:
            problems.append(f"{name}: {item!r} left out ({exc})")
            continue
        kept.append(item.strip())
    into["allow_private"] = tuple(kept)
    given.add(name)


def _masked(url: str) -> str:
    """A proxy URL with its password hidden (`tuireader config` may be pasted into a bug report)."""
    scheme, sep, rest = url.partition("://")
    userinfo, at, host = rest.partition("@")
    if not at or ":" not in userinfo or "/" in userinfo:
        return url
    return f"{scheme}{sep}{userinfo.split(':', 1)[0]}:***@{host}"


def _take_proxy(value: Any, into: dict[str, Any], given: set[str], problems: list[str]) -> None:
    """`proxy`: an http:// or https:// URL with a host, or false (never a proxy)."""
    from urllib.parse import urlsplit

    name = "network.proxy"
    if value is False:
        into["proxy"] = "none"
        given.add(name)
        return
    try:
        parts = urlsplit(value.strip()) if isinstance(value, str) else None
        ok = parts is not None and parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
        if ok:
            parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        ok = False
    if not ok:
        problems.append(f"{name} = {value!r} is not an http:// or https:// URL, or false (the environment's is used)")
        return
    into["proxy"] = value.strip()
    given.add(name)


def _take(name: str, value: Any, kind: type | None, into: dict[str, Any], key: str, given: set[str],
          problems: list[str]) -> None:  # fmt: skip
    if kind is None:
        problems.append(f"unknown setting {name!r} (ignored)")
    elif not _fits(value, kind):
        problems.append(f"{name} = {value!r} is not {_NAMES[kind]} (the default is used)")
    else:
        into[key] = float(value) if kind is float else value
        given.add(name)


_NAMES = {str: "a text", bool: "true or false", int: "a whole number above 0", float: "a number above 0"}
