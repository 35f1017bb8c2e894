"""Quality of quote extraction and speakers on PolNeAR (real US political news, train and dev), and
of extraction, speakers, cross-version matching and discrepancies on the five seed articles against
the hand-made gold list in bench/gold_quotes.json.

    .venv/bin/python bench/quality_quotes.py [--details] [--ablation] [--split train,dev]
        [--errors extra,missed,speaker --convention corpus|project --limit N] [--no-seeds] [--categories]

PolNeAR (../shared/corpora/polnear-dev; skipped, saying so, when absent) is scored with its
README's rule: a predicted span matches a gold quote when their overlap is at least half of the
longer, one-to-one, greedily by that ratio; speaker right when the predicted mention overlaps a gold
source fragment (the project's `Quote.speaker_start/speaker_end`). Two span conventions:
* corpus: one prediction per attribution (consecutive quotes of a paragraph credited through one
  mention, '"Q1," X said. "Q2."', are one relation), with its quotation marks, and for a partial
  quote the reported clause from its speech verb on; gold as annotated (`content_spans`);
* project: the project's quotes as they are (quoted words, `parts` for an interrupted one) against
  the gold's quoted words cut into runs of sentences, where the words between two fragments end a
  sentence.
The text's first line (the title) is left out, as the project reads quotes in an article's body.
A second cue between two quotes of one mention ('"Q1," he said, adding that "Q2"') keeps them two
statements; a partial quote's clause starts at the cue nearest it (keeping "that", as annotated),
at its sentence's start when the speaker comes after it.
Partial quotes inside a clause ('has "several ways" of reaching') are outside the corpus's
definition of a direct quote (its content neither begins nor ends with a mark): they are left out
of both and counted as (+n); the "corpus, strict" row counts them as false positives. The regex
row re-implements the README's baseline. Rules and thresholds were tuned on train only.
--categories counts each error kind by its first applying category (extra: merged, split, runs on,
short, headline, embed, ...; missed; speaker: none found, pronoun, before/after, 'according to',
interrupting, continued), to tell which rule to work on. The
spaCy entities of every article are computed once and kept in ~/.cache/tuireader-bench.

How it counts:
* a predicted quote is right when it starts with the gold quote's first words and ends with its last
  words (case, punctuation and quotation marks ignored); quotes in page furniture listed under
  "ignore" count neither way;
* speakers: precision over right quotes given a speaker, recall over right quotes whose gold has one;
* matching: for each right quote and each other seed, a predicted match is a true positive when the
  gold lists that seed, a false positive when it lists it neither as a match nor as optional; kind
  accuracy is the share of true positives whose kind the gold accepts;
* discrepancies: a gold discrepancy is found when one predicted discrepancy holds all its values.

With --ecb, a second table uses ../shared/corpora/ecbplus (skipped, saying so, when absent): for
each topic, three documents about one event and three about another of the same kind are linked
as if they were one story. Matches and discrepancies between documents of different events are false
by construction; those within one event are mostly true. This measures false matches on text the
thresholds were not chosen on. `load_seeds` is shared with bench_analysis.py.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import hashlib
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ECB = ROOT.parent / "shared" / "corpora" / "ecbplus" / "docs.jsonl"
sys.path.insert(0, str(ROOT / "src"))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from tuireader.model import Article  # noqa: E402

SEEDS = ROOT / "articles"
GOLD = Path(__file__).with_name("gold_quotes.json")


def load_seeds() -> tuple[list[Article], str]:
    """The five seeds through the project's cleaner, or a prose-lines stand-in if it is not ready."""
    paths = sorted(SEEDS.glob("00[0-4]_*.txt"))
    try:
        from tuireader.clean import clean  # type: ignore[attr-defined]
        from tuireader.sources.files import read_document

        articles = [clean(read_document(p)) for p in paths]
        if all(len(a.paragraphs) >= 3 for a in articles):
            return articles, "tuireader.clean"
    except Exception as exc:  # the cleaner is written alongside; say why it was not used
        print(f"(cleaner not usable: {exc.__class__.__name__}: {exc}; using prose lines)", file=sys.stderr)
    out = []
    for p in paths:
        data = p.read_bytes()
        paras: list[str] = []
        for line in data.decode("utf-8", errors="replace").splitlines():
            line = " ".join(line.split())
            if len(line.split()) >= 12 and line not in paras:
                paras.append(line)
        out.append(
            Article(
                id=p.stem,
                path=str(p),
                content_hash=hashlib.sha256(data).hexdigest(),
                title=paras[0],
                paragraphs=tuple(paras),
            )
        )
    return out, "prose-lines stand-in"


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'")
    return " ".join(re.sub(r"[^\w' -]+", " ", text.lower()).split())


