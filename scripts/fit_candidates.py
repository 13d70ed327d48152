"""Fit the score above which a recommendation's link candidate is shown as one (issue 10, point 4):
a recommendation gets as many candidates as pass it, and zero is a valid answer.

    .venv/bin/python scripts/fit_candidates.py            # print figures
    .venv/bin/python scripts/fit_candidates.py --write    # update "candidates" in lawgraph/nlp/patterns/asks_params.json

There are no silver recommendations; the silver asks (SITL initiatives, ``lawgraph.evaluation.
silver``) are ranked here as recommendations are (``kind="rec"``: the recommendation weights and
lifts), and each of their top 10 candidates is right when its article is one the ask names. The
threshold is the lowest score on a 0.05 grid at which at least ``MIN_PRECISION`` of the silver
train candidates scoring at least that much are right (stated: one in five shown candidates
right, where all ten give about one in eleven); reported on silver dev with the candidates per ask.

English recommendations score on another scale (their own cosine weight, terminology rows and
machine translation), and no silver ask is English. Their threshold (``candidates_en``) is fitted
on the cross-lingual set's train pairs (``lawgraph.evaluation.crosslingual``: the same UPR
recommendation in English and in Spanish): the value on ``GRID_EN`` at which an English text
alone shows, on average, as many candidates as its Spanish twin shows at the Spanish threshold
(stated choice: the same ask gets the same number of candidates in either language; no English
labels say more), the lowest such value on a tie; reported on the dev pairs.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lawgraph.config import get_settings  # noqa: E402
from lawgraph.evaluation import crosslingual as X  # noqa: E402
from lawgraph.evaluation import silver as S  # noqa: E402
from lawgraph.evaluation.links import corpus_law_files  # noqa: E402
from lawgraph.nlp import link as L  # noqa: E402
from lawgraph.ingest.recommendations import load_corpus_recommendations, spanish_twins  # noqa: E402
from lawgraph.nlp.asks import write_params  # noqa: E402

MIN_PRECISION = 0.2
GRID = [round(1.0 + 0.05 * i, 2) for i in range(31)]
GRID_EN = [round(0.05 * i, 2) for i in range(1, 81)]    # English scores run lower and higher: 0.05-4.0


def scored(index, asks):
    by = {u.uid: u for u in index.units}
    b = L.link_many(index, [L.Query(a.id, "es", a.query, kind="rec") for a in asks], k=10)
    rows = []
    for a in asks:
        want = a.answer_keys()
        for c in b.candidates.get(a.id, []):
            u = by[c.to_id]
            rows.append((c.score, (u.law_key.lower(), S.label(u.article)) in want))
    return rows


def figures(rows, n_asks, t):
    sel = [y for s, y in rows if s >= t]
    return {"threshold": t, "shown": len(sel), "per_ask": round(len(sel) / max(1, n_asks), 2),
            "precision": round(sum(sel) / len(sel), 3) if sel else None, "precision_ci95": S.wilson(sum(sel), len(sel))}


def shown(scores: list[list[float]], t: float) -> list[int]:
    """How many candidates each ask shows at threshold ``t`` (``scores``: each ask's candidates')."""
    return [sum(x >= t for x in row) for row in scores]


def per_ask(counts: list[int]) -> float:
    return sum(counts) / max(1, len(counts))


def pair_scores(index, pairs) -> dict[str, tuple[list[list[float]], list[list[float]]]]:
    """Per split: each pair's candidates' scores, English side alone (as the cross-lingual set
    links it) and Spanish side."""
    def scores(qs: list) -> list[list[float]]:
        b = L.link_many(index, qs, k=10)
        return [[c.score for c in b.candidates.get(q.item_id, [])] for q in qs]

    out = {}
    for sp in ("train", "dev"):
        ps = [p for p in pairs if p.split == sp]
        out[sp] = (scores([L.Query(p.en.rec_id, "en", p.en.link_text()) for p in ps]),
                   scores([L.Query(p.es.rec_id, "es", p.es.link_text()) for p in ps]))
    return out


def corpus_figures(index, recs, thresholds: dict[str, float]) -> dict:
    """Every English recommendation of the corpus linked as ``lawgraph link`` links it (with its
    Spanish twin when there is one): asks, and how many show a candidate at each threshold."""
    en = [r for r in recs if r.language == "en"]
    b = L.link_many(index, en, k=10, twins=spanish_twins(recs))
    scores = [[c.score for c in b.candidates.get(r.rec_id, [])] for r in en if r.rec_id not in b.not_asks]
    out: dict = {"english_asks": len(scores)}
    for name, th in thresholds.items():
        counts = shown(scores, th)
        out[name] = {"threshold": th, "with_any": sum(1 for n in counts if n), "per_ask": round(per_ask(counts), 2)}
    return out


def english_threshold(scores: list[list[float]], target: float) -> float:
    """The lowest value of ``GRID_EN`` whose mean count of English candidates at or above it is
    nearest ``target``."""
    return min(GRID_EN, key=lambda t: (round(abs(per_ask(shown(scores, t)) - target), 9), t))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval",
                    help="dev answers left out of the cross-lingual pairs")
    args = ap.parse_args()
    settings = get_settings()
    index = L.build_index(corpus_law_files(settings.mirror), cache_dir=settings.home / "cache")
    silver = S.build_silver(settings.mirror, index.units)
    split = {sp: [a for a in silver.asks if a.split == sp] for sp in ("train", "dev")}
    rows = {sp: scored(index, asks) for sp, asks in split.items()}
    t = next((g for g in GRID if (f := figures(rows["train"], len(split["train"]), g))["precision"] is not None
              and f["precision"] >= MIN_PRECISION), None)
    if t is None:
        print("no threshold on the grid reaches the precision on train")
        return 1
    figs = {sp: figures(rows[sp], len(split[sp]), t) for sp in rows}
    block = {"command": "python scripts/fit_candidates.py --write", "threshold": t,
             "min_precision": MIN_PRECISION, "ranked_as": "recommendation (kind='rec')",
             "figures": figs, "all_ten_precision": {sp: round(sum(y for _, y in r) / max(1, len(r)), 3)
                                                    for sp, r in rows.items()},
             "split_file_sha256": hashlib.sha256(S.SPLIT_FILE.read_bytes()).hexdigest()}
    print(json.dumps(block, indent=1))
    recs = load_corpus_recommendations(settings.mirror)
    pairs, counts = X.aligned_pairs(recs, args.eval_dir)
    per = pair_scores(index, pairs)
    t_en = english_threshold(per["train"][0], per_ask(shown(per["train"][1], t)))

    def en_fig(sp: str) -> dict:
        en, es = shown(per[sp][0], t_en), shown(per[sp][1], t)
        return {"pairs": len(en), "english_per_ask": round(per_ask(en), 2),
                "spanish_per_ask": round(per_ask(es), 2), "english_none": en.count(0)}

    block_en = {"command": "python scripts/fit_candidates.py --write", "threshold": t_en,
                "rule": "English alone shows as many candidates per ask as its Spanish twin at the Spanish threshold "
                        "(cross-lingual train pairs; lowest on a tie)",
                "spanish_threshold": t, "pairs": counts, "figures": {sp: en_fig(sp) for sp in ("train", "dev")},
                "corpus": corpus_figures(index, recs, {"english": t_en, "spanish threshold": t})}
    print(json.dumps(block_en, indent=1))
    if args.write:
        write_params("candidates", block)
        print(f"written: {write_params('candidates_en', block_en)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
