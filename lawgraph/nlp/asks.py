"""Does a recommendation paragraph ask for something? (issue 10, point 4)

Treaty-body observations mix paragraphs that ask the State to act ("El Comité insta al Estado
parte a …", "The Committee recommends …", "Adopt …") with paragraphs that only describe, praise
or worry ("El Comité acoge con satisfacción …", "toma nota …", "Le preocupa …"). Only the first
kind can land in a law, so only they get link candidates.

The rule (general knowledge of how these bodies write, not read off any evaluation answer):

- an **ask** has a request cue: a verb of request or recommendation in the present, past or
  subjunctive ("recomienda", "insta", "exhorta", "pide", "solicita", "alienta", "invita",
  "urge", "reitera su recomendación", "recommends", "urges", "calls upon", "requests",
  "encourages", "invites"), a modal of obligation addressed to the State ("debe", "debería",
  "should", "must"), or, in English, a paragraph that opens with a bare imperative verb (the UPR
  style: "Adopt …", "Ensure …", "Continue …", "Consider …"), or, in Spanish, one that opens
  with an infinitive (the same style in Spanish: "Ratificar …", "Armonizar …");
- a paragraph of a lettered list inherits its chapeau's cue ("El Comité recomienda que el
  Estado parte: a) …");
- everything else is **not an ask** (praise, acknowledgement, concern, description), even when
  it names a law.

Measured on the CLADEM compilation's own marking (its compilers print the recommendation part of
each paragraph in bold in the observation sets that say so: bold = ask, no bold = context) by
``lawgraph.evaluation.asks_silver`` (``evaluate_asks(labelled_asks(mirror))``); the figures are in
docs/linking.md and guarded by tests/test_link_guard.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Spanish request verbs (3rd person present / preterite, and the reiterating formulas).
_ES_REQUEST = re.compile(
    r"""\b(?:
        recomiend[ao]n?|recomend[óo]|reitera(?:n)?\s+(?:su|sus|la|las)\s+recomendaci
      | insta(?:n)?|inst[óo]|exhorta(?:n)?|exhort[óo]|pide(?:n)?|pidi[óo]|solicita(?:n)?|solicit[óo]
      | alienta(?:n)?|alent[óo]|invita(?:n)?|invit[óo]|urge(?:n)?|sugiere(?:n)?|sugiri[óo]
      | hace\s+un\s+llamamiento|exige(?:n)?|anima(?:n)?\s+al\s+estado
    )\b""",
    re.VERBOSE | re.IGNORECASE,
)
# Modal obligation addressed to the State ('el Estado parte debe', 'debería adoptar').
_ES_MODAL = re.compile(r"\b(?:debe(?:r[áa]|r[íi]a)?n?|deber[íi]an|tiene\s+que|es\s+necesario\s+que)\b", re.IGNORECASE)
_EN_REQUEST = re.compile(
    r"""\b(?:
        recommends?|recommended|urges?|urged|calls?\s+(?:up)?on|requests?|requested
      | encourages?|encouraged|invites?|invited|reiterates?\s+its\s+recommendation|suggests?
    )\b""",
    re.VERBOSE | re.IGNORECASE,
)
_EN_MODAL = re.compile(r"\b(?:should|must|ought\s+to)\b", re.IGNORECASE)
# UPR recommendations open with a bare imperative: 'Adopt …', 'Ensure …', 'Continue …'.
_EN_IMPERATIVE = re.compile(
    r"""^\s*(?:\d+[\d.]*\s*)?(?:[a-z]\)\s*)?(?:to\s+)?(?:
        adopt|ensure|continue|consider|take|strengthen|establish|implement|ratify|guarantee|promote
      | step\s+up|combat|eliminate|intensify|redouble|develop|pursue|amend|repeal|enact|review|provide
      | increase|improve|harmoni[sz]e|bring|put|carry|make|accede|withdraw|align|investigate|prevent
      | protect|pass|approve|introduce|allocate|abolish|extend|expand|reinforce|create|undertake|seek
      | respect|raise|adequately|further|fully|effectively|criminali[sz]e|prohibit|accelerate|set\s+up
    )\b""",
    re.VERBOSE | re.IGNORECASE,
)
# The Spanish UPR style: an item that opens with an infinitive ('Ratificar …', 'Armonizar …',
# 'Seguir combatiendo …'); added after the first measurement (docs/linking.md gives both).
_ES_INFINITIVE = re.compile(r"^\s*(?:\d+[\d.]*\s*)?(?:[a-z]\)\s*)?[A-ZÁÉÍÓÚ][a-záéíóúñ]{2,}(?:ar|er|ir)(?:se|lo|la|los|las)?\b")


@dataclass(frozen=True)
class AskVerdict:
    """Whether a paragraph asks something, and the words that say so (None when it does not)."""

    ask: bool
    cue: str | None = None


def classify(text: str, chapeau: str | None = None, lang: str = "es") -> AskVerdict:
    """Ask or not (rules in the module docstring). ``chapeau``: the lead-in of a lettered list."""
    if lang == "en":
        found = _EN_REQUEST.search(text) or _EN_MODAL.search(text) or _EN_IMPERATIVE.search(text)
        if not found and chapeau:
            found = _EN_REQUEST.search(chapeau) or _EN_MODAL.search(chapeau)
    else:
        found = _ES_REQUEST.search(text) or _ES_MODAL.search(text) or _ES_INFINITIVE.search(text)
        if not found and chapeau:
            found = _ES_REQUEST.search(chapeau) or _ES_MODAL.search(chapeau)
    return AskVerdict(True, found.group(0)) if found else AskVerdict(False)


def recommendation_asks(rec) -> AskVerdict:
    """Whether a :class:`lawgraph.model.recs.Recommendation` asks something. A UPR item is a
    recommendation by construction (its report lists only those); a CLADEM paragraph's printed
    recommendation part (bold) is one; otherwise its text (with its chapeau) is classified."""
    if (rec.body or "").upper() == "UPR":
        return AskVerdict(True, "EPU")
    if rec.recommendation_part:
        v = classify(rec.recommendation_part, rec.chapeau, rec.language)
        return AskVerdict(True, v.cue or "parte resolutiva")
    return classify(rec.text, rec.chapeau, rec.language)


# --------------------------------------------------------------------------------------------
# Does an initiative take up an ask? (issue 10, point 5: the suggestion page lists only those)
# --------------------------------------------------------------------------------------------
def subject_similarity(ask: str, other: str) -> float:
    """Dice coefficient of the two texts' content stems (0–1): how much of a subject they share.
    (Chosen over the share of the initiative's stems found in the ask, and over the same share
    weighted by the synopses' IDF: on the silver pairs of ``scripts/fit_subject.py`` those reach
    train precision 0.24 and 0.24 at 0.7 against Dice's 0.55.) Fitted on synopsis pairs of similar
    length: a long ask scores lower, so it lists fewer initiatives rather than wrong ones."""
    from lawgraph.nlp.textnorm import terms

    a, b = set(terms(ask)), set(terms(other))
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


ASKS_PARAMS_FILE = Path(__file__).with_name("patterns") / "asks_params.json"


def _fitted(key: str) -> float | None:
    import json

    from lawgraph.errors import InputError

    if not ASKS_PARAMS_FILE.is_file():
        return None
    try:
        d = json.loads(ASKS_PARAMS_FILE.read_text(encoding="utf-8"))
        return float(d[key]["threshold"]) if key in d else None
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
        raise InputError(ASKS_PARAMS_FILE, f"umbral '{key}' ilegible ({e})") from None


def write_params(key: str, value: dict) -> Path:
    """Set one fitted block of ``asks_params.json`` (the fitting scripts' output), keeping the others."""
    import json

    d = json.loads(ASKS_PARAMS_FILE.read_text(encoding="utf-8")) if ASKS_PARAMS_FILE.is_file() else {}
    d[key] = value
    ASKS_PARAMS_FILE.write_text(json.dumps(d, indent=1) + "\n", encoding="utf-8")
    return ASKS_PARAMS_FILE


def subject_threshold() -> float | None:
    """The fitted threshold of :func:`subject_similarity` (``scripts/fit_subject.py``), None
    when the parameter file does not hold it."""
    return _fitted("subject")


def candidate_threshold(lang: str = "es") -> float | None:
    """The linker score a recommendation's candidate must reach to be shown as one (fitted by
    ``scripts/fit_candidates.py``: for Spanish on the silver asks ranked as recommendations; for
    English, whose scores run on another scale, on the cross-lingual pairs), None when the
    parameter file does not hold it. An English recommendation falls back to the Spanish value
    when the English one is missing."""
    if lang == "en":
        t = _fitted("candidates_en")
        if t is not None:
            return t
    return _fitted("candidates")


def takes_up(ask: str, initiative_text: str, threshold: float | None = None) -> bool:
    """Whether an initiative's synopsis (or title) shares the ask's subject (fitted threshold)."""
    t = subject_threshold() if threshold is None else threshold
    return t is not None and subject_similarity(ask, initiative_text) >= t
