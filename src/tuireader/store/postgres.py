"""A shared archive on PostgreSQL: the catalog, the search index and the derived values of one
library in one database, written by a worker and read by any number of readers elsewhere.

The same protocols as the local SQLite stores (`store.base`), so the Library does not know which
it has:

* the catalog is a table (`tr_files`), one row per article file of the worker's folder, with the
  story each article belongs to; every change bumps a counter (`tr_changes`) in the same
  transaction, which a reader polls to notice new articles within seconds (`changes()`);
* search: every sentence and quotation in `tr_passages` with a stored tsvector (GIN-indexed,
  English stemming) that proposes candidates, and a pg_trgm index on the text for reworded or
  misspelt queries the word match misses; the candidates are ranked by the same fuzzy ranker as
  the local index (`store.index._rank`), so both stores order hits alike;
* derived values (cleaned articles, analyses, links) in `tr_derived` as JSONB, in the tagged JSON of
  `store.plain_disk` (never pickles), with plain dicts written as key/value pairs so their order
  survives JSONB; a value JSONB cannot hold (a NUL character in a string) goes to a bytea column.

psycopg is imported when a store is opened, never at start-up. One connection per store, guarded by
a lock (the reader calls from several threads); writes are transactions, so a reader never sees
half a change and there is no "database is locked": PostgreSQL's MVCC lets readers read while the
worker writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from tuireader.model import Article, ArticleSummary, Quote, SearchHit
from tuireader.store.index import (
    CANDIDATES,
    QUOTE,
    ROW_BUDGET,
    ParsedQuery,
    _passages,
    _phrase_test,
    _rank,
    filter_sql,
    parse_query,
)
from tuireader.store.plain_disk import NotPlainData, _decode, _encode, dumps, loads

SCHEMA_VERSION = "1"
_SETUP_LOCK = 7_240_018  # pg_advisory_xact_lock key: one process creates the tables at a time
TRIGRAM_CANDIDATES = 60  # passages the trigram match proposes when no word matches
WORD_SIMILARITY = 0.35

_SCHEMA = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE IF NOT EXISTS tr_meta (key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS tr_changes (one boolean PRIMARY KEY DEFAULT true CHECK (one), n bigint NOT NULL);
INSERT INTO tr_changes (n) VALUES (0) ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS tr_files (
    path text PRIMARY KEY,
    id text NOT NULL,
    size bigint NOT NULL,
    mtime_ns bigint NOT NULL,
    hash text NOT NULL,
    version text NOT NULL,
    outlet text,
    title text NOT NULL,
    published text,
    authors text NOT NULL,
    story text,
    words integer NOT NULL
);
CREATE INDEX IF NOT EXISTS tr_files_id ON tr_files (id);
CREATE INDEX IF NOT EXISTS tr_files_story ON tr_files (story);
CREATE INDEX IF NOT EXISTS tr_files_hash ON tr_files (hash);
CREATE TABLE IF NOT EXISTS tr_search_articles (
    key bigserial PRIMARY KEY,
    id text NOT NULL UNIQUE,
    outlet text,
    outlet_key text,
    story text,
    published text
);
CREATE INDEX IF NOT EXISTS tr_search_articles_story ON tr_search_articles (story);
CREATE INDEX IF NOT EXISTS tr_search_articles_published ON tr_search_articles (published);
CREATE TABLE IF NOT EXISTS tr_passages (
    article bigint NOT NULL REFERENCES tr_search_articles (key) ON DELETE CASCADE,
    n integer NOT NULL,
    kind smallint NOT NULL,
    start integer NOT NULL,
    stop integer NOT NULL,
    text text NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED,
    PRIMARY KEY (article, n)
);
CREATE INDEX IF NOT EXISTS tr_passages_tsv ON tr_passages USING gin (tsv);
CREATE INDEX IF NOT EXISTS tr_passages_trgm ON tr_passages USING gin (text gin_trgm_ops);
CREATE TABLE IF NOT EXISTS tr_derived (key bytea PRIMARY KEY, value jsonb, raw bytea);
"""
_TABLES = ("tr_passages", "tr_search_articles", "tr_files", "tr_meta", "tr_changes", "tr_derived")


