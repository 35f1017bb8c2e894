"""Cheap lexical features of a news article, for grouping versions of one story.

Story clustering must scale to a newsroom's archive, so it cannot afford a parser: everything here is
a handful of regular expressions run at C speed plus a loop over each document's *distinct* word
forms (a few hundred), never over its running tokens. What it extracts:

- **content words**: lower-cased, function words dropped, plurals folded ("drones" -> "drone",
  "cities" -> "city"), so that outlets that reword a sentence still share its vocabulary;
- **names** (entity proxies): capitalised words seen at least once away from the start of a
  sentence ("Kirby", "Alabuga", "NATO"), and pairs of adjacent names ("john kirby"). Which people and
  places an article is about is what tells two events of the same kind apart (two earthquakes, two
  rehab check-ins), so names weigh more than ordinary words;
- **numbers** of two or more digits ("600", "2023", "7.1"): casualty counts, magnitudes and years
  travel unchanged between versions of a story and differ between stories;
- the **title** counts again, since every outlet's headline names the event.

`features` gives the bag of weighted terms; `vector` turns it into the article's unit vector.
Term weights come from a fixed English frequency list (`lexicon/zipf-en.txt`), not from the
library: a library-wide IDF changes every article's vector whenever an article arrives, so the
stories of a library would depend on the order its files were read in. With a fixed rarity an
article's vector is a function of that article alone, which is what lets the story index be exact
and incremental at once.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache, lru_cache
from importlib import resources

from tuireader.text.units import STOPWORDS as _STOP_BASE
from tuireader.text.units import load_words


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Common English function words and the reporting vocabulary every news story shares ("said",
# "told", "according"): words that say nothing about which event an article covers.
STOPWORDS = _STOP_BASE | load_words("news-vocabulary-en")

# Words that are capitalised for reasons other than being a name.
_NOT_NAMES = STOPWORDS | _words(
    """
    january february march april may june july august september october november december
    """
)

# One token: a word or a number, with inner apostrophes, hyphens, points or commas ("U.S", "1,000").
_TOKEN = re.compile(r"\w+(?:['’.,-]\w+)*")
# A word that begins a sentence: after a line start or sentence punctuation, past opening quotes.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\n\s*)[\"'“‘(\[—–-]*\s*([^\W\d_][\w'’-]*)", re.MULTILINE)
# A run of capitalised words on one line ("Vladimir Putin", "the White House"), for name pairs.
_CAPITAL_RUN = re.compile(r"[A-Z][\w'’-]*[a-zA-Z](?: [A-Z][\w'’-]*[a-zA-Z])+")

NAME_WEIGHT = 2.0  # a name counts this many times an ordinary word
PAIR_WEIGHT = 1.0  # an adjacent-name pair, on top of its two names
TITLE_WEIGHT = 2.0  # a title word counts again this many times

# form -> (term, could be a name); a plain dict, since this lookup runs for every distinct word.
_FORMS: dict[str, tuple[str, bool]] = {}
_FORMS_LIMIT = 500_000


def fold(word: str) -> str:
    """Lower-case `word`, drop a possessive and fold a regular plural; '' for a function word.

    Deliberately lighter than a stemmer: plural folding joins "drone"/"drones" without merging
    "officer" with "office" or "united" with "unit".
    """
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    if len(w) < 3 or w in STOPWORDS:
        return ""
    if w[0].isdigit():
        return w.replace(",", "") if len(w) >= 2 else ""
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 4 and w.endswith(("sses", "shes", "ches", "xes")):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    return "" if w in STOPWORDS else w


def _form(form: str) -> tuple[str, bool]:
    """The term of a surface form, and whether the form has a proper noun's shape.

    A proper-noun shape is "Kirby", "McCain" or a short all-caps acronym ("NATO"), not a shouted
    banner word ("BREAKING"), nor a month or function word that happens to be capitalised.
    """
    found = _FORMS.get(form)
    if found is None:
        term = fold(form)
        capital = bool(term) and form[0].isupper() and (not form.isupper() or 2 <= len(form) <= 5)
        capital = capital and term not in _NOT_NAMES and form.lower() not in _NOT_NAMES
        found = (term, capital)
        if len(_FORMS) >= _FORMS_LIMIT:
            _FORMS.clear()
        _FORMS[form] = found
    return found


def _terms_of(text: str, weight: float, bag: Counter[str]) -> None:
    """Add the weighted terms of one stretch of text (a title or a body) to `bag`.

    A capitalised form counts as a name when it occurs at least once away from a sentence start:
    "Officials" opening a sentence is not a name, "Kirby" in mid-sentence is.
    """
    forms = Counter(_TOKEN.findall(text))
    if not forms:
        return
    starts = Counter(_SENTENCE_START.findall(text))
    name_weight = NAME_WEIGHT
    for form, count in forms.items():
        term, capital = _FORMS.get(form) or _form(form)
        if not term:
            continue
        if capital and count > starts.get(form, 0):
            bag[term] += weight * count * name_weight
        else:
            bag[term] += weight * count
    for run in _CAPITAL_RUN.findall(text):
        words = run.split(" ")
        for first, second in zip(words, words[1:], strict=False):
            a, a_name = _FORMS.get(first) or _form(first)
            b, b_name = _FORMS.get(second) or _form(second)
            if a_name and b_name:
                bag[a + " " + b] += weight * PAIR_WEIGHT


# A headline's trailing site name ("... - WSMV Channel 4", "... | Birmingham, AL"): the outlet, not
# the event, and shared by every story that outlet runs.
_TITLE_SITE = re.compile(r"\s+[-|–—]\s+[^-|–—]{1,40}$")


def features(title: str, text: str) -> Counter[str]:
    """The weighted bag of terms of an article: body terms, plus its title's counted again."""
    bag: Counter[str] = Counter()
    _terms_of(text, 1.0, bag)
    title = _TITLE_SITE.sub("", title)
    if title:
        _terms_of(title, TITLE_WEIGHT, bag)
    return bag