def _is(pred_text: str, gold: dict) -> bool:
    p = _norm(pred_text)
    return p.startswith(_norm(gold["first"])) and p.endswith(_norm(gold["last"]))


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(details: bool = False) -> None:
    from tuireader.analysis.article import analyze_many
    from tuireader.analysis.link import link_story

    console = Console()
    gold = json.loads(GOLD.read_text(encoding="utf-8"))
    articles, how = load_seeds()
    by_prefix = {a.id[:3]: a for a in articles}
    analyses = dict(zip((a.id for a in articles), analyze_many(articles), strict=True))
    links = link_story(articles, analyses)

    errors: list[str] = []
    q_tp = q_fp = 0
    matched: dict[int, object] = {}  # gold index -> LinkedQuote
    for a in articles:
        prefix = a.id[:3]
        golds = [(i, g) for i, g in enumerate(gold["quotes"]) if g["article"] == prefix]
        ignores = [g["contains"].lower() for g in gold["ignore"] if g["article"] == prefix]
        for lq in links.quotes[a.id]:
            hit = next((i for i, g in golds if i not in matched and _is(lq.quote.text, g)), None)
            if hit is not None:
                matched[hit] = lq
                q_tp += 1
            elif any(s in lq.quote.text.lower() for s in ignores):
                continue
            else:
                q_fp += 1
                errors.append(f"extra quote  {prefix}: {lq.quote.text[:70]!r}")
    q_fn = len(gold["quotes"]) - len(matched)
    for i, g in enumerate(gold["quotes"]):
        if i not in matched:
            errors.append(f"missed quote {g['article']}: {g['first']!r} ... {g['last']!r}")

    s_tp = s_fp = s_fn = 0
    m_tp = m_fp = m_fn = kind_ok = 0
    for i, lq in matched.items():
        g = gold["quotes"][i]
        key = lq.quote.speaker_key  # type: ignore[attr-defined]
        if key == g.get("speaker"):
            s_tp += 1
        else:
            if key is not None:
                s_fp += 1
            if g.get("speaker"):
                s_fn += 1
            errors.append(
                f"speaker      {g['article']}: {g['first'][:30]!r}: got {key!r}, want {g.get('speaker')!r}"
            )
        want = g.get("matches", {})
        optional = set(g.get("optional", []))
        got: dict[str, str] = {}
        for m in lq.matches:  # type: ignore[attr-defined]
            got.setdefault(m.article[:3], m.kind)
        for other in by_prefix:
            if other == g["article"]:
                continue
            if other in got and other in want:
                m_tp += 1
                if got[other] in want[other]:
                    kind_ok += 1
                else:
                    errors.append(
                        f"match kind   {g['article']}->{other} {g['first'][:30]!r}: {got[other]}, want {want[other]}"
                    )
            elif other in got and other not in optional:
                m_fp += 1
                errors.append(f"extra match  {g['article']}->{other} {g['first'][:30]!r}")
            elif other in want and other not in got:
                m_fn += 1
                errors.append(f"missed match {g['article']}->{other} {g['first'][:30]!r}")

    d_found = 0
    for dg in gold["discrepancies"]:
        want_values = {by_prefix[p].id: v for p, v in dg["values"].items()}
        if any(all(d.values.get(k) == v for k, v in want_values.items()) for d in links.discrepancies):
            d_found += 1
        else:
            errors.append(f"missed discrepancy {dg['values']}")
    d_extra = sum(
        1
        for d in links.discrepancies
        if not any(
            all(d.values.get(by_prefix[p].id) == v for p, v in dg["values"].items())
            for dg in gold["discrepancies"]
        )
    )

    table = Table(title=f"Quotes on the seeds (articles cleaned by {how})")
    for col in ("measure", "precision", "recall", "F1", "counts"):
        table.add_column(col, justify="right" if col != "measure" else "left")
    for name, (tp, fp, fn) in {
        "quote extraction": (q_tp, q_fp, q_fn),
        "speaker attribution": (s_tp, s_fp, s_fn),
        "cross-version matching": (m_tp, m_fp, m_fn),
    }.items():
        p, r, f = _prf(tp, fp, fn)
        table.add_row(name, f"{p:.3f}", f"{r:.3f}", f"{f:.3f}", f"tp={tp} fp={fp} fn={fn}")
    table.add_row("match kind accuracy", "", "", "", f"{kind_ok}/{m_tp}")
    p, r, f = _prf(d_found, d_extra, len(gold["discrepancies"]) - d_found)
    table.add_row(
        "discrepancies",
        f"{p:.3f}",
        f"{r:.3f}",
        f"{f:.3f}",
        f"found={d_found}/{len(gold['discrepancies'])} extra={d_extra}",
    )
    console.print(table)
    if errors:
        console.print(
            f"{len(errors)} differences from the gold" + ("" if details else " (--details lists them)")
        )
        if details:
            for e in errors:
                console.print(e, markup=False, highlight=False)


