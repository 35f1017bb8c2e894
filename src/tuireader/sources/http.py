"""Fetching over HTTP for feeds and article pages: polite, bounded and cached.

Feed servers are untrusted and often broken, so nothing here is a plain `httpx.get`:

- every request has a deadline (a server that stalls or dribbles bytes cannot hold up a refresh);
- bodies are streamed and counted *after* decompression, which we do ourselves with a bounded
  inflater, so a gzip bomb is refused after the cap instead of being inflated in memory;
- redirects are followed by hand: bounded, loops named, only http/https;
- private addresses (loopback, link-local, private ranges, and names that resolve to them) are
  reached only at the origin the user named (the subscription, `ingest URL`) or where the config
  allows them (`allow_private`): the check is made on the address actually connected to, after
  resolving, so a name that resolves to 127.0.0.1 (DNS rebinding included) is caught as well;
- a proxy named by HTTP_PROXY / HTTPS_PROXY (or ALL_PROXY; NO_PROXY excepted) or by the config's
  `[network] proxy` carries the request (CONNECT for https, the absolute form for http), under the
  same deadlines; see `proxy_for` for what the private-address rule checks then;
- retries with exponential backoff only where a retry can help (5xx, timeouts, dropped
  connections), never on 4xx, which will not change by asking again;
- concurrency is bounded per host (politeness) and overall (sockets, memory);
- an HTTP cache in diskcache keeps ETag/Last-Modified and the last body, so an unchanged feed
  costs one conditional request answered by 304.

Every failure is a `FetchError` whose text is one line a user can act on.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import ipaddress
import random
import re
import time
import zlib
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from tuireader import __version__
from tuireader.config import AllowedPrivate, parse_allow_entry

if TYPE_CHECKING:
    import ssl

    import httpx


PROJECT_URL = "https://pypi.org/project/tuireader-news/"
MiB = 1024 * 1024


# the package's own version string (importlib.metadata would cost 10 ms of every start-up)
USER_AGENT = f"tuireader/{__version__} (+{PROJECT_URL})"

# Query parameters that only say where a click came from; they never change the article.
TRACKING_PARAMS = frozenset(
    {
        "fbclid", "gclid", "gclsrc", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid",
        "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id",
        "oly_enc_id", "vero_id", "vero_conv", "__twitter_impression", "rb_clickid", "s_cid",
        "cmpid", "ito", "ncid", "sr_share", "at_medium", "at_campaign", "at_custom1",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_")

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@functools.lru_cache(maxsize=65536)
def canonical_url(url: str) -> str:
    """The form of `url` used to recognise one article under different links.

    http and https, a trailing slash, a fragment, the order of query parameters and click-tracking
    parameters (utm_*, fbclid, gclid, ...) never select a different article, so they are folded:
    the scheme becomes https, the host is lower-cased without a default port, the path loses a
    trailing slash, tracking parameters and the fragment go, the rest of the query is sorted.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # a broken IPv6 literal: no article has this URL but this one
        return url.strip()
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        scheme = "https"
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port if parts.port not in (None, 80, 443) else None
    except ValueError:  # a port out of range: such an URL names no article; kept as written
        port = parts.netloc.rpartition(":")[2]  # type: ignore[assignment]
    netloc = host if port is None else f"{host}:{port}"
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    ]
    query.sort()
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


@functools.lru_cache(maxsize=65536)
def url_hash(url: str) -> str:
    """16 hex digits naming the article at `url` (after `canonical_url`)."""
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:16]


@functools.lru_cache(maxsize=4096)
def _site_of_netloc(netloc: str) -> str:
    host = (urlsplit(f"//{netloc}").hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def site_of(url: str) -> str:
    """The site an URL belongs to, for same-site comparisons: host without a leading www."""
    _, sep, rest = url.partition("//")
    return _site_of_netloc(rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0] if sep else "")


class FetchError(Exception):
    """A URL that could not be fetched; str() is the one-line reason (without the URL)."""


class PrivateAddressError(FetchError):
    """A connection refused because it leads to a private address nobody named or allowed."""


