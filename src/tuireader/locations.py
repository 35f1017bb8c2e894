"""Every place tuireader reads or writes outside the library folder, each from one function.

Each user folder can be moved with an environment variable (tests and scripts do; so can a user
with a small home): `TUIREADER_CACHE_DIR`, `TUIREADER_CONFIG_DIR`, `TUIREADER_STATE_DIR`,
`TUIREADER_DATA_DIR`. What lives where, and why:

* cache (`cache_dir`): everything that can be rebuilt from the library folder: derived values
  (diskcache), the per-library catalog and indexes, fetched HTTP responses. Clearing it costs time,
  never work.
* state (`state_dir`): what the user did and would lose with the cache: the reader's position,
  theme and layout, per library.
* config (`config_file`): what the user chose (config.toml).
* data (`data_dir`): the default library when there is no `./articles`.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

APP = "tuireader"


def _user_dir(env: str, kind: str) -> Path:
    given = os.environ.get(env)
    if given:
        return Path(given).expanduser()
    import platformdirs

    return Path(getattr(platformdirs, f"user_{kind}_dir")(APP))


def cache_dir() -> Path:
    """`$TUIREADER_CACHE_DIR`, else the user's cache folder (e.g. ~/.cache/tuireader)."""
    return _user_dir("TUIREADER_CACHE_DIR", "cache")


def config_dir() -> Path:
    """`$TUIREADER_CONFIG_DIR`, else the user's config folder (e.g. ~/.config/tuireader)."""
    return _user_dir("TUIREADER_CONFIG_DIR", "config")


def state_dir() -> Path:
    """`$TUIREADER_STATE_DIR`, else the user's state folder (e.g. ~/.local/state/tuireader)."""
    return _user_dir("TUIREADER_STATE_DIR", "state")


def data_dir() -> Path:
    """`$TUIREADER_DATA_DIR`, else the user's data folder (e.g. ~/.local/share/tuireader)."""
    return _user_dir("TUIREADER_DATA_DIR", "data")


def config_file() -> Path:
    return config_dir() / "config.toml"


def library_key(root: Path) -> str:
    """A short stable name for a library folder (its resolved path hashed): one folder per library."""
    return hashlib.sha1(str(Path(root).expanduser().resolve()).encode()).hexdigest()[:16]


def library_cache_dir(cache: Path, root: Path) -> Path:
    """The library's catalog, story index and search index: derived, in the cache."""
    return Path(cache) / "libraries" / library_key(root)


def derived_cache_dir(cache: Path) -> Path:
    """The content cache shared by every library on the machine (keyed by content hash)."""
    return Path(cache) / "derived"


def http_cache_dir(cache: Path) -> Path:
    """Fetched responses with their validators (ETag, Last-Modified), for conditional requests."""
    return Path(cache) / "http"


def reader_state_file(root: Path) -> Path:
    """The reader's position, theme and layout for one library: state, not cache."""
    return state_dir() / "libraries" / library_key(root) / "reader.json"


def bundled_articles() -> Path:
    """The sample articles: the `tuireader.samples` package data, the same bytes as the repository's
    `articles/` folder, so a checkout, an editable install and an installed wheel all have them."""
    return Path(__file__).resolve().parent / "samples"


def default_library(configured: Path | None = None) -> Path:
    """Where the library is when none is named: the configured one, else `./articles` when it
    exists, else the data folder's (which the caller seeds with the sample articles)."""
    if configured is not None:
        return configured.expanduser()
    here = Path.cwd() / "articles"
    if here.is_dir():
        return here
    return data_dir() / "articles"
