"""Finding the story in a plain-text scrape of a whole page.

A text scrape holds the page as a browser shows it: menus, link lists, share buttons, image captions,
cookie notices, comment threads and footers around the story. The story is found from the shape of
its lines, not from the words of any particular site:

1. each non-blank line gets features: length in words, share of function words (prose has many,
   menus and headlines few), whether it ends like a sentence, whether it is a list item; lines of
   mis-decoded bytes or symbols have no words;
2. each line is classified intrinsically as good (prose), near-good, short or bad, then short lines
   take the class of their neighbours, as in jusText (Pomikálek, 2011): a subheading between two
   paragraphs is story, a short line among menus is not;
3. lines with a known job are set aside: captions and photo credits (kept apart), bylines, date lines,
   "Label: Headline" link teasers and promotions shouted in capitals, ad slot labels, repeated
   lines, the site's notices to the visitor (consent, privacy), the heading of an author box
   ("About Jane Doe", whose biography is demoted and never joined to the story), lines the site
   prints on its other pages too (a site profile, see `clean.site`), and the furniture of comment
   threads and lists: stamps ("3 hours ago", "Jo says:", "Like · Reply"), thread headings ("34
   Comments") and section headings ("Related stories"). The word lists behind them are data
   (`text/lexicon/`);
4. the story is the densest cluster of prose lines: clusters are runs of good lines broken by gaps of
   a few non-prose lines (or by a byline, date line, stamp or notice, which ends a piece or heads a
   new one), weighed by their words less a cost for every line of furniture inside. Boilerplate
   prose sits in its own cluster, cut off from the story by menus; teaser lists and comment threads
   pay for their headline, name and date lines; a comment whose buttons follow it is split off
   the story it sits under. Two clusters separated only by an embedded box (a short link list or a
   photo, in the same container by indentation) are one story, but never across the start of a
   comment thread or into a list of teasers. The cluster right under the page's first byline or
   date line is favoured; a comment thread (a thread heading followed by stamps or by prose cut
   into items) and a list of items under a section heading keep a third of their weight, however
   long they are; the legal prose around the copyright line at the foot of the page keeps half;
5. around the winning cluster: a one-sentence lead or closing line is taken in, and a list the story
   announces with a colon ("The tour dates:") is kept with it.

Every threshold is set once for all sites and languages; changing any of them by about a third moves
the F1 on the dev corpus (bench/quality_cleaning.py, `--sensitivity` for the newer ones) by about
0.01 or less, which says they are not tuned to particular pages.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from tuireader.clean import bylines
from tuireader.clean.dates import find_dates
from tuireader.clean.language import (
    ALL_STOPWORDS,
    detect_language_of_words,
    stopwords_for,
    word_set,
    words_of,
)
from tuireader.clean.spam import find_spam_tokens, remove_spam_tokens
from tuireader.text.units import load_words

_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_BULLET = re.compile(r"^(?:[*•·▪►▸‣◦+-]|o(?=\s)|\d{1,3}[.)])\s+")
_ENDS = frozenset(".!?…:;。！？")  # what ends a sentence (or announces what follows)
_CLOSERS = "\"”’'»)]」』"  # what may follow the end: closing quotes and brackets
_QUOTE_CLOSERS = frozenset('"”»」』')  # a quotation closing a line ends it too
_SENTENCE_END = re.compile(r"[.!?…][\"”’'»)\]]*(?:\s|$)|[。！？]")
# Scripts written without spaces between words: length is counted in characters there.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
# "Related: Some Headline", "READ MORE: Some Headline" - a link teaser dropped into the story.
_TEASER = re.compile(r"^[\w’' ]{2,25}:\s+\S")
# A photo credit standing alone: "(Maxar Technologies via AP)", "Photo: Jane Doe, AP", "© Reuters".
_CREDIT_LINE = re.compile(
    r"^(?:\((?=[^()]*(?:©|\bvia\b|/|photo|image|credit|foto|getty))[^()]{2,120}\)"
    r"|(?:photo|image|picture|credit|foto|bild)s?(?:\s+credit)?\s*:\s*(?:\S+\s*){1,6}"
    r"|©\s*.{2,60})$",
    re.IGNORECASE,
)
# The site's copyright notice: "Copyright 2024 Valley Gazette Publishing Co."
_COPYRIGHT_LINE = re.compile(r"^(?:©|\(c\)|copyright\b)", re.IGNORECASE)
# A caption ends with its credit: "... Ukraine. (Satellite image ©2023 Maxar Technologies via AP)".
_TRAILING_CREDIT = re.compile(
    r"\((?=[^()]*(?:©|\bvia\b|photo|image|credit|foto|getty|/))[^()]{2,120}\)\s*$"
    r"|\b(?:photo|image|picture|credit|foto)s?(?:\s+credit)?\s*:\s*[^.:]{2,60}$",
    re.IGNORECASE,
)
# ... or with a credit fragment after the last sentence: "... military bases. White House".
_TRAILING_CREDIT_WORDS = re.compile(r"[.!?][\"”’]?\s+(?:[A-Z][\w&'’.-]*\s?){1,4}$")
_GLUED_CAPTION_CUES = re.compile(
    r"\b(?:photo|image|picture|pictured|graphic|illustration|file)\b", re.IGNORECASE
)
_STRAY_DOTS = re.compile(r"([.!?][\"”’]?)(?:\s+\.)+(?=\s|$)")
_SPACE_BEFORE_COMMA = re.compile(r"(?<=\w)\s+(?=,)")
_RULE = re.compile(r"^[\W_]+$")
# Characters of no word and no common punctuation: replacement characters, box drawing, symbols.
_ILLEGIBLE = re.compile(r"[^\w\s.,;:!?'\"“”‘’«»„()\[\]{}\-–—/…%&@#*+=·•|<>~^$€£¥]")
ILLEGIBLE_SHARE = 0.3  # a line with more of them than this is not text
_DIGIT = re.compile(r"\d{4}")
# How old a comment is, as threads print it: "3 hours ago", "vor 2 Tagen", "il y a 5 min", "· 2w".
_RELATIVE_TIME = re.compile(
    r"\b\d{1,3}\s*(?:s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|mo|mos|months?"
    r"|y|yrs?|years?)\s+ago\b|^\s*(?:vor|il y a|hace|há|há cerca de)\s+\d{1,3}\s+\w+"
    r"|\b\d{1,3}\s+\w+\s+(?:fa|geleden|temu|önce|назад)\b|(?:^|[·•|]\s*)\d{1,2}[smhdwy]\s*$"
    r"|^(?:just now|yesterday at\b)",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"[\"“«„]")
# What each word can say about a short line of comment or list furniture, as bit flags.
_NOUN, _ACTION, _BUTTON, _SAYS, _SECTION, _STOP, _TIME, _DIGITS, _AD, _AD_FILLER = (1 << i for i in range(10))
# The words `_RELATIVE_TIME` needs besides a number ("3 hours ago", "vor 2 Tagen", "just now").
_TIME_WORDS = word_set("ago vor il hace há fa geleden temu önce назад just yesterday")


def _cue_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for flag, words in (
        (_NOUN, load_words("comment-nouns")),
        (_ACTION | _BUTTON, load_words("comment-actions")),
        (_BUTTON, load_words("page-buttons")),
        (_SAYS, load_words("comment-says")),
        (_SECTION, load_words("section-headings")),
        (_STOP, ALL_STOPWORDS),
        (_TIME, _TIME_WORDS),
        (_AD, load_words("ad-labels")),
        (_AD_FILLER, load_words("ad-label-fillers")),
    ):
        for word in words:
            table[word] = table.get(word, 0) | flag
    return table


_CUES = _cue_table()

GOOD, NEARGOOD, SHORT, BAD = "good", "neargood", "short", "bad"

# Thresholds, in words and function-word shares (the latter scaled per page, see `_thresholds`).
LONG_WORDS = 16  # a prose paragraph has at least this many words ...
STOP_HIGH = 0.30  # ... and at least this share of function words
STOP_LOW = 0.20  # below this share a line is a list of names or headlines
SHORT_WORDS = 8  # fewer words than this: decided by context
MAX_GAP = 3  # non-prose lines a story can hold between two paragraphs
MAX_BOX = 10  # lines of an embedded box (a list of links, an image) a story can hold
GAP_COST = 10  # words of prose a non-prose line inside a cluster costs (teaser lists, comment threads)
HEAD_WINDOW = 40  # lines above the story searched for its captions
MAX_LIST = 60  # items of a list announced by a story line ending in a colon
READER_LINE_WORDS = 30  # a notice to the reader is short ...
READER_SHARE = 0.1  # ... and at least this share of its words address the reader
NOTICE_HITS = 2  # a long notice says "you" and "we/our" at least this often each
# Words by which a site addresses its visitor ("you") and speaks of itself ("our"), several languages.
_READER_YOU = load_words("reader-address")
_SITE_WE = load_words("site-voice")
_ABOUT_HEADS = load_words("about-heads")
_AUTHOR_WORDS = load_words("author-words")
_READER_ADDRESS = _READER_YOU | _SITE_WE
_QUOTE_MARKS = ('"', "“", "”", "«", "»", "„")
HEADER_REACH = 6  # lines between the first byline/date line and the story it heads
HEADER_BONUS = 1.5
SEPARATORS = ("date", "byline", "stamp", "thread", "notice", "bio")  # lines that end a piece or head one
LIST_REACH = 6  # lines between a thread or section heading and the list it heads
LIST_FACTOR = 0.3  # what a comment thread or a list of teasers keeps of its weight
THREAD_STAMPS = 3  # comment stamps on a page that make it a page with a thread
AD_WORDS = 6  # an ad slot's label is at most this long
BIO_WORDS = 6  # the heading of an "about the author" box is at most this long
SHOUTED_WORDS = 7  # a line in capitals this long is a promotion (subheadings in capitals are shorter)
LIST_LINES = 12  # lines under a section heading looked at for a list of teasers ...
TEASER_WORDS = 6  # ... whose headlines have at least this many words
FOOTER_FACTOR = 0.5  # what prose around the site's copyright line keeps (disclaimers, legal notes) ...
FOOTER_SHARE = 0.8  # ... a copyright line this far down the page (photo credits "© X" sit higher)


@dataclass(slots=True)
class Line:
    """One non-blank line of the page and what the cleaner learnt about it."""

    n: int
    text: str
    indent: int
    bullet: bool
    words: int
    stop: float
    terminal: bool
    blank_before: bool = False
    marker: str = ""  # the list marker the line had: "1." as written, any other as "•"
    kind: str = BAD
    role: str = ""  # caption | credit | byline | date | teaser | dup | rule | copyright | site
    key: str = ""  # the line's words, as `line_keys` spells them


@dataclass(slots=True)
class Layout:
    """The page as lines, and which of them form the story."""

    lines: list[Line]
    body: list[int] = field(default_factory=list)  # line numbers of story paragraphs, in order
    captions: list[str] = field(default_factory=list)
    language: str | None = None
    spam: set[str] = field(default_factory=set)

    @property
    def start(self) -> int:
        return self.body[0] if self.body else len(self.lines)

    @property
    def end(self) -> int:
        return self.body[-1] if self.body else len(self.lines) - 1


def normalise(text: str) -> str:
    """Invisible characters out, odd spaces to plain ones, tabs expanded (indentation is a feature)."""
    text = _INVISIBLE.sub("", text)
    return text.replace("\t", "    ").replace("\u00a0", " ").replace("\u2028", "\n").replace("\u2029", "\n")


def ends_like_a_sentence(text: str) -> bool:
    """Whether `text` ends with sentence punctuation (or a closing quotation mark)."""
    if not text:
        return False
    if text[-1] in _QUOTE_CLOSERS:
        return True
    core = text.rstrip(_CLOSERS)
    return bool(core) and core[-1] in _ENDS


def tidy(text: str) -> str:
    """One space between words, no " . ." left by scrapers, no space before a comma."""
    text = " ".join(text.split())
    if " ." in text:
        text = _STRAY_DOTS.sub(r"\1", text)
    if " ," in text:
        text = _SPACE_BEFORE_COMMA.sub("", text)
    return text


def _unwrap(raw_lines: list[str]) -> list[str]:
    """Join hard-wrapped lines (text wrapped at a fixed width) back into paragraphs.

    Wrapping is recognised when most long lines end within a few characters of the same width; then
    a line that reaches that width continues on the next line.
    """
    lengths = [len(line.rstrip()) for line in raw_lines if len(line.strip()) >= 30]
    if len(lengths) < 8:
        return raw_lines
    width = sorted(lengths)[int(len(lengths) * 0.9)]
    if not 50 <= width <= 100 or sum(1 for n in lengths if n >= width - 12) < 0.6 * len(lengths):
        return raw_lines
    joined: list[str] = []
    carry = ""
    for line in raw_lines:
        stripped = line.rstrip()
        if carry:
            if not stripped.strip():
                joined.append(carry)
                joined.append("")
                carry = ""
                continue
            carry = carry + " " + stripped.strip()
        else:
            carry = stripped
        if len(stripped) < width - 12:
            joined.append(carry)
            carry = ""
    if carry:
        joined.append(carry)
    return joined


def _split_line(raw: str) -> tuple[int, str, str] | None:
    """(indentation, list marker, text) of one raw line; None for a blank line or a bare bullet.

    The marker is "" for a line that is no list item, "1." as written for a numbered one and "•"
    for any other.
    """
    stripped = raw.strip()
    if not stripped:
        return None
    marker = ""
    m = _BULLET.match(stripped) if not stripped[0].isalpha() or stripped[1:2] == " " else None
    if m and len(stripped) > m.end():
        marker = m.group().strip() if m.group()[0].isdigit() else "•"
        stripped = stripped[m.end() :]
    elif m:
        return None  # a bare bullet: an icon or an image link
    text = tidy(stripped)
    return (len(raw) - len(raw.lstrip()), marker, text) if text else None


def line_keys(body: str) -> set[str]:
    """The keys of `body`'s lines as the cleaner compares them with a site profile: the line's
    lower-cased words, spaces between (so case, punctuation and list markers do not matter)."""
    keys = set()
    for raw in _unwrap(normalise(body).split("\n")):
        split = _split_line(raw)
        if split is not None:
            key = " ".join(words_of(split[2]))
            if key:
                keys.add(key)
    return keys


def _make_lines(body: str) -> tuple[list[Line], str | None]:
    """The page's non-blank lines with their features, and the language of its prose.

    Each line is split into words once; the long lines' words decide the language, whose function
    words then give every line its share.
    """
    lines: list[Line] = []
    tokens: list[list[str]] = []
    blank = False
    for raw in _unwrap(body.split("\n")):
        split = _split_line(raw)
        if split is None:
            blank = blank or not raw.strip()
            continue
        indent, marker, text = split
        words = words_of(text)
        n = len(words)
        if not text.isascii():
            unspaced = len(_UNSPACED.findall(text))
            if unspaced:
                n = max(n, unspaced * 2 // 3)
            if len(_ILLEGIBLE.findall(text)) > ILLEGIBLE_SHARE * len(text):
                n = 0  # mis-decoded bytes or symbol art: no words to read, never story
                words = []
        terminal = ends_like_a_sentence(text)
        if not terminal and text.endswith(")"):
            # "... from Russia. —WASHINGTON (AP)": the sentence ends before the dateline.
            dateline = bylines.trailing_dateline(text)
            terminal = dateline is not None and ends_like_a_sentence(text[: -len(dateline.text)].rstrip())
        line = Line(len(lines), text, indent, bool(marker), n, 0.0, terminal, blank, marker)
        line.key = " ".join(words)
        lines.append(line)
        tokens.append(words)
        blank = False
    prose = [words for words, line in zip(tokens, lines, strict=True) if len(line.text) > 80]
    language = detect_language_of_words(prose or tokens)
    stops = stopwords_for(language)
    for words, line in zip(tokens, lines, strict=True):
        if words:
            line.stop = sum(1 for w in words if w in stops) / len(words)
    return lines, language


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Function-word shares that mark prose on this page (see `_thresholds`)."""

    high: float = STOP_HIGH
    low: float = STOP_LOW