def evaluate_ecb(seed: int = 5) -> None:
    """False cross-event matches when two events of one ECB+ topic are linked as one story."""
    import random
    from collections import defaultdict

    from tuireader.analysis.article import analyze_many
    from tuireader.analysis.link import link_story

    console = Console()
    if not ECB.exists():
        console.print(f"ECB+ not found at {ECB}: cross-event check skipped")
        return
    docs = [json.loads(line) for line in ECB.read_text(encoding="utf-8").splitlines() if line.strip()]
    by_event: dict[str, list[dict]] = defaultdict(list)
    for d in docs:
        by_event[d["subtopic"]].append(d)
    by_topic: dict[int, list[str]] = defaultdict(list)
    for event, members in by_event.items():
        by_topic[members[0]["topic"]].append(event)
    rng = random.Random(seed)
    counts = {"quotes": 0, "same": 0, "cross": 0, "disc_same": 0, "disc_cross": 0, "topics": 0}
    for _topic, events in sorted(by_topic.items()):
        if len(events) < 2:
            continue
        counts["topics"] += 1
        chosen = [d for ev in sorted(events)[:2] for d in rng.sample(by_event[ev], min(3, len(by_event[ev])))]
        articles = [
            Article(
                id=d["doc_id"],
                path="",
                content_hash="",
                title=d["title"],
                outlet=d["doc_id"],
                paragraphs=tuple(p for p in d["text"].split("\n") if p.strip()),
            )
            for d in chosen
        ]
        event_of = {d["doc_id"]: d["subtopic"] for d in chosen}
        links = link_story(articles, dict(zip((a.id for a in articles), analyze_many(articles), strict=True)))
        for aid, linked in links.quotes.items():
            counts["quotes"] += len(linked)
            for lq in linked:
                for m in lq.matches:
                    counts["same" if event_of[m.article] == event_of[aid] else "cross"] += 1
        for d in links.discrepancies:
            events_in = {event_of[a] for a in d.values}
            counts["disc_same" if len(events_in) == 1 else "disc_cross"] += 1
    table = Table(
        title=f"ECB+: two events per topic linked as one story ({counts['topics']} topics, 6 documents each)"
    )
    table.add_column("measure")
    table.add_column("count", justify="right")
    table.add_row("quotes", str(counts["quotes"]))
    table.add_row("quote matches within one event", str(counts["same"]))
    table.add_row("quote matches across events (false)", str(counts["cross"]))
    table.add_row("discrepancies within one event", str(counts["disc_same"]))
    table.add_row("discrepancies mixing events (false pairing)", str(counts["disc_cross"]))
    console.print(table)


# ------------------------------------------------------------------------------------------ polnear

POLNEAR = ROOT.parent / "shared" / "corpora" / "polnear-dev" / "articles.jsonl"
NER_CACHE = Path.home() / ".cache" / "tuireader-bench" / "polnear-ner.json"
#: The corpus README's regex baseline (dev, then train): P, R, F1, speaker accuracy.
PUBLISHED_BASELINE = {"dev": (0.721, 0.737, 0.728, 0.558), "train": (0.694, 0.756, 0.723, 0.552)}
_QUOTE_OPEN = '"“”«„'
_QUOTE_CLOSE = '"”“»'


