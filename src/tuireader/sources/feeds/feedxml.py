"""A fast reader for well-formed RSS and Atom feeds that gives what feedparser would give.

Why: feedparser walks every element through a generic Python state machine (≈20 ms for a 250 KB
feed of 50 full-text items); a first refresh of a few hundred feeds spends most of its CPU there.
lxml parses the same document in about a millisecond, and only a dozen fields per entry matter to
`rss_atom._entry`. So for documents that are well-formed, UTF-8, free of DTDs and of `xml:base`, and
made only of elements this module understands, `read_feed` builds the same feedparser-shaped
dictionary (the keys `rss_atom._entry` reads, with feedparser's values: its whitespace stripping,
its text/plain-or-HTML guess, its mojibake and cp1252 repairs, its date parser, its rules for which
of two titles, links or summaries wins). Anything else returns None and feedparser reads the
document; so do feeds this module has never seen the like of. `bench/feeds_agreement.py` checks
the equivalence over feedparser's own test suite, tests/unit/test_feedxml.py over hand-made feeds.

The emulated rules are those of feedparser 6.0 (`mixin._FeedParserMixin.pop`,
`namespaces/_base.py`); `available()` is False, and feedparser does all the work, if the feedparser
installed lacks a part this module mirrors.
"""

from __future__ import annotations

import contextlib
import re
from html.entities import entitydefs
from typing import Any
from urllib.parse import urljoin

ATOM = "http://www.w3.org/2005/Atom"
RSS1 = "http://purl.org/rss/1.0/"
RSS090 = "http://my.netscape.com/rdf/simple/0.9/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XML_NS = "http://www.w3.org/XML/1998/namespace"

# Elements of an entry this module reproduces, by feedparser's name for them (its namespace prefix,
# an underscore, the lower-cased local name; no prefix for the core RSS and Atom vocabularies).
_TITLE = {"title", "dc_title"}
_LINK = {"link"}
_ID = {"guid", "id"}
_DESCRIPTION = {"description", "dc_description"}  # RSS style: text/html unless said otherwise
_SUMMARY = {"summary", "itunes_summary"}  # Atom style: text/plain unless said otherwise
_CONTENT = {"content"}
_ENCODED = {"content_encoded"}
_PUBLISHED = {"pubdate", "published", "issued", "dcterms_issued"}
_UPDATED = {"updated", "modified", "dc_date", "dcterms_modified", "lastbuilddate"}
_AUTHOR = {"author", "dc_creator", "dc_author", "itunes_author"}
_AUTHOR_PARTS = {"name", "email", "uri", "url", "homepage"}

# Elements feedparser has a handler for that touch none of the fields read here, nor any state
# that changes how a later element is read. Their subtrees may hold only elements without handlers
# (or more of these).
_HARMLESS = {
    "category", "dc_subject", "keywords", "itunes_keywords", "enclosure", "comments", "media_content",
    "media_thumbnail", "media_player", "media_category", "media_credit", "media_rating",
    "media_restriction", "media_license", "media_keywords", "georss_point", "georss_line",
    "georss_polygon", "georss_box", "georss_where", "where", "cc_license", "creativecommons_license",
    "psc_chapters", "psc_chapter", "rights", "copyright", "dc_rights", "created", "dcterms_created",
    "expirationdate", "dcterms_valid", "language", "dc_language", "subtitle", "tagline",
    "itunes_subtitle", "itunes_image", "itunes_link", "itunes_category", "itunes_block",
    "itunes_explicit", "itunes_duration", "info", "feedburner_browserfriendly", "generator",
    "dc_publisher", "webmaster", "admin_generatoragent", "admin_errorreportsto", "cloud", "icon",
    "logo", "ttl", "docs", "newlocation", "contributor", "dc_contributor", "media_group", "width", "height",
}  # fmt: skip
# Of those, the ones whose children feedparser reads: allowed below them (with their own rules).
_HARMLESS_PARENTS = {
    "media_group": {"media_content", "media_thumbnail", "media_player", "media_category", "media_credit",
                    "media_rating", "media_restriction", "media_license", "media_keywords"},
    "contributor": _AUTHOR_PARTS,
    "itunes_category": {"itunes_category"},
    "psc_chapters": {"psc_chapter"},
}  # fmt: skip
_FEED_SKIPPED = {"image", "textinput"}  # channel children whose subtree feedparser files apart
# ... as long as every unprefixed element inside is one of these: any other ends feedparser's
# "in image" state, and the image's title or link then lands in the feed
_SKIPPED_KEEP = {
    "image": {"title", "link", "description", "url", "href", "width", "height"},
    "textinput": {"title", "link", "description", "name"},
}
# attributes of a channel or item that feedparser reads as elements (Microsoft's CDF)
_CDF_ATTRIBUTES = {"href", "lastmod"}
# feedparser stores an element it has no handler for under its own name in the entry (or the
# feed): these names would overwrite keys `rss_atom._entry` and `feeds._parsed` read.
_SHADOWING = {"title_detail", "summary_detail", "guidislink", "published_parsed", "updated_parsed", "authors"}
_SKIPPED_STOP = {"item", "entry", "source"} | _SHADOWING

