"""True text at a date: the Constitution's text the system answers on many (article, date)
pairs, compared with its decree history (``reforms/cpeum_git_history``).

Two checks, both over pairs drawn from the history itself with a fixed seed:

* **agreement**: the words answered for (article, date) equal the words of the true state of
  that article on that date as git replays the record (:mod:`lawgraph.evaluation.history_truth`,
  not our rebuild); the comparison ignores layout, punctuation and case. Dates are drawn
  uniformly between the first and the last decree date of the history, ``per_article`` dates
  per article. Pairs split into: equal; wrong (answered as exact or flagged approximate); and
  *unknown* (the record cannot say: before the DOF 29-01-2016 decree, whose diff it omits, in
  parts of an article that decree changed and no older diff shows) -- those must be flagged
  approximate, never shown as the text in force.
* **evidence**: for every hunk of every decree's diff (``decree_hunks``), the words of its
  new side must occur, in order and contiguous, in the text answered on the decree's date,
  and those of its old side in the text answered the day before. This check does not rely on
  the rebuilt texts at all: it reads the record. Days on which several decrees touched the
  same article are left out (a hunk of the first one may be rewritten by the second).

``answer(article, day)`` is passed in (the CLI gives the graph's :func:`find_article`), so
this module does not import the graph.
"""
from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any, Callable

from lawgraph.evaluation.history_truth import Truth
from lawgraph.ingest.cpeum_history import CpeumHistory, DatedHunk

# Fixed so that every run draws the same pairs (any value would do; this is the day the
# complete history arrived).
DEFAULT_SEED = 20261206
# Dates per article: 136 articles x 8 = 1,088 pairs, about 30 s on the embedded store.
DEFAULT_PER_ARTICLE = 8

WORD_RE = re.compile(r"\w+")

Answer = Callable[[str, date], "tuple[str, bool] | None"]   # (text, approximate) or None


def words(text: str) -> list[str]:
    """The words of a text: case folded, punctuation and layout dropped."""
    return WORD_RE.findall(text.casefold())


def contains(hay: list[str], needle: list[str]) -> bool:
    """``needle`` occurs in ``hay`` as a contiguous run of words."""
    if not needle:
        return True
    n = len(needle)
    first = needle[0]
    return any(hay[i:i + n] == needle for i in range(len(hay) - n + 1) if hay[i] == first)


def sample_pairs(hist: CpeumHistory, *, seed: int = DEFAULT_SEED,
                 per_article: int = DEFAULT_PER_ARTICLE) -> list[tuple[str, date]]:
    """(article, date) pairs: for each article of the history, ``per_article`` dates drawn
    uniformly over the history's span (first to last decree date)."""
    days = sorted(c.dof_date for c in hist.commits)
    start, end = min(days[0], date(1917, 2, 5)), days[-1]
    span = (end - start).days
    rng = random.Random(seed)
    arts = sorted(hist.states, key=lambda a: (len(a), a))
    return [(a, start + timedelta(days=rng.randint(0, span))) for a in arts for _ in range(per_article)]


@dataclass
class HistoryEval:
    pairs: int = 0
    equal: int = 0                      # answered words == true words
    answered: int = 0
    approximate: int = 0                # answers flagged approximate
    known: int = 0                      # pairs whose true text the record determines
    wrong_exact: int = 0                # known, answered as exact, words differ
    wrong_flagged: int = 0              # known, flagged approximate, words differ
    unknown_flagged: int = 0            # the record cannot say; answer flagged approximate
    unknown_unflagged: int = 0          # the record cannot say; answer shown as exact (a fault)
    evidence_checked: int = 0
    evidence_agree: int = 0
    wrong: list[dict[str, Any]] = field(default_factory=list)
    evidence_wrong: list[dict[str, Any]] = field(default_factory=list)
    wrong_by_article: dict[str, int] = field(default_factory=dict)
    unknown_articles: list[str] = field(default_factory=list)

    @property
    def agreement(self) -> float:
        """Equal pairs among all pairs (a pair the record cannot settle counts as not equal)."""
        return self.equal / self.pairs if self.pairs else 0.0

    @property
    def agreement_known(self) -> float:
        """Equal pairs among the pairs whose true text the record determines."""
        return self.equal / self.known if self.known else 0.0

    @property
    def evidence_agreement(self) -> float:
        return self.evidence_agree / self.evidence_checked if self.evidence_checked else 0.0

    def to_dict(self, limit: int = 20) -> dict[str, Any]:
        d = asdict(self)
        d["wrong"], d["evidence_wrong"] = self.wrong[:limit], self.evidence_wrong[:limit]
        d["agreement"] = round(self.agreement, 4)
        d["agreement_known"] = round(self.agreement_known, 4)
        d["evidence_agreement"] = round(self.evidence_agreement, 4)
        return d


