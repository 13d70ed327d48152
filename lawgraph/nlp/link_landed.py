"""Linker stage 4, the landed check: did a suggestion's ask become law, by which decree.

Text reuse (rapidfuzz) re-scores the head of a suggestion's ranking; ``decide_landed`` then asks
of the top candidates that a decree dated after the ask enacted their words and that those
words carry what was asked. See docs/linking.md.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from lawgraph.errors import InputError
from lawgraph.model.recs import LinkCandidate, Span, Suggestion
from lawgraph.nlp.link_query import (
    Query,
    _covered,
    _legal_terms,
    check_query,
    query_of,
    thesaurus_matches,
)
from lawgraph.nlp.link_score import (
    ASK_WEIGHTS,
    LinkIndex,
    _aggregate,
    _candidates,
    _encode_queries,
    _query_vec_texts,
    _rrf,
    _Scored,
    fitted_params,
    score_units,
    weights_for,
)
from lawgraph.nlp.link_units import ProvisionUnit
from lawgraph.nlp.rerank import rerank_head, shipped_reranker
from lawgraph.nlp.textnorm import fold, terms

# Figures a suggestion asks for ('al 5%', '45 días', 'cinco por ciento'): the landed check
# wants the same figure in the provision.
FIGURE_RE = re.compile(
    r"""
    (?P<num>\d+(?:[.,]\d+)?)\s*      # a number
    (?P<unit>%|por\s+ciento|d[ií]as|semanas|meses|a[nñ]os|horas)  # with what it counts
    """,
    re.VERBOSE | re.IGNORECASE,
)

# The request part of a suggestion: what follows 'Pedimos/Proponemos/Exigimos que …', 'Que …'.
REQUEST_RE = re.compile(
    r"""
    (?:pedimos|proponemos|exigimos|solicitamos|demandamos|urge|debe[n]?|tiene\s+que|que\s+sea|que\s+la\s+ley)
    """,
    re.VERBOSE | re.IGNORECASE,
)

NUM_WORDS = {"uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7, "ocho": 8,
             "nueve": 9, "diez": 10, "quince": 15, "veinte": 20, "treinta": 30, "cuarenta": 40,
             "cuarenta y cinco": 45, "cincuenta": 50, "sesenta": 60, "noventa": 90}


# --------------------------------------------------------------------------------------------
# Suggestions: text reuse and the landed decision
# --------------------------------------------------------------------------------------------
@dataclass
class LandedDecision:
    """Whether a suggestion's ask is in an enacted provision, and by which decree."""

    landed: bool
    to_id: str | None = None
    law: str | None = None
    article: str | None = None
    fraction: str | None = None
    dof_date: date | None = None
    decree_id: str | None = None
    note: str | None = None
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    # The fitted check (``LandedModel``): its probability, and the sentence of the enacted text
    # that carries most of the ask with its character span in that text.
    probability: float | None = None
    evidence: str = ""
    evidence_span: tuple[int, int] | None = None
    # Other provisions the same decree enacted that also carry the ask (passing the same
    # checks): one ask often lands in several places at once (a definition in one article,
    # the duty it creates in another).
    also: list["LandedDecision"] = field(default_factory=list)

    def sites(self) -> list["LandedDecision"]:
        """Every provision the ask landed in: the first one, then the others of its decree."""
        return [self, *self.also] if self.landed else []


# Reform-note actions that put words in the text (a repeal or a renumbering does not).
_ENACTING = re.compile(r"adicionad|reformad|agregad|incorporad|modificad", re.IGNORECASE)
MAX_YEARS_TO_LAND = 12
MIN_REQUEST_TERMS = 10             # a shorter request part refers back to the text before it


def _figures(text: str) -> set[tuple[str, str]]:
    out = set()
    t = fold(text)
    for m in FIGURE_RE.finditer(t):
        unit = "%" if "ciento" in m.group("unit") or m.group("unit") == "%" else m.group("unit")[:3]
        out.add((m.group("num").replace(",", "."), unit))
    for wname, n in NUM_WORDS.items():
        for m in re.finditer(rf"\b{wname}\s+(por\s+ciento|dias|semanas|meses|anos|horas)\b", t):
            unit = "%" if "ciento" in m.group(1) else m.group(1)[:3]
            out.add((str(n), unit))
    return out


