"""Benchmark: recommendations and link candidates into the graph, re-linking, journal replay.

    .venv/bin/python benchmarks/bench_links_store.py [--mirror DIR] [--k 10]

Prints figures (no pass/fail) on an empty embedded FalkorDB started for the run. The storage
side of linking only: the candidates are every recommendation of the corpus paired with k
articles of the LGAMVLV (a fixed rotation, not the linker's ranking), so the figures say how
fast the graph takes what `lawgraph link` produces, apart from how fast the linker ranks.

1. the corpus recommendations (CLADEM + UPR) loaded, then re-loaded unchanged;
2. k candidates per recommendation stored, re-stored unchanged, re-stored with a new ranking
   (half replaced) while 100 reviewed links are kept;
3. 100 decisions and the suggestions replayed from the journal into a cleared graph.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from lawgraph.config import default_mirror
from lawgraph import steps
from lawgraph.graph import links
from lawgraph.graph.falkordb_backend import FalkorDBStore
from lawgraph.graph.falkordb_server import EmbeddedFalkorDB
from lawgraph.graph.load import load_parsed_law
from lawgraph.ingest.recommendations import load_corpus_recommendations
from lawgraph.journal import Journal, record_decision
from lawgraph.model.recs import LinkCandidate, LinkDecision
from lawgraph.pipeline import parse_file


def _cands(recs, arts, k, shift):
    out = []
    for i, r in enumerate(recs):
        for j in range(k):
            a = arts[(i * 7 + j + shift) % len(arts)]
            out.append(LinkCandidate(link_id="-", from_id=r.rec_id, to_id=a, score=1.0 / (j + 1), method="bench"))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mirror", type=Path, default=default_mirror())
    ap.add_argument("--k", type=int, default=10)
    args = ap.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bench-links-"))
    with EmbeddedFalkorDB(home) as server:
        st = FalkorDBStore(server.client(), graph="bench")
        law = parse_file(args.mirror / "laws/federal/lgamvlv.pdf")
        load_parsed_law(st, law, jurisdiction="mx", kind="ley", key="lgamvlv")
        arts = [r["id"] for r in st.run("MATCH (p:`ProvisionVersion` {kind: 'articulo'}) RETURN p.id AS id").rows]
        t = time.perf_counter()
        recs = load_corpus_recommendations(args.mirror)
        t_read = time.perf_counter() - t
        t = time.perf_counter()
        rep = links.load_recommendations(st, recs)
        t_load = time.perf_counter() - t
        t = time.perf_counter()
        links.load_recommendations(st, recs)
        t_again = time.perf_counter() - t
        print(f"recommendations: {len(recs)} read in {t_read:.2f} s; loaded in {t_load:.2f} s "
              f"({len(recs) / t_load:.0f}/s, {rep.total('inserted')} inserted); unchanged re-load {t_again:.2f} s")
        c1 = _cands(recs, arts, args.k, 0)
        t = time.perf_counter()
        r1 = links.store_candidates(st, c1)
        t1 = time.perf_counter() - t
        print(f"candidates: {len(c1)} stored in {t1:.2f} s ({len(c1) / t1:.0f}/s; {r1.inserted} inserted)")
        t = time.perf_counter()
        r2 = links.store_candidates(st, c1)
        t2 = time.perf_counter() - t
        print(f"re-link unchanged: {t2:.2f} s ({r2.unchanged} unchanged)")
        journal = Journal(home / "journal")
        for lk in links.list_links(st, limit=100):
            d = LinkDecision(link_id=lk["id"], from_id=lk["from_id"], to_id=lk["to_id"], status="confirmed",
                             reviewer="bench", time=datetime.now(UTC))
            record_decision(journal, d)
            links.apply_decision(st, d)
        c3 = _cands(recs, arts, args.k, args.k // 2)
        t = time.perf_counter()
        r3 = links.store_candidates(st, c3, from_ids=[r.rec_id for r in recs])
        t3 = time.perf_counter() - t
        print(f"re-link new ranking: {t3:.2f} s ({r3.inserted} inserted, {r3.updated} updated, {r3.deleted} withdrawn, "
              f"{r3.kept_reviewed} reviewed kept, {r3.unchanged} unchanged)")
        st.clear()
        load_parsed_law(st, law, jurisdiction="mx", kind="ley", key="lgamvlv")
        links.load_recommendations(st, recs)
        t = time.perf_counter()
        rr = steps.replay_journal(st, journal)
        t4 = time.perf_counter() - t
        print(f"journal replay into a cleared graph: {rr.decisions} decisions in {t4:.2f} s "
              f"({len(rr.decisions_pending)} pending)")


if __name__ == "__main__":
    main()
