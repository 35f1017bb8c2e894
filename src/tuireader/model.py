"""The values that flow between the layers.

Everything here is a frozen dataclass built from plain Python types, so a value can be cached
(pickled by diskcache), compared in tests and turned into the CLI's JSON without adapters.
Offsets (`start`, `end`) are always character offsets into an article's cleaned `text`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

MatchKind = Literal["verbatim", "altered", "unquoted"]


@dataclass(frozen=True, slots=True)
class RawDocument:
    """One file of the library folder, decoded but not cleaned.

    `declared` holds what the file itself (or its sidecar) states about the article: `outlet`, `url`,
    `published`, `title`, `feed`, `fetched`. The cleaner treats it as the most trusted source.
    """

    id: str
    path: str
    kind: Literal["text", "html"]
    body: str
    content_hash: str
    encoding: str = "utf-8"
    declared: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DateSeen:
    """A date found in or about a document, with the line it came from."""

    value: str  # ISO date or date-time
    source: str  # e.g. "line 'Posted at 6:51 PM, Jun 09, 2023'" or "header: date"
    role: Literal["publication", "banner", "other"] = "other"


@dataclass(frozen=True, slots=True)
class Article:
    """A cleaned article: body paragraphs apart from captions, plus metadata with provenance.

    `provenance` maps a metadata field name ("title", "outlet", "published", "authors", "wire",
    "dateline", "tags", "language", "url") to a short human sentence saying where the value came from.
    """

    id: str
    path: str
    content_hash: str
    title: str
    paragraphs: tuple[str, ...]
    captions: tuple[str, ...] = ()
    outlet: str | None = None
    url: str | None = None
    published: str | None = None
    dates_seen: tuple[DateSeen, ...] = ()
    authors: tuple[str, ...] = ()
    wire: str | None = None
    dateline: str | None = None
    tags: tuple[str, ...] = ()
    language: str | None = None
    provenance: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The cleaned body: paragraphs joined by blank lines. All offsets point into this."""
        return "\n\n".join(self.paragraphs)

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)

    @property
    def reading_minutes(self) -> int:
        """Minutes at 230 words a minute, at least one for any non-empty article."""
        w = self.words
        return max(1, round(w / 230)) if w else 0


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity occurrence. `key` is the normalised identity used to meet across outlets."""

    text: str
    label: str
    key: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation. `start`/`end` cover the quoted words (without the marks).

    `closed` is False when the closing mark was lost and the end was inferred; `partial` marks a
    quoted fragment inside a reported sentence ("was 'expanding'"). `text` is text[start:end], so for
    an interrupted quote it includes the attribution between its `parts`.
    """

    text: str
    speaker: str | None
    start: int
    end: int
    speaker_key: str | None = None
    partial: bool = False
    closed: bool = True
    #: The quoted fragments of a quote interrupted by its attribution ("Q1," she said, "Q2."), in
    #: order and without their marks; empty for a quote in one piece. `start`/`end` is their extent.
    parts: tuple[tuple[int, int], ...] = ()
    #: Where the attribution names the speaker ("she", "the judge", "John Kirby"), as written;
    #: `speaker`/`speaker_key` is who that mention resolves to. None when no attribution was found.
    speaker_start: int | None = None
    speaker_end: int | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    """A number, quantity, month or date stated in the text, for discrepancy checks.

    `kind` is one of "quantity", "month", "date", "time", "money", "count"; `value` is a comparable
    normal form (e.g. kilometres as a float, or "2023-04"); `topic` is the few content words around it
    that say what it measures, so two articles' figures about the same thing can be paired.
    """

    kind: str
    text: str
    value: float | str | None
    unit: str | None
    start: int
    end: int
    topic: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ArticleAnalysis:
    """What one article holds on its own, before it is compared with other versions."""

    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True, slots=True)
class DiffOp:
    """One step of a word-level diff: op is "equal", "insert", "delete" or "replace"."""

    op: str
    a: str
    b: str


@dataclass(frozen=True, slots=True)
class QuoteMatch:
    """Where a quote's words appear in another version, and how they travelled."""

    article: str
    outlet: str | None
    kind: MatchKind
    score: float  # 0..100
    text: str
    start: int
    end: int
    diff: tuple[DiffOp, ...] = ()


@dataclass(frozen=True, slots=True)
class LinkedQuote:
    quote: Quote
    matches: tuple[QuoteMatch, ...] = ()


@dataclass(frozen=True, slots=True)
class EntityOccurrence:
    """Where an entity (by key) appears in another version."""

    article: str
    outlet: str | None
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class LinkedEntity:
    entity: Entity
    outlets: tuple[str, ...] = ()  # other outlets of the story that mention the same key
    elsewhere: tuple[EntityOccurrence, ...] = ()


@dataclass(frozen=True, slots=True)
class Discrepancy:
    """The same fact stated differently: `values` maps article id to the words it uses."""

    what: str
    values: dict[str, str]
    kind: str = "quantity"
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    title: str
    articles: tuple[str, ...]
    outlets: tuple[str, ...]
    first_published: str | None
    last_published: str | None
    discrepancies: tuple[Discrepancy, ...] = ()


@dataclass(frozen=True, slots=True)
class ArticleView:
    """Everything the reader shows for one article: the article, its links into its story."""

    article: Article
    story: Story | None
    entities: tuple[LinkedEntity, ...] = ()
    quotes: tuple[LinkedQuote, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchHit:
    article: str
    outlet: str | None
    story: str | None
    text: str
    score: float
    start: int
    end: int
    kind: Literal["sentence", "quote"] = "sentence"


@dataclass(frozen=True, slots=True)
class Problem:
    """One input that failed, in one line: `where` names the file or URL."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def to_jsonable(value: Any) -> Any:
    """Dataclasses to dicts (recursively), tuples to lists: the CLI's JSON form."""
    if hasattr(value, "__dataclass_fields__"):
        return {k: to_jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {k: to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class StoryLinks:
    """The result of comparing the versions of one story with each other (analysis.align)."""

    quotes: dict[str, tuple[LinkedQuote, ...]] = field(default_factory=dict)
    entities: dict[str, tuple[LinkedEntity, ...]] = field(default_factory=dict)
    discrepancies: tuple[Discrepancy, ...] = ()


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """One row of `tuireader list`: cheap to compute, cached in the catalog."""

    id: str
    path: str
    outlet: str | None
    title: str
    published: str | None
    authors: tuple[str, ...]
    story: str | None
    words: int
