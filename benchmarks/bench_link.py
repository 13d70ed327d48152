"""Link every provision version of the corpus's federal laws against every recommendation and
suggestion, and print units/s for each stage (issue 4, item 7).

    .venv/bin/python benchmarks/bench_link.py [--cache DIR] [--cold]

Stages: parse the law files into units (cached by file hash and parser code), BM25 tables
(pickled in the cache), dense vectors of the units (cached by text hash), recommendations read,
linking (query vectors + scoring). ``--cold``
starts from an empty cache directory; run it twice to see the warm figure. Budget: < 10 min
cold on 2 cores, < 30 s when nothing changed.
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def _pages(path: Path) -> int:
    if path.suffix.lower() != ".pdf":
        return 0
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(path))
    try:
        return len(doc)
    finally:
        doc.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "lawgraph-bench-link")
    ap.add_argument("--cold", action="store_true", help="empty the cache first")
    a = ap.parse_args()
    if a.cold and a.cache.exists():
        shutil.rmtree(a.cache)
    a.cache.mkdir(parents=True, exist_ok=True)

    from lawgraph.evaluation.links import corpus_law_files, queries_for, read_gold
    from lawgraph.ingest.recommendations import (
        load_corpus_recommendations,
        spanish_twins,
    )
    from lawgraph.nlp import link as L

    t_all = time.perf_counter()
    files = corpus_law_files(SHARED / "corpora")
    pages = sum(_pages(f) for f in files)

    # As `lawgraph link` does: the index is built from the law files (units cached by file hash
    # and parser code, so an unchanged corpus is not parsed again).
    t = time.perf_counter()
    index = L.build_index(files, cache_dir=a.cache)
    t_index = time.perf_counter() - t
    s = index.stats
    n = s["units"]
    print(f"parse + units: {len(files)} files ({pages} pages), {s['units_parsed']} units from the versions, "
          f"{n} after deduplication, {s['load_s']:.1f}s ({s['units_parsed'] / max(s['load_s'], 1e-9):.0f} units/s, "
          f"{s['files_parsed']} files parsed, {len(files) - s['files_parsed']} from the cache)")
    print(f"bm25: {s['bm25_s']:.1f}s ({n / max(s['bm25_s'], 1e-9):.0f} units/s)")
    print(f"embed: {s['embed_s']:.1f}s, {s['embedded']} encoded "
          f"({(s['embedded'] or n) / max(s['embed_s'], 1e-9):.0f} units/s)")

    t = time.perf_counter()
    recs = load_corpus_recommendations(SHARED / "corpora")
    twins = spanish_twins(recs)
    kind, rows, _ = read_gold(SHARED / "eval" / "suggestions_dev.jsonl")
    sugs = queries_for(rows, kind)
    t_recs = time.perf_counter() - t
    print(f"recommendations: {len(recs)} read in {t_recs:.1f}s; suggestions: {len(sugs)}")

    t = time.perf_counter()
    items = [r for r in recs if r.is_recommendation or r.body == "UPR"] + sugs
    batch = L.link_many(index, items, k=10, twins=twins)
    t_link = time.perf_counter() - t
    print(f"link: {len(items)} items x {n} units in {t_link:.1f}s ({len(items) / max(t_link, 1e-9):.1f} items/s, "
          f"{len(items) * n / max(t_link, 1e-9):.0f} item-units/s); errors: {len(batch.errors)}; "
          f"landed: {sum(d.landed for d in batch.landed.values())}/{len(batch.landed)}")
    total = time.perf_counter() - t_all
    print(f"total: {total:.1f}s (index {t_index:.1f}s) on {date.today().isoformat()}")


if __name__ == "__main__":
    main()