class _Retryable(FetchError):
    """A failure that may go away if asked again (5xx, timeout, dropped connection)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class HttpConfig:
    """Limits of the fetcher. The defaults suit real feeds; tests shrink the timeouts."""

    connect_timeout: float = 10.0
    read_timeout: float = 10.0  # longest silence between two reads
    total_timeout: float = 15.0  # one request whole (redirects, retries, body): defeats dribbling
    max_redirects: int = 5
    max_feed_bytes: int = 20 * MiB
    max_page_bytes: int = 10 * MiB
    retries: int = 2  # extra attempts after the first, on 5xx/timeouts only
    backoff: float = 0.5  # seconds before the first retry; doubled each time
    max_retry_after: float = 30.0  # a server's Retry-After is honoured up to this
    max_connections: int = 32
    per_host: int = 6
    user_agent: str = USER_AGENT
    # private origins reachable beyond the one named (see `AllowList`): "127.0.0.1:8080",
    # "localhost", "[::1]:631", "10.0.0.0/8"; "*" allows every private address
    allow_private: tuple[str, ...] = ()
    # the proxy: None follows the environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY, in
    # either case); an URL is used for every request (NO_PROXY still excepts hosts); "none" or ""
    # connects directly whatever the environment says
    proxy: str | None = None


class Deadline:
    """A time limit that counts only the time its requests are served: while at least one of them
    holds a connection slot, not while they queue behind the other feeds of their host. A feed's
    deadline is shared by its requests; each request also has its own (`total_timeout`)."""

    __slots__ = ("seconds", "what", "used", "active", "since")

    def __init__(self, seconds: float, what: str = "") -> None:
        self.seconds = seconds
        self.what = what  # how a timeout names it: "" for a request, "the feed's deadline"
        self.used = 0.0  # seconds counted before the current stretch of activity
        self.active = 0  # requests holding a slot now
        self.since = 0.0  # the event loop's clock when the current stretch began

    def enter(self, now: float) -> None:
        if not self.active:
            self.since = now
        self.active += 1

    def leave(self, now: float) -> None:
        self.active -= 1
        if not self.active:
            self.used += now - self.since

    def remaining(self, now: float) -> float:
        return self.seconds - self.used - (now - self.since if self.active else 0.0)

    def timed_out(self) -> FetchError:
        if self.what:
            return FetchError(f"timed out ({self.what} of {self.seconds:g} s passed)")
        return FetchError(f"timed out (no complete response in {self.seconds:g} s)")


@dataclass(frozen=True, slots=True)
class Response:
    """A fetched body. `url` is the final URL after redirects; `not_modified` means the server
    answered 304 and `body` is the copy from the HTTP cache."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    not_modified: bool = False
    cached_sha256: str | None = None  # the body's hash if known; on 304 that of the cached body

    @property
    def sha256(self) -> str:
        """Hex SHA-256 of the body (on 304: of the body the validators belong to)."""
        return self.cached_sha256 or hashlib.sha256(self.body).hexdigest()

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


_KEPT_HEADERS = ("content-type", "content-language", "etag", "last-modified", "content-location")


class HttpCache:
    """Validators (ETag, Last-Modified) of fetched URLs and the hash of the body they name, in
    diskcache under `directory`.

    Bodies are not kept: the refresh state records which feed documents were fully read (by this
    hash), so a 304 for a read document needs no body, and the rare 304 for a document an
    interrupted refresh did not finish is followed by a plain GET. That spares writing every feed
    to disk on every refresh. Keyed by the URL asked for (not the final one), so a feed behind a
    permanent redirect is revalidated at the place it now lives.
    """

    def __init__(self, directory: Path) -> None:
        import diskcache

        from tuireader.store.plain_disk import PlainDisk

        directory.mkdir(parents=True, exist_ok=True)
        self._cache = diskcache.Cache(str(directory), size_limit=1024 * MiB, disk=PlainDisk)

    def get(self, url: str) -> dict[str, Any] | None:
        try:
            entry = self._cache.get(("http", url))
        except Exception:  # a damaged cache only costs a full fetch
            return None
        return entry if isinstance(entry, dict) else None

    def put(self, url: str, response: Response) -> None:
        if not (response.headers.get("etag") or response.headers.get("last-modified")):
            return  # nothing to revalidate with
        entry = {
            "url": response.url,
            "headers": {k: v for k, v in response.headers.items() if k in _KEPT_HEADERS},
            "sha256": response.sha256,
            "stored": time.time(),
        }
        with contextlib.suppress(Exception):
            self._cache.set(("http", url), entry)

    def close(self) -> None:
        self._cache.close()


