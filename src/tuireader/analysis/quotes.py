"""Direct quotations and who said them.

Quotation marks in scraped news are messy: straight and curly marks mix, a paragraph of a long quote
opens with a mark and does not close (the convention for quotes that run over paragraphs), scrapers
lose a closing or an opening mark, apostrophes look like single quotes, and headlines use single
quotes where the body uses double ones. Each mark is therefore classified by what surrounds it (a
mark with a space before and a letter after opens, whatever its glyph, as Markdown's "flanking" rule
does), and a small state machine pairs the marks paragraph by paragraph:

* a paragraph that ends inside a quote continues into the next paragraph if that one opens with a
  mark (the convention) or if its first mark is a closing one (the opening mark was lost);
  otherwise the quote ends with its paragraph and is reported with `closed=False`;
* an opening mark met inside an open quote means the earlier quote lost its closing mark;
* the article's main family of marks is the one that opens more quotes (double in US style, single
  in British style); marks of the other family inside a quote are nested quotes and stay part of it;
  outside quotes, a paragraph without any main-family mark may use the other family (a headline's
  'single quotes'), but only for a pair closed within the paragraph, since apostrophes are too
  easily taken for unpaired single quotes.

Speakers come from the attribution in the quote's sentence (the words outside its marks): "...,"
Kirby said / said Kirby / according to Kirby / Kirby warned that "..." / The advisory states: "...".
A quote whose ? or ! ends its sentence takes the short sentence after it ('"Why me?" Trump asked.');
any finite speech verb right after a quote comes before its subject (', tweeted Conant'); a
participle or a coordinated verb ('..., saying', '... and called it') is credited to the subject of
its sentence, or to the finite cue before it ('Spicer said, adding'); a reported clause with no
speech verb is the words of the name opening its sentence ('Moore thanked him for "..."').
Pronouns ("he said") are resolved to the nearest earlier attribution of a matching kind (a person
for he/she, an organisation for it/they) whose gender, when the article gives one by a title or a
first name (pronouns near a mention decide only without those), agrees. A quote without any
attribution that follows another quote in the same or the previous paragraph continues that quote's
speaker, as journalists write; so does a second quote after the first's attribution sentence, and
a partial quote in the next sentence that names no one of its own ('"Q1," she says. It's "Q2."').

Words and sentences come from `tuireader.text.units`, shared with every other stage.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tuireader.model import Entity, Quote
from tuireader.text.units import (
    STOPWORDS,
    load_words,
    norm_word,
    paragraph_spans,
    sentence_spans,
)

_ROLES = load_words("roles-en")
_MALE_NAMES = load_words("first-names-male")
_FEMALE_NAMES = load_words("first-names-female")

# ----------------------------------------------------------------------------------------- marks

DOUBLE_MARKS = {'"': "T", "“": "O", "”": "C", "„": "O", "‟": "O", "«": "O", "»": "C"}
SINGLE_MARKS = {"'": "T", "‘": "O", "’": "C", "‚": "O", "‹": "O", "›": "C"}
ALL_MARKS = frozenset(DOUBLE_MARKS) | frozenset(SINGLE_MARKS)
_OPEN_CONTEXT = frozenset("([{—–-/")
_CONTRACTION = re.compile(r"\s?(?:d|s|m|t|re|ll|ve)\b", re.IGNORECASE)
_CLOSE_CONTEXT = frozenset(".,;:!?)]}—–-/…")
_DOUBLE_RE = re.compile("''|``|[" + re.escape("".join(DOUBLE_MARKS)) + "]")
#: Wire copy (AP) and tokenised text write double quotes as two apostrophes or two backticks.
_TWO_CHAR_MARKS = {"''": "C", "``": "O"}
_SINGLE_RE = re.compile("[" + re.escape("".join(SINGLE_MARKS)) + "]")


def _role(text: str, i: int, lo: int, hi: int, glyph: str, single: bool) -> str | None:
    """'O' (opens), 'C' (closes), 'T' (either: decided by state) or None (not a quotation mark)."""
    prev = text[i - 1] if i > lo else ""
    nxt = text[i + 1] if i + 1 < hi else ""
    if single:
        if prev.isalnum() and nxt.isalnum():
            return None  # an apostrophe: don't, Iran's
        if nxt.isdigit() and (not prev or prev.isspace()):
            return None  # an elision: '90s
        if (prev and prev in "'’") or (nxt and nxt in "'’"):
            return None  # half of a two-apostrophe double mark ('')
        if prev.isspace() and prev != "\n" and _CONTRACTION.match(text, i + 1, hi):
            return None  # a contraction split off by a tokeniser: "I 'd", "they 're"
    can_open = (
        bool(nxt)
        and not nxt.isspace()
        and (not prev or prev.isspace() or prev in _OPEN_CONTEXT or prev in ALL_MARKS)
    )
    can_close = (
        bool(prev)
        and not prev.isspace()
        and (not nxt or nxt.isspace() or nxt in _CLOSE_CONTEXT or nxt in ALL_MARKS)
    )
    if can_open and not can_close:
        return "O"
    if can_close and not can_open:
        return "C"
    return glyph  # both or neither: the glyph says, or for a straight mark the state decides


_GUILLEMETS = {"«": "O", "»": "C", "‹": "O", "›": "C"}


def _marks(text: str, lo: int, hi: int, single: bool) -> list[tuple[int, str]]:
    """Quotation marks of one family in text[lo:hi] with their roles.

    Guillemets are taken by their glyph, since French typesetting puts spaces inside them, which
    defeats the flanking rule; a paragraph whose first guillemet points right (German »...«) has
    them the other way round.
    """
    table, regex = (SINGLE_MARKS, _SINGLE_RE) if single else (DOUBLE_MARKS, _DOUBLE_RE)
    out = []
    reversed_guillemets: bool | None = None
    for m in regex.finditer(text, lo, hi):
        ch = m.group(0)
        if ch in _TWO_CHAR_MARKS:
            out.append((m.start(), _TWO_CHAR_MARKS[ch]))
            continue
        if ch in _GUILLEMETS:
            if reversed_guillemets is None:
                reversed_guillemets = ch in "»›"
            role = _GUILLEMETS[ch]
            out.append((m.start(), {"O": "C", "C": "O"}[role] if reversed_guillemets else role))
            continue
        role = _role(text, m.start(), lo, hi, table[ch], single)
        if role is not None:
            out.append((m.start(), role))
    return out


@dataclass(slots=True)
class _RawQuote:
    start: int
    end: int
    open_mark: int | None  # position of the opening mark, None when it was lost
    close_mark: int | None  # position of the closing mark, None when it was lost
    closed: bool


def _trim_quote(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:—–-"):
        end -= 1
    return start, end


def _spaced_close(text: str, lo: int, pos: int) -> bool:
    """A mark that looks like an opening one but closes: 'her, "said' in tokenised or badly typeset
    text, where a space got in before the closing mark. The quote's own punctuation gives it away."""
    k = pos - 1
    while k >= lo and text[k].isspace():
        k -= 1
    # After a full stop, a space and a mark before a capital open the next quote instead ('... course.
    # "The Chargers ...'): the earlier quote lost its closing mark, which is the likelier accident.
    return k < pos - 1 and k >= lo and text[k] in ",;:—–-"


def _uses_single_primary(text: str, spans: Sequence[tuple[int, int]]) -> bool:
    """British style: more single-quoted pairs than quotes opening with double marks."""
    doubles = singles = 0
    for lo, hi in spans:
        doubles += sum(1 for _, r in _marks(text, lo, hi, False) if r in "OT")
        singles += len(_secondary_quotes(text, lo, hi))
    return singles >= 2 and singles > doubles


