"""Making untrusted text safe to put on a terminal.

Article bodies, titles and feed fields come from strangers. Rich and Textual would read `[...]` in
them as markup (and Textual markup can run actions), and a terminal would obey escape sequences
(colours, cursor moves, OSC 8 links, OSC 52 clipboard writes). Everything shown passes through
`printable()` (short fields: titles, names) or `display_text()` (article bodies, whose offsets
must stay true) and is then handed over as plain text, never as markup.
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


_INVISIBLE = {0x200B: " ", 0x200C: " ", 0x200D: " ", 0x2060: " ", 0xFEFF: " "}
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\u061c]")
_BIDI = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)) | {0x200E, 0x200F, 0x061C}


def display_text(text: str) -> str:
    """`text` made safe to paint, one character for one, so every offset still points right.

    `safety.printable()` removes escape sequences, which shifts offsets; the article body keeps
    its offsets (highlights, search hits and jumps all point into it), so here each control
    character is replaced by its visible Unicode control picture instead (ESC shows as ␛ and the
    rest of a sequence as the plain characters it is made of). Bidi overrides become U+FFFD and
    zero-width characters a space. Nothing reaches the terminal that it could obey.
    """
    if not _UNSAFE.search(text):
        return text
    out: list[str] | None = None
    for i, ch in enumerate(text):
        code = ord(ch)
        rep: str | None = None
        if code < 0x20:
            if ch != "\n":  # newlines stay (and keep their place, so offsets still hold)
                rep = " " if ch == "\t" else chr(0x2400 + code)
        elif code == 0x7F:
            rep = "\u2421"
        elif 0x80 <= code <= 0x9F or code in _BIDI:
            rep = "\ufffd"
        elif code in _INVISIBLE:
            rep = _INVISIBLE[code]
        if rep is not None:
            if out is None:
                out = list(text[:i])
            out.append(rep)
        elif out is not None:
            out.append(ch)
    return text if out is None else "".join(out)
