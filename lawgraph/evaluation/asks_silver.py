"""A labelled sample for the asks classifier (issue 10, point 4), built from the corpus.

The CLADEM compilation prints the recommendation part of each paragraph in bold in the
observation sets that use bold (its footnote says so, or bold runs through at least a quarter of
the set's paragraphs: the same test as the reader, ``lawgraph.ingest.recommendations._emit``).
In those sets a paragraph or lettered item with bold is an **ask**, one without is **context**.
A paragraph with lettered items is left out (its items are labelled, its lead-in alone is not a
paragraph of its own). Sets without bold give no labels (counted).

The classifier (:func:`lawgraph.nlp.asks.classify`) sees the paragraph's text with the bold
marks removed (and the chapeau of a lettered item), so the labels do not leak into its input.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from lawgraph.evaluation.silver import wilson
from lawgraph.nlp.asks import classify

CLADEM_DIR = Path("un_recommendations") / "cladem_mexico"
# The reader's test for a set that marks recommendations in bold (``_emit``: 25 % of paragraphs).
BOLD_SET_SHARE = 0.25


def labelled_asks(mirror: str | Path, recs: Sequence[Any] | None = None) -> tuple[list[tuple[Any, bool]], Counter]:
    """(recommendation, is ask) for the CLADEM paragraphs of bold-marking sets, and counts."""
    from lawgraph.ingest.recommendations import read_cladem_dir

    base = Path(mirror) / CLADEM_DIR
    if recs is None:
        recs, _, _ = read_cladem_dir(base)
    texts: dict[str, str] = {}
    counts: Counter = Counter()
    by_doc: dict[str, list[tuple[Any, bool]]] = defaultdict(list)
    parents = {r.parent for r in recs if r.parent}
    for r in recs:
        f = r.source.file
        if f not in texts:
            texts[f] = (base / Path(f).name).read_text(encoding="utf-8")
        raw = texts[f][r.source.start:r.source.end]
        by_doc[r.document].append((r, "**" in raw))
    out: list[tuple[Any, bool]] = []
    for doc, rows in by_doc.items():
        if sum(b for _, b in rows) < BOLD_SET_SHARE * len(rows):
            counts["sin negritas (conjunto sin etiquetas)"] += len(rows)
            continue
        for r, bold in rows:
            if r.rec_id in parents:
                counts["párrafo con incisos (se etiquetan sus incisos)"] += 1
                continue
            out.append((r, bold))
    counts["etiquetados"] = len(out)
    counts["peticiones"] = sum(b for _, b in out)
    counts["contexto"] = sum(not b for _, b in out)
    return out, counts


def evaluate_asks(labelled: Sequence[tuple[Any, bool]]) -> dict[str, Any]:
    """Precision and recall of the classifier for 'ask' (95 % Wilson intervals), and the
    confusion counts, on the labelled paragraphs."""
    c: Counter = Counter()
    for r, truth in labelled:
        said = classify(r.text, r.chapeau if r.subparagraph else None, r.language).ask
        c[("t" if said == truth else "f") + ("p" if said else "n")] += 1
    tp, fp, fn, tn = c["tp"], c["fp"], c["fn"], c["tn"]
    return {"n": tp + fp + fn + tn, "tp": tp, "fp": fp, "fn": fn, "tn": tn,
            "precision": round(tp / (tp + fp), 3) if tp + fp else None, "precision_ci95": wilson(tp, tp + fp),
            "recall": round(tp / (tp + fn), 3) if tp + fn else None, "recall_ci95": wilson(tp, tp + fn),
            "context_kept_out": round(tn / (tn + fp), 3) if tn + fp else None}
