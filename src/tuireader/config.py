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

    [store]
    url = "postgresql://reader@archive.example/news"   # a shared archive (default: this machine's files)

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
    concurrency: int = 16
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0


@dataclass(frozen=True, slots=True)
class StoreSettings:
    url: str | None = None  # postgresql://... for a shared archive; None: SQLite files here


@dataclass(frozen=True, slots=True)
class Config:
    library: Path | None = None
    theme: str | None = None
    browser: str | None = None
    refresh: RefreshSettings = field(default_factory=RefreshSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
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
        out.append(("store.url", self.store.url, "config.toml" if "store.url" in self.given else "default"))
        return out


_TOP = {"library": str, "theme": str, "browser": str}
_REFRESH = {"pages": bool, "concurrency": int, "connect_timeout": float, "read_timeout": float,
            "total_timeout": float}  # fmt: skip
_STORE = {"url": str}


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
    store: dict[str, Any] = {}
    for key, value in doc.items():
        if key == "refresh" and isinstance(value, dict):
            for sub, subvalue in value.items():
                _take(f"refresh.{sub}", subvalue, _REFRESH.get(sub), refresh, sub, given, problems)
        elif key == "store" and isinstance(value, dict):
            for sub, subvalue in value.items():
                _take(f"store.{sub}", subvalue, _STORE.get(sub), store, sub, given, problems)
        else:
            _take(key, value, _TOP.get(key), top, key, given, problems)
    if "library" in top:
        top["library"] = Path(top["library"]).expanduser()
    if "url" in store and not store["url"].startswith(("postgresql://", "postgres://")):
        problems.append(f"store.url = {store.pop('url')!r} is not a postgresql:// address (the local store is used)")
        given.discard("store.url")
    return Config(**top, refresh=RefreshSettings(**refresh), store=StoreSettings(**store), path=path, given=frozenset(given),
                  problems=tuple(problems))  # fmt: skip


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
