"""The user's settings: `config.toml` in the user config folder, read with tomllib, over defaults.

    library = "~/news"            # the library when --library is not given
    theme = "gruvbox"             # the reader's theme until one is picked in it
    browser = "firefox"           # what `o` opens web addresses with (a webbrowser name)

    [refresh]
    pages = true                  # fetch each new entry's page for its full text
    concurrency = 16              # pages in hand at once
    connect_timeout = 10.0        # seconds
    read_timeout = 20.0           # longest silence between two reads
    total_timeout = 60.0          # a whole request, body included
    on_start = true               # the reader refreshes the feeds when it opens
    every_minutes = 30            # ... and again every 30 minutes while it is open (unset: never)

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
    read_timeout: float = 20.0
    total_timeout: float = 60.0


@dataclass(frozen=True, slots=True)
class Config:
    library: Path | None = None
    theme: str | None = None
    browser: str | None = None
    refresh: RefreshSettings = field(default_factory=RefreshSettings)
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
        out.extend((f"views.{name}", text, "config.toml") for name, text in self.views)
        return out


_TOP = {"library": str, "theme": str, "browser": str}
_REFRESH = {"pages": bool, "concurrency": int, "connect_timeout": float, "read_timeout": float,
            "total_timeout": float}  # fmt: skip
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
    views: list[tuple[str, str]] = []
    for key, value in doc.items():
        if key == "refresh" and isinstance(value, dict):
            for sub, subvalue in value.items():
                _take(f"refresh.{sub}", subvalue, _REFRESH.get(sub), refresh, sub, given, problems)
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
    return Config(**top, refresh=RefreshSettings(**refresh), path=path, given=frozenset(given),
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
