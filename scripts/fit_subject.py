"""Fit the threshold that decides whether an initiative takes up an ask (issue 10, point 5):
``lawgraph.nlp.asks.subject_similarity`` (Dice of content stems) of the ask and the initiative's
synopsis, on pairs built from the silver asks.

    .venv/bin/python scripts/fit_subject.py            # print figures
    .venv/bin/python scripts/fit_subject.py --write    # write lawgraph/nlp/patterns/asks_params.json

Pairs: two silver asks (SITL initiatives) that name the same article, i.e. what the suggestion
page would list for an ask linked to that article. The label is whether their subjects match:
both titles (or synopses) carry an "en materia de …" tail and those tails share at least half of
their content stems (Jaccard >= ``SAME_SUBJECT_JACCARD``; stated reason: 'violencia vicaria' and
'violencia digital' share one of three stems and are different subjects, 'igualdad sustantiva'
and 'igualdad sustantiva y paridad' two of three and are one). Pairs where either tail is missing
are left out. The similarity reads the masked synopses (``silver.mask_query``: the tail, law names
and article numbers removed), so the label is not in its input.

Fit on the pairs whose first ask is in silver train: the lowest threshold at which at least
``MIN_PRECISION`` of the pairs above it share the subject (stated: at least half of the listed
initiatives should be about the ask, where listing every initiative on the article gives about
3 %; 0.8 is reached by no threshold on train); reported on the dev and test pairs.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lawgraph.catalog import load_catalog  # noqa: E402
from lawgraph.config import get_settings  # noqa: E402
from lawgraph.evaluation import silver as S  # noqa: E402
from lawgraph.evaluation.links import corpus_law_files  # noqa: E402
from lawgraph.nlp import link_score as LS  # noqa: E402
from lawgraph.nlp.asks import subject_similarity, write_params  # noqa: E402
from lawgraph.nlp.textnorm import terms  # noqa: E402

SAME_SUBJECT_JACCARD = 0.5
MIN_PRECISION = 0.5
TAIL_RE = re.compile(r"\ben\s+materia\s+de\b([^.;]*)", re.IGNORECASE)


def tail(text: str) -> set[str]:
    m = TAIL_RE.search(text or "")
    return set(terms(m.group(1))) if m else set()


def pairs(silver, synopses):
    by_art = defaultdict(list)
    for a in silver.asks:
        for t in a.targets:
            by_art[(t["law"], S.label(t["article"]))].append(a)
    out = {sp: [] for sp in S.SPLITS}
    seen = set()
    for group in by_art.values():
        for a in group:
            for b in group:
                if a.id == b.id or (a.id, b.id) in seen:
                    continue
                seen.add((a.id, b.id))
                ta, tb = tail(a.title) or tail(synopses[a.id]), tail(b.title) or tail(synopses[b.id])
                if not ta or not tb:
                    continue
                same = len(ta & tb) / len(ta | tb) >= SAME_SUBJECT_JACCARD
                out[a.split].append((subject_similarity(a.query, b.query), same))
    return out


def figures(rows, t):
    tp = sum(1 for s, y in rows if s >= t and y)
    fp = sum(1 for s, y in rows if s >= t and not y)
    fn = sum(1 for s, y in rows if s < t and y)
    return {"pairs": len(rows), "same_subject": tp + fn, "listed": tp + fp,
            "precision": round(tp / (tp + fp), 3) if tp + fp else None, "precision_ci95": S.wilson(tp, tp + fp),
            "recall": round(tp / (tp + fn), 3) if tp + fn else None}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    settings = get_settings()
    index = LS.build_index(corpus_law_files(settings.mirror), cache_dir=settings.home / "cache")
    silver = S.build_silver(settings.mirror, index.units)
    from lawgraph.ingest.sitl import ingest_snapshot

    syn = {p.id: p.synopsis or "" for p in ingest_snapshot(settings.mirror / S.SITL_DIR, load_catalog()).proposals}
    rows = pairs(silver, syn)
    train = sorted(rows["train"], key=lambda r: -r[0])
    best = None
    for t in sorted({round(s, 3) for s, _ in train}):
        f = figures(train, t)
        if f["precision"] is not None and f["precision"] >= MIN_PRECISION and f["listed"] >= 10:
            best = (t, f)
            break
    if best is None:
        print("no threshold reaches the precision on train")
        return 1
    t = best[0]
    block = {"command": "python scripts/fit_subject.py --write", "threshold": t,
             "measure": "Dice of content stems (lawgraph.nlp.asks.subject_similarity)",
             "label": f"'en materia de' tails with Jaccard >= {SAME_SUBJECT_JACCARD}", "min_precision": MIN_PRECISION,
             "figures": {sp: figures(rows[sp], t) for sp in S.SPLITS},
             "split_file_sha256": hashlib.sha256(S.SPLIT_FILE.read_bytes()).hexdigest()}
    print(json.dumps(block, indent=1))
    if args.write:
        print(f"written: {write_params('subject', block)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