def _last_match(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> re.Match[str] | None:
    found = None
    for found in pattern.finditer(text, lo, hi):  # noqa: B007 - the last one is kept
        pass
    return found


def _sentence_start(text: str, s: int) -> int:
    """Where the sentence holding text[s] starts: after the last full stop of its line before `s`."""
    para_lo = text.rfind("\n", 0, s) + 1
    stops = [m.end() for m in re.finditer(r"[.!?][\"”’']?\s+", text[para_lo:s])]
    return para_lo + (stops[-1] if stops else 0)


@dataclass
class Prediction:
    """One predicted quote in the raw text's offsets: fragments without marks, and a speaker mention."""

    parts: list[tuple[int, int]]
    speaker: tuple[int, int] | None
    speaker_text: str | None = None
    partial: bool = False

    def extent(self, text: str) -> tuple[int, int]:
        """The corpus's convention: the whole statement with its marks, and for a partial quote the
        reported clause from its speech verb on ('said [that he was "learning on the job."]')."""
        from tuireader.analysis.quotes import SPEECH_VERB_RE

        s, e = self.parts[0][0], self.parts[-1][1]
        while e < len(text) and text[e] in ",;:" and e - self.parts[-1][1] < 2:
            e += 1
        if s > 0 and text[s - 1] in _QUOTE_OPEN + "'‘":
            s -= 1
        if e < len(text) and text[e] in _QUOTE_CLOSE + "'’":
            e += 1
        if (
            self.partial
            and self.speaker is not None
            and self.speaker[1] <= s
            and "\n" not in text[self.speaker[1] : s]
        ):
            verb = _last_match(SPEECH_VERB_RE, text, self.speaker[1], s)  # the cue nearest the quote
            if verb is not None:
                lead = re.match(r"\s*(?:,\s*)?", text[verb.end() : s])
                lo = verb.end() + (lead.end() if lead else 0)
                s = lo
        elif self.partial and self.speaker is None:
            # no speaker found: the clause after the nearest cue of its sentence, if it has one
            verb = _last_match(SPEECH_VERB_RE, text, _sentence_start(text, s), s)
            if verb is not None:
                lead = re.match(r"\s*(?:,\s*)?", text[verb.end() : s])
                s = verb.end() + (lead.end() if lead else 0)
        elif self.partial and self.speaker is not None and self.speaker[0] >= e:
            # 'Carter had placed a note card in a "burn bag," the Times reported': the clause reported
            # runs from its sentence's start
            s = _sentence_start(text, s)
        return s, e

    def mid_clause(self, text: str) -> bool:
        """A partial quote with words of its clause after it: the clause it is part of neither begins
        nor ends with a quotation mark, so the corpus does not count it as a direct quotation."""
        if not self.partial:
            return False
        e = self.parts[-1][1]
        close = e
        while close < min(len(text), e + 3) and text[close] not in _QUOTE_CLOSE + "'’":
            close += 1
        last = text[e - 1 : close + 1]
        after = text[close + 1 : close + 4].lstrip()
        return not (not after or after[0] in ".,;:!?)—–-" or any(ch in ".,;:!?" for ch in last))


def paragraphs_of(text: str) -> list[tuple[int, str]]:
    """The article's lines as paragraphs (PolNeAR texts break paragraphs with one or two newlines)."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        lo, hi = m.start(), m.end()
        while lo < hi and text[lo].isspace():
            lo += 1
        while hi > lo and text[hi - 1].isspace():
            hi -= 1
        if hi > lo:
            out.append((lo, text[lo:hi]))
    return out


def load_polnear() -> list[dict]:
    return [json.loads(line) for line in POLNEAR.read_text(encoding="utf-8").splitlines() if line.strip()]


def ner_cache(rows: list[dict]) -> dict[str, list]:
    """Raw spaCy spans per paragraph for every article, computed once and kept outside the project.

    Kept per article (keyed by id/split, checked by a hash of its text), so that scoring one split
    reuses what scoring both computed; only articles missing from the cache go through spaCy."""
    from tuireader.analysis import entities as entities_mod

    def digest(r: dict) -> str:
        return hashlib.sha256(r["text"].encode()).hexdigest()[:16]

    cached: dict[str, dict] = {}
    if NER_CACHE.exists():
        with contextlib.suppress(ValueError, KeyError, TypeError):
            loaded = json.loads(NER_CACHE.read_text(encoding="utf-8"))
            cached = dict(loaded.get("articles", {}))
    out: dict[str, list] = {}
    todo = []
    for r in rows:
        name = r["id"] + "/" + r["split"]
        entry = cached.get(name)
        if entry is not None and entry.get("hash") == digest(r):
            out[name] = entry["spans"]
        else:
            todo.append(r)
    if todo:
        paras = [[p for _, p in paragraphs_of(r["text"])] for r in todo]
        for r, s in zip(todo, entities_mod.ner_spans(paras), strict=True):
            name = r["id"] + "/" + r["split"]
            out[name] = s
            cached[name] = {"hash": digest(r), "spans": s}
        NER_CACHE.parent.mkdir(parents=True, exist_ok=True)
        tmp = NER_CACHE.with_suffix(".tmp")
        tmp.write_text(json.dumps({"articles": cached}), encoding="utf-8")
        tmp.replace(NER_CACHE)
    return out


def _alnum(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def predict(row: dict, spans: list) -> list[Prediction]:
    """find_quotes on the article's paragraphs, mapped back to offsets in the raw text.

    The text's first line is the title (PolNeAR's `title`, with a full stop): the project reads
    quotes in an article's body only, as `analyze` does, and the corpus marks none in titles."""
    from tuireader.analysis import entities as entities_mod
    from tuireader.analysis.quotes import find_quotes

    paras = paragraphs_of(row["text"])
    if paras and row.get("title") and _alnum(paras[0][1]).startswith(_alnum(row["title"])):
        paras, spans = paras[1:], spans[1:]
    texts = [p for _, p in paras]
    ents = entities_mod.entities_from_spans(texts, spans)
    joined_starts = []
    pos = 0
    for t in texts:
        joined_starts.append(pos)
        pos += len(t) + 2

    def raw(i: int) -> int:
        k = bisect.bisect_right(joined_starts, i) - 1
        return paras[k][0] + (i - joined_starts[k])

    out: list[Prediction] = []
    for q in find_quotes(texts, ents):
        parts = list(q.parts) or [(q.start, q.end)]
        sp = None
        if q.speaker_start is not None and q.speaker_end is not None:
            sp = (raw(q.speaker_start), raw(q.speaker_end - 1) + 1)
        elif q.speaker:
            sp = _nearest(row["text"], q.speaker, raw(q.start), raw(q.end - 1) + 1)
        out.append(Prediction([(raw(s), raw(e - 1) + 1) for s, e in parts], sp, q.speaker, q.partial))
    return out


