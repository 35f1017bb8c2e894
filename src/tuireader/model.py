"""The values that flow between the layers.

Everything here is a frozen dataclass built from plain Python types, so a value can be cached
(pickled by diskcache), compared in tests and turned into the CLI's JSON without adapters.
Offsets (`start`, `end`) are always character offsets into an article's cleaned `text`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

MatchKind = Literal["verbatim", "altered", "unquoted"]


class SourceError(Exception):
    """An input that cannot become an article or a subscription; str() is one line naming it.

    Defined here, not in sources/, because cleaning raises it too (a page with no article) and the
    CLI and the reader catch it without reaching into the sources."""


class AnalysisUnavailable(RuntimeError):
    """The analysis cannot run here (no English spaCy model installed); str() says what to do.

    The CLI and the reader catch it to show articles without their highlights instead of failing."""


@dataclass(frozen=True, slots=True)
class FeedStatus:
    """One subscription as `feeds list` shows it: what the user subscribed to and how it fares."""

    url: str
    outlet: str | None = None
    title: str | None = None
    html_url: str | None = None
    category: str | None = None
    last_ok: str | None = None  # ISO time of the last successful read
    error: str | None = None  # why the last read failed, while it keeps failing


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
    declared_in: dict[str, str] = field(default_factory=dict)  # field -> "header" or "sidecar"


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

    `kind` is one of "quantity", "month", "date", "time", "money", "count", "percent", "age",
    "duration"; `value` is a comparable
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
    """One step of a word-level diff: op is "equal", "insert", "delete" or "replace".

    `a`/`b` are the words as written; `a_start`..`b_end` are character offsets of those words in
    the two texts compared (an empty side has start == end, at the place the words would be).
    """

    op: str
    a: str
    b: str
    a_start: int = 0
    a_end: int = 0
    b_start: int = 0
    b_end: int = 0


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


#: How a quote travelled, most telling first: what every view paints when a quote has several
#: matches (carried verbatim somewhere beats altered, which beats reported without marks).
TRAVEL_PRECEDENCE: tuple[MatchKind, ...] = ("verbatim", "altered", "unquoted")


@dataclass(frozen=True, slots=True)
class LinkedQuote:
    """A quote with at most one match per other version (the best)."""

    quote: Quote
    matches: tuple[QuoteMatch, ...] = ()

    @property
    def travel(self) -> str:
        """The quote's kind by `TRAVEL_PRECEDENCE`, or "solo" when no other version carries it."""
        kinds = {m.kind for m in self.matches}
        return next((k for k in TRAVEL_PRECEDENCE if k in kinds), "solo")


@dataclass(frozen=True, slots=True)
class QuotedElsewhere:
    """One other version's quotation of a passage this version reports without quotation marks."""

    article: str
    outlet: str | None
    score: float  # 0..100
    text: str  # the quote as that version has it
    start: int  # offsets into that version's text
    end: int
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class ReportedQuote:
    """A passage of this version that other versions quote: reported here without quotation marks."""

    start: int
    end: int
    text: str
    quoted_by: tuple[QuotedElsewhere, ...] = ()


PairKind = Literal["same", "reworded"]


@dataclass(frozen=True, slots=True)
class SentencePair:
    """A sentence (or a few adjacent ones) of this version and its counterpart in `article`.

    `kind` is "same" when the words are identical (punctuation, case and quotation marks aside),
    else "reworded" with a word-level `diff` whose offsets point into both texts (`a` is this
    version). `score` (0..100) blends word and meaning similarity.
    """

    article: str
    outlet: str | None
    kind: PairKind
    score: float
    start: int  # this version's passage
    end: int
    other_start: int
    other_end: int
    diff: tuple[DiffOp, ...] = ()


@dataclass(frozen=True, slots=True)
class AlignedSentence:
    """One sentence of a version and its counterparts in the others (one pair per other version).

    No pairs means "only here": no other version of the story tells it.
    """

    start: int
    end: int
    pairs: tuple[SentencePair, ...] = ()

    @property
    def status(self) -> str:
        """"shared" (another version has it word for word), "reworded", or "only here"."""
        if any(p.kind == "same" for p in self.pairs):
            return "shared"
        return "reworded" if self.pairs else "only here"


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
    #: Versions of the story that do not state the fact at all.
    absent: tuple[str, ...] = ()
    #: "outlets" (versions of different outlets disagree) or "revisions" (one outlet's revisions).
    between: str = "outlets"

    #: The label with the distinct values, as the views show it: "residents evacuated: 1,200 / 1,500".
    summary: str = ""

    def __post_init__(self) -> None:
        if not self.summary:
            distinct: list[str] = []
            for v in self.values.values():
                if v.casefold() not in (d.casefold() for d in distinct):
                    distinct.append(v)
            object.__setattr__(self, "summary", f"{self.what}: {' / '.join(distinct)}")


@dataclass(frozen=True, slots=True)
class Story:
    id: str
    title: str
    articles: tuple[str, ...]
    outlets: tuple[str, ...]
    first_published: str | None
    last_published: str | None
    discrepancies: tuple[Discrepancy, ...] = ()
    follows: str | None = None  # the earlier story this one continues (arrest, charges, trial)


@dataclass(frozen=True, slots=True)
class ArticleView:
    """Everything the reader shows for one article: the article, its links into its story."""

    article: Article
    story: Story | None
    entities: tuple[LinkedEntity, ...] = ()
    quotes: tuple[LinkedQuote, ...] = ()
    #: Passages other versions quote that this one reports without quotation marks.
    reported: tuple[ReportedQuote, ...] = ()
    #: Every sentence of the article with its counterparts in the other versions.
    sentences: tuple[AlignedSentence, ...] = ()


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
    """The story alignment: every version compared with every other (analysis.link)."""

    quotes: dict[str, tuple[LinkedQuote, ...]] = field(default_factory=dict)
    entities: dict[str, tuple[LinkedEntity, ...]] = field(default_factory=dict)
    discrepancies: tuple[Discrepancy, ...] = ()
    reported: dict[str, tuple[ReportedQuote, ...]] = field(default_factory=dict)
    sentences: dict[str, tuple[AlignedSentence, ...]] = field(default_factory=dict)

    def pairs_between(self, a: str, b: str) -> tuple[SentencePair, ...]:
        """The aligned sentence pairs of version `a` with version `b`, in the order of `a`."""
        return tuple(p for s in self.sentences.get(a, ()) for p in s.pairs if p.article == b)


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
    label: str = ""  # how the version is named on screen (tuireader.labels); set by the Library
    #: How many revisions of the article the library holds (1: never revised); the summary is the
    #: latest one's, the superseded ones are kept but hidden (see `Library.revisions`).
    revisions: int = 1


@dataclass(frozen=True, slots=True)
class Revision:
    """One stored revision of an article (`tuireader revisions`): `number` 1 is the first file,
    `changed` the words changed since the revision before (None for the first); `discrepancies`
    the facts it states differently from the revision before (`Library.revision_discrepancies`,
    each with `between="revisions"`, values of the earlier revision first)."""

    number: int
    article: str  # the revision's article id (its file's stem)
    fetched: str | None
    words: int
    changed: int | None = None
    discrepancies: tuple[Discrepancy, ...] = ()
