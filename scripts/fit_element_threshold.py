"""Fit the element-level calibration of lawgraph.comparison on element pairs built from the corpus.

``lawgraph compare`` aligns the fracciones of two counterpart articles one to one by cosine and
leaves an element unpaired ("missing") when its best partner is below a threshold. The
provision-level calibration (scripts/fit_equivalence.py) answers another question (which
article of a whole jurisdiction), so the element threshold is fitted on its own pairs:

* element pairs: two fracciones of different jurisdictions whose defined names agree and are
  unique in each jurisdiction ('I. Violencia psicológica: …' in the women's laws, the named
  circumstances of the penal codes), the name cut from the query element, each reduced to its
  core as the table shows it (:func:`lawgraph.comparison.element_core`);
* a positive example: the partner's cosine;
* a negative example: the best cosine of another fracción of the partner's article, which is
  what the aligner would pair if that article lacked the element.

A one-feature logistic regression (label ~ cosine) gives ELEMENT_A and ELEMENT_B. No
hand-checked answer of ../shared/eval is read. Prints the figures; does not edit code.

    .venv/bin/python scripts/fit_element_threshold.py
"""
from __future__ import annotations

import re
import sys
from collections import Counter

from fit_equivalence import fit_and_count, silver_pairs

from lawgraph.comparison import element_core
from lawgraph.equivalences import corpus_index
from lawgraph.nlp.equivalence import fold, tokens


def element_pairs(index):
    """(query fracción index, partner fracción index, name) for uniquely named fracciones."""
    return silver_pairs(index, keep=lambda p: p.fraction is not None)


def main() -> int:
    index = corpus_index()
    pairs = element_pairs(index)
    by = Counter((index.items[q].jurisdiction, index.items[t].jurisdiction) for q, t, _ in pairs)
    print(f"element pairs: {len(pairs)} {dict(by)}")

    def vec(text: str):
        return index.vector([t for t, _, _ in tokens(text)])

    def cos(u, v):
        return sum(x * v.get(t, 0.0) for t, x in u.items())

    xs: list[float] = []
    ys: list[int] = []
    first = 0
    negatives = 0
    for q, t, name in pairs:
        qp, tp = index.items[q], index.items[t]
        qv = vec(re.sub(re.escape(name), " ", fold(element_core(qp)), count=1))
        pos = cos(qv, vec(element_core(tp)))
        others = [cos(qv, vec(element_core(x))) for i, x in enumerate(index.items)
                  if i != t and x.file == tp.file and x.article == tp.article and x.fraction is not None]
        xs.append(pos)
        ys.append(1)
        if others:
            neg = max(others)
            first += pos > neg
            xs.append(neg)
            ys.append(0)
            negatives += 1
    a, b, pos_ok, neg_ok = fit_and_count(xs, ys)
    print(f"partner above every other element of its article: {first}/{negatives}")
    print(f"ELEMENT_A = {a:.3f}\nELEMENT_B = {b:.3f}  (threshold cosine {-a / b:.4f})")
    print(f"at p>=0.5: partners kept {pos_ok}/{len(pairs)}, other elements left apart {neg_ok}/{negatives}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