# Rarity: the inverse document frequency stand-in. A word's weight is (ZIPF_TOP - zipf) ** RARITY_POWER,
# so "shooting" (zipf 4.6) weighs about a third of an unlisted surname. The power above one lets the
# rare words (names of victims, streets, products) decide, as they do between two events of one kind.
ZIPF_TOP = 7.0
RARE_ZIPF = 2.5  # a word missing from the list (below zipf 3) counts as this frequent
NUMBER_RARITY = 3.0  # numbers are not in the list; a middling weight (ages, counts, years)
PAIR_BONUS = 1.0  # an adjacent-name pair is rarer than its rarer half
RARITY_POWER = 1.5
MIN_RARITY = 0.5
MAX_TERMS = 64  # strongest terms kept per article
WEIGHT_SCALE = 10_000  # weights are stored as integers: exact, order-free dot products


@cache
def _zipf() -> dict[str, float]:
    text = resources.files("tuireader.text").joinpath("lexicon", "zipf-en.txt").read_text("utf-8")
    table: dict[str, float] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            word, _, value = line.rpartition(" ")
            table.setdefault(word, float(value))
    return table


@lru_cache(maxsize=500_000)
def rarity(term: str) -> float:
    """How much one occurrence of `term` says about which event an article covers."""
    if " " in term:
        first, _, second = term.partition(" ")
        return max(rarity(first), rarity(second)) + PAIR_BONUS
    if term[0].isdigit():
        return NUMBER_RARITY
    zipf = _zipf().get(term, RARE_ZIPF)
    return max(ZIPF_TOP - zipf, MIN_RARITY) ** RARITY_POWER


def vector(title: str, text: str, bag: Counter[str] | None = None) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The article's unit vector as (terms, integer weights), strongest first, ties by term.

    Sublinear term frequency times rarity, cut to MAX_TERMS terms, normalised, then scaled to
    integers so that a dot product is the same whatever order its terms are summed in. `bag`, when
    given, is the article's `features` (computed once for this and `event_kinds`).
    """
    if bag is None:
        bag = features(title, text)
    weighted = sorted(((-(1.0 + math.log(max(c, 1.0))) * rarity(t), t) for t, c in bag.items()))[:MAX_TERMS]
    norm = math.sqrt(sum(w * w for w, _t in weighted)) or 1.0
    terms = tuple(t for _w, t in weighted)
    weights = tuple(max(1, round(-w / norm * WEIGHT_SCALE)) for w, _t in weighted)
    return terms, weights


@cache
def _event_kinds() -> tuple[tuple[str, frozenset[str]], ...]:
    text = resources.files("tuireader.text").joinpath("lexicon", "event-kinds-en.txt").read_text("utf-8")
    kinds = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            kind, *words = line.split()
            kinds.append((kind, frozenset(words)))
    return tuple(kinds)


def event_kinds(bag: Counter[str]) -> tuple[int, ...]:
    """How often an article names each kind of event (`lexicon/event-kinds-en.txt`, in file order),
    counted over its `features` (title words twice, names twice, like everything else)."""
    return tuple(round(sum(bag.get(w, 0.0) for w in words)) for _kind, words in _event_kinds())