def _request_part(text: str) -> str:
    m = REQUEST_RE.search(text)
    return text[m.start():] if m else text


def _reuse(q: str, unit_text: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.token_set_ratio(fold(q), fold(unit_text)) / 100.0


@dataclass
class SuggestionCheck:
    """Thresholds of the second-stage landed check (documented in the module docstring)."""

    min_score: float = 1.5
    min_request_cover: float = 0.18
    min_relative: float = 0.9        # a landed candidate scores at least this share of the first
    top_n: int = 5
    subject_min_idf: float = 4.5     # legal terms at least this specific name the ask's subject
    min_subject_cover: float = 0.5
    sibling_ratio: float = 0.85     # a sibling unit competes when it scores this close to the best
    # The fitted check: when set, a landing site's probability under this model decides, and the
    # thresholds above other than ``top_n`` and ``sibling_ratio`` are not used (they are the
    # model's features instead). None: the threshold rules (``scripts/fit_linker.py`` calibrates them).
    model: "LandedModel | None" = None


# What the fitted check measures of a landing site (a top candidate's unit whose words a decree
# dated after the ask enacted); ``scripts/fit_landed.py`` fits one weight per feature.
FEATURES = (
    "inv_rank",        # 1 / the candidate's rank
    "rel_score",       # its score / the first candidate's score
    "score",           # its fused ranking score
    "cover",           # share of the request's terms the enacted words carry (thesaurus-aware)
    "sentence_cover",  # the same, in the enacted text's best-matching sentence
    "subject_cover",   # share of the ask's specific legal terms in the enacted words (1 when none)
    "figure_ok",       # 1 unless the ask names a figure the enacted words lack
    "reuse",           # rapidfuzz token-set similarity of the request and the enacted words
    "cos",             # dense cosine (multilingual encoder) of the ask and the enacted unit
)
LANDED_PARAMS_FILE = Path(__file__).with_name("patterns") / "landed_params.json"
RANKINGS = ("linear", "shown")


@dataclass(frozen=True)
class LandedModel:
    """Logistic regression over standardised ``FEATURES`` with its decision threshold, as
    written by ``scripts/fit_landed.py`` (which records how and on what it was fitted)."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    # Which of a suggestion's rankings the model was fitted on and so reads: "linear" (the
    # fusion's order) or "shown" (re-ordered by the learned reranker, as the page and
    # ``suggest show`` list them). Files written before the choice existed were linear.
    ranking: str = "linear"

    def probability(self, feats: dict[str, float]) -> float:
        x = np.array([feats[f] for f in FEATURES], dtype=np.float64)
        z = float(np.dot((x - np.array(self.mean)) / np.array(self.scale), np.array(self.coef)) + self.intercept)
        return float(1.0 / (1.0 + np.exp(-z)))

    @classmethod
    def load(cls, path: Path = LANDED_PARAMS_FILE) -> "LandedModel | None":
        """The shipped model (None when the file does not exist). A file that does not hold
        one weight per feature raises InputError naming it."""
        if not path.is_file():
            return None
        try:
            d = json.loads(path.read_text(encoding="utf-8"))
            m = d["model"]
            if list(m["features"]) != list(FEATURES):
                raise ValueError("features")
            ranking = m.get("ranking", "linear")
            if ranking not in RANKINGS:
                raise ValueError(f"ranking {ranking!r}")
            return cls(tuple(m["mean"]), tuple(m["scale"]), tuple(m["coef"]), float(m["intercept"]),
                       float(m["threshold"]), ranking)
        except (json.JSONDecodeError, KeyError, ValueError, TypeError) as e:
            raise InputError(path, f"modelo de aterrizaje ilegible o de otras variables ({e})") from None


# The fitted model when ``scripts/fit_landed.py --write`` has written it; the threshold rules
# calibrated by ``scripts/fit_linker.py`` otherwise.
DEFAULT_CHECK = SuggestionCheck(**fitted_params().get("landed", {}), model=LandedModel.load())


def _enacting_notes(u: ProvisionUnit, after: date | None) -> list[tuple[date, str, str, str]]:
    rows = []
    for d, text, dec, words_ in u.notes:
        if not _ENACTING.search(text):
            continue
        if after and not (after <= d <= date(after.year + MAX_YEARS_TO_LAND, 12, 31)):
            continue
        rows.append((d, text, dec, words_))
    return sorted(rows)


def decide_landed(index: LinkIndex, q: Query, cands: list[LinkCandidate],
                  check: SuggestionCheck = DEFAULT_CHECK, fused: np.ndarray | None = None,
                  cos: np.ndarray | None = None) -> LandedDecision:
    """Second stage: the candidate's text was enacted after the ask and carries what was asked.
    With a fitted model (``check.model``) the sites' probabilities decide (``decide_fitted``);
    ``cos``: the ask's dense cosine with every unit (``score_units``' parts), for the model."""
    if check.model is not None:
        return decide_fitted(index, q, cands, check, fused, cos)
    by_uid = index.stats.get("_by_uid")
    if by_uid is None:
        by_uid = index.stats["_by_uid"] = {u.uid: u for u in index.units}
    asked_figs = _figures(q.text)
    req_text = _request_part(q.text)
    if len(set(terms(req_text))) < MIN_REQUEST_TERMS:
        # 'Eso tiene que ser delito federal': the ask points back at what the text described
        req_text = q.text
    req = set(terms(req_text))
    req_phrases = thesaurus_matches(req_text)
    reasons: list[str] = []
    passing: list[tuple[date, float, float, LandedDecision]] = []
    members = index.article_units()
    top = cands[0].score if cands else 0.0
    for c in cands[: check.top_n]:
        u = by_uid[c.to_id]
        if c.score < check.min_score:
            reasons.append(f"{u.law_key} {u.article}: puntuación {c.score:.2f} < {check.min_score}")
            continue
        # A candidate well behind the first is a neighbouring subject that happens to have been
        # reformed since (a feminicide ask about Congress's powers is not the penal code's reform).
        if c.score < check.min_relative * top:
            reasons.append(f"{u.law_key} {u.article}: puntuación {c.score:.2f} lejos de la primera ({top:.2f})")
            continue
        # Within the article, the unit enacted after the ask that says most of what was asked.
        best = None
        row = {x.uid: j for j in members[u.article_key] for x in [index.units[j]]}[u.uid]
        for j in members[u.article_key]:
            v = index.units[j]
            if v.provision_id != u.provision_id and v.fraction is None:
                continue            # the article unit of another version
            # only units the retrieval also found close to the best one
            if j != row and (fused is None or fused[j] < check.sibling_ratio * fused[row]):
                continue
            # what was asked must be in the words the dated note enacted, not only near them
            for note in _enacting_notes(v, q.day):
                cov = len(_covered(req, req_phrases, set(terms(note[3])))) / max(1, len(req))
                if best is None or cov > best[0] + 1e-9 or (abs(cov - best[0]) < 1e-9 and v.uid == u.uid):
                    best = (cov, v, [note])
        if best is None:
            reasons.append(f"{u.law_key} {u.article}: su texto no cambió después de la petición")
            continue
        cover, u, notes = best
        if cover < check.min_request_cover:
            reasons.append(f"{u.law_key} {u.article}: cubre {cover:.0%} de lo pedido")
            continue
        # The legal subject the ask names ('feminicidio', 'acoso', 'ejidos': specific terms of the
        # bilingual legal terminology) must be in the enacted words: a reform of a neighbouring
        # subject in the same list is not the ask landing.
        subj = {t for t in req & _legal_terms() if index.bm25.idf.get(t, 0.0) >= check.subject_min_idf}
        if subj:
            got = len(subj & set(terms(notes[0][3]))) / len(subj)
            if got < check.min_subject_cover:
                reasons.append(f"{u.law_key} {u.article}: el texto promulgado no nombra {', '.join(sorted(subj))}")
                continue
        if asked_figs and not (asked_figs & _figures(notes[0][3])):
            reasons.append(f"{u.law_key} {u.article}: la cifra pedida no está en el texto")
            continue
        d, note, dec, _ = notes[0]
        passing.append((d, -cover, -c.score, LandedDecision(True, u.uid, u.law_key, u.article, u.fraction, d,
                                                    dec or None, note, c.score, reasons)))
    if not passing:
        return LandedDecision(False, reasons=reasons)
    # Where the ask landed first: the earliest decree after it among the candidates that pass.
    # One decree often enacts several candidates (LGDNNA 47 VIII and 105 IV, 2021): the one
    # that says more of what was asked comes first, the others of that decree with it.
    passing.sort(key=lambda p: (p[0], p[1], p[2]))
    first = passing[0][3]
    seen = {first.to_id}
    for _, _, _, d in passing[1:]:
        if d.dof_date == first.dof_date and d.decree_id == first.decree_id and d.to_id not in seen:
            seen.add(d.to_id)
            first.also.append(d)
    return first


# --------------------------------------------------------------------------------------------
# The fitted check: landing sites, their features, the decision
# --------------------------------------------------------------------------------------------
# Sentences (or clauses of a long list item) of an enacted text: the unit of evidence shown.
_SENTENCE_RE = re.compile(r"[^.;:]+(?:[.;:]|$)")


def best_sentence(req: set[str], phrases: list, text: str) -> tuple[float, str, tuple[int, int] | None]:
    """(share of ``req`` covered, sentence, its (start, end) in ``text``): the sentence of an
    enacted text that carries most of the asked terms (ties: the shorter)."""
    best: tuple[float, int, str, tuple[int, int] | None] = (0.0, 0, "", None)
    for m in _SENTENCE_RE.finditer(text):
        sent = m.group(0).strip()
        if not sent:
            continue
        got = len(_covered(req, phrases, set(terms(sent)))) / max(1, len(req))
        if got > best[0] or (got == best[0] and best[3] is not None and len(sent) < best[1]):
            start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip()))
            best = (got, len(sent), sent, (start, start + len(sent)))
    return best[0], best[2], best[3]


@dataclass
class LandingSite:
    """A top candidate's unit whose words a decree dated after the ask enacted, with the
    features the fitted check weighs."""

    rank: int
    candidate: LinkCandidate
    unit: ProvisionUnit
    note: tuple[date, str, str, str] | None   # (DOF date, reform note, decree id, enacted words)
    features: dict[str, float]
    evidence: str = ""
    evidence_span: tuple[int, int] | None = None


def _ask_parts(q: Query) -> tuple[set[str], list, set[tuple[str, str]]]:
    req_text = _request_part(q.text)
    if len(set(terms(req_text))) < MIN_REQUEST_TERMS:
        req_text = q.text          # 'Eso tiene que ser delito federal': the ask points back
    return set(terms(req_text)), thesaurus_matches(req_text), _figures(q.text)


def landing_sites(index: LinkIndex, q: Query, cands: list[LinkCandidate], check: SuggestionCheck = DEFAULT_CHECK,
                  fused: np.ndarray | None = None, cos: np.ndarray | None = None,
                  unchanged: bool = False) -> list[LandingSite]:
    """Every top-``check.top_n`` candidate whose article holds a unit enacted after the ask (the
    unit the retrieval also found close to the candidate's, or the candidate's own), one site
    per candidate: the unit and enacting note whose words carry most of the ask. ``unchanged``:
    also the other top candidates, measured on their own unit's text with no note (the fit
    learns from them which candidate is the ask's provision)."""
    by_uid = index.stats.get("_by_uid")
    if by_uid is None:
        by_uid = index.stats["_by_uid"] = {u.uid: u for u in index.units}
    rows = index.stats.get("_row_of")
    if rows is None:
        rows = index.stats["_row_of"] = {u.uid: i for i, u in enumerate(index.units)}
    req, phrases, figs = _ask_parts(q)
    subj = {t for t in req & _legal_terms() if index.bm25.idf.get(t, 0.0) >= check.subject_min_idf}
    members = index.article_units()
    # the best score in the list: the first's on the linear ranking; on the shown one the
    # reranker may have put a lower-scoring article first
    top = max((c.score for c in cands), default=0.0)
    out: list[LandingSite] = []
    for r, c in enumerate(cands[: check.top_n], 1):
        u = by_uid[c.to_id]
        row = rows[u.uid]
        best = None
        for j in members[u.article_key]:
            v = index.units[j]
            if v.provision_id != u.provision_id and v.fraction is None:
                continue
            if j != row and (fused is None or fused[j] < check.sibling_ratio * fused[row]):
                continue
            for note in _enacting_notes(v, q.day):
                cov = len(_covered(req, phrases, set(terms(note[3])))) / max(1, len(req))
                if best is None or cov > best[0] + 1e-9 or (abs(cov - best[0]) < 1e-9 and v.uid == u.uid):
                    best = (cov, j, v, note)
        if best is None:
            if not unchanged:
                continue
            best = (len(_covered(req, phrases, set(terms(u.text)))) / max(1, len(req)), row, u, None)
        cov, j, v, note = best
        enacted = note[3] if note else v.text
        sent_cov, sent, span = best_sentence(req, phrases, enacted)
        got_subj = len(subj & set(terms(enacted))) / len(subj) if subj else 1.0
        feats = {
            "inv_rank": 1.0 / r,
            "rel_score": c.score / top if top > 0 else 0.0,
            "score": float(c.score),
            "cover": cov,
            "sentence_cover": sent_cov,
            "subject_cover": got_subj,
            "figure_ok": 0.0 if figs and not (figs & _figures(enacted)) else 1.0,
            "reuse": _reuse(" ".join(sorted(req)), " ".join(terms(enacted))),
            "cos": float(cos[j]) if cos is not None else 0.0,
        }
        out.append(LandingSite(r, c, v, note, feats, sent, span))
    return out


