"""The user's word on stories: versions moved, stories split and merged, kept with the library.

Story clustering (`analysis.stories`) is a function of the articles alone; it will be wrong now and
then, and the user must be able to say so. Their decisions live in the library folder's hidden
`.tuireader/stories.json` (beside `reading.json`), so they travel with the articles and survive a
deleted cache; the file is small, indented JSON a person can read, written atomically.

Decisions never name a story id or a cache row: story ids follow from the members ("s_" + the
earliest), and clustering may rename a story when an earlier version arrives. Each decision names
article ids (the file stems, which rescans and cache rebuilds keep):

* `move`: these versions belong with the story holding `to` (a list of that story's members when
  the decision was taken), or, with `to: "new"`, in a story of their own;
* `split`: these versions leave their story and form a new one together;
* `merge`: the stories holding the members of each listed group are one story.

`apply_decisions` replays the log in order over the clustering's assignment (its raw stories), so
the latest word wins, and the result is again a function of the files plus this file:

* a moved or split-off version is pinned: it never follows its raw story again, so new arrivals
  and rebuilt indexes cannot move it back;
* a merge joins the *stories* the named versions are in (labels, not a fixed list), so a version
  that arrives later and clusters into either half joins the merged story;
* a decision naming a version later superseded by a newer revision of the same article (stored
  as `<first>-r<N>` beside it) stands for the latest revision: the Library passes `carried`
  (superseded id -> latest id), so a version the user moved stays moved when it is revised;
* a decision whose articles are no longer in the library is kept (the files may come back) but
  ignored, and reported as stale; one that still finds some of them is applied to those.

A damaged file is renamed aside (`stories.json.damaged-<time>`), reported in one line, and the
library goes on without corrections: nothing the user wrote is deleted.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from tuireader.fsutil import write_atomic
from tuireader.text.units import day_ordinal

STATE_FOLDER = ".tuireader"  # as tuireader.reading
DECISIONS_FILE = "stories.json"
FORMAT = 1
NEW = "new"

Action = Literal["move", "split", "merge"]


def decisions_path(library_root: Path) -> Path:
    """Where a library's story decisions live (inside the library folder, so they travel with it)."""
    return library_root / STATE_FOLDER / DECISIONS_FILE


@dataclass(frozen=True)
class Decision:
    """One thing the user said about stories; `n` numbers it for listing and undo."""

    n: int
    action: Action
    articles: tuple[str, ...] = ()  # move, split: the versions that go
    to: tuple[str, ...] | None = None  # move: members of the target story; None: a story of their own
    groups: tuple[tuple[str, ...], ...] = ()  # merge: members of each story joined
    at: str = ""  # when (UTC, ISO)
    note: str = ""  # what the user saw: story titles, for the listing

    def named(self) -> set[str]:
        """Every article id the decision names."""
        out = set(self.articles) | set(self.to or ())
        for group in self.groups:
            out |= set(group)
        return out

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"n": self.n, "action": self.action, "at": self.at}
        if self.action in ("move", "split"):
            data["articles"] = list(self.articles)
        if self.action == "move":
            data["to"] = list(self.to) if self.to is not None else NEW
        if self.action == "merge":
            data["stories"] = [list(g) for g in self.groups]
        if self.note:
            data["note"] = self.note
        return data

    @classmethod
    def from_json(cls, data: Any) -> Decision:
        """Raises ValueError for anything that is not a decision this version understands."""
        if not isinstance(data, dict):
            raise ValueError("a decision is not an object")
        n, action = data.get("n"), data.get("action")
        if not isinstance(n, int) or isinstance(n, bool) or action not in ("move", "split", "merge"):
            raise ValueError(f"decision {n!r}: unknown action {action!r}")

        def ids(value: Any, what: str) -> tuple[str, ...]:
            if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
                raise ValueError(f"decision {n}: {what} must be a list of article ids")
            return tuple(value)

        at = data.get("at", "")
        note = data.get("note", "")
        if not isinstance(at, str) or not isinstance(note, str):
            raise ValueError(f"decision {n}: at and note are text")
        if action == "merge":
            stories = data.get("stories")
            if not isinstance(stories, list) or len(stories) < 2:
                raise ValueError(f"decision {n}: a merge names two stories or more")
            return cls(n, "merge", groups=tuple(ids(g, "each story") for g in stories), at=at, note=note)
        articles = ids(data.get("articles"), "articles")
        if action == "split":
            return cls(n, "split", articles, at=at, note=note)
        to = data.get("to")
        return cls(n, "move", articles, None if to == NEW else ids(to, "to"), at=at, note=note)

    def describe(self) -> str:
        """One line for `stories decisions`: what was decided, in article ids."""
        if self.action == "move":
            where = "a story of its own" if self.to is None else f"the story of {self.to[0]}"
            return f"move {', '.join(self.articles)} to {where}"
        if self.action == "split":
            return f"split {', '.join(self.articles)} into a story of their own"
        return "merge the stories of " + " and ".join(g[0] for g in self.groups)