def _thresholds(lines: list[Line], language: str | None) -> Thresholds:
    """Scale the function-word thresholds to what this page's own long sentences show.

    The share of function words differs between languages (and between the lists kept for them):
    English prose scores about 0.4 against its list, Indonesian about 0.2. The page's long lines that
    end like sentences are mostly prose, so their median share says what prose looks like here; the
    thresholds never rise above the defaults. Without a known language the share is not used.
    """
    if language is None:
        return Thresholds(0.0, 0.0)
    shares = sorted(ln.stop for ln in lines if ln.words >= LONG_WORDS and ln.terminal and not ln.bullet)
    if not shares:
        return Thresholds()
    median = shares[len(shares) // 2]
    return Thresholds(min(STOP_HIGH, 0.75 * median), min(STOP_LOW, 0.5 * median))


def _classify(line: Line, th: Thresholds) -> str:
    """The class a line deserves on its own (before its neighbours are looked at)."""
    if line.words == 0:
        return BAD
    if line.bullet:
        # List items are links on most pages; a list item that is a full sentence may be story.
        if line.words >= SHORT_WORDS and line.terminal and line.stop >= th.low:
            return NEARGOOD
        return BAD
    if line.words < SHORT_WORDS:
        return SHORT
    if not line.terminal:
        # Headlines and link texts do not end like sentences; long prose without a full stop may.
        if line.words < LONG_WORDS:
            return SHORT
        return NEARGOOD if line.stop >= th.low else BAD
    if line.stop >= th.high and line.words >= LONG_WORDS:
        return GOOD
    if line.stop >= th.low:
        return NEARGOOD
    return BAD


def _mark_roles(lines: list[Line]) -> None:
    """Set aside lines that have a job other than telling the story."""
    seen: dict[str, int] = {}
    repeats = Counter(ln.key for ln in lines if ln.words <= 3)
    for i, line in enumerate(lines):
        text = line.text
        key = text.lower()
        if key in seen and line.words >= 3:
            line.role = "dup"
            first = lines[seen[key]]
            if first.role == "" and first.words >= 10:
                first.role = "caption?"  # a long line printed twice: a caption or a pull quote
            continue
        seen.setdefault(key, i)
        tail = text[-140:]
        if _RULE.match(text):
            line.role = "rule"
        elif line.words <= 30 and _COPYRIGHT_LINE.match(text):
            line.role = "copyright"
        elif (text[0] in "(©" or ":" in text[:24]) and _CREDIT_LINE.match(text):
            line.role = "credit"
        elif line.words <= 25 and bylines.may_be_byline(key) and bylines.parse_byline(text):
            line.role = "byline"
        elif line.words <= 12 and _DIGIT.search(text) and _is_date_line(text):
            line.role = "date"
        elif (
            (text.endswith(")") or ":" in tail)
            and _TRAILING_CREDIT.search(tail)
            and not bylines.trailing_dateline(text)
        ) or (
            line.words >= 8 and _TRAILING_CREDIT_WORDS.search(text[-60:]) and _GLUED_CAPTION_CUES.search(text)
        ):
            line.role = "caption"
        elif line.terminal and _is_site_notice(line):
            line.role = "notice"
        elif line.words <= BIO_WORDS and _heads_author_box(line):
            line.role = "bio"
        elif (line.words <= 8 or (line.words <= 25 and text[0].isdigit())) and (
            role := _furniture_role(line, repeats)
        ):
            line.role = role
        elif (_TEASER.match(text) and not line.terminal and line.words <= 20) or (
            line.words >= SHOUTED_WORDS and not line.terminal and text.isupper()
        ):
            # "Related: Some Headline", or a link shouted in capitals between paragraphs ("GET THE
            # APP BY CLICKING HERE", "CO-FOUNDER 'PROUD' OF ..."): a promotion, not a subheading.
            line.role = "teaser"
    for i, line in enumerate(lines):
        # A line followed by a credit line is the caption the credit belongs to.
        if (
            line.role == "credit"
            and i > 0
            and lines[i - 1].role in ("", "caption?")
            and lines[i - 1].words >= 5
        ):
            lines[i - 1].role = "caption"
        if line.role == "caption?":
            line.role = "caption" if _GLUED_CAPTION_CUES.search(line.text) else ""


def _heads_author_box(line: Line) -> bool:
    """ "About Jane Doe", "Über Moritz Bachmann", "About the author": the heading of the writer's
    biography under a story (not "About us", a menu link, nor "About Billboard", a site's)."""
    head, _, rest = line.text.partition(" ")
    if line.terminal or head.lower() not in _ABOUT_HEADS or not rest:
        return False
    rest_words = words_of(rest)
    return bool(rest_words) and (
        all(w in _AUTHOR_WORDS for w in rest_words) or bylines.as_name(rest) is not None
    )


def _furniture_role(line: Line, repeats: Counter[str]) -> str:
    """ "ad", "stamp", "thread" or "section" for a short line of page furniture, else "".

    An ad slot's label ("Advertisement", "Story continues below advertisement") keeps its class (a
    short line), so a subheading next to it is still read as one. A stamp heads or closes one
    comment: its age ("3 hours ago"), its author ("Jo says:") or its buttons ("Like · Reply", or a
    lone "Reply" printed under every comment: a lone button printed once is a share bar's, and may
    sit inside a story). A thread heading opens the comments ("34 Comments", "Leave a Reply"); a
    section heading opens a list of other stories ("Related stories", "You may also like"). Each
    word is looked up once, in `_CUES`.
    """
    words = line.key.split()
    if not words:
        return ""
    if line.words > 8:  # only "34 responses to “Headline”" is longer; not "34 comments were sent."
        noun = next((w for w in words if not w.isdigit()), "")
        counted = words[0].isdigit() and _CUES.get(noun, 0) & _NOUN
        return "thread" if counted and (not line.terminal or _QUOTED.search(line.text)) else ""
    cues = [_CUES.get(w, 0) | (_DIGITS if w.isdigit() else 0) for w in words]
    some = 0
    for c in cues:
        some |= c
    last = words[-1]
    if not some & ~_STOP and not last[:1].isdigit():
        return ""  # no word of furniture at all: a menu item, a heading, a name
    if some & _AD and len(words) <= AD_WORDS and all(c & (_AD | _AD_FILLER | _STOP) for c in cues):
        return "ad"
    if cues[0] & _DIGITS and len(cues) > 1 and cues[1] & _NOUN:
        return "thread"  # "12 Comments"
    if (some & _TIME or (last[-1] in "smhdwy" and last[:-1].isdigit())) and _RELATIVE_TIME.search(line.text):
        return "stamp"
    if line.text.endswith(":") and cues[-1] & _SAYS and len(words) <= 6:
        return "stamp"
    if all(c & (_BUTTON | _DIGITS) for c in cues) and some & _ACTION:
        return "stamp" if (len(words) >= 2 and not line.terminal) or repeats[line.key] >= 2 else ""
    if line.terminal and not line.text.endswith(":"):
        return ""
    if some & _NOUN and all(c & (_NOUN | _BUTTON | _STOP | _DIGITS) for c in cues):
        return "thread"
    if (
        2 <= len(words) <= 6
        and all(c & (_SECTION | _STOP) for c in cues)
        and any(c & _SECTION and not c & _STOP for c in cues)
    ):
        return "section"
    return ""


def _mark_furniture(lines: list[Line], furniture: frozenset[str]) -> None:
    """Lines the site prints on other pages become furniture, unless that would leave no prose.

    A page whose every paragraph is also printed elsewhere on its site is a copy of another page
    (or a page of boilerplate); its own lines are then still the best guess at its story.
    """
    marked = [ln for ln in lines if ln.key in furniture and ln.role in ("", "dup", "teaser")]
    if not marked:
        return
    left = set(map(id, marked))
    if not any(ln.kind == GOOD and not ln.role and id(ln) not in left for ln in lines):
        return
    for line in marked:
        line.role = "site"


def _is_date_line(text: str) -> bool:
    """A line that is mostly a date ("Posted at 6:51 PM, Jun 09, 2023", "20230609")."""
    found = find_dates(text)
    if not found:
        return False
    rest = text[: found[0].start] + text[found[0].end :]
    return len(words_of(rest)) <= 5


def _contextualise(lines: list[Line]) -> None:
    """Short and near-good lines take their class from the nearest decided neighbours.

    A near-good line is story unless the nearest good-or-bad lines on both sides are bad. The
    neighbours are read from the classes before any near-good line changes, in two linear passes.
    """
    before: list[str] = []
    last = BAD
    for line in lines:
        before.append(last)
        if line.kind in (GOOD, BAD) and not line.role:
            last = line.kind
    last = BAD
    for line in reversed(lines):
        if line.kind == NEARGOOD:
            line.kind = BAD if before[line.n] == BAD and last == BAD else GOOD
        elif line.kind in (GOOD, BAD) and not line.role:
            last = line.kind
    # A run of short lines is a menu or a header; one or two between paragraphs are a subheading.
    i = 0
    while i < len(lines):
        if lines[i].kind != SHORT:
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].kind == SHORT:
            j += 1
        before = lines[i - 1].kind if i > 0 else BAD
        after = lines[j].kind if j < len(lines) else BAD
        verdict = GOOD if before == GOOD and after == GOOD and j - i <= 2 else BAD
        for k in range(i, j):
            lines[k].kind = verdict
        i = j


