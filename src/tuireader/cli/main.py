"""The command line: the reader by default, and scriptable verbs whose JSON shapes are a contract.

Exit status: 0 when all went well, 1 when some inputs failed (each named on stderr), 2 for usage
errors. Human output goes through Rich with every untrusted string wrapped in `Text`, so article
content is never read as markup.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tuireader.model import AnalysisUnavailable, ArticleView, Discrepancy, Problem, to_jsonable
from tuireader.safety import printable

if TYPE_CHECKING:  # the library is imported when a verb runs, not at start-up
    from tuireader.library import Library, ScanReport

_OPENED: list[Any] = []  # libraries opened by this command, whose notices main() prints


def _library(args: argparse.Namespace, *, worker: bool = False):
    """The Library of `--library`; with `--store URL`, on that shared archive (`worker`: this
    command writes the archive from the folder; otherwise it only reads it)."""
    from tuireader.library import Library, store_backend

    store = getattr(args, "store", None)
    stores = store_backend(store, worker=worker) if store or worker else None
    lib = Library(args.library, cache_dir=args.cache_dir, stores=stores)
    _OPENED.append(lib)
    return lib


def _print_notices() -> None:
    """One line on stderr per cache file that was damaged and rebuilt (Library.notices)."""
    from rich.text import Text

    err = _console(stderr=True)
    for lib in _OPENED:
        for line in lib.notices:
            err.print(Text("notice: ", style="yellow") + Text(printable(line, keep_newlines=False)))
        lib.notices.clear()


def _os_error_problem(exc: OSError) -> Problem:
    """A file-system failure as one line naming the path and the cause (disk full, read-only...)."""
    from tuireader.fsutil import os_error_cause, shown_path

    cause = os_error_cause(exc)
    where = shown_path(exc.filename) if exc.filename is not None else "tuireader"
    return Problem(str(where), cause)


def _console(stderr: bool = False):
    from tuireader.cli.render import SafeConsole

    # Messages on stderr are never wrapped: one problem, one line, whatever the terminal width.
    return SafeConsole(stderr=stderr, highlight=False, soft_wrap=stderr)


def _report_problems(problems: list[Problem]) -> None:
    if not problems:
        return
    from rich.text import Text

    err = _console(stderr=True)
    for p in problems:
        err.print(Text("error: ", style="bold red") + Text(printable(str(p), keep_newlines=False)))


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(data), ensure_ascii=False, indent=2) + "\n")


def _safe(value: str | None) -> str:
    return printable(value or "", keep_newlines=False)


# --- verbs ----------------------------------------------------------------------------------------
def _list_filter(lib, args: argparse.Namespace, text: str = ""):  # noqa: ANN001, ANN202 - Library, ListFilter
    """The filter `--view`, `--feed` (and `--filter`) ask for; a usage error (exit 2) names what
    cannot be read."""
    from tuireader.filters import FilterError, ListFilter, combine, parse_filter

    flt = ListFilter()
    if getattr(args, "view", None):
        views = lib.saved_views()
        if args.view not in views:
            known = ", ".join(sorted(views)) or "none; add [views.NAME] tables to config.toml"
            raise _UsageError(f"no saved view {args.view!r} (saved views: {known})")
        flt = views[args.view]
    words = [text] if text else []
    words += [f'feed:"{f}"' if " " in f else f"feed:{f}" for f in (getattr(args, "feed", None) or [])]
    try:
        return combine(flt, parse_filter(" ".join(words))) if words else flt
    except FilterError as exc:
        raise _UsageError(str(exc)) from exc


class _UsageError(Exception):
    """A mistake in the command line (exit status 2)."""


def cmd_list(args: argparse.Namespace) -> int:
    lib = _library(args)
    try:
        flt = _list_filter(lib, args, args.filter or "")
    except _UsageError as exc:
        _report_problems([Problem("list", str(exc))])
        return 2
    report = lib.scan()
    rows = lib.filtered(flt)
    if args.json:
        _print_json(rows)
    else:
        from rich.table import Table
        from rich.text import Text

        console = _console()
        wide = console.width >= 110  # the story column only when there is room for titles too
        table = Table(title=f"{len(rows)} articles in {lib.root}", title_justify="left", expand=True)
        table.add_column("id", style="dim", no_wrap=True, min_width=8)
        table.add_column("outlet", style="cyan", no_wrap=True, max_width=16)
        table.add_column("published", style="green", no_wrap=True)
        table.add_column("title", style="bold", ratio=1, no_wrap=True, overflow="ellipsis", min_width=16)
        if wide:
            table.add_column("story", style="magenta", no_wrap=True, max_width=14)
        table.add_column("words", justify="right", no_wrap=True)
        for r in rows:
            cells = [Text(r.id), Text(_safe(r.outlet) or "?"), Text((r.published or "?")[:10]), Text(_safe(r.title))]
            if wide:
                cells.append(Text(r.story or ""))
            table.add_row(*cells, Text(str(r.words)))
        console.print(table)
    _report_problems(report.problems)
    return 1 if report.problems else 0


def show_json(view: ArticleView, labels: Mapping[str, str]) -> dict[str, Any]:
    a = view.article
    return {
        "id": a.id,
        "label": labels.get(a.id, a.id),
        "path": a.path,
        "outlet": a.outlet,
        "title": a.title,
        "url": a.url,
        "published": a.published,
        "dates_seen": to_jsonable(a.dates_seen),
        "authors": list(a.authors),
        "wire": a.wire,
        "dateline": a.dateline,
        "tags": list(a.tags),
        "language": a.language,
        "words": a.words,
        "reading_minutes": a.reading_minutes,
        "provenance": dict(a.provenance),
        "story": view.story.id if view.story else None,
        "text": a.text,
        "captions": list(a.captions),
        "entities": [
            {**to_jsonable(le.entity), "outlets": list(le.outlets)} for le in view.entities
        ],
        "quotes": [
            {
                **to_jsonable(lq.quote),
                "travel": lq.travel,
                "matches": [{**to_jsonable(m), "label": labels.get(m.article, m.article)} for m in lq.matches],
            }
            for lq in view.quotes
        ],
        "reported": [to_jsonable(r) for r in view.reported],
        "sentences": [
            {"start": s.start, "end": s.end, "status": s.status, "pairs": [to_jsonable(p) for p in s.pairs]}
            for s in view.sentences
        ],
        "discrepancies": [discrepancy_json(d) for d in (view.story.discrepancies if view.story else ())],
    }


def discrepancy_json(d: Discrepancy) -> dict[str, Any]:
    return {
        "what": d.what,
        "summary": d.summary,
        "kind": d.kind,
        "values": dict(d.values),
        "spans": {aid: list(span) for aid, span in d.spans.items()},
        "absent": list(d.absent),
    }


def resolve_article_id(given: str, ids: Iterable[str], labels: Mapping[str, str] | None = None) -> str | None:
    """The article `given` names: its id, the label the reader and `list` show for it (`#001`,
    `Tribune 2024-05-15`), the number its file name starts with (`001`, `1`), or an unambiguous
    beginning of its id, when exactly one matches."""
    ids = list(ids)
    if given in ids:
        return given
    by_label = [aid for aid, label in (labels or {}).items() if label.casefold() == given.strip().casefold()]
    if len(by_label) == 1:
        return by_label[0]
    label = given.strip().removeprefix("#")
    if label in ids:
        return label
    matches = [i for i in ids if i.split("_", 1)[0] == label]
    if not matches and label.isdigit():
        matches = [i for i in ids if (head := i.split("_", 1)[0]).isdigit() and int(head) == int(label)]
    if not matches and len(label) >= 4:
        matches = [i for i in ids if i.startswith(label)]  # an unambiguous prefix of the id
    return matches[0] if len(matches) == 1 else None


def _resolve_any_revision(lib, given: str) -> str | None:  # noqa: ANN001 - Library
    """`resolve_article_id` over the list, else the exact id of an older revision of an article."""
    article_id = resolve_article_id(given, lib.summaries(), lib.labels())
    if article_id is None:
        try:
            lib.revisions(given)
        except KeyError:
            return None
        article_id = given
    return article_id


def cmd_show(args: argparse.Namespace) -> int:
    lib = _library(args)
    report = lib.scan()
    article_id = _resolve_any_revision(lib, args.id)
    if article_id is None:
        _report_problems([Problem(args.id, "no such article in " + str(lib.root))])
        return 1
    if args.revision is not None:
        revisions = lib.revisions(article_id)
        chosen = [r for r in revisions if r.number == args.revision]
        if not chosen:
            numbers = [r.number for r in revisions]
            held = "one revision" if len(numbers) == 1 else f"revisions {numbers[0]} to {numbers[-1]}"
            _report_problems([Problem(args.id, f"no revision {args.revision} (it has {held})")])
            return 1
        article_id = chosen[0].article
        if not args.json and len(revisions) > 1:
            from rich.text import Text

            _console().print(Text(f"revision {args.revision} of {len(revisions)} ({_safe(article_id)})", style="dim"))
    problems = list(report.problems)
    try:
        view = lib.view(article_id)
    except AnalysisUnavailable as e:  # the article still reads, without its links to other versions
        view = ArticleView(lib.article(article_id), None)
        problems.append(Problem(article_id, f"highlights unavailable: {e}"))
    if args.json:
        _print_json(show_json(view, lib.labels()))
    else:
        from tuireader.cli.render import render_view

        _console().print(render_view(view, lib.labels()))
    _report_problems(problems)
    return 1 if len(problems) > len(report.problems) else 0


def cmd_revisions(args: argparse.Namespace) -> int:
    lib = _library(args)
    report = lib.scan()
    article_id = _resolve_any_revision(lib, args.id)
    if article_id is None:
        _report_problems([Problem(args.id, "no such article in " + str(lib.root))])
        return 1
    from rich.text import Text

    from tuireader.cli.render import render_revision_changes

    revisions = lib.revisions(article_id, figures=True)
    if args.json:
        _print_json(revisions)
    elif len(revisions) == 1:
        _console().print(Text(f"{_safe(article_id)} has one revision"))
    else:
        from rich.table import Table

        table = Table(title=f"{len(revisions)} revisions of {_safe(revisions[0].article)}", title_justify="left")
        table.add_column("rev", justify="right", no_wrap=True)
        table.add_column("id", style="dim", no_wrap=True, min_width=len(revisions[-1].article))
        table.add_column("fetched", style="green", no_wrap=True)
        table.add_column("words", justify="right", no_wrap=True)
        table.add_column("changed", justify="right", no_wrap=True)
        for r in revisions:
            fetched = _safe(r.fetched)[:16].replace("T", " ") or "–"
            table.add_row(Text(str(r.number)), Text(_safe(r.article)), Text(fetched), Text(str(r.words)),
                          Text("–" if r.changed is None else str(r.changed)))  # fmt: skip
        _console().print(table)
        _console().print(render_revision_changes(revisions))
    _report_problems(report.problems)
    return 1 if report.problems else 0


def cmd_stories(args: argparse.Namespace) -> int:
    lib = _library(args)
    report = lib.scan()
    try:
        _link_stories_with_progress(lib)
        stories = lib.stories()
        coverage = {s.id: lib.coverage(s.id) for s in stories}
    except AnalysisUnavailable as e:  # stories still group; what they share needs the analysis
        stories = lib.stories(with_discrepancies=False)
        coverage = {}
        report.problems.append(Problem(str(lib.root), f"discrepancies unavailable: {e}"))
    if args.json:
        labels = lib.labels()
        _print_json(
            [
                {
                    "id": s.id,
                    "title": s.title,
                    "articles": list(s.articles),
                    "labels": {aid: labels.get(aid, aid) for aid in s.articles},
                    "outlets": list(s.outlets),
                    "first_published": s.first_published,
                    "last_published": s.last_published,
                    "follows": s.follows,
                    "discrepancies": [discrepancy_json(d) for d in s.discrepancies],
                    "versions": [
                        {"id": aid, "outlet": lib.summaries()[aid].outlet, **_coverage_json(counts)}
                        for aid, counts in coverage.get(s.id, {}).items()
                    ],
                }
                for s in stories
            ]
        )
    else:
        from tuireader.cli.render import render_stories

        if stories:
            _console().print(render_stories(stories, lib.labels(), coverage))
        else:
            why = "no article could be read" if report.problems else "no articles"
            _console().print(f"no stories: {why} in {_safe(str(lib.root))}", soft_wrap=True, markup=False)
    _report_problems(report.problems)
    return 1 if report.problems else 0


def _coverage_json(counts: dict[str, int]) -> dict[str, int]:
    return {"shared": counts["shared"], "reworded": counts["reworded"], "only_here": counts["only here"]}


def _link_stories_with_progress(lib) -> None:
    """Compare the versions of every multi-version story (cached), with a progress bar on stderr.

    Discrepancies need each version analysed; on a large new library that is minutes of spaCy,
    so the user sees it advance instead of a silent terminal.
    """
    todo = [sid for sid, members in lib.story_groups().items() if len(members) > 1]
    if len(todo) < 3:
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("comparing versions"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=_console(stderr=True), transient=True) as bar:
        task = bar.add_task("stories", total=len(todo))
        for sid in todo:
            lib.links(sid)
            bar.advance(task)


def cmd_search(args: argparse.Namespace) -> int:
    if not args.query.strip():
        _report_problems([Problem("search", "the query is empty")])
        return 2
    lib = _library(args)
    from tuireader.filters import FilterError

    try:
        base = _list_filter(lib, args)
    except _UsageError as exc:
        _report_problems([Problem("search", str(exc))])
        return 2
    report = lib.scan()
    words = [f"{name}:{value}" if " " not in value else f'{name}:"{value}"'
             for name, value in (("outlet", args.outlet), ("since", args.since), ("until", args.until)) if value]
    try:
        hits = lib.search_text(" ".join([args.query, *words]), base=None if base.empty else base, story=args.story,
                               limit=args.limit)  # fmt: skip
    except FilterError as exc:
        _report_problems([Problem("search", str(exc))])
        return 2
    if args.json:
        labels = lib.labels()
        _print_json(
            [
                {"article": h.article, "label": labels.get(h.article, h.article), "outlet": h.outlet, "story": h.story, "text": h.text,
                 "score": round(h.score, 1), "start": h.start, "end": h.end, "kind": h.kind}
                for h in hits
            ]
        )
    else:
        from tuireader.cli.render import render_hits

        if hits:
            _console().print(render_hits(args.query, hits, lib.labels()))
        else:
            filters = [f"{name} {value!r}" for name, value in (("outlet", args.outlet), ("story", args.story),
                       ("since", args.since), ("until", args.until), ("feed", " or ".join(args.feed or [])),
                       ("view", args.view)) if value]  # fmt: skip
            where = f" (with {', '.join(filters)})" if filters else ""
            query = _safe(args.query)
            query = query if len(query) <= 80 else query[:79] + "…"
            from rich.text import Text

            _console().print(Text(f"no matches for {query!r}{where}"), soft_wrap=True)
    _report_problems(report.problems)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    lib = _library(args)
    report = lib.scan()
    given = resolve_article_id(args.story, lib.summaries()) or args.story
    story_id = lib.story_id_for(given)
    if story_id is None:
        _report_problems([Problem(args.story, "no such story or article in " + str(lib.root))])
        return 1
    document = lib.export_story(story_id, args.format)
    if args.output:
        from tuireader.fsutil import write_atomic

        write_atomic(args.output, document.encode("utf-8"))
        _console(stderr=True).print(f"wrote {_safe(str(args.output))}", markup=False)
    else:
        sys.stdout.write(document)
    _report_problems(report.problems)
    return 0


def cmd_scan(args: argparse.Namespace) -> int:
    """Bring the catalog, stories and search index (a shared archive's too) in line with the folder."""
    lib = _library(args, worker=True)
    try:
        report = lib.rebuild() if args.rebuild else lib.scan()
    finally:
        lib.close()
    where = f" into {_safe(getattr(args, 'store', None) or '')}" if lib.shared else ""
    print(f"{len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed{where}",
          file=sys.stderr)
    _report_problems(report.problems)
    return 1 if report.problems else 0


def cmd_ingest(args: argparse.Namespace) -> int:
    lib = _library(args, worker=True)
    report = lib.ingest(args.sources)
    from rich.text import Text

    out = _console(stderr=True)
    for aid in report.added:
        out.print(Text("added ", style="green") + Text(aid))
    for aid in report.revised:
        out.print(Text("new revision ", style="green") + Text(aid))
    for source, existing in report.duplicates:
        if source.startswith(("http://", "https://")):  # asked again: not modified, or the same text
            out.print(Text("unchanged ", style="yellow") + Text(_safe(source)) + Text(f": {existing} is up to date"))
            continue
        out.print(Text("skipped ", style="yellow") + Text(_safe(source)) + Text(f": same content as {existing}"))
    for source in report.unchanged:
        out.print(Text("nothing new ", style="yellow") + Text(_safe(source)) + Text(": every entry is stored"))
    _report_problems(report.problems)
    return 1 if report.problems else 0


def cmd_analyze(args: argparse.Namespace) -> int:
    """Analyse and link the whole library now (cached), so `show` and the reader answer at once."""
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
    from rich.text import Text

    if args.workers is not None and args.workers < 1:
        _report_problems([Problem("--workers", "must be at least 1")])
        return 2
    lib = _library(args)
    report = lib.scan()
    start = time.perf_counter()
    counts = {"analysing": 0, "linking": 0}
    err = _console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err, transient=True) as bar:  # fmt: skip
        task = bar.add_task("analysing articles", total=None)
        phase = ["analysing"]

        def progress(done: int, total: int, what: str) -> None:
            if what in counts and done == 0:
                phase[0] = what
                bar.reset(task, total=total, description=f"{what} {'articles' if what == 'analysing' else 'stories'}")
            counts[phase[0]] = total
            bar.update(task, completed=done)

        problems = lib.analyze_all(progress, workers=args.workers)
    seconds = time.perf_counter() - start
    articles = f"{counts['analysing']} article{'' if counts['analysing'] == 1 else 's'}"
    stories = f"{counts['linking']} stor{'y' if counts['linking'] == 1 else 'ies'}"
    err.print(Text(f"analysed {articles} and linked {stories} in {seconds:.1f} s"))
    _report_problems(report.problems + problems)
    return 1 if report.problems or problems else 0


