"""Pure presentation helpers: how Library answers are laid out on screen.

Nothing here parses or analyses article text. These functions take what the Library computed
(offsets, matches, diffs, summaries) and decide where it goes: which spans to paint in which style,
how lines wrap in terminal cells, how two versions' paragraphs line up in rows. Keeping them free of
Textual makes them easy to test and cheap to call from render paths.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from rich.cells import cell_len

from tuireader.labels import source_name  # noqa: F401 - re-exported for the widgets
from tuireader.model import ArticleSummary, ArticleView, DiffOp, LinkedQuote, SearchHit
from tuireader.safety import display_text  # noqa: F401 - re-exported for the widgets

# --- highlight layers -------------------------------------------------------------------------------

#: Layer keys in the order of their toggle keys (1..6), with the legend's words for each.
LAYERS: tuple[tuple[str, str, str], ...] = (
    ("entity", "names", "names also in other versions"),
    ("verbatim", "verbatim", "quote carried word for word elsewhere"),
    ("altered", "altered", "quote altered in another version"),
    ("unquoted", "unquoted", "quote reported without quotation marks elsewhere"),
    ("solo", "only here", "quote no other version carries"),
    ("discrepancy", "differs", "a fact other versions state differently"),
)
LAYER_KEYS = tuple(key for key, _short, _long in LAYERS)

#: The same looks as the text pane's component classes (tuireader.tcss), for legend and help lines.
LAYER_STYLE: dict[str, str] = {
    "entity": "underline $text-accent",
    "verbatim": "$foreground on $success-muted",
    "altered": "$foreground on $warning-muted",
    "unquoted": "$foreground on $secondary-muted",
    "solo": "italic $foreground-muted",  # $text-muted (auto) is not blended by Content: white
    "discrepancy": "bold underline $text-error",
}

HighlightKind = Literal["entity", "verbatim", "altered", "unquoted", "solo", "discrepancy"]


@dataclass(frozen=True, slots=True)
class Target:
    """A passage in another version that `v` can jump to."""

    article: str
    outlet: str | None
    start: int
    end: int
    kind: str  # verbatim / altered / unquoted / mention / differs
    text: str = ""


@dataclass(frozen=True, slots=True)
class Highlight:
    """One painted span of the article text, with the passages it links to."""

    start: int
    end: int
    kind: HighlightKind
    label: str  # short description for the status line and metadata pane
    targets: tuple[Target, ...] = ()
    quote: int | None = None  # index into ArticleView.quotes
    entity: int | None = None  # index into ArticleView.entities
    discrepancy: int | None = None  # index into Story.discrepancies
    reported: int | None = None  # index into ArticleView.reported
    stop: bool = True  # a Tab stop; later mentions of a name are painted and clickable, not stops


def _order_targets(targets: Iterable[Target], order: Sequence[str], current: str) -> tuple[Target, ...]:
    """Targets ordered as the versions follow the current one in the story (wrapping round)."""
    pos = {aid: i for i, aid in enumerate(order)}
    here = pos.get(current, -1)
    n = max(len(order), 1)

    def key(t: Target) -> tuple[int, int]:
        p = pos.get(t.article, n)
        return ((p - here - 1) % n if p < n else n, t.start)

    return tuple(sorted(targets, key=key))


def build_highlights(view: ArticleView, story_order: Sequence[str] = ()) -> list[Highlight]:
    """Every highlight the Library's view supports, sorted by position (all layers)."""
    article_id = view.article.id
    order = list(story_order) or (list(view.story.articles) if view.story else [])
    text_len = len(view.article.text)
    out: list[Highlight] = []
    for qi, lq in enumerate(view.quotes):
        q = lq.quote
        if not (0 <= q.start < q.end <= text_len):
            continue
        targets = _order_targets(
            (Target(m.article, m.outlet, m.start, m.end, m.kind, m.text) for m in lq.matches
             if m.article != article_id),
            order, article_id,
        )
        who = f"{q.speaker}: " if q.speaker else ""
        out.append(Highlight(q.start, q.end, lq.travel, f"quote, {who}“{_clip(q.text, 60)}”",  # type: ignore[arg-type]
                             targets, quote=qi))
    for ri, r in enumerate(view.reported):
        if not (0 <= r.start < r.end <= text_len):
            continue
        targets = _order_targets(
            (Target(x.article, x.outlet, x.start, x.end, "quoted", x.text) for x in r.quoted_by), order, article_id
        )
        names = ", ".join(dict.fromkeys(x.outlet or x.article for x in r.quoted_by))
        out.append(Highlight(r.start, r.end, "unquoted",
                             f"reported without quotation marks; quoted by {names}", targets, reported=ri))
    seen_entity_spans: set[tuple[int, int]] = set()
    first_mention: dict[str, int] = {}
    for ei, le in enumerate(view.entities):
        e = le.entity
        if not le.outlets or not (0 <= e.start < e.end <= text_len):
            continue
        if (e.start, e.end) in seen_entity_spans:
            continue
        seen_entity_spans.add((e.start, e.end))
        if e.key not in first_mention or e.start < first_mention[e.key]:
            first_mention[e.key] = e.start
        # One target per other version: its first mention, so `v` cycles outlets, not mentions.
        first: dict[str, Target] = {}
        for occ in le.elsewhere:
            if occ.article != article_id and occ.article not in first:
                first[occ.article] = Target(occ.article, occ.outlet, occ.start, occ.end, "mention", occ.text)
        out.append(Highlight(e.start, e.end, "entity", f"{_LABEL_WORDS.get(e.label, e.label.lower())} {e.text}",
                             _order_targets(first.values(), order, article_id), entity=ei))
    if view.story:
        for di, d in enumerate(view.story.discrepancies):
            span = d.spans.get(article_id)
            if not span or not (0 <= span[0] < span[1] <= text_len):
                continue
            targets = _order_targets(
                (Target(aid, None, s, e, "differs", d.values.get(aid, ""))
                 for aid, (s, e) in d.spans.items() if aid != article_id),
                order, article_id,
            )
            out.append(Highlight(span[0], span[1], "discrepancy", f"differs: {d.summary}", targets,
                                 discrepancy=di))
    out = [
        h if h.entity is None or first_mention.get(view.entities[h.entity].entity.key) == h.start
        else Highlight(h.start, h.end, h.kind, h.label, h.targets, entity=h.entity, stop=False)
        for h in out
    ]
    out.sort(key=lambda h: (h.start, -h.end, LAYER_KEYS.index(h.kind)))
    return out