class _BoundedInflater:
    """Undo one Content-Encoding (gzip or deflate) without ever producing more than `room` bytes.

    zlib's `max_length` keeps each step's output small, so a bomb (1 KiB that inflates to 1 GiB)
    costs at most the cap in memory before it is refused.
    """

    STEP = 256 * 1024

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._first = True
        self._obj = self._new()

    def _new(self, raw: bool = False) -> Any:
        if self.encoding == "deflate":
            return zlib.decompressobj(-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
        return zlib.decompressobj(zlib.MAX_WBITS | 16)

    def feed(self, data: bytes, room: int) -> list[bytes]:
        """Inflate `data`; raises OverflowError once more than `room` bytes would come out."""
        out: list[bytes] = []
        produced = 0
        while data:
            try:
                chunk = self._obj.decompress(data, self.STEP)
            except zlib.error as exc:
                if self._first and self.encoding == "deflate":  # raw deflate without zlib header
                    self._first = False
                    self._obj = self._new(raw=True)
                    continue
                raise FetchError(f"corrupt {self.encoding} body ({exc})") from exc
            self._first = False
            produced += len(chunk)
            if produced > room:
                raise OverflowError
            out.append(chunk)
            if self._obj.eof and self._obj.unused_data and self.encoding == "gzip":
                data = self._obj.unused_data
                if not data.startswith(b"\x1f\x8b"):
                    break  # trailing bytes after the stream, as some servers send: ignored
                self._obj = self._new()  # another gzip member follows
            else:
                data = self._obj.unconsumed_tail
        return out


def _content_encodings(headers: httpx.Headers) -> list[str]:
    value = headers.get("content-encoding", "")
    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    return [n for n in names if n != "identity"]


async def _read_bounded(response: httpx.Response, limit: int) -> bytes:
    """The decoded body of a streamed response, refused once it passes `limit` bytes."""
    encodings = _content_encodings(response.headers)
    for name in encodings:
        if name not in ("gzip", "x-gzip", "deflate"):
            raise FetchError(f"unsupported content encoding {name!r}")
    inflaters = [_BoundedInflater("deflate" if n == "deflate" else "gzip") for n in reversed(encodings)]
    size = 0
    parts: list[bytes] = []
    too_big = FetchError(f"response larger than {_size(limit)}" + (" once decompressed" if encodings else ""))
    async for raw in response.aiter_raw():
        chunks = [raw]
        try:
            for inflater in inflaters:
                chunks = [out for c in chunks for out in inflater.feed(c, limit - size)]
        except OverflowError:
            raise too_big from None
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise too_big
            parts.append(chunk)
    return b"".join(parts)


def _size(n: int) -> str:
    return f"{n / MiB:.0f} MiB" if n >= MiB else f"{max(1, n // 1024)} KiB"


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, OverflowError):
        return None


_BAD_HOST = re.compile(r"[\s\x00-\x1f\x7f\\<>^`{|}]")


def check_url(url: str) -> None:
    """Raise FetchError (one line) for an URL that cannot be fetched: not http(s), no host, a port
    out of range, a broken IPv6 literal, spaces or control characters in the host."""
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError as exc:  # "Port out of range 0-65535", "Invalid IPv6 URL", ...
        raise FetchError(f"malformed URL ({_first_line(exc) or 'unreadable'})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchError(
            f"unsupported URL scheme {scheme + ':' if scheme else '(none)'} (only http and https)"
        )
    if not host:
        raise FetchError("URL has no host")
    if port == 0:
        raise FetchError("malformed URL (port 0)")
    if _BAD_HOST.search(host):
        raise FetchError("malformed URL (unusable characters in the host name)")
    if "[" in parts.netloc and ":" not in host:
        raise FetchError("malformed URL (brackets around a host that is no IPv6 address)")