def quote_spans(text: str, spans: Sequence[tuple[int, int]]) -> list[_RawQuote]:
    """Pair the quotation marks of a text laid out in paragraphs `spans` into quotes."""
    single_primary = _uses_single_primary(text, spans)
    found: list[_RawQuote] = []
    cur: tuple[int, int | None] | None = None  # (start of quoted words, opening mark)
    prev_end = 0

    def emit(start: int, end: int, open_mark: int | None, close_mark: int | None, closed: bool) -> None:
        s, e = _trim_quote(text, start, end)
        if e > s and any(ch.isalnum() for ch in text[s:e]):
            found.append(_RawQuote(s, e, open_mark, close_mark, closed))

    for lo, hi in spans:
        marks = _marks(text, lo, hi, single_primary)
        idx = 0
        if cur is not None:
            first = lo
            while first < hi and text[first].isspace():
                first += 1
            if marks and marks[0][0] == first and marks[0][1] in "OT":
                idx = 1  # the next paragraph of a quote that runs over paragraphs
            elif marks and marks[0][1] == "C":
                pass  # the opening mark of this paragraph was lost; its closing mark ends the quote
            else:
                emit(cur[0], prev_end, cur[1], None, False)
                cur = None
        for pos, role in marks[idx:]:
            width = 2 if text.startswith(("``", "''"), pos) else 1
            if cur is None:
                if role in "OT":
                    cur = (pos + width, pos)
            elif role in "CT" or _spaced_close(text, lo, pos):
                emit(cur[0], pos, cur[1], pos, True)
                cur = None
            else:
                emit(cur[0], pos, cur[1], None, False)  # an opening mark inside: the close was lost
                cur = (pos + width, pos)
        if cur is None and not marks and not single_primary:
            found.extend(_secondary_quotes(text, lo, hi))
        prev_end = hi
    if cur is not None:
        emit(cur[0], prev_end, cur[1], None, False)
    return found


def _secondary_quotes(text: str, lo: int, hi: int) -> list[_RawQuote]:
    """Single-quoted pairs in a paragraph without double marks (headline style), closed only."""
    out = []
    open_at: int | None = None
    for pos, role in _marks(text, lo, hi, True):
        if open_at is None:
            if role == "O":
                open_at = pos
        elif role in "CT":
            s, e = _trim_quote(text, open_at + 1, pos)
            if e > s and any(ch.isalpha() for ch in text[s:e]):
                out.append(_RawQuote(s, e, open_at, pos, True))
            open_at = None
        elif role == "O":
            open_at = pos
    return out


# -------------------------------------------------------------------------------------- speakers

#: A speech verb in any of its forms, or "according to" (lexicon speech-verbs-en).
SPEECH_VERB_RE = re.compile(
    r"(?<![\w-])(?:[Aa]ccording to|"
    + "|".join(sorted(load_words("speech-verbs-en"), key=len, reverse=True))
    + r")\b"
)


