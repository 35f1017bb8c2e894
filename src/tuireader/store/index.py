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

Speed at scale comes from bounding the work FTS5 does per query, whatever the words (at 100,000
articles, three million passages, a common word matches a million of them):

* each content word's frequency is probed with a capped count, and only words rare enough to fit
  `ROW_BUDGET` enter the OR ranked by bm25;
* when every word is common, all of them are required and the newest matches are taken (no bm25:
  its IDF step alone would walk every match);
* a phrase is looked up by its rare words and checked in Python, because FTS5 evaluates a phrase
  holding "the" or "to" by seeking through that word's posting list;
* a filter that leaves few articles (a story) walks their passages directly; a broader one (an
  outlet, a date range) is tested on FTS5 rowids, which carry the article key in their high bits.
"""

from __future__ import annotations

import contextlib
import functools
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from tuireader.model import Article, Quote, SearchHit
from tuireader.text.units import STOPWORDS, sentence_spans

INDEX_VERSION = 3

SENTENCE, QUOTE = 0, 1
_KIND_NAMES = {SENTENCE: "sentence", QUOTE: "quote"}

# How many candidates FTS5 hands to the fuzzy ranker, and how many index rows one query may rank.
CANDIDATES = 300
ROW_BUDGET = 8_000
# Below this many matching articles a filter is applied first and the text match second.
SMALL_FILTER = 200
MAX_QUERY_TERMS = 12
# A passage's rowid carries its article's key in the high bits, so FTS5 rowids can be filtered by
# article without a lookup per row (filters by outlet, story or date stay cheap on big libraries).
PASSAGE_BITS = 20
_MAX_PASSAGES = (1 << PASSAGE_BITS) - 1
MAX_QUERY_CHARS = 500  # a pasted paragraph is ranked by its beginning
# Articles handed to FTS5 at once by add_many (bounds memory, keeps the bulk insert fast).
_CHUNK = 500

# Function words carry no topic; leaving them out of the OR keeps candidate sets small and on-topic.
# (They still count in the fuzzy ranking, which sees the whole query.)
_STOPWORDS = STOPWORDS

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
    id INTEGER PRIMARY KEY,  -- (article key << PASSAGE_BITS) | passage number
    kind INTEGER NOT NULL,
    start INTEGER NOT NULL,
    stop INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    text, content='passages', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
);
"""

_COLUMNS = "p.id, a.id, a.outlet, a.story, p.kind, p.start, p.stop, p.text"
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
    text = " ".join([" ".join(p) for p in phrases] + lowered)[:MAX_QUERY_CHARS]
    return ParsedQuery(text=text, phrases=tuple(phrases), words=words)


def _passage_range(key: int) -> tuple[int, int]:
    return key << PASSAGE_BITS, (key << PASSAGE_BITS) | _MAX_PASSAGES


def _fts_phrase(tokens: Sequence[str]) -> str:
    return '"' + " ".join(tokens).replace('"', '""') + '"'