@dataclass(slots=True)
class Cluster:
    """A run of prose lines with small gaps: a candidate for the story."""

    first: int
    last: int
    weight: float
    indent: int
    comment: bool = False  # split off as the comment a stamp closes: never joined to the story


def _clusters(lines: list[Line]) -> list[Cluster]:
    """Runs of story-like lines allowing gaps of a few other lines."""
    found: list[Cluster] = []
    members: list[Line] = []
    thread = sum(1 for ln in lines if ln.role == "stamp") >= THREAD_STAMPS
    for line in lines:
        if members and (
            line.role in SEPARATORS
            or (line.role == "section" and _teasers(lines, line.n + 1, line.n + LIST_LINES))
        ):
            # A byline or date line heads a story (or a comment, or a teaser), a stamp a comment, a
            # heading a thread or list: a new cluster begins.
            story, comment = _last_item(members) if line.role == "stamp" and thread else (members, [])
            if story:
                found.append(_cluster(story, lines))
            if comment:
                found.append(_cluster(comment, lines))
                found[-1].comment = True
                found[-1].weight *= LIST_FACTOR
            members = []
        if line.kind != GOOD or line.role:
            continue
        if members and line.n - members[-1].n - 1 > MAX_GAP:
            found.append(_cluster(members, lines))
            members = []
        members.append(line)
    if members:
        found.append(_cluster(members, lines))
    return found