def last_match(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> re.Match[str] | None:
    """The last match of `pattern` in text[lo:hi] (the cue nearest a quote that follows)."""
    found = None
    for found in pattern.finditer(text, lo, hi):  # noqa: B007 - the last one is kept
        pass
    return found


#: Verbs that journalists put before their subject ("..., replied the rival coach").
_INVERTING_VERBS = frozenset(
    [
        "said",
        "says",
        "added",
        "adds",
        "asked",
        "asks",
        "wrote",
        "writes",
        "continued",
        "told",
        "replied",
        "replies",
        "responded",
        "explained",
        "recalled",
        "recalls",
        "countered",
        "noted",
        "notes",
        "insisted",
        "declared",
        "argued",
        "warned",
        "remembered",
        "exclaimed",
        "quipped",
        "joked",
        "retorted",
        "concluded",
        "observed",
        "remarked",
    ]
    + ["according to"]
)
_GAP_WORDS = frozenset(
    [
        "also",
        "has",
        "have",
        "had",
        "later",
        "previously",
        "then",
        "further",
        "again",
        "repeatedly",
        "recently",
        "would",
        "will",
        "once",
        "separately",
        "earlier",
        "first",
        "still",
        "even",
        "just",
        "on",
        "in",
        "last",
        "this",
        "at",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "yesterday",
        "was",
        "is",
        "were",
        "be",
        "been",
        "being",
        "heard",
    ]
)
_AFTER_SUBJECT = re.compile(r"(?:\s+(?:[a-z]+ly|" + "|".join(sorted(_GAP_WORDS)) + r"))*\s+([a-z]+)\b")
_PRONOUNS = {
    "he": "person",
    "she": "person",
    "him": "person",
    "it": "other",
    "they": "other",
    "i": "person",
    "we": "other",
}
_FIRST_PERSON = frozenset({"i", "we"})
_SENTENCE_PRONOUN = re.compile(r"(?:^|[.!?]\s+|\n)(He|She)\b")
_PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f"}
_DETERMINERS = frozenset(
    ["the", "a", "an", "its", "his", "her", "their", "one", "two", "three", "several", "some", "many"]
)
_NP_STOP = frozenset(
    ["that", "and", "but", "which", "who", "because", "while", "as", "if", "when", "where", "so"]
)
#: Prepositions that stay inside a speaker phrase: "a friend of the family", "a letter from the mayor".
_NP_PREPOSITIONS = frozenset({"of", "from"})
_NOT_A_NAME_RUN = re.compile(r"\b(?:that|whether|if|it|they|he|she|we|a|an)\b")
_NAME_END = re.compile(r"\s*(?:[,.;:!?)\"”]|$|(?:on|in|at|during|last|this|when|who|after|before)\b)")
_PARTICIPLE_LEAD = re.compile(r"(?:,|\bby|\bwhile|\bbefore|\bafter|\bwhen)\s*$")
#: A verb coordinated with an earlier one shares its subject: 'He met them and called it "a farce."'
_COORDINATED = re.compile(r"\b(?:and|but)\s+$")
#: A sentence's subject: a pronoun, or a determiner and the words of its phrase (see `_np_words`).
_SUBJECT_START = re.compile(r"(?P<pronoun>[Hh]e|[Ss]he|[Tt]hey|It|We)\b|(?P<det>The|A|An|This|That)\s")
_IRREGULAR_PAST = frozenset(
    [
        "began",
        "went",
        "told",
        "made",
        "took",
        "gave",
        "came",
        "sent",
        "wrote",
        "spoke",
        "said",
        "thought",
        "knew",
        "felt",
        "left",
        "got",
        "put",
        "kept",
        "ran",
        "saw",
        "found",
        "brought",
        "stood",
        "held",
    ]
)


def _np_words(text: str, lo: int, hi: int) -> int:
    """Where the noun phrase starting at `lo` (after its determiner) ends: at most four words, ending
    before a lower-case word that is a function word or looks like a verb."""
    end = lo
    for n, m in enumerate(re.finditer(r"[\w’'.-]+", text[lo:hi])):
        word = m.group(0).rstrip(".")
        low = word.lower()
        if n >= 4 or (
            word[:1].islower()
            and (
                low in STOPWORDS
                or low.endswith("ed")
                or low in _IRREGULAR_PAST
                or SPEECH_VERB_RE.fullmatch(low)
            )
        ):
            break
        if text[lo + m.start() - 1 : lo + m.start()] in (",", ";") and n:
            break
        end = lo + m.start() + len(word)
    return end


_PERSONLIKE = frozenset({"PERSON"})
_ORGLIKE = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC"})


@dataclass(slots=True)
class _Speaker:
    """Who a quote is attributed to (`text`, `key`) and the words that name them (`mention`)."""

    text: str
    key: str | None
    kind: str  # "person" | "other"
    pos: int
    mention: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class _Pronoun:
    """A pronoun subject of a speech verb, to resolve to an antecedent."""

    word: str
    start: int
    end: int


class _Attributor:
    """Finds speakers for one article's quotes (see the module docstring for the rules)."""

    def __init__(
        self,
        text: str,
        entities: Sequence[Entity],
        quoted: Sequence[tuple[int, int]],
        sentence_starts: Sequence[int],
    ) -> None:
        self.text = text
        self.entities = sorted(entities, key=lambda e: e.start)
        self.starts = [e.start for e in self.entities]
        self.display = _display_names(self.entities)
        self.events = self._attribution_events()
        self.genders = person_genders(text, self.entities)
        # People named as the subject of a sentence outside quotation marks: antecedents for he/she.
        self.subjects: list[_Speaker] = []
        spans = sorted(quoted)
        quote_starts = [lo for lo, _ in spans]
        for ent in self.entities:
            if ent.label not in _PERSONLIKE:
                continue
            j = bisect.bisect_right(quote_starts, ent.start) - 1
            if j >= 0 and ent.start < spans[j][1]:
                continue  # named inside a quotation
            k = bisect.bisect_right(sentence_starts, ent.start) - 1
            if k >= 0 and len(text[sentence_starts[k] : ent.start].split()) <= 1:  # sentences are short
                self.subjects.append(self.speaker_of(ent))
        self.subject_pos = [s.pos for s in self.subjects]
        self.sentence_starts = sentence_starts
        # surname -> the people the article names with it, for names the NER missed once ("Lopez")
        self.surnames: dict[str, set[str]] = {}
        for ent in self.entities:
            if ent.label in _PERSONLIKE and ent.key:
                last = self.display.get(ent.key, ent.text).split()[-1]
                self.surnames.setdefault(last, set()).add(ent.key)
        self.event_pos = [e.pos for e in self.events]
        self._titled: dict[str, tuple[list[Entity], list[int]]] = {}

    # -- entities around a position
    def entities_in(self, lo: int, hi: int) -> list[Entity]:
        i = bisect.bisect_left(self.starts, lo)
        out = []
        while i < len(self.entities) and self.entities[i].start < hi:
            if self.entities[i].end <= hi:
                out.append(self.entities[i])
            i += 1
        return out

    def entity_ending_at(self, lo: int, pos: int) -> Entity | None:
        """An entity whose end is `pos` (ignoring spaces and a possessive between them)."""
        while pos > lo and self.text[pos - 1].isspace():
            pos -= 1
        for ent in reversed(self.entities_in(lo, pos)):
            if ent.end == pos:
                return ent
        return None

    def speaker_of(self, ent: Entity) -> _Speaker:
        kind = "person" if ent.label in _PERSONLIKE else "other"
        return _Speaker(self.display.get(ent.key, ent.text), ent.key, kind, ent.start, (ent.start, ent.end))

    # -- attribution patterns
    def subject_before(self, lo: int, verb_start: int) -> _Speaker | _Pronoun | None:
        """The subject of a speech verb: an entity, a pronoun (returned as str) or a noun phrase."""
        text = self.text
        pos = verb_start
        while True:  # skip "also", "on Friday", "previously", "-ly" adverbs between subject and verb
            found = _word_before(text, lo, pos)
            if found is None:
                break
            w_start, w_end = found
            word = text[w_start:w_end]
            if word.lower() in _GAP_WORDS or (word.endswith("ly") and word[0].islower() and len(word) > 4):
                if self.entity_ending_at(lo, w_end) is not None:
                    break
                pos = w_start
                continue
            break
        # 'Sen. John Cornyn (R-Texas) told': a short parenthesis after the name
        k = pos
        while k > lo and text[k - 1].isspace():
            k -= 1
        if k > lo and text[k - 1] == ")":
            opening = text.rfind("(", max(lo, k - 30), k)
            if opening > lo and self.entity_ending_at(lo, opening) is not None:
                pos = opening
        # 'Trump, who has called it "insanity"': the relative pronoun stands for the name before it
        found = _word_before(text, lo, pos)
        if found is not None and text[found[0] : found[1]] == "who":
            k = found[0]
            while k > lo and text[k - 1].isspace():
                k -= 1
            named = self.entity_ending_at(lo, k - 1) if k > lo and text[k - 1] == "," else None
            if named is not None and named.label in _PERSONLIKE | _ORGLIKE:
                who = self.speaker_of(named)
                return _Speaker(who.text, who.key, who.kind, who.pos, found)
        ent = self.entity_ending_at(lo, pos)
        if ent is not None:
            return self.speaker_of(ent)
        found = _word_before(text, lo, pos)
        if found is not None and text[found[0] : found[1]].lower() in _PRONOUNS:
            return _Pronoun(text[found[0] : found[1]].lower(), *found)
        before = text[lo:pos].rstrip()
        if before.endswith(","):
            # Apposition: "Henry Rome, senior fellow at ..., said"
            clause_ents = [e for e in self.entities_in(lo, pos) if e.start - lo <= 3]
            people = [e for e in self.entities_in(lo, pos) if e.label in _PERSONLIKE]
            first = clause_ents[0] if clause_ents else (people[0] if people else None)
            if first is not None and first.start - lo <= 60:
                return self.speaker_of(first)
            # 'Hicks, his campaign spokeswoman, added' with no entity found: the phrase before the
            # first comma, when it opens the frame and is short
            a = lo
            while a < pos and text[a].isspace():
                a += 1
            comma = text.find(",", a, min(pos, a + 60))
            if comma > a and len(text[a:comma].split()) <= 4 and text[a].isupper():
                return self._noun_phrase_before(a, comma)
        return self._noun_phrase_before(lo, pos)

    def _noun_phrase_before(self, lo: int, pos: int) -> _Speaker | None:
        """A plain noun phrase as subject: 'The advisory states', 'a close friend of the family said'."""
        chunk = self.text[lo:pos]
        chunk = re.split(r"[,;:()\"“”«»—–]", chunk)[-1]
        tokens = chunk.split()
        phrase: list[str] = []
        for tok in reversed(tokens):
            low = tok.lower()
            if low in _NP_STOP or len(phrase) == 7:
                break
            if low in STOPWORDS and low not in _DETERMINERS and low not in _NP_PREPOSITIONS:
                break
            phrase.insert(0, tok)
        # "trade magazine The Hollywood Reporter wrote": the name starts at its determiner or capital
        while phrase and (
            phrase[0].lower() in _NP_PREPOSITIONS
            or not (phrase[0].lower() in _DETERMINERS or phrase[0][:1].isupper())
        ):
            if not any(t.lower() in _DETERMINERS or t[:1].isupper() for t in phrase[1:]):
                break
            phrase.pop(0)
        if not phrase or all(t.lower() in _DETERMINERS or t.lower() in _NP_PREPOSITIONS for t in phrase):
            return None
        if not (phrase[0].lower() in _DETERMINERS or phrase[0][:1].isupper()):
            return None
        surface = " ".join(phrase)
        spans = [m.span() for m in re.finditer(r"\S+", chunk)][-len(phrase) :]  # phrase ends the chunk
        base = pos - len(chunk)
        mention = (base + spans[0][0], base + spans[-1][1])
        named = self.person_by_surname(phrase, mention)
        return named or _Speaker(surface, _phrase_key(phrase), "other", mention[0], mention)

    def person_by_surname(self, phrase: Sequence[str], mention: tuple[int, int]) -> _Speaker | None:
        """A capitalised name the NER missed ("Lopez said", "Ms. Lopez said") as the one person the
        article names with that surname."""
        words = [w for w in phrase if w.rstrip(".").lower() not in _TITLE_GENDER]
        if len(words) != 1 or not words[0][:1].isupper():
            return None
        keys = self.surnames.get(words[0].rstrip(".,"), set())
        if len(keys) != 1:
            return None
        (key,) = keys
        return _Speaker(self.display.get(key, words[0]), key, "person", mention[0], mention)

    def subject_after(self, verb_end: int, hi: int) -> _Speaker | _Pronoun | None:
        """The speaker named after an inverting verb: ', said National Security Council spokesman John Kirby'."""
        # The frame ends with its sentence, so a full stop inside it is an abbreviation ("Lt.").
        m = re.match(r"[^,;:!?\"“”—–]*", self.text[verb_end:hi])
        phrase_end = verb_end + (m.end() if m else 0)
        while phrase_end > verb_end and self.text[phrase_end - 1] in ". ":
            phrase_end -= 1
        ents = self.entities_in(verb_end, phrase_end)
        people = [e for e in ents if e.label in _PERSONLIKE]
        if people:
            return self.speaker_of(people[-1])
        if ents:
            return self.speaker_of(ents[0])
        # "said the county clerk, Rosa Medina, on Wednesday": the name in apposition is the speaker.
        appos = re.match(r",\s*", self.text[phrase_end:hi])
        if appos:
            named = [e for e in self.entities_in(phrase_end, hi) if e.label in _PERSONLIKE]
            if named and named[0].start == phrase_end + appos.end():
                who = self.speaker_of(named[0])
                return _Speaker(who.text, who.key, who.kind, who.pos, (verb_end + 1, named[0].end))
        first = re.match(r"\s*(\w+)", self.text[verb_end:phrase_end])
        if first and first.group(1).lower() in _PRONOUNS:
            return _Pronoun(first.group(1).lower(), verb_end + first.start(1), verb_end + first.end(1))
        toks = [m for m in re.finditer(r"\S+", self.text[verb_end:phrase_end])][:6]
        toks = [m for m in toks if m.group(0).lower() not in _GAP_WORDS or m.group(0).lower() in _DETERMINERS]
        if toks and (toks[0].group(0).lower() in _DETERMINERS or toks[0].group(0)[:1].isupper()):
            tokens = [m.group(0) for m in toks]
            span = (verb_end + toks[0].start(), verb_end + toks[-1].end())
            return _Speaker(" ".join(tokens), _phrase_key(tokens), "other", verb_end, span)
        return None

    def _attribution_events(self) -> list[_Speaker]:
        """Every named subject of a speech verb in the text, in order: antecedents for pronouns."""
        events = []
        for ent in self.entities:
            after = self.text[ent.end : ent.end + 40]
            m = _AFTER_SUBJECT.match(after)
            if m and SPEECH_VERB_RE.fullmatch(m.group(1)):
                events.append(self.speaker_of(ent))
                continue
            # "..., said National Security Council spokesman John Kirby, adding"; the name must close
            # the phrase, so that "according to a U.S. intelligence finding" names no speaker.
            before = self.text[max(0, ent.start - 80) : ent.start]
            m = re.search(r"\b(said|says|added|according to)\s+([^,.;:!?\"“”]{0,60})$", before)
            if m and not _NOT_A_NAME_RUN.search(m.group(2)) and _NAME_END.match(after):
                events.append(self.speaker_of(ent))
        return events

    def resolve_pronoun(self, pronoun: _Pronoun, pos: int, sentence_lo: int | None = None) -> _Speaker | None:
        """The antecedent of a pronoun subject of a speech verb at `pos`, with the pronoun as mention.

        For "it"/"they", an organisation that is the subject at the start of the same sentence wins
        ("The White House released images of the site where it believes ..."); otherwise, and for
        "he"/"she", the nearest earlier attribution of the same kind or, for people, the nearest person
        opening a sentence outside quotation marks; failing both, the nearest such name. A person
        whose gender the article gives away (see `person_genders`) is never the antecedent of a
        pronoun of the other gender. "I" and "we" (the writer, a first-person account) stay as written.
        """
        mention = (pronoun.start, pronoun.end)
        if pronoun.word in _FIRST_PERSON:
            return _Speaker(self.text[pronoun.start : pronoun.end], None, "person", pos, mention)
        kind = _PRONOUNS.get(pronoun.word)
        if kind is None:
            return None
        gender = _PRONOUN_GENDER.get(pronoun.word)

        def agrees(key: str | None) -> bool:
            known = self.genders.get(key) if key else None
            return gender is None or known is None or known == gender

        if kind == "other" and sentence_lo is not None:
            for ent in self.entities_in(sentence_lo, pos):
                if ent.label in _ORGLIKE and ent.start - sentence_lo <= 4:
                    return self._as_mention(self.speaker_of(ent), pos, mention)
        best = _nearest_before(
            self.events, self.event_pos, pos, lambda ev: ev.kind == kind and agrees(ev.key)
        )
        if kind == "person":
            subject = _nearest_before(self.subjects, self.subject_pos, pos, lambda ev: agrees(ev.key))
            if subject is not None and (best is None or subject.pos > best.pos):
                best = subject
        if best is not None and pos - best.pos < _ANTECEDENT_REACH:
            return self._as_mention(best, pos, mention)
        labels = _PERSONLIKE if kind == "person" else _ORGLIKE
        for ent in reversed(self.entities_in(max(0, pos - 600), pos)):
            if ent.label in labels and agrees(ent.key):
                return self._as_mention(self.speaker_of(ent), pos, mention)
        return _Speaker(self.text[pronoun.start : pronoun.end], None, kind, pos, mention)

    @staticmethod
    def _as_mention(who: _Speaker, pos: int, mention: tuple[int, int]) -> _Speaker:
        return _Speaker(who.text, who.key, who.kind, pos, mention)

    def named_role(self, who: _Speaker, pos: int) -> _Speaker:
        """A role alone ("the judge said") as the person the story names with it, when it names one:
        "Judge Gonzalo Curiel", "Curiel, the judge", nearest before `pos` first. The mention stays."""
        if who.key is None or who.key in self.display or who.mention is None:
            return who
        head = who.key.split()[-1] if who.key else ""
        if head.endswith("s") or head not in _ROLES:
            return who  # "Democratic lawmakers": a group, no one person
        if head not in self._titled:  # once per role word, so that many "the judge said" stay linear
            before_re = re.compile(rf"\b{head}\s+(?:[a-z.]+\s+)?$")
            after_re = re.compile(rf",\s+(?:the|a|an)\s+(?:[\w.-]+\s+){{0,3}}{head}\b")
            ents = [
                ent
                for ent in self.entities
                if ent.label in _PERSONLIKE
                and (
                    before_re.search(self.text[max(0, ent.start - 40) : ent.start].lower())
                    or after_re.match(self.text[ent.end : ent.end + 60].lower())
                )
            ]
            self._titled[head] = (ents, [e.start for e in ents])
        titled, titled_starts = self._titled[head]
        # the nearest such person named before `pos`, else the first named after it
        k = bisect.bisect_left(titled_starts, pos)
        best = titled[k - 1] if k > 0 else (titled[0] if titled else None)
        if best is None:
            return who
        named = self.speaker_of(best)
        return _Speaker(named.text, named.key, named.kind, who.pos, who.mention)

    def colon_name(self, lo: int, hi: int) -> _Speaker | None:
        """Who introduces a quote with a colon and no speech verb: a headline's 'Biden: "..."', or
        the subject opening the sentence ("The judge had advice for his guards: ...")."""
        a, b = lo, hi
        while b > a and self.text[b - 1].isspace():
            b -= 1
        if b == a or self.text[b - 1] != ":":
            return None
        b -= 1
        while b > a and self.text[b - 1].isspace():
            b -= 1
        while a < b and self.text[a].isspace():
            a += 1
        if a == b or "\n" in self.text[a:b]:
            return None
        ents = self.entities_in(a, b)
        if (
            ents
            and ents[0].start == a
            and (len(ents) == 1 and ents[0].end == b or ents[0].label in _PERSONLIKE)
        ):
            return self.speaker_of(ents[0])
        np = re.match(
            r"(?:The|A|An)\s+([a-z]+)\s+(?:had|has|have|was|is|were|gave|offered|issued|left)\b",
            self.text[a:b],
        )
        if np:
            return _Speaker(self.text[a : a + np.end(1)], np.group(1).lower(), "other", a, (a, a + np.end(1)))
        # a digest's 'HEADLINE IN CAPITALS - Michael P. McDonald: "..."': the name ending at the colon
        named = [e for e in ents if e.end == b and e.label in _PERSONLIKE | _ORGLIKE]
        if named and self.text[max(a, named[-1].start - 3) : named[-1].start].strip() in ("-", "—", "–"):
            return self.speaker_of(named[-1])
        # 'A footnote in the report makes that clear: "..."': the subject opening the introduction
        found = self.sentence_subject(a, b)
        if isinstance(found, _Pronoun):
            return self.resolve_pronoun(found, found.start, a)
        return found

    def trailing_name(self, lo: int, hi: int) -> _Speaker | None:
        """A verbless attribution closing the sentence: '..., Ms. Kirby in February.'"""
        tail = self.text[lo:hi]
        m = re.search(
            r",\s*((?:(?:Mr|Ms|Mrs|Dr)\.?\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})"
            r"(?:\s+(?:in|on|at|last|this)\s+[\w ]{1,25})?\s*[.!?]?\s*$",
            tail,
        )
        if not m:
            return None
        name_lo, name_hi = lo + m.start(1), lo + m.end(1)
        people = [e for e in self.entities_in(name_lo, name_hi) if e.label in _PERSONLIKE]
        return self.speaker_of(people[-1]) if people and people[-1].end == name_hi else None

    def from_verb(self, frame_lo: int, frame_hi: int, m: re.Match[str], inverted_ok: bool) -> _Speaker | None:
        verb = m.group(0)
        if verb.lower() == "according to":
            found: _Speaker | _Pronoun | None = self.subject_after(m.end(), frame_hi)
        elif (
            inverted_ok
            and (verb in _INVERTING_VERBS or (verb[:1].islower() and not verb.endswith("ing")))
            and not self.text[frame_lo : m.start()].strip(" ,—–-")
        ):
            # right after the quote, a finite speech verb comes before its subject: ', tweeted Conant'
            found = self.subject_after(m.end(), frame_hi)
        elif (
            verb.endswith("ing")
            and _PARTICIPLE_LEAD.search(self.text, max(frame_lo, m.start() - 8), m.start())
        ) or _COORDINATED.search(self.text, max(frame_lo, m.start() - 6), m.start()):
            # 'Sanders compared himself to Clinton, saying, "..."', '... and called it "..."': the
            # clause's subject speaks
            k = bisect.bisect_right(self.sentence_starts, m.start()) - 1
            sent_lo = max(self.sentence_starts[k] if k >= 0 else 0, m.start() - _FRAME_REACH)
            earlier = last_match(SPEECH_VERB_RE, self.text, frame_lo, m.start())
            if earlier is not None and not earlier.group(0).endswith("ing"):
                # 'Spicer said, adding, "..."': the cue before it names the speaker
                return self.from_verb(frame_lo, m.start(), earlier, inverted_ok=False)
            found = self.sentence_subject(min(sent_lo, frame_lo), m.start()) or self.subject_before(
                frame_lo, m.start()
            )
        else:
            found = self.subject_before(frame_lo, m.start())
        if isinstance(found, _Pronoun):
            return self.resolve_pronoun(found, m.start(), frame_lo)
        return found

    def sentence_subject(self, lo: int, hi: int) -> _Speaker | _Pronoun | None:
        """The subject opening the words text[lo:hi]: an entity, a pronoun or a determiner phrase,
        after a short lead-in phrase ending with a comma ("At Sunday's debate, Sanders ...")."""
        text = self.text
        starts = [lo]
        comma = text.find(",", lo, min(hi, lo + 120))
        while comma > 0 and len(starts) < 3:  # 'At a town hall in Salem, New Hampshire, Trump went'
            starts.append(comma + 1)
            comma = text.find(",", comma + 1, min(hi, lo + 120))
        place = None
        for a in starts:
            while a < hi and text[a].isspace():
                a += 1
            if a >= hi:
                continue
            for ent in self.entities_in(a, hi):
                if ent.start == a and ent.label in ("GPE", "LOC"):
                    place = place or self.speaker_of(ent)  # a place in the lead-in, unless no other
                elif ent.start == a and ent.label in _PERSONLIKE | _ORGLIKE:
                    return self.speaker_of(ent)
                break
            m = _SUBJECT_START.match(text, a, hi)
            if m is None:
                continue
            if m.group("pronoun"):
                word = m.group("pronoun")
                return _Pronoun(word.lower(), m.start("pronoun"), m.end("pronoun"))
            end = _np_words(text, m.end(), hi)
            if end > m.end():
                words = text[a:end].split()
                return _Speaker(" ".join(words), _phrase_key(words), "other", a, (a, end))
        return place

    def named_subject(self, lo: int, hi: int) -> _Speaker | None:
        """The person or organisation opening the sentence text[lo:hi], if one does (within a few
        characters of its start, so that the look is bounded)."""
        while lo < hi and self.text[lo].isspace():
            lo += 1
        for ent in self.entities_in(lo, min(hi, lo + 80)):
            if ent.start == lo and ent.label in _PERSONLIKE | _ORGLIKE and ent.label != "GPE":
                return self.speaker_of(ent)
            break
        return None

    def latest_mention(self, who: _Speaker | None, lo: int, hi: int) -> _Speaker | None:
        """The speaker a quote goes on with, named where the text last names them before it: the
        same person again, or "he"/"she" of their gender opening a sentence between the two quotes."""
        if who is None or who.key is None:
            return who
        mention = who.mention
        gender = self.genders.get(who.key)
        for ent in self.entities_in(lo, hi):
            if ent.key == who.key:
                mention = (ent.start, ent.end)
        for m in _SENTENCE_PRONOUN.finditer(self.text, lo, hi):
            if mention is None or m.start(1) > mention[0]:
                word = m.group(1).lower()
                if (
                    who.kind == "person"
                    and _PRONOUN_GENDER.get(word) in (gender, None)
                    and word in ("he", "she")
                ):
                    mention = (m.start(1), m.end(1))
        return _Speaker(who.text, who.key, who.kind, who.pos, mention)

    def in_frame(self, lo: int, hi: int, forward: bool) -> _Speaker | None:
        matches = list(SPEECH_VERB_RE.finditer(self.text, lo, hi))
        for m in matches if forward else reversed(matches):
            sp = self.from_verb(lo, hi, m, inverted_ok=forward)
            if sp is not None:
                return self.named_role(sp, m.start())
        return None


_TITLE_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f"}
_TITLE_BEFORE = re.compile(r"\b(Mr|Mrs|Ms|Miss)\.?\s+$")
_HE = re.compile(r"\b(?:[Hh]e|his|His|him|himself)\b")
_SHE = re.compile(r"\b(?:[Ss]he|her|Her|hers|herself)\b")


def person_genders(text: str, entities: Sequence[Entity]) -> dict[str, str]:
    """The gender ("m"/"f") of each person the article gives one, so "she said" never goes to a man.

    The evidence: a title before a mention (Mr. / Mrs. / Ms.) and the first name a mention or the
    key's fullest form opens with (lexicon first-names-male / -female) decide; only when they are
    missing or tie do the he/his/him and she/her in the 200 characters after each mention, before
    another person is named, decide ("Asked by Matt Lauer whether she had practised, she said"
    leaves Lauer a man). A tie gives no gender.
    """
    strong: dict[str, list[int]] = {}
    weak: dict[str, list[int]] = {}
    people = [e for e in entities if e.label in _PERSONLIKE]
    for idx, ent in enumerate(people):
        vote = strong.setdefault(ent.key, [0, 0])
        title = _TITLE_BEFORE.search(text, max(0, ent.start - 6), ent.start)
        title_word = title.group(1) if title else ent.text.split(".")[0] if "." in ent.text[:5] else ""
        gender = _TITLE_GENDER.get(title_word.lower())
        if gender is not None:
            vote[gender == "f"] += 1
        first = _first_name(ent.text)
        if first in _MALE_NAMES and first not in _FEMALE_NAMES:
            vote[0] += 1
        elif first in _FEMALE_NAMES and first not in _MALE_NAMES:
            vote[1] += 1
        nxt = people[idx + 1].start if idx + 1 < len(people) else len(text)
        window = text[ent.end : min(nxt, ent.end + 200)]
        w = weak.setdefault(ent.key, [0, 0])
        w[0] += len(_HE.findall(window))
        w[1] += len(_SHE.findall(window))
    display = _display_names(people)
    out: dict[str, str] = {}
    for key, vote in strong.items():
        first = _first_name(display.get(key, ""))
        m, f = vote
        if m == f == 0:  # no title and no first name on any mention: the fullest form's first name
            m, f = first in _MALE_NAMES, first in _FEMALE_NAMES
        if m == f:
            m, f = weak[key]
        if m != f:
            out[key] = "m" if m > f else "f"
    return out


@functools.lru_cache(maxsize=4096)
def _first_name(name: str) -> str:
    """The first word of a name that is no title, lower case ("" when there is none)."""
    words = [w.lower() for w in re.findall(r"[A-Za-z]+", name)]
    return next((w for w in words if w not in _TITLE_GENDER and w not in ("dr", "sen", "rep", "gov")), "")


#: How far back (characters) an attribution is an antecedent for a pronoun.
_ANTECEDENT_REACH = 3000


def _nearest_before(
    items: Sequence[_Speaker], starts: Sequence[int], pos: int, ok: Callable[[_Speaker], bool]
) -> _Speaker | None:
    """The last of `items` (sorted by `pos`, positions in `starts`) before `pos` that is `ok`, looking
    back at most `_ANTECEDENT_REACH` characters, so that each look-up is bounded."""
    k = bisect.bisect_left(starts, pos) - 1
    while k >= 0 and pos - starts[k] < _ANTECEDENT_REACH:
        if ok(items[k]):
            return items[k]
        k -= 1
    return None


def _word_before(text: str, lo: int, pos: int) -> tuple[int, int] | None:
    """The word ending just before `pos` (spaces skipped), not reaching before `lo`.

    Scans back over at most 40 word characters: a longer run is no attribution word, and an
    unbounded scan made one 32 KB token take seconds.
    """
    end = pos
    while end > lo and text[end - 1].isspace():
        end -= 1
    start = end
    while start > lo and end - start < 40 and (text[start - 1].isalnum() or text[start - 1] in "_’'"):
        start -= 1
    return (start, end) if start < end else None


def _phrase_key(tokens: Sequence[str]) -> str:
    words_ = [norm_word(t) for t in tokens]
    while words_ and words_[0] in _DETERMINERS:
        words_.pop(0)
    return " ".join(w for w in words_ if w)


def _display_names(entities: Sequence[Entity]) -> dict[str, str]:
    """The fullest way the article writes each key ("John Kirby" for "john kirby")."""
    best: dict[str, str] = {}
    for ent in entities:
        cur = best.get(ent.key)
        if cur is None or len(ent.text) > len(cur):
            best[ent.key] = ent.text
    return best


def _masked(text: str, raws: Sequence[_RawQuote]) -> str:
    """The text with quoted words blanked (but a final . ! ? kept), for framing sentences."""
    chars = list(text)
    for q in raws:
        for i in range(q.start, q.end):
            if not chars[i].isspace():
                chars[i] = "x"
        if text[q.end - 1] in ".!?":
            chars[q.end - 1] = text[q.end - 1]
    return "".join(chars)


_MARKUP_RE = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]{0,2000})?/?>")


