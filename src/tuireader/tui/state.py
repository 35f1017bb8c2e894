"""What the reader remembers between runs: the last article, where in it, the theme, the view.

A small JSON file in the library's `state_dir`, written atomically. Anything unreadable or of the
wrong shape is ignored field by field: a damaged state file must never stop the reader opening.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tuireader.fsutil import write_atomic
from tuireader.tui.presentation import LAYER_KEYS

STATE_FILE = "reader.json"


def _default_layers() -> dict[str, bool]:
    return {k: True for k in LAYER_KEYS}


@dataclass
class ReaderState:
    article: str | None = None
    offset: int = 0  # article text offset at the top of the view (survives a change of width)
    theme: str | None = None
    sort: str = "date"
    layers: dict[str, bool] = field(default_factory=_default_layers)
    show_meta: bool | None = None  # None: decided by the terminal's width


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
    if isinstance(data.get("show_meta"), bool):
        state.show_meta = data["show_meta"]
    return state


def save_state(path: Path, state: ReaderState) -> None:
    write_atomic(path, json.dumps(asdict(state), indent=2, sort_keys=True).encode("utf-8"))
