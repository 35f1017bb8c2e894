"""Where the versions of a story disagree, each fact listed with every version that states it.

**Which statements are about the same fact.** Two sources of evidence, strongest first:

* the story alignment (`analysis.link`): two sentences it paired tell the same thing, so figures
  of one kind and unit in them ("about 1,200 residents" / "about 1,500 residents") state the same
  fact, whatever else the sentences say;
* topic agreement, for facts that the versions state in sentences too different to pair: figures
  of the same kind and unit whose surrounding words agree, each word weighted by how rare it is in
  the story's sentences (so "Iran" and "Russia", in every sentence of a story about Iranian
  drones for Russia, count for little, and "Su-35" for much).

Figures paired by the alignment join one group (at most one figure per version); topic pairs join
a group only if they pair with at least half its members, so chains of loosely similar figures
(yardages of different plays) do not become one "fact".

**Checks.** A group is a discrepancy when two of its figures cannot both be true. What "cannot
both be true" means depends on the kind of figure, and each kind has one check in `CHECKS`,
registered with `@check(kind)`: ranges that do not meet for counts, amounts, money, shares,
distances (converted to one unit), ages and durations; different months, days or years for
dates, with relative dates ("next year") resolved against the article's publication date first.
Checks of another shape live in `STORY_CHECKS` (`@story_check`): a person's title or role, and
attribution (the same quote credited to different speakers). A new check is one function and one
registration line.

**Labels** come from the source phrase: the content words near the figure in the first version
that the other versions share, as written ("residents evacuated"), after a word for the kind of
fact when the phrase does not say it ("distance: ...").
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from tuireader.analysis.figures import BASE_UNITS, figure_range, near_sides, near_words, quantity_key
from tuireader.model import (
    Article,
    ArticleAnalysis,
    Discrepancy,
    Entity,
    Figure,
    LinkedQuote,
    SentencePair,
)
from tuireader.text.units import STOPWORDS, load_words, paragraph_spans, sentence_spans, stem, words

# ---------------------------------------------------------------------------------------- registry

#: kind -> check(a, b): True when the two figures can both be true, False when they contradict.
CHECKS: dict[str, Callable[[Figure, Figure], bool]] = {}
#: Checks over the whole story (roles, attribution): (context) -> discrepancies.
STORY_CHECKS: list[Callable[[StoryFacts], list[Discrepancy]]] = []


def check(*kinds: str) -> Callable[[Callable[[Figure, Figure], bool]], Callable[[Figure, Figure], bool]]:
    """Register a figure check for `kinds` (one line above the function)."""

    def register(fn: Callable[[Figure, Figure], bool]) -> Callable[[Figure, Figure], bool]:
        for kind in kinds:
            CHECKS[kind] = fn
        return fn

    return register


def story_check(fn: Callable[[StoryFacts], list[Discrepancy]]) -> Callable[[StoryFacts], list[Discrepancy]]:
    """Register a check over the whole story."""
    STORY_CHECKS.append(fn)
    return fn


#: Ranges that touch meet (unit conversions round in the last digits); `figures._rounding` keeps
#: neighbouring rounded numbers ("250", "260") apart by more than this.
_FLOAT_SLACK = 1.0 + 1e-6


@check("quantity", "count", "money", "percent", "age", "duration")
def _ranges_meet(a: Figure, b: Figure) -> bool:
    """Amounts agree when the ranges their words allow meet ("several hundred" meets "600")."""
    ra, rb = figure_range(a), figure_range(b)
    if ra is None or rb is None:
        return str(a.value) == str(b.value)
    return ra[0] <= rb[1] * _FLOAT_SLACK and rb[0] <= ra[1] * _FLOAT_SLACK


@check("month")
def _same_month(a: Figure, b: Figure) -> bool:
    va, vb = str(a.value), str(b.value)
    if len(va) == 2 or len(vb) == 2:  # a month without its year agrees with that month of any year
        return va[-2:] == vb[-2:]
    return va == vb


@check("date", "time")
def _same_date(a: Figure, b: Figure) -> bool:
    va, vb = str(a.value), str(b.value)
    if va.startswith("--") != vb.startswith("--"):  # a day without its year
        return va[-5:] == vb[-5:]
    return va == vb


# ------------------------------------------------------------------------------------------ pairing

#: Topic agreement (sum of rarity weights of shared topic words) needed to pair two figures that
#: the alignment did not pair.
PAIR_WEIGHT = {
    "quantity": 4.0,
    "money": 8.0,
    "percent": 8.0,
    "count": 9.0,
    "month": 9.0,
    "date": 10.0,
    "time": 10.0,
    "age": 8.0,
    "duration": 9.0,
}
MIN_SHARED_TOPIC = 2
#: Content words right before (or right after) two figures that, the same in the same order, make
#: them one fact's statements whatever their rarity ("closure would save £120m" / "... £150m").
NEAR_PHRASE = 2
#: ... and that weight must be at least this share of the weight of both figures' topic words.
MIN_PAIR_SHARE = 0.25
#: Words of a label at most.
LABEL_WORDS = 3

_DIMENSION_NAMES = {unit: dim for dim, unit in BASE_UNITS.items()}
_KIND_WORDS = {
    "month": "month",
    "date": "date",
    "time": "time",
    "money": "amount",
    "percent": "share",
    "age": "age",
    "duration": "duration",
}


def compatible(a: Figure, b: Figure) -> bool:
    """Whether two figures measure the same kind of thing in the same unit (so they can be compared)."""
    if a.kind != b.kind or a.kind not in CHECKS:
        return False
    if a.kind in {"quantity", "money", "percent", "age", "duration"}:
        return a.unit == b.unit
    if a.kind == "count":
        ka, kb = quantity_key(a.unit), quantity_key(b.unit)
        return ka is not None and kb is not None and stem(ka) == stem(kb)
    if a.kind == "date":
        return _date_grain(a) == _date_grain(b)
    return True


def consistent(a: Figure, b: Figure) -> bool:
    return CHECKS[a.kind](a, b)


def _date_grain(f: Figure) -> str:
    v = str(f.value)
    if v.startswith("weekday:"):
        return "weekday"
    if v.startswith("--"):
        return "monthday"
    return {4: "year", 10: "day"}.get(len(v), "other")


def resolve_relative(fig: Figure, published: str | None) -> Figure | None:
    """A relative date ("next year": value "rel-year:+1") as the year it names, from the article's
    publication date; None when the article has no date to count from."""
    v = str(fig.value)
    if not v.startswith("rel-"):
        return fig
    m = re.fullmatch(r"rel-(year|month):([+-]\d+)", v)
    if not m or not published or not re.match(r"\d{4}-\d{2}", published):
        return None
    year, month = int(published[:4]), int(published[5:7])
    if m.group(1) == "year":
        return replace(fig, kind="date", value=str(year + int(m.group(2))))
    total = year * 12 + (month - 1) + int(m.group(2))
    return replace(fig, kind="month", value=f"{total // 12}-{total % 12 + 1:02d}")


@dataclass(slots=True)
class StoryFacts:
    """What the checks read: the story's versions, their analyses and the alignment's pairs."""

    articles: Sequence[Article]
    analyses: Mapping[str, ArticleAnalysis]
    pairs: Mapping[tuple[str, str], Sequence[SentencePair]]  # (a, b) with a < b -> pairs of a with b
    quotes: Mapping[str, Sequence[LinkedQuote]]
    entities: Mapping[str, Sequence[Entity]]
    rarity: Callable[[str], float]


class Rarity:
    """How telling each stem is in this story: -log of the share of its sentences that hold it."""

    def __init__(self, articles: Sequence[Article]) -> None:
        df: dict[str, int] = defaultdict(int)
        n = 0
        for a in articles:
            text = a.text
            for lo, hi in paragraph_spans(a.paragraphs):
                for s, e in sentence_spans(text, lo, hi):
                    n += 1
                    for st in {stem(w) for w, _, _ in words(text, s, e)}:
                        df[st] += 1
        self.weights = {st: math.log((n + 1) / (c + 0.5)) for st, c in df.items()}
        self.default = max(self.weights.values(), default=1.0)

    def __call__(self, st: str) -> float:
        return self.weights.get(st, self.default)


def _figures(facts: StoryFacts) -> list[tuple[str, Figure]]:
    out = []
    for a in facts.articles:
        for f in facts.analyses[a.id].figures:
            resolved = resolve_relative(f, a.published)
            if resolved is not None and resolved.kind in CHECKS:
                out.append((a.id, resolved))
    return out


#: Kinds whose figures, alone of their kind in two paired sentences, state the same fact. A date
#: is different: two retold sentences often name two moments ("broke out late Monday" /
#: "contained early Tuesday"), so dates pair on their neighbouring words or the diff.
_AMOUNTS = frozenset({"quantity", "count", "money", "percent", "age", "duration"})
#: A diff step replacing at most this many words on each side is a substitution of one figure.
_SUBSTITUTION_WORDS = 4


def _aligned_pairs(facts: StoryFacts, figs: Sequence[tuple[str, Figure]]) -> set[tuple[int, int]]:
    """Figure pairs (indices into `figs`) that sit in two sentences the alignment paired."""
    by_article: dict[str, list[int]] = defaultdict(list)
    for k, (aid, _f) in enumerate(figs):
        by_article[aid].append(k)
    text = {a.id: a.text for a in facts.articles}

    def inside(aid: str, s: int, e: int) -> list[int]:
        return [k for k in by_article.get(aid, ()) if s <= figs[k][1].start and figs[k][1].end <= e]

    out: set[tuple[int, int]] = set()
    for (a, b), pairs in facts.pairs.items():
        for p in pairs:
            xs, ys = inside(a, p.start, p.end), inside(b, p.other_start, p.other_end)
            options = [(x, y) for x in xs for y in ys if compatible(figs[x][1], figs[y][1])]
            for x, y in options:
                fx, fy = figs[x][1], figs[y][1]
                alone = sum(1 for o in options if o[0] == x) == 1 and sum(1 for o in options if o[1] == y) == 1
                near = {stem(w) for w in near_words(text[a], fx)} & {stem(w) for w in near_words(text[b], fy)}
                if (
                    (alone and fx.kind in _AMOUNTS)
                    or (near and (consistent(fx, fy) or fx.kind in _AMOUNTS))
                    or _replaced(p, fx, fy)
                ):
                    out.add((min(x, y), max(x, y)))
    return out


def _replaced(p: SentencePair, fa: Figure, fb: Figure) -> bool:
    """Whether the pair's word diff swaps `fa`'s words for `fb`'s: one outlet changed the figure."""
    for op in p.diff:
        if (
            op.op == "replace"
            and len(op.a.split()) <= _SUBSTITUTION_WORDS
            and len(op.b.split()) <= _SUBSTITUTION_WORDS
            and op.a_start < fa.end
            and fa.start < op.a_end
            and op.b_start < fb.end
            and fb.start < op.b_end
        ):
            return True
    return False