def _connect(url: str) -> Any:
    """A connection in autocommit mode (writes open their own transactions); psycopg imported here."""
    try:
        import psycopg
    except ImportError as exc:  # the optional extra is not installed
        raise RuntimeError(
            "a postgresql:// store needs psycopg: pip install 'tuireader-news[postgresql]'"
        ) from exc
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise RuntimeError(f"cannot reach the archive at {_shown(url)}: {_first_line(exc)}") from exc


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        host = parts.hostname or ""
        netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def ensure_schema(db: Any) -> None:
    """Create the tables once (concurrent openers wait on an advisory lock); an archive written by
    another schema version is dropped and rebuilt by the worker's next scan (it is derived data)."""
    with db.transaction():
        db.execute("SELECT pg_advisory_xact_lock(%s)", (_SETUP_LOCK,))
        found = db.execute("SELECT to_regclass('tr_meta') IS NOT NULL").fetchone()[0]
        if found:
            row = db.execute("SELECT value FROM tr_meta WHERE key = 'schema'").fetchone()
            if row is not None and row[0] == SCHEMA_VERSION:
                if db.execute("SELECT to_regclass('tr_files_hash') IS NULL").fetchone()[0]:
                    # an archive made before ingest looked duplicates up by hash: the index is added
                    db.execute("CREATE INDEX IF NOT EXISTS tr_files_hash ON tr_files (hash)")
                return
            for table in _TABLES:
                db.execute(f"DROP TABLE IF EXISTS {table} CASCADE")
        db.execute(_SCHEMA)
        db.execute("INSERT INTO tr_meta (key, value) VALUES ('schema', %s) ON CONFLICT (key) DO UPDATE "
                   "SET value = excluded.value", (SCHEMA_VERSION,))  # fmt: skip