def _last_item(members: list[Line]) -> tuple[list[Line], list[Line]]:
    """Split off the comment a stamp closes: a name line and one or two paragraphs at the end.

    Threads that print the buttons ("Like · Reply") under each comment put the commenter's name
    above it; under the story's last paragraph that name looks like a subheading, and the first
    comment would join the story.
    """
    for k in range(len(members) - 1, 0, -1):
        line = members[k]
        if line.words < SHORT_WORDS and not line.terminal:
            return (members[:k], members[k:]) if len(members) - k - 1 <= 2 else (members, [])
    return members, []


def _cluster(members: list[Line], lines: list[Line]) -> Cluster:
    """Weigh a cluster by its prose, less a cost for each other line inside it.

    A story is dense: paragraph after paragraph. Teaser lists and comment threads also hold prose,
    but each piece comes with a headline, a name or a date line; the cost makes them lose.
    """
    weight = sum(m.words * (1.0 if m.terminal else 0.5) for m in members)
    first, last = members[0].n, members[-1].n
    cost = sum(_inside_cost(ln) for ln in lines[first : last + 1])
    weight -= cost
    if any(ln.role == "copyright" and ln.n >= FOOTER_SHARE * len(lines) for ln in lines[first + 1 : last]):
        weight *= FOOTER_FACTOR  # prose around the site's copyright line is the footer's legal text
    return Cluster(first, last, weight, min(m.indent for m in members))


