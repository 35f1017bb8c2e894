"""Fixtures shared by the functional and snapshot tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1] / "articles"
PG_SCRIPT = Path(__file__).resolve().parents[1] / ".ci" / "postgres.sh"
WARM_DIR = "tui-warm-library"


def build_warm_library(base: Path) -> tuple[Path, Path]:
    """(library folder, cache folder) under `base`, built once: scanned, analysed, linked."""
    from tuireader.library import Library

    root = base / WARM_DIR / "articles"
    cache = base / WARM_DIR / "cache"
    done = base / WARM_DIR / "ready"
    if done.exists():
        return root, cache
    shutil.rmtree(base / WARM_DIR, ignore_errors=True)
    root.mkdir(parents=True)
    for path in sorted(SEEDS.iterdir()):
        if path.is_file():
            shutil.copy2(path, root / path.name)
    lib = Library(root, cache_dir=cache)
    try:
        lib.scan()
        lib.analyze_all()
        for summary in lib.articles():
            lib.view(summary.id)
    finally:
        lib.close()
    done.write_text("ok")
    return root, cache


@pytest.fixture(autouse=True)
def user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own user state and config folders: no test reads the developer's
    config.toml or leaves a reading position in their state folder. A proxy set in the developer's
    environment is cleared too: the fetcher honours HTTP_PROXY, and the tests' servers are local."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("TUIREADER_STATE_DIR", str(base / "state"))
    monkeypatch.setenv("TUIREADER_CONFIG_DIR", str(base / "config"))


@pytest.fixture(scope="session")
def warm_library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_warm_library(tmp_path_factory.getbasetemp())


# --- a real PostgreSQL server for the store tests (.ci/postgres.sh) ----------------------------------
@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The URL of a PostgreSQL server to make test databases on.

    CI (.ci/run) starts one and sets TUIREADER_TEST_PG: then an unreachable server FAILS the tests
    (they must never pass by being skipped). Without the variable (a developer's plain pytest run),
    one is started here with .ci/postgres.sh when PostgreSQL's binaries exist, else the tests are
    skipped with the reason.
    """
    try:
        import psycopg
    except ImportError:
        if os.environ.get("TUIREADER_TEST_PG"):
            pytest.fail("TUIREADER_TEST_PG is set but psycopg is not installed (pip install -e '.[test]')")
        pytest.skip("psycopg is not installed (pip install -e '.[test]')")
    given = os.environ.get("TUIREADER_TEST_PG")
    if given:
        try:
            psycopg.connect(given, connect_timeout=10).close()
        except psycopg.Error as exc:
            pytest.fail(f"TUIREADER_TEST_PG={given} is unreachable: {exc}")
        yield given
        return
    folder = Path(tempfile.gettempdir()) / f"tuireader-pg-{os.getpid()}"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    started = subprocess.run([str(PG_SCRIPT), "start", str(folder), str(port)], capture_output=True, text=True)
    if started.returncode == 3:
        pytest.skip(f"no PostgreSQL server for the store tests: {started.stderr.strip()}")
    if started.returncode != 0:
        pytest.fail(f".ci/postgres.sh could not start a server: {started.stderr.strip()}")
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run([str(PG_SCRIPT), "stop", str(folder)], capture_output=True)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty database on the test server (dropped afterwards)."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    name = f"tuireader_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    params = conninfo_to_dict(pg_server)
    params["dbname"] = name
    host, port, user = params.get("host", "127.0.0.1"), params.get("port", "5432"), params.get("user", "")
    password = f":{params['password']}" if params.get("password") else ""
    url = f"postgresql://{user}{password}@{host}:{port}/{name}"
    assert make_conninfo(url)  # a URL psycopg reads
    try:
        yield url
    finally:
        with psycopg.connect(pg_server, autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
