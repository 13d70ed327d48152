"""Each vocabulary row's effect, measured without the dev answers, and the rule that keeps it.

    .venv/bin/python scripts/ablate_vocab.py                 # every row: figures and decisions
    .venv/bin/python scripts/ablate_vocab.py --rows 2 5 6    # these thesaurus rows only
    .venv/bin/python scripts/ablate_vocab.py --json out.json # also write the figures
    .venv/bin/python scripts/ablate_vocab.py --write         # apply the decisions to the pattern files

Thesaurus rows (``lawgraph/nlp/patterns/thesaurus_es.jsonl``, numbered by line from 1): every
silver ask of train and dev (test is left alone) whose query fires the row is ranked with the
row and without it (``score_units(..., skip={row})``; the whole text's article ranking, top 10,
no clause interleaving) under both shipped weight sets: the recommendation weights
(``REC_WEIGHTS``, kind 'rec': where treaty-body Spanish is linked) and the ask weights
(``ASK_WEIGHTS``, kind 'sug'). Per ask, the change of its reciprocal rank (MRR@10; > 0: the row
helps); per row, the mean over the asks it fires on and a paired bootstrap 95 % interval of that
mean (``BOOT`` resamples of those asks, seed ``SEED``).

English terminology rows (``terms_en_es.jsonl``): there are no English silver asks. They are
measured on the cross-lingual consistency set (``lawgraph.evaluation.crosslingual``: the aligned
UPR EN/ES pairs outside the dev answers), train split: per pair whose English text fires the
row, the change of the reciprocal rank of the Spanish path's first article in the English
path's top 10 with the row and without it; the dev split is reported beside it, not decided on.
``law_names_en.jsonl`` rows are counted on the corpus's English recommendations outside the dev
answers (a name the reference extractor reads; no ranking to ablate when it fires on none).

The rules (issue 10 point 3):
- Suspected rows, those issue 10's closing note names as occurring in only one dev answer
  (``SUSPECTED_*`` below, by their first phrase, so the list survives renumbering), stay only if
  (a) they fire on asks of more than one initiative (distinct masked synopses; English rows:
      distinct English texts of the cross-lingual train split), and
  (b) their mean gain under the recommendation weights (English rows: on the cross-lingual
      train split) is positive with the bootstrap interval's lower end above zero, and
  (c) under the ask weights their mean gain is not negative (thesaurus rows only);
  otherwise they go. A law-name row goes unless it names a law in more than one English
  recommendation outside the dev answers.
- Every row: it goes when silver shows it hurts: it fires on more than one initiative (pair)
  and under either weight set (English rows: cross-lingual train) the mean gain is negative
  with the bootstrap interval's upper end below zero. Otherwise a row that is a general legal
  equivalence stays (silver can show harm more easily than help: initiative synopses are
  written in the statutes' Spanish that the thesaurus maps to).
No dev answer is read by this script except to leave its items out of the cross-lingual set.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lawgraph.config import get_settings  # noqa: E402
from lawgraph.evaluation import crosslingual as X  # noqa: E402
from lawgraph.evaluation import silver as S  # noqa: E402
from lawgraph.evaluation.links import corpus_law_files  # noqa: E402
from lawgraph.ingest.recommendations import load_corpus_recommendations  # noqa: E402
from lawgraph.nlp import link_score as LS  # noqa: E402
from lawgraph.nlp.link_query import PATTERNS, Query, english_rows, thesaurus_rows  # noqa: E402

BOOT = 2000          # bootstrap resamples: the interval's ends move by < 0.005 between seeds at this size
SEED = 20261206
THESAURUS = PATTERNS / "thesaurus_es.jsonl"
TERMS = PATTERNS / "terms_en_es.jsonl"
LAW_NAMES = PATTERNS / "law_names_en.jsonl"


# Issue 10's closing note (session 3): the rows that occur in only one dev answer.
SUSPECTED_THESAURUS = ("centros de acogida", "encargados de hacer cumplir la ley", "fiscalías",
                       "mecanismo de alerta de género", "personal de los servicios de salud")
SUSPECTED_TERMS = ("physical violence", "gender alert", "gender violence alert", "prosecution", "prosecutor")
SUSPECTED_NAMES = ("General Law for Women’s Access to a Life Free of Violence",)


def reciprocal_rank(index, fused, want, w) -> float:
    for r, (_s, best, _m) in enumerate(LS._aggregate(index, fused, 10, w), 1):
        u = index.units[best]
        if (u.law_key.lower(), S.label(u.article)) in want:
            return 1.0 / r
    return 0.0


def bootstrap(deltas: list[float], seed: int = SEED) -> tuple[float, float] | None:
    """Paired bootstrap 95 % interval of the mean per-item gain (None for fewer than 2 items)."""
    if len(deltas) < 2:
        return None
    x = np.asarray(deltas, dtype=float)
    rng = np.random.default_rng(seed)
    means = x[rng.integers(0, len(x), size=(BOOT, len(x)))].mean(axis=1)
    return (round(float(np.quantile(means, 0.025)), 4), round(float(np.quantile(means, 0.975)), 4))


def summary(deltas: list[float], texts: set[str]) -> dict:
    return {"n": len(deltas), "distinct": len(texts),
            "mean": round(float(np.mean(deltas)), 4) if deltas else 0.0,
            "up": sum(d > 0 for d in deltas), "down": sum(d < 0 for d in deltas),
            "ci95": bootstrap(deltas)}


def thesaurus_ablation(index, asks, only: set[int] | None) -> dict[int, dict]:
    """Per row and weight set ('rec', 'ask'): the gain summary over the train+dev asks it fires
    on, and the same per split."""
    weight_sets = {"rec": ("rec", LS.REC_WEIGHTS), "ask": ("sug", LS.ASK_WEIGHTS)}
    vecs = LS._encode_queries(index, [LS.strip_boilerplate(a.query) for a in asks])
    per: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for a, v in zip(asks, vecs):
        hit = sorted(r for r in thesaurus_rows(LS.strip_boilerplate(a.query)) if not only or r in only)
        if not hit:
            continue
        want = a.answer_keys()
        for name, (kind, w) in weight_sets.items():
            index.weights, index.ask_weights = w, w
            q = Query(a.id, "es", a.query, kind=kind, day=a.day)
            on = reciprocal_rank(index, LS.score_units(index, q, v[None, :]).fused, want, w)
            for row in hit:
                off = reciprocal_rank(index, LS.score_units(index, q, v[None, :], frozenset([row])).fused, want, w)
                per[row][name].append((a.split, a.query, on - off))
    out = {}
    for row, by in sorted(per.items()):
        out[row] = {}
        for name, items in by.items():
            out[row][name] = summary([d for _s, _t, d in items], {t for _s, t, _d in items})
            out[row][name]["by_split"] = {sp: [sum(1 for s, _t, _d in items if s == sp),
                                               round(sum(d for s, _t, d in items if s == sp), 4)]
                                          for sp in ("train", "dev")}
    index.weights, index.ask_weights = LS.REC_WEIGHTS, LS.ASK_WEIGHTS
    return out


def english_ablation(index, pairs) -> dict[str, dict]:
    """Per terminology row ('terms_en_es.jsonl:N'): the change of the reciprocal rank of the
    Spanish path's first article in the English top 10 without the row, per split."""
    spanish = X.spanish_rankings(index, pairs)
    by_uid = X.uid_map(index)
    per: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for p in pairs:
        fired = sorted(english_rows(p.en.link_text()))
        if not fired:
            continue
        es = spanish[p.en.rec_id]
        on = X.compare(X.english_ranking(index, p, by_uid=by_uid), es)["rr_es_top1"]
        for row in fired:
            off = X.compare(X.english_ranking(index, p, frozenset([row]), by_uid), es)["rr_es_top1"]
            per[row][p.split].append((p.en.text, on - off))
    return {row: {sp: summary([d for _t, d in items], {t for t, _d in items}) for sp, items in by.items()}
            for row, by in per.items()}