def cmd_config(args: argparse.Namespace) -> int:
    """Where the settings file is, what is in force (and where each value comes from), and where
    tuireader keeps its cache and state."""
    from tuireader import locations
    from tuireader.config import load_config

    config = load_config()
    settings = {name: {"value": str(value) if isinstance(value, Path) else value, "from": source}
                for name, value, source in config.items()}  # fmt: skip
    paths = {"config_file": str(locations.config_file()), "library": str(args.library),
             "cache": str(args.cache_dir or locations.cache_dir()), "state": str(locations.state_dir())}  # fmt: skip
    if args.json:
        _print_json({"paths": paths, "settings": settings, "problems": list(config.problems)})
    else:
        from rich.table import Table
        from rich.text import Text

        console = _console()
        exists = "" if locations.config_file().exists() else "  (not there: the defaults are in force)"
        console.print(Text(f"config file  {paths['config_file']}{exists}"), soft_wrap=True)
        for name in ("library", "cache", "state"):
            console.print(Text(f"{name:<12} {paths[name]}"), soft_wrap=True)
        table = Table(box=None, show_header=True, pad_edge=False)
        table.add_column("setting", style="bold")
        table.add_column("in force")
        table.add_column("from", style="dim")
        for name, entry in settings.items():
            value = entry["value"]
            shown = "(none)" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
            table.add_row(Text(name), Text(_safe(shown)), Text(entry["from"]))
        console.print(table)
    _report_problems([Problem(str(config.path or locations.config_file()), p) for p in config.problems])
    return 1 if config.problems else 0