def _without_markup(text: str) -> str:
    """The text with HTML/XML tags blanked (same length), so that a tag's attribute values
    (`<tweet tweet-id="785828772423561216">`) are never paired into quotes."""
    return _MARKUP_RE.sub(lambda m: " " * len(m.group(0)), text)


@dataclass(slots=True)
class _Found:
    """A quote being built: its fragments, marks, sentence and paragraph, and its own attribution."""

    parts: list[tuple[int, int]]
    open_at: int  # the opening mark (or the first quoted character when it was lost)
    close_at: int  # just after the closing mark (or the last quoted character)
    closed: bool
    partial: bool
    sentence: tuple[int, int]  # indices of its first and last sentence
    para: int
    speaker: _Speaker | None
    how: str | None  # where the attribution was: "after", "before", "colon", "trailing"
    next_open: int | None  # where the next quote opens, when that bounded its frame
    after_hi: int  # the end of the words read after it for its attribution

    @property
    def start(self) -> int:
        return self.parts[0][0]

    @property
    def end(self) -> int:
        return self.parts[-1][1]


#: Frames are read at most this far from a quote's marks, so that no scan per quote is unbounded.
_FRAME_REACH = 400


def _attribute(
    text: str,
    att: _Attributor,
    raws: Sequence[_RawQuote],
    i: int,
    sentences: Sequence[tuple[int, int]],
    sent_starts: Sequence[int],
    para_starts: Sequence[int],
) -> _Found:
    """One quote with the attribution of its own sentence (the words outside its marks)."""
    q = raws[i]
    open_at = q.open_mark if q.open_mark is not None else q.start
    close_at = q.end
    if q.close_mark is not None:
        close_at = q.close_mark + (2 if text.startswith(("''", "``"), q.close_mark) else 1)
    si = max(0, bisect.bisect_right(sent_starts, open_at) - 1)
    sj = max(si, bisect.bisect_right(sent_starts, max(open_at, close_at - 1)) - 1)
    sent_lo = sentences[si][0] if sentences else 0
    sent_hi = sentences[sj][1] if sentences else len(text)
    # A frame stops at the quotes around it, so that frames never overlap and the work stays linear.
    prev_end = 0
    if i:
        prev_end = raws[i - 1].close_mark + 1 if raws[i - 1].close_mark is not None else raws[i - 1].end
    pre_lo = max(sent_lo, prev_end)
    post_hi = sent_hi
    next_open = None
    if i + 1 < len(raws) and raws[i + 1].open_mark is not None and raws[i + 1].open_mark < post_hi:
        post_hi = next_open = raws[i + 1].open_mark
    elif i + 1 < len(raws) and raws[i + 1].start < post_hi:
        post_hi = max(close_at, raws[i + 1].start)  # its opening mark was lost
    pre_lo = min(max(pre_lo, open_at - _FRAME_REACH), open_at)
    introduced = text[pre_lo:open_at].rstrip().endswith(":")
    if (
        post_hi == sent_hi
        and next_open is None
        and not introduced
        and not text[close_at:post_hi].strip()
        and sj + 1 < len(sentences)
        and SPEECH_VERB_RE.search(text, pre_lo, open_at) is None
    ):
        # '"Why is he attacking me?" Trump said.': the quote's own ? or ! (or .) ended the sentence,
        # and the attribution is the short sentence after it, in its paragraph; unless its own
        # sentence introduced it ('The coach said: "We're not done yet." Fans cheered.')
        post_hi = _attribution_sentence(text, sentences, sj, close_at, post_hi, raws, i)
    post_hi = max(min(post_hi, close_at + _FRAME_REACH), close_at)
    partial = _is_partial(text, q, open_at, para_starts)
    frames = [(close_at, post_hi, True, "after"), (pre_lo, open_at, False, "before")]
    if partial or (introduced and not _cue_right_after(text, close_at, post_hi)):
        # 'Kirby warned that ... was "expanding"'; 'The advisory states: "..."'; but 'Rhimes declared
        # the need for drive: "Change the world," she said.' is credited by its own "she said"
        frames.reverse()
    speaker, how = None, None
    for lo, hi, forward, where in frames:
        speaker = att.in_frame(lo, hi, forward)
        if speaker is not None:
            how = where
            break
    if speaker is None:
        speaker = att.colon_name(pre_lo, open_at)
        how = "colon" if speaker else None
    if speaker is None and post_hi == sent_hi:
        speaker = att.trailing_name(close_at, post_hi)
        how = "trailing" if speaker else None
    para = bisect.bisect_right(para_starts, open_at) - 1
    if speaker is None and si > 0 and para > 0 and open_at == para_starts[para]:
        speaker = _introduced_above(text, att, sentences[si - 1], open_at)
        how = "colon" if speaker else None
    return _Found(
        [(q.start, q.end)],
        open_at,
        close_at,
        q.closed,
        partial,
        (si, sj),
        para,
        speaker,
        how,
        next_open,
        post_hi,
    )