def _second_cue(between: str) -> bool:
    """A second cue between two quotes of one mention, running into the second quote, makes it a
    report of its own ('"Q1," he said, adding that "Q2"'; '... said Beck, who said there were "Q2"';
    '... said X and warned "Q2"')."""
    from tuireader.analysis.quotes import SPEECH_VERB_RE

    between = between.rstrip()
    for m in SPEECH_VERB_RE.finditer(between):
        lead = between[max(0, m.start() - 8) : m.start()]
        participle = m.group(0).endswith("ing") and re.search(r"(?:,|\bthen|\bbefore|\bafter)\s*$", lead)
        finite = re.search(r"\b(?:and|who|which|then)\s+(?:[a-z]+ly\s+)?$", lead)
        if (participle or finite) and not re.search(r"[.!?]", between[m.end() :]):
            return True
    return False


def as_statements(text: str, preds: list[Prediction]) -> list[Prediction]:
    """The corpus's unit is one attribution: consecutive quotes of one paragraph credited through the
    same speaker mention ('"Q1," X said. "Q2."': the second goes on with X's attribution) are one
    relation, with the quotes as its fragments; unless a second cue comes between them (see
    `_second_cue`)."""
    out: list[Prediction] = []
    for p in preds:
        prev = out[-1] if out else None
        if (
            prev is not None
            and p.speaker is not None
            and p.speaker == prev.speaker
            and "\n" not in text[prev.parts[-1][1] : p.parts[0][0]]
            and not _second_cue(text[prev.parts[-1][1] : p.parts[0][0]])
        ):
            prev.parts.extend(p.parts)
            prev.partial = prev.partial and p.partial
            continue
        out.append(Prediction(list(p.parts), p.speaker, p.speaker_text, p.partial))
    return out


def _nearest(text: str, speaker: str, s: int, e: int) -> tuple[int, int] | None:
    """The README's rule for a speaker given as a string: its nearest occurrence within 300 chars."""
    lo, hi = max(0, s - 300), min(len(text), e + 300)
    found = [m.start() for m in re.finditer(re.escape(speaker), text[lo:hi])]
    if not found:
        return None
    best = lo + min(found, key=lambda i: min(abs(lo + i - e), abs(s - lo - i)))
    return best, best + len(speaker)


_BASE_QUOTE = re.compile(r"[\"“]([^\"“”\n]+)[\"”]")
_BASE_SAID = re.compile(
    r"((?:[A-Z][\w.’'-]*\s+){0,2}[A-Z][\w.’'-]*|\b[Hh]e|\b[Ss]he|\b[Tt]hey)\s+said"
    r"|said\s+((?:[A-Z][\w.’'-]*\s+){0,2}[A-Z][\w.’'-]*)"
)


def regex_baseline(row: dict) -> list[Prediction]:
    """The README's baseline: six or more words between double marks, speaker from the nearest 'said'."""
    text = row["text"]
    out = []
    for m in _BASE_QUOTE.finditer(text):
        if len(m.group(1).split()) < 6:
            continue
        best = None
        for s in _BASE_SAID.finditer(text, max(0, m.start() - 200), min(len(text), m.end() + 200)):
            g = 1 if s.group(1) else 2
            dist = min(abs(s.start() - m.end()), abs(m.start() - s.end()))
            if best is None or dist < best[0]:
                best = (dist, (s.start(g), s.end(g)))
        out.append(Prediction([(m.start(1), m.end(1))], best[1] if best else None))
    return out


def resolution_checks(text: str, preds: list[Prediction]) -> tuple[int, int, int, int]:
    """Quotes credited through "he"/"she", those whose person has the other gender by a title or a
    first name in the article (a man for "she"), role mentions ("the judge") and those linked to a name."""
    from tuireader.text.units import load_words

    male, female = load_words("first-names-male"), load_words("first-names-female")
    pronoun = wrong = roles = named = 0
    for p in preds:
        if p.speaker is None or not p.speaker_text:
            continue
        mention = text[p.speaker[0] : p.speaker[1]]
        if mention.lower() in ("he", "she"):
            pronoun += 1
            name = p.speaker_text.split()
            first = name[0].lower() if name else ""
            titles = re.findall(rf"\b(Mr|Mrs|Ms)\.?\s+{re.escape(name[-1])}\b", text) if name else []
            is_male = first in male or "Mr" in titles
            is_female = first in female or "Ms" in titles or "Mrs" in titles
            if (mention.lower() == "she" and is_male and not is_female) or (
                mention.lower() == "he" and is_female and not is_male
            ):
                wrong += 1
        elif re.match(r"(?:the|a)\s", mention, re.IGNORECASE) and len(mention.split()) <= 4:
            roles += 1
            named += p.speaker_text != mention
    return pronoun, wrong, roles, named