def evaluate(hist: CpeumHistory, truth: Truth, hunks: list[DatedHunk], answer: Answer, *,
             seed: int = DEFAULT_SEED, per_article: int = DEFAULT_PER_ARTICLE,
             evidence: bool = True) -> HistoryEval:
    """Run both checks; ``answer`` is called once per (article, date) asked. ``hist`` gives
    only the articles and the span to draw from; the true text comes from ``truth``."""
    res = HistoryEval()
    cache: dict[tuple[str, date], tuple[str, bool] | None] = {}

    def ask(art: str, day: date) -> tuple[str, bool] | None:
        if (art, day) not in cache:
            cache[(art, day)] = answer(art, day)
        return cache[(art, day)]

    wrong_by: Counter[str] = Counter()
    unknown: set[str] = set()
    for art, day in sample_pairs(hist, seed=seed, per_article=per_article):
        ref = truth.at(art, day)
        got = ask(art, day)
        res.pairs += 1
        flagged = bool(got and got[1])
        if got:
            res.answered += 1
            res.approximate += flagged
        if ref is not None and not ref.known:
            unknown.add(art)
            if flagged:
                res.unknown_flagged += 1
            else:
                res.unknown_unflagged += 1
                res.wrong.append({"article": art, "date": day.isoformat(), "unknown": True,
                                  "approximate": False})
            continue
        res.known += 1
        want = words(ref.text or "") if ref else None
        have = words(got[0]) if got else None
        if want == have:
            res.equal += 1
            continue
        wrong_by[art] += 1
        if flagged:
            res.wrong_flagged += 1
        else:
            res.wrong_exact += 1
        res.wrong.append({"article": art, "date": day.isoformat(),
                          "words_expected": len(want) if want is not None else None,
                          "words_answered": len(have) if have is not None else None,
                          "approximate": flagged})
    res.wrong_by_article = dict(wrong_by.most_common())
    res.unknown_articles = sorted(unknown, key=lambda a: (len(a), a))
    if evidence:
        per_day = Counter((h.article, h.dof_date, h.line) for h in hunks)
        lines_per_day = Counter((a, d) for a, d, _l in per_day)
        for h in hunks:
            if lines_per_day[(h.article, h.dof_date)] > 1:
                continue
            for side, day in (("new", h.dof_date), ("old", h.dof_date - timedelta(days=1))):
                want = words(getattr(h, side))
                if not want:
                    continue
                got = ask(h.article, day)
                res.evidence_checked += 1
                if got and contains(words(got[0]), want):
                    res.evidence_agree += 1
                else:
                    res.evidence_wrong.append({"article": h.article, "date": day.isoformat(),
                                               "side": side, "commit_line": h.line,
                                               "words": " ".join(want[:20])})
    return res


def format_report(res: HistoryEval) -> str:
    """Spanish summary for people."""
    unknown = res.unknown_flagged + res.unknown_unflagged
    lines = [
        f"Pares (artículo, fecha): {res.pairs}; texto igual al del historial: {res.equal} "
        f"({res.agreement:.1%}); respondidos {res.answered}, marcados como aproximados {res.approximate}.",
        f"Pares cuyo texto el historial determina: {res.known}; iguales {res.equal} "
        f"({res.agreement_known:.1%}); distintos sin marca de aproximado {res.wrong_exact}, "
        f"distintos marcados como aproximados {res.wrong_flagged}.",
        f"Pares que el historial no permite saber (antes del decreto del 29-01-2016, cuyo diff "
        f"falta): {unknown}; marcados como aproximados {res.unknown_flagged}, mostrados como "
        f"vigentes sin serlo {res.unknown_unflagged}.",
    ]
    if res.evidence_checked:
        lines.append(f"Constancia de los diffs (palabras antes y después de cada decreto): "
                     f"{res.evidence_agree} de {res.evidence_checked} ({res.evidence_agreement:.1%}).")
    if res.wrong_by_article:
        top = ", ".join(f"art. {a}: {n}" for a, n in list(res.wrong_by_article.items())[:10])
        lines.append(f"Artículos con pares distintos: {top}.")
    if res.unknown_articles:
        lines.append("Artículos con pares que el historial no permite saber: "
                     + ", ".join(res.unknown_articles) + ".")
    return "\n".join(lines)
