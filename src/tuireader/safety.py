"""Making untrusted text safe to put on a terminal.

Article bodies, titles and feed fields come from strangers. Rich and Textual would read `[...]` in
them as markup (and Textual markup can run actions), and a terminal would obey escape sequences
(colours, cursor moves, OSC 8 links, OSC 52 clipboard writes). Everything shown passes through
`printable()` and is then handed over as plain text, never as markup.
"""

from __future__ import annotations

import re

# ESC-introduced sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST), DCS/SOS/PM/APC
# (ESC P/X/^/_ ... ST), and two-character escapes. C1 forms (U+009B CSI, U+009D OSC ...) likewise.
_ESCAPES = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]                  # CSI
  | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)   # OSC, DCS, SOS, PM, APC
  | \x1b[@-Z\\-_]?                                     # other ESC sequences / lone ESC
    """,
    re.VERBOSE | re.DOTALL,
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str | None, *, keep_newlines: bool = True) -> str:
    """`text` with terminal escape sequences and control characters removed.

    Newlines and tabs survive when `keep_newlines`; bidi overrides and zero-width characters are
    dropped too, since they can make a line display differently from what it contains.
    """
    if not text:
        return ""
    out = _ESCAPES.sub("", text)
    out = _CONTROLS.sub("", out)
    if not keep_newlines:
        out = " ".join(out.split())
    return out
