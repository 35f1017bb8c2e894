"""Adversarial article texts for quote finding (issue 14, item 7), shared by
tests/unit/test_quotes_adversarial.py and bench/bench_quotes.py.

Each builder takes a size in characters and returns paragraphs of about that size in total.
`synthetic_people` gives the PERSON entities a named-entity model would find in them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from tuireader.model import Entity


def _repeat(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def one_long_token(n: int) -> list[str]:
    """One word of n characters before and inside a quotation."""
    return [
        "x" * n + ' said "' + "y" * n + '," Smith said. Lee said: "' + "z" * (n // 2) + '"',
    ]


def quote_marks(n: int) -> list[str]:
    """A paragraph that is nothing but straight double quotation marks."""
    return ['"' * n]


def mixed_marks(n: int) -> list[str]:
    """Every kind of mark, straight and curly, single and double, without letters between."""
    return [_repeat("\"“”'‘’«»„ ", n)]


def unbalanced_open(n: int) -> list[str]:
    """Opening marks that never close: '“a “a “a ...'."""
    return [_repeat("“a ", n)]


def unbalanced_close(n: int) -> list[str]:
    """Closing marks with words and speech verbs between them: 'a” he said a” ...'."""
    return [_repeat("word” he said, ", n)]


def short_quotes_one_paragraph(n: int) -> list[str]:
    """A very long paragraph of short attributed quotes, names and pronouns ('"Yes," Smith said.')."""
    unit = '"Yes, we will," Smith said. "No," said Jones. She said: "Maybe so." The judge said "fine." '
    return [_repeat(unit, n)]


def quotes_over_paragraphs(n: int) -> list[str]:
    """A quotation running over many paragraphs, each opening with a mark and none closing."""
    return ["Smith said:"] + ['"' + "and then more words" for _ in range(max(1, n // 20))]


def no_stops(n: int) -> list[str]:
    """One paragraph without a sentence end, names and quotes all through it."""
    return [_repeat('Smith and Jones and "the people" of it ', n)]


def stop_runs(n: int) -> list[str]:
    """A run of full stops and a run of question marks with quotation marks between."""
    return ["." * (n // 2) + '"' + "?" * (n // 2)]


def colon_runs(n: int) -> list[str]:
    """Colons and spaces before a quotation ('Smith : : : : "...")."""
    return ["Smith " + _repeat(": ", n) + '"quoted words here."']


def markup(n: int) -> list[str]:
    """Unclosed tags and attributes full of quotation marks."""
    return [_repeat('<tweet id="1" a <b x="', n)]


def adversarial_inputs() -> dict[str, Callable[[int], list[str]]]:
    return {
        "one long token": one_long_token,
        "quote marks only": quote_marks,
        "mixed marks, no words": mixed_marks,
        "unbalanced opening marks": unbalanced_open,
        "unbalanced closing marks": unbalanced_close,
        "short quotes, one paragraph": short_quotes_one_paragraph,
        "quote over paragraphs": quotes_over_paragraphs,
        "paragraph without stops": no_stops,
        "runs of stops": stop_runs,
        "runs of colons": colon_runs,
        "unclosed markup": markup,
    }


_NAME = re.compile(r"\b(?:Smith|Jones|Lee)\b")


def synthetic_people(paragraphs: Sequence[str]) -> list[Entity]:
    """A PERSON entity at every Smith, Jones and Lee, in the offsets of the joined text."""
    text = "\n\n".join(paragraphs)
    return [
        Entity(m.group(0), "PERSON", m.group(0).lower(), m.start(), m.end()) for m in _NAME.finditer(text)
    ]
