"""`tuireader stories` (human output): one date format, whatever form the articles gave."""

from __future__ import annotations

import io

from rich.console import Console

from tuireader.cli.render import render_stories
from tuireader.model import Story


def shown(story: Story) -> str:
    out = io.StringIO()
    Console(file=out, width=120, color_system=None).print(render_stories([story], {}))
    return out.getvalue()


def test_first_and_last_dates_are_days_in_one_format() -> None:
    story = Story(id="s1", title="Ferry strike", articles=("a", "b"), outlets=("Harbor Times", "Coast Daily"),
                  first_published="2026-11-30", last_published="2026-12-01T08:15:00+00:00")
    text = shown(story)
    assert "2026-11-30 .. 2026-12-01" in text
    assert "T08:15" not in text
    same_day = Story(id="s2", title="Bakery", articles=("c", "d"), outlets=("Harbor Times",),
                     first_published="2026-11-30", last_published="2026-11-30T18:00:00Z")
    assert "2 versions, 2026-11-30:" in shown(same_day)