class _Store:
    """One connection, its lock, and reconnection after the server dropped it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._lock = threading.RLock()
        self._db = _connect(url)
        ensure_schema(self._db)
        self._opened(self._db)

    def _opened(self, db: Any) -> None:
        """Settings of a new connection (none by default)."""

    @property
    def db(self) -> Any:
        if self._db.closed or self._db.broken:
            self._db = _connect(self.url)
            self._opened(self._db)
        return self._db

    @contextlib.contextmanager
    def _write(self) -> Iterator[Any]:
        """A transaction on the connection, under the lock."""
        with self._lock:
            db = self.db
            with db.transaction():
                yield db

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _bump(db: Any) -> None:
    db.execute("UPDATE tr_changes SET n = n + 1")


class PgCatalog(_Store):
    """The catalog (`store.catalog.Catalog`'s protocol) in `tr_files`, plus the change counter."""

    def stats(self) -> dict[str, tuple[int, int, str, str]]:
        with self._lock:
            rows = self.db.execute("SELECT path, size, mtime_ns, hash, version FROM tr_files").fetchall()
        return {p: (s, m, h, v) for p, s, m, h, v in rows}

    def put(self, rows: Iterable[tuple[str, int, int, str, str, ArticleSummary]]) -> None:
        data = [
            (path, s.id, size, mtime, h, version, s.outlet, s.title, s.published, "\x1f".join(s.authors),
             s.story, s.words)
            for path, size, mtime, h, version, s in rows
        ]
        if not data:
            return
        with self._write() as db, db.cursor() as cur:
            cur.executemany(
                "INSERT INTO tr_files (path, id, size, mtime_ns, hash, version, outlet, title, published, "
                "authors, story, words) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                "ON CONFLICT (path) DO UPDATE SET id = excluded.id, size = excluded.size, "
                "mtime_ns = excluded.mtime_ns, hash = excluded.hash, version = excluded.version, "
                "outlet = excluded.outlet, title = excluded.title, published = excluded.published, "
                "authors = excluded.authors, story = excluded.story, words = excluded.words",
                [tuple(_text(v) for v in row) for row in data],
            )
            _bump(db)

    def remove(self, paths: Iterable[str]) -> None:
        paths = list(paths)
        if not paths:
            return
        with self._write() as db:
            db.execute("DELETE FROM tr_files WHERE path = ANY(%s)", (paths,))
            _bump(db)

    def set_stories(self, assignment: Mapping[str, str | None]) -> None:
        if not assignment:
            return
        with self._write() as db:
            db.execute(
                "UPDATE tr_files f SET story = a.story FROM unnest(%s::text[], %s::text[]) AS a(id, story) "
                "WHERE f.id = a.id AND f.story IS DISTINCT FROM a.story",
                (list(assignment), list(assignment.values())),
            )
            _bump(db)

    def ids(self) -> set[str]:
        with self._lock:
            return {r[0] for r in self.db.execute("SELECT id FROM tr_files")}

    def summaries(self) -> list[ArticleSummary]:
        with self._lock:
            rows = self.db.execute(
                "SELECT id, path, outlet, title, published, authors, story, words FROM tr_files"
            ).fetchall()
        return [
            ArticleSummary(aid, path, outlet, title, published, tuple(authors.split("\x1f")) if authors else (),
                           story, words)
            for aid, path, outlet, title, published, authors, story, words in rows
        ]

    def lookup(self, article_id: str) -> tuple[str, str, str] | None:
        with self._lock:
            row = self.db.execute(
                "SELECT path, hash, version FROM tr_files WHERE id = %s LIMIT 1", (article_id,)
            ).fetchone()
        return (row[0], row[1], row[2]) if row else None

    def with_hashes(self, hashes: Iterable[str]) -> dict[str, list[tuple[str, int, int]]]:
        """As `Catalog.with_hashes`: one query for all of `hashes` (tr_files_hash)."""
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, list[tuple[str, int, int]]] = {}
        if not wanted:
            return found
        with self._lock:
            rows = self.db.execute(
                "SELECT hash, path, size, mtime_ns FROM tr_files WHERE hash = ANY(%s) ORDER BY path", (wanted,)
            ).fetchall()
        for h, path, size, mtime in rows:
            found.setdefault(h, []).append((path, size, mtime))
        return found

    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self.db.execute("SELECT value FROM tr_meta WHERE key = %s", (f"catalog.{key}",)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self.db.execute("INSERT INTO tr_meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE "
                            "SET value = excluded.value", (f"catalog.{key}", value))  # fmt: skip

    def changes(self) -> int:
        """A number that grows with every change of the catalog (rows or stories): what a reader
        polls to notice what the worker added."""
        with self._lock:
            return int(self.db.execute("SELECT n FROM tr_changes").fetchone()[0])

    def wipe(self) -> None:
        """Forget every row (the archive is rebuilt from the worker's files next)."""
        with self._write() as db:
            db.execute("TRUNCATE tr_files, tr_passages, tr_search_articles")
            db.execute("DELETE FROM tr_meta WHERE key LIKE 'catalog.%%'")
            _bump(db)


def _text(value: Any) -> Any:
    """PostgreSQL text holds no NUL character: one becomes a space (offsets stay as they were)."""
    return value.replace("\x00", " ") if isinstance(value, str) and "\x00" in value else value


class PgSearch(_Store):
    """The search index (`store.index.SearchIndex`'s protocol): tsvector and trigram candidates,
    ranked by the local index's fuzzy ranker."""

    def _opened(self, db: Any) -> None:
        # How much of the query a passage's best-matching stretch must share, in trigrams: 0.35
        # lets "fery islnd" meet "the ferry to the island" (pg_trgm's default, 0.6, does not).
        db.execute(f"SET pg_trgm.word_similarity_threshold = {WORD_SIMILARITY}")

    def add_many(self, items: Iterable[tuple[Article, str | None, str | None, str | None, Sequence[Quote]]]) -> int:
        latest: dict[str, tuple[Article, str | None, str | None, str | None, Sequence[Quote]]] = {}
        for item in items:
            latest[item[0].id] = item  # the same article twice: the last one wins
        if not latest:
            return 0
        with self._write() as db, db.cursor() as cur:
            cur.execute("DELETE FROM tr_search_articles WHERE id = ANY(%s)", (list(latest),))
            cur.executemany(
                "INSERT INTO tr_search_articles (id, outlet, outlet_key, story, published) "
                "VALUES (%s, %s, %s, %s, %s) RETURNING key",
                [(aid, _text(outlet), outlet.casefold().strip() if outlet else None, story, published)
                 for aid, (_a, outlet, story, published, _q) in latest.items()],
                returning=True,
            )
            keys = []
            while True:
                keys.append(cur.fetchone()[0])
                if not cur.nextset():
                    break
            with cur.copy("COPY tr_passages (article, n, kind, start, stop, text) FROM STDIN") as copy:
                for key, (article, _o, _s, _p, quotes) in zip(keys, latest.values(), strict=True):
                    for n, (kind, start, stop, text) in enumerate(_passages(article, quotes)):
                        copy.write_row((key, n, kind, start, stop, _text(text)))
        return len(latest)

    def remove_article(self, article_id: str) -> None:
        with self._lock:  # passages go with their article (ON DELETE CASCADE), in the one statement
            self.db.execute("DELETE FROM tr_search_articles WHERE id = %s", (article_id,))

    def set_stories(self, assignment: Mapping[str, str | None]) -> None:
        if not assignment:
            return
        with self._write() as db:
            db.execute(
                "UPDATE tr_search_articles s SET story = a.story "
                "FROM unnest(%s::text[], %s::text[]) AS a(id, story) "
                "WHERE s.id = a.id AND s.story IS DISTINCT FROM a.story",
                (list(assignment), list(assignment.values())),
            )

    def article_ids(self) -> set[str]:
        with self._lock:
            return {r[0] for r in self.db.execute("SELECT id FROM tr_search_articles")}

    def search(self, query: str, *, outlet: str | None = None, story: str | None = None, since: str | None = None,
               until: str | None = None, limit: int = 50) -> list[SearchHit]:  # fmt: skip
        """As `SearchIndex.search`: a quoted phrase must occur, loose words need not all occur,
        `outlet` matches a part of the name whatever the case, dates compare by prefix."""
        parsed = parse_query(query)
        if limit <= 0 or not (parsed.phrases or parsed.words):
            return []
        where, params = filter_sql(outlet, story, since, until, mark="%s", contains="strpos({column}, {mark}) > 0")
        with self._lock:
            rows = self._candidates(parsed, where, params)
        return _rank(parsed, rows, limit) if rows else []

    def _candidates(self, parsed: ParsedQuery, where: str, params: list[Any]) -> list[tuple]:
        """Rows (passage, article id, outlet, story, kind, start, end, text, score) to rank: the
        score is negative (lower is better), as the local index's bm25."""
        db = self.db
        columns = "(x.article << 20) | x.n, x.aid, x.outlet, x.story, x.kind, x.start, x.stop, x.text"
        inner = ("SELECT p.article, p.n, p.kind, p.start, p.stop, p.text, p.tsv, a.id AS aid, a.outlet, a.story "
                 "FROM tr_passages p JOIN tr_search_articles a ON a.key = p.article")
        filters = f" AND {where}" if where else ""
        found: dict[Any, tuple] = {}
        test = _phrase_test(parsed.phrases) if parsed.phrases else None
        phrases = [" <-> ".join(p) for p in parsed.phrases]
        tries = [" & ".join(f"({p})" for p in phrases)] if phrases else []
        if parsed.words and not phrases:
            tries = [" & ".join(parsed.words), " | ".join(parsed.words)]
        elif parsed.words:
            tries = [tries[0] + " & (" + " | ".join(parsed.words) + ")", tries[0]]
        if not db.execute("SELECT numnode(to_tsquery('english', %s))", [" | ".join(_all_tokens(parsed))]).fetchone()[0]:
            # Only words the English configuration leaves out ("the", "about the"): they are in
            # nearly every passage, so a scan finds enough of them at once.
            pattern = "|".join(r"\m" + r"\W+".join(p) + r"\M" for p in (parsed.phrases or [(w,) for w in parsed.words]))
            sql = f"SELECT {columns}, -1.0::float8 AS score FROM ({inner} WHERE p.text ~* %s{filters} LIMIT {CANDIDATES}) x"
            return [tuple(r) for r in db.execute(sql, [pattern, *params])]
        for expression in tries:
            # At most ROW_BUDGET matches are read, then ranked: a common word costs a bounded walk,
            # not a rank of every passage holding it.
            sql = (
                f"SELECT {columns}, -ts_rank(x.tsv, q) AS score FROM ({inner}, to_tsquery('english', %s) q "
                f"WHERE p.tsv @@ q{filters} LIMIT {ROW_BUDGET}) x, to_tsquery('english', %s) q "
                f"ORDER BY score LIMIT {CANDIDATES * (4 if test else 1)}"
            )
            for row in db.execute(sql, [expression, *params, expression]):
                if test is None or test(row[7]):
                    found.setdefault(row[0], row)
            if len(found) >= CANDIDATES:
                break
        words = " ".join(w for w in parsed.words if len(w) >= 4)
        if not found and words and not phrases:
            # No word matched as the stemmer reads it (a misspelling, another form): trigrams.
            sql = (
                f"SELECT {columns}, -word_similarity(%s, x.text) AS score FROM ({inner} "
                f"WHERE %s <%% p.text{filters}) x ORDER BY score LIMIT {TRIGRAM_CANDIDATES}"
            )
            for row in db.execute(sql, [words, words, *params]):
                found.setdefault(row[0], row)
        rows = sorted(found.values(), key=lambda r: (r[8], -r[4] if r[4] == QUOTE else 0))
        return rows[:CANDIDATES]


def _all_tokens(parsed: ParsedQuery) -> list[str]:
    return list(dict.fromkeys([*parsed.words, *(t for p in parsed.phrases for t in p)]))


def _ordered(value: Any) -> Any:
    """Tagged JSON with every plain object written as pairs: JSONB keeps no key order."""
    if isinstance(value, list):
        return [_ordered(v) for v in value]
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)).startswith("~"):
            (tag, inner), = value.items()
            return {tag: _ordered(inner)}
        if "~c" in value:
            return {"~c": value["~c"], "v": {k: _ordered(v) for k, v in value["v"].items()}}
        return {"~d": [[k, _ordered(v)] for k, v in value.items()]}
    return value


