"""OPML, the subscription list format every feed reader imports and exports.

Reading is lenient about what readers put in outlines (attribute case, nested category folders,
missing `type`) and strict about safety: a DTD that could expand entities is refused before
ElementTree sees the document. Writing produces OPML 2.0 that newsboat, Feedly and others read;
the outlet name a user gave is kept in the outline's `text` and in an extra `outlet` attribute
(OPML allows any attribute), so a round trip through tuireader keeps it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.sax.saxutils import quoteattr


class OpmlError(Exception):
    """An OPML document that cannot be read; str() is the one-line reason."""


@dataclass(frozen=True, slots=True)
class Subscription:
    """One subscribed feed.

    `outlet` is the name the user gave (it becomes the outlet of every article from the feed);
    `title` is the feed's own title, learned on refresh or from an import.
    """

    url: str
    outlet: str | None = None
    title: str | None = None
    html_url: str | None = None
    category: str | None = None

    @property
    def name(self) -> str:
        return self.outlet or self.title or self.url


def _attrs(element: ET.Element) -> dict[str, str]:
    """An element's attributes by lower-case local name (exporters write xmlUrl, xmlurl,
    XMLURL...), values with whitespace collapsed, empty ones left out."""
    out: dict[str, str] = {}
    for key, value in element.attrib.items():
        value = " ".join(value.split())
        if value:
            out.setdefault(key.rsplit("}", 1)[-1].lower(), value)
    return out


def parse_opml(data: bytes) -> list[Subscription]:
    """The feeds listed in an OPML document, in document order, categories from parent outlines."""
    from tuireader.sources.base import FeedError
    from tuireader.sources.xmlguard import check_entities

    if not data.strip():
        raise OpmlError("empty file, not OPML")
    try:
        check_entities(data)
    except FeedError as exc:
        raise OpmlError(str(exc).replace("feed's", "document's")) from None
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OpmlError(f"not well-formed XML ({exc})") from None
    if root.tag.rsplit("}", 1)[-1].lower() != "opml":
        raise OpmlError(f"not OPML (root element is <{root.tag}>)")
    body = next((c for c in root if c.tag.rsplit("}", 1)[-1].lower() == "body"), None)
    if body is None:
        raise OpmlError("OPML without a <body>")
    subs: list[Subscription] = []
    # Depth first with a stack of (folder's children, its category), not recursion: a file of
    # 5,000 folders nested in one another must not end in RecursionError.
    stack: list[tuple[Iterator[ET.Element], str | None]] = [(iter(body), None)]
    while stack:
        children, category = stack[-1]
        outline = next(children, None)
        if outline is None:
            stack.pop()
            continue
        if not isinstance(outline.tag, str) or outline.tag.rsplit("}", 1)[-1].lower() != "outline":
            continue
        attrs = _attrs(outline)
        url = attrs.get("xmlurl")
        if url is None and attrs.get("type", "").lower() in ("rss", "atom"):
            url = attrs.get("url")
        if url:
            outlet = attrs.get("outlet")
            text = attrs.get("text")
            subs.append(
                Subscription(
                    url=url,
                    outlet=outlet,
                    title=attrs.get("title") or (text if text != outlet else None),
                    html_url=attrs.get("htmlurl"),
                    category=category,
                )
            )
        elif len(outline):
            folder = attrs.get("text") or attrs.get("title")
            stack.append((iter(outline), " / ".join(p for p in (category, folder) if p) or None))
    return subs


def format_opml(subscriptions: list[Subscription], title: str = "tuireader subscriptions") -> bytes:
    """An OPML 2.0 document listing `subscriptions`, grouped by category in first-seen order."""
    now = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        "  <head>",
        f"    <title>{_escape(title)}</title>",
        f"    <dateCreated>{now}</dateCreated>",
        "  </head>",
        "  <body>",
    ]
    groups: dict[str | None, list[Subscription]] = {}
    for sub in subscriptions:
        groups.setdefault(sub.category, []).append(sub)
    for category, subs in groups.items():
        indent = "    "
        if category:
            lines.append(f"    <outline text={quoteattr(_clean(category))}>")
            indent = "      "
        for sub in subs:
            attrs = [
                ("type", "rss"),
                ("text", sub.name),
                ("title", sub.title),
                ("xmlUrl", sub.url),
                ("htmlUrl", sub.html_url),
                ("outlet", sub.outlet),
            ]
            rendered = " ".join(f"{k}={quoteattr(_clean(v))}" for k, v in attrs if v)
            lines.append(f"{indent}<outline {rendered}/>")
        if category:
            lines.append("    </outline>")
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines).encode("utf-8")


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    """One line of text that XML 1.0 can hold (control characters are not allowed even escaped)."""
    return " ".join(_XML_INVALID.sub(" ", text).split())


def _escape(text: str) -> str:
    return quoteattr(_clean(text))[1:-1]