def _topic_pairs(
    facts: StoryFacts, figs: Sequence[tuple[str, Figure]]
) -> dict[tuple[int, int], float]:
    text = {a.id: a.text for a in facts.articles}
    topic = [{stem(w) for w in f.topic} for _, f in figs]
    near = [{stem(w) for w in near_words(text[aid], f)} for aid, f in figs]
    side = [tuple(tuple(stem(w) for w in ws) for ws in near_sides(text[aid], f)) for aid, f in figs]
    out: dict[tuple[int, int], float] = {}
    for x in range(len(figs)):
        ax, fx = figs[x]
        if not fx.topic:
            continue
        for y in range(x + 1, len(figs)):
            ay, fy = figs[y]
            if ax == ay or not fy.topic or not compatible(fx, fy):
                continue
            shared = topic[x] & topic[y]
            if len(shared) < MIN_SHARED_TOPIC or not (shared & near[x] and shared & near[y]):
                continue
            weight = sum(facts.rarity(s) for s in shared)
            union = sum(facts.rarity(s) for s in topic[x] | topic[y])
            # the words right next to both figures agree ("would save £120m" / "would save £150m"):
            # the same phrase, however common its words are in a short story
            same_phrase = any(
                len(side[x][k]) == NEAR_PHRASE and side[x][k] == side[y][k] for k in (0, 1)
            )
            if (weight >= PAIR_WEIGHT.get(fx.kind, 10.0) or same_phrase) and weight >= MIN_PAIR_SHARE * union:
                out[(x, y)] = weight
    return out


