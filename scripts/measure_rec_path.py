"""Silver figures of the whole recommendation path, with and without its learned reranker: each
silver ask (an initiative's masked synopsis) is linked as a Spanish recommendation is
(``link_rec._rec_candidates``: the whole-text ranking, its head re-ordered by the model when it
applies, interleaved with each clause's ranking), so the figures include what
``scripts/fit_reranker.py --kind rec`` does not see: the clause interleaving after the reranker.

    .venv/bin/python scripts/measure_rec_path.py                       # the shipped model, silver dev
    .venv/bin/python scripts/measure_rec_path.py --model PATH --test   # another model file; test too
    git show HEAD~1:lawgraph/nlp/patterns/linker_params.json > /tmp/before.json
    .venv/bin/python scripts/measure_rec_path.py --baseline /tmp/before.json --test
        # the linear path under another parameter file's recommendation weights against the
        # shipped ones (no model needed): what a refit of stage 3 changed, test included
    .venv/bin/python scripts/measure_rec_path.py --baseline /tmp/before.json --test \
        --gold ../shared/eval/recommendation_links_dev.jsonl   # and the answer file's coverage

Prints per split MRR@10 and recall@5 (``fit_linker.mrr_recall``) of the linear and the reranked
path and the paired bootstrap interval of the MRR change (``compare_rankers.paired_interval``);
the same for the asks whose answer article some train initiative named and for the others.
Measurement only: it writes nothing.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import fit_linker as F  # noqa: E402
from compare_rankers import paired_interval  # noqa: E402

from lawgraph.config import get_settings  # noqa: E402
from lawgraph.evaluation import silver as S  # noqa: E402
from lawgraph.evaluation import links as E  # noqa: E402
from lawgraph.nlp import link_rec as LR  # noqa: E402
from lawgraph.nlp import link_score as LS  # noqa: E402
from lawgraph.nlp import rerank as R  # noqa: E402
from lawgraph.nlp.link_query import Query, clauses  # noqa: E402


def first_answer_rank(index: LS.LinkIndex, cands: list, want: set) -> int | None:
    by_uid = index.stats.setdefault("_by_uid", {u.uid: u for u in index.units})
    for r, c in enumerate(cands[:10], 1):
        u = by_uid[c.to_id]
        if (u.law_key.lower(), S.label(u.article)) in want:
            return r
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", type=Path, default=R.RERANKER_FILES["rec"], help="the model file measured")
    ap.add_argument("--test", action="store_true", help="report silver test too")
    ap.add_argument("--baseline", type=Path, help="a linker_params.json: compare the linear path under its "
                    "rec_weights (first) with the shipped ones (second)")
    ap.add_argument("--gold", type=Path, help="an answer file (../shared/eval/recommendation_links_dev.jsonl): "
                    "also print how many of its items have an answer article some train initiative named")
    args = ap.parse_args()
    base_w = None
    if args.baseline:
        try:
            base_w = LS.FusionWeights(**json.loads(args.baseline.read_text(encoding="utf-8"))["rec_weights"])
        except (OSError, ValueError, KeyError, TypeError) as e:
            print(f"{args.baseline}: no se pudieron leer sus rec_weights ({e})", file=sys.stderr)
            return 2
    elif R.load_reranker(args.model) is None:
        print(f"{args.model}: no existe el modelo", file=sys.stderr)
        return 2
    R.RERANKER_FILES["rec"] = args.model        # the path applies the model measured
    R.shipped_reranker.cache_clear()
    t0 = time.perf_counter()
    settings = get_settings()
    index = LS.build_index(E.corpus_law_files(settings.mirror), cache_dir=settings.home / "cache")
    silver = S.build_silver(settings.mirror, index.units)
    named = set().union(*(a.answer_keys() for a in silver.asks if a.split == "train"))
    out = {"model": str(args.model) if base_w is None else None,
           "baseline": str(args.baseline) if base_w else None, "as": "[MRR@10, recall@5]"}
    for split in ("dev",) + (("test",) if args.test else ()):
        asks = [a for a in silver.asks if a.split == split]
        qs = [Query(a.id, "es", a.query, kind="rec", day=a.day) for a in asks]
        vecs = LS._encode_queries(index, [t for q in qs for t in LS._query_vec_texts(q)])
        parts = [clauses(q.text) for q in qs]
        cvecs = LS._encode_queries(index, [t for p in parts for t in p]) if any(parts) else None
        wants = [a.answer_keys() for a in asks]
        lin, rr, at = [], [], 0
        for i, (want, q, p) in enumerate(zip(wants, qs, parts)):
            cv = cvecs[at:at + len(p)] if p else None
            at += len(p)
            if base_w is not None:
                for weights, ranks in ((base_w, lin), (LS.REC_WEIGHTS, rr)):
                    index.weights = weights
                    sc = LS.score_units(index, q, vecs[i:i + 1])
                    ranks.append(first_answer_rank(index, LR._rec_candidates(index, q, sc, 10, cv, rerank=False), want))
                continue
            sc = LS.score_units(index, q, vecs[i:i + 1])
            lin.append(first_answer_rank(index, LR._rec_candidates(index, q, sc, 10, cv, rerank=False), want))
            rr.append(first_answer_rank(index, LR._rec_candidates(index, q, sc, 10, cv), want))
        names = ("baseline", "shipped") if base_w is not None else ("linear", "reranked")
        out[split] = {"asks": len(asks), "with_clauses": sum(1 for p in parts if p),
                      names[0]: F.mrr_recall(lin), names[1]: F.mrr_recall(rr), **paired_interval(lin, rr, F.SEED)}
        # The same, split by whether some train initiative named one of the ask's answer
        # articles (the anchor votes can only point at such articles; nlp/link_anchor.py).
        for group, keep in (("answer_named_by_train", True), ("answer_not_named_by_train", False)):
            rows = [i for i, want in enumerate(wants) if bool(want & named) == keep]
            gl, gr = [lin[i] for i in rows], [rr[i] for i in rows]
            out[split][group] = {"asks": len(rows), names[0]: F.mrr_recall(gl), names[1]: F.mrr_recall(gr),
                                 **paired_interval(gl, gr, F.SEED)}
        print(f"{split}: {out[split]} ({time.perf_counter() - t0:.0f} s)", flush=True)
    if args.gold:
        items = [t for row in E.read_gold(args.gold)[1] if (t := row.get("targets"))]
        keys = [{(str(x.get("law", "")).lower(), S.label(str(x.get("article", "")))) for x in t} for t in items]
        out["gold"] = {"file": str(args.gold), "items_with_answers": len(items),
                       "items_with_an_answer_article_named_by_train": sum(1 for k in keys if k & named),
                       "answer_articles": sum(len(k) for k in keys),
                       "answer_articles_named_by_train": sum(len(k & named) for k in keys)}
        print(f"gold: {out['gold']}", flush=True)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