@dataclass(frozen=True)
class DecisionState:
    """A decision and how it applies to the library now."""

    decision: Decision
    status: Literal["applied", "partly stale", "stale"]
    missing: tuple[str, ...] = ()  # article ids it names that the library no longer holds


@dataclass
class Applied:
    """The result of replaying the decisions: article id -> story id, and each decision's state."""

    assignment: dict[str, str]
    states: list[DecisionState] = field(default_factory=list)


def story_name(members: Sequence[str], published: Callable[[str], str | None]) -> str:
    """A story's id, as the clustering names one: "s_" + its earliest member (undated last, then
    by id), so a story the user made reads like any other and keeps its id while its members do."""

    def key(aid: str) -> tuple[bool, int, str]:
        day = day_ordinal(published(aid))
        return (day < 0, day, aid)

    return "s_" + min(members, key=key)


def carry_over(decision: Decision, carried: Mapping[str, str]) -> Decision:
    """The decision with every article id it names that `carried` maps (a revision superseded by
    a newer one -> the latest revision) replaced, each id once; the decision itself when none is."""
    if not carried or not any(a in carried for a in decision.named()):
        return decision

    def ids(values: Sequence[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(carried.get(v, v) for v in values))

    return Decision(decision.n, decision.action, ids(decision.articles),
                    ids(decision.to) if decision.to is not None else None,
                    tuple(ids(g) for g in decision.groups), decision.at, decision.note)  # fmt: skip


def apply_decisions(
    raw: Mapping[str, str], decisions: Sequence[Decision], published: Callable[[str], str | None],
    carried: Mapping[str, str] | None = None,
) -> Applied:
    """Replay `decisions` over the clustering's `raw` assignment (article id -> raw story id).

    `carried` maps article ids that newer revisions superseded to the latest revision of their
    article (`carry_over`); the states keep the decisions as written.

    Labels stand for stories while replaying: "r:<raw id>" for a raw story, "d:<n>" for a story a
    decision made; merges union labels, moves and splits pin articles to a label. Stories that come
    out exactly as the clustering made them keep its id; the others are named by `story_name`.
    Linear in the articles plus the ids the decisions name.
    """
    parent: dict[str, str] = {}

    def find(label: str) -> str:
        root = label
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(label, label) != root:
            parent[label], label = root, parent[label]
        return root

    pinned: dict[str, str] = {}

    def label_of(aid: str) -> str:
        return find(pinned.get(aid) or "r:" + raw[aid])

    states: list[DecisionState] = []
    for written in decisions:
        d = carry_over(written, carried or {})
        missing = tuple(sorted(a for a in d.named() if a not in raw))
        applied = True
        if d.action in ("move", "split"):
            present = [a for a in d.articles if a in raw]
            target: str | None = f"d:{d.n}"
            if d.action == "move" and d.to is not None:
                anchors = [t for t in d.to if t in raw and t not in d.articles]
                target = label_of(anchors[0]) if anchors else None
            if present and target is not None:
                for a in present:
                    pinned[a] = target
            else:
                applied = False
        else:
            labels = [{label_of(a) for a in group if a in raw} for group in d.groups]
            if sum(1 for found in labels if found) >= 2:
                union = sorted(set().union(*labels))
                for other in union[1:]:
                    parent[find(other)] = find(union[0])
            else:
                applied = False
        status = "stale" if not applied else "partly stale" if missing else "applied"
        states.append(DecisionState(written, status, missing))  # type: ignore[arg-type]

    if not pinned and not parent:
        return Applied(dict(raw), states)
    groups: dict[str, list[str]] = {}
    for aid in raw:
        groups.setdefault(label_of(aid), []).append(aid)
    raw_sizes: dict[str, int] = {}
    for sid in raw.values():
        raw_sizes[sid] = raw_sizes.get(sid, 0) + 1
    assignment: dict[str, str] = {}
    for members in groups.values():
        first = raw[members[0]]
        whole = len(members) == raw_sizes[first] and all(raw[m] == first for m in members)
        sid = first if whole else story_name(members, published)
        for m in members:
            assignment[m] = sid
    return Applied(assignment, states)


class DecisionLog:
    """The decisions of one library, loaded on first use and saved on every change.

    `problem` holds the one line to report when the file was damaged (and set aside). Thread safe:
    the reader records decisions from a worker while a scan replays them in another.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._decisions: list[Decision] = []
        self.problem: str | None = None
        self._reported = False
        self._signature: tuple[int, int] | None = None
        with self._lock:
            self._load()

    def _stat(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def reload_if_changed(self) -> bool:
        """Read the file again when it changed since it was last read or written here (another
        process, a hand edit); returns whether it did."""
        with self._lock:
            if self._stat() == self._signature:
                return False
            self._decisions = []
            self.problem, self._reported = None, False
            self._load()
            return True

    def take_problem(self) -> str | None:
        """The line to report about a damaged file, once."""
        with self._lock:
            if self.problem is None or self._reported:
                return None
            self._reported = True
            return self.problem

    def _load(self) -> None:
        self._signature = self._stat()
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as exc:
            self.problem = f"cannot read ({exc.strerror}); stories shown without your corrections"
            return
        try:
            parsed = json.loads(data.decode("utf-8"))
            if not isinstance(parsed, dict) or not isinstance(parsed.get("decisions"), list):
                raise ValueError("not a decisions file")
            if parsed.get("format", FORMAT) != FORMAT:
                raise ValueError(f"format {parsed.get('format')!r}, this version reads {FORMAT}")
            decisions = [Decision.from_json(item) for item in parsed["decisions"]]
        except (UnicodeDecodeError, ValueError) as exc:
            aside = self.path.with_name(
                f"{self.path.name}.damaged-{_dt.datetime.now(_dt.UTC).strftime('%Y%m%dT%H%M%S')}"
            )
            try:
                os.replace(self.path, aside)
                kept = f"set aside as {aside.name}"
                self._signature = None
            except OSError:
                kept = "left in place"
            self.problem = f"damaged ({_first_line(exc)}); {kept}, stories shown without your corrections"
            return
        self._decisions = sorted(decisions, key=lambda d: d.n)

    def _save(self) -> None:
        data = {"format": FORMAT, "decisions": [d.to_json() for d in self._decisions]}
        write_atomic(self.path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
        self._signature = self._stat()

    @property
    def decisions(self) -> tuple[Decision, ...]:
        with self._lock:
            return tuple(self._decisions)

    def digest(self) -> str:
        """What the stories were last corrected with: changes when a decision is added, undone or the
        file is replaced by hand."""
        text = json.dumps([d.to_json() for d in self.decisions], sort_keys=True)
        return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()

    def add(self, action: Action, *, articles: Sequence[str] = (), to: Sequence[str] | None = None,
            groups: Sequence[Sequence[str]] = (), note: str = "") -> Decision:  # fmt: skip
        """Record a decision and save the file; raises OSError when it cannot be written (then
        nothing is recorded)."""
        with self._lock:
            n = max((d.n for d in self._decisions), default=0) + 1
            at = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            decision = Decision(n, action, tuple(articles), tuple(to) if to is not None else None,
                                tuple(tuple(g) for g in groups), at, note)  # fmt: skip
            self._decisions.append(decision)
            try:
                self._save()
            except OSError:
                self._decisions.pop()
                raise
            return decision

    def remove(self, n: int | None = None) -> Decision | None:
        """Undo decision `n` (default: the latest); returns it, or None when there is no such one."""
        with self._lock:
            if not self._decisions:
                return None
            index = len(self._decisions) - 1 if n is None else next(
                (i for i, d in enumerate(self._decisions) if d.n == n), None)  # fmt: skip
            if index is None:
                return None
            decision = self._decisions.pop(index)
            try:
                self._save()
            except OSError:
                self._decisions.insert(index, decision)
                raise
            return decision


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
