"""Quality of quote extraction, speaker attribution, cross-version matching and discrepancies on the
five seed articles, against the hand-made gold list in bench/gold_quotes.json.

    .venv/bin/python bench/quality_quotes.py [--details]

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
import hashlib
import json
import re
import sys
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--details", action="store_true", help="list every difference from the gold")
    parser.add_argument("--ecb", action="store_true", help="also measure false matches across ECB+ events")
    args = parser.parse_args()
    evaluate(args.details)
    if args.ecb:
        evaluate_ecb()


if __name__ == "__main__":
    main()
