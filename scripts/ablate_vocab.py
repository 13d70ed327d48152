"""Each vocabulary row's effect, measured without the dev answers.

    .venv/bin/python scripts/ablate_vocab.py                 # every thesaurus row
    .venv/bin/python scripts/ablate_vocab.py --rows 2 5 6    # these thesaurus rows only
    .venv/bin/python scripts/ablate_vocab.py --json out.json # also write the figures

Thesaurus rows (``lawgraph/nlp/patterns/thesaurus_es.jsonl``, numbered by line from 1): for every
silver ask (train and dev; test is left alone) whose query contains one of the row's phrases,
the ask is ranked with the row and without it (``score_units(..., skip={row})``) under the
recommendation weights (``FusionWeights()``: the thesaurus at its BM25 weight 2.25; the fitted
ask weights give the thesaurus weight 0, so under them no row changes anything). Ranking: the
whole text's article ranking (``_aggregate``, top 10), no clause interleaving. Reported per row:
asks hit per split and the change of their summed reciprocal rank (MRR@10 x asks), and how many
asks moved up or down. Also the whole thesaurus off against on, per split.

English rows (``terms_en_es.jsonl``) have no English silver asks to be ranked on (the silver asks
are Spanish initiatives; the dev answers are not to be tuned on). For them the script reports
how many corpus English recommendations outside the dev answers contain the phrase, and in how
many of the aligned UPR EN/ES pairs (``pair_translations``) whose English side contains it the
Spanish side contains a word of the row's Spanish terms (the phrase is translated that way by
the UN's own translators).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from build_terms_en_es import eval_items  # noqa: E402

from lawgraph.config import get_settings  # noqa: E402
from lawgraph.evaluation import silver as S  # noqa: E402
from lawgraph.evaluation.links import corpus_law_files  # noqa: E402
from lawgraph.ingest.recommendations import load_corpus_recommendations, pair_translations  # noqa: E402
from lawgraph.nlp import link_score as LS  # noqa: E402
from lawgraph.nlp.link_query import PATTERNS, Query, thesaurus_rows  # noqa: E402
from lawgraph.nlp.textnorm import WORD_RE, fold, terms, words  # noqa: E402


def reciprocal_rank(index, fused, want) -> float:
    for r, (_s, best, _m) in enumerate(LS._aggregate(index, fused, 10), 1):
        u = index.units[best]
        if (u.law_key.lower(), S.label(u.article)) in want:
            return 1.0 / r
    return 0.0


def thesaurus_ablation(index, asks, only: set[int] | None) -> tuple[dict, dict]:
    """Per row: {split: {asks, delta_rr, up, down}}; and the whole thesaurus off vs on."""
    index.weights = LS.FusionWeights()
    index.ask_weights = None                     # the recommendation weights, thesaurus on
    vecs = LS._encode_queries(index, [LS.strip_boilerplate(a.query) for a in asks])
    rows: dict[int, dict] = defaultdict(lambda: defaultdict(lambda: {"asks": 0, "delta_rr": 0.0, "up": 0, "down": 0}))
    whole: dict = defaultdict(lambda: {"n": 0, "rr_on": 0.0, "rr_off": 0.0})
    n_rows = sum(1 for line in (PATTERNS / "thesaurus_es.jsonl").read_text(encoding="utf-8").splitlines() if line.strip())
    everything = frozenset(range(1, n_rows + 1))
    for a, v in zip(asks, vecs):
        q = Query(a.id, "es", a.query, kind="rec", day=a.day)
        want = {(t["law"], S.label(t["article"])) for t in a.targets}
        on = reciprocal_rank(index, LS.score_units(index, q, v[None, :]).fused, want)
        hit = thesaurus_rows(LS.strip_boilerplate(a.query))
        w = whole[a.split]
        w["n"] += 1
        w["rr_on"] += on
        w["rr_off"] += (reciprocal_rank(index, LS.score_units(index, q, v[None, :], everything).fused, want)
                        if hit else on)
        for row in sorted(hit):
            if only and row not in only:
                continue
            off = reciprocal_rank(index, LS.score_units(index, q, v[None, :], frozenset([row])).fused, want)
            r = rows[row][a.split]
            r["asks"] += 1
            r["delta_rr"] = round(r["delta_rr"] + on - off, 4)   # > 0: the row helps
            r["up"] += on > off
            r["down"] += on < off
    summary = {s: {"n": w["n"], "mrr_on": round(w["rr_on"] / w["n"], 4), "mrr_off": round(w["rr_off"] / w["n"], 4)}
               for s, w in whole.items()}
    return {k: dict(v) for k, v in sorted(rows.items())}, summary


def english_rows(mirror: Path, eval_dir: Path) -> list[dict]:
    """Per terms_en_es row: corpus English recommendations (outside the dev answers) holding the
    phrase, and the aligned UPR pairs whose Spanish side renders it with the row's words."""
    recs = load_corpus_recommendations(mirror)
    ids, texts = eval_items(eval_dir)

    def held(r) -> bool:
        return r.rec_id in ids or " ".join(WORD_RE.findall(fold(r.text)))[:120] in texts

    en = [r for r in recs if r.language == "en" and not held(r)]
    by_id = {r.rec_id: r for r in recs}
    pairs = [(by_id[e], by_id[s]) for e, s in pair_translations(recs).items()
             if not held(by_id[e]) and not held(by_id[s])]
    out = []
    lines = (PATTERNS / "terms_en_es.jsonl").read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        d = json.loads(line)
        phrase = " ".join(words(d["en"]))
        es_terms = {t for p in d["es"] for t in terms(p)}

        def has(r) -> bool:
            return f" {phrase} " in f" {' '.join(words(r.text))} "

        in_pairs = [s for e, s in pairs if has(e)]
        out.append({"row": n, "en": d["en"], "es": d["es"], "english_recs": sum(has(r) for r in en),
                    "upr_pairs": len(in_pairs),
                    "upr_pairs_rendered": sum(bool(es_terms & set(terms(s.text))) for s in in_pairs)})
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, nargs="*", help="thesaurus rows (line numbers) to measure; default all")
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    args = ap.parse_args()
    settings = get_settings()
    index = LS.build_index(corpus_law_files(settings.mirror), cache_dir=settings.home / "cache")
    silver = S.build_silver(settings.mirror, index.units)
    asks = [a for a in silver.asks if a.split in ("train", "dev")]
    rows, whole = thesaurus_ablation(index, asks, set(args.rows) if args.rows else None)
    lines = (PATTERNS / "thesaurus_es.jsonl").read_text(encoding="utf-8").splitlines()
    print("whole thesaurus (recommendation weights):", json.dumps(whole))
    print("row  split  asks  delta_rr  up  down  phrases")
    for row, by in rows.items():
        es = json.loads(lines[row - 1])["es"]
        for split in ("train", "dev"):
            r = by.get(split, {"asks": 0, "delta_rr": 0.0, "up": 0, "down": 0})
            print(f"{row:3}  {split:5}  {r['asks']:4}  {r['delta_rr']:+8.3f}  {r['up']:2}  {r['down']:4}  {es[:3]}")
    wanted = set(args.rows or []) or set(range(1, len(lines) + 1))
    silent = sorted(wanted - set(rows))
    print("rows no silver ask (train, dev) contains:", silent)
    en = english_rows(settings.mirror, args.eval_dir)
    print("terms_en_es row  english_recs  upr_pairs  rendered  en")
    for r in en:
        print(f"{r['row']:4}  {r['english_recs']:4}  {r['upr_pairs']:3}  {r['upr_pairs_rendered']:3}  {r['en']}")
    if args.json:
        args.json.write_text(json.dumps({"thesaurus": rows, "whole": whole, "silent_rows": silent,
                                         "terms_en_es": en}, indent=1, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