def _group(
    figs: Sequence[tuple[str, Figure]], aligned: set[tuple[int, int]], topical: Mapping[tuple[int, int], float]
) -> list[list[int]]:
    """Facts: figures joined by aligned pairs (one per version), then by complete-linkage topic pairs."""
    group_of: dict[int, int] = {}
    groups: dict[int, list[int]] = {}

    def versions(members: Sequence[int]) -> set[str]:
        return {figs[m][0] for m in members}

    def join(x: int, y: int, linked: Callable[[int, list[int]], bool]) -> None:
        gx, gy = group_of.get(x), group_of.get(y)
        if gx is None and gy is None:
            gid = len(groups) and max(groups) + 1
            groups[gid] = [x, y]
            group_of[x] = group_of[y] = gid
        elif gx is not None and gy is not None:
            if gx == gy or versions(groups[gx]) & versions(groups[gy]):
                return
            if not all(linked(m, groups[gx]) for m in groups[gy]):
                return
            groups[gx].extend(groups.pop(gy))
            for m in groups[gx]:
                group_of[m] = gx
        else:
            g, new = (gx, y) if gx is not None else (gy, x)
            assert g is not None
            if figs[new][0] not in versions(groups[g]) and linked(new, groups[g]):
                groups[g].append(new)
                group_of[new] = g

    def any_link(_m: int, _members: list[int]) -> bool:
        return True

    def mostly_linked(m: int, members: list[int]) -> bool:
        """Linked to at least half the group: a chain of loosely similar figures does not grow."""
        links = sum(1 for o in members if (min(m, o), max(m, o)) in topical or (min(m, o), max(m, o)) in aligned)
        return 2 * links >= len(members)

    for x, y in sorted(aligned, key=lambda p: (-_strength(figs, p), p)):
        join(x, y, any_link)
    for (x, y), _w in sorted(topical.items(), key=lambda kv: (-kv[1], kv[0])):
        join(x, y, mostly_linked)
    return [sorted(m, key=lambda k: (figs[k][0], figs[k][1].start)) for m in groups.values()]