def origin_of(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an URL, the port made explicit: what a private address is allowed for."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    host = (parts.hostname or "").lower().rstrip(".")
    return scheme, host, port or (443 if scheme == "https" else 80)


def private_kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """What kind of non-public address `ip` is ("loopback", "private", ...), None for a public one."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_multicast:
        return "multicast"
    if ip.is_private or ip.is_reserved or not ip.is_global:
        return "private"
    return None


class AllowList:
    """The private origins the config allows (`HttpConfig.allow_private`); invalid entries are left
    out here (`tuireader config` names them)."""

    def __init__(self, entries: tuple[str, ...] | list[str] = ()) -> None:
        self.everything = False
        self.entries: list[AllowedPrivate] = []
        for text in entries:
            try:
                entry = parse_allow_entry(text)
            except ValueError:
                continue
            if entry is None:
                self.everything = True
            else:
                self.entries.append(entry)

    def allows_host(self, host: str, port: int) -> bool:
        """Allowed by name, before any address is known."""
        host = host.lower().rstrip(".")
        return self.everything or any(
            e.host == host and e.port in (None, port) for e in self.entries if e.host is not None
        )

    def allows(self, host: str, port: int, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        """Allowed by name, or by the address resolved for it."""
        if self.allows_host(host, port):
            return True
        plain = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped else ip
        return any(
            e.network is not None and plain in e.network and e.port in (None, port) for e in self.entries
        )


_NO_PROXY_WORDS = frozenset({"", "none", "off", "direct", "false"})


def proxy_for(url: str, setting: str | None, environment: dict[str, str]) -> str | None:
    """The proxy URL a request for `url` goes through, or None to connect directly.

    `setting` is `HttpConfig.proxy`; `environment` is what `urllib.request.getproxies_environment`
    read (scheme -> proxy, and "no" -> the NO_PROXY list, whose entries are host names, domain
    suffixes, host:port, or "*" for every host).

    Through a proxy, the client does not resolve the target: the proxy does (in a network that
    has a proxy the client often cannot resolve outside names at all), so the address the proxy
    will connect to is unknown here. The private-address rule is then applied to the host as the
    URL names it: an address literal in a private range (127.0.0.1, 10.1.2.3, [::1]) or
    `localhost` is refused unless named or allowed, exactly as a direct connection would be; a
    name is taken at its word, and what it resolves to is the proxy's business.
    """
    from urllib.request import proxy_bypass_environment

    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if setting is not None:
        chosen = setting.strip()
        if chosen.lower() in _NO_PROXY_WORDS:
            return None
    else:
        chosen = (environment.get(scheme) or environment.get("all") or "").strip()
    if not chosen:
        return None
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    target = f"{host}:{port}" if port else host
    if environment.get("no") and proxy_bypass_environment(target, {"no": environment["no"]}):
        return None
    return chosen if "://" in chosen else f"http://{chosen}"


def _named_private(host: str, port: int, allow: AllowList) -> _PrivateRefused | None:
    """The private-address rule on a host as named (not resolved): see `proxy_for`."""
    host = host.lower().rstrip(".")
    try:
        ip = ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        if host == "localhost" or host.endswith(".localhost"):
            return None if allow.allows_host(host, port) else _PrivateRefused(host, "loopback")
        return None
    kind = private_kind(ip)
    if kind is None or allow.allows(host, port, ip):
        return None
    return _PrivateRefused(str(ip), kind)


def _proxy_pool(proxy: str, ssl_context: ssl.SSLContext, proxy_tls: Callable[[], ssl.SSLContext],
                per_host: int) -> Any:  # fmt: skip
    """httpcore's proxy pool for `proxy` (credentials in the URL become Proxy-Authorization).
    The proxy is the user's own choice, so its address is not subject to the private-address rule."""
    from urllib.parse import unquote

    import httpcore

    parts = urlsplit(proxy)
    auth = None
    if parts.username is not None:
        auth = (unquote(parts.username), unquote(parts.password or ""))
    netloc = parts.netloc.rpartition("@")[2]
    plain = urlunsplit((parts.scheme.lower() or "http", netloc, parts.path or "/", "", ""))
    return httpcore.AsyncHTTPProxy(
        proxy_url=plain,
        proxy_auth=auth,
        ssl_context=ssl_context,
        proxy_ssl_context=proxy_tls() if parts.scheme.lower() == "https" else None,
        max_connections=per_host,
        max_keepalive_connections=per_host,
        keepalive_expiry=15,
        http1=True,
        http2=False,
        network_backend=httpcore.AnyIOBackend(),
    )


class _PrivateRefused(Exception):
    """Raised by the guarded network backend; turned into a PrivateAddressError with the URL's words."""

    def __init__(self, ip: str, kind: str) -> None:
        super().__init__(ip, kind)
        self.ip = ip
        self.kind = kind


def _guarded_backend(allow: AllowList, permitted: bool) -> Any:
    """An httpcore network backend that resolves each host itself and connects only to addresses
    the policy accepts: public ones always, private ones when `permitted` (the origin was named)
    or allowed by `allow`. The address checked is the address connected to, so a name cannot
    resolve to a public address for the check and to 127.0.0.1 for the connection."""
    import socket

    import httpcore

    class GuardedBackend(httpcore.AsyncNetworkBackend):
        def __init__(self) -> None:
            self._inner = httpcore.AnyIOBackend()

        async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                              local_address: str | None = None, socket_options: Any = None) -> Any:  # fmt: skip
            loop = asyncio.get_running_loop()
            try:
                async with asyncio.timeout(timeout):
                    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except TimeoutError:
                raise httpcore.ConnectTimeout(f"resolving {host} timed out") from None
            except OSError as exc:
                raise httpcore.ConnectError(str(exc)) from exc
            refused: _PrivateRefused | None = None
            last: Exception | None = None
            tried: set[str] = set()
            for _family, _type, _proto, _name, sockaddr in infos:
                address = str(sockaddr[0]).split("%", 1)[0]
                if address in tried:
                    continue
                tried.add(address)
                ip = ipaddress.ip_address(address)
                kind = private_kind(ip)
                if kind is not None and not permitted and not allow.allows(host, port, ip):
                    refused = refused or _PrivateRefused(address, kind)
                    continue
                try:
                    return await self._inner.connect_tcp(
                        address, port, timeout=timeout, local_address=local_address,
                        socket_options=socket_options,
                    )  # fmt: skip
                except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                    last = exc
            if last is not None:
                raise last
            if refused is not None:
                raise refused
            raise httpcore.ConnectError(f"no address for {host}")

        async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                      socket_options: Any = None) -> Any:  # fmt: skip
            raise httpcore.ConnectError("unix sockets are not used")

        async def sleep(self, seconds: float) -> None:
            await self._inner.sleep(seconds)

    return GuardedBackend()