_LABEL_WORDS = {
    "PERSON": "person",
    "ORG": "organisation",
    "GPE": "place",
    "LOC": "place",
    "NORP": "group",
    "FAC": "facility",
    "EVENT": "event",
    "PRODUCT": "product",
}


def tab_order(highlights: Sequence[Highlight]) -> list[int]:
    """Indexes of the Tab stops in the order Tab visits them: quotes, reported passages and
    differences in text order first, then the names (a story's text names dozens of people and
    places before its first quote; walking them first hid what the reader came for)."""
    stops = [i for i, h in enumerate(highlights) if h.stop] or list(range(len(highlights)))
    return [i for i in stops if highlights[i].kind != "entity"] + [i for i in stops if highlights[i].kind == "entity"]


def visible_highlights(highlights: Sequence[Highlight], layers: Mapping[str, bool]) -> list[Highlight]:
    return [h for h in highlights if layers.get(h.kind, True)]


def shared_quote_count(quotes: Iterable[LinkedQuote], article_id: str) -> int:
    """The list's badge: how many of an article's quotes another version also carries."""
    return sum(1 for lq in quotes if any(m.article != article_id for m in lq.matches))


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# --- wrapping in terminal cells -------------------------------------------------------------------


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of `text` to `width` cells, as (start, end) character offsets per line.

    Offsets (not strings) are returned so that highlights, clicks and scroll targets map between
    the article's character offsets and screen lines exactly. Widths are measured in cells, so
    wide characters (CJK, emoji) never overflow; trailing spaces are left off each line; hard
    newlines always break; a word longer than the line is cut by cells.
    """
    width = max(1, width)
    if text.isascii():
        return _wrap_narrow(text, width)
    lines: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    for hard in text.split("\n"):
        seg_start, seg_end = pos, pos + len(hard)
        pos = seg_end + 1
        if seg_start == seg_end:
            lines.append((seg_start, seg_start))
            continue
        line_start = seg_start
        line_cells = 0
        last_break: int | None = None  # index just after a space where the line may end
        i = seg_start
        while i < seg_end:
            ch = text[i]
            w = cell_len(ch)
            if ch == " ":
                if line_cells + w > width:
                    # The space itself overflows: end the line here, skip following spaces.
                    lines.append((line_start, _rstrip(text, line_start, i)))
                    while i < seg_end and text[i] == " ":
                        i += 1
                    line_start, line_cells, last_break = i, 0, None
                    continue
                line_cells += w
                i += 1
                last_break = i
                continue
            if line_cells + w > width and i > line_start:
                if last_break is not None and last_break > line_start:
                    lines.append((line_start, _rstrip(text, line_start, last_break)))
                    line_start = last_break
                else:
                    lines.append((line_start, i))
                    line_start = i
                last_break = None
                line_cells = cell_len(text[line_start:i])
                continue
            line_cells += w
            i += 1
        if line_start < seg_end or not lines:
            lines.append((line_start, _rstrip(text, line_start, seg_end)))
    return lines or [(0, n)]


_WORD = re.compile(r"[^ \n]+")


def _wrap_narrow(text: str, width: int) -> list[tuple[int, int]]:
    """`wrap_offsets` for text where every character is one cell (the common case), by words."""
    lines: list[tuple[int, int]] = []
    pos = 0
    for hard in text.split("\n"):
        seg_start, seg_end = pos, pos + len(hard)
        pos = seg_end + 1
        line_start = line_end = -1
        for m in _WORD.finditer(text, seg_start, seg_end):
            s, e = m.span()
            while e - s > width:  # a word longer than the line: cut it
                if line_start >= 0:
                    lines.append((line_start, line_end))
                    line_start = -1
                lines.append((s, s + width))
                s += width
            if line_start < 0:
                line_start, line_end = s, e
            elif e - line_start <= width:
                line_end = e
            else:
                lines.append((line_start, line_end))
                line_start, line_end = s, e
        if line_start >= 0:
            lines.append((line_start, line_end))
        elif not lines or lines[-1][1] < seg_start or seg_start == seg_end:
            lines.append((seg_start, seg_start))
    return lines or [(0, len(text))]


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] == " ":
        end -= 1
    return end


def line_of_offset(lines: Sequence[tuple[int, int]], offset: int) -> int:
    """Index of the wrapped line that shows character `offset` (the nearest one before it)."""
    lo, hi = 0, len(lines) - 1
    best = 0
    while lo <= hi:
        mid = (lo + hi) // 2
        if lines[mid][0] <= offset:
            best = mid
            lo = mid + 1
        else:
            hi = mid - 1
    return best


def offset_at_cell(text: str, start: int, end: int, x: int) -> int:
    """The character offset under cell column `x` of a line showing text[start:end]."""
    cells = 0
    for i in range(start, end):
        cells += cell_len(text[i])
        if cells > x:
            return i
    return end


def fit_cells(text: str, width: int) -> str:
    """`text` cut (with an ellipsis) or padded to exactly `width` cells."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    out: list[str] = []
    used = 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…" + " " * (width - 1 - used)


