"""Command palette provider: open any story's version by typing part of its title or outlet."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from tuireader.safety import printable
from tuireader.tui.presentation import source_name

MAX_HITS = 40


class StoryCommands(Provider):
    """`Open: <outlet> — <title>` for every version in the list (fuzzy matched, best first)."""

    def _entries(self) -> list[tuple[str, str]]:
        """(article id, label) for every version, built once per list (a palette search runs per key)."""
        from tuireader.tui.screens.main import MainScreen

        main = next((s for s in self.app.screen_stack if isinstance(s, MainScreen)), None)
        if main is None:
            return []
        groups = main.article_list.groups
        cached = getattr(main, "_palette_entries", None)
        if cached is not None and cached[0] is groups:
            return cached[1]
        out = []
        for group in groups:
            for s in group.versions:
                outlet = s.label or source_name(s.outlet, s.id)
                title = printable(s.title, keep_newlines=False)
                out.append((s.id, f"Open: {outlet} — {title}"))
        main._palette_entries = (groups, out)
        return out

    def _open(self, article_id: str) -> None:
        from tuireader.tui.screens.main import MainScreen

        main = next((s for s in self.app.screen_stack if isinstance(s, MainScreen)), None)
        if main is not None:
            main.open_article(article_id)

    async def discover(self) -> Hits:
        for article_id, label in self._entries()[:10]:
            yield DiscoveryHit(Content(label), partial(self._open, article_id), text=label,
                               help="Open this version")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        scored = []
        for article_id, label in self._entries():
            score = matcher.match(label)
            if score > 0:
                scored.append((score, article_id, label))
        scored.sort(key=lambda t: -t[0])
        for score, article_id, label in scored[:MAX_HITS]:
            yield Hit(score, _highlight(matcher, query, label), partial(self._open, article_id), text=label,
                      help="Open this version")


def _highlight(matcher, query: str, label: str) -> Content:  # noqa: ANN001 - textual.fuzzy.Matcher
    """Like `Matcher.highlight`, which parses its candidate as markup: titles are untrusted."""
    content = Content(label)
    _score, offsets = matcher.fuzzy_search.match(query, label)
    for offset in offsets:
        if not label[offset].isspace():
            content = content.stylize("bold underline", offset, offset + 1)
    return content


class CorrectionCommands(Provider):
    """Corrections to stories: move the open version, split or merge its story, undo (M, S, J, U)."""

    ENTRIES = (
        ("Move this version to another story", "Or to a story of its own (M)", "action_move_version"),
        ("Split this story", "The versions you tick leave it and form a new story (S)", "action_split_story"),
        ("Merge this story with another", "Join two stories the grouping kept apart (J)", "action_merge_story"),
        ("Undo the latest story correction", "Take back the latest move, split or merge (U)", "action_undo_correction"),
    )

    def _action(self, name: str):  # noqa: ANN202 - a bound method of the main screen, or None
        from tuireader.tui.screens.main import MainScreen

        main = next((s for s in self.app.screen_stack if isinstance(s, MainScreen)), None)
        return getattr(main, name) if main is not None else None

    async def discover(self) -> Hits:
        for title, help_text, name in self.ENTRIES:
            action = self._action(name)
            if action is not None:
                yield DiscoveryHit(Content(title), action, text=title, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, name in self.ENTRIES:
            score = max(matcher.match(title), matcher.match(f"{title} story corrections"))
            action = self._action(name)
            if score > 0 and action is not None:
                yield Hit(score, _highlight(matcher, query, title), action, text=title, help=help_text)


class RevisionCommands(CorrectionCommands):
    """The revisions of the open version: what changed between two of them, read an older one (d)."""

    ENTRIES = (
        ("Revisions: what changed in this version",
         "The word diff between two revisions its outlet published; read an older one (d)", "action_revisions"),
    )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, name in self.ENTRIES:
            score = max(matcher.match(title), matcher.match(f"{title} diff edits changes older revision"))
            action = self._action(name)
            if score > 0 and action is not None:
                yield Hit(score, _highlight(matcher, query, title), action, text=title, help=help_text)
