"""A story's comparison as a document to share: Markdown, a self-contained HTML page, or JSON.

`build_export` gathers, from what the Library already answers (the story, its summaries, the
per-version coverage counts and the story alignment), one `StoryExport`; `to_markdown` and
`to_html` lay it out. Nothing here analyses text.

Every string from an article is untrusted. Both writers first drop control characters and
escape sequences (`printable`); Markdown then backslash-escapes its own syntax, and HTML escapes
every string with `html.escape` (quotes included) and is never built from article text any other
way. The HTML page carries its style inline, loads nothing (a Content-Security-Policy of
`default-src 'none'` says so to the browser) and has no script.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from tuireader.labels import source_name
from tuireader.model import DiffOp
from tuireader.safety import printable

if TYPE_CHECKING:
    from tuireader.library import Library

ExportFormat = Literal["md", "html", "json"]
FORMATS: tuple[str, ...] = ("md", "html", "json")

#: Passages told by one version only, listed per version (the rest are counted).
ONLY_HERE_SHOWN = 8


@dataclass(frozen=True, slots=True)
class VersionRow:
    id: str
    name: str
    title: str
    published: str | None
    url: str | None
    words: int
    shared: int
    reworded: int
    only_here: int
    first: bool  # among the earliest dated versions: who reported first


@dataclass(frozen=True, slots=True)
class MatchRow:
    name: str  # the other version's name
    kind: str  # verbatim | altered | unquoted
    score: float
    text: str
    diff: tuple[DiffOp, ...] = ()


@dataclass(frozen=True, slots=True)
class QuoteRow:
    name: str  # the version it was found in first (in publication order)
    text: str
    speaker: str | None
    matches: tuple[MatchRow, ...]


@dataclass(frozen=True, slots=True)
class DiscrepancyRow:
    summary: str
    values: tuple[tuple[str, str], ...]  # (version name, the words it uses)
    absent: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class OnlyHere:
    name: str
    passages: tuple[str, ...]
    more: int  # how many more were left out


@dataclass(frozen=True, slots=True)
class StoryExport:
    id: str
    title: str
    outlets: tuple[str, ...]
    first_published: str | None
    last_published: str | None
    versions: tuple[VersionRow, ...]
    quotes: tuple[QuoteRow, ...]
    discrepancies: tuple[DiscrepancyRow, ...]
    only_here: tuple[OnlyHere, ...]


def instant(published: str | None) -> float | None:
    """An ISO date or date-time as seconds since the epoch (a date alone: its midnight UTC, a time
    without a zone: UTC); None when missing or unreadable."""
    from datetime import UTC, datetime

    if not published:
        return None
    try:
        when = datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.timestamp()


def first_reports(published: dict[str, str | None]) -> set[str]:
    """Which versions reported first: the earliest publication time; when that one gives only a
    day, every version of that day (which of them came first is not known)."""
    times = {aid: t for aid, p in published.items() if (t := instant(p)) is not None}
    if not times:
        return set()
    earliest = min(times.values())
    first = {aid for aid, t in times.items() if t == earliest}
    if any(len(published[aid] or "") <= 10 for aid in first):
        day = next(published[aid] for aid in first)[:10]  # type: ignore[index]
        first |= {aid for aid in times if (published[aid] or "")[:10] == day}
    return first


def _clean(text: str | None) -> str:
    return printable(text or "", keep_newlines=False)


def build_export(library: Library, story_id: str) -> StoryExport:
    """The comparison of one story's versions, from the Library's answers (raises KeyError)."""
    story = library.story(story_id)
    summaries = library.summaries()
    names = {aid: source_name(summaries[aid].outlet, aid) for aid in story.articles}
    coverage = library.coverage(story_id)
    links = library.links(story_id) if len(story.articles) > 1 else None
    first = first_reports({aid: summaries[aid].published for aid in story.articles})
    versions, only_here = [], []
    for aid in story.articles:
        s = summaries[aid]
        article = library.article(aid)
        counts = coverage.get(aid, {})
        versions.append(VersionRow(
            id=aid, name=names[aid], title=_clean(s.title), published=s.published, url=article.url,
            words=s.words, shared=counts.get("shared", 0), reworded=counts.get("reworded", 0),
            only_here=counts.get("only here", 0),
            first=aid in first,
        ))  # fmt: skip
        if links is not None:
            told = [_clean(article.text[x.start:x.end]) for x in links.sentences.get(aid, ())
                    if x.status == "only here"]  # fmt: skip
            if told:
                only_here.append(OnlyHere(names[aid], tuple(told[:ONLY_HERE_SHOWN]),
                                          max(0, len(told) - ONLY_HERE_SHOWN)))
    quotes: list[QuoteRow] = []
    if links is not None:
        seen: set[tuple[str, int]] = set()
        for aid in story.articles:
            for lq in links.quotes.get(aid, ()):
                if (aid, lq.quote.start) in seen:
                    continue  # already listed as another version's match
                seen.add((aid, lq.quote.start))
                seen.update((m.article, m.start) for m in lq.matches)
                matches = tuple(MatchRow(names.get(m.article, source_name(m.outlet, m.article)), m.kind,
                                         round(m.score, 1), _clean(m.text), m.diff) for m in lq.matches)  # fmt: skip
                quotes.append(QuoteRow(names[aid], _clean(lq.quote.text), _clean(lq.quote.speaker) or None,
                                       matches))  # fmt: skip
    discrepancies = tuple(
        DiscrepancyRow(_clean(d.summary), tuple((names.get(a, a), _clean(v)) for a, v in d.values.items()),
                       tuple(names.get(a, a) for a in d.absent))
        for d in story.discrepancies
    )
    return StoryExport(
        id=story.id, title=_clean(story.title), outlets=tuple(_clean(o) for o in story.outlets),
        first_published=story.first_published, last_published=story.last_published,
        versions=tuple(versions), quotes=tuple(quotes), discrepancies=discrepancies, only_here=tuple(only_here),
    )  # fmt: skip


def outlets_line(names: Iterable[str]) -> str:
    """Outlets once each, with a count where one outlet has several versions: "A (2), B"."""
    counts: dict[str, int] = {}
    for n in names:
        counts[n] = counts.get(n, 0) + 1
    return ", ".join(f"{n} ({c})" if c > 1 else n for n, c in counts.items())


# --- Markdown -----------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md(text: str | None) -> str:
    """Untrusted text as literal Markdown: control characters gone, Markdown's syntax escaped."""
    return _MD_SPECIAL.sub(r"\\\1", _clean(text))