#: An attribution sentence after a quote is at most this many words ("Bennett shot back with a laugh.").
_ATTRIBUTION_SENTENCE_WORDS = 16
#: ... and its speech verb comes within this many words of its start ("Senate Minority Leader Harry
#: M. Reid (D-Nev.) said in a statement.").
_ATTRIBUTION_VERB_WORDS = 9
_CLAUSE_AFTER_VERB = re.compile(r"\s+(?:that|whether|if|how|why|what|when)\b")


def _attribution_sentence(
    text: str,
    sentences: Sequence[tuple[int, int]],
    sj: int,
    close_at: int,
    post_hi: int,
    raws: Sequence[_RawQuote],
    i: int,
) -> int:
    """Where a quote's 'after' frame ends when its sentence ends with the quote: the end of the next
    sentence of its paragraph if that is a short attribution ('"Q?" Trump said.'), else `post_hi`."""
    if text[close_at:post_hi].strip() or sj + 1 >= len(sentences):
        return post_hi
    lo, hi = sentences[sj + 1]
    if "\n" in text[post_hi:lo] or hi - lo > 40 * _ATTRIBUTION_SENTENCE_WORDS:
        return post_hi
    if i + 1 < len(raws) and raws[i + 1].start < hi:
        nxt = raws[i + 1].open_mark if raws[i + 1].open_mark is not None else raws[i + 1].start
        if text[lo:nxt].rstrip()[-1:] not in (".", "!", "?"):
            return post_hi  # 'He added, "Q2."': the sentence introduces the next quote
        hi = nxt  # 'Trump asked. "Q2."' read as one sentence (the masked quote hides its capital)
    if len(text[lo:hi].split()) > _ATTRIBUTION_SENTENCE_WORDS:
        return post_hi
    verb = SPEECH_VERB_RE.search(text, lo, hi)
    if (
        verb is None
        or len(text[lo : verb.start()].split()) > _ATTRIBUTION_VERB_WORDS
        or _CLAUSE_AFTER_VERB.match(text, verb.end())
    ):
        return post_hi
    return hi