_REASONS = {404: "Not Found", 410: "Gone", 401: "Unauthorized", 403: "Forbidden", 429: "Too Many Requests"}


def _httpx() -> Any:
    """httpx, imported without its command-line client.

    `import httpx` also imports `httpx._main` (click, rich, pygments: half of httpx's import
    time) for the `httpx` command, which a library never runs; httpx falls back to a stub when
    that import fails, so it is made to fail, the documented way (None in sys.modules).
    """
    import sys

    if (module := sys.modules.get("httpx")) is not None:
        return module
    blocked = "httpx._main" not in sys.modules
    if blocked:
        sys.modules["httpx._main"] = None  # type: ignore[assignment]
    try:
        import httpx
    except ImportError:  # a version that needs it after all: import it whole
        sys.modules.pop("httpx._main", None)
        blocked = False
        import httpx
    finally:
        if blocked and sys.modules.get("httpx._main", 0) is None:
            del sys.modules["httpx._main"]
    return httpx


MAX_OPEN_HOSTS = 48  # per-host connection pools kept open at once (file descriptors are finite)


@dataclass
class _Host:
    slot: asyncio.Semaphore
    # by (URL scheme, private address permitted, proxy): a connection opened where a private
    # address was allowed is never reused for a request where it is not
    clients: dict[tuple[str, bool, str | None], httpx.AsyncClient] = field(default_factory=dict)
    active: int = 0