def cmd_reader(args: argparse.Namespace) -> int:
    from tuireader.tui.app import run_reader

    return run_reader(args.library, cache_dir=args.cache_dir, store=getattr(args, "store", None))


# --- corrections to stories: stories move | split | merge | decisions ------------------------------
def _story_arg(lib, given: str) -> str | None:
    """The story `given` names: a story id, or an article's id, label or number."""
    return lib.story_id_for(resolve_article_id(given, lib.summaries(), lib.labels()) or given)


def _story_line(lib, story_id: str) -> str:
    members = lib.story_groups().get(story_id, [])
    title = lib.story(story_id, with_discrepancies=False).title if members else ""
    versions = f"{len(members)} version{'' if len(members) == 1 else 's'}"
    return f"{story_id} ({versions}): {_safe(title)}"


def _correction_failed(given: str, exc: Exception, lib) -> int:
    if isinstance(exc, KeyError):
        _report_problems([Problem(given, "no such story or article in " + str(lib.root))])
        return 1
    if isinstance(exc, OSError):
        _report_problems([Problem(str(lib.decisions.path), f"cannot save the decision ({exc.strerror or exc})")])
        return 1
    _report_problems([Problem(given, str(exc))])
    return 2


def _not_found(lib: Library, report: ScanReport, given: str, why: str | None = None) -> int:
    """Exit 1 naming what the user gave that is not in the library (after the scan's problems)."""
    _report_problems(report.problems + [Problem(given, why or "no such story or article in " + str(lib.root))])
    return 1


