"""The right pane: where the article came from, and how its names and quotes travel.

One Line API widget rather than a tree of Statics: switching versions rebuilds this pane every
time, and mounting dozens of small widgets per switch made the whole screen reflow. Entries are
wrapped here (in cells) so each clickable line knows what it points at.

Every string from the article or the Library goes through `printable()` into `rich.text.Text`
pieces, never markup. Clickable lines hold their target as data, not as an action string, so
nothing from a file name can become an action.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.strip import Strip

from tuireader.export import outlets_line
from tuireader.model import Article, ArticleView
from tuireader.safety import printable
from tuireader.tui.messages import HighlightChosen, JumpRequested
from tuireader.tui.presentation import (
    Highlight,
    plural,
    readable_date,
    source_name,
    wrap_offsets,
)
from tuireader.tui.widgets.lines import LinesView

KIND_WORDS = {
    "verbatim": "verbatim",
    "altered": "altered",
    "unquoted": "unquoted",
    "mention": "mentions it",
    "differs": "says",
    "quoted": "quotes it",
    "solo": "only here",
}


def _outlet_of(label: str, outlets: Sequence[str]) -> str:
    """The outlet a version label names ("Harbor Times 2024-05-14" -> "Harbor Times")."""
    named = [o for o in outlets if label == o or label.startswith(o + " ")]
    return max(named, key=len) if named else label


def _s(value: str | None) -> str:
    return printable(value or "", keep_newlines=False)


def _clip(value: str, n: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= n else value[: n - 1] + "…"


Target = tuple  # ("jump", article, start, end) or ("highlight", index)


@dataclass
class Entry:
    """One paragraph of the pane: styled pieces, a hanging indent, and what a click on it does."""

    pieces: list[tuple[str, str]]  # (text, component class or "")
    indent: int = 0
    target: Target | None = None
    space_before: bool = False
    lines: list[Text] = field(default_factory=list)


class MetaPane(LinesView, can_focus=False):
    """Selected highlight, the article's facts, its quotes and names, discrepancies, provenance."""

    COMPONENT_CLASSES = {
        "meta--heading",
        "meta--selected",
        "meta--label",
        "meta--muted",
        "meta--note",
        "meta--warning",
        "meta--verbatim",
        "meta--altered",
        "meta--unquoted",
        "meta--quoted",
        "meta--solo",
        "meta--mention",
        "meta--differs",
        "meta--outlet",
        "meta--link",
        "meta--hover",
        "meta--bar",
    }

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.selected: list[Entry] = []
        self.facts: list[Entry] = [Entry([("No article open.", "meta--muted")])]
        self.links: list[Entry] = []
        self.provenance: list[Entry] = []
        self._lines: list[tuple[Text, Entry]] = []
        self._joins: list[str] = []
        self._width = 0
        self._hover: Entry | None = None

    # --- content ----------------------------------------------------------------------------------
    def show(
        self,
        article: Article | None,
        view: ArticleView | None,
        highlights: Sequence[Highlight] = (),
        outlets: Mapping[str, str] | None = None,
        *,
        pending: str = "",
        selected: Highlight | None = None,
        next_target: int = 0,
        keep_scroll: bool = False,
        revisions: int = 1,
        revision: str = "",
    ) -> None:
        """Everything for one article in one layout pass (switching versions calls this once);
        `revisions`: how many revisions of it the library holds (the Library's summary says);
        `revision`: for an older revision being read, which one ("revision 1 of 3, fetched ...")."""
        outlets = outlets or {}
        if article is None:
            self.facts = [Entry([("No article open.", "meta--muted")])]
            self.links, self.provenance = [], []
        else:
            self.facts = self._facts(article, revisions, revision)
            self.provenance = self._provenance(article)
            self.links = [Entry([(pending, "meta--note")], space_before=True)] if pending else []
        if view is not None:
            self.links = self._links(view, highlights, outlets)
        self.selected = self._selected(selected, outlets, next_target)
        self._relayout()
        if not keep_scroll or selected is not None:
            self.scroll_to(0, 0, animate=False, immediate=True)

    @staticmethod
    def _facts(a: Article, revisions: int = 1, revision: str = "") -> list[Entry]:
        out = [Entry([("Article", "meta--heading")])]

        def row(label: str, value: str) -> None:
            out.append(Entry([(f"{label:<10}", "meta--label"), (value, "")], indent=10))

        row("outlet", _s(a.outlet) or "not stated")
        row("published", readable_date(a.published))
        if a.authors:
            row("authors", _s(", ".join(a.authors)))
        if a.wire:
            row("wire", _s(a.wire))
        if a.dateline:
            row("dateline", _s(a.dateline))
        if a.tags:
            row("tags", _s(", ".join(a.tags)))
        row("length", f"{a.words} words, {a.reading_minutes} min read")
        if revision:  # an older revision of an article edited after it was stored
            out.append(Entry([(f"{'revisions':<10}", "meta--label"), (_s(revision), "meta--warning"),
                              ("  (d: what changed)", "meta--muted")], indent=10))  # fmt: skip
        elif revisions > 1:  # an article edited after it was stored: this is its latest revision
            out.append(Entry([(f"{'revisions':<10}", "meta--label"), (f"revised {revisions - 1}×", "meta--warning"),
                              (f"  latest of {revisions}", "meta--muted")], indent=10))  # fmt: skip
        return out

    @staticmethod
    def _provenance(a: Article) -> list[Entry]:
        out = [Entry([("Where this came from", "meta--heading")], space_before=True)]
        out.append(Entry([("file      ", "meta--label"), (_s(a.path.rsplit("/", 1)[-1]), "")], indent=10))
        if a.url:
            out.append(Entry([("url       ", "meta--label"), (_s(a.url), "meta--link")], indent=10))
        if a.language and not a.provenance.get("language"):
            out.append(Entry([("language  ", "meta--label"), (_s(a.language), "")], indent=10))
        for key, how in a.provenance.items():
            if how:
                out.append(Entry([(f"{_s(key):<10}", "meta--label"), (_s(how), "meta--muted")], indent=10))
        return out

    def _links(self, view: ArticleView, highlights: Sequence[Highlight], outlets: Mapping[str, str]) -> list[Entry]:
        """Story, quotes, names and discrepancies: what the Library's analysis says."""
        here = view.article.id
        index_of_quote = {h.quote: i for i, h in enumerate(highlights) if h.quote is not None}
        out: list[Entry] = []
        story = view.story
        if story is not None:
            out.append(Entry([("Story", "meta--heading")], space_before=True))
            others = [_outlet_of(outlets.get(a) or source_name(None, a), story.outlets) for a in story.articles if a != here]
            if others:
                # An outlet with several versions is named once, with a count: "Harbor Times (2)".
                out.append(Entry([(f"{plural(len(story.articles), 'version')}: also " + _s(outlets_line(others)), "")]))
            else:
                out.append(Entry([("the only version of this story", "meta--muted")]))

        out.append(Entry([(f"Quotes ({len(view.quotes)})", "meta--heading")], space_before=True))
        if not view.quotes:
            out.append(Entry([("no direct quotations found", "meta--muted")]))
        for qi, lq in enumerate(view.quotes):
            q = lq.quote
            travel = lq.travel
            hi = index_of_quote.get(qi)
            out.append(Entry(
                [("● ", f"meta--{travel}"), (f"“{_clip(_s(q.text), 110)}”", "")],
                indent=2, target=("highlight", hi) if hi is not None else None, space_before=True,
            ))
            out.append(Entry([(f"  — {_s(q.speaker) or 'speaker unknown'}", "meta--muted")], indent=4,
                             target=("highlight", hi) if hi is not None else None))
            others = [m for m in lq.matches if m.article != here]
            if not others:
                out.append(Entry([("    only this outlet", "meta--solo")], indent=4))
            for m in others:
                name = outlets.get(m.article) or source_name(m.outlet, m.article)
                out.append(Entry(
                    [("    → ", "meta--muted"), (name, "meta--outlet"),
                     (f"  {KIND_WORDS.get(m.kind, m.kind)}", f"meta--{m.kind}"), (f" {m.score:.0f}", "meta--muted")],
                    indent=6, target=("jump", m.article, m.start, m.end),
                ))

        if view.reported:
            index_of_reported = {h.reported: i for i, h in enumerate(highlights) if h.reported is not None}
            out.append(Entry([(f"Reported without quotation marks ({len(view.reported)})", "meta--heading")],
                             space_before=True))
            for ri, r in enumerate(view.reported):
                hi = index_of_reported.get(ri)
                out.append(Entry(
                    [("● ", "meta--unquoted"), (_clip(_s(r.text), 110), "")],
                    indent=2, target=("highlight", hi) if hi is not None else None, space_before=True,
                ))
                for x in r.quoted_by:
                    name = outlets.get(x.article) or source_name(x.outlet, x.article)
                    who = f" ({_s(x.speaker)})" if x.speaker else ""
                    out.append(Entry(
                        [("    ← quoted by ", "meta--muted"), (name, "meta--outlet"), (who, "meta--muted")],
                        indent=6, target=("jump", x.article, x.start, x.end),
                    ))

        out.append(Entry([("Names in other versions", "meta--heading")], space_before=True))
        seen: set[str] = set()
        for le in view.entities:
            if not le.outlets or le.entity.key in seen:
                continue
            seen.add(le.entity.key)
            where = sorted({outlets.get(o.article) or source_name(o.outlet, o.article)
                            for o in le.elsewhere if o.article != here}) or [_s(o) for o in le.outlets]
            out.append(Entry([(_clip(_s(le.entity.text), 40), ""), ("  " + ", ".join(where), "meta--mention")],
                             indent=2))
        if not seen:
            out.append(Entry([("none shared", "meta--muted")]))

        out.append(Entry([("Where versions differ", "meta--heading")], space_before=True))
        if story is None or not story.discrepancies:
            out.append(Entry([("no discrepancies found", "meta--muted")]))
        else:
            for d in story.discrepancies:
                out.append(Entry([(_s(d.summary), "meta--label")], space_before=True))
                for aid, words in d.values.items():
                    who = outlets.get(aid) or source_name(None, aid)
                    span = d.spans.get(aid)
                    out.append(Entry(
                        [("▶ " if aid == here else "  ", "meta--differs"), (who + ": ", "meta--outlet"),
                         (_clip(_s(words), 80), "")],
                        indent=4, target=("jump", aid, span[0], span[1]) if span and aid != here else None,
                    ))
                for aid in d.absent:
                    who = outlets.get(aid) or source_name(None, aid)
                    out.append(Entry([("▶ " if aid == here else "  ", "meta--differs"), (who + ": ", "meta--outlet"),
                                      ("not stated", "meta--muted")], indent=4))
        return out

    def show_failure(self, message: str) -> None:
        self.links = [Entry([("Links to other versions unavailable: " + _s(message), "meta--warning")],
                            space_before=True)]
        self._relayout()

    def show_selected(self, highlight: Highlight | None, outlets: Mapping[str, str], next_target: int = 0) -> None:
        self.selected = self._selected(highlight, outlets, next_target)
        self._relayout()
        if highlight is not None:
            self.scroll_to(0, 0, animate=False, immediate=True)

    def _selected(self, highlight: Highlight | None, outlets: Mapping[str, str], next_target: int) -> list[Entry]:
        if highlight is None:
            return []
        out = [
            Entry([("Selected", "meta--selected")]),
            Entry([(_clip(_s(highlight.label), 160), "")], indent=0),
        ]
        if not highlight.targets:
            out.append(Entry([("no other version carries it", "meta--muted")]))
        else:
            out.append(Entry([("press v for the next, or click one:", "meta--muted")]))
        n = len(highlight.targets)
        for i, t in enumerate(highlight.targets):
            name = outlets.get(t.article) or source_name(t.outlet, t.article)
            out.append(Entry(
                [("v " if n and i == next_target % n else "  ", "meta--selected"), (name, "meta--outlet"),
                 (f"  {KIND_WORDS.get(t.kind, t.kind)}", f"meta--{t.kind}"),
                 (f": {_clip(_s(t.text), 60)}" if t.text else "", "meta--muted")],
                indent=4, target=("jump", t.article, t.start, t.end),
            ))
        out.append(Entry([("", "")]))
        return out

    # --- layout -----------------------------------------------------------------------------------
    @property
    def entries(self) -> list[Entry]:
        return [*self.selected, *self.facts, *self.links, *self.provenance]

    def _wrap_width(self) -> int:
        """Cells a line may take: the content width (less the scrollbar when it shows), less the
        one-cell margin or selection bar each line starts with."""
        return max(8, (self.scrollable_content_region.width or self.size.width or 36) - 1)

    def _relayout(self, again: bool = True) -> None:
        if not self.is_mounted:
            return
        width = self._wrap_width()
        self._width = width
        lines: list[tuple[Text, Entry]] = []
        joins: list[str] = []  # per line: what joins it to the next when selected text is copied
        blank = Entry([])
        styles: dict[str, Style] = {}
        for entry in self.entries:
            if entry.space_before and lines:
                lines.append((Text(""), blank))
                joins.append("\n")
            text = Text(no_wrap=True, end="")
            for piece, name in entry.pieces:
                if name not in styles:
                    styles[name] = self.layer_style(name)
                text.append(piece, styles[name])
            first = True
            end = 0
            for s, e in wrap_offsets(text.plain, width) if text.plain else [(0, 0)]:
                if first:
                    lines.append((text[s:e], entry))
                    joins.append("\n")
                    first, end = False, e
                else:
                    # Continuation lines get the hanging indent (re-wrapped to the narrower width).
                    joins[-1] = text.plain[end:s]  # what the wrap took: copied text reads on
                    rest = text[s:]
                    last = None
                    for s2, e2 in wrap_offsets(rest.plain, max(4, width - entry.indent)):
                        if last is not None:
                            joins[-1] = rest.plain[last:s2]
                        lines.append((Text(" " * entry.indent) + rest[s2:e2], entry))
                        joins.append("\n")
                        last = e2
                    break
        self._lines = lines
        self._joins = joins
        self.set_virtual_size(Size(width, len(lines)))
        if again and self._wrap_width() != width:
            # These lines made the scrollbar appear (or go): wrapped at the old width, each full
            # line would lose its last character under the scrollbar. Wrap again, once.
            self._relayout(again=False)
            return
        self.refresh()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base = self.base_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        text, entry = self._lines[index]
        style = base
        if entry.target is not None and entry is self._hover:
            style = base + self.layer_style("meta--hover")
        lead = [Segment(" ", style)]
        bar = entry in self.selected
        if bar:
            lead = [Segment("▌", base + self.layer_style("meta--bar"))]
        indent = self._indent_of(index)
        if indent:
            lead.append(Segment(text.plain[:indent], style))
            text = text[indent:]
        body = list(Segment.apply_style(text.render(self.app.console), style))
        return Strip(self.selectable(lead, body, index)).crop_extend(scroll_x, scroll_x + width, style)

    def _indent_of(self, index: int) -> int:
        """The hanging indent a continuation line starts with (not part of what is copied)."""
        text, entry = self._lines[index]
        if not entry.indent or index == 0 or self._lines[index - 1][1] is not entry:
            return 0
        return min(entry.indent, len(text.plain) - len(text.plain.lstrip(" ")))

    # --- selecting text with the mouse --------------------------------------------------------------
    def selection_size(self) -> int:
        return len(self._lines)

    def selection_line(self, index: int) -> tuple[str, str]:
        """A line's text without its margin, bar or hanging indent; an entry's wrapped lines join
        with what the wrap took (a space, or nothing inside a long address), entries with a newline."""
        text, _entry = self._lines[index]
        join = self._joins[index] if index < len(self._joins) else "\n"
        return text.plain[self._indent_of(index):], join

    # --- mouse ------------------------------------------------------------------------------------
    def _entry_at(self, event: events.MouseEvent) -> Entry | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        index = int(self.scroll_y) + offset.y
        if 0 <= index < len(self._lines):
            return self._lines[index][1]
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        entry = self._entry_at(event)
        hover = entry if entry is not None and entry.target is not None else None
        if hover is not self._hover:
            self._hover = hover
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        if self.text_selection is not None:
            return  # the end of a drag that selected text, not a click on a link
        entry = self._entry_at(event)
        if entry is None or entry.target is None:
            return
        event.stop()
        self.activate(entry.target)

    def activate(self, target: Target) -> None:
        if target[0] == "jump":
            _kind, article, start, end = target
            self.post_message(JumpRequested(article, start, end))
        elif target[0] == "highlight" and target[1] is not None:
            self.post_message(HighlightChosen(target[1]))