class Fetcher:
    """An async HTTP client for feeds and pages, with the limits of `HttpConfig`.

    Use as `async with Fetcher(config, cache) as f: r = await f.get(url, ...)`.

    Each host gets its own small connection pool (up to `per_host` connections), the least
    recently used pools being closed beyond MAX_OPEN_HOSTS. One big shared pool would be simpler,
    but httpcore checks every pooled connection for every request, which made the client's own
    bookkeeping cost more than the requests once a refresh spans many hosts.
    """

    def __init__(self, config: HttpConfig | None = None, cache: HttpCache | None = None) -> None:
        self.config = config or HttpConfig()
        self.cache = cache
        self._hosts: OrderedDict[str, _Host] = OrderedDict()
        self._overall = asyncio.Semaphore(self.config.max_connections)
        self._tls: ssl.SSLContext | None = None
        self._no_tls: ssl.SSLContext | None = None
        self._open = False
        self._allow = AllowList(self.config.allow_private)
        from urllib.request import getproxies_environment

        self._proxies = getproxies_environment()  # read once: a refresh makes thousands of requests

    async def __aenter__(self) -> Fetcher:
        _httpx()
        self._open = True
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._open = False
        for host in self._hosts.values():
            clients, host.clients = list(host.clients.values()), {}
            for client in clients:
                with contextlib.suppress(Exception):
                    await client.aclose()

    def _ssl_context(self, scheme: str) -> ssl.SSLContext:
        """The verifying TLS context, built once and only when an https URL comes (loading the
        CA certificates costs ~50 ms). Clients for http get one that verifies but trusts no one:
        they never use it, and if one ever did it would fail closed."""
        import ssl

        if scheme == "https":
            if self._tls is None:
                self._tls = _httpx().create_ssl_context()
            return self._tls
        if self._no_tls is None:
            self._no_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED, hostnames checked
        return self._no_tls

    def _new_client(self, scheme: str, permitted: bool, proxy: str | None = None) -> httpx.AsyncClient:
        """A client whose connections go only where the private-address policy lets them: its
        transport's pool is given the guarded network backend (httpx has no public parameter for
        one; the pool is built as httpx builds it, with that backend). With `proxy`, the pool is
        httpcore's proxy pool instead (the target was checked by name, see `proxy_for`)."""
        import httpcore

        httpx = _httpx()
        c = self.config
        ssl_context = self._ssl_context(scheme)
        transport = httpx.AsyncHTTPTransport(verify=ssl_context)
        if proxy is not None:
            transport._pool = _proxy_pool(proxy, ssl_context, lambda: self._ssl_context("https"), c.per_host)
        else:
            transport._pool = httpcore.AsyncConnectionPool(
                ssl_context=ssl_context,
                max_connections=c.per_host,
                max_keepalive_connections=c.per_host,
                keepalive_expiry=15,
                http1=True,
                http2=False,
                network_backend=_guarded_backend(self._allow, permitted),
            )
        return httpx.AsyncClient(
            follow_redirects=False,
            transport=transport,
            timeout=httpx.Timeout(
                connect=c.connect_timeout, read=c.read_timeout, write=c.read_timeout, pool=None
            ),
            headers={"User-Agent": c.user_agent},
        )

    @contextlib.asynccontextmanager
    async def _host(self, url: str, permitted: bool, proxy: str | None = None) -> AsyncIterator[httpx.AsyncClient]:
        """A slot among the host's `per_host` and that host's client for the URL's scheme (and
        whether a private address is permitted for it)."""
        parts = urlsplit(url)
        key = f"{(parts.hostname or '').lower()}:{parts.port or ''}"
        host = self._hosts.get(key)
        if host is None:
            host = self._hosts[key] = _Host(asyncio.Semaphore(self.config.per_host))
        self._hosts.move_to_end(key)
        scheme = parts.scheme.lower()
        async with host.slot:
            client = host.clients.get((scheme, permitted, proxy))
            if client is None:
                client = host.clients[(scheme, permitted, proxy)] = self._new_client(scheme, permitted, proxy)
                await self._close_idle_pools()
            host.active += 1
            try:
                yield client
            finally:
                host.active -= 1

    async def _close_idle_pools(self) -> None:
        open_hosts = [h for h in self._hosts.values() if h.clients]
        excess = len(open_hosts) - MAX_OPEN_HOSTS
        for host in open_hosts:  # least recently used first
            if excess <= 0:
                break
            if host.active == 0 and host.clients:
                clients, host.clients = list(host.clients.values()), {}
                for client in clients:
                    with contextlib.suppress(Exception):
                        await client.aclose()
                excess -= 1

    async def get(
        self,
        url: str,
        *,
        max_bytes: int | None = None,
        accept: str = "*/*",
        use_cache: bool = False,
        content_types: tuple[str, ...] | None = None,
        named: str | None = None,
        deadline: Deadline | None = None,
    ) -> Response:
        """GET `url`, following redirects, retrying transient failures; raises FetchError.

        The whole of it (redirects, retries, body) has `total_timeout` seconds from the moment it
        holds a connection slot, or less when `deadline` (the feed's) ends first. A private address is reached
        only at the origin of `named` (the URL the user gave: by default `url` itself) or where
        `allow_private` allows it; a redirect or link elsewhere private is a PrivateAddressError.

        With `use_cache`, the request is conditional on the cached validators; a 304 gives an empty
        body with `not_modified=True` and the hash of the body the validators belong to; a fresh
        200 with validators is remembered. With
        `content_types` (prefixes such as "text/html"), a response declaring another type is refused
        before its body is read, so a podcast's 80 MB audio file is never downloaded as a "page".
        """
        c = self.config
        limit = max_bytes or c.max_page_bytes
        clocks = (Deadline(c.total_timeout),) + ((deadline,) if deadline is not None else ())
        trusted = origin_of(named or url)
        loop = asyncio.get_running_loop()
        attempt = 0
        while True:
            try:
                response = await self._get_once(url, limit, accept, use_cache, content_types, trusted, clocks)
            except _Retryable as exc:
                delay = c.backoff * (2**attempt) * (1 + random.random() / 4)
                if exc.retry_after is not None:
                    delay = max(delay, min(exc.retry_after, c.max_retry_after))
                if attempt >= c.retries or min(k.remaining(loop.time()) for k in clocks) <= delay:
                    tries = f" (after {attempt + 1} attempts)" if attempt else ""
                    raise FetchError(f"{exc}{tries}") from None
                attempt += 1
                await asyncio.sleep(delay)
                continue
            if use_cache and self.cache is not None and not response.not_modified:
                # hashed once here: the cache keeps the hash, the caller compares it
                response = replace(response, cached_sha256=hashlib.sha256(response.body).hexdigest())
                self.cache.put(url, response)
            return response

    async def _get_once(self, url: str, limit: int, accept: str, use_cache: bool,
                        content_types: tuple[str, ...] | None, trusted: tuple[str, str, int],
                        clocks: tuple[Deadline, ...]) -> Response:  # fmt: skip
        """One GET of `url`, redirects followed here (each hop's URL checked, loops refused, a
        private address only at the `trusted` origin or where allowed), revalidated against the
        cached copy, within the `clocks` (started once a slot is held; a deadline spent is a plain
        FetchError, not retried); raises FetchError (_Retryable for what may pass)."""
        httpx = _httpx()
        assert self._open, "use Fetcher as an async context manager"
        cached = self.cache.get(url) if (use_cache and self.cache is not None) else None
        loop = asyncio.get_running_loop()
        chain = [url]
        for hop in range(self.config.max_redirects + 1):
            current = chain[-1]
            check_url(current)
            origin = origin_of(current)
            permitted = origin == trusted or self._allow.allows_host(origin[1], origin[2])
            proxy = proxy_for(current, self.config.proxy, self._proxies)
            if proxy is not None and not permitted and (named := _named_private(origin[1], origin[2], self._allow)):
                raise _private_error(named, current, hop, trusted)
            first = clocks[0]
            try:
                async with self._host(current, permitted, proxy) as client, self._overall, _counting(clocks, loop):
                    now = loop.time()
                    first = min(clocks, key=lambda k: k.remaining(now))
                    if first.remaining(now) <= 0:
                        raise first.timed_out()
                    async with (
                        asyncio.timeout(first.remaining(now)),
                        client.stream("GET", current, headers=_request_headers(accept, cached, current)) as resp,
                    ):
                        if resp.status_code in REDIRECT_STATUSES:
                            chain.append(_redirect_target(current, resp.status_code, resp.headers, chain))
                            continue
                        if resp.status_code == 304 and cached:
                            return Response(current, 304, dict(cached["headers"]), b"", True, cached.get("sha256"))
                        _check_response(resp.status_code, resp.reason_phrase, resp.headers, limit, content_types)
                        body = await _read_bounded(resp, limit)
                        kept = {k.lower(): v for k, v in resp.headers.items() if k.lower() in _KEPT_HEADERS}
                        return Response(str(resp.url), resp.status_code, kept, body)
            except TimeoutError:
                raise first.timed_out() from None
            except _PrivateRefused as exc:
                raise _private_error(exc, current, hop, trusted) from None
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                error = _fetch_error(exc)
                if proxy is not None and isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.ProxyError):
                    shown = urlsplit(proxy).netloc.rpartition("@")[2]  # never the credentials
                    error = type(error)(f"through the proxy {shown}: {error}")
                raise error from None
        raise FetchError(f"too many redirects (more than {self.config.max_redirects})")