# feedparser's canonical prefixes for the namespaces it knows, filled from feedparser itself.
_PREFIXES: dict[str, str] = {}
_HANDLERS: frozenset[str] = frozenset()
_ACCEPTABLE_ELEMENTS: frozenset[str] = frozenset()
_parse_date: Any = None
_READY: bool | None = None

_URIFIXER = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*://)(/*)(.*?)")
_XML_PI_ENCODING = re.compile(rb"^<\?.*encoding=['\"](.*?)['\"].*\?>")
_CLOSE_TAG = re.compile(r"</(\w+)>")
_ENTITY_REF = re.compile(r"&#?\w+;")
_TAG_NAME = re.compile(r"</?(\w+)")
_NAMED_ENTITY = re.compile(r"&(\w+);")
_QUERY_ENTITY = re.compile(r"&([A-Za-z0-9_]+);")
_C1 = re.compile("[\x80-\x9f]")
_CP1252 = {
    c: bytes([c]).decode("cp1252") for c in range(0x80, 0xA0) if c not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
_EMAIL = re.compile(
    r"(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))"
    r"([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"
)
_BASE_ATTR = re.compile(rb"base\s*=")  # starts with a literal: the regex engine skips ahead fast


def _has_base_attribute(data: bytes) -> bool:
    """True if some element may carry a `base` or `xml:base` attribute (feedparser resolves
    addresses against it; this module does not)."""
    return any(
        m.start() and data[m.start() - 1 : m.start()] in b" \t\r\n:" for m in _BASE_ATTR.finditer(data)
    )


# every `xmlns:prefix="address"` and `xmlns="address"` in the bytes, overlapping ones too (a
# lookahead match is empty, so text that merely looks like a declaration cannot swallow a real
# one that follows it)
_XMLNS_DECL = re.compile(rb"xmlns(?=(?::([^\s=/>]+))?\s*=\s*(?:\"([^\"<]*)\"|'([^'<]*)'))")


def _canonical(uri: str) -> str | None:
    low = uri.lower()
    if "backend.userland.com/rss" in low:
        low = "http://backend.userland.com/rss"
    return _PREFIXES.get(low)


def _prefixes_agree(data: bytes) -> bool:
    """True if feedparser gives every element the namespace prefix that XML scoping gives it.

    feedparser never forgets a prefix declaration (it outlives the element that made it), names
    an element of a namespace it does not know by the first prefix declared for that address, and
    passes every prefix through a table from the document's prefixes for known namespaces to its
    own (so with `xmlns:dc` bound to Media RSS and `xmlns:d` to Dublin Core, `d:creator` turns into
    `media_creator`). A document where any of this could matter is left to feedparser: a prefix
    bound to two addresses, an unknown address under two prefixes or under a prefix feedparser
    uses for a known namespace of the document, a known one under another such prefix.
    (Default namespaces are scoped the XML way in feedparser too; their addresses count here only
    as namespaces the document uses.)
    """
    bound: dict[bytes, bytes] = {}
    defaults: set[bytes] = set()
    for m in _XMLNS_DECL.finditer(data):
        uri = m.group(2) if m.group(2) is not None else m.group(3)
        if m.group(1) is None:
            defaults.add(uri)
        elif bound.setdefault(m.group(1), uri) != uri:
            return False
    if not bound:
        return True  # no prefixes: feedparser's prefixes are its own ones
    own: set[str] = set()  # feedparser's prefixes for the known namespaces the document uses
    for raw_uri in defaults:
        if b"&" in raw_uri:
            return False
        canonical = _canonical(raw_uri.decode("utf-8", "replace"))
        if canonical is not None:
            own.add(canonical)
    known: dict[str, str] = {}  # document prefix -> feedparser's prefix
    unknown: dict[str, str] = {}  # address -> document prefix
    for raw_prefix, raw_uri in bound.items():
        if b"&" in raw_uri:
            return False  # an escaped address: compare what the parser decodes, not the bytes
        prefix, uri = raw_prefix.decode("utf-8", "replace"), raw_uri.decode("utf-8", "replace")
        canonical = _canonical(uri)
        if canonical is None:
            if unknown.setdefault(uri, prefix) != prefix:
                return False
        else:
            known[prefix] = canonical
    own.update(known.values())
    in_use = {c.lower() for c in own} | {p.lower() for p in unknown.values()}
    if any(p != c and p in in_use for p, c in known.items()):
        return False
    return not any(p in own for p in unknown.values())


class _Decline(Exception):
    """Raised inside the reader: feedparser must read this document."""


def available() -> bool:
    """True when lxml and the feedparser parts mirrored here are present (checked once)."""
    global _READY, _HANDLERS, _ACCEPTABLE_ELEMENTS, _parse_date
    if _READY is not None:
        return _READY
    try:
        import lxml.etree  # noqa: F401
        from feedparser import api, datetimes, mixin, sanitizer

        cls = api.StrictFeedParser
        _HANDLERS = frozenset(n[len("_start_") :] for n in dir(cls) if n.startswith("_start_"))
        _PREFIXES.update({uri.lower(): prefix for uri, prefix in mixin._FeedParserMixin.namespaces.items()})
        _ACCEPTABLE_ELEMENTS = frozenset(sanitizer._HTMLSanitizer.acceptable_elements)
        _parse_date = datetimes._parse_date
        # the cp1252 table mirrored here must be feedparser's (prepare_feedparser may have added
        # identity entries for every other character, which change nothing)
        table = mixin._cp1252
        ok = all(table.get(c) in (v, ord(v)) for c, v in _CP1252.items()) and callable(_parse_date)
        _READY = bool(ok and _HANDLERS and _PREFIXES and _ACCEPTABLE_ELEMENTS)
    except (ImportError, AttributeError, TypeError):
        _READY = False
    return _READY


# ---------------------------------------------------------------------------------------------
# feedparser's value finishing


def _urljoin(uri: str) -> str:
    """feedparser's `_urljoin` against an empty base (we never give it one)."""
    uri = _URIFIXER.sub(r"\1\3", uri)
    try:
        return urljoin("", uri)
    except ValueError:
        return ""


def _looks_like_html(s: str) -> bool:
    if not (_CLOSE_TAG.search(s) or _ENTITY_REF.search(s)):
        return False
    if any(t.lower() not in _ACCEPTABLE_ELEMENTS for t in _TAG_NAME.findall(s)):
        return False
    return all(e in entitydefs for e in _NAMED_ENTITY.findall(s))


def _repair(s: str) -> str:
    """feedparser's last steps for every text: undo UTF-8 read as Latin-1, map C1 to cp1252."""
    if not s.isascii():
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            s = s.encode("iso-8859-1").decode("utf-8")
        if _C1.search(s):
            s = s.translate(_CP1252)
    return s


def _map_type(kind: str) -> str:
    kind = kind.lower()
    if kind in ("text", "plain"):
        return "text/plain"
    if kind == "html":
        return "text/html"
    if kind == "xhtml":
        return "application/xhtml+xml"
    return kind


# ---------------------------------------------------------------------------------------------
# The reader


def _name(el: Any) -> str:
    """feedparser's name for an element (`prefix_local`, or `local` for core vocabularies)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""  # comment or processing instruction: feedparser ignores them
    if tag[0] == "{":
        uri, local = tag[1:].split("}", 1)
        low = uri.lower()
        if "backend.userland.com/rss" in low:
            low = "http://backend.userland.com/rss"
        prefix = _PREFIXES.get(low)
        if prefix is None:
            prefix = el.prefix  # unknown namespace: feedparser goes by the document's prefix
            if not prefix:
                raise _Decline  # an unknown default namespace reads as core elements there
        local = local.lower()
        return f"{prefix.lower()}_{local}" if prefix else local
    return tag.lower()


_XML_LANG = f"{{{XML_NS}}}lang"


def _unprefixed(el: Any) -> bool:
    """True if feedparser sees `el` without a namespace prefix (no namespace, or a core one)."""
    tag = el.tag
    return tag[0] != "{" or _PREFIXES.get(tag[1:].split("}", 1)[0].lower()) == ""


def _check_cdf(el: Any) -> None:
    if len(el.attrib) and any(key.lower() in _CDF_ATTRIBUTES for key in el.attrib):
        raise _Decline


class _Reader:
    def __init__(self, version: str) -> None:
        self.version = version
        self.guess_html = not version.startswith("atom")
        self.name = _name

    # -- helpers

    @staticmethod
    def attrs(el: Any) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, value in el.attrib.items():
            if key[0] == "{":
                if key == _XML_LANG:
                    continue  # the language of a text: not read here
                raise _Decline  # other namespaced attributes (rdf:...) are read differently
            k = key.lower()
            out[k] = value.lower() if k in ("rel", "type") else value
        return out

    @staticmethod
    def text(el: Any) -> str:
        if len(el):
            raise _Decline  # markup or comments inside a text element: feedparser's xhtml mode
        return (el.text or "").strip()

    def construct(self, el: Any, default: str) -> dict[str, str]:
        """A text construct: {'type', 'value'} as feedparser's pop leaves it."""
        a = self.attrs(el)
        if "mode" in a or "src" in a:
            raise _Decline
        kind = _map_type(a.get("type", default))
        if kind not in ("text/plain", "text/html"):
            raise _Decline  # xhtml, base64 and other payloads
        value = self.text(el)
        if kind == "text/plain" and self.guess_html and _looks_like_html(value):
            kind = "text/html"
        return {"type": kind, "value": _repair(value)}

    def check_subtree(self, el: Any, allowed: set[str] | frozenset[str] = frozenset()) -> None:
        """Below an element we do not read, feedparser must not find anything it would file."""
        if not len(el):
            return
        for child in el:
            name = self.name(child)
            if not name:
                continue
            if name in _HANDLERS and name not in allowed:
                if name not in _HARMLESS:
                    raise _Decline
                self.check_subtree(child, _HARMLESS_PARENTS.get(name, frozenset()))
            elif name in _SHADOWING:
                raise _Decline
            else:
                self.check_subtree(child, allowed)

    def link_attrs(self, a: dict[str, str]) -> tuple[bool, str | None]:
        """feedparser's `_start_link`: (has an href, the href if it is an alternate HTML link).

        As its `_enforce_href`: url= before uri= before href=, but an empty url= or uri= does not
        count (then href= does, else the element's text is the link)."""
        href = a.get("url", a.get("uri", a.get("href"))) or a.get("href")
        has = href is not None
        rel = a.get("rel", "alternate")
        kind = a.get("type", "application/atom+xml" if rel == "self" else "text/html")
        if has and rel == "alternate" and _map_type(kind) in ("application/xhtml+xml", "text/html"):
            return True, _urljoin(href or "")
        return has, None

    def take_title(self, el: Any, out: dict[str, Any], done: bool) -> bool:
        """A title element of the feed or an entry; returns whether a title is now set.

        feedparser keeps the first non-empty title of a level: later ones are idle."""
        if done:
            self.check_subtree(el)
            return True
        detail = self.construct(el, "text/plain")
        out["title"] = detail["value"]
        out["title_detail"] = detail
        return bool(detail["value"])

    def take_link(self, el: Any, out: dict[str, Any], *, in_entry: bool) -> None:
        """A link element: Atom style (an href, kept if it is an alternate HTML link) or RSS
        style (the address as text; feedparser undoes `&amp;` in entries' links only)."""
        has, href = self.link_attrs(self.attrs(el))
        if has:
            self.check_subtree(el)
            if href is not None:
                out["link"] = href
            return
        value = self.text(el)
        value = _repair(_urljoin(value) if value else "")
        if in_entry:
            value = value.replace("&amp;", "&")
        out["link"] = _QUERY_ENTITY.sub(r"&\g<1>", value)

    # -- the feed

    def feed(self, channel: Any, root_lang: str | None) -> dict[str, Any]:
        feed: dict[str, Any] = {}
        if root_lang:
            feed["language"] = root_lang.replace("_", "-")
        title_set = False
        texts = 0
        for child in channel:
            name = self.name(child)
            if not name:
                continue
            if name in ("item", "entry", "image", "textinput"):
                # these reset feedparser's title level: a channel title after them counts again
                title_set = False
                if name in _FEED_SKIPPED:
                    keep = _SKIPPED_KEEP[name]
                    for sub in child.iterdescendants():
                        sub_name = self.name(sub)
                        if sub_name in _SKIPPED_STOP or (
                            sub_name and sub_name not in keep and _unprefixed(sub)
                        ):
                            raise _Decline
                continue
            if name in _TITLE:
                title_set = self.take_title(child, feed, title_set)
            elif name in _LINK:
                self.take_link(child, feed, in_entry=False)
            elif name in ("language", "dc_language"):
                feed["language"] = _repair(self.text(child))
            elif name in _DESCRIPTION or name in _SUMMARY or name in _CONTENT or name in _ENCODED:
                texts += 1  # a second one turns into content, which leaks into the first entry
                if texts > 1 or name in _CONTENT or name in _ENCODED:
                    raise _Decline
                self.check_subtree(child)
            elif name in _PUBLISHED or name in _UPDATED or name in _AUTHOR or name in _ID:
                pass  # the feed's own dates, authors and id are not read (and reset per entry)
            elif (name in _HANDLERS and name not in _HARMLESS) or name in _SHADOWING:
                raise _Decline
            else:
                self.check_subtree(child, _HARMLESS_PARENTS.get(name, frozenset()))
        return feed

    # -- entries

    def entry(self, item: Any) -> dict[str, Any]:
        e: dict[str, Any] = {}
        a = self.attrs_entry(item)
        if a:
            e["id"] = a
        title_done = False  # feedparser: a non-empty title makes later ones of that level idle
        has_content = False
        guidislink_saved = False
        authors: list[dict[str, str]] = []
        for child in item:
            name = self.name(child)
            if not name:
                continue
            if name in _TITLE:
                title_done = self.take_title(child, e, title_done)
            elif name in _LINK:
                self.take_link(child, e, in_entry=True)
            elif name in _ID:
                ispermalink = self.attrs(child).get("ispermalink", "true") == "true"
                value = self.text(child)
                if value and ispermalink:
                    value = _urljoin(value)
                value = _repair(value)
                e["id"] = value
                if not guidislink_saved:
                    e["guidislink"] = ispermalink and "link" not in e
                    guidislink_saved = True
                if ispermalink:
                    e.setdefault("link", value)
            elif name in _DESCRIPTION or name in _SUMMARY:
                default = "text/html" if name in _DESCRIPTION else "text/plain"
                if "summary" in e and not has_content:
                    # feedparser: a second summary of an entry without content is its content
                    has_content = True
                    detail = self.construct(child, "text/plain")
                    e.setdefault("content", []).append(detail)
                    e.setdefault("summary", detail["value"])
                else:
                    detail = self.construct(child, default)
                    e["summary"] = detail["value"]
                    e["summary_detail"] = detail
            elif name in _CONTENT or name in _ENCODED:
                has_content = True
                detail = self.construct(child, "text/plain" if name in _CONTENT else "text/html")
                e.setdefault("content", []).append(detail)
                e.setdefault("summary", detail["value"])
            elif name in _PUBLISHED:
                e["published_parsed"] = _parse_date(_repair(self.text(child)))
            elif name in _UPDATED:
                e["updated_parsed"] = _parse_date(_repair(self.text(child)))
            elif name in _AUTHOR:
                detail, e["author"] = self.author(child)
                authors.append(detail)
            elif name == "source":
                if len(child):
                    raise _Decline  # an Atom source: a feed inside the entry
                value = _repair(self.text(child))
                e["source"] = {"title": value} if value else {}
                title_done = False  # feedparser resets its title level at a source
            elif name == "media_title":
                if not title_done:
                    raise _Decline  # it would stand in for the title
                self.check_subtree(child)
            elif name == "media_description":
                raise _Decline  # a description one level down: feedparser's depth rules
            elif (name in _HANDLERS and name not in _HARMLESS) or name in _SHADOWING:
                raise _Decline
            else:
                self.check_subtree(child, _HARMLESS_PARENTS.get(name, frozenset()))
        if authors:
            e["authors"] = authors
        return e

    def attrs_entry(self, item: Any) -> str | None:
        about = None
        for key, value in item.attrib.items():
            if key == f"{{{RDF}}}about":
                about = value
            elif key[0] == "{" or key.lower() in _CDF_ATTRIBUTES:
                raise _Decline
        return about or None

    def author(self, el: Any) -> tuple[dict[str, str], str]:
        """One author's details and feedparser's `author` string for it.

        An RSS author's text is kept as is ("jane@example.com (Jane Doe)") and split into name and
        email; an Atom author with parts reads "name (email)", the name, the email, or else the
        author element's own text (around its parts)."""
        if len(el):
            detail: dict[str, str] = {}
            for child in el:
                name = self.name(child)
                if not name:
                    continue
                if name not in _AUTHOR_PARTS:
                    raise _Decline
                value = self.text(child)
                key = "href" if name in ("uri", "url", "homepage") else name
                if key == "href":  # feedparser finishes only the address (name and email are raw)
                    value = _repair(_urljoin(value) if value else value)
                detail[key] = value
            name, email = detail.get("name"), detail.get("email")
            if name and email:
                return detail, f"{name} ({email})"
            if name or email:
                return detail, name or email or ""
            own = (el.text or "") + "".join(child.tail or "" for child in el)
            return detail, _repair(own.strip())
        raw = _repair(self.text(el))
        detail = {}
        email = None
        author = raw
        m = _EMAIL.search(raw)
        if m:
            email = m.group(0)
            author = (
                raw.replace(email, "").replace("()", "").replace("<>", "").replace("&lt;&gt;", "").strip()
            )
            if author and author[0] == "(":
                author = author[1:]
            if author and author[-1] == ")":
                author = author[:-1]
            author = author.strip()
        if author:
            detail["name"] = author
        if email:
            detail["email"] = email
        return detail, raw


def _encoding_ok(data: bytes, content_type: str | None) -> bool:
    """True if feedparser would decode `data` as UTF-8 (or as ASCII, the same for ASCII bytes)."""
    xml_encoding = ""
    # feedparser matches its declaration pattern against the whole first line, which may be the
    # whole document; only the part up to the line's last "?>" can take part in a match
    eol = data.find(b"\n")
    line = data if eol < 0 else data[:eol]
    end = line.rfind(b"?>")
    m = _XML_PI_ENCODING.match(line[: end + 2]) if line.startswith(b"<?") and end >= 0 else None
    if m:
        xml_encoding = m.group(1).decode("ascii", "replace").lower()
    if xml_encoding not in ("", "utf-8"):
        return False
    http_type, http_charset = "", ""
    if content_type:
        parts = content_type.split(";")
        http_type = parts[0].strip().lower()
        for param in parts[1:]:
            k, _, v = param.partition("=")
            if k.strip().lower() == "charset":
                http_charset = v.strip().strip("'\"").lower()
    if http_charset not in ("", "utf-8"):
        return False
    if http_type.startswith("text/") and not http_charset:
        # RFC 3023: text/* without a charset is US-ASCII; non-ASCII then falls to the declaration
        return data.isascii() or xml_encoding == "utf-8"
    return True


def read_feed(data: bytes, content_type: str | None = None) -> dict[str, Any] | None:
    """feedparser's result for `data` (the parts tuireader reads), or None to let feedparser read it."""
    if not available():
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    head = data[:4]
    if head.startswith((b"\xfe\xff", b"\xff\xfe", b"\x00\x00", b"\x4c\x6f\xa7\x94")) or b"\x00" in head:
        return None  # UTF-16/32 or EBCDIC
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data or _has_base_attribute(data):
        return None
    if not _encoding_ok(data, content_type) or not _prefixes_agree(data):
        return None
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None
    try:
        return _read_root(root)
    except _Decline:
        return None


def _version_from_namespaces(root: Any) -> str:
    """feedparser's version guess from the first namespace declaration it recognises."""
    for prefix, uri in root.nsmap.items():
        low = (uri or "").lower()
        if prefix is None and low == RSS090:
            return "rss090"
        if low == RSS1:
            return "rss10"
        if low == ATOM.lower():
            return "atom10"
    return ""


def _read_root(root: Any) -> dict[str, Any] | None:
    root_name = _name(root)
    lang_attr = root.get(_XML_LANG)
    if lang_attr is None:
        lang_attr = root.get("lang")
    ns_version = _version_from_namespaces(root)
    children = [c for c in root if isinstance(c.tag, str)]
    if root_name == "rss":
        if ns_version in ("rss10", "rss090"):
            raise _Decline
        attr = root.get("version", "")
        version = {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}.get(attr)
        if not version:
            version = "rss20" if attr.startswith("2.") else "rss"
        if len(children) != 1 or _name(children[0]) != "channel":
            raise _Decline
        reader = _Reader(version)
        channel = children[0]
        items = [c for c in channel if _name(c) == "item"]
        _check_cdf(channel)
        feed = reader.feed(channel, lang_attr or None)
    elif root_name == "feed":
        if ns_version != "atom10" or root.tag != f"{{{ATOM}}}feed":
            raise _Decline
        reader = _Reader("atom10")
        items = [c for c in children if _name(c) == "entry"]
        feed = reader.feed(root, lang_attr or None)
    elif root_name == "rdf_rdf":
        if ns_version != "rss10":
            raise _Decline
        reader = _Reader("rss10")
        names = [_name(c) for c in children]
        if names.count("channel") != 1 or ("item" in names and names.index("item") < names.index("channel")):
            raise _Decline  # an item before the channel changes which title the feed keeps
        for name in names:
            if (
                name not in ("channel", "item", "image", "textinput")
                and name in _HANDLERS
                and name not in _HARMLESS
            ):
                raise _Decline
        items = [c for c, name in zip(children, names, strict=True) if name == "item"]
        channel = children[names.index("channel")]
        _check_cdf(channel)
        feed = reader.feed(channel, None)  # feedparser ignores xml:lang here
    else:
        return None
    entries = [reader.entry(item) for item in items]
    if not entries and not feed.get("title") and not feed.get("link"):
        return None  # let feedparser say what the document is
    return {"version": reader.version, "bozo": 0, "feed": feed, "entries": entries}