# --- the library list -----------------------------------------------------------------------------

SortMode = Literal["date", "outlet"]


@dataclass(frozen=True, slots=True)
class StoryGroup:
    """A story as the list shows it: a title and its versions in display order."""

    id: str
    title: str
    versions: tuple[ArticleSummary, ...]
    latest: str


def group_stories(summaries: Iterable[ArticleSummary], sort: SortMode = "date") -> list[StoryGroup]:
    """Summaries grouped by the story the Library assigned, newest story first.

    Versions are ordered by publication date (then outlet) or by outlet (then date); the story's
    title is its earliest version's, as the Library's `story()` names it.
    """
    groups: dict[str, list[ArticleSummary]] = {}
    for s in summaries:
        groups.setdefault(s.story or s.id, []).append(s)
    out: list[StoryGroup] = []
    for sid, members in groups.items():
        by_date = sorted(members, key=lambda s: (s.published or "9999", (s.outlet or "").lower(), s.id))
        if sort == "outlet":
            versions = sorted(members, key=lambda s: ((s.outlet or "\uffff").lower(), s.published or "", s.id))
        else:
            versions = by_date
        latest = max((s.published or "" for s in members), default="")
        out.append(StoryGroup(sid, by_date[0].title, tuple(versions), latest))
    out.sort(key=lambda g: (g.latest, g.id), reverse=True)
    return out


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def readable_date(published: str | None) -> str:
    """An ISO date or date-time as people read it: `2023-06-09`, or `2023-06-09 12:00 UTC`
    (`+02:00` kept as is); anything else shown unchanged, 'unknown' when missing."""
    if not published:
        return "unknown"
    m = re.match(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$", published)
    if not m:
        return published
    zone = m.group(3) or ""
    zone = " UTC" if zone in ("Z", "+00:00", "+0000", "-00:00") else (f" {zone}" if zone else "")
    return f"{m.group(1)} {m.group(2)}{zone}"


def short_date(published: str | None) -> str:
    """An ISO date or date-time as YYYY-MM-DD (the list's date column); '—' when unknown."""
    if not published:
        return "—"
    return published[:10]


def citation(passage: str, speaker: str | None, outlet: str | None, url: str | None) -> str:
    """A passage as it is pasted elsewhere: the words, then who said it, where, and the address."""
    words = " ".join(passage.split())
    source = ", ".join(p for p in (speaker, outlet) if p)
    lines = [words]
    if source:
        lines.append(f"— {source}")
    if url:
        lines.append(url)
    return "\n".join(lines)


# --- a story's coverage -------------------------------------------------------------------------


def timeline_columns(published: Sequence[str | None], width: int) -> list[int | None]:
    """Where each publication time falls on a track `width` cells wide (first at 0, last at
    width-1); None for an unknown or unreadable date. One dated version sits at 0."""
    from tuireader.export import instant

    times = [instant(p) for p in published]
    known = [t for t in times if t is not None]
    if not known:
        return [None] * len(times)
    lo, hi = min(known), max(known)
    span = hi - lo
    last = max(0, width - 1)
    return [None if t is None else (0 if span == 0 else round((t - lo) / span * last)) for t in times]


def count_bar(counts: Sequence[int], width: int) -> list[int]:
    """Cells for each count in a bar `width` wide (largest remainders; a non-zero count gets >= 1
    cell when there is room)."""
    total = sum(counts)
    if total == 0 or width <= 0:
        return [0] * len(counts)
    raw = [c * width / total for c in counts]
    cells = [int(r) for r in raw]
    for i in sorted(range(len(counts)), key=lambda i: raw[i] - cells[i], reverse=True)[: width - sum(cells)]:
        cells[i] += 1
    for i, c in enumerate(counts):
        if c and not cells[i]:
            donor = max(range(len(cells)), key=lambda j: cells[j])
            if cells[donor] > 1:
                cells[donor] -= 1
                cells[i] = 1
    return cells


# --- search results -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HitGroup:
    story: str | None
    outlet: str | None
    hits: tuple[SearchHit, ...]


def group_hits(hits: Sequence[SearchHit]) -> list[HitGroup]:
    """Hits grouped by story, then outlet; groups ordered by their best hit, keeping rank inside."""
    order: dict[tuple[str | None, str | None], list[SearchHit]] = {}
    story_rank: dict[str | None, int] = {}
    for rank, h in enumerate(hits):
        story_rank.setdefault(h.story, rank)
        order.setdefault((h.story, h.outlet or h.article), []).append(h)
    keys = sorted(order, key=lambda k: (story_rank[k[0]], min(hits.index(h) for h in order[k])))
    return [HitGroup(k[0], order[k][0].outlet, tuple(order[k])) for k in keys]


# --- comparing two versions -----------------------------------------------------------------------


def paragraph_spans(paragraphs: Sequence[str]) -> list[tuple[int, int]]:
    """(start, end) of each paragraph in `Article.text` (paragraphs joined by blank lines)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for p in paragraphs:
        spans.append((pos, pos + len(p)))
        pos += len(p) + 2
    return spans


def paragraph_at(spans: Sequence[tuple[int, int]], offset: int) -> int:
    """Index of the paragraph holding `offset` (the one starting at or before it)."""
    return max(0, bisect_right([s for s, _e in spans], offset) - 1)


@dataclass(frozen=True, slots=True)
class CompareRow:
    """One row of the side-by-side view: a passage of each version (either may be missing).

    `left`/`right` are the indices of the paragraphs the passages start in; `left_span`/
    `right_span` the passages themselves (character offsets into `Article.text`; None means the
    whole paragraph). A shared row holds a pair the Library aligned; `kind` is then its kind
    ("same" or "reworded").
    """

    left: int | None  # paragraph index in the left version
    right: int | None
    shared: bool = False
    left_span: tuple[int, int] | None = None
    right_span: tuple[int, int] | None = None
    kind: str = ""


def _heaviest_chain(items: Sequence[tuple[tuple[int, int], float]]) -> list[tuple[int, int]]:
    """Strictly increasing (in both coordinates) subsequence of pairs with the largest total weight."""
    n = len(items)
    if not n:
        return []
    best = [w for _p, w in items]
    prev = [-1] * n
    for i in range(n):
        (li, ri), wi = items[i]
        for j in range(i):
            (lj, rj), _wj = items[j]
            if lj < li and rj < ri and best[j] + wi > best[i]:
                best[i] = best[j] + wi
                prev[i] = j
    i = max(range(n), key=lambda k: best[k])
    chain: list[tuple[int, int]] = []
    while i >= 0:
        chain.append(items[i][0])
        i = prev[i]
    return chain[::-1]


class PairLike(Protocol):
    """What `passage_rows` reads of the Library's sentence pairs (`model.SentencePair`)."""

    start: int
    end: int
    other_start: int
    other_end: int
    score: float
    kind: str


def passage_rows(
    left_paragraphs: Sequence[str], right_paragraphs: Sequence[str], pairs: Iterable[PairLike]
) -> list[CompareRow]:
    """Rows of the side-by-side view from the Library's passage pairs.

    Both versions are shown whole and in their own order, so only pairs that keep that order can
    share a row: the heaviest such chain (by score) is laid out, each pair on one row. A pair out
    of that order (a passage one version moved) stays where each version has it; the screen marks
    it. Between two row pairs, each version's unpaired text is cut at its paragraph breaks and
    the pieces are set side by side as they come.
    """
    lspans, rspans = paragraph_spans(left_paragraphs), paragraph_spans(right_paragraphs)
    ltext, rtext = "\n\n".join(left_paragraphs), "\n\n".join(right_paragraphs)
    by_start = {(p.start, p.other_start): p for p in pairs}
    chain = _heaviest_chain(sorted((key, p.score) for key, p in by_start.items()))
    rows: list[CompareRow] = []
    lpos = rpos = 0
    for key in [*chain, None]:
        p = by_start[key] if key is not None else None
        lpieces = _pieces(ltext, lspans, lpos, p.start if p else len(ltext))
        rpieces = _pieces(rtext, rspans, rpos, p.other_start if p else len(rtext))
        for k in range(max(len(lpieces), len(rpieces))):
            lp = lpieces[k] if k < len(lpieces) else None
            rp = rpieces[k] if k < len(rpieces) else None
            rows.append(CompareRow(
                paragraph_at(lspans, lp[0]) if lp else None, paragraph_at(rspans, rp[0]) if rp else None,
                left_span=lp, right_span=rp,
            ))
        if p is not None:
            rows.append(CompareRow(paragraph_at(lspans, p.start), paragraph_at(rspans, p.other_start), True,
                                   (p.start, p.end), (p.other_start, p.other_end), p.kind))
            lpos, rpos = p.end, p.other_end
    return rows


def _pieces(text: str, spans: Sequence[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    """text[lo:hi] cut at paragraph breaks, each piece without surrounding blanks; blank ones dropped."""
    out: list[tuple[int, int]] = []
    if lo >= hi:
        return out
    for i in range(paragraph_at(spans, lo), len(spans)):
        ps, pe = spans[i]
        if ps >= hi:
            break
        s, e = max(lo, ps), min(hi, pe)
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


@dataclass(frozen=True, slots=True)
class DiffMarks:
    """Character spans to mark in each version for one altered quote's word-level diff."""

    left: list[tuple[int, int]] = field(default_factory=list)
    right: list[tuple[int, int]] = field(default_factory=list)


def diff_marks(diff: Sequence[DiffOp]) -> DiffMarks:
    """The spans to paint for a word-level diff: words deleted or replaced on the left, inserted or
    replaced on the right (the Library's diff ops carry their offsets into both texts)."""
    marks = DiffMarks()
    for op in diff:
        if op.op == "equal":
            continue
        if op.a_end > op.a_start:
            marks.left.append((op.a_start, op.a_end))
        if op.b_end > op.b_start:
            marks.right.append((op.b_start, op.b_end))
    return marks


__all__ = [
    "LAYERS",
    "LAYER_KEYS",
    "CompareRow",
    "DiffMarks",
    "Highlight",
    "HitGroup",
    "StoryGroup",
    "Target",
    "build_highlights",
    "cell_len",
    "diff_marks",
    "fit_cells",
    "group_hits",
    "group_stories",
    "line_of_offset",
    "offset_at_cell",
    "paragraph_at",
    "paragraph_spans",
    "passage_rows",
    "shared_quote_count",
    "short_date",
    "visible_highlights",
    "wrap_offsets",
]
