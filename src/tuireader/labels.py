"""How a version of a story is named wherever it is shown: the list, the reader, the tables, JSON.

The rule, in one place so that the command line and the reader never disagree:

* a version whose outlet is known (stated by the file, found in the page, or the URL's registered
  domain, as cleaning settles it) is called by its outlet;
* where two versions of one story share an outlet, each adds its publication day (and time, when
  the day is shared), and where that does not tell them apart either, its file tag;
* a version with no outlet is called `#` and its file tag, which no two files share: the number
  its file name starts with when no other file starts so (`#003`, as `ls` shows), else its whole
  file name when short (`#1_12ecb`), else the shortest beginning of it that no other file has
  (`#20240515_5b90`).

Labels are computed over a whole library at once (`version_labels`): uniqueness is a property of
the set, not of one file.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from tuireader.model import ArticleSummary, Discrepancy, Revision
from tuireader.safety import printable

SHORT_ID = 16  # file names up to this long are shown whole
MIN_HASH = 4  # characters after the `_` a shortened file name keeps at least


def source_name(outlet: str | None, article_id: str) -> str:
    """A version's name when the library's labels are not at hand: its outlet, else its file's
    number (`#003`) or id. Prefer `version_labels` (or `ArticleSummary.label`), which never repeat."""
    if outlet and outlet.strip():
        return printable(outlet, keep_newlines=False)
    head = article_id.split("_", 1)[0]
    if head.isdigit():
        return f"#{head}"
    return printable(article_id, keep_newlines=False)[:SHORT_ID]


def version_labels(summaries: Iterable[ArticleSummary]) -> dict[str, str]:
    """Article id -> its label (see the module docstring): no two alike among the versions of a
    story, nor among the files that have no outlet. Linear: 100,000 rows take a fraction of a second."""
    shown: dict[str, str] = {}  # outlets repeat: each distinct spelling made printable once
    anonymous: list[str] = []
    stories: dict[str, list[tuple[ArticleSummary, str]]] = defaultdict(list)
    for s in summaries:
        outlet = ""
        if s.outlet:
            outlet = shown.get(s.outlet) or shown.setdefault(s.outlet, printable(s.outlet, keep_newlines=False).strip())
        if not outlet:
            anonymous.append(s.id)
        stories[s.story or s.id].append((s, outlet))
    labels = {aid: f"#{tag}" for aid, tag in file_tags(anonymous).items()}
    for members in stories.values():
        if len(members) == 1:
            s, outlet = members[0]
            if outlet:
                labels[s.id] = outlet
            continue
        same_outlet: dict[str, list[ArticleSummary]] = defaultdict(list)
        for s, outlet in members:
            if outlet:
                same_outlet[outlet.casefold()].append(s)
        for group in same_outlet.values():
            outlet = shown[group[0].outlet]  # type: ignore[index]
            if len(group) == 1:
                labels[group[0].id] = outlet
                continue
            when = {s.id: _when(s.published, group) for s in group}
            counts = Counter(when.values())
            tags = file_tags(s.id for s in group if not when[s.id] or counts[when[s.id]] > 1)
            for s in group:
                labels[s.id] = f"{outlet} #{tags[s.id]}" if s.id in tags else f"{outlet} {when[s.id]}"
        _distinct(labels, [s.id for s, _outlet in members])
    return labels


def _when(published: str | None, group: list[ArticleSummary]) -> str:
    """The publication day, or day and time when another version of the group has the same day."""
    if not published:
        return ""
    day = published[:10]
    if sum(1 for s in group if (s.published or "")[:10] == day) > 1 and len(published) >= 16:
        return published[:16].replace("T", " ")
    return day


def file_tags(ids: Iterable[str]) -> dict[str, str]:
    """The shortest readable part of each file name that none of the others shares."""
    ids = list(ids)
    heads = Counter(aid.split("_", 1)[0] for aid in ids)
    starts: dict[str, list[str]] = defaultdict(list)  # ids by their shortest allowed beginning
    for aid in ids:
        starts[aid[: _shortest(aid)]].append(aid)
    tags: dict[str, str] = {}
    for aid in ids:
        head, sep, _rest = aid.partition("_")
        if sep and heads[head] == 1 and head.isdigit() and len(head) < 8:  # eight digits are a day
            tag = head
        elif len(aid) <= SHORT_ID:
            tag = aid
        else:
            n = _shortest(aid)
            others = [other for other in starts[aid[:n]] if other != aid]
            while n < len(aid) and any(other.startswith(aid[:n]) for other in others):
                n += 1
            tag = aid[:n]
        tags[aid] = printable(tag, keep_newlines=False)
    return tags


def _shortest(aid: str) -> int:
    head, sep, _rest = aid.partition("_")
    return len(head) + len(sep) + MIN_HASH


def _distinct(labels: dict[str, str], story: list[str]) -> None:
    """Make sure within one story (an outlet may be spelt like another version's tag, or two
    spellings of one outlet differ in case): a label met twice there gets the article id."""
    seen = Counter(labels[aid].casefold() for aid in story)
    for aid in story:
        if seen[labels[aid].casefold()] > 1:
            labels[aid] = f"{labels[aid]} ({aid})"


def _changed_values(d: Discrepancy) -> list[str]:
    """The two values of a revision discrepancy as its summary words them (hedges and counted
    nouns dropped: "245 → 260"), else as the revisions write them."""
    shown = d.summary[len(d.what) + 2 :].split(" / ") if d.summary.startswith(d.what + ": ") else []
    return shown if len(shown) == len(d.values) else list(d.values.values())


def _what_and_where(d: Discrepancy) -> tuple[str, str]:
    """A discrepancy's label as the quantity and the words around it: "passengers ferry carrying"
    -> ("passengers", "ferry carrying"); "distance: east of Moscow" -> ("distance", "east of Moscow")."""
    if d.kind == "count" and " " in d.what:
        head, _, context = d.what.partition(" ")
        return head, context
    if d.kind not in {"attribution", "role"} and ": " in d.what:
        head, _, context = d.what.partition(": ")
        return head, context
    return d.what + ":", ""


def revision_change_lines(revisions: Iterable[Revision]) -> list[str]:
    """What each revision states differently from the one before, as the command line and the
    reader's revision screen word it: "r2 → r3: passengers 245 → 260 (ferry carrying)"."""
    revisions = list(revisions)
    number = {r.article: r.number for r in revisions}
    lines = []
    for r in revisions:
        for d in r.discrepancies:
            ids = list(d.values)
            values = _changed_values(d)
            if len(ids) != 2:
                continue
            step = f"r{number.get(ids[0], '?')} → r{number.get(ids[1], '?')}"
            head, context = _what_and_where(d)
            where = f" ({context})" if context else ""
            lines.append(printable(f"{step}: {head} {values[0]} → {values[1]}{where}", keep_newlines=False))
    return lines