def _corrected(lib: Library, report: ScanReport, given: str, apply: Callable[[], str]) -> str | int:
    """The story a correction leaves (`apply`'s answer), or the exit code of its failure, reported."""
    try:
        return apply()
    except (KeyError, ValueError, OSError) as exc:
        _report_problems(report.problems)
        return _correction_failed(given, exc, lib)


def cmd_stories_move(args: argparse.Namespace) -> int:
    lib = _library(args)
    report = lib.scan()
    article_id = resolve_article_id(args.id, lib.summaries(), lib.labels())
    if article_id is None:
        return _not_found(lib, report, args.id, "no such article in " + str(lib.root))
    target = args.to if args.to == "new" else _story_arg(lib, args.to)
    if target is None:
        return _not_found(lib, report, args.to)
    story = _corrected(lib, report, args.id, lambda: lib.move_version(article_id, target))
    if isinstance(story, int):
        return story
    _console().print(f"moved {article_id} to {_story_line(lib, story)}", markup=False, soft_wrap=True)
    _report_problems(report.problems)
    return 0


def cmd_stories_split(args: argparse.Namespace) -> int:
    lib = _library(args)
    report = lib.scan()
    story = _story_arg(lib, args.story)
    if story is None:
        return _not_found(lib, report, args.story)
    chosen = []
    for given in args.ids:
        aid = resolve_article_id(given, lib.story_groups()[story], lib.labels())
        if aid is None:
            return _not_found(lib, report, given, f"not a version of {story}")
        chosen.append(aid)
    left = [a for a in lib.story_groups()[story] if a not in chosen]
    new = _corrected(lib, report, args.story, lambda: lib.split_story(story, chosen))
    if isinstance(new, int):
        return new
    console = _console()
    console.print(f"new story {_story_line(lib, new)}", markup=False, soft_wrap=True)
    if left:
        console.print(f"left in {_story_line(lib, lib.story_of(left[0]) or left[0])}", markup=False, soft_wrap=True)
    _report_problems(report.problems)
    return 0