def _diff(ops: Sequence[DiffOp], esc: Callable[[str | None], str], removed: str, added: str) -> str:
    """A word diff as one line: equal runs escaped, removed/added runs wrapped in the format's marks
    (`removed`/`added` are templates with one `{}` for the escaped words)."""
    out = []
    for op in ops:
        if op.op == "equal":
            out.append(esc(op.a))
        else:
            if op.a:
                out.append(removed.format(esc(op.a)))
            if op.b:
                out.append(added.format(esc(op.b)))
    return " ".join(p for p in out if p)


def _md_diff(ops: Sequence[DiffOp]) -> str:
    return _diff(ops, md, "~~{}~~", "**{}**")


def to_markdown(export: StoryExport) -> str:
    lines = [f"# {md(export.title)}", ""]
    span = " to ".join(dict.fromkeys(d for d in (export.first_published, export.last_published) if d))
    lines.append(f"{len(export.versions)} versions from {md(outlets_line(v.name for v in export.versions))}"
                 + (f", published {md(span)}" if span else "") + ".")  # fmt: skip
    first = [v.name for v in export.versions if v.first]
    if first:
        lines.append(f"First reported by {md(outlets_line(first))}.")
    lines += ["", "## Versions", "",
              "| outlet | published | title | words | shared | reworded | only here |",
              "| --- | --- | --- | ---: | ---: | ---: | ---: |"]  # fmt: skip
    for v in export.versions:
        title = f"[{md(v.title)}](<{md(v.url)}>)" if v.url and v.url.startswith(("http://", "https://")) \
            else md(v.title)
        mark = " (first)" if v.first else ""
        lines.append(f"| {md(v.name)}{mark} | {md(v.published or 'unknown')} | {title} | {v.words} | "
                     f"{v.shared} | {v.reworded} | {v.only_here} |")  # fmt: skip
    if export.discrepancies:
        lines += ["", "## Where the versions differ", ""]
        for d in export.discrepancies:
            lines.append(f"- **{md(d.summary)}**")
            lines += [f"  - {md(name)}: {md(value)}" for name, value in d.values]
            if d.absent:
                lines.append(f"  - not stated by {md(outlets_line(d.absent))}")
    if export.quotes:
        lines += ["", "## Quotes", ""]
        for q in export.quotes:
            who = f" — {md(q.speaker)}" if q.speaker else ""
            lines.append(f"- “{md(q.text)}”{who} ({md(q.name)})")
            if not q.matches:
                lines.append("  - no other version carries it")
            for m in q.matches:
                words = _md_diff(m.diff) if m.kind == "altered" and m.diff else f"“{md(m.text)}”"
                lines.append(f"  - {md(m.name)}, {m.kind} ({m.score:.0f}): {words}")
    if export.only_here:
        lines += ["", "## Told by one version only", ""]
        for o in export.only_here:
            lines.append(f"### {md(o.name)}")
            lines += ["", *[f"- {md(p)}" for p in o.passages]]
            if o.more:
                lines.append(f"- … and {o.more} more")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# --- HTML ---------------------------------------------------------------------------------------
