"""The subscription list: `feeds.opml` in the library folder.

OPML rather than a private format because it is readable, editable by hand, and what every other
reader imports, so the library folder alone carries a user's subscriptions anywhere. Every change
is written atomically; the file is only ever replaced whole.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from tuireader.fsutil import write_atomic
from tuireader.model import SourceError
from tuireader.sources.opml import OpmlError, Subscription, format_opml, parse_opml

FEEDS_FILE = "feeds.opml"


class SubscriptionError(SourceError):
    """A subscription change that cannot be made; str() is the one-line reason."""


def subscriptions_path(library_root: Path) -> Path:
    return Path(library_root) / FEEDS_FILE


def normalize_feed_url(url: str) -> str:
    """The URL as stored: trimmed, `https://` added when the scheme is missing; only http(s).
    SubscriptionError (one line) for anything that cannot be fetched: another scheme, no host, a
    port out of range, a broken IPv6 literal."""
    from tuireader.sources.http import FetchError, check_url

    url = original = url.strip()
    if not url:
        raise SubscriptionError("empty URL")
    if "://" not in url:
        url = "https://" + url.lstrip("/")
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise SubscriptionError(f"{url}: malformed URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise SubscriptionError(f"{url}: only http and https feeds are supported")
    if not host:
        raise SubscriptionError(f"{url}: no host in URL")
    try:
        check_url(url)
    except FetchError as exc:
        raise SubscriptionError(f"{url}: {exc}") from None
    if "://" not in original and "." not in host and host != "localhost":
        # A bare word ("news", a typo'd command) is not an address anyone means to subscribe to.
        raise SubscriptionError(f"{original}: not a feed address (expected e.g. https://example.com/feed.xml)")
    return url


def _same_feed(a: str, b: str) -> bool:
    from tuireader.sources.http import canonical_url

    return canonical_url(a) == canonical_url(b)


def load_subscriptions(library_root: Path) -> list[Subscription]:
    """The subscribed feeds (none when the file does not exist); raises SubscriptionError if broken."""
    path = subscriptions_path(library_root)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise SubscriptionError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        return parse_opml(data)
    except OpmlError as exc:
        raise SubscriptionError(f"{path}: {exc}") from None


def save_subscriptions(library_root: Path, subscriptions: list[Subscription]) -> None:
    """Write feeds.opml atomically. A feeds.opml that is a symbolic link (kept in a dotfiles
    repository, say) is written through: its target is replaced, the link stays."""
    path = subscriptions_path(library_root)
    if path.is_symlink():
        path = path.resolve()
    write_atomic(path, format_opml(subscriptions))


def add_subscription(library_root: Path, url: str, outlet: str | None = None) -> tuple[Subscription, bool]:
    """Subscribe to `url`; returns (the subscription, whether it is new).

    Adding a feed again (under any spelling of its URL) only updates its outlet name if one is given.
    """
    url = normalize_feed_url(url)
    outlet = " ".join(outlet.split()) if outlet else None
    subs = load_subscriptions(library_root)
    for i, sub in enumerate(subs):
        if _same_feed(sub.url, url):
            if outlet and outlet != sub.outlet:
                subs[i] = replace(sub, outlet=outlet)
                save_subscriptions(library_root, subs)
            return subs[i], False
    new = Subscription(url=url, outlet=outlet)
    subs.append(new)
    save_subscriptions(library_root, subs)
    return new, True


def remove_subscription(library_root: Path, url: str) -> Subscription | None:
    """Unsubscribe from `url` (any spelling of it, or the name `feeds list` shows when only one
    feed has it); returns what was removed, None if not subscribed.

    Articles already fetched stay in the library: they are the user's files.
    """
    subs = load_subscriptions(library_root)
    try:
        target = normalize_feed_url(url)
    except SubscriptionError:
        target = url.strip()
    matches = [i for i, sub in enumerate(subs) if _same_feed(sub.url, target) or sub.url == url.strip()]
    if not matches:  # the name `feeds list` shows, if it names one feed only
        name = " ".join(url.casefold().split())
        matches = [
            i for i, sub in enumerate(subs)
            if any(n and " ".join(n.casefold().split()) == name for n in (sub.outlet, sub.title))
        ]  # fmt: skip
        if len(matches) > 1:
            raise SubscriptionError(f"{url}: {len(matches)} feeds have that name; give the URL")
    if not matches:
        return None
    removed = subs.pop(matches[0])
    save_subscriptions(library_root, subs)
    return removed


def import_opml(library_root: Path, path: Path) -> tuple[list[Subscription], int, list[tuple[str, str]]]:
    """Add the feeds of an OPML file; returns (the new subscriptions, how many were already there,
    (address, reason) for each outline that is not a web feed and was left out)."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise SubscriptionError(f"{path}: no such file") from None
    except OSError as exc:
        raise SubscriptionError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        incoming = parse_opml(data)
    except OpmlError as exc:
        raise SubscriptionError(f"{path}: {exc}") from None
    from tuireader.sources.http import canonical_url

    subs = load_subscriptions(library_root)
    known = {canonical_url(s.url) for s in subs}  # a set: an import of 20,000 outlines is linear
    added: list[Subscription] = []
    already = 0
    skipped: list[tuple[str, str]] = []
    for sub in incoming:
        try:
            url = normalize_feed_url(sub.url)
        except SubscriptionError as exc:  # a file: or exec: outline, a port out of range...
            skipped.append((sub.url, str(exc).removeprefix(f"{sub.url.strip()}: ").split(": ", 1)[-1]))
            continue
        key = canonical_url(url)
        if key in known:
            already += 1
            continue
        known.add(key)
        new = replace(sub, url=url)
        subs.append(new)
        added.append(new)
    if added:
        save_subscriptions(library_root, subs)
    return added, already, skipped


def export_opml(library_root: Path) -> bytes:
    return format_opml(load_subscriptions(library_root))


def record_feed_titles(library_root: Path, titles: dict[str, tuple[str | None, str | None]]) -> None:
    """Remember feed titles and home pages learned on refresh (url → (title, html_url)).

    Re-reads the file first so a subscription added while the refresh ran is kept.
    """
    if not titles:
        return
    try:
        subs = load_subscriptions(library_root)
    except SubscriptionError:
        return
    changed = False
    for i, sub in enumerate(subs):
        learned = titles.get(sub.url)
        if not learned:
            continue
        title, html_url = learned
        new = replace(sub, title=title or sub.title, html_url=html_url or sub.html_url)
        if new != sub:
            subs[i] = new
            changed = True
    if changed:
        save_subscriptions(library_root, subs)
