"""Rich renderings of Library answers for the command line (human output of show/stories/search).

Untrusted strings only ever enter as `Text(...)` objects (never as markup), after `printable()`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from tuireader.model import ArticleSummary, ArticleView, SearchHit, Story
from tuireader.safety import printable

KIND_STYLE = {"verbatim": "bold green", "altered": "bold yellow", "unquoted": "bold cyan"}


def source_name(outlet: str | None, article_id: str) -> str:
    """How a version is named on screen: its outlet, else its file's number (`#003`) or id.

    Cleaning cannot always tell the outlet; the file's number is short and matches `ls`.
    """
    if outlet and outlet.strip():
        return printable(outlet, keep_newlines=False)
    head = article_id.split("_", 1)[0]
    if head.isdigit():
        return f"#{head}"
    return printable(article_id, keep_newlines=False)[:16]


def _label(name: str, story: Story | None) -> str:
    """An outlet, or an article id standing in for a missing outlet, as `source_name` shows it."""
    if story is not None and name in story.articles:
        return source_name(None, name)
    return printable(name, keep_newlines=False)


def _t(value: str | None, style: str = "") -> Text:
    return Text(printable(value or "", keep_newlines=False), style=style)


def highlighted_text(view: ArticleView) -> Text:
    """The article body with shared entities underlined and quotes coloured by how they travel."""
    text = Text(printable(view.article.text))
    for le in view.entities:
        if le.outlets:
            text.stylize("underline", le.entity.start, le.entity.end)
    for lq in view.quotes:
        kinds = {m.kind for m in lq.matches}
        style = (
            "green" if "verbatim" in kinds else "yellow" if "altered" in kinds
            else "cyan" if "unquoted" in kinds else "italic"
        )
        text.stylize(style, lq.quote.start, lq.quote.end)
    return text


def render_view(view: ArticleView) -> RenderableType:
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
                where.append(source_name(m.outlet, m.article) + " ")
                where.append(m.kind, style=KIND_STYLE.get(m.kind, ""))
                where.append(f" {m.score:.0f}\n")
            where.rstrip()
            table.add_row(_t(lq.quote.text), _t(lq.quote.speaker or "?"), where if where else Text("only here", "dim"))
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
            table.add_row(_t(text), _t(", ".join(_label(o, view.story) for o in outlets)))
        parts.append(table)
    if view.story and view.story.discrepancies:
        parts.append(render_discrepancies(view.story))
    return Group(*parts)


def render_discrepancies(story: Story, summaries: Mapping[str, ArticleSummary] | None = None) -> Table:
    table = Table(title="Discrepancies", title_justify="left", show_lines=True)
    table.add_column("what", style="bold")
    table.add_column("versions say")
    for d in story.discrepancies:
        says = Text()
        for aid, words in d.values.items():
            outlet = summaries[aid].outlet if summaries and aid in summaries else None
            says.append(source_name(outlet, aid), style="cyan")
            says.append(": ")
            says.append(printable(words, keep_newlines=False))
            says.append("\n")
        says.rstrip()
        table.add_row(_t(d.what), says)
    return table


def render_stories(stories: Sequence[Story], summaries: Mapping[str, ArticleSummary]) -> RenderableType:
    parts: list[RenderableType] = []
    for s in stories:
        head = Text()
        head.append(printable(s.title, keep_newlines=False), style="bold")
        head.append(f"  [{s.id}]", style="dim")
        versions = f"{len(s.articles)} version" + ("s" if len(s.articles) != 1 else "")
        if s.first_published:
            span = s.first_published if s.first_published == s.last_published else (
                f"{s.first_published} .. {s.last_published}")
            versions += f", {span}"
        head.append("\n" + versions, style="dim")
        if s.outlets:
            head.append(": ", style="dim")
            head.append(printable(", ".join(s.outlets), keep_newlines=False), style="cyan")
        if s.follows:
            head.append(f"\ncontinues [{s.follows}]", style="dim")
        parts.append(head)
        if s.discrepancies:
            parts.append(render_discrepancies(s, summaries))
        parts.append(Text(""))
    return Group(*parts)


def render_hits(query: str, hits: Sequence[SearchHit]) -> RenderableType:
    table = Table(title=_t(f"{len(hits)} result(s) for {query!r}"), title_justify="left")
    table.add_column("score", justify="right")
    table.add_column("outlet", style="cyan")
    table.add_column("article", style="dim")
    table.add_column("passage")
    for h in hits:
        table.add_row(f"{h.score:.0f}", Text(source_name(h.outlet, h.article)), _t(h.article), _t(h.text))
    return table
