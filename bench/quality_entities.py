"""Names shared across the versions of a story: how many the model finds, how many the story adds.

    .venv/bin/python bench/quality_entities.py [--corpus PATH] [--sample N] [--seed S]

There is no entity gold for the corpora here, so this counts and samples. ECB+
(../shared/corpora/ecbplus/docs.jsonl, read in place) groups its documents by `subtopic`: the
documents of one subtopic are versions of one story. For every story the table counts the names
(keys) that two or more of its versions share, three ways:

* `ner keys`: the per-article analysis alone (spaCy's names, keyed within each article);
* `story (before)`: plus the story-level completion the link step did before `story_entities`
  (further mentions of recognised names, surnames and acronyms resolved over the story);
* `story_entities`: the same plus NER-missed capitalised names and codes, folded code spellings
  and short/full forms.

Beside the counts: mentions linked (mentions whose key another version also has) and, for the
names `story_entities` adds, the precision of a hand-checked sample. The judgements live in
bench/entities_judged.json ("subtopic|key": true when the key is a name both versions mean);
`--sample N` prints N unjudged additions with their context, to judge and add to that file.
Even-numbered topics were looked at while writing the rules (as for bench/quality_stories.py);
odd-numbered topics are the held-out half. NER output is cached in the bench cache folder.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import random
import sys
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from tuireader.analysis import entities as ents_mod  # noqa: E402
from tuireader.model import Entity  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "ecbplus" / "docs.jsonl"
SEED_DIR = ROOT / "articles"
JUDGED = Path(__file__).resolve().parent / "entities_judged.json"
CACHE = Path.home() / ".cache" / "tuireader-bench"


def _ner(docs: Sequence[tuple[str, str]]) -> dict[str, tuple[Entity, ...]]:
    """Per document id, the per-article entities (as the pipeline makes them), cached on disk."""
    digest = hashlib.sha1(json.dumps(docs).encode()).hexdigest()[:16]
    path = CACHE / f"ner-entities-{digest}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    paragraphs = [[p for p in text.split("\n\n") if p.strip()] for _id, text in docs]
    spans = ents_mod.ner_spans(paragraphs)
    out = {
        doc_id: ents_mod.entities_from_spans(paras, sp)
        for (doc_id, _t), paras, sp in zip(docs, paragraphs, spans, strict=True)
    }
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(out))
    return out


def before(texts: Mapping[str, str], found: Mapping[str, Sequence[Entity]]) -> dict[str, list[Entity]]:
    """The story-level completion as the link step did it before `story_entities` (a baseline)."""
    per = {aid: list(found[aid]) for aid in texts}
    every = [e for es in per.values() for e in es]
    loose = ents_mod.loose_forms(list(texts.values()), every)
    for aid, text in texts.items():
        per[aid].extend(ents_mod.missed_mentions(text, every, per[aid], loose))
    mapping = ents_mod.key_mapping([e for es in per.values() for e in es])
    return {aid: [Entity(e.text, e.label, mapping[e.key][0] if e.key in mapping else e.key, e.start, e.end)
                  for e in es] for aid, es in per.items()}  # fmt: skip


def shared(per: Mapping[str, Sequence[Entity]]) -> tuple[set[str], int, int]:
    """Keys found in two or more versions, mentions whose key another version has, all mentions."""
    versions: dict[str, set[str]] = defaultdict(set)
    for aid, es in per.items():
        for e in es:
            versions[e.key].add(aid)
    keys = {k for k, v in versions.items() if len(v) >= 2}
    mentions = sum(1 for es in per.values() for e in es)
    linked = sum(1 for es in per.values() for e in es if e.key in keys)
    return keys, linked, mentions


def load_stories(corpus: Path) -> dict[str, dict[str, str]]:
    stories: dict[str, dict[str, str]] = defaultdict(dict)
    with corpus.open(encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            stories[str(d["subtopic"])][str(d["doc_id"])] = d["text"]
    return dict(stories)


def seed_story() -> dict[str, str]:
    """The five bundled articles (one story), cleaned as the Library cleans them."""
    from tuireader.clean import clean
    from tuireader.sources.files import read_document

    return {p.stem: clean(read_document(p)).text for p in sorted(SEED_DIR.glob("*.txt"))}


def evaluate(stories: Mapping[str, Mapping[str, str]], found: Mapping[str, Sequence[Entity]]) -> dict:
    """Counts for the three ways over `stories`, and the additions of `story_entities`."""
    totals = {name: [0, 0, 0] for name in ("ner keys", "story (before)", "story_entities")}
    added: list[tuple[str, str, str, str]] = []  # (story, key, article, context)
    seconds = 0.0
    for sid, texts in stories.items():
        ner = {aid: list(found[aid]) for aid in texts}
        base = before(texts, ner)
        start = time.perf_counter()
        after, _remap = ents_mod.story_entities(texts, ner)
        seconds += time.perf_counter() - start
        base_keys = set()
        for name, per in (("ner keys", ner), ("story (before)", base), ("story_entities", after)):
            keys, linked, mentions = shared(per)
            totals[name][0] += len(keys)
            totals[name][1] += linked
            totals[name][2] += mentions
            if name == "story (before)":
                base_keys = keys
        new_keys, _l, _m = shared(after)
        for key in sorted(new_keys - base_keys):
            aid, e = next((aid, e) for aid, es in after.items() for e in es if e.key == key)
            text = texts[aid]
            context = text[max(0, e.start - 60) : e.end + 60].replace("\n", " ")
            added.append((sid, key, e.text, context))
    return {"totals": totals, "added": added, "seconds": seconds}


def quality_rows(corpus: Path = DEFAULT_CORPUS) -> list[dict]:
    """One row per (data, method): shared names, mentions linked and, for the additions, the
    precision of the judged sample. The rows bench/quality.py prints."""
    judged = json.loads(JUDGED.read_text(encoding="utf-8")) if JUDGED.exists() else {}
    parts: list[tuple[str, dict[str, dict[str, str]]]] = [("seeds (1 story)", {"seeds": seed_story()})]
    if corpus.exists():
        stories = load_stories(corpus)
        for half, parity in (("ECB+ even topics (dev)", 0), ("ECB+ odd topics (held out)", 1)):
            part = {sid: t for sid, t in stories.items() if int(sid.split("ecb")[0]) % 2 == parity}
            parts.append((half, part))
    else:
        print(f"(ECB+ not found at {corpus}: seeds only)", file=sys.stderr)
    rows = []
    for data, stories in parts:
        docs = [(aid, text) for texts in stories.values() for aid, text in texts.items()]
        found = _ner(docs)
        result = evaluate(stories, found)
        marks = [judged[f"{sid}|{key}"] for sid, key, _t, _c in result["added"] if f"{sid}|{key}" in judged]
        for name, (keys, linked, mentions) in result["totals"].items():
            rows.append({
                "data": data, "method": name, "stories": len(stories), "shared names": keys,
                "mentions linked": f"{linked}/{mentions}",
                "added": len(result["added"]) if name == "story_entities" else None,
                "judged precision": (f"{sum(marks) / len(marks):.2f} (n={len(marks)})"
                                     if name == "story_entities" and marks else None),
                "ms/story": round(1000 * result["seconds"] / max(1, len(stories)), 1)
                if name == "story_entities" else None,
            })  # fmt: skip
        rows[-1]["_added"] = result["added"]
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--sample", type=int, default=0, help="print N unjudged additions to judge")
    ap.add_argument("--seed", type=int, default=12)
    args, _other = ap.parse_known_args()  # bench/quality.py hands every part the same options
    rows = quality_rows(args.corpus)
    cols = [
        "data",
        "method",
        "stories",
        "shared names",
        "mentions linked",
        "added",
        "judged precision",
        "ms/story",
    ]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join("" if r.get(c) is None else str(r[c]) for c in cols) + " |")
    seeds = next(r for r in rows if r["data"].startswith("seeds") and "_added" in r)
    print("\nadded on the seeds:", ", ".join(sorted({k for _s, k, _t, _c in seeds["_added"]})) or "none")
    if args.sample:
        judged = json.loads(JUDGED.read_text(encoding="utf-8")) if JUDGED.exists() else {}
        pool = [a for r in rows if "_added" in r for a in r["_added"] if f"{a[0]}|{a[1]}" not in judged]
        for sid, key, surface, context in random.Random(args.seed).sample(pool, min(args.sample, len(pool))):
            print(f"{sid}|{key}\t{surface!r}\t…{context}…")
    return 0


if __name__ == "__main__":
    sys.exit(main())