def cmd_stories_merge(args: argparse.Namespace) -> int:
    lib = _library(args)
    report = lib.scan()
    found = [_story_arg(lib, given) for given in (args.a, args.b)]
    for given, story in zip((args.a, args.b), found, strict=True):
        if story is None:
            return _not_found(lib, report, given)
    merged = _corrected(lib, report, args.a, lambda: lib.merge_stories(found[0], found[1]))  # type: ignore[arg-type]
    if isinstance(merged, int):
        return merged
    _console().print(f"merged into {_story_line(lib, merged)}", markup=False, soft_wrap=True)
    _report_problems(report.problems)
    return 0


def cmd_stories_decisions(args: argparse.Namespace) -> int:
    lib = _library(args)
    report = lib.scan()
    if args.undo is not None:
        try:
            removed = lib.undo_decision(None if args.undo == "last" else int(args.undo))
        except ValueError:
            _report_problems([Problem(args.undo, "--undo takes a decision number (see `stories decisions`) or last")])
            return 2
        except OSError as exc:
            return _correction_failed(args.undo, exc, lib)
        if removed is None:
            _report_problems(report.problems + [Problem(args.undo, "no such decision")])
            return 1
        _console().print(f"undid {removed.n}: {_safe(removed.describe())}", markup=False, soft_wrap=True)
        _report_problems(report.problems)
        return 0
    states = lib.story_decisions()
    if args.json:
        _print_json([{**st.decision.to_json(), "status": st.status, "missing": list(st.missing)} for st in states])
    elif not states:
        _console().print(f"no decisions about stories in {_safe(str(lib.root))}", markup=False, soft_wrap=True)
    else:
        from rich.text import Text

        console = _console()
        console.print(Text(f"decisions about stories, oldest first ({_safe(str(lib.decisions.path))}):"), soft_wrap=True)
        for st in states:
            d = st.decision
            line = Text(f"{d.n:>3}  ") + Text(d.at.replace("T", " ").rstrip("Z")[:16], style="green") + Text("  ")
            line += Text(f"{st.status:<12}", style="" if st.status == "applied" else "bold yellow")
            line += Text(" " + _safe(d.describe()))
            if st.missing:
                line += Text(f" (gone: {', '.join(st.missing)})", style="yellow")
            console.print(line, soft_wrap=True)
            if d.note:
                console.print(Text("     " + _safe(d.note), style="dim"), soft_wrap=True)
    _report_problems(report.problems)
    return 1 if report.problems else 0


