"""How well the Constitution's history rebuilds an article across a decree whose diff the
record omits (as it omits the DOF 29-01-2016 one): for a seeded sample of decrees that do have
their diff, the diff is dropped from a copy of the record, the history is rebuilt, and the text
of each article it touched, just before it, is compared (words; layout, punctuation and case
ignored) with the text rebuilt from the full record. Prints the figures; changes nothing.

    .venv/bin/python scripts/check_history_bridge.py [--sample 40] [--seed 7]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import tempfile
from pathlib import Path

from lawgraph.config import get_settings
from lawgraph.evaluation.history import words
from lawgraph.ingest.cpeum_history import COMMITS_FILE, HEAD_DIR, read_history


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sample", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    directory = Path(get_settings().mirror) / "reforms" / "cpeum_git_history"
    full = read_history(directory)
    records = (directory / COMMITS_FILE).read_text(encoding="utf-8").splitlines()
    # Decrees before the omitted 2016 one, with a diff, touching at least one article.
    cands = [c for c in full.commits if c.articles and c.dof_date.year < 2016 and c.line not in (5, 232)]
    sample = random.Random(args.seed).sample(cands, min(args.sample, len(cands)))
    right = total = flagged_exact = exact_wrong = approx_right = 0
    for c in sample:
        tmp = Path(tempfile.mkdtemp())
        try:
            os.symlink((directory / HEAD_DIR).resolve(), tmp / HEAD_DIR)
            with open(tmp / COMMITS_FILE, "w", encoding="utf-8") as fh:
                for line in records:
                    rec = json.loads(line)
                    if rec["commit"] == c.commit:
                        rec["unified_diff"] = "(initial import / bulk commit: diff omitted)"
                    fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            bridged = read_history(tmp)
        finally:
            shutil.rmtree(tmp)
        for art in c.articles:
            older = [s for s in full.states.get(art, []) if s.valid_from < c.dof_date]
            if not older:
                continue
            want, got = older[-1], bridged.text_at(art, older[-1].valid_from)
            same = got is not None and words(got.text) == words(want.text)
            total += 1
            right += same
            if got is not None and got.exact:
                flagged_exact += 1
                exact_wrong += not same
            elif same:
                approx_right += 1
    print(f"decrees whose diff was dropped: {len(sample)} (seed {args.seed}); articles rebuilt across "
          f"them: {total}; words exactly right: {right} ({right / total:.1%})")
    print(f"flagged exact: {flagged_exact}, of which wrong: {exact_wrong}; "
          f"flagged approximate: {total - flagged_exact}, of which right: {approx_right}")


if __name__ == "__main__":
    main()