def _overlap(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    return sum(max(0, min(e1, e2) - max(s1, s2)) for s1, e1 in a for s2, e2 in b)


def _quoted_only(text: str, fragments: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The project's convention for a gold quote: only the words inside its quotation marks."""
    out = []
    for lo, hi in fragments:
        inside = None
        for i in range(lo, hi):
            ch = text[i]
            if inside is None and ch in '"“':
                inside = i + 1
            elif inside is not None and ch in '"”':
                if i > inside:
                    out.append((inside, i))
                inside = None
        if inside is not None and hi > inside:
            out.append((inside, hi))
    return out or list(fragments)


def _sentence_runs(text: str, fragments: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """The project's unit: a relation's quoted fragments cut where the words between two of them end a
    sentence ('"Q1," X said. "Q2."' is two quotes; '"Q1," she said, "Q2."' is one with two parts)."""
    runs = [[fragments[0]]]
    for prev, frag in zip(fragments, fragments[1:], strict=False):
        between = text[prev[1] : frag[0]]
        if re.search(r"[.!?][\"”’']?\s", between) or "\n" in between:
            runs.append([frag])
        else:
            runs[-1].append(frag)
    return runs


@dataclass
class Score:
    matched: int = 0
    predicted: int = 0
    gold: int = 0
    speaker_ok: int = 0
    speaker_total: int = 0
    outside: int = 0
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    #: (kind, category) of every error, for `--categories` (see `error_category`).
    categories: list[tuple[str, str]] = field(default_factory=list)

    def row(self) -> tuple[str, str, str, str, str]:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        s = self.speaker_ok / self.speaker_total if self.speaker_total else 0.0
        counts = f"{self.matched}/{self.predicted}/{self.gold}" + (
            f" (+{self.outside})" if self.outside else ""
        )
        return f"{p:.3f}", f"{r:.3f}", f"{f:.3f}", f"{s:.3f}", counts


def score_article(
    row: dict,
    preds: list[Prediction],
    convention: str,
    score: Score,
    strict: bool = False,
    statements: bool = True,
) -> None:
    """The README's rule: overlap >= 50% of the longer, one-to-one, greedy by ratio, best first.

    Partial quotes inside a clause are outside the corpus's definition of a direct quotation (see
    `Prediction.mid_clause`) and are left out, unless `strict`; `score.outside` counts them.
    """
    text = row["text"]
    if convention == "corpus" and statements:
        preds = as_statements(text, preds)
    if not strict:
        kept = [p for p in preds if not p.mid_clause(text)]
        score.outside += len(preds) - len(kept)
        preds = kept
    golds: list[list[tuple[int, int]]] = []
    gold_rows: list[dict] = []  # the relation each gold span comes from
    for g in row["quotes"]:
        frags = [tuple(f) for f in g["content_spans"]]
        pieces = _sentence_runs(text, _quoted_only(text, frags)) if convention == "project" else [frags]
        golds.extend(pieces)
        gold_rows.extend([g] * len(pieces))
    pspans = [p.parts if convention == "project" else [p.extent(text)] for p in preds]
    pairs = []
    for i, ps in enumerate(pspans):
        plen = sum(e - s for s, e in ps)
        for j, gs in enumerate(golds):
            ov = _overlap(ps, gs)
            if ov:
                ratio = ov / max(plen, sum(e - s for s, e in gs))
                if ratio >= 0.5:
                    pairs.append((ratio, i, j))
    pairs.sort(key=lambda t: -t[0])
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        g = gold_rows[j]
        if g["speaker_spans"]:
            score.speaker_total += 1
            sp = preds[i].speaker
            if sp is not None and _overlap([sp], [tuple(f) for f in g["speaker_spans"]]):
                score.speaker_ok += 1
            else:
                got = text[sp[0] : sp[1]] if sp else None
                cat = speaker_category(text, g, preds[i])
                score.categories.append(("speaker", cat))
                score.examples["speaker"].append(
                    f"{row['id']}: <{cat}> want {g['speaker_text']!r} got {got!r}: {_ctx(text, g['start'], g['end'])}"
                )
    score.matched += len(used_p)
    score.predicted += len(preds)
    score.gold += len(golds)
    for i, p in enumerate(preds):
        if i not in used_p:
            s, e = p.extent(text)
            cat = extra_category(text, p, (s, e), golds)
            score.categories.append(("extra", cat))
            score.examples["extra"].append(f"{row['id']}: <{cat}> {_ctx(text, s, e)}")
    pred_extents = [p.extent(text) for p in preds]
    for j, gs in enumerate(golds):
        if j not in used_g:
            cat = missed_category(text, gold_rows[j], gs, pred_extents)
            score.categories.append(("missed", cat))
            score.examples["missed"].append(f"{row['id']}: <{cat}> {_ctx(text, gs[0][0], gs[-1][1])}")


_PRONOUN_WORDS = frozenset({"he", "she", "they", "it", "i", "we", "his", "her", "their"})
_EMBED_RE = re.compile(r"pic\.twitter|https?://|@\w|\(@|<[a-z]+[ >]|&mdash;", re.IGNORECASE)


def _first_para_end(text: str) -> int:
    i = text.find("\n")
    return len(text) if i < 0 else i


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def extra_category(
    text: str, pred: Prediction, extent: tuple[int, int], golds: list[list[tuple[int, int]]]
) -> str:
    """Why a prediction matched no gold quote, the first that applies (the order of the table)."""
    s, e = extent
    hits = [gs for gs in golds if _overlap([extent], gs)]
    if len(hits) > 1:
        return "covers several gold quotes (merged)"
    if hits:
        glen = sum(b - a for a, b in hits[0])
        if e - s < glen:
            return "inside a longer gold quote (split or cut short)"
        return "around a shorter gold quote (runs on)"
    if e <= _first_para_end(text):
        return "in the headline"
    line_lo = text.rfind("\n", 0, s) + 1
    line_hi = text.find("\n", e)
    line = text[line_lo : len(text) if line_hi < 0 else line_hi]
    if _EMBED_RE.search(line):
        return "tweet, embed or markup"
    quoted = " ".join(text[a:b] for a, b in pred.parts)
    if _words(quoted) <= 4:
        return "short (4 words or fewer)"
    from tuireader.analysis.quotes import looks_like_title

    if looks_like_title(quoted):
        return "title-like (capitalised words)"
    if pred.speaker is None:
        return "no speaker found"
    if pred.partial:
        return "partial quote, attributed"
    return "full quote, attributed (unannotated?)"


def missed_category(
    text: str, gold: dict, frags: list[tuple[int, int]], pred_extents: list[tuple[int, int]]
) -> str:
    """Why a gold quote was not matched, the first that applies."""
    hits = [pe for pe in pred_extents if _overlap([pe], frags)]
    glen = sum(b - a for a, b in frags)
    if len(hits) > 1:
        return "several predictions inside it (split)"
    if hits:
        if hits[0][1] - hits[0][0] > glen:
            return "inside a longer prediction (merged or run on)"
        return "one shorter prediction inside it (cut short)"
    lo, hi = frags[0][0], frags[-1][1]
    if hi <= _first_para_end(text):
        return "in the headline"
    if "\n" in text[lo:hi]:
        return "runs over paragraphs"
    content = " ".join(text[a:b] for a, b in frags)
    if not any(ch in content for ch in '"“”'):
        return "no double marks in the content"
    if _words(content) <= 4:
        return "short (4 words or fewer)"
    if not gold.get("begins_q"):
        return "partial (content begins outside the marks)"
    return "full quote, not found"


def speaker_category(text: str, gold: dict, pred: Prediction) -> str:
    """Why a matched quote's speaker is wrong, the first that applies."""
    sp = pred.speaker
    g_lo, g_hi = gold["speaker_start"], gold["speaker_end"]
    q_lo, q_hi = gold["start"], gold["end"]
    if sp is None:
        return "no speaker predicted"
    gold_words = gold["speaker_text"].lower().split()
    if "\n" in text[min(g_hi, q_lo) : max(g_lo, q_lo)] and g_hi <= q_lo:
        return "gold source in an earlier paragraph (continued quote)"
    if len(gold_words) == 1 and gold_words[0] in _PRONOUN_WORDS:
        return "gold source is a pronoun"
    if "according" in (gold.get("cue") or "").lower():
        return "'according to'"
    if q_lo <= g_lo < q_hi:
        return "gold source inside the quote's extent (interrupting)"
    if abs(sp[0] - g_lo) < 40:
        return "predicted mention next to the gold one (span boundary)"
    if g_lo >= q_hi:
        return "gold source after the quote, other mention predicted"
    return "gold source before the quote, other mention predicted"


def _ctx(text: str, s: int, e: int) -> str:
    return repr(text[max(0, s - 80) : s] + "[[" + text[s:e][:300] + "]]" + text[e : e + 60])


def _print_categories(console: Console, split: str, score: Score) -> None:
    from collections import Counter

    counts = Counter(score.categories)
    table = Table(title=f"PolNeAR {split}: errors by category (first category that applies)")
    for col in ("error", "category", "count"):
        table.add_column(col, justify="right" if col == "count" else "left")
    for kind in ("extra", "missed", "speaker"):
        rows = sorted(((c, n) for (k, c), n in counts.items() if k == kind), key=lambda t: -t[1])
        for cat, n in rows:
            table.add_row(kind, cat, str(n))
        table.add_row(kind, "[b]total[/b]", str(sum(n for _, n in rows)))
    console.print(table)


def evaluate_polnear(
    splits: Sequence[str],
    ablate: bool,
    details: str | None,
    limit: int,
    convention: str = "corpus",
    categories: bool = False,
) -> None:
    console = Console(width=120)
    if not POLNEAR.exists():
        console.print(f"PolNeAR not found at {POLNEAR}: skipped")
        return
    rows = [r for r in load_polnear() if r["split"] in splits]
    cache = ner_cache(rows)
    variants: list[tuple[str, object]] = [("tuireader", None)]
    if ablate:
        variants += [(f"  without {name}", patch) for name, patch in ABLATIONS.items()]
    table = Table(
        title="Direct quotes on PolNeAR (P/R/F1 of spans, speaker accuracy on matched quotes; "
        "(+n): partial quotes inside a clause, outside the corpus's definition, left out but in 'strict')"
    )
    for col in ("split", "system", "convention", "P", "R", "F1", "speaker", "matched/pred/gold"):
        table.add_column(col, justify="left" if col in ("split", "system", "convention") else "right")
    resolution = Table(title="Who the mentions resolve to (no gold: the article's own evidence)")
    for col in (
        "split",
        "system",
        "he/she quotes",
        "other gender (Mr./Ms. or first name)",
        "roles",
        "roles named",
    ):
        resolution.add_column(col, justify="left" if col in ("split", "system") else "right")
    for split in splits:
        split_rows = [r for r in rows if r["split"] == split]
        pub = PUBLISHED_BASELINE[split]
        table.add_row(split, "regex (README)", "corpus", *(f"{x:.3f}" for x in pub), "")
        base = Score()
        for r in split_rows:
            score_article(r, regex_baseline(r), "corpus", base, statements=False)
        table.add_row(split, "regex (ours)", "corpus", *base.row())
        for name, patch in variants:
            scores = {"corpus": Score(), "project": Score(), "corpus, strict": Score()}
            checks = [0, 0, 0, 0]
            with _patched(patch):
                for r in split_rows:
                    preds = predict(r, cache[r["id"] + "/" + r["split"]])
                    for i, n in enumerate(resolution_checks(r["text"], preds)):
                        checks[i] += n
                    for conv, sc in scores.items():
                        score_article(r, preds, conv.split(",")[0], sc, strict=conv.endswith("strict"))
            for conv, sc in scores.items():
                if patch is None or conv != "corpus, strict":
                    table.add_row(split, name, conv, *sc.row())
            resolution.add_row(split, name, *(str(n) for n in checks))
            if categories and name == "tuireader":
                _print_categories(console, split, scores[convention])
            if details and name == "tuireader":
                for kind in details.split(","):
                    console.print(f"--- {split} {kind} ({len(scores[convention].examples[kind])})")
                    for line in scores[convention].examples[kind][:limit]:
                        print(line)
    console.print(table)
    console.print(resolution)


#: Each change to quote finding, undone by replacing one function of analysis.quotes with the
#: behaviour before it (the ablation rows of the PolNeAR table).
ABLATIONS: dict[str, dict[str, object]] = {
    "markup blanking": {"_without_markup": lambda text: text},
    "merging interrupted quotes": {"_merge_interrupted": lambda text, found: found},
    "scare quote / title filter": {"_is_quotation": lambda *args: True},
    "colon introductions above": {"_introduced_above": lambda *args: None},
    "gender agreement": {"person_genders": lambda text, entities: {}},
    "attribution sentence after a quote": {"_attribution_sentence": lambda *args: args[4]},
    "shared attribution between quotes": {"_share_attribution": lambda text, found: None},
}


@contextlib.contextmanager
def _patched(patch: object) -> Iterator[None]:
    from tuireader.analysis import quotes as quotes_mod

    saved = {}
    for name, value in (patch or {}).items():  # type: ignore[attr-defined]
        saved[name] = getattr(quotes_mod, name)
        setattr(quotes_mod, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(quotes_mod, name, value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--details", action="store_true", help="list every difference from the gold")
    parser.add_argument("--ecb", action="store_true", help="also measure false matches across ECB+ events")
    parser.add_argument("--split", default="train,dev", help="PolNeAR splits to score (train,dev)")
    parser.add_argument("--ablation", action="store_true", help="PolNeAR rows with each change undone")
    parser.add_argument("--errors", help="list PolNeAR errors of these kinds: extra,missed,speaker")
    parser.add_argument("--convention", default="corpus", help="spans of the listed errors: corpus|project")
    parser.add_argument("--limit", type=int, default=60, help="how many errors of each kind to list")
    parser.add_argument("--no-seeds", action="store_true", help="skip the seed table")
    parser.add_argument("--categories", action="store_true", help="PolNeAR errors counted by category")
    args = parser.parse_args()
    if not args.no_seeds:
        evaluate(args.details)
    evaluate_polnear(
        args.split.split(","), args.ablation, args.errors, args.limit, args.convention, args.categories
    )
    if args.ecb:
        evaluate_ecb()


if __name__ == "__main__":
    main()