def decide_fitted(index: LinkIndex, q: Query, cands: list[LinkCandidate], check: SuggestionCheck,
                  fused: np.ndarray | None = None, cos: np.ndarray | None = None) -> LandedDecision:
    """The fitted check: a site lands when the model's probability reaches its threshold; among
    those, the earliest decree wins (ties: the more probable), and the other sites that decree
    enacted and that pass too are named with it."""
    model = check.model
    assert model is not None
    reasons: list[str] = []
    passing: list[tuple[date, float, LandedDecision]] = []
    sites = landing_sites(index, q, cands, check, fused, cos)
    with_site = {s.candidate.to_id for s in sites}
    by_uid = index.stats["_by_uid"]
    for c in cands[: check.top_n]:
        if c.to_id not in with_site:
            u = by_uid[c.to_id]
            reasons.append(f"{u.law_key} {u.article}: su texto no cambió después de la petición")
    for s in sites:
        p = model.probability(s.features)
        assert s.note is not None
        u, (d, note, dec, _w) = s.unit, s.note
        if p < model.threshold:
            reasons.append(f"{u.law_key} {u.article}: probabilidad {p:.2f} < {model.threshold:.2f}")
            continue
        passing.append((d, -p, LandedDecision(True, u.uid, u.law_key, u.article, u.fraction, d, dec or None, note,
                                              s.candidate.score, reasons, probability=round(p, 4),
                                              evidence=s.evidence, evidence_span=s.evidence_span)))
    if not passing:
        return LandedDecision(False, reasons=reasons)
    passing.sort(key=lambda t: (t[0], t[1]))
    first = passing[0][2]
    seen = {first.to_id}
    for _, _, d in passing[1:]:
        if d.dof_date == first.dof_date and d.decree_id == first.decree_id and d.to_id not in seen:
            seen.add(d.to_id)
            first.also.append(d)
    return first


