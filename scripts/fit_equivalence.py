"""Fit the calibration of lawgraph.nlp.equivalence on silver pairs built from the corpus.

Silver pairs: two provisions of different jurisdictions whose printed *names* agree and are
unique in each jurisdiction — an article's title ('ARTÍCULO 1. Principio de legalidad.', as
the two state penal codes print them) or a fracción's defined term ('I. Violencia
psicológica: …', as the women's laws print them). The name is cut from the query text, so the
match rests on the provision's content. For each pair (query q of jurisdiction J1, counterpart
t of J2), ranking q's text against every provision of J2 gives:

* a positive example: t's cosine (the provision exists);
* a negative example: the best cosine of a provision outside t's article (what the ranking
  would offer if J2 lacked the provision).

A one-feature logistic regression (label ~ cosine) gives CALIBRATION_A and CALIBRATION_B.
No hand-checked answer of ../shared/eval is read. Prints the figures; does not edit code.

    .venv/bin/python scripts/fit_equivalence.py
"""
from __future__ import annotations

import math
import re
import sys
from collections import Counter

from lawgraph.equivalences import corpus_index
from lawgraph.nlp.equivalence import fold

# A name is short: at most this many words (article titles of the penal codes run 2-6 words).
MAX_NAME_WORDS = 6
# Names that are too generic to say which provision a text is ('Definiciones', 'Objeto').
MIN_NAME_CHARS = 12

_ART_NAME_RE = re.compile(r"^(?:ART[IÍ]CULO|Art[ií]culo)\s+\S+(?:\s+(?:BIS|Bis|bis|TER|Ter|ter))?\s*[.\-–:]+\s*(?P<name>[^.]{3,80})\.?\s*$")
_FR_NAME_RE = re.compile(r"^[IVXLC]+\s*[.)\-–]+\s*(?P<name>[^:.;]{3,60}?)\s*(?::|\.-)\s")


def name_of(p) -> str | None:
    first = p.text.split("\n", 1)[0]
    if p.fraction is None:
        m = _ART_NAME_RE.match(first)
        if not m or "\n" not in p.text:
            return None
    else:
        m = _FR_NAME_RE.match(first)
        if not m:
            return None
    name = m.group("name").strip()
    if len(name.split()) > MAX_NAME_WORDS or len(name) < MIN_NAME_CHARS:
        return None
    return " ".join(re.sub(r"[^a-zñ ]", " ", fold(name)).split())


def silver_pairs(index, keep=None):
    """(query index, counterpart index, name) of provisions (those ``keep`` admits, all by
    default) whose names agree and are unique in both jurisdictions."""
    names: dict[str, dict[str, list[int]]] = {}
    for i, p in enumerate(index.items):
        if keep is not None and not keep(p):
            continue
        n = name_of(p)
        if n:
            names.setdefault(p.jurisdiction, {}).setdefault(n, []).append(i)
    pairs = []
    juris = sorted(names)
    for a in juris:
        for b in juris:
            if a == b:
                continue
            for n, qs in names[a].items():
                ts = names[b].get(n)
                if len(qs) == 1 and ts and len(ts) == 1:
                    pairs.append((qs[0], ts[0], n))
    return pairs


def fit(xs: list[float], ys: list[int], steps: int = 20000, lr: float = 0.5) -> tuple[float, float]:
    a = b = 0.0
    n = len(xs)
    for _ in range(steps):
        ga = gb = 0.0
        for x, y in zip(xs, ys):
            p = 1.0 / (1.0 + math.exp(-(a + b * x)))
            ga += p - y
            gb += (p - y) * x
        a -= lr * ga / n
        b -= lr * gb / n
    return a, b


def fit_and_count(xs: list[float], ys: list[int]) -> tuple[float, float, int, int]:
    """The fit, with how many positives it keeps (p >= 0.5) and negatives it leaves apart."""
    a, b = fit(xs, ys)
    pos_ok = sum(1 for x, y in zip(xs, ys) if y == 1 and a + b * x >= 0)
    neg_ok = sum(1 for x, y in zip(xs, ys) if y == 0 and a + b * x < 0)
    return a, b, pos_ok, neg_ok


def main() -> int:
    index = corpus_index()
    pairs = silver_pairs(index)
    by = Counter((index.items[q].jurisdiction, index.items[t].jurisdiction) for q, t, _ in pairs)
    print(f"silver pairs: {len(pairs)} {dict(by)}")
    xs: list[float] = []
    ys: list[int] = []
    top1 = 0
    for q, t, name in pairs:
        qp, tp = index.items[q], index.items[t]
        text = re.sub(re.escape(name), " ", fold(qp.text), count=1)
        ranked = index.cosines(text, tp.jurisdiction)
        pos = next(c for i, c in ranked if i == t)
        neg = next((c for i, c in ranked if not (index.items[i].file == tp.file and index.items[i].article == tp.article)), 0.0)
        top1 += ranked[0][0] == t or (index.items[ranked[0][0]].file == tp.file and index.items[ranked[0][0]].article == tp.article)
        xs += [pos, neg]
        ys += [1, 0]
    a, b, pos_ok, neg_ok = fit_and_count(xs, ys)
    print(f"counterpart ranked first (same article): {top1}/{len(pairs)}")
    print(f"CALIBRATION_A = {a:.3f}\nCALIBRATION_B = {b:.3f}  (threshold cosine {-a / b:.4f})")
    print(f"at p>=0.5: present kept {pos_ok}/{len(pairs)}, absent said 'none' {neg_ok}/{len(pairs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