def _passages(article: Article, quotes: Sequence[Quote]) -> list[tuple[int, int, int, str]]:
    """The rows one article contributes: (kind, start, end, text) for sentences, then quotes."""
    text = article.text
    rows = [(SENTENCE, s, e, text[s:e]) for s, e in sentence_spans(text)]
    seen: set[tuple[int, int]] = set()
    for q in quotes:
        if not 0 <= q.start < q.end <= len(text):
            continue  # offsets that do not fit the text cannot be shown; the sentences still match
        start, end, words = q.start, q.end, text[q.start : q.end]
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
        # Set when the file was unusable and was set aside: a line for the user (the Library
        # shows it and re-adds the articles it finds missing).
        self.damaged: str | None = None
        try:
            self._db = self._connect()
            self._setup()
        except sqlite3.DatabaseError as exc:
            # Not a database (a crash mid-copy, a stray file): the index is derived data, so it is
            # set aside (renamed, not deleted: see store.recovery) and started afresh.
            from tuireader.store.recovery import is_damage, set_aside

            if not is_damage(exc):
                raise
            with contextlib.suppress(Exception):
                self._db.close()
            moved = set_aside(self.path)
            self.damaged = f"{self.path}: the search index was damaged ({exc}); set aside as {moved.name if moved else '-'}"
            self._db = self._connect()
            self._setup()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout=5000")
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA temp_store=MEMORY")
            db.execute("PRAGMA cache_size=-32000")
        except sqlite3.Error:
            db.close()
            raise
        return db

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
        for trigger in ("passages_ai", "passages_ad"):  # version 1 kept the FTS table in step by triggers
            self._db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        for table in _TABLES:
            self._db.execute(f"DROP TABLE IF EXISTS {table}")
        self._db.execute("COMMIT")

    # -- writing --------------------------------------------------------------------------------

    def _delete(self, article_id: str) -> None:
        """Remove an article's rows; the FTS5 entries go first, as they need the indexed text."""
        row = self._db.execute("SELECT key FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return
        first, last = _passage_range(row[0])
        self._db.execute(
            "INSERT INTO passages_fts(passages_fts, rowid, text) "
            "SELECT 'delete', id, text FROM passages WHERE id BETWEEN ? AND ?",
            (first, last),
        )
        self._db.execute("DELETE FROM passages WHERE id BETWEEN ? AND ?", (first, last))
        self._db.execute("DELETE FROM articles WHERE key = ?", (row[0],))

    def _insert_chunk(
        self, chunk: list[tuple[Article, str | None, str | None, str | None, Sequence[Quote]]]
    ) -> None:
        """Replace a chunk of articles. Passages are inserted first and handed to FTS5 in one
        `INSERT ... SELECT` (several times faster than a row at a time, e.g. from a trigger)."""
        latest = {item[0].id: item for item in chunk}  # the same article twice: the last one wins
        for article_id in latest:
            self._delete(article_id)
        passages: list[tuple[int, int, int, int, str]] = []
        first_key: int | None = None
        for article, outlet, story, published, quotes in latest.values():
            outlet_key = outlet.casefold().strip() if outlet else None
            cur = self._db.execute(
                "INSERT INTO articles(id, outlet, outlet_key, story, published) VALUES (?, ?, ?, ?, ?)",
                (article.id, outlet, outlet_key, story, published),
            )
            key = cur.lastrowid
            first_key = key if first_key is None else first_key
            base = key << PASSAGE_BITS
            rows = _passages(article, quotes)[:_MAX_PASSAGES]
            passages.extend((base + n, kind, s, e, t) for n, (kind, s, e, t) in enumerate(rows))
        if first_key is None:
            return
        self._db.executemany(
            "INSERT INTO passages(id, kind, start, stop, text) VALUES (?, ?, ?, ?, ?)", passages
        )
        # New article keys are above every remaining one, so this selects exactly the new passages.
        self._db.execute(
            "INSERT INTO passages_fts(rowid, text) SELECT id, text FROM passages WHERE id >= ?",
            (first_key << PASSAGE_BITS,),
        )

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
                chunk: list[tuple[Article, str | None, str | None, str | None, Sequence[Quote]]] = []
                for item in items:
                    chunk.append(item)
                    if len(chunk) >= _CHUNK:
                        self._insert_chunk(chunk)
                        count += len(chunk)
                        chunk = []
                if chunk:
                    self._insert_chunk(chunk)
                    count += len(chunk)
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

    def set_stories(self, assignment: Mapping[str, str | None]) -> None:
        """Record the stories articles joined, in one transaction (cheap: passages refer to the
        article row, so no passage is rewritten)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "UPDATE articles SET story = ? WHERE id = ? AND story IS NOT ?",
                    [(story, aid, story) for aid, story in assignment.items()],
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise

    def article_ids(self) -> set[str]:
        with self._lock:
            return {row[0] for row in self._db.execute("SELECT id FROM articles")}

    def close(self) -> None:
        with self._lock:
            with contextlib.suppress(sqlite3.Error):
                self._db.execute("PRAGMA optimize")
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
        words need not all occur. `outlet` matches case-insensitively, a whole name or part of one; `since`/`until` are ISO dates
        (or date-times) compared by prefix, so `until="2023-06-09"` includes that whole day.
        """
        parsed = parse_query(query)
        if limit <= 0 or not (parsed.phrases or parsed.words):
            return []
        where, params = filter_sql(outlet, story, since, until)
        with self._lock:
            rows = self._candidates(parsed, where, params)
        if not rows:
            return []
        return _rank(parsed, rows, limit)

    def _count(self, match: str, cap: int) -> int:
        """How many passages match, counting no further than `cap` (cheap: rowids only)."""
        sql = "SELECT count(*) FROM (SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? LIMIT ?)"
        return self._db.execute(sql, (match, cap)).fetchone()[0]

    def _plan(self, parsed: ParsedQuery) -> tuple[str, str]:
        """Choose the FTS5 expression for the candidates and how to read its matches.

        Modes: "rank" orders every match by bm25 (affordable because the words' frequencies were
        probed and only rare ones kept); "recent" reads the newest `CANDIDATES` matches (when every
        word is common, any of them is as good a candidate as another); "verify" asks FTS5 only for the rare
        words of a phrase and checks the phrase itself in Python, because FTS5 evaluates a phrase
        holding a very common word ("to", "the") by walking that word's huge posting list.
        """
        if parsed.phrases:
            tokens = list(dict.fromkeys(t for p in parsed.phrases for t in p))
            frequency = {t: self._count(_fts_phrase([t]), ROW_BUDGET + 1) for t in tokens}
            if not all(frequency.values()):
                return "", "rank"  # a word of the phrase occurs nowhere
            rare = sorted((t for t in tokens if frequency[t] <= ROW_BUDGET), key=frequency.__getitem__)
            if rare:
                return " AND ".join(_fts_phrase([t]) for t in rare[:3]), "verify"
            return " AND ".join(_fts_phrase(p) for p in parsed.phrases), "recent"
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
            return " OR ".join(_fts_phrase([w]) for w in chosen), "rank"
        # Every word is common: require all of them (the intersection is usually small).
        present = [w for w in parsed.words if frequency[w]]
        return " AND ".join(_fts_phrase([w]) for w in present), "recent"

    def _candidates(self, parsed: ParsedQuery, where: str, params: list[object]) -> list[tuple]:
        """Rows `(passage id, article id, outlet, story, kind, start, end, text, bm25)` to rank."""
        if where:
            keys = self._small_filter(where, params)
            if keys is not None:
                return self._scan_articles(parsed, keys)
        match, mode = self._plan(parsed)
        if not match:
            return []
        # Only rowids and scores come out of FTS5; the winners' rows are fetched afterwards.
        allowed = (
            f"AND (rowid >> {PASSAGE_BITS}) IN (SELECT a.key FROM articles a WHERE {where})" if where else ""
        )
        scored = (
            "SELECT rowid AS rid, bm25(passages_fts) AS score FROM passages_fts "
            f"WHERE passages_fts MATCH ? {allowed}"
        )
        if mode == "rank":
            inner = f"{scored} ORDER BY score LIMIT ?"
            args = [match, *params, CANDIDATES]
        else:
            # No bm25 here: its first call counts every match of every phrase (for the IDF), which
            # for a common word is the very cost being avoided. The fuzzy ranker orders these.
            inner = (
                f"SELECT rowid AS rid, -1.0 AS score FROM passages_fts WHERE passages_fts MATCH ? {allowed} "
                "ORDER BY rowid DESC LIMIT ?"
            )
            # "verify" reads every match (at most ROW_BUDGET); "recent" the newest CANDIDATES.
            args = [match, *params, ROW_BUDGET if mode == "verify" else CANDIDATES]
        sql = (
            f"SELECT {_COLUMNS}, f.score FROM ({inner}) f "
            f"JOIN passages p ON p.id = f.rid JOIN articles a ON a.key = (p.id >> {PASSAGE_BITS})"
        )
        cursor = self._db.execute(sql, args)
        if mode != "verify":
            return cursor.fetchall()
        # Newest first, and only until enough passages hold the phrase: rows are read lazily.
        test = _phrase_test(parsed.phrases)
        found: list[tuple] = []
        for row in cursor:
            if test(row[7]):
                found.append(row)
                if len(found) >= CANDIDATES:
                    break
        cursor.close()
        return found

    def _small_filter(self, where: str, params: list[object]) -> list[int] | None:
        """The keys of the articles passing the filter, or None when there are too many to walk."""
        sql = f"SELECT a.key FROM articles a WHERE {where} LIMIT ?"
        keys = [r[0] for r in self._db.execute(sql, [*params, SMALL_FILTER + 1])]
        return keys if len(keys) <= SMALL_FILTER else None

    def _scan_articles(self, parsed: ParsedQuery, keys: list[int]) -> list[tuple]:
        """Match the passages of a few articles in Python (FTS5 is slow at testing single rows).

        The words are compared after the same folding on both sides (case, accents, a light
        suffix strip), close to what the FTS5 porter tokenizer does for the unfiltered search.
        """
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        sql = (
            f"SELECT {_COLUMNS} FROM articles a JOIN passages p "
            f"ON p.id BETWEEN (a.key << {PASSAGE_BITS}) AND ((a.key << {PASSAGE_BITS}) | {_MAX_PASSAGES}) "
            f"WHERE a.key IN ({marks})"
        )
        words = {_stem(_fold(w)) for w in parsed.words}
        phrase_test = _phrase_test(parsed.phrases) if parsed.phrases else None
        found: list[tuple] = []
        for row in self._db.execute(sql, keys):
            if phrase_test is not None:
                if not phrase_test(row[7]):
                    continue
                hits = len(parsed.phrases) + len(words.intersection(_tokens(row[7])))
            else:
                lowered = _lower_folded(row[7])
                # Stems are prefixes of the words they came from: a cheap test before tokenising.
                if not any(w in lowered for w in words):
                    continue
                hits = len(words.intersection(_tokens(row[7])))
            if hits:
                found.append((*row, -float(hits)))
                if len(found) >= 3 * CANDIDATES:  # enough to rank; bounds the cost of common words
                    break
        found.sort(key=lambda r: r[8])
        return found[:CANDIDATES]


def _fold(text: str) -> str:
    """Drop accents, as the FTS5 tokenizer's remove_diacritics does."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@functools.lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """Strip one common English ending, so "partnerships" meets "partnership" (after `_fold`)."""
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _lower_folded(text: str) -> str:
    lowered = text.lower()
    return lowered if lowered.isascii() else _fold(lowered)


def _tokens(text: str) -> list[str]:
    return [_stem(t) for t in _TOKEN.findall(_lower_folded(text))]


def _phrase_test(phrases: Sequence[Sequence[str]]) -> Callable[[str], bool]:
    """A test that a text holds every phrase as consecutive words (compared after `_stem`).

    A regular expression of the stems runs first: it is necessary for a match and rejects most
    texts without tokenising them.
    """
    stemmed = [tuple(_stem(_fold(t)) for t in p) for p in phrases]
    quick = [re.compile(r"[\W_]+".join(re.escape(t) + r"\w*" for t in p)) for p in stemmed]

    def test(text: str) -> bool:
        lowered = _lower_folded(text)
        if not all(q.search(lowered) for q in quick):
            return False
        tokens = [_stem(t) for t in _TOKEN.findall(lowered)]
        return all(_contains(tokens, p) for p in stemmed)

    return test


def _contains(tokens: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    first = phrase[0]
    return any(tokens[i : i + n] == list(phrase) for i, t in enumerate(tokens) if t == first)


def filter_sql(
    outlet: str | None, story: str | None, since: str | None, until: str | None, *, mark: str = "?",
    contains: str = "instr({column}, {mark}) > 0",
) -> tuple[str, list[object]]:
    """The WHERE conditions of a search's filters over the article table `a`, and their parameters.
    `mark` is the driver's placeholder and `contains` its substring test (SQLite's instr here; the
    PostgreSQL store passes "%s" and strpos), so both stores filter by one rule."""
    clauses: list[str] = []
    params: list[object] = []
    if outlet is not None and outlet.strip():
        # the whole name or a part of it ("scripps" finds "Scripps News"), whatever the case
        clauses.append(contains.format(column="a.outlet_key", mark=mark))
        params.append(" ".join(outlet.casefold().split()))
    if story is not None:
        clauses.append(f"a.story = {mark}")
        params.append(story)
    if since:
        clauses.append(f"a.published >= {mark}")
        params.append(since.strip())
    if until:
        clauses.append(f"a.published IS NOT NULL AND substr(a.published, 1, {mark}) <= {mark}")
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
    from rapidfuzz import fuzz, process

    pool = kept[: limit + 25]
    used = [False] * len(pool)
    texts = [item[3] for item in pool]
    out: list[tuple[float, int, tuple, str]] = []
    for i, leader in enumerate(pool):
        if used[i]:
            continue
        used[i] = True
        out.append(leader)
        a = leader[3]
        rest = {j: texts[j] for j in range(i + 1, len(pool)) if not used[j]}
        similar = process.extract(
            a, rest, scorer=fuzz.token_sort_ratio, processor=None, score_cutoff=75, limit=None
        )
        for _text, _score, j in sorted(similar, key=lambda m: m[2]):
            b = texts[j]
            if min(len(a), len(b)) >= 0.6 * max(len(a), len(b)):
                used[j] = True
                out.append(pool[j])
        if len(out) >= limit:
            break
    return out[:limit]
