"""Equivalent provisions across jurisdictions: rank, align, calibrate, say "none".

For a provision (an article or a fracción) of one law, every other jurisdiction's provisions
are ranked by a TF-IDF cosine over folded, crudely stemmed content words; each candidate
carries its evidence (the runs of words it shares with the query, as character spans of the
candidate's text) and a calibrated probability that it is the corresponding provision:

    p = 1 / (1 + exp(-(A + B * cosine)))          (A, B fitted by scripts/fit_equivalence.py)

A jurisdiction whose best candidate has p < 0.5 gets the answer "none" (no equivalent).
The calibration data are built from the corpus, never from the hand-checked answers: pairs of
provisions of different jurisdictions whose printed names agree (the article titles of the two
state penal codes, 'Principio de legalidad'; the defined terms of the women's laws, 'Violencia
psicológica:'), with the name removed from both texts. A pair's positive example is the true
counterpart's cosine; its negative example is the best cosine of any other provision, which is
what a jurisdiction without the provision would offer.

Pure functions over parsed laws (no graph access): ``nlp`` stays below ``graph``.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from lawgraph.model.law import ParsedLaw, Unit

# Fitted by scripts/fit_equivalence.py (logistic regression of "is the counterpart" on the
# cosine) on the 228 silver pairs it builds from the corpus (2026-12-06: counterpart first for
# 210/228; at p >= 0.5 present kept 187/228, absent answered 'none' 208/228, threshold cosine
# 0.528). Rerun it after changing the tokeniser or the corpus.
CALIBRATION_A = -4.906
CALIBRATION_B = 9.299
THRESHOLD = 0.5          # p at or above which a candidate is an equivalent (calibrated: even odds)

_WORD_RE = re.compile(r"[a-zñ]+")
# Function words of legal Spanish that carry no subject matter (closed list, written by hand).
STOPWORDS = frozenset("""
a al ante bajo cabe con contra de del desde durante en entre hacia hasta mediante para por segun
sin so sobre tras y e ni o u que el la los las lo un una unos unas su sus se le les este esta estos
estas ese esa esos esas aquel aquella cual cuales quien quienes cuyo cuya como cuando donde mas
muy ya no si sea sean ser sera seran es son fue han ha haya hayan sido otro otra otros otras
todo toda todos todas cada mismo misma mismos mismas dicho dicha asi tambien siguiente siguientes
presente articulo articulos fraccion fracciones parrafo ley codigo estado caso casos
""".split())


def fold(text: str) -> str:
    """Lower case without accents ('ñ' kept)."""
    text = text.lower().replace("ñ", "\0")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return text.replace("\0", "ñ")


def stem(word: str) -> str:
    """A crude Spanish stem: plural and gender endings off, then the first 7 letters."""
    for suf in ("mente", "ciones", "cion", "es", "s", "a", "o"):
        if word.endswith(suf) and len(word) - len(suf) >= 4:
            word = word[: -len(suf)]
            break
    return word[:7]


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(stem, start, end) of each content word of ``text``."""
    folded = fold(text)
    return [(stem(m.group(0)), m.start(), m.end()) for m in _WORD_RE.finditer(folded)
            if len(m.group(0)) > 2 and m.group(0) not in STOPWORDS]


@dataclass(frozen=True)
class Provision:
    """An article or a fracción of a parsed law, with where it is printed."""

    jurisdiction: str
    law: str                      # law key
    file: str
    article: str
    fraction: str | None
    text: str
    page: int | None
    start: int
    end: int
    sha256: str
    in_force: str | None = None          # the text's last reform (ISO), as the document states it
    note_dates: tuple[str, ...] = ()     # dates of the reform notes on the unit (ISO, sorted)
    unit_id: str | None = None           # its provision version id, when read from the graph

    @property
    def label(self) -> str:
        return f"art. {self.article}" + (f" fr. {self.fraction}" if self.fraction else "")