def _cue_right_after(text: str, close_at: int, hi: int) -> bool:
    """Whether a speech verb follows a quote within its first few words (', she said')."""
    m = SPEECH_VERB_RE.search(text, close_at, min(hi, close_at + 40))
    return m is not None and len(text[close_at : m.start()].split()) <= 3


def _introduced_above(
    text: str, att: _Attributor, sentence: tuple[int, int], open_at: int
) -> _Speaker | None:
    """The speaker of a quote opening a paragraph after a sentence that ends with a colon
    ("Reporter Jomana Karadsheh says:" / "Transcript as follows:")."""
    lo, hi = sentence
    if open_at - hi > 4 or not text[lo:hi].rstrip().endswith(":"):
        return None
    lo = max(lo, hi - _FRAME_REACH)
    return att.in_frame(lo, hi, False) or att.colon_name(lo, hi)


#: Whether '"Q1," X said. "Q2."' (the attribution ends a sentence) is one Quote, as PolNeAR annotates
#: it. It is not: the second sentence is a quote of its own that goes on with the same speaker (and
#: the same attribution mention), so that each quote stays a run of quoted sentences for the story
#: alignment and search; "Q1," she said, "Q2." inside one sentence is one Quote with two parts.
_MERGE_ACROSS_SENTENCES = False


