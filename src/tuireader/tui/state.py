"""What the reader remembers between runs: the last article, where in it, the theme, the view.

A small JSON file per library in the user state folder (`locations.reader_state_file`), written
atomically: state, not cache, so clearing the cache keeps the reading position. Anything unreadable or of the
wrong shape is ignored field by field: a damaged state file must never stop the reader opening.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tuireader.fsutil import write_atomic
from tuireader.tui.presentation import LAYER_KEYS


def _default_layers() -> dict[str, bool]:
    return {k: True for k in LAYER_KEYS}


@dataclass
class ReaderState:
    article: str | None = None
    offset: int = 0  # article text offset at the top of the view (survives a change of width)
    theme: str | None = None
    sort: str = "date"
    layers: dict[str, bool] = field(default_factory=_default_layers)
    # Whether the info pane shows, per layout: beside the text on wide terminals, in place of the
    # list on narrow ones. One flag for both meant a wide "show it" hid the list when narrow.
    # None: the layout's default (shown when wide, the list when narrow). Files written before this
    # split carried one `show_meta` flag saved in an unknown layout: it is ignored.
    meta_wide: bool | None = None
    meta_narrow: bool | None = None


def load_state(path: Path) -> ReaderState:
    state = ReaderState()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return state
    if not isinstance(data, dict):
        return state
    if isinstance(data.get("article"), str):
        state.article = data["article"]
    if isinstance(data.get("offset"), int) and data["offset"] >= 0:
        state.offset = data["offset"]
    if isinstance(data.get("theme"), str):
        state.theme = data["theme"]
    if data.get("sort") in ("date", "outlet"):
        state.sort = data["sort"]
    if isinstance(data.get("layers"), dict):
        for k in LAYER_KEYS:
            if isinstance(data["layers"].get(k), bool):
                state.layers[k] = data["layers"][k]
    for key in ("meta_wide", "meta_narrow"):
        if isinstance(data.get(key), bool):
            setattr(state, key, data[key])
    return state


def save_state(path: Path, state: ReaderState) -> None:
    write_atomic(path, json.dumps(asdict(state), indent=2, sort_keys=True).encode("utf-8"))