def register_story_corrections(stories: argparse.ArgumentParser, parents: list[argparse.ArgumentParser]) -> None:
    """`stories move|split|merge|decisions`: the user's word on which versions tell one story."""
    sub = stories.add_subparsers(dest="stories_command", metavar="ACTION")
    p = sub.add_parser("move", parents=parents, help="move a version to another story, or to a story of its own",
                       epilog="examples: tuireader stories move 003 --to s_001_9f2c1d; tuireader stories move 003 --to new")  # fmt: skip
    p.add_argument("id", help="the version: an article id, label or number")
    p.add_argument("--to", required=True, metavar="STORY|new",
                   help="a story id, or an article of that story; new: a story of its own")
    p.set_defaults(func=cmd_stories_move)
    p = sub.add_parser("split", parents=parents, help="split a story: the versions named leave it, together",
                       epilog="example: tuireader stories split s_001_9f2c1d 004 005")  # fmt: skip
    p.add_argument("story", help="a story id, or an article of that story")
    p.add_argument("ids", nargs="+", metavar="ID", help="the versions that form the new story")
    p.set_defaults(func=cmd_stories_split)
    p = sub.add_parser("merge", parents=parents, help="merge two stories into one",
                       epilog="example: tuireader stories merge s_001_9f2c1d 007")  # fmt: skip
    p.add_argument("a", metavar="A", help="a story id, or an article of that story")
    p.add_argument("b", metavar="B", help="the other story")
    p.set_defaults(func=cmd_stories_merge)
    p = sub.add_parser("decisions", parents=parents, help="list (or undo) your decisions about stories",
                       description="Your moves, splits and merges, oldest first, kept in the library "
                                   "folder (.tuireader/stories.json). A decision about articles no longer "
                                   "in the library is kept but stale.")  # fmt: skip
    p.add_argument("--undo", nargs="?", const="last", metavar="N", help="take back decision N (default: the latest)")
    p.add_argument("--json", action="store_true", help="print JSON (one object per decision)")
    p.set_defaults(func=cmd_stories_decisions)