def _inside_cost(line: Line) -> float:
    """What a line inside a cluster costs: teaser lists and comment threads pay for their furniture.

    Each item of a teaser list or a comment thread brings a headline, a name or a date line; a story
    has few such lines between its paragraphs, and a date or byline line almost never.
    """
    if line.role in ("caption", "credit"):
        return 0.0
    if line.role in SEPARATORS:
        return 3 * GAP_COST
    if line.kind != GOOD:
        return GAP_COST
    if not line.terminal:
        return GAP_COST / 2  # a heading: stories have a few, teaser lists one per item
    return 0.0


def _merge_boxes(lines: list[Line], clusters: list[Cluster], thread: int) -> list[Cluster]:
    """Join clusters separated only by an embedded box: a short list of links, an image and caption.

    Stories carry "Trending" or "Related" boxes and photos between paragraphs; in a text dump these
    are runs of list items or captions. When the prose on both sides sits at the same indentation
    (the same container on the page), the two halves are one story. The comment thread (from line
    `thread` on), a list under a section heading and an author box are never joined to what stands
    above them.
    """
    if not clusters:
        return clusters
    merged = [clusters[0]]
    for nxt in clusters[1:]:
        cur = merged[-1]
        gap = lines[cur.last + 1 : nxt.first]
        boxy = sum(1 for ln in gap if ln.bullet or ln.role or not (ln.terminal and ln.words >= SHORT_WORDS))
        cost = sum(_inside_cost(ln) for ln in gap)
        joined = cur.weight + nxt.weight - cost
        # The lines on either side of the gap: same indentation means the same container.
        left, right = lines[cur.last].indent, lines[nxt.first].indent
        # Same container: the two clusters' base indentation agrees, or the lines on either side
        # of the gap do; a box nested deeper than both sides sits inside the story's container.
        left, right = lines[cur.last].indent, lines[nxt.first].indent
        same = cur.indent == nxt.indent or left == right
        nested = all(ln.indent > max(cur.indent, nxt.indent) for ln in gap) or all(
            ln.indent > max(left, right) for ln in gap
        )
        listed = any(ln.role == "section" for ln in gap) and (
            _itemised(lines, nxt.first, nxt.last) or _teasers(lines, cur.last + 1, cur.last + LIST_LINES)
        )
        if (
            not listed
            and not any(ln.role == "bio" for ln in gap)
            and not (cur.comment or nxt.comment)
            and not cur.last < thread < nxt.first
            and (len(gap) <= MAX_BOX or nested)
            and boxy >= len(gap) - 1
            and (same or nested)
            and joined > max(cur.weight, nxt.weight)
        ):
            merged[-1] = Cluster(cur.first, nxt.last, joined, cur.indent)
        else:
            merged.append(nxt)
    return merged