def link_suggestion(index: LinkIndex, sug: Suggestion | Query, k: int = 10,
                    check: SuggestionCheck = DEFAULT_CHECK) -> tuple[list[LinkCandidate], LandedDecision]:
    """Candidates for one suggestion and the landed decision (see module doc)."""
    q = query_of(sug)
    check_query(q)
    sc = score_units(index, q, _encode_queries(index, _query_vec_texts(q)))
    return _suggestion_result(index, q, sc, k, check)


def _suggestion_result(index: LinkIndex, q: Query, sc: _Scored, k: int,
                       check: SuggestionCheck) -> tuple[list[LinkCandidate], LandedDecision]:
    cands, fused, shown = _suggestion_rankings(index, q, sc, k)
    # the landed check reads the ranking its model was fitted on (scripts/fit_landed.py
    # --ranking): the one shown, re-ordered by the reranker, so that the verdict speaks of the
    # provisions a person sees first; the linear one for the threshold rules and older models
    read = shown if check.model is not None and check.model.ranking == "shown" else cands
    return _with_landing(index, q, shown, decide_landed(index, q, read, check, fused, sc.parts.get("cos")))


def suggestion_ranking(index: LinkIndex, q: Query, sc: _Scored, k: int, ranking: str = "linear"
                       ) -> tuple[list[LinkCandidate], np.ndarray]:
    """A suggestion's article candidates and the fused unit scores they come from: under the
    linear fusion (``ranking`` "linear"), or as ``link_suggestion`` shows them ("shown":
    re-ordered by the learned reranker where it applies)."""
    if ranking not in RANKINGS:
        raise ValueError(f"ranking must be one of {RANKINGS}, not {ranking!r}")
    cands, fused, shown = _suggestion_rankings(index, q, sc, k, rerank=ranking == "shown")
    return (shown if ranking == "shown" else cands), fused


