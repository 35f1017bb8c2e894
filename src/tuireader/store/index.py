"""The search index: SQLite FTS5 finds candidate passages, rapidfuzz ranks them.

Why two stages: FTS5 answers "which of three million sentences share words with the query" in
milliseconds, but its bm25 score cannot tell that "a large-scale defense partnership that is
detrimental" is the same quote as "a full-scale defense partnership that is harmful". A fuzzy string
score can, but is far too slow to run over the whole library. So FTS5 proposes a few hundred
candidates (an OR of the query's content words, so reworded variants qualify) and rapidfuzz orders
them; passages that are variants of each other are then kept next to each other, because comparing
how outlets worded the same line is what the reader is for.

What is indexed: every sentence of an article's cleaned text, and every direct quotation (which may
span several sentences, or be part of one). Offsets are character offsets into `Article.text`.

The index is one SQLite file in WAL mode, so the reader can search while an ingest writes. It is
derived data: when `INDEX_VERSION` changes, the tables are dropped and the Library re-adds articles
(it sees them missing from `article_ids()`).

Speed at scale comes from bounding the work FTS5 does per query, whatever the words: each content
word's document frequency is probed with a capped count, and only words rare enough to fit a row
budget enter the OR. When every word is common, the query falls back to requiring all of them, and
when even that matches too much, to the most recent matches; either way a query touches at most a
few tens of thousands of index rows.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tuireader.model import Article, Quote, SearchHit
from tuireader.store.sentences import sentence_spans

INDEX_VERSION = 1

SENTENCE, QUOTE = 0, 1
_KIND_NAMES = {SENTENCE: "sentence", QUOTE: "quote"}

# How many candidates FTS5 hands to the fuzzy ranker, and how many index rows one query may rank.
CANDIDATES = 300
ROW_BUDGET = 20_000
# Below this many matching articles a filter is applied first and the text match second.
SMALL_FILTER = 400
MAX_QUERY_TERMS = 12

# Function words carry no topic; leaving them out of the OR keeps candidate sets small and on-topic.
# (They still count in the fuzzy ranking, which sees the whole query.)
_STOPWORDS = frozenset(
    """
    a an and are as at be been being but by can could did do does for from had has have he her hers
    him his i if in into is it its me my no nor not of on or our ours she should so than that the
    their them then there these they this those to too was we were what when where which who whom
    why will with would you your yours s t
    """.split()
)

_TOKEN = re.compile(r"[^\W_]+")
_PHRASE = re.compile(r"[\"“”„«»]([^\"“”„«»]*)[\"“”„«»]?")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles(
    key INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    outlet TEXT,
    outlet_key TEXT,
    story TEXT,
    published TEXT
);
CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet_key);
CREATE INDEX IF NOT EXISTS articles_story ON articles(story);
CREATE INDEX IF NOT EXISTS articles_published ON articles(published);
CREATE TABLE IF NOT EXISTS passages(
    id INTEGER PRIMARY KEY,
    article INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    start INTEGER NOT NULL,
    stop INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_article ON passages(article);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    text, content='passages', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS passages_ai AFTER INSERT ON passages BEGIN
    INSERT INTO passages_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER IF NOT EXISTS passages_ad AFTER DELETE ON passages BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
"""

