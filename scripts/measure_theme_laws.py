"""A weak check of the recommendation path in the recommendations' own genre: do the Spanish
recommendations that CLADEM's thematic index files under a theme get an article of the law
whose declared object is that theme?

The silver asks (initiatives) and the recommendations are told apart by a text classifier at
ROC AUC 0.994, and 54 % of the initiatives that vote as anchors name the Constitution: the
silver figures cannot show what the anchors do to recommendations. CLADEM's themes are data of
the corpus (``Recommendation.themes``), not answers; the theme -> law rows are general
(``lawgraph/evaluation/theme_laws.jsonl``, each with its reason). The Constitution is in no row
(it speaks to every theme, so it cannot tell one theme's law from another's) and is counted on
its own: how often it comes first.

    .venv/bin/python scripts/measure_theme_laws.py                      # alpha 0, 0.5, 1, 1.5
    .venv/bin/python scripts/measure_theme_laws.py --alpha 0 1 --test   # silver test too

For no anchor votes and for each ``anchor_law_alpha`` (the voters' law prior taken out; 0 is
shipped), prints per half of the themed recommendations (a stable hash of the id: the first
half to choose on, the second to check) the share whose first candidate / top five has an
article of a theme law, and whose first candidate is a constitutional article; and the silver
dev (and test) MRR@10 / recall@5 of the fit's whole-text ranking. Measurement only: it writes
nothing.
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import fit_linker as F  # noqa: E402

from lawgraph.config import get_settings  # noqa: E402
from lawgraph.evaluation import links as E  # noqa: E402
from lawgraph.evaluation import silver as S  # noqa: E402
from lawgraph.evaluation.theme_laws import read_theme_laws, theme_figures  # noqa: E402
from lawgraph.ingest.recs import load_corpus_recommendations  # noqa: E402
from lawgraph.nlp import link_score as LS  # noqa: E402

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--alpha", type=float, nargs="+", default=[0.0, 0.5, 1.0, 1.5])
    ap.add_argument("--test", action="store_true", help="report silver test too")
    args = ap.parse_args()
    settings = get_settings()
    index = LS.build_index(E.corpus_law_files(settings.mirror), cache_dir=settings.home / "cache")
    silver = S.build_silver(settings.mirror, index.units)
    themes = read_theme_laws()
    recs = [r for r in load_corpus_recommendations(settings.mirror)
            if r.is_recommendation and r.language == "es" and set(r.themes) & set(themes)]
    splits = ("dev", "test") if args.test else ("dev",)
    shipped = LS.REC_WEIGHTS
    configs = {"no anchor votes": replace(shipped, w_anchor=0.0),
               **{f"anchor_law_alpha {a}": replace(shipped, anchor_law_alpha=a) for a in args.alpha}}
    report = {"themed_recommendations": len(recs), "configs": {}}
    for name, w in configs.items():
        index.weights = w
        fig = {"themes": theme_figures(index, recs, themes)}
        for sp in splits:
            asks = [a for a in silver.asks if a.split == sp]
            fig[f"silver_{sp}"] = F.Signals(index, asks, "rec").measure(asdict(w))
        report["configs"][name] = fig
        print(f"{name}: {fig}", flush=True)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