def _favour_story_header(lines: list[Line], clusters: list[Cluster], thread: int) -> None:
    """Give weight to the prose that starts right under the page's first byline or date line.

    A story page prints its headline, byline and date, then the story; teaser lists and comments
    further down have bylines and dates too, but the first one on the page belongs to the story
    (a timestamp inside the comment thread, from line `thread` on, never does).
    """
    header = next((ln.n for ln in lines[:thread] if ln.role in ("byline", "date")), None)
    if header is None:
        return
    for cluster in clusters:
        if 0 < cluster.first - header <= HEADER_REACH:
            cluster.weight *= HEADER_BONUS
            return


def _thread_start(lines: list[Line], clusters: list[Cluster]) -> int:
    """The line where the comment thread starts (len(lines) when there is none).

    A thread heading ("34 Comments", "Leave a Reply") starts it when comment stamps follow
    ("3 hours ago", "Jo says:", "Reply"), or prose cut into items; a heading over prose that is not
    cut into items (a story under a "12 comments" link) starts nothing.
    """
    for h in (ln.n for ln in lines if ln.role == "thread"):
        if sum(1 for ln in lines[h + 1 : h + 2 * LIST_REACH + 1] if ln.role == "stamp") >= 2:
            return h
        nxt = next((c for c in clusters if c.first > h), None)
        if nxt is not None and nxt.first - h <= LIST_REACH and _itemised(lines, nxt.first, nxt.last):
            return h
    return len(lines)