def provisions(parsed: ParsedLaw, jurisdiction: str, law: str) -> list[Provision]:
    """Every non-repealed article (whole text) and fracción of a law."""
    out: list[Provision] = []

    in_force = parsed.ultima_reforma.isoformat() if parsed.ultima_reforma else None

    def make(u: Unit, article: str, fraction: str | None) -> Provision:
        dates = sorted({d.isoformat() for n in u.reform_notes for d in n.dates})
        return Provision(jurisdiction, law, parsed.file, article, fraction, u.full_text(),
                         u.source.page, u.source.start, u.source.end, parsed.sha256, in_force,
                         tuple(dates))

    for a in parsed.articles:
        if a.repealed:
            continue
        out.append(make(a, a.label, None))
        for f in a.fracciones():
            if not f.repealed:
                out.append(make(f, a.label, f.label))
    return out


@dataclass
class Candidate:
    provision: Provision
    cosine: float
    probability: float
    evidence: list[dict] = field(default_factory=list)   # aligned spans

    def to_dict(self) -> dict:
        p = self.provision
        return {"jurisdiction": p.jurisdiction, "law": p.law, "file": p.file, "article": p.article,
                "fraction": p.fraction, "cosine": round(self.cosine, 4), "in_force": p.in_force,
                "score": round(self.probability, 4), "page": p.page, "sha256": p.sha256,
                "evidence": self.evidence}


def calibrated(cosine: float, a: float = CALIBRATION_A, b: float = CALIBRATION_B) -> float:
    return 1.0 / (1.0 + math.exp(-(a + b * cosine)))


class EquivalenceIndex:
    """TF-IDF vectors of every provision, grouped by jurisdiction; IDF over all of them."""

    def __init__(self, items: list[Provision]):
        self.items = items
        self.tok = [[t for t, _, _ in tokens(p.text)] for p in items]
        df: Counter[str] = Counter()
        for ts in self.tok:
            df.update(set(ts))
        n = max(1, len(items))
        self.idf = {t: math.log((n + 1) / (c + 1)) + 1.0 for t, c in df.items()}
        self.default_idf = math.log(n + 1) + 1.0
        self.vecs = [self.vector(ts) for ts in self.tok]
        self.by_juris: dict[str, list[int]] = {}
        for i, p in enumerate(items):
            self.by_juris.setdefault(p.jurisdiction, []).append(i)

    def vector(self, toks: list[str]) -> dict[str, float]:
        tf = Counter(toks)
        v = {t: (1.0 + math.log(c)) * self.idf.get(t, self.default_idf) for t, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}

    def cosines(self, text: str, jurisdiction: str) -> list[tuple[int, float]]:
        q = self.vector([t for t, _, _ in tokens(text)])
        out = []
        for i in self.by_juris.get(jurisdiction, []):
            v = self.vecs[i]
            small, big = (q, v) if len(q) < len(v) else (v, q)
            out.append((i, sum(x * big.get(t, 0.0) for t, x in small.items())))
        out.sort(key=lambda x: -x[1])
        return out

    def rank(self, text: str, jurisdiction: str, k: int = 5) -> list[Candidate]:
        out = []
        for i, cos in self.cosines(text, jurisdiction)[:k]:
            p = self.items[i]
            out.append(Candidate(p, cos, calibrated(cos), aligned_spans(text, p.text)))
        return out


def aligned_spans(query: str, target: str, min_words: int = 3) -> list[dict]:
    """Runs of at least ``min_words`` content words the two texts share, in the target's order:
    each with the target's character span and text (the evidence shown to a person)."""
    q = [t for t, _, _ in tokens(query)]
    t = tokens(target)
    grams = {tuple(q[i:i + min_words]) for i in range(len(q) - min_words + 1)}
    spans: list[tuple[int, int]] = []
    i = 0
    while i <= len(t) - min_words:
        if tuple(x[0] for x in t[i:i + min_words]) in grams:
            j = i + min_words
            while j < len(t) and tuple(x[0] for x in t[j - min_words + 1:j + 1]) in grams:
                j += 1
            spans.append((t[i][1], t[j - 1][2]))
            i = j
        else:
            i += 1
    return [{"start": a, "end": b, "text": target[a:b]} for a, b in spans]


