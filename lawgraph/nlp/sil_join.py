"""Join SIL instruments to the SITL proposals that are the same initiative.

The SITL (Cámara de Diputados) and the SIL (both chambers and the Comisión Permanente) list
the same initiative under different titles ("Proyecto de decreto que reforma …" / "Con
proyecto de decreto por el que se reforma …") and ids. An SIL iniciativa joins the SITL
proposal presented within :data:`DATE_WINDOW_DAYS` days whose title, with the lead formula
removed and folded, scores at least :data:`JOIN_THRESHOLD` (rapidfuzz ``token_sort_ratio``);
each SITL proposal takes at most one instrument, the best-scoring. The joined proposal keeps
its SITL events and gains the SIL stage events (revisora, publication), each with its SIL
source; instruments that join nothing become proposals of their own.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from rapidfuzz import fuzz

from lawgraph.model.process import Proposal, Stage
from lawgraph.nlp.dates import fold

# Fitted by scripts/fit_sil_join.py on the corpus itself (no eval answers): the best title
# score of every SIL iniciativa against SITL proposals presented 57-67 days away (never the same
# presentation, as both systems record the presentation day) is an impostor score; at 95,
# 0.5 % of impostors pass, i.e. ~7 expected false joins among the 673 made (<= 2 %, the
# script's MAX_FALSE); 90 would make 699 joins with ~26 expected false (2026 snapshot).
JOIN_THRESHOLD = 95.0
# Both systems record the day of presentation; the script prints the day difference of the
# joined pairs (664 of 673 on the same day, 9 one day apart, on the 2026 snapshot); 3 days leaves room for a session
# that ends after midnight or a Gaceta dated the next sitting day.
DATE_WINDOW_DAYS = 3

# 'Con proyecto de decreto por el que se reforma', 'Proyecto de decreto que reforma',
# '53. De la Dip. … , con proyecto de decreto …': everything up to the verb is formula.
_LEAD_RE = re.compile(
    r"^.*?\b(?:proyecto\s+de\s+decreto|iniciativa)\b\s*,?\s*(?:por\s+(?:el|medio\s+del)\s+(?:que|cual)\s+se|que\s+se|que|por\s+el\s+que)?\s*")
_EN_MATERIA_RE = re.compile(r"[.;,]\s*$")


def title_key(title: str) -> str:
    """The folded title without its lead formula or final punctuation (what both systems share)."""
    t = fold(" ".join(title.split()))
    t2 = _LEAD_RE.sub("", t, count=1)
    t = t2 if len(t2) > 20 else t
    return _EN_MATERIA_RE.sub("", re.sub(r"[^\w ]+", " ", t)).strip()


def score(a: str, b: str) -> float:
    """Title similarity of two title keys (0-100)."""
    return fuzz.token_sort_ratio(a, b)


@dataclass
class JoinReport:
    """Counts of :func:`join`: instruments read, joined to a SITL proposal, left on their own."""

    instruments: int = 0
    iniciativas: int = 0
    joined: int = 0
    unjoined: int = 0
    pairs: list[tuple[str, str, float]] = field(default_factory=list)   # (sil id, proposal id, score)

    def summary(self) -> str:
        return (f"{self.instruments} instrumentos del SIL ({self.iniciativas} iniciativas): "
                f"{self.joined} unidos a propuestas del SITL, {self.unjoined} sin unir")


def best_matches(sitl: list[Proposal], sil: list[Proposal], *, shift_days: int = 0,
                 window: int = DATE_WINDOW_DAYS) -> list[tuple[int, int, float, int]]:
    """For each SIL iniciativa (index into ``sil``), the best SITL candidate presented within
    ``window`` days of its date + ``shift_days``: (sil index, sitl index, score, day difference).
    ``shift_days`` > 0 gives impostor pairs for fitting the threshold."""
    by_day: dict = defaultdict(list)
    keys = [title_key(p.title) for p in sitl]
    for k, p in enumerate(sitl):
        if p.date_presented:
            by_day[p.date_presented].append(k)
    out = []
    for i, q in enumerate(sil):
        if q.kind != "iniciativa" or q.date_presented is None:
            continue
        qk = title_key(q.title)
        best = None
        for d in range(-window, window + 1):
            day = q.date_presented + timedelta(days=shift_days + d)
            for k in by_day.get(day, ()):
                s = score(qk, keys[k])
                if best is None or s > best[2]:
                    best = (i, k, s, d)
        if best:
            out.append(best)
    return out


def merge(p: Proposal, q: Proposal) -> Proposal:
    """The SITL proposal ``p`` with what the SIL instrument ``q`` adds: its stage events beyond
    presentation and turn (those the SITL already records), its SIL id and source."""
    extra = [e for e in q.events if e.stage not in (Stage.PRESENTADA, Stage.TURNADA_COMISION)
             or e.chamber not in (None, "diputados", "comision_permanente")]
    return p.model_copy(update={
        "events": [*p.events, *extra], "sil_ids": [*p.sil_ids, *q.sil_ids],
        "sources": [*p.sources, *q.sources],
        "status": "publicada" if q.status == "publicada" else p.status})


def join(sitl: list[Proposal], sil: list[Proposal]) -> tuple[list[Proposal], JoinReport]:
    """All proposals: the SITL ones (joined ones enriched) followed by the unjoined SIL ones."""
    rep = JoinReport(instruments=len(sil), iniciativas=sum(q.kind == "iniciativa" for q in sil))
    taken: dict[int, tuple[int, float]] = {}
    for i, k, s, _d in best_matches(sitl, sil):
        if s >= JOIN_THRESHOLD and (k not in taken or s > taken[k][1]):
            taken[k] = (i, s)
    out = list(sitl)
    used: set[int] = set()
    for k, (i, s) in taken.items():
        out[k] = merge(sitl[k], sil[i])
        used.add(i)
        rep.pairs.append((sil[i].sil_ids[0], sitl[k].id, s))
    rep.joined = len(used)
    rest = [q for i, q in enumerate(sil) if i not in used]
    rep.unjoined = len(rest)
    return out + rest, rep