# --- parser ---------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--library", type=Path, default=argparse.SUPPRESS,
                        help="library folder (default: config.toml's `library`, else ./articles, else the user data folder)")
    common.add_argument("--cache-dir", type=Path, default=argparse.SUPPRESS,
                        help="cache folder (default: $TUIREADER_CACHE_DIR or the user cache folder)")
    common.add_argument("--store", metavar="URL", default=argparse.SUPPRESS,
                        help="a shared archive, postgresql://user@host/db (default: $TUIREADER_STORE, "
                             "config.toml's [store] url, else this machine's files)")

    parser = argparse.ArgumentParser(
        prog="tuireader", parents=[common],
        description="Read and compare how different outlets tell the same story. Without a command, "
                    "opens the reader on the library.",
        epilog="exit status: 0 all went well, 1 some inputs failed (each named on stderr in one line), "
               "2 usage error. examples: tuireader --library articles; tuireader stories; "
               "tuireader show 003 --json",
    )  # fmt: skip
    from tuireader import __version__

    parser.add_argument("--version", action="version", version=f"tuireader {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="log everything to tuireader.log in the state folder and show full tracebacks")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("list", parents=[common], help="list the library's articles",
                       epilog="filter words (--filter, and the reader's f): outlet:NAME feed:ADDRESS-OR-TITLE "
                              "since:YYYY-MM-DD until:YYYY-MM-DD unread outlets:N, other words in the title. "
                              "examples: tuireader list --filter 'outlet:harbor unread outlets:2'; "
                              "tuireader list --view morning --feed harbor.example; "
                              "tuireader list --json | jq '.[] | select(.outlet == \"Scripps News\")'")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print JSON (one object per article)")
    p.add_argument("--filter", metavar="WORDS", help="only what these filter words keep (see below)")
    p.add_argument("--feed", action="append", metavar="TEXT",
                   help="only articles fetched from a feed whose address or title contains TEXT (repeatable: any)")
    p.add_argument("--view", metavar="NAME", help="a saved view: config.toml's [views.NAME] filter")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("show", parents=[common], help="show one article with its cross-outlet links")
    p.add_argument("id", help="article id (the file's stem, e.g. 003_5b903ab4dc6d6d19), its label or number")
    p.add_argument("--json", action="store_true",
                   help="print JSON: text, quotes with matches, reported passages, aligned sentences, discrepancies")
    p.add_argument("--revision", type=int, metavar="N",
                   help="show revision N of the article (1: as first stored; see `tuireader revisions ID`)")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("revisions", parents=[common], help="list the stored revisions of an article",
                       epilog="example: tuireader revisions 20240514_5b903ab4dc6d6d19; "
                              "tuireader show 20240514_5b903ab4dc6d6d19 --revision 1")  # fmt: skip
    p.add_argument("id", help="article id (any revision's), its label or number")
    p.add_argument("--json", action="store_true",
                   help="print JSON: one object per revision (number, article, fetched, words, changed)")
    p.set_defaults(func=cmd_revisions)

    p = sub.add_parser("stories", parents=[common], help="list stories with their discrepancies")
    p.add_argument("--json", action="store_true",
                   help="print JSON: versions with shared/reworded/only-here counts, discrepancies")
    p.set_defaults(func=cmd_stories)
    register_story_corrections(p, parents=[common])

    p = sub.add_parser("search", parents=[common], help="search sentences and quotes across outlets",
                       epilog='examples: tuireader search "defense partnership"; '
                              'tuireader search \'"will likely be built"\' --outlet scripps --since 2023-06-01')  # fmt: skip
    p.add_argument("query", help='words to find (reworded variants too); "quoted words" must appear together; '
                                 'filter words narrow it: outlet:NAME feed:TEXT since:DATE until:DATE unread outlets:N')
    p.add_argument("--outlet", help="only versions whose outlet contains this (case-insensitive)")
    p.add_argument("--story", help="only this story (an id from `tuireader stories`)")
    p.add_argument("--since", help="earliest publication date (YYYY-MM-DD)")
    p.add_argument("--until", help="latest publication date (YYYY-MM-DD)")
    p.add_argument("--feed", action="append", metavar="TEXT",
                   help="only articles fetched from a feed whose address or title contains TEXT (repeatable: any)")
    p.add_argument("--view", metavar="NAME", help="only what a saved view keeps: config.toml's [views.NAME]")
    p.add_argument("--limit", type=int, default=20, help="at most this many results (default 20)")
    p.add_argument("--json", action="store_true", help="print JSON (one object per hit)")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("analyze", parents=[common], help="analyse and link every article now, on every core",
                       description="Find the names, quotes and figures of every article not analysed yet "
                                   "and link the versions of every story, with progress on stderr; the "
                                   "results are cached, so show, stories and the reader answer at once.")  # fmt: skip
    p.add_argument("--workers", "-j", type=int, default=None, help="worker processes (default: one per idle core)")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("export", parents=[common], help="a story's comparison as Markdown, HTML or JSON",
                       description="Write a story's comparison: its versions with their shared, reworded "
                                   "and only-here counts, who reported first, the quotes with their "
                                   "matches and word diffs, and where the versions differ. The HTML page "
                                   "is self-contained (no script, nothing loaded) with every article "
                                   "string escaped.")  # fmt: skip
    p.add_argument("story", metavar="STORY", help="a story id (see `stories`) or the id or #number of one of its articles")
    p.add_argument("--format", choices=("md", "html", "json"), default="md", help="md (default), html or json")
    p.add_argument("-o", "--output", type=Path, help="write to this file instead of standard output")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("scan", parents=[common], help="catalog the folder's articles (into --store's archive)",
                       description="Read what is new or changed in the library folder into the catalog, "
                                   "stories and search index; with --store, into the shared archive, "
                                   "which readers elsewhere follow.")  # fmt: skip
    p.add_argument("--rebuild", action="store_true",
                   help="forget the catalog, stories and search index and rebuild them from the article files")
    p.set_defaults(func=cmd_scan)

    p = sub.add_parser("ingest", parents=[common], help="add article files, pages or feeds",
                       description="Copy article files (.txt, .html, .htm; a folder stands for those "
                                   "in it) into the library without modifying them, or fetch a page or "
                                   "a feed's entries by URL.")  # fmt: skip
    p.add_argument("sources", nargs="+", metavar="FILE|FOLDER|URL", help="what to add (several at once)")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("config", parents=[common], help="show the settings file and what is in force",
                       description="Show where config.toml is (in the user config folder), the settings "
                                   "in force and where each comes from, and the cache and state folders.")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_config, needs_library=False)

    from tuireader.cli import completion, feeds

    feeds.register(sub, parents=[common])
    p = sub.add_parser("completion", help="print a shell completion script",
                       epilog="example: tuireader completion bash > ~/.local/share/bash-completion/completions/tuireader")  # fmt: skip
    p.add_argument("shell", choices=sorted(completion.SHELLS), help="the shell to complete in")
    p.set_defaults(func=lambda args: cmd_completion(args, parser), needs_library=False)
    p = sub.add_parser("manpage", help="print the manual page (roff)",
                       epilog="example: tuireader manpage > ~/.local/share/man/man1/tuireader.1")  # fmt: skip
    p.set_defaults(func=lambda args: cmd_manpage(parser), needs_library=False)
    parser.set_defaults(func=cmd_reader)
    return parser


