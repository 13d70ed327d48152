"""Element-level comparison across jurisdictions and coverage of a topic.

``compare("CPF art 325")``: the provision's counterpart in every other jurisdiction (the best
equivalent article, :mod:`lawgraph.nlp.equivalence`), then its enumerated elements (fracciones,
in every list of the article) aligned element with element: a row per element with each
jurisdiction's corresponding element or nothing, and each element's text and source
(document, page, date in force). ``coverage("violencia vicaria")``: which jurisdictions
define a topic, where, and since when (the dates of the defining provision's reform notes).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lawgraph.errors import InputError
from lawgraph.ids import normalise_article_label
from lawgraph.nlp.equivalence import THRESHOLD, EquivalenceIndex, Provision, calibrated, fold

_REF_RE = re.compile(
    r"^\s*(?P<law>[A-Za-z][A-Za-z0-9._-]*)\s+(?:art(?:[íi]culo)?\.?)\s*(?P<article>\d+(?:\s*[A-Za-zÁÉÍÓÚáéíóú]+)*?)"
    r"(?:\s*,?\s*fr(?:acc?(?:i[óo]n)?)?\.?\s*(?P<fraction>[IVXLC]+(?:\s+Bis)?))?\s*$")


@dataclass(frozen=True)
class Ref:
    law: str
    article: str
    fraction: str | None


def parse_ref(text: str) -> Ref:
    m = _REF_RE.match(text)
    if not m:
        raise InputError(None, f"referencia no reconocida: {text!r}; ejemplos: \"CPF art 325\", "
                               f"\"mx-dgo-cp art 147 bis\", \"LGAMVLV art 6 fr. II\"")
    return Ref(m.group("law").lower(), normalise_article_label(m.group("article")), m.group("fraction"))


def find(index: EquivalenceIndex, ref: Ref) -> int:
    for i, p in enumerate(index.items):
        if p.law == ref.law and p.article == ref.article and p.fraction == ref.fraction:
            return i
    raise InputError(None, f"no se encontró {ref.law} art. {ref.article}"
                           + (f" fr. {ref.fraction}" if ref.fraction else "") + " en las leyes del corpus")


def _source(p: Provision) -> dict:
    return {"file": p.file, "page": p.page, "sha256": p.sha256, "start": p.start, "end": p.end,
            "in_force": p.in_force}


# Calibration of an element pair (two fracciones of counterpart articles), fitted by
# scripts/fit_element_threshold.py on 94 element pairs built from the corpus (fracciones whose
# defined names agree, the name cut from the query; negative: the best other fracción of the
# partner's article). 2026-12-06: partner above every other element 89/94; at p >= 0.5 partners
# kept 79/94, other elements left apart 84/94 (threshold cosine 0.443). Rerun it after changing
# the tokeniser, element_core or the corpus.
ELEMENT_A = -4.215
ELEMENT_B = 9.513


def element_score(cosine: float) -> float:
    """Calibrated probability that two elements say the same thing."""
    return calibrated(cosine, ELEMENT_A, ELEMENT_B)


# A list item inside an element ('a) …', '1. …'): part of the element; any other paragraph after
# the first is running text of the article that the layout left inside its last fracción
# (the penalty after the list of circumstances), not part of the element.
_ITEM_RE = re.compile(r"^(?:[a-zñ]\)|\d{1,2}\.\s)")


def element_core(p: Provision) -> str:
    if p.fraction is None:
        return p.text
    paras = p.text.split("\n")
    keep = [paras[0]]
    for para in paras[1:]:
        if not _ITEM_RE.match(para):
            break
        keep.append(para)
    return "\n".join(keep)


def _element(p: Provision) -> dict:
    return {"article": p.article, "fraction": p.fraction, "text": element_core(p), "source": _source(p)}


def _elements(index: EquivalenceIndex, p: Provision) -> list[int]:
    """Indices of the fracciones of ``p``'s article (its enumerated elements), in order."""
    return [i for i, x in enumerate(index.items)
            if x.file == p.file and x.article == p.article and x.fraction is not None]


def _best_article(index: EquivalenceIndex, text: str, jurisdiction: str) -> tuple[int, float] | None:
    """The best-ranked provision of ``jurisdiction``, lifted to its whole article."""
    for i, cos in index.cosines(text, jurisdiction)[:1]:
        p = index.items[i]
        art = next(j for j, x in enumerate(index.items)
                   if x.file == p.file and x.article == p.article and x.fraction is None)
        return art, cos
    return None