def _demote_lists(lines: list[Line], clusters: list[Cluster], thread: int) -> None:
    """Comment threads and teaser lists under their heading lose most of their weight.

    Every cluster of the comment thread (from line `thread` on) is demoted, however long the thread;
    a section heading ("Related stories") demotes the list of items right under it, and the heading
    of an author box ("About Jane Doe") the biography under it.
    """
    for cluster in clusters:
        if cluster.first > thread:
            cluster.weight *= LIST_FACTOR
    for h in (ln.n for ln in lines[:thread] if ln.role in ("section", "bio")):
        nxt = next((c for c in clusters if c.first > h), None)
        if nxt is None or nxt.first - h > LIST_REACH:
            continue
        if lines[h].role == "bio" or _itemised(lines, nxt.first, nxt.last):
            nxt.weight *= LIST_FACTOR


def _teasers(lines: list[Line], first: int, last: int) -> bool:
    """Whether lines `first` to `last` open a list of teasers: at least three headlines (lines that
    do not end like a sentence, longer than a subheading), each over one or two lines of summary.

    A listicle's items are headed by short names ("1. The Brindle Arms") and run to several
    paragraphs; teasers for other stories have a full headline and a one-line summary.
    """
    items = prose = 0
    run = 0
    for line in lines[first : min(last, len(lines) - 1) + 1]:
        if line.kind == GOOD and not line.role and line.terminal and line.words >= SHORT_WORDS:
            prose += 1
            run += 1
            if run > 2:
                return False
        elif not line.terminal and line.words >= TEASER_WORDS and not line.bullet:
            items += 1
            run = 0
    return items >= 3 and prose >= items - 1


def _itemised(lines: list[Line], first: int, last: int) -> bool:
    """Whether the prose from line `first` to `last` comes in items (one or two paragraphs, then a
    heading or name line, again and again), as comments and teasers do, rather than paragraph after
    paragraph."""
    prose = [
        ln.n
        for ln in lines[first : last + 1]
        if ln.kind == GOOD and not ln.role and ln.terminal and ln.words >= SHORT_WORDS
    ]
    taken = set(prose)
    runs = sum(1 for n in prose if n - 1 not in taken)
    return runs >= 3 and 2 * runs >= len(prose)


def _caption_key(text: str) -> str:
    return " ".join(words_of(text)[:12])


def lay_out(
    body: str, *, trusted: bool = False, headline: str | None = None, furniture: frozenset[str] = frozenset()
) -> Layout:
    """Find the story in a plain-text page: its paragraphs, captions, and the lines around it.

    `trusted` is for text already reduced to the story (an HTML extractor's output, an article the
    fetcher wrote): every line that has no other job (caption, byline, date line ...) is then story,
    except a repeat of the `headline`. `furniture` holds line keys (see `line_keys`) the page's site
    prints on other pages too (a site profile's lines): they are not story.
    """
    body = normalise(body)
    spam = find_spam_tokens(body)
    body = remove_spam_tokens(body, spam)
    lines, language = _make_lines(body)
    layout = Layout(lines, language=language, spam=spam)
    if not lines:
        return layout
    th = _thresholds(lines, language)
    for line in lines:
        line.kind = _classify(line, th)
    _mark_roles(lines)
    if furniture:
        _mark_furniture(lines, furniture)
    if trusted:
        repeat = " ".join((headline or "").split()).lower()
        layout.body = [
            ln.n for ln in lines if (not ln.role or ln.role == "teaser") and ln.text.lower() != repeat
        ]
        _collect_captions(layout, 0, len(lines) - 1)
        return layout
    for line in lines:
        if line.role in (
            "caption",
            "credit",
            "rule",
            "dup",
            "teaser",
            "copyright",
            "site",
            "section",
            *SEPARATORS,
        ):
            line.kind = BAD
    _contextualise(lines)
    clusters = _clusters(lines)
    thread = _thread_start(lines, clusters)
    clusters = _merge_boxes(lines, clusters, thread)
    if not clusters:
        # No paragraph long enough to be sure of: a short note or brief. Keep its sentences rather
        # than nothing; list items and lines with another job still stay out.
        layout.body = [
            ln.n
            for ln in lines
            if not ln.role and not ln.bullet and ln.words and (ln.terminal or ln.words >= SHORT_WORDS)
        ]
        return layout
    _favour_story_header(lines, clusters, thread)
    _demote_lists(lines, clusters, thread)
    best = max(clusters, key=lambda c: c.weight)
    first, last = best.first, best.last
    # A one-sentence lead or closing line just outside the cluster still belongs to the story.
    while first > 0 and _edge_sentence(lines[first - 1], th):
        first -= 1
    while last + 1 < len(lines) and (_edge_sentence(lines[last + 1], th) or _announces_list(lines[last + 1])):
        last += 1
        lines[last].kind = GOOD
    layout.body = [i for i in range(first, last + 1) if lines[i].kind == GOOD and lines[i].role == ""]
    layout.body = _with_announced_lists(lines, _trim_edges(lines, layout.body))
    _collect_captions(layout, max(0, first - HEAD_WINDOW), min(len(lines) - 1, last + 3))
    return layout


