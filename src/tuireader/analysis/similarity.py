"""Sentence similarity by words (placeholder until the semantic model lands on this branch)."""

from __future__ import annotations

from collections.abc import Sequence

SIMILARITY_VERSION = "lexical-0"
REWORDED_MIN = 0.5


def sentence_model():
    return None


def model_status() -> str:
    return "no sentence model installed: meaning is judged by shared words only"


def semantic_matrix(a: Sequence[str], b: Sequence[str]):
    return None


def lexical_similarity(a: str, b: str) -> float:
    from tuireader.text.units import STOPWORDS, stem, words

    sa = {stem(w) for w, _, _ in words(a) if w not in STOPWORDS}
    sb = {stem(w) for w, _, _ in words(b) if w not in STOPWORDS}
    return len(sa & sb) / len(sa | sb) if sa | sb else 0.0


def same_meaning(a: str, b: str, cosine: float | None) -> float:
    lex = lexical_similarity(a, b)
    return lex if cosine is None else 0.3 * lex + 0.7 * cosine