def compare(index: EquivalenceIndex, ref_text: str, jurisdictions: list[str] | None = None) -> dict:
    ref = parse_ref(ref_text)
    qi = find(index, ref)
    q = index.items[qi]
    others = [j for j in (jurisdictions or sorted(index.by_juris)) if j != q.jurisdiction]
    unknown = [j for j in others if j not in index.by_juris]
    if unknown:
        raise InputError(None, f"jurisdicción sin leyes en el corpus: {', '.join(unknown)} "
                               f"(hay: {', '.join(sorted(index.by_juris))})")
    counterparts: dict[str, dict] = {}
    for j in others:
        best = _best_article(index, q.text, j)
        if best is None or calibrated(best[1]) < THRESHOLD:
            counterparts[j] = {"verdict": "none", "score": round(calibrated(best[1]), 4) if best else None}
            continue
        a = index.items[best[0]]
        counterparts[j] = {"verdict": "found", "score": round(calibrated(best[1]), 4),
                           "law": a.law, **_element(a)}
    q_el = _elements(index, q) if q.fraction is None else [qi]
    rows = [{"elements": {q.jurisdiction: _element(index.items[i])}} for i in q_el]
    for j, cp in counterparts.items():
        if cp["verdict"] != "found":
            continue
        art = next(i for i, x in enumerate(index.items)
                   if x.file == cp["source"]["file"] and x.article == cp["article"] and x.fraction is None)
        t_el = _elements(index, index.items[art])
        pairs = []
        for r, qe in enumerate(q_el):
            qv = index.vector([t for t, _, _ in _toks(element_core(index.items[qe]))])
            for te in t_el:
                tv = index.vector([t for t, _, _ in _toks(element_core(index.items[te]))])
                cos = sum(x * tv.get(t, 0.0) for t, x in qv.items())
                pairs.append((cos, r, te))
        pairs.sort(key=lambda x: -x[0])
        used_r: set[int] = set()
        used_t: set[int] = set()
        for cos, r, te in pairs:
            if r in used_r or te in used_t or element_score(cos) < THRESHOLD:
                continue
            used_r.add(r)
            used_t.add(te)
            rows[r]["elements"][j] = {**_element(index.items[te]), "score": round(element_score(cos), 4)}
        for te in t_el:
            if te not in used_t:
                rows.append({"elements": {j: _element(index.items[te])}})
    juris = [q.jurisdiction] + others
    for row in rows:
        row["missing_in"] = [j for j in juris if j not in row["elements"]
                             and counterparts.get(j, {}).get("verdict", "found") == "found"]
    return {"query": {"law": q.law, "jurisdiction": q.jurisdiction, **_element(q)},
            "jurisdictions": juris, "counterparts": counterparts, "rows": rows}


def _toks(text: str):
    from lawgraph.nlp.equivalence import tokens

    return tokens(text)


def compare_csv(result: dict) -> str:
    """One line per aligned element: for each jurisdiction its label, text and source."""
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf)
    juris = result["jurisdictions"]
    w.writerow([f"{j} {col}" for j in juris for col in ("artículo", "fracción", "texto", "página", "vigente desde")])
    for row in result["rows"]:
        line = []
        for j in juris:
            e = row["elements"].get(j)
            line += ([e["article"], e["fraction"] or "", " ".join(e["text"].split()), e["source"]["page"] or "",
                      e["source"]["in_force"] or ""] if e else ["", "", "no tiene", "", ""])
        w.writerow(line)
    return buf.getvalue()


def _load_topics() -> dict[str, tuple[str, ...]]:
    """The topic vocabulary (lawgraph/data/coverage_topics.jsonl): for each topic the folded
    phrases that name or describe it in the laws, the naming phrase first; each row says why."""
    import json
    from pathlib import Path

    path = Path(__file__).parent / "data" / "coverage_topics.jsonl"
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out[" ".join(fold(row["topic"]).split())] = tuple(" ".join(fold(p).split()) for p in row["phrases"])
    return out


TOPICS = _load_topics()

# How much of a provision's text is its opening (where a definition or an offence names its
# subject: 'I. Violencia digital: …', 'Comete el delito de feminicidio …'): the longest
# defined-term opening of the corpus women's laws fits well inside 200 characters (a stated
# bound, not fitted).
OPENING_CHARS = 200


def _tier(text: str, phrases: tuple[str, ...]) -> int | None:
    """0: the opening of the (folded) text names the topic (its first phrase: a definition or
    an offence); 1: the opening describes it (another phrase); 2: the text mentions it further
    on; None: absent."""
    head = text[:OPENING_CHARS]
    if phrases[0] in head:
        return 0
    if any(ph in head for ph in phrases):
        return 1
    if any(ph in text for ph in phrases):
        return 2
    return None


def coverage(index: EquivalenceIndex, topic: str) -> dict:
    """For each jurisdiction: the provisions (fracciones of definitions and articles) whose text
    names or describes the topic, the defining ones first, then the earliest by their
    reform-note dates; or 'no consta' with the versions checked."""
    key = " ".join(fold(topic).split())
    phrases = TOPICS.get(key, (key,))
    # every provision folded once per index (kept on it), not once per topic asked
    folded = index.__dict__.setdefault("_folded", [fold(p.text) for p in index.items])
    out = {}
    for j in sorted(index.by_juris):
        hits = []
        checked = {}
        for i in index.by_juris[j]:
            p = index.items[i]
            checked[p.file] = p.in_force
            tier = _tier(folded[i], phrases)
            if tier is not None:
                hits.append((tier, p))
        hits.sort(key=lambda h: (h[0], h[1].fraction is None, h[1].note_dates[:1] or ("9999",)))
        if hits:
            best = hits[0][1]
            dates = best.note_dates or next((x.note_dates for x in (index.items[k] for k in index.by_juris[j])
                                            if x.file == best.file and x.article == best.article
                                            and x.fraction is None), ())
            out[j] = {"present": True, "since": dates[0] if dates else None,
                      "provisions": [{"law": p.law, **_element(p), "note_dates": list(p.note_dates),
                                      "match": ("define", "describe", "menciona")[t]}
                                     for t, p in hits[:5]]}
        else:
            out[j] = {"present": False, "since": None, "checked": [{"file": f, "in_force": d} for f, d in sorted(checked.items())]}
    return {"topic": topic, "phrases": list(phrases), "jurisdictions": out}