@contextlib.asynccontextmanager
async def _counting(clocks: tuple[Deadline, ...], loop: asyncio.AbstractEventLoop) -> AsyncIterator[None]:
    """The clocks run while a request holds its slot."""
    now = loop.time()
    for clock in clocks:
        clock.enter(now)
    try:
        yield
    finally:
        now = loop.time()
        for clock in clocks:
            clock.leave(now)


def _request_headers(accept: str, cached: dict[str, Any] | None, url: str) -> dict[str, str]:
    """What to send: the types wanted, and the validators of the cached copy of this very URL."""
    headers = {"Accept": accept, "Accept-Encoding": "gzip, deflate"}
    if cached and cached.get("url") == url:
        if cached["headers"].get("etag"):
            headers["If-None-Match"] = cached["headers"]["etag"]
        if cached["headers"].get("last-modified"):
            headers["If-Modified-Since"] = cached["headers"]["last-modified"]
    return headers


def _redirect_target(current: str, status: int, headers: httpx.Headers, chain: list[str]) -> str:
    """Where a redirect leads (absolute); FetchError for one without a Location or in a loop."""
    location = headers.get("location")
    if not location:
        raise FetchError(f"HTTP {status} redirect without a Location")
    target = urljoin(current, location.strip())
    if target in chain:
        loop = " → ".join([*chain[chain.index(target) :], target])
        raise FetchError(f"redirect loop ({loop})")
    return target


