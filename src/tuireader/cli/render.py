"""Rich renderings of Library answers for the command line (human output of show/stories/search).

Untrusted strings only ever enter as `Text(...)` objects (never as markup), after `printable()`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from tuireader.labels import revision_change_lines, source_name
from tuireader.model import ArticleView, Revision, SearchHit, Story
from tuireader.safety import display_text, printable


class SafeConsole(Console):
    """The one console every CLI verb prints through: whatever reaches it (a file name, an article
    id, a feed title, an error message), each character a terminal could obey is replaced by a
    visible one (`display_text`) in the very text written out, after Rich has laid it out; Rich's
    own styling and cursor codes (control segments and styles) are untouched."""

    def _render_buffer(self, buffer):  # noqa: ANN001, ANN202 - Rich's Iterable[Segment] -> str
        return super()._render_buffer(
            seg if seg.control or not seg.text else Segment(display_text(seg.text), seg.style, seg.control)
            for seg in buffer
        )


KIND_STYLE = {"verbatim": "bold green", "altered": "bold yellow", "unquoted": "bold cyan"}


def _name(article_id: str, outlet: str | None, labels: Mapping[str, str]) -> str:
    """The version's label (unique in its story), else its outlet or file number."""
    return labels.get(article_id) or source_name(outlet, article_id)


def _label(name: str, labels: Mapping[str, str]) -> str:
    """An outlet, or an article id standing in for a missing outlet: the id shown as its label."""
    return labels.get(name) or printable(name, keep_newlines=False)


def _t(value: str | None, style: str = "") -> Text:
    return Text(printable(value or "", keep_newlines=False), style=style)


#: The text's colour for each way a quote travelled (`LinkedQuote.travel`), the reader's alike.
TRAVEL_STYLE = {"verbatim": "green", "altered": "yellow", "unquoted": "cyan", "solo": "italic"}


def highlighted_text(view: ArticleView) -> Text:
    """The article body with shared names underlined and quotes coloured by how they travel.

    Passages other versions quote, reported here without quotation marks, take the "unquoted"
    colour. The body is made safe one character for one (`display_text`), so every offset holds.
    """
    text = Text(display_text(view.article.text))
    for le in view.entities:
        if le.outlets:
            text.stylize("underline", le.entity.start, le.entity.end)
    for r in view.reported:
        text.stylize(TRAVEL_STYLE["unquoted"], r.start, r.end)
    for lq in view.quotes:
        text.stylize(TRAVEL_STYLE[lq.travel], lq.quote.start, lq.quote.end)
    return text


def render_view(view: ArticleView, labels: Mapping[str, str]) -> RenderableType:
    a = view.article
    meta = Table.grid(padding=(0, 1))
    meta.add_column(style="bold dim", justify="right")
    meta.add_column()
    meta.add_row("outlet", _t(a.outlet or "unknown"))
    published = _t(a.published or "unknown")
    if a.provenance.get("published"):
        published.append("  (" + printable(a.provenance["published"], keep_newlines=False) + ")", style="dim")
    meta.add_row("published", published)
    if a.authors:
        meta.add_row("authors", _t(", ".join(a.authors)))
    if a.wire:
        meta.add_row("wire", _t(a.wire))
    if a.tags:
        meta.add_row("tags", _t(", ".join(a.tags)))
    meta.add_row("words", Text(f"{a.words} ({a.reading_minutes} min)"))
    if view.story:
        n = len(view.story.articles)
        named = f"outlets named: {', '.join(view.story.outlets)}" if view.story.outlets else "no outlet named"
        meta.add_row("story", _t(f"{view.story.id}: {n} version{'s' if n != 1 else ''}; {named}"))
    parts: list[RenderableType] = [Panel(meta, title=_t(a.title, "bold"), title_align="left")]
    parts.append(highlighted_text(view))
    if a.captions:
        parts.append(Text("\nCaptions", style="bold"))
        parts.extend(_t(c, "dim italic") for c in a.captions)
    if view.quotes:
        table = Table(title="Quotes", title_justify="left", show_lines=True)
        table.add_column("quote", ratio=3)
        table.add_column("speaker", ratio=1)
        table.add_column("elsewhere", ratio=2)
        for lq in view.quotes:
            where = Text()
            for m in lq.matches:
                where.append(_name(m.article, m.outlet, labels) + " ")
                where.append(m.kind, style=KIND_STYLE.get(m.kind, ""))
                where.append(f" {m.score:.0f}\n")
            where.rstrip()
            table.add_row(_t(lq.quote.text), _t(lq.quote.speaker or "?"), where if where else Text("only here", "dim"))
        parts.append(table)
    if view.reported:
        table = Table(title="Reported here without quotation marks", title_justify="left", show_lines=True)
        table.add_column("passage", ratio=3)
        table.add_column("quoted by", ratio=2)
        for r in view.reported:
            by = Text()
            for q in r.quoted_by:
                by.append(_name(q.article, q.outlet, labels), style="cyan")
                if q.speaker:
                    by.append(f" ({printable(q.speaker, keep_newlines=False)})")
                by.append(f" {q.score:.0f}\n")
            by.rstrip()
            table.add_row(_t(r.text), by)
        parts.append(table)
    shared = [le for le in view.entities if le.outlets]
    if shared:
        seen: dict[str, tuple[str, tuple[str, ...]]] = {}
        for le in shared:
            seen.setdefault(le.entity.key, (le.entity.text, le.outlets))
        table = Table(title="Entities shared with other outlets", title_justify="left")
        table.add_column("entity")
        table.add_column("also in")
        for text, outlets in seen.values():
            table.add_row(_t(text), _t(", ".join(_label(o, labels) for o in outlets)))
        parts.append(table)
    if view.story and view.story.discrepancies:
        parts.append(render_discrepancies(view.story, labels))
    return Group(*parts)