def law_name_rows(recs, eval_dir: Path) -> dict[int, int]:
    """Per law_names_en row: English corpus recommendations outside the dev answers naming it."""
    ids, texts = X.eval_items(eval_dir)
    en = [r for r in recs if r.language == "en" and r.rec_id not in ids and X.folded_head(r.text) not in texts]
    patterns = [json.loads(line)["pattern"].lower() for line in LAW_NAMES.read_text(encoding="utf-8").splitlines()]
    return {n: sum(p in r.text.lower() for r in en) for n, p in enumerate(patterns, 1)}


def helps(fig: dict | None) -> bool:
    """Rule (a)+(b): more than one initiative, mean gain > 0, interval above zero."""
    return bool(fig) and fig["distinct"] > 1 and fig["ci95"] is not None and fig["ci95"][0] > 0 and fig["mean"] > 0


def hurts(fig: dict | None) -> bool:
    """More than one initiative, mean gain < 0, interval below zero."""
    return bool(fig) and fig["distinct"] > 1 and fig["ci95"] is not None and fig["ci95"][1] < 0 and fig["mean"] < 0


def _fig(f: dict | None) -> str:
    return f"{f['mean']:+.4f}, 95% CI {f['ci95']}, {f['distinct']} initiative(s)" if f else "fires on none"


