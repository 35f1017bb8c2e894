"""Which store backend a library uses: this machine's SQLite files, or a shared archive by URL.

The URL comes from `--store` (the CLI passes it on), else the environment's `TUIREADER_STORE`, else
the config file's `[store] url`; none means the local files (the single-user default).
"""

from __future__ import annotations

import os

from tuireader.store.base import LocalStores, StoreBackend

SCHEMES = ("postgresql://", "postgres://")


def store_url(configured: str | None = None) -> str | None:
    """The shared archive's URL in force, if any: `TUIREADER_STORE` over the config file's."""
    return os.environ.get("TUIREADER_STORE") or configured or None


def open_backend(url: str | None, *, worker: bool = False) -> StoreBackend:
    """The backend for `url` (None: the local files). `worker`: this process writes the shared
    archive from its folder; readers only follow it. Raises ValueError for an unknown scheme."""
    if not url:
        return LocalStores()
    if url.startswith(SCHEMES):
        from tuireader.store.postgres import PostgresStores  # psycopg itself is imported on first open

        return PostgresStores(url, worker=worker)
    raise ValueError(f"{url}: not a store address (postgresql://user@host/database)")