def _merge_interrupted(text: str, found: list[_Found]) -> list[_Found]:
    """Join a quote interrupted by its attribution ("Q1," she said, "Q2.") into one statement.

    The first fragment's attribution must sit between the two fragments, in one paragraph, and the
    second fragment must have no attribution of its own after it ("Q1," he said. "Q2," she replied.
    are two statements). A fragment that follows in the same way joins too.
    """
    out: list[_Found] = []
    for f in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.how == "after"
            and prev.next_open == f.open_at
            and prev.para == f.para
            and f.how in (None, "before")
            and not _second_cue(text, prev.close_at, f.open_at)
            and SPEECH_VERB_RE.search(text, f.close_at, f.after_hi) is None
            and (_MERGE_ACROSS_SENTENCES or text[prev.close_at : f.open_at].rstrip()[-1:] not in ".!?")
        ):
            prev.parts.extend(f.parts)
            prev.close_at, prev.closed, prev.sentence = (
                f.close_at,
                f.closed,
                (prev.sentence[0], f.sentence[1]),
            )
            prev.next_open, prev.after_hi = f.next_open, f.after_hi
            continue
        out.append(f)
    return out


_INNER_STOP = re.compile(r"[.!?][\"”’']?\s")


def _share_attribution(text: str, found: list[_Found]) -> None:
    """'"Q1," Graham told CBS News on Tuesday, when a dozen states voted. "Q2."': the words between
    the two quotes are one sentence, the first quote's attribution; the second goes on with it rather
    than taking a name from inside it."""
    for prev, f in zip(found, found[1:], strict=False):
        if (
            prev.how == "after"
            and prev.speaker is not None
            and f.how == "before"
            and prev.next_open == f.open_at
            and prev.para == f.para
            and f.open_at - prev.close_at <= _FRAME_REACH
            and _INNER_STOP.search(text[prev.close_at : f.open_at].rstrip()[:-1]) is None
            and not text[prev.close_at : f.open_at].rstrip().endswith(":")
        ):
            f.speaker = prev.speaker