def _key(key: Any) -> bytes:
    return hashlib.blake2b(json.dumps(_encode(key), separators=(",", ":")).encode("utf-8"), digest_size=20).digest()


class PgDerived(_Store):
    """Derived values (`DerivedCache`'s protocol) in `tr_derived`: JSONB, bytea for what JSONB lacks."""

    def get(self, key: Any, default: Any = None) -> Any:
        with self._lock:
            row = self.db.execute("SELECT value, raw FROM tr_derived WHERE key = %s", (_key(key),)).fetchone()
        if row is None:
            return default
        value, raw = row
        if raw is not None:
            return loads(raw)
        try:
            return _decode(value)
        except (TypeError, ValueError, KeyError) as exc:
            raise NotPlainData(f"damaged entry: {exc}") from exc

    def set(self, key: Any, value: Any) -> bool:
        from psycopg.types.json import Jsonb

        encoded = _ordered(_encode(value))
        text = json.dumps(encoded, separators=(",", ":"))
        jsonb, raw = (None, dumps(value)) if "\\u0000" in text else (Jsonb(encoded, dumps=lambda _v: text), None)
        with self._lock:  # one statement: atomic in autocommit, one round trip
            self.db.execute("INSERT INTO tr_derived (key, value, raw) VALUES (%s, %s, %s) ON CONFLICT (key) DO UPDATE "
                            "SET value = excluded.value, raw = excluded.raw", (_key(key), jsonb, raw))  # fmt: skip
        return True

    def delete(self, key: Any) -> bool:
        with self._lock:
            return self.db.execute("DELETE FROM tr_derived WHERE key = %s", (_key(key),)).rowcount > 0

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return self.db.execute("SELECT 1 FROM tr_derived WHERE key = %s", (_key(key),)).fetchone() is not None


class PostgresStores:
    """The backend of a shared archive at `url` (postgresql://user@host:port/database).

    `worker`: this process writes the archive from its library folder (`tuireader refresh --store`,
    `tuireader scan --store`); otherwise it is a reader, which never scans its own folder into the
    archive and follows the worker's changes instead (see `Library.scan`).
    """

    shared = True

    def __init__(self, url: str, *, worker: bool = False) -> None:
        self.url = url
        self.worker = worker

    def catalog(self, state_dir: Path) -> PgCatalog:
        return PgCatalog(self.url)

    def search_index(self, state_dir: Path) -> PgSearch:
        return PgSearch(self.url)

    def derived(self, cache_dir: Path) -> PgDerived:
        return PgDerived(self.url)


__all__ = ["PgCatalog", "PgDerived", "PgSearch", "PostgresStores", "ensure_schema"]
