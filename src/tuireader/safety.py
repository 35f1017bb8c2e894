"""Making untrusted text safe to put on a terminal.

Article bodies, titles and feed fields come from strangers. Rich and Textual would read `[...]` in
them as markup (and Textual markup can run actions), and a terminal would obey escape sequences
(colours, cursor moves, OSC 8 links, OSC 52 clipboard writes). Everything shown passes through one
sanitiser, `display_text()`, which replaces each character a terminal could obey by one visible
character (so offsets into an article body stay true), and is then handed over as plain text,
never as markup. `printable()` is the same for one-line fields (titles, names), with runs of
whitespace folded to one space.
"""

from __future__ import annotations

import re

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


def printable(text: str | None, *, keep_newlines: bool = True) -> str:
    """`display_text(text)`, with every run of whitespace folded to one space unless `keep_newlines`.

    An escape sequence shows as what it is made of (ESC as ␛), never as what it would do.
    """
    if not text:
        return ""
    out = display_text(text)
    return out if keep_newlines else " ".join(out.split())