def _suggestion_rankings(index: LinkIndex, q: Query, sc: _Scored, k: int, rerank: bool = True
                         ) -> tuple[list[LinkCandidate], np.ndarray, list[LinkCandidate]]:
    """(linear candidates, fused unit scores, candidates as shown: re-ordered by the learned
    reranker when it applies, else the linear ones)."""
    # Text reuse re-scores the head of the ranking: the enacted wording often takes up the ask's.
    top = np.argsort(-sc.fused)[:200]
    reuse = np.zeros_like(sc.fused)
    for i in top:
        reuse[i] = _reuse(q.text, index.units[i].text)
    w = weights_for(index, q.kind)
    if w.fusion == "sum":
        med = float(np.median(reuse[top]))
        reuse_n = np.clip((reuse - med) / (float(reuse[top].max()) - med + 1e-6), 0, None)
        fused = sc.fused + w.s_reuse * reuse_n
    else:
        fused = sc.fused + w.w_reuse * _rrf(reuse, w.rrf_k) * (w.rrf_k + 1) / (w.w_bm25 + w.w_dense + w.w_ctx)
    sc2 = _Scored(fused, dict(sc.parts, reuse=reuse))
    ranked = _aggregate(index, fused, k, w)
    linear = _candidates(index, q, sc2, k, ranked)
    rr = shipped_reranker("sug") if rerank else None
    if rr is None or w.fusion != "sum" or w != ASK_WEIGHTS or q.lang != "es":
        return linear, fused, linear
    # The learned reranker re-orders the head of the linear ranking: it was fitted on Spanish
    # asks ranked under the shipped ask weights, so it applies there only. Articles past the head
    # keep their linear order; each candidate keeps its linear score (the thresholds' scale).
    ranked = rerank_head(rr, index, _aggregate(index, fused, max(k, rr.head), w), fused, sc.parts, reuse_n, q)
    return linear, fused, _candidates(index, q, sc2, k, ranked[:k])


