"""Quote finding on adversarial text (issue 14, item 7): no exception, valid offsets, and no step
worse than linear, measured by counting Python line events (deterministic, not wall-clock)."""

from __future__ import annotations

import sys

import pytest
from adversarial_text import adversarial_inputs, synthetic_people

from tuireader.analysis.quotes import find_quotes
from tuireader.text.units import sentence_spans


def _run(paragraphs):
    ents = synthetic_people(paragraphs)
    text = "\n\n".join(paragraphs)
    quotes = find_quotes(paragraphs, ents)
    for q in quotes:
        assert 0 <= q.start < q.end <= len(text) and text[q.start : q.end] == q.text
    return quotes


def _line_events(fn) -> int:
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        fn()
    finally:
        sys.settrace(None)
    return count


@pytest.mark.parametrize("name", sorted(adversarial_inputs()))
def test_adversarial_input_gives_valid_quotes_and_linear_work(name):
    build = adversarial_inputs()[name]
    small = _line_events(lambda: _run(build(2000)))
    large = _line_events(lambda: _run(build(8000)))
    assert large < 6 * max(small, 1), f"{name}: 4x input took {large / max(small, 1):.1f}x the work"


def test_a_run_of_full_stops_is_one_sentence_read_once():
    # the boundary pattern used to restart inside the run: 20,000 stops took 46 s
    spans = sentence_spans("." * 200_000)
    assert spans[0][0] == 0 and spans[-1][1] == 200_000
    assert sum(e - s for s, e in spans) == 200_000  # every stop in one piece or another
    assert sentence_spans("Yes!!! No.") == [(0, 6), (7, 10)]
