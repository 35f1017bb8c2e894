"""Article files: reading them as `RawDocument`s, and the library folder's file conventions.

A text article may start with a header block stating what the scrape itself cannot tell:

    ---
    outlet: Scripps News
    url: https://example.com/story
    published: 2023-06-09
    ---

A sidecar `<stem>.meta.json` beside any article does the same (it wins over the header). Articles
fetched from feeds are written in this form, so the folder stays readable and is the source of truth.

An article fetched again with other text keeps its first file as it is: the new text is a revision
file beside it, `<stem>-r<N>.txt` (N from 2), whose header names its number, when it was fetched
and the file it follows:

    revision: 2
    previous: 20240514_5b903ab4dc6d6d19
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from tuireader.model import RawDocument, SourceError

ARTICLE_SUFFIXES = {".txt": "text", ".html": "html", ".htm": "html"}
TEXT_SUFFIX = ".txt"  # what fetched articles are written as: a header block and paragraphs
SIDECAR_SUFFIX = ".meta.json"  # `<stem>.meta.json` beside an article states its metadata
# The one naming scheme of files the library writes, fetched or copied: `<YYYYMMDD>_<hash16>`, the
# date the article was published (else the day it came in), the hash of what identifies it (its
# canonical URL when fetched, its bytes when copied). Older libraries also hold `NNN_<hash16>`.
ARTICLE_NAME = re.compile(r"^(\d{8})_([0-9a-f]{16})\.(txt|html|htm)$")
MAX_ARTICLE_BYTES = 20 * 1024 * 1024
HEADER_FIELDS = ("title", "outlet", "url", "feed", "published", "fetched", "authors", "language",
                 "revision", "previous")
# `<stem>-r<N>`: revision N (2 and up) of the article whose first file is `<stem>` (see above)
REVISION_STEM = re.compile(r"^(.+_[0-9a-f]{16})-r([2-9]|[1-9][0-9]+)$")
_HEADER_LINE = re.compile(r"^([A-Za-z_-]{2,20}):[ \t]*(.*?)\s*$")


def is_article_path(path: Path) -> bool:
    return (
        path.suffix.lower() in ARTICLE_SUFFIXES
        and not path.name.startswith(".")
        and not path.name.endswith(SIDECAR_SUFFIX)
    )


def is_article_name(name: str) -> bool:
    """`is_article_path` for a bare file name, without building a Path (a scan meets 100,000)."""
    return name[0] != "." and name.rpartition(".")[2].lower() in _SUFFIX_WORDS


_SUFFIX_WORDS = frozenset(s.lstrip(".") for s in ARTICLE_SUFFIXES)


def sidecar_path(path: Path) -> Path:
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def article_stem(published: str | None, key_hash: str) -> str:
    """The stem of an article file the library writes: see ARTICLE_NAME."""
    if published and re.match(r"^\d{4}-\d{2}-\d{2}", published):
        day = published[:10].replace("-", "")
    else:
        day = datetime.now(UTC).strftime("%Y%m%d")
    return f"{day}_{key_hash[:16]}"


def revision_stem(first: str, number: int) -> str:
    """The stem of revision `number` of the article whose first file is `first` (1: `first`)."""
    return first if number <= 1 else f"{first}-r{number}"


def revision_of(stem: str) -> tuple[str, int]:
    """(the stem of the article's first file, revision number) of an article file's stem."""
    m = REVISION_STEM.match(stem)
    return (m.group(1), int(m.group(2))) if m else (stem, 1)


def revision_groups(ids: Iterable[str]) -> dict[str, list[str]]:
    """The articles among `ids` that have more than one revision there: the stem of the first file
    -> the ids of its revisions, in revision order (the last one is the latest). Only ids with
    `-r` in them are matched, so a library without revisions costs a substring test per id."""
    ids = set(ids)
    groups: dict[str, list[tuple[int, str]]] = {}
    for aid in ids:
        if "-r" in aid:
            first, number = revision_of(aid)
            if number > 1:
                groups.setdefault(first, []).append((number, aid))
    out: dict[str, list[str]] = {}
    for first, revs in groups.items():
        members = ([first] if first in ids else []) + [aid for _n, aid in sorted(revs)]
        if len(members) > 1:
            out[first] = members
    return out


def revision_files(folder: Path, first: str) -> list[Path]:
    """The files of every revision of the article `first` in `folder`, revision 1 first."""
    found: dict[int, Path] = {}
    for suffix in ARTICLE_SUFFIXES:
        if (folder / (first + suffix)).is_file():
            found.setdefault(1, folder / (first + suffix))
    try:
        names = [p for p in folder.glob(f"{first}-r*{TEXT_SUFFIX}") if p.is_file()]
    except OSError:
        names = []
    for path in names:
        base, number = revision_of(path.stem)
        if base == first and number > 1:
            found[number] = path
    return [found[n] for n in sorted(found)]


def text_identity(text: str) -> str:
    """What tells two revisions apart: the words in order, whatever the spacing (case kept: a
    corrected capital is an edit)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:20]


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode article bytes: a BOM or valid UTF-8 first, then Windows-1252, then Latin-1.

    Windows-1252 is tried before Latin-1 because scrapes labelled "Latin-1" are nearly always 1252
    (curly quotes at 0x91-0x94); Latin-1 only decides for bytes 1252 leaves undefined.
    """
    name = _bom_encoding(data)
    if name is not None:
        return data.decode(name), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


# Byte-order marks, longest first: UTF-32's little-endian mark begins with UTF-16's.
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"), (b"\xef\xbb\xbf", "utf-8-sig"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))  # fmt: skip


def _bom_encoding(data: bytes) -> str | None:
    return next((name for bom, name in _BOMS if data.startswith(bom)), None)


def looks_binary(data: bytes) -> bool:
    """NUL bytes or a high share of control characters in the first 8 KiB mean this is not text.
    Text with a UTF-16 or UTF-32 byte-order mark is judged on its characters (its NUL bytes are
    half of every ASCII letter), and is binary only if it does not decode."""
    head = data[:8192]
    name = _bom_encoding(head)
    if name in ("utf-16", "utf-32"):
        try:  # not final: the head may end inside a character or a surrogate pair
            chars = codecs.getincrementaldecoder(name)().decode(head, final=False)
        except UnicodeDecodeError:
            return True
        if "\x00" in chars:
            return True
        codes = [ord(c) for c in chars]
    else:
        if b"\x00" in head:
            return True
        codes = list(head)
    controls = sum(1 for c in codes if c < 32 and c not in (9, 10, 12, 13))
    return bool(codes) and controls / len(codes) > 0.05


def parse_header(text: str) -> tuple[dict[str, str], str]:
    """Split a leading `---` header block off `text`; returns (fields, rest)."""
    if not text.startswith("---"):
        return {}, text
    lines = text.split("\n")
    if lines[0].strip() != "---":
        return {}, text
    fields: dict[str, str] = {}
    for i, line in enumerate(lines[1:40], start=1):
        if line.strip() == "---":
            return fields, "\n".join(lines[i + 1 :]).lstrip("\n")
        m = _HEADER_LINE.match(line)
        if not m:
            return {}, text
        fields[m.group(1).lower()] = m.group(2)
    return {}, text


def format_header(fields: dict[str, str | None]) -> str:
    """The header block for `fields` (empty values left out; values kept on one line)."""
    lines = ["---"]
    for key, value in fields.items():
        if value:
            flat = " ".join(str(value).split())
            lines.append(f"{key}: {flat}")
    lines.append("---")
    return "\n".join(lines) + "\n"


def read_sidecar(path: Path) -> dict[str, str]:
    sidecar = sidecar_path(path)
    if not sidecar.exists():
        return {}
    try:
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SourceError(f"{sidecar}: unreadable sidecar ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict):
        raise SourceError(f"{sidecar}: sidecar must hold a JSON object")
    return {str(k).lower(): str(v) for k, v in data.items() if v is not None}


def check_bytes(path: Path, data: bytes) -> None:
    """Raise SourceError for content that cannot be an article (empty, binary, huge)."""
    if not data.strip():
        raise SourceError(f"{path}: empty file")
    if len(data) > MAX_ARTICLE_BYTES:
        raise SourceError(
            f"{path}: too large for an article ({len(data) / 1e6:.0f} MB; limit {MAX_ARTICLE_BYTES // 2**20} MiB)"
        )
    if looks_binary(data):
        raise SourceError(f"{path}: binary content, not text or HTML")


def read_document(path: str | Path) -> RawDocument:
    """Read one article file; raises SourceError with a one-line reason naming the file."""
    path = Path(path)
    kind = ARTICLE_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        if not path.exists():  # a mistyped path is "no such file", whatever its name ends in
            raise SourceError(f"{path}: no such file")
        raise SourceError(f"{path}: not an article file (expected .txt, .html or .htm)")
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise SourceError(
                f"{path}: too large for an article ({size / 1e6:.0f} MB; limit {MAX_ARTICLE_BYTES // 2**20} MiB)"
            )
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise SourceError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise SourceError(f"{path}: is a folder, not a file") from exc
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    check_bytes(path, data)
    text, encoding = decode_bytes(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    declared, body = parse_header(text) if kind == "text" else ({}, text)
    declared_in = dict.fromkeys(declared, "header")
    sidecar = read_sidecar(path)
    declared.update(sidecar)
    declared_in.update(dict.fromkeys(sidecar, "sidecar"))
    return RawDocument(
        id=path.stem,
        path=str(path),
        kind=kind,  # type: ignore[arg-type]
        body=body,
        content_hash=content_hash(data),
        encoding=encoding,
        declared=declared,
        declared_in=declared_in,
    )