def _check_response(status: int, reason: str | None, headers: httpx.Headers, limit: int,
                    content_types: tuple[str, ...] | None) -> None:  # fmt: skip
    """Refuse, before reading the body, an error status (5xx to be retried, Retry-After
    honoured on 503), a type that was not asked for, or a declared size over the limit."""
    if status >= 500:
        raise _Retryable(
            f"HTTP {status} {reason or 'server error'}".strip(),
            _retry_after(headers.get("retry-after")) if status == 503 else None,
        )
    if status >= 400:
        raise FetchError(f"HTTP {status} {reason or _REASONS.get(status, '')}".strip())
    if status != 200:
        raise FetchError(f"unexpected HTTP status {status}")
    ctype = headers.get("content-type", "").split(";")[0].strip().lower()
    if content_types and ctype and not ctype.startswith(content_types):
        raise FetchError(f"not a web page ({ctype})")
    declared = headers.get("content-length", "")
    if declared.isdigit() and not _content_encodings(headers) and int(declared) > limit:
        raise FetchError(f"response larger than {_size(limit)} ({_size(int(declared))} declared)")


def _private_error(exc: _PrivateRefused, url: str, hop: int, trusted: tuple[str, str, int]) -> FetchError:
    """The one line naming a refused private address: where it was met and how to allow it."""
    scheme, host, port = origin_of(url)
    netloc = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    how = "redirect to" if hop else ("link to" if (scheme, host, port) != trusted else "address")
    shown = netloc if host == exc.ip else f"{netloc} ({exc.ip})"
    return PrivateAddressError(
        f"refused {how} {exc.kind} address {shown}: not the origin named; "
        f'allow it in config.toml with [network] allow_private = ["{netloc}"]'
    )


def _fetch_error(exc: BaseException) -> FetchError:
    """The one-line FetchError for a transport failure; _Retryable for those worth another try."""
    httpx = _httpx()
    if isinstance(exc, httpx.TimeoutException):
        return _Retryable(f"timed out {'connecting' if isinstance(exc, httpx.ConnectTimeout) else 'waiting for data'}")
    if isinstance(exc, httpx.ConnectError):
        return FetchError(_describe_connect_error(exc))
    if isinstance(exc, httpx.ProxyError):
        return FetchError(f"the proxy refused ({_first_line(exc) or 'no reason given'})")
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError):
        return _Retryable(f"connection dropped ({_first_line(exc) or exc.__class__.__name__})")
    if isinstance(exc, httpx.InvalidURL):
        return FetchError(f"invalid URL ({_first_line(exc)})")
    return FetchError(f"{exc.__class__.__name__}: {_first_line(exc)}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""


def _describe_connect_error(exc: BaseException) -> str:
    """Name the cause of a failed connection (httpx/anyio wrap it: the OSError is in the chain)."""
    import socket

    seen: BaseException | None = exc
    for _ in range(10):
        if seen is None:
            break
        if isinstance(seen, ConnectionRefusedError):
            return "connection refused"
        if isinstance(seen, socket.gaierror):
            return "host not found"
        if isinstance(seen, OSError) and seen.strerror:
            return f"cannot connect ({seen.strerror.lower()})"
        seen = seen.__cause__ or seen.__context__
    text = _first_line(exc)
    low = text.lower()
    if "refused" in low:
        return "connection refused"
    if "name or service not known" in low or "nodename nor servname" in low or "getaddrinfo" in low:
        return "host not found"
    if "certificate" in low or "ssl" in low:
        return f"TLS error ({text})"
    return f"cannot connect ({text or exc.__class__.__name__})"


@contextlib.asynccontextmanager
async def open_fetcher(cache_dir: Path | None, config: HttpConfig | None = None) -> AsyncIterator[Fetcher]:
    """A Fetcher whose HTTP cache lives in the cache folder `cache_dir` (no cache when None)."""
    from tuireader.locations import http_cache_dir

    cache = HttpCache(http_cache_dir(cache_dir)) if cache_dir is not None else None
    try:
        async with Fetcher(config, cache) as fetcher:
            yield fetcher
    finally:
        if cache is not None:
            cache.close()