def h(text: str | None) -> str:
    """Untrusted text as HTML text: control characters gone, every markup character escaped."""
    return html.escape(_clean(text), quote=True)


_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;
vertical-align:top}td.n{text-align:right}del{background:#fdd;text-decoration:line-through}
ins{background:#dfd;text-decoration:none}.kind{font-size:.85em;color:#555}.first{font-weight:bold}
blockquote{margin:.5rem 0 .2rem;padding-left:.8rem;border-left:3px solid #999}
"""


def _html_diff(ops: Sequence[DiffOp]) -> str:
    return _diff(ops, h, "<del>{}</del>", "<ins>{}</ins>")


def to_html(export: StoryExport) -> str:
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="referrer" content="no-referrer">',
        f"<title>{h(export.title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{h(export.title)}</h1>",
    ]
    span = " to ".join(dict.fromkeys(d for d in (export.first_published, export.last_published) if d))
    parts.append(f"<p>{len(export.versions)} versions from {h(outlets_line(v.name for v in export.versions))}"
                 + (f", published {h(span)}" if span else "") + ".</p>")  # fmt: skip
    first = [v.name for v in export.versions if v.first]
    if first:
        parts.append(f'<p class="first">First reported by {h(outlets_line(first))}.</p>')
    parts.append("<h2>Versions</h2><table><tr><th>outlet</th><th>published</th><th>title</th><th>words</th>"
                 "<th>shared</th><th>reworded</th><th>only here</th></tr>")  # fmt: skip
    for v in export.versions:
        # The address is shown as text, not as a link: a page opened from a file must not be one
        # click from an address an article chose.
        url = f'<br><span class="kind">{h(v.url)}</span>' if v.url else ""
        mark = " (first)" if v.first else ""
        parts.append(f"<tr><td>{h(v.name)}{mark}</td><td>{h(v.published or 'unknown')}</td>"
                     f"<td>{h(v.title)}{url}</td><td class=\"n\">{v.words}</td><td class=\"n\">{v.shared}</td>"
                     f"<td class=\"n\">{v.reworded}</td><td class=\"n\">{v.only_here}</td></tr>")  # fmt: skip
    parts.append("</table>")
    if export.discrepancies:
        parts.append("<h2>Where the versions differ</h2><ul>")
        for d in export.discrepancies:
            items = "".join(f"<li>{h(name)}: {h(value)}</li>" for name, value in d.values)
            if d.absent:
                items += f"<li>not stated by {h(outlets_line(d.absent))}</li>"
            parts.append(f"<li><strong>{h(d.summary)}</strong><ul>{items}</ul></li>")
        parts.append("</ul>")
    if export.quotes:
        parts.append("<h2>Quotes</h2>")
        for q in export.quotes:
            who = f" — {h(q.speaker)}" if q.speaker else ""
            parts.append(f"<blockquote>“{h(q.text)}”</blockquote><p>{who} ({h(q.name)})</p><ul>")
            if not q.matches:
                parts.append("<li>no other version carries it</li>")
            for m in q.matches:
                words = _html_diff(m.diff) if m.kind == "altered" and m.diff else f"“{h(m.text)}”"
                parts.append(f'<li>{h(m.name)} <span class="kind">{h(m.kind)} ({m.score:.0f})</span>: {words}</li>')
            parts.append("</ul>")
    if export.only_here:
        parts.append("<h2>Told by one version only</h2>")
        for o in export.only_here:
            items = "".join(f"<li>{h(p)}</li>" for p in o.passages)
            if o.more:
                items += f"<li>… and {o.more} more</li>"
            parts.append(f"<h3>{h(o.name)}</h3><ul>{items}</ul>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def render(export: StoryExport, fmt: str) -> str:
    """The export in one of `FORMATS`."""
    if fmt == "md":
        return to_markdown(export)
    if fmt == "html":
        return to_html(export)
    if fmt == "json":
        import json

        from tuireader.model import to_jsonable

        return json.dumps(to_jsonable(export), ensure_ascii=False, indent=2) + "\n"
    raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