def _collect_captions(layout: Layout, first: int, last: int) -> None:
    """Captions from `first` to `last` (line numbers), each once: a repeated caption keeps its
    fuller printing (galleries print a shortened copy next to the full one)."""
    lines = layout.lines
    seen: dict[str, int] = {}
    for i in range(first, last + 1):
        if lines[i].role != "caption":
            continue
        key = _caption_key(lines[i].text)
        if key in seen:
            j = seen[key]
            if len(lines[i].text) > len(layout.captions[j]):
                layout.captions[j] = lines[i].text
            continue
        seen[key] = len(layout.captions)
        layout.captions.append(lines[i].text)


def _with_announced_lists(lines: list[Line], body: list[int]) -> list[int]:
    """Add the list a story announces with a colon ("The tour dates:") right after that line.

    Lists of dates, results or steps are not prose, so the prose test leaves them out, but a story
    line ending in a colon says that what follows is part of the story. The list runs while its
    lines stay short, sit at least as deep as the announcing line, carry no other job, and keep the
    spacing they started with (a blank line between items, or none).
    """
    out: list[int] = []
    taken = set(body)
    for i in body:
        out.append(i)
        if not lines[i].text.endswith(":"):
            continue
        j = i + 1
        spaced = lines[j].blank_before if j < len(lines) else False
        while j < len(lines) and j not in taken and j - i <= MAX_LIST:
            line = lines[j]
            if line.role or line.indent < lines[i].indent or line.words > LONG_WORDS * 2 or line.words == 0:
                break
            if j > i + 1 and line.blank_before != spaced:
                break
            out.append(j)
            taken.add(j)
            j += 1
    return out


def _addresses_the_reader(line: Line) -> bool:
    """A short line that talks to the visitor about the site ("Sign up for our newsletter to get
    the top stories in your inbox", "We use cookies to improve your experience").

    News tells of third parties; site furniture speaks to "you" about "our" site. Quoted speech
    is story even when it says "we", so lines with quotation marks never count, and neither do
    questions (a blog asking its readers something is still the post).
    """
    if line.words > READER_LINE_WORDS or line.text.endswith("?") or any(q in line.text for q in _QUOTE_MARKS):
        return False
    words = words_of(line.text)
    hits = sum(1 for w in words if w in _READER_ADDRESS)
    return hits >= 1 and hits >= READER_SHARE * len(words)


def _is_site_notice(line: Line) -> bool:
    """A long paragraph in which the site talks to the visitor about itself: a consent or privacy
    notice ("We and our partners store information on your device ..."), an "about us" appeal.

    Such a paragraph names both "you" and "we/our" again and again; a story tells of third parties,
    and what it quotes (in quotation marks) does not count.
    """
    if (
        line.words <= READER_LINE_WORDS
        or line.text.endswith("?")
        or any(q in line.text for q in _QUOTE_MARKS)
    ):
        return False
    words = line.key.split()
    you = sum(1 for w in words if w in _READER_YOU)
    we = sum(1 for w in words if w in _SITE_WE)
    return you >= NOTICE_HITS and we >= NOTICE_HITS and you + we >= READER_SHARE * len(words)


def _trim_edges(lines: list[Line], body: list[int]) -> list[int]:
    """Drop from the two ends of the story what cannot begin or end one: notices addressing the
    reader (sign-up prompts, cookie notices) and labels ("Advertisement") left between them."""

    def furniture(line: Line) -> bool:
        return _addresses_the_reader(line) or (line.words < SHORT_WORDS and not line.terminal)

    lo, hi = 0, len(body)
    while lo < hi and furniture(lines[body[lo]]):
        lo += 1
    while hi > lo and furniture(lines[body[hi - 1]]):
        hi -= 1
    return body[lo:hi]


def _announces_list(line: Line) -> bool:
    return not line.role and not line.bullet and line.words >= 3 and line.text.endswith(":")


def _edge_sentence(line: Line, th: Thresholds) -> bool:
    return (
        not line.role
        and not line.bullet
        and line.terminal
        and line.words >= 4
        and bool(_SENTENCE_END.search(line.text))
        and line.stop >= th.low
    )


def paragraphs(layout: Layout) -> list[str]:
    """The story's paragraphs, with lines broken mid-sentence joined again."""
    out: list[str] = []
    previous = -2
    for i in layout.body:
        line = layout.lines[i]
        text = f"{line.marker} {line.text}" if line.marker else line.text
        if out and i == previous + 1 and not ends_like_a_sentence(out[-1]) and text[:1].islower():
            out[-1] = out[-1] + " " + text
        else:
            out.append(text)
        previous = i
    return out