def _strength(figs: Sequence[tuple[str, Figure]], pair: tuple[int, int]) -> float:
    """Aligned pairs that agree join first, so a group gathers the versions that agree."""
    return 1.0 if consistent(figs[pair[0]][1], figs[pair[1]][1]) else 0.0


#: Content words on each side of a figure that may name it in a label.
LABEL_REACH = 3


def _label(facts: StoryFacts, figs: Sequence[tuple[str, Figure]], members: Sequence[int]) -> str:
    """The fact named from the first version's words next to the figure that the others share."""
    text = {a.id: a.text for a in facts.articles}
    aid, first = figs[members[0]]
    # words that at least half of the other versions use around their figure
    counts: dict[str, int] = defaultdict(int)
    for m in members[1:]:
        for st in {stem(w) for w in figs[m][1].topic}:
            counts[st] += 1
    others = {st for st, n in counts.items() if 2 * n >= len(members) - 1}
    body = text[aid]
    left_text = re.split(r"[.!?;:]\s", body[max(0, first.start - 120) : first.start])[-1]
    right_text = re.split(r"[.!?;:]\s", body[first.end : first.end + 120])[0]
    unit = stem(first.unit) if first.kind == "count" and first.unit else None

    def content(chunk: str) -> list[str]:
        return [
            chunk[s:e]
            for w, s, e in words(chunk)
            if w not in STOPWORDS and not w.isdigit() and len(w) > 1 and stem(w) != unit and w not in _LABEL_EXCLUDE
        ]

    left, right = content(left_text)[-LABEL_REACH:], content(right_text)[:LABEL_REACH]
    # the shared words nearest the figure, shown in the order the sentence has them
    placed = [(len(left) - k, k, w) for k, w in enumerate(left)] + [(k + 1, len(left) + k, w) for k, w in enumerate(right)]
    shared = [(d, pos, w) for d, pos, w in placed if stem(w.lower().replace("-", "").replace("'", "")) in others]
    nearest = sorted(shared)[:LABEL_WORDS]
    phrase: list[str] = []
    for _d, _pos, w in sorted(nearest, key=lambda t: t[1]):
        if w.lower() not in (p.lower() for p in phrase):
            phrase.append(w)
    if first.kind == "count" and first.unit:
        return " ".join([first.unit, *phrase])
    head = _kind_word(first)
    return f"{head}: {' '.join(phrase)}" if phrase else head


_LABEL_EXCLUDE = load_words("label-exclude-en")