def answer(index: EquivalenceIndex, text: str, jurisdictions: list[str], k: int = 5,
           threshold: float = THRESHOLD) -> dict[str, dict]:
    """For each jurisdiction: its ranked candidates and the verdict ('found' with the best
    candidate, or 'none' when no candidate reaches the threshold)."""
    out = {}
    for j in jurisdictions:
        cands = index.rank(text, j, k)
        best = cands[0] if cands else None
        out[j] = {"verdict": "found" if best and best.probability >= threshold else "none",
                  "candidates": [c.to_dict() for c in cands]}
    return out


@dataclass(frozen=True)
class PairCandidate:
    """A suggested equivalence between articles of two jurisdictions (machine output: a
    person confirms or rejects it)."""

    query: Provision
    target: Provision
    cosine: float
    probability: float
    evidence_from: list[dict]          # spans of the query's text shared with the target
    evidence_to: list[dict]            # spans of the target's text shared with the query


# How the pairs of :func:`article_pairs` are found (stored on the link as its ``method``).
PAIR_METHOD = "tfidf-coseno-calibrado"


def article_pairs(index: EquivalenceIndex, query_jurisdictions: set[str],
                  threshold: float = THRESHOLD) -> list[PairCandidate]:
    """For every article of ``query_jurisdictions``, its best article in each other
    jurisdiction when the calibrated score reaches ``threshold``. Scores go through an inverted
    index over the articles (a query costs the postings of its own words, not a pass over
    every provision), summed by numpy in the postings' order; one pair per unordered couple of
    articles, the better-scored direction. Among equal scores the article met first in the
    query's postings wins, as in the plain-Python loop this replaced. Compared with that loop on
    the corpus's file index (``equivalences.cached_index``, the three states against the rest):
    the same 643 pairs in the same order, 8.9 s -> 1.9 s."""
    import numpy as np

    arts = [i for i, p in enumerate(index.items) if p.fraction is None]
    lists: dict[str, tuple[list[int], list[float]]] = {}
    for i in arts:
        for t, x in index.vecs[i].items():
            rows, vals = lists.setdefault(t, ([], []))
            rows.append(i)
            vals.append(x)
    postings = {t: (np.array(r, dtype=np.int64), np.array(v, dtype=np.float64)) for t, (r, v) in lists.items()}
    n = len(index.items)
    by_juris: dict[str, np.ndarray] = {}
    for i in arts:
        by_juris.setdefault(index.items[i].jurisdiction, []).append(i)
    by_juris = {j: np.array(r, dtype=np.int64) for j, r in by_juris.items()}
    first = np.zeros(n, dtype=np.int64)
    best: dict[tuple[int, int], PairCandidate] = {}
    for qi in arts:
        q = index.items[qi]
        if q.jurisdiction not in query_jurisdictions:
            continue
        hits = [(postings[t], x) for t, x in index.vecs[qi].items() if t in postings]
        if not hits:
            continue
        rows = np.concatenate([r for (r, _v), _x in hits])
        scores = np.bincount(rows, weights=np.concatenate([v * x for (_r, v), x in hits]), minlength=n)
        met, at = np.unique(rows, return_index=True)
        seen = np.zeros(n, dtype=bool)
        seen[met] = True
        first[met] = at
        tops = []                      # (where the jurisdiction was first met, its best article)
        for j, cands in by_juris.items():
            if j == q.jurisdiction:
                continue
            cands = cands[seen[cands]]
            if not len(cands):
                continue
            s = scores[cands]
            tied = cands[s == s.max()]
            tops.append((int(first[cands].min()), int(tied[np.argmin(first[tied])])))
        for _met, ti in sorted(tops):
            cos = float(scores[ti])
            p = calibrated(cos)
            if p < threshold:
                continue
            key = (min(qi, ti), max(qi, ti))
            if key in best and best[key].probability >= p:
                continue
            t = index.items[ti]
            best[key] = PairCandidate(q, t, cos, p, aligned_spans(t.text, q.text), aligned_spans(q.text, t.text))
    return sorted(best.values(), key=lambda c: -c.probability)