def _second_cue(text: str, lo: int, hi: int) -> bool:
    """Whether the words between two fragments introduce the second on their own ('..., Cruz said,
    adding: "..."'), which makes it a statement of its own."""
    between = text[lo:hi].rstrip()
    return between.endswith(":") or len(SPEECH_VERB_RE.findall(between)) > 1


#: A quoted phrase inside a clause ('a "rigged economy" where ...') with no attribution in its
#: sentence and shorter than this many words is a scare quote or a term, not a quotation; one that
#: ends its clause ('Trump called it "a disgrace."') is a partial quotation at any length, and so is
#: one whose sentence attributes it ('He added that the plan was "non-negotiable" and ...').
_MID_CLAUSE_WORDS = 12
#: A partial quote continues the previous sentence's speaker after at most this many words of its own.
_LEAD_WORDS = 3
#: A sentence of its own this short with no attribution is a name or a slogan ("Sanity.").
_UNATTRIBUTED_WORDS = 3


#: A partial quote this short with no punctuation of its own at its end is a term, not a quotation.
_TERM_WORDS = 2


def _is_term(text: str, f: _Found) -> bool:
    """'the law's "Cadillac tax" — a levy': an unattributed partial quote of a word or two with no
    punctuation of its own (. , ; : ! ? ending its words or right after its closing mark) is a term
    ('He added that the plan was "non-negotiable"' is the words of its speaker)."""
    if (
        f.speaker is not None
        or not f.partial
        or len(" ".join(text[s:e] for s, e in f.parts).split()) > _TERM_WORDS
    ):
        return False
    tail = text[f.parts[-1][1] - 1 : min(len(text), f.close_at + 1)]
    return not any(ch in ".,;:!?" for ch in tail)


def _ends_clause(text: str, f: _Found) -> bool:
    """Whether the quotation closes its clause: punctuation inside or right after its closing mark."""
    last = text[f.parts[-1][1] - 1 : f.close_at]  # its last character, trimmed punctuation, the mark
    after = text[f.close_at : f.close_at + 3].lstrip()
    return not after or after[0] in ".,;:!?)—–-" or any(ch in ".,;:!?" for ch in last)


def _is_quotation(text: str, f: _Found, continues: bool = False) -> bool:
    """Whether a quoted span is speech, rather than a title, a nickname or a scare quote.

    `continues`: it follows an attributed quote in its paragraph ('..." said X. "I saw blood."').
    """
    quoted = " ".join(text[s:e] for s, e in f.parts)
    n_words = len(quoted.split())
    if looks_like_title(quoted) and (f.partial or f.how != "after"):
        return False  # "Cake Boss", 'on ABC's "This Week"'; but '"Absolutely," he said' is speech
    if f.partial and not _ends_clause(text, f):
        return f.speaker is not None or n_words >= _MID_CLAUSE_WORDS
    introduced = text[max(0, f.open_at - 3) : f.open_at].rstrip().endswith(":")
    attributed = f.speaker is not None or introduced or continues
    return not (not attributed and not f.partial and n_words <= _UNATTRIBUTED_WORDS)


def find_quotes(paragraphs: Sequence[str], entities: Sequence[Entity]) -> tuple[Quote, ...]:
    """The direct quotations of an article, with their speakers resolved to entity keys."""
    text = "\n\n".join(paragraphs)
    spans = paragraph_spans(paragraphs)
    raws = quote_spans(_without_markup(text), spans)
    if not raws:
        return ()
    masked = _masked(text, raws)
    sentences = [s for lo, hi in spans for s in sentence_spans(text, lo, hi, masked)]
    sent_starts = [s for s, _ in sentences]
    para_starts = [lo for lo, _ in spans]
    att = _Attributor(text, entities, [(q.start, q.end) for q in raws], sent_starts)
    found = [_attribute(text, att, raws, i, sentences, sent_starts, para_starts) for i in range(len(raws))]
    found = _merge_interrupted(text, found)
    _share_attribution(text, found)
    found = [
        f
        for i, f in enumerate(found)
        if _is_quotation(text, f, i > 0 and found[i - 1].para == f.para and found[i - 1].speaker is not None)
    ]

    out: list[Quote] = []
    prev: _Found | None = None
    for f in found:
        speaker = f.speaker
        # No attribution of its own: a quote that follows another goes on with its speaker, also
        # across one paragraph of narrative that names them again ("She spoke at the gates ...").
        if speaker is None and prev is not None and prev.speaker is not None:
            going_on = att.latest_mention(prev.speaker, prev.end, f.open_at)
            named_again = going_on is not None and going_on.mention != prev.speaker.mention
            gap = f.para - prev.para
            # a partial quote goes on only within its paragraph, into the next sentence at most
            # ('"Q1," she says. It's "Q2."')
            # a partial quote goes on into the next sentence of its paragraph when that sentence
            # names no one of its own before it ('"Q1," she says. It's "Q2."')
            lead_lo = sentences[f.sentence[0]][0]
            next_sentence = (
                gap == 0
                and f.sentence[0] == prev.sentence[1] + 1
                and f.open_at - lead_lo <= 80  # a bounded look, so that each quote's work is too
                and len(text[lead_lo : f.open_at].split()) <= _LEAD_WORDS
            )
            if (
                prev.sentence[1] == f.sentence[0]
                or next_sentence
                or (not f.partial and (gap <= 1 or (gap == 2 and named_again)))
            ):
                speaker = going_on
        if speaker is None and f.partial:
            # 'Moore thanked him for "stepping up."': a reported clause with no speech verb is the
            # words of its sentence's subject, when that is a name
            speaker = att.named_subject(sentences[f.sentence[0]][0], f.open_at)
        f.speaker = speaker
        prev = f
        if _is_term(text, f):
            continue  # its speaker goes on to the next quote of the sentence, it is no quote itself
        out.append(
            Quote(
                text=text[f.start : f.end],
                speaker=speaker.text if speaker else None,
                start=f.start,
                end=f.end,
                speaker_key=speaker.key if speaker else None,
                partial=f.partial,
                closed=f.closed,
                parts=tuple(f.parts) if len(f.parts) > 1 else (),
                speaker_start=speaker.mention[0] if speaker and speaker.mention else None,
                speaker_end=speaker.mention[1] if speaker and speaker.mention else None,
            )
        )
    return tuple(out)


_TITLE_SMALL = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "with",
        "by",
        "de",
        "la",
        "le",
        "du",
        "von",
        "van",
    ]
)


def looks_like_title(quoted: str) -> bool:
    """A name in quotation marks (a film, a book, a nickname: "X-Men", "Deep Throat"), not speech."""
    ws = [w for w in re.findall(r"[^\W_][\w'’-]*", quoted)]
    if not ws or len(ws) > 12:
        return False
    content = [w for w in ws if w.lower() not in _TITLE_SMALL]
    return bool(content) and all(w[0].isupper() or w[0].isdigit() for w in content)


def _is_partial(text: str, q: _RawQuote, open_at: int, para_starts: Sequence[int]) -> bool:
    """A fragment inside a reported sentence ("was 'expanding'"), not a sentence of its own."""
    first = text[q.start]
    if first.isalpha() and first.islower():
        return True
    para_lo = para_starts[bisect.bisect_right(para_starts, open_at) - 1]
    k = open_at
    while k > para_lo and text[k - 1].isspace():  # no slice of the paragraph: long ones stay linear
        k -= 1
    if k == para_lo:
        return False
    return text[k - 1].isalnum() or text[k - 1] in ")%"
