"""Status questions over proposals: where is every proposal on a subject, law or article?

Pure functions over :class:`lawgraph.model.process.Proposal` lists (the API and the graph
layer reuse them). Filters compose: ``find_proposals(props, law="LGAMVLV", stage="turnada_comision",
pending_days=180, as_of=date(2026, 6, 7))``.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable

from lawgraph.ids import normalise_article_label, slug
from lawgraph.model.process import FINAL_STAGES, STAGE_ORDER, Event, Proposal, Stage
from lawgraph.nlp.dates import fold


def _words(text: str) -> set[str]:
    return set(fold(text).replace(",", " ").replace(".", " ").split())


def by_topic(props: Iterable[Proposal], keyword: str) -> list[Proposal]:
    """Proposals whose title or synopsis contains every word of ``keyword`` (accents and case
    folded; a word matches as a prefix, so 'feminicid' finds 'feminicidio' and 'feminicida')."""
    words = fold(keyword).split()
    out = []
    for p in props:
        hay = fold(f"{p.title} {p.synopsis}")
        toks = hay.split()
        if all(any(t.startswith(w) for t in toks) for w in words):
            out.append(p)
    return out


def by_law(props: Iterable[Proposal], law_key: str) -> list[Proposal]:
    key = law_key.upper()
    return [p for p in props if any((t.law_key or "").upper() == key for t in p.targets)]


def by_article(props: Iterable[Proposal], law_key: str, article: str) -> list[Proposal]:
    """Proposals that name this article of this law ('4o.' and '4' are the same article)."""
    key, art = law_key.upper(), normalise_article_label(article)
    return [p for p in props
            if any((t.law_key or "").upper() == key and art in t.articles for t in p.targets)]


def by_committee(props: Iterable[Proposal], committee: str) -> list[Proposal]:
    """By committee name or key ('Igualdad de Género' / 'igualdad-de-genero')."""
    key = slug(fold(committee))
    return [p for p in props if any(c.key == key for c in p.committees)]


def by_party(props: Iterable[Proposal], party: str) -> list[Proposal]:
    want = fold(party).strip()
    return [p for p in props if any(fold(x.party or "") == want for x in p.proponents)]


def by_stage(props: Iterable[Proposal], stage: Stage | str) -> list[Proposal]:
    """Proposals whose furthest stage is ``stage``."""
    st = Stage(stage)
    return [p for p in props if p.stage == st]


def pending_since(p: Proposal) -> date | None:
    """Date the proposal entered its current, unfinished stage (None when final or undated)."""
    if p.stage in FINAL_STAGES:
        return None
    dated = [e for e in p.events if e.date is not None and e.stage == p.stage]
    if dated:
        return max(e.date for e in dated)  # type: ignore[type-var]
    return p.date_presented


def pending_longer_than(props: Iterable[Proposal], days: int, as_of: date,
                        stage: Stage | str | None = Stage.TURNADA_COMISION) -> list[Proposal]:
    """Unfinished proposals waiting more than ``days`` days in ``stage`` (default: in committee)
    as of ``as_of``, oldest first."""
    out = []
    for p in props:
        if stage is not None and p.stage != Stage(stage):
            continue
        since = pending_since(p)
        if since is not None and (as_of - since).days > days:
            out.append(p)
    out.sort(key=lambda p: pending_since(p) or as_of)
    return out


def find_proposals(props: Iterable[Proposal], *, topic: str | None = None, law: str | None = None,
                   article: str | None = None, committee: str | None = None, party: str | None = None,
                   stage: Stage | str | None = None, pending_days: int | None = None,
                   as_of: date | None = None) -> list[Proposal]:
    """All filters at once (each one optional); ``article`` needs ``law``."""
    res = list(props)
    if topic:
        res = by_topic(res, topic)
    if law and article:
        res = by_article(res, law, article)
    elif law:
        res = by_law(res, law)
    elif article:
        raise ValueError("para filtrar por artículo indique también la ley (por ejemplo LGAMVLV)")
    if committee:
        res = by_committee(res, committee)
    if party:
        res = by_party(res, party)
    if pending_days is not None:
        res = pending_longer_than(res, pending_days, as_of or date.today(), stage)
    elif stage:
        res = by_stage(res, stage)
    return res


@dataclass(frozen=True)
class TimelineEntry:
    """One dated line of a proposal's history, with where it was read."""

    date: date | None
    stage: Stage
    detail: str | None
    source: str                         # 'file:line'


def timeline(p: Proposal) -> list[TimelineEntry]:
    """The proposal's events in order (by date, then along the legislative path)."""
    def key(e: Event):
        return (e.date or date.max, STAGE_ORDER[e.stage])
    return [TimelineEntry(e.date, e.stage, e.detail, f"{e.source.file}:{e.source.line}")
            for e in sorted(p.events, key=key)]


def summarise(props: Iterable[Proposal]) -> dict[str, dict[str, int]]:
    """Counts by stage, party and law key (for `lawgraph status` without filters)."""
    out: dict[str, dict[str, int]] = {"stage": {}, "party": {}, "law": {}}
    for p in props:
        out["stage"][p.stage.value] = out["stage"].get(p.stage.value, 0) + 1
        for x in p.proponents:
            k = x.party or x.kind
            out["party"][k] = out["party"].get(k, 0) + 1
        for t in p.targets:
            k = t.law_key or "(sin clave)"
            out["law"][k] = out["law"].get(k, 0) + 1
    return out