def _kind_word(f: Figure) -> str:
    if f.kind == "quantity":
        return {"length": "distance", "mass": "weight", "area": "area"}.get(
            _DIMENSION_NAMES.get(f.unit or "", ""), "quantity"
        )
    return _KIND_WORDS.get(f.kind, f.kind)


def _contradicts(figs: Sequence[tuple[str, Figure]], by_article: Mapping[str, list[Figure]], x: int, y: int) -> bool:
    """x and y disagree, and neither version states the other's value anywhere else: versions that
    list the same figures in another order ("12 magazines and 923 rounds") agree."""
    (ax, fx), (ay, fy) = figs[x], figs[y]
    if consistent(fx, fy):
        return False
    y_has_x = any(compatible(fx, g) and consistent(fx, g) for g in by_article[ay])
    x_has_y = any(compatible(fy, g) and consistent(fy, g) for g in by_article[ax])
    return not (y_has_x and x_has_y)


_QUALIFIER_WORDS = frozenset({"about", "around", "roughly", "approximately", "some", "nearly", "almost", "close", "to"})


def _distinct_values(fs: Sequence[Figure]) -> list[str]:
    """The figures' words without hedges and counted nouns, once each: "1,200 / 1,500"."""
    out: list[str] = []
    for f in fs:
        ws = f.text.split()
        while len(ws) > 1 and ws[0].lower() in _QUALIFIER_WORDS:
            ws.pop(0)
        if f.kind == "count" and len(ws) > 1 and f.unit and ws[-1].lower() == f.unit:
            ws.pop()
        v = " ".join(ws)
        if v.casefold() not in (o.casefold() for o in out):
            out.append(v)
    return out


def figure_discrepancies(facts: StoryFacts) -> list[Discrepancy]:
    figs = _figures(facts)
    groups = _group(figs, _aligned_pairs(facts, figs), _topic_pairs(facts, figs))
    by_article: dict[str, list[Figure]] = defaultdict(list)
    for aid, f in figs:
        by_article[aid].append(f)
    all_ids = [a.id for a in facts.articles]
    out = []
    for members in groups:
        if not any(_contradicts(figs, by_article, x, y) for i, x in enumerate(members) for y in members[i + 1 :]):
            continue
        stated = {figs[m][0] for m in members}
        what = _label(facts, figs, members)
        out.append(
            Discrepancy(
                what=what,
                summary=f"{what}: {' / '.join(_distinct_values([figs[m][1] for m in members]))}",
                values={figs[m][0]: figs[m][1].text for m in members},
                kind=figs[members[0]][1].kind,
                spans={figs[m][0]: (figs[m][1].start, figs[m][1].end) for m in members},
                absent=tuple(aid for aid in all_ids if aid not in stated),
            )
        )
    return out


# ---------------------------------------------------------------------------------- story checks


@story_check
def _attribution(facts: StoryFacts) -> list[Discrepancy]:
    """The same quote (carried verbatim or altered) credited to two different people.

    Only people count: an organisation and its spokesperson ("Surrey Police" / "a Surrey Police
    spokeswoman"), or a service and its chief, are one source told two ways, not a contradiction;
    nor are two names that share a word ("Kirby" / "John Kirby").
    """
    people = {(aid, e.key) for aid, ents in facts.entities.items() for e in ents if e.label == "PERSON"}
    quote_at = {
        (aid, lq.quote.start, lq.quote.end): lq.quote for aid, lqs in facts.quotes.items() for lq in lqs
    }
    out: list[Discrepancy] = []
    seen: list[set[tuple[str, int]]] = []
    for aid, lqs in facts.quotes.items():
        for lq in lqs:
            q = lq.quote
            if not q.speaker_key or (aid, q.speaker_key) not in people:
                continue
            values = {aid: q.speaker or q.speaker_key}
            spans = {aid: (q.start, q.end)}
            for m in lq.matches:
                if m.kind == "unquoted":
                    continue
                other = _quote_covering(quote_at, m.article, m.start, m.end)
                if (
                    other is not None
                    and other.speaker_key
                    and (m.article, other.speaker_key) in people
                    and not _name_words(other.speaker or other.speaker_key) & _name_words(values[aid])
                ):
                    values[m.article] = other.speaker or other.speaker_key
                    spans[m.article] = (other.start, other.end)
            if len(values) < 2:
                continue
            here = {(a, sp[0]) for a, sp in spans.items()}
            if any(here & taken for taken in seen):  # the same quote met from another version
                continue
            seen.append(here)
            clipped = q.text if len(q.text) <= 50 else q.text[:47].rstrip() + "…"
            out.append(Discrepancy(f"speaker of “{clipped}”", values, kind="attribution", spans=spans))
    return out