def render_discrepancies(story: Story, labels: Mapping[str, str]) -> Table:
    table = Table(title="Discrepancies", title_justify="left", show_lines=True)
    table.add_column("what", style="bold")
    table.add_column("versions say")
    for d in story.discrepancies:
        says = Text()
        for aid, words in d.values.items():
            says.append(_name(aid, None, labels), style="cyan")
            says.append(": ")
            says.append(printable(words, keep_newlines=False))
            says.append("\n")
        for aid in d.absent:
            says.append(_name(aid, None, labels), style="dim cyan")
            says.append(": not stated\n", style="dim")
        says.rstrip()
        table.add_row(_t(d.summary), says)
    return table


def render_revision_changes(revisions: Sequence[Revision]) -> Text:
    """What each revision states differently from the one before, a line each:
    "r2 → r3: passengers 245 → 260 (ferry carrying)"; one dim line when nothing changed."""
    lines = revision_change_lines(revisions)
    if not lines:
        return Text("no figure changed between revisions", style="dim")
    out = Text("Changed between revisions", style="bold")
    for line in lines:
        out.append("\n" + line, style="")
    return out


def _day(published: str | None) -> str:
    """An ISO date or date-time as its day (YYYY-MM-DD); anything else as it is."""
    value = printable(published or "", keep_newlines=False)
    return value[:10] if len(value) >= 10 and value[4] == "-" and value[7] == "-" else value


def render_coverage(story: Story, coverage: Mapping[str, Mapping[str, int]], labels: Mapping[str, str]) -> Table:
    """Per version: how many of its sentences another version also has, reworded, or it alone."""
    table = Table(title="What each version shares", title_justify="left", box=None, pad_edge=False)
    table.add_column("version", style="cyan")
    for col in ("shared", "reworded", "only here"):
        table.add_column(col, justify="right")
    for aid in story.articles:
        counts = coverage.get(aid)
        if counts is None:
            continue
        table.add_row(_name(aid, None, labels), *(str(counts[c]) for c in ("shared", "reworded", "only here")))
    return table


def render_stories(
    stories: Sequence[Story],
    labels: Mapping[str, str],
    coverage: Mapping[str, Mapping[str, Mapping[str, int]]] | None = None,
) -> RenderableType:
    parts: list[RenderableType] = []
    for s in stories:
        head = Text()
        head.append(printable(s.title, keep_newlines=False), style="bold")
        head.append(f"  [{s.id}]", style="dim")
        versions = f"{len(s.articles)} version" + ("s" if len(s.articles) != 1 else "")
        if s.first_published:
            # Days only: a story's first and last dates can come as a bare day and as a date-time
            # with a zone, and shown raw they read as two different formats side by side.
            first, last = _day(s.first_published), _day(s.last_published)
            versions += f", {first}" if first == last else f", {first} .. {last}"
        head.append("\n" + versions, style="dim")
        if s.outlets:
            head.append(": ", style="dim")
            head.append(printable(", ".join(s.outlets), keep_newlines=False), style="cyan")
        if s.follows:
            head.append(f"\ncontinues [{s.follows}]", style="dim")
        parts.append(head)
        if coverage and s.id in coverage and len(s.articles) > 1:
            parts.append(render_coverage(s, coverage[s.id], labels))
        if s.discrepancies:
            parts.append(render_discrepancies(s, labels))
        parts.append(Text(""))
    return Group(*parts)


def render_hits(query: str, hits: Sequence[SearchHit], labels: Mapping[str, str]) -> RenderableType:
    table = Table(title=_t(f"{len(hits)} result(s) for {query!r}"), title_justify="left")
    table.add_column("score", justify="right")
    table.add_column("outlet", style="cyan")
    table.add_column("article", style="dim")
    table.add_column("passage")
    for h in hits:
        table.add_row(f"{h.score:.0f}", Text(_name(h.article, h.outlet, labels)), _t(h.article), _t(h.text))
    return table
