"""Compare the shipped ranking weights with those of an earlier commit on a silver split, with a
paired bootstrap interval of the MRR@10 change.

    .venv/bin/python scripts/compare_rankers.py --before 1ec39b7            # silver test
    .venv/bin/python scripts/compare_rankers.py --before 1ec39b7 --split dev
    .venv/bin/python scripts/compare_rankers.py --before HEAD --set w_dense=1.0   # one weight changed

Both paths as scripts/fit_linker.py ranks them: asks (suggestion path: the parameter file's
``weights``) and recommendations (``rec_weights``; the hand-set ``FusionWeights()`` defaults when
the file has none). The earlier weights are read from ``git show <before>:<parameter file>``.
The interval: 5,000 resamples of the asks with replacement, seed ``fit_linker.SEED``.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import fit_linker as F  # noqa: E402

from lawgraph.config import get_settings  # noqa: E402
from lawgraph.evaluation import silver as S  # noqa: E402
from lawgraph.evaluation.links import corpus_law_files  # noqa: E402
from lawgraph.nlp import link_score as LS  # noqa: E402

RESAMPLES = 5000


def weights_of(params: dict, kind: str) -> dict:
    key = "weights" if kind == "sug" else "rec_weights"
    return {**asdict(LS.FusionWeights()), **params.get(key, {})}


def paired_interval(before: list, after: list, seed: int) -> dict:
    rr = lambda ranks: np.array([1 / r if r else 0.0 for r in ranks])  # noqa: E731
    d = rr(after) - rr(before)
    idx = np.random.default_rng(seed).integers(0, len(d), (RESAMPLES, len(d)))
    m = d[idx].mean(axis=1)
    return {"mrr_change": round(float(d.mean()), 4),
            "ci95": [round(float(np.quantile(m, 0.025)), 4), round(float(np.quantile(m, 0.975)), 4)]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--before", required=True, help="the commit whose parameter file is compared")
    ap.add_argument("--split", default="test", choices=["train", "dev", "test"])
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                    help="change a weight of the shipped ones (both paths) before comparing")
    args = ap.parse_args()
    known = set(asdict(LS.FusionWeights()))
    changes = {}
    for item in args.set:
        name, _, value = item.partition("=")
        try:
            if name not in known:
                raise ValueError(f"peso desconocido: {name!r}")
            changes[name] = float(value)
        except ValueError as e:
            print(f"--set {item}: {e}", file=sys.stderr)
            return 2
    rel = F.PARAMS_FILE.relative_to(ROOT).as_posix()
    try:
        old = json.loads(subprocess.run(["git", "show", f"{args.before}:{rel}"], cwd=ROOT, check=True,
                                        capture_output=True, text=True).stdout)
    except subprocess.CalledProcessError as e:
        print(f"{rel} en {args.before}: no se pudo leer ({e.stderr.strip()})", file=sys.stderr)
        return 2
    new = json.loads(F.PARAMS_FILE.read_text(encoding="utf-8"))
    settings = get_settings()
    index = LS.build_index(corpus_law_files(settings.mirror), cache_dir=settings.home / "cache")
    asks = [a for a in S.build_silver(settings.mirror, index.units).asks if a.split == args.split]
    out = {"split": args.split, "asks": len(asks), "before": args.before, "changed": changes}
    for kind in ("sug", "rec"):
        sig = F.Signals(index, asks, kind)
        wb, wa = weights_of(old, kind), {**weights_of(new, kind), **changes}
        out[kind] = {"before": sig.measure(wb), "after": sig.measure(wa), "as": "[MRR@10, recall@5]",
                     **paired_interval(sig.ranks(wb), sig.ranks(wa), F.SEED)}
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