def decide(figs: dict, suspected: bool, decide_on: str, also: tuple[str, ...] = ()) -> tuple[bool, str]:
    """(keep, why) for a row from its figures ({weights or split: summary})."""
    main = figs.get(decide_on)
    for name in (decide_on, *also):
        if hurts(figs.get(name)):
            return False, f"hurts ({name}): {_fig(figs.get(name))}"
    if not suspected:
        return True, "general equivalence, not shown to hurt"
    if not helps(main):
        return False, f"suspected, not shown to help ({decide_on}): {_fig(main)}"
    for name in also:
        if figs.get(name) and figs[name]["mean"] < 0:
            return False, f"suspected, lowers {name}: {_fig(figs[name])}"
    return True, f"suspected, helps ({decide_on}): {_fig(main)}"


def rewrite(path: Path, keep: dict[int, dict | None]) -> None:
    """Keep the rows (line numbers) in ``keep``, each with its figures under 'silver' when given."""
    lines = path.read_text(encoding="utf-8").splitlines()
    out = []
    for n, line in enumerate(lines, 1):
        if n not in keep:
            continue
        if keep[n] is None:
            out.append(line)
            continue
        d = json.loads(line)
        d.update(keep[n])
        out.append(json.dumps(d, ensure_ascii=False))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, nargs="*", help="thesaurus rows (line numbers) to measure; default all")
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    ap.add_argument("--write", action="store_true", help="apply the decisions to the pattern files")
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    args = ap.parse_args()
    if args.write and args.rows:
        ap.error("--write decides every row: leave --rows out")
    settings = get_settings()
    index = LS.build_index(corpus_law_files(settings.mirror), cache_dir=settings.home / "cache")
    silver = S.build_silver(settings.mirror, index.units)
    asks = [a for a in silver.asks if a.split in ("train", "dev")]
    rows = thesaurus_ablation(index, asks, set(args.rows) if args.rows else None)
    th_lines = THESAURUS.read_text(encoding="utf-8").splitlines()
    wanted = sorted(set(args.rows or []) or set(range(1, len(th_lines) + 1)))
    stamp = f"scripts/ablate_vocab.py {date.today().isoformat()}"
    th_keep: dict[int, dict | None] = {n: None for n in range(1, len(th_lines) + 1)}
    decisions: dict[str, dict] = {"thesaurus": {}, "terms_en_es": {}, "law_names_en": {}}
    print("thesaurus row  weights  asks  distinct  mean  ci95  up  down")
    for row in wanted:
        figs = rows.get(row, {})
        es = json.loads(th_lines[row - 1])["es"]
        keep, why = decide(figs, es[0] in SUSPECTED_THESAURUS, "rec", ("ask",))
        for name in ("rec", "ask"):
            f = figs.get(name, {"n": 0, "distinct": 0, "mean": 0.0, "ci95": None, "up": 0, "down": 0})
            print(f"{row:3}  {name}  {f['n']:3}  {f['distinct']:3}  {f['mean']:+.4f}  {f['ci95']}  {f['up']:2}  {f['down']:2}")
        print(f"     -> {'KEEP' if keep else 'DROP'}: {why}  {es[:3]}")
        decisions["thesaurus"][row] = {"es": es, "keep": keep, "why": why, **figs}
        th_keep[row] = {"silver": {"rec": figs.get("rec"), "ask": figs.get("ask"), "rule": why, "by": stamp}}
        if not keep:
            del th_keep[row]

    recs = load_corpus_recommendations(settings.mirror)
    pairs, counts = X.aligned_pairs(recs, args.eval_dir)
    en = english_ablation(index, pairs)
    t_lines = TERMS.read_text(encoding="utf-8").splitlines()
    t_keep: dict[int, dict | None] = {}
    print(f"terms_en_es row  train: pairs mean ci95 | dev: pairs mean | decision   (cross-lingual set: {counts})")
    for n, line in enumerate(t_lines, 1):
        phrase = json.loads(line)["en"]
        figs = en.get(f"{TERMS.name}:{n}", {})
        keep, why = decide(figs, phrase in SUSPECTED_TERMS, "train")
        if keep:
            t_keep[n] = None
        if figs or phrase in SUSPECTED_TERMS:
            tr, dv = figs.get("train", {}), figs.get("dev", {})
            print(f"{n:4}  {tr.get('n', 0):2} {tr.get('mean', 0):+.4f} {tr.get('ci95')}  | {dv.get('n', 0):2} "
                  f"{dv.get('mean', 0):+.4f}  -> {'KEEP' if keep else 'DROP'}: {why}  {phrase}")
        decisions["terms_en_es"][n] = {"en": phrase, "keep": keep, "why": why, **figs}
    names = law_name_rows(recs, args.eval_dir)
    n_lines = LAW_NAMES.read_text(encoding="utf-8").splitlines()
    n_keep: dict[int, dict | None] = {}
    print("law_names_en row  English recommendations outside the dev answers naming it | decision")
    for n, line in enumerate(n_lines, 1):
        pattern, out_n = json.loads(line)["pattern"], names.get(n, 0)
        suspected = pattern in SUSPECTED_NAMES
        keep = not suspected or out_n > 1
        why = ("general name, kept" if not suspected else
               f"suspected, names a law in {out_n} English recommendations outside the dev answers"
               + ("" if keep else ": too few to show it helps beyond one item"))
        if keep:
            n_keep[n] = None
        if suspected:
            print(f"{n:4}  {out_n}  -> {'KEEP' if keep else 'DROP'}: {why}  {pattern}")
        decisions["law_names_en"][n] = {"pattern": pattern, "keep": keep, "why": why, "english_recs": out_n}
    if args.json:
        args.json.write_text(json.dumps(decisions, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.write:
        rewrite(THESAURUS, th_keep)
        rewrite(TERMS, t_keep)
        rewrite(LAW_NAMES, n_keep)
        print(f"written: {THESAURUS.name} {len(th_keep)}/{len(th_lines)} rows, {TERMS.name} "
              f"{len(t_keep)}/{len(t_lines)}, {LAW_NAMES.name} {len(n_keep)}/{len(n_lines)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
