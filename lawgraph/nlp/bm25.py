"""Okapi BM25 over stemmed terms (Robertson & Zaragoza 2009), the linker's lexical scorer: the
units' and contexts' tables (``link_score.build_index``) and the initiatives' synopses
(``link_anchor``). Its own module so that both read it without importing each other."""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable

import numpy as np


class BM25:
    """Okapi BM25 over stemmed terms, postings in dicts (a few thousand units)."""

    def __init__(self, docs: list[list[str]], k1: float, b: float):
        self.n = len(docs)
        self.len = np.array([len(d) for d in docs], dtype=np.float32)
        self.avg = float(self.len.mean()) if self.n else 1.0
        post: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, d in enumerate(docs):
            for t, c in Counter(d).items():
                post[t].append((i, c))
        self.idf = {t: math.log(1 + (self.n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in post.items()}
        # Postings as arrays, built once: a query touches thousands of them.
        self.post: dict[str, tuple[np.ndarray, np.ndarray]] = {
            t: (np.array([i for i, _ in p], dtype=np.int64), np.array([c for _, c in p], dtype=np.float32))
            for t, p in post.items()
        }
        self.k1, self.b = k1, b
        self.norm = k1 * (1 - b + b * self.len / self.avg)

    def _norm(self, k1: float, b: float) -> np.ndarray:
        """The length normalisation for other ``k1``, ``b`` than the table's (kept per pair:
        a path's own values are asked for again on every query)."""
        if (k1, b) == (self.k1, self.b):
            return self.norm
        cache = self.__dict__.setdefault("_norms", {})   # tables pickled before this have none
        got = cache.get((k1, b))
        if got is None:
            got = cache[(k1, b)] = (k1 * (1 - b + b * self.len / self.avg)).astype(np.float32)
        return got

    def scores(self, q: Iterable[str], qweights: dict[str, float] | None = None,
               k1: float | None = None, b: float | None = None) -> np.ndarray:
        """BM25 of every document for the terms ``q``; ``k1``, ``b`` default to the table's."""
        k1 = self.k1 if k1 is None else k1
        norm = self._norm(k1, self.b if b is None else b)
        s = np.zeros(self.n, dtype=np.float32)
        for t, qc in Counter(q).items():
            p = self.post.get(t)
            if not p:
                continue
            w = self.idf[t] * (qweights.get(t, 1.0) if qweights else 1.0) * (1 + math.log(qc))
            idx, tf = p
            s[idx] += w * tf * (k1 + 1) / (tf + norm[idx])
        return s