_TABLES = ("passages_fts", "passages", "articles", "meta")


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query as the index understands it: quoted phrases (required) and loose words."""

    text: str  # the query without quotation marks, for fuzzy ranking
    phrases: tuple[tuple[str, ...], ...]
    words: tuple[str, ...]  # content words outside phrases, lower-case, de-duplicated


def parse_query(query: str) -> ParsedQuery:
    """Split a user's query into phrases and words, keeping only letters and digits.

    Only alphanumeric tokens ever reach FTS5, each wrapped in double quotes, so no input (`"`, `*`,
    `NEAR(`, `-`, `^`, `:`) can be read as FTS5 syntax: a query never raises, it just finds less.
    An unclosed quotation mark makes the rest of the query a phrase, as a user typing it means.
    """
    phrases: list[tuple[str, ...]] = []
    loose: list[str] = []
    pos = 0
    for m in _PHRASE.finditer(query):
        loose.extend(_TOKEN.findall(query[pos : m.start()]))
        tokens = tuple(t.lower() for t in _TOKEN.findall(m.group(1)))
        if tokens:
            phrases.append(tokens)
        pos = m.end()
    loose.extend(_TOKEN.findall(query[pos:]))
    lowered = [t.lower() for t in loose]
    content = [t for t in lowered if t not in _STOPWORDS]
    words = tuple(dict.fromkeys(content or lowered))[:MAX_QUERY_TERMS]
    text = " ".join([" ".join(p) for p in phrases] + lowered)
    return ParsedQuery(text=text, phrases=tuple(phrases), words=words)


def _fts_phrase(tokens: Sequence[str]) -> str:
    return '"' + " ".join(tokens).replace('"', '""') + '"'


def _passages(article: Article, quotes: Sequence[Quote]) -> list[tuple[int, int, int, str]]:
    """The rows one article contributes: (kind, start, end, text) for sentences, then quotes."""
    text = article.text
    rows = [(SENTENCE, s, e, text[s:e]) for s, e in sentence_spans(text)]
    seen: set[tuple[int, int]] = set()
    for q in quotes:
        if 0 <= q.start < q.end <= len(text):
            start, end, words = q.start, q.end, text[q.start : q.end]
        else:  # offsets that do not fit the text: still searchable, pointing at the whole article
            start, end, words = 0, 0, q.text
        if words.strip() and (start, end) not in seen:
            seen.add((start, end))
            rows.append((QUOTE, start, end, words))
    return rows


class SearchIndex:
    """Sentences and quotations of every article, searchable by words, phrases and filters.

    One connection guarded by a lock: the reader searches from a worker thread while the Library may
    add articles from another; SQLite's WAL lets other processes read meanwhile.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA temp_store=MEMORY")
        self._db.execute("PRAGMA cache_size=-32000")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._setup()

    # -- schema ---------------------------------------------------------------------------------

    def _setup(self) -> None:
        with self._lock:
            version = None
            try:
                row = self._db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
                version = row[0] if row else None
            except sqlite3.DatabaseError:
                version = None
            if version is not None and version != str(INDEX_VERSION):
                self._drop_all()
            self._db.executescript(_SCHEMA)
            self._db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('version', ?)", (str(INDEX_VERSION),)
            )

    def _drop_all(self) -> None:
        self._db.execute("BEGIN")
        for trigger in ("passages_ai", "passages_ad"):
            self._db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        for table in _TABLES:
            self._db.execute(f"DROP TABLE IF EXISTS {table}")
        self._db.execute("COMMIT")

    # -- writing --------------------------------------------------------------------------------

    def _delete(self, article_id: str) -> None:
        row = self._db.execute("SELECT key FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return
        self._db.execute("DELETE FROM passages WHERE article = ?", (row[0],))
        self._db.execute("DELETE FROM articles WHERE key = ?", (row[0],))

    def _insert(
        self,
        article: Article,
        outlet: str | None,
        story: str | None,
        published: str | None,
        quotes: Sequence[Quote],
    ) -> None:
        outlet_key = outlet.casefold().strip() if outlet else None
        cur = self._db.execute(
            "INSERT INTO articles(id, outlet, outlet_key, story, published) VALUES (?, ?, ?, ?, ?)",
            (article.id, outlet, outlet_key, story, published),
        )
        key = cur.lastrowid
        self._db.executemany(
            "INSERT INTO passages(article, kind, start, stop, text) VALUES (?, ?, ?, ?, ?)",
            [(key, kind, s, e, t) for kind, s, e, t in _passages(article, quotes)],
        )

    def add_article(
        self,
        article: Article,
        *,
        outlet: str | None,
        story: str | None,
        published: str | None,
        quotes: Sequence[Quote] = (),
    ) -> None:
        """Index one article, replacing whatever was indexed under its id before."""
        self.add_many([(article, outlet, story, published, quotes)])

    def add_many(
        self,
        items: Iterable[tuple[Article, str | None, str | None, str | None, Sequence[Quote]]],
    ) -> int:
        """Index many articles in one transaction (the bulk path of an ingest); returns how many.

        Either all of them are indexed or, on error, none: an interrupted ingest leaves the index as
        it was, and the Library re-adds what `article_ids()` lacks.
        """
        count = 0
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for article, outlet, story, published, quotes in items:
                    self._delete(article.id)
                    self._insert(article, outlet, story, published, quotes)
                    count += 1
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
        return count

    def remove_article(self, article_id: str) -> None:
        """Forget an article (its file left the library folder): its passages stop matching."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._delete(article_id)
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def set_story(self, article_id: str, story: str | None) -> None:
        """Record the story an article joined; cheap, because passages refer to the article row."""
        with self._lock:
            self._db.execute("UPDATE articles SET story = ? WHERE id = ?", (story, article_id))

    def article_ids(self) -> set[str]:
        with self._lock:
            return {row[0] for row in self._db.execute("SELECT id FROM articles")}

    def optimize(self) -> None:
        """Merge the FTS5 segments into one: slower once, faster searches after a big ingest."""
        with self._lock:
            self._db.execute("INSERT INTO passages_fts(passages_fts) VALUES ('optimize')")

    def close(self) -> None:
        with self._lock:
            try:
                self._db.execute("PRAGMA optimize")
            except sqlite3.Error:
                pass
            self._db.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- searching ------------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        outlet: str | None = None,
        story: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 50,
    ) -> list[SearchHit]:
        """Passages best matching `query`, reworded variants of one passage kept together.

        A quoted phrase must occur (as consecutive words, ignoring case and word endings); loose
        words need not all occur. `outlet` matches case-insensitively; `since`/`until` are ISO dates
        (or date-times) compared by prefix, so `until="2023-06-09"` includes that whole day.
        """
        parsed = parse_query(query)
        if limit <= 0 or not (parsed.phrases or parsed.words):
            return []
        where, params = _filter_sql(outlet, story, since, until)
        with self._lock:
            rows = self._candidates(parsed, where, params)
        if not rows:
            return []
        return _rank(parsed, rows, limit)

    def _count(self, match: str, cap: int) -> int:
        """How many passages match, counting no further than `cap` (cheap: rowids only)."""
        sql = "SELECT count(*) FROM (SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? LIMIT ?)"
        return self._db.execute(sql, (match, cap)).fetchone()[0]

    def _plan(self, parsed: ParsedQuery) -> tuple[str, bool]:
        """Choose the FTS5 expression for the candidates, and whether bm25 ordering is affordable."""
        if parsed.phrases:
            match = " AND ".join(_fts_phrase(p) for p in parsed.phrases)
            return match, self._count(match, ROW_BUDGET + 1) <= ROW_BUDGET
        frequency = {w: self._count(_fts_phrase([w]), ROW_BUDGET + 1) for w in parsed.words}
        chosen: list[str] = []
        total = 0
        for word in sorted(parsed.words, key=frequency.__getitem__):
            if frequency[word] == 0:
                continue
            if total + frequency[word] > ROW_BUDGET:
                break
            chosen.append(word)
            total += frequency[word]
        if chosen:
            return " OR ".join(_fts_phrase([w]) for w in chosen), True
        if not any(frequency.values()):
            return "", False
        # Every word is common: require all of them (the intersection is usually small).
        present = [w for w in parsed.words if frequency[w]]
        match = " AND ".join(_fts_phrase([w]) for w in present)
        return match, self._count(match, ROW_BUDGET + 1) <= ROW_BUDGET

    def _candidates(self, parsed: ParsedQuery, where: str, params: list[object]) -> list[tuple]:
        match, ranked = self._plan(parsed)
        if not match:
            return []
        cols = "p.id, a.id, a.outlet, a.story, p.kind, p.start, p.stop, p.text"
        if where and self._filter_is_small(where, params):
            # Few articles pass the filter: walk their passages and let FTS5 test each by rowid.
            sql = (
                f"SELECT {cols}, bm25(passages_fts) FROM articles a "
                "JOIN passages p ON p.article = a.key "
                "JOIN passages_fts ON passages_fts.rowid = p.id "
                f"WHERE {where} AND passages_fts MATCH ? ORDER BY 9 LIMIT ?"
            )
            return self._db.execute(sql, [*params, match, CANDIDATES]).fetchall()
        order = "passages_fts.rank" if ranked else "passages_fts.rowid DESC"
        filt = f"AND {where}" if where else ""
        sql = (
            f"SELECT {cols}, passages_fts.rank FROM passages_fts "
            "CROSS JOIN passages p ON p.id = passages_fts.rowid "
            "CROSS JOIN articles a ON a.key = p.article "
            f"WHERE passages_fts MATCH ? {filt} ORDER BY {order} LIMIT ?"
        )
        rows = self._db.execute(sql, [match, *params, CANDIDATES]).fetchall()
        if not ranked:  # recency order was used to bound the work; bm25 of the rows still ranks
            rows = [(*r[:8], -1.0) for r in rows]
        return rows

    def _filter_is_small(self, where: str, params: list[object]) -> bool:
        sql = f"SELECT count(*) FROM (SELECT 1 FROM articles a WHERE {where} LIMIT ?)"
        return self._db.execute(sql, [*params, SMALL_FILTER + 1]).fetchone()[0] <= SMALL_FILTER


def _filter_sql(
    outlet: str | None, story: str | None, since: str | None, until: str | None
) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if outlet is not None and outlet.strip():
        clauses.append("a.outlet_key = ?")
        params.append(outlet.casefold().strip())
    if story is not None:
        clauses.append("a.story = ?")
        params.append(story)
    if since:
        clauses.append("a.published >= ?")
        params.append(since.strip())
    if until:
        clauses.append("a.published IS NOT NULL AND substr(a.published, 1, ?) <= ?")
        params.extend([len(until.strip()), until.strip()])
    return " AND ".join(clauses), params


def _rank(parsed: ParsedQuery, rows: list[tuple], limit: int) -> list[SearchHit]:
    """Order candidates by fuzzy similarity to the query, then keep variants next to each other."""
    from rapidfuzz import fuzz, utils

    query = utils.default_process(parsed.text)
    best_bm25 = min((r[8] for r in rows), default=0.0) or -1.0  # bm25 is negative: lower is better
    scored: list[tuple[float, int, tuple, str]] = []
    for row in rows:
        text = utils.default_process(row[7])
        if not text:
            continue
        token = fuzz.token_set_ratio(query, text, processor=None)
        partial = fuzz.partial_ratio(query, text, processor=None)
        lexical = 100.0 * (row[8] / best_bm25) if row[8] < 0 else 0.0
        score = 0.45 * token + 0.40 * partial + 0.15 * lexical
        scored.append((score, row[4], row, text))
    # Higher score first; on ties a quotation before the sentence around it.
    scored.sort(key=lambda s: (-s[0], -s[1]))
    kept = _drop_overlaps(scored)
    ordered = _group_variants(kept, limit)
    return [
        SearchHit(
            article=row[1],
            outlet=row[2],
            story=row[3],
            text=row[7],
            score=round(score, 2),
            start=row[5],
            end=row[6],
            kind=_KIND_NAMES[row[4]],  # type: ignore[arg-type]
        )
        for score, _kind, row, _text in ordered
    ]


def _drop_overlaps(scored: list[tuple[float, int, tuple, str]]) -> list[tuple[float, int, tuple, str]]:
    """One hit per place in an article: a quote and the sentence holding it are the same find."""
    kept: list[tuple[float, int, tuple, str]] = []
    spans: dict[str, list[tuple[int, int]]] = {}
    for item in scored:
        row = item[2]
        article, start, end = row[1], row[5], row[6]
        taken = spans.setdefault(article, [])
        if end > start and any(s < end and start < e for s, e in taken):
            continue
        taken.append((start, end))
        kept.append(item)
    return kept


def _group_variants(
    kept: list[tuple[float, int, tuple, str]], limit: int
) -> list[tuple[float, int, tuple, str]]:
    """Pull each hit's reworded variants (from other articles) up behind it.

    A variant is a passage of similar length sharing most of its words; grouping only reorders the
    best `limit + 25` hits, so it costs a bounded number of comparisons.
    """
    from rapidfuzz import fuzz

    pool = kept[: limit + 25]
    used = [False] * len(pool)
    out: list[tuple[float, int, tuple, str]] = []
    for i, leader in enumerate(pool):
        if used[i]:
            continue
        used[i] = True
        out.append(leader)
        a = leader[3]
        for j in range(i + 1, len(pool)):
            if used[j]:
                continue
            b = pool[j][3]
            if min(len(a), len(b)) < 0.6 * max(len(a), len(b)):
                continue
            if fuzz.token_sort_ratio(a, b, processor=None) >= 75:
                used[j] = True
                out.append(pool[j])
        if len(out) >= limit:
            break
    return out[:limit]