def _name_words(name: str) -> set[str]:
    return {w for w, _, _ in words(name) if w not in STOPWORDS}


def _quote_covering(quote_at: Mapping[tuple[str, int, int], object], aid: str, s: int, e: int):
    for (a, qs, qe), q in quote_at.items():
        if a == aid and qs <= s < qe:
            return q
    return None


_ROLE_WORDS = load_words("title-words-en")


def _role_before(text: str, ent: Entity) -> str | None:
    """The formal title written right before a person's name ("Fire Chief" Dana Ruiz), if any.

    Only capitalised titles count: a description in lower case ("spokesman", "director") says what
    a person does in this story, and one person is often both.
    """
    before = text[max(0, ent.start - 60) : ent.start]
    m = re.search(r"((?:[A-Z][\w.'’-]*\s+){1,4})$", before)
    role_words: list[str] = []
    if m:
        role_words = m.group(1).split()
    for k in range(len(role_words) - 1, -1, -1):  # not across the end of a sentence ("Ortiz. Officer")
        if role_words[k].endswith(".") and role_words[k].lower() not in _ROLE_WORDS:
            role_words = role_words[k + 1 :]
            break
    role_words = [w for w in role_words if w.lower().strip(".") in _ROLE_WORDS or w[:1].isupper()]
    if not role_words or not any(w.lower().strip(".") in _ROLE_WORDS for w in role_words):
        return None
    while role_words and role_words[0].lower() in {"the", "a", "an", "said", "says"}:
        role_words.pop(0)
    return " ".join(role_words) or None


#: Words that make a different rank of the same title ("Deputy Transport Secretary" is not the
#: Transport Secretary), so a title that adds one of them disagrees.
_RANK_WORDS = load_words("role-ranks-en")
_RANKS = frozenset(stem(w) for w in _RANK_WORDS)


def _roles_differ(a: set[str], b: set[str]) -> bool:
    """Two titles disagree unless one is the other with fewer words ("Chief" / "Fire Chief"), and
    the words one adds are no rank ("deputy", "acting", "former")."""
    if not (a <= b or b <= a):
        return True
    return bool((a ^ b) & _RANKS)


@story_check
def _roles(facts: StoryFacts) -> list[Discrepancy]:
    """A person given different titles: neither title's words include the other's."""
    roles: dict[str, dict[str, tuple[str, tuple[int, int], str]]] = defaultdict(dict)
    text = {a.id: a.text for a in facts.articles}
    for aid, ents in facts.entities.items():
        for e in ents:
            if e.label != "PERSON" or aid in roles[e.key]:
                continue
            role = _role_before(text[aid], e)
            if role:
                start = text[aid].rfind(role, 0, e.start)
                roles[e.key][aid] = (role, (start, e.end), e.text)
    out = []
    for per in roles.values():
        if len(per) < 2:
            continue
        # compare the role words only: "L.A. County Sheriff's Deputy" and "Angeles County Sheriff's
        # Deputy" are one title, whatever the place and organisation words around it
        stems = {
            aid: {stem(w.lower().strip(".")) for w in r.split() if w.lower().strip(".") in _ROLE_WORDS | _RANK_WORDS}
            for aid, (r, _s, _t) in per.items()
        }
        ids = sorted(per)
        clash = any(_roles_differ(stems[a], stems[b]) for i, a in enumerate(ids) for b in ids[i + 1 :])
        if clash:
            name = max((t for _r, _s, t in per.values()), key=len)
            out.append(
                Discrepancy(
                    f"title of {name}",
                    {aid: per[aid][0] for aid in ids},
                    kind="role",
                    spans={aid: per[aid][1] for aid in ids},
                )
            )
    return out


def find_discrepancies(facts: StoryFacts) -> tuple[Discrepancy, ...]:
    """Every check of the registry over one story, sorted by label."""
    out = figure_discrepancies(facts)
    for fn in STORY_CHECKS:
        out.extend(fn(facts))
    return tuple(sorted(out, key=lambda d: (d.kind == "attribution", d.what.lower())))