def _with_landing(index: LinkIndex, q: Query, cands: list[LinkCandidate],
                  decision: LandedDecision) -> tuple[list[LinkCandidate], LandedDecision]:
    if decision.landed:
        # The second stage may have settled on a sibling unit (the fracción the decree enacted):
        # the article's candidate now points there, with the decree (each landing site).
        by_uid = {u.uid: u for u in index.units}
        site_of: dict[tuple[str | None, str | None], LandedDecision] = {}
        for d in decision.sites():
            site_of.setdefault((d.law, d.article), d)
        out = []
        for c in cands:
            d = site_of.get(by_uid[c.to_id].article_key)
            if d is not None:
                upd = {"to_id": d.to_id, "decree_id": d.decree_id,
                       "link_id": LinkCandidate.make_id(q.item_id, d.to_id),
                       "method": c.method.rstrip(")") + "+landed)"}
                # the enacted words that carry the ask come first in the evidence shown
                at = by_uid[d.to_id].text.find(d.evidence) if d.evidence else -1
                if at >= 0:
                    sent = Span(start=at, end=at + len(d.evidence), text=d.evidence)
                    upd["evidence_to"] = [sent, *[sp for sp in c.evidence_to if sp.text != d.evidence]]
                c = c.model_copy(update=upd)
            out.append(c)
        cands = out
    return cands, decision


