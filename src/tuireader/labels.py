"""How a version of a story is named wherever it is shown: the list, the reader, the tables, JSON.

One module for the rule so that the command line and the reader can never disagree about it.
"""

from __future__ import annotations

from tuireader.safety import printable


def source_name(outlet: str | None, article_id: str) -> str:
    """How a version is named on screen: its outlet, else its file's number (`#003`) or id.

    Cleaning cannot always tell the outlet; the file's number is short and matches `ls`.
    """
    if outlet and outlet.strip():
        return printable(outlet, keep_newlines=False)
    head = article_id.split("_", 1)[0]
    if head.isdigit():
        return f"#{head}"
    return printable(article_id, keep_newlines=False)[:16]