def cmd_manpage(parser: argparse.ArgumentParser) -> int:
    from tuireader import __version__
    from tuireader.cli.manpage import manpage

    sys.stdout.write(manpage(parser, __version__))
    return 0


def cmd_completion(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from tuireader.cli.completion import SHELLS

    sys.stdout.write(SHELLS[args.shell](parser))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "library"):
        from tuireader.library import default_library_dir

        args.library = default_library_dir()
    store = getattr(args, "store", None)
    if store is not None and not store.startswith(("postgresql://", "postgres://")):
        parser.error(f"--store {store}: not a postgresql:// address")
    if not hasattr(args, "cache_dir"):
        args.cache_dir = None
    elif args.cache_dir is not None:
        args.cache_dir = Path(args.cache_dir)
    if getattr(args, "needs_library", True) and not Path(args.library).is_dir():
        parser.error(f"library folder {args.library} does not exist")
    log = _start_log(debug=getattr(args, "debug", False))
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except OSError as e:  # disk full, read-only folder, permission: one line naming the path
        _report_problems([_os_error_problem(e)])
        return 1
    except Exception as e:  # a store that cannot be written or rebuilt: one line, not a traceback
        problem = _store_problem(e, args)
        if problem is None:
            import logging

            logging.getLogger("tuireader").exception("unexpected error")
            if getattr(args, "debug", False):
                raise
            problem = Problem("tuireader", f"internal error ({type(e).__name__}: {e}); details in {log}")
        _report_problems([problem])
        return 1
    finally:
        _print_notices()


def _store_problem(exc: Exception, args: argparse.Namespace) -> Problem | None:
    """A store failure a user can act on (a read-only or full cache, a damaged file that cannot be
    set aside) as one Problem naming the folder; None for anything else (a bug)."""
    import sqlite3

    from tuireader.library import StoreUnavailable

    if isinstance(exc, StoreUnavailable):
        where, _, why = str(exc).partition(": ")
        return Problem(where, why)
    if isinstance(exc, sqlite3.OperationalError):
        text = str(exc).lower()
        from tuireader import locations

        cache = Path(args.cache_dir) if getattr(args, "cache_dir", None) else locations.cache_dir()
        from tuireader.fsutil import fs_trouble, os_error_cause

        if ("readonly" in text or "full" in text or "disk i/o" in text or "unable to open" in text) and (
            trouble := fs_trouble(cache)
        ) is not None:
            return Problem(str(trouble.filename), f"{os_error_cause(trouble)} ({exc})")
        if "readonly" in text or "read-only" in text:
            return Problem(str(cache), "the cache folder is read-only (attempt to write a readonly database)")
        if "full" in text:
            return Problem(str(cache), "the disk is full (database or disk is full)")
        if "unable to open" in text or "disk i/o" in text:
            return Problem(str(cache), f"cannot use the cache folder ({exc})")
    return None


def _start_log(*, debug: bool) -> Path:
    """Errors (everything with --debug) go to tuireader.log in the state folder; the reader's own
    Textual log is separate (TEXTUAL_LOG=path)."""
    import logging

    from tuireader import locations

    path = locations.state_dir() / "tuireader.log"
    root = logging.getLogger("tuireader")
    root.setLevel(logging.DEBUG if debug else logging.WARNING)
    if any(getattr(h, "baseFilename", None) == str(path.absolute()) for h in root.handlers):
        return path  # main() called again in one process (tests, scripts)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8", delay=True)
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return path


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
