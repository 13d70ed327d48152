"""Legal references in free text: law names, artículo / fracción / inciso references, DOF dates.

Pipeline: ``spacy.blank("es")`` + a ``span_ruler`` whose token patterns are data
(``lawgraph/nlp/patterns/legal_refs.jsonl``, one pattern per line with a versioned ``id``) +
the registered component ``lawgraph_refs_clean_v1`` that keeps the longest non-overlapping
spans and trims trailing connectors ('artículo 6 y' -> 'artículo 6'). Then, in Python:

* a law-name span (head word 'Ley', 'Código', 'Constitución', … and the words after it) is
  cut to the longest prefix the catalogue resolves (:mod:`lawgraph.catalog`, rapidfuzz); a name
  that says it belongs to a state, or text with a state ``jurisdiction_hint``, resolves among
  that state's laws only, so "Ley Estatal del Derecho de las Mujeres a una Vida Libre de
  Violencia" never becomes the federal LGAMVLV; an unresolved name is kept with its raw text;
* 'fracciones I a III del artículo 6 de la Ley …' is assembled into one reference: article 6,
  fracciones I, II, III, and the law;
* English law names (UN documents) come from a data table whose pattern ids are catalogue keys;
* DOF dates are parsed with :func:`lawgraph.nlp.dates.parse_spanish_date`.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from lawgraph.ids import normalise_article_label, roman_to_int

PATTERN_DIR = Path(__file__).resolve().parent / "patterns"
# legal_refs.jsonl: token patterns (articles, fracciones, incisos, law-name heads, DOF dates);
# law_names_en.jsonl: English names of Mexican laws as UN documents write them, each pattern's
# ``id`` being the catalogue key (phrase patterns, matched on lower case).
PATTERN_FILES = ("legal_refs.jsonl", "law_names_en.jsonl")
SPANS_KEY = "legal_refs"
_CONNECTORS = {",", "y", "e", "a", "al", "o", ".", "de", "del", "la", "las", "los", "el", "en", "para", "con", "sobre", "contra"}
# Heads that name a law on their own: in a federal text "la Constitución" is the CPEUM (the
# catalogue resolves the word; with a state hint, that state's constitution if it knows one).
_SELF_NAMING_HEADS = {"constitución", "constitucion"}
# 'artículo 4o. constitucional', 'artículos 1o. y 4o. constitucionales': the Constitution.
_CONSTITUTIONAL_ADJ = {"constitucional", "constitucionales"}
_ORDINAL_RE = re.compile(r"^\d{1,4}(?:o|º|°)$")
_SUFFIXES = {"bis", "ter", "quáter", "quater", "quinquies", "sexies", "septies", "octies", "nonies", "decies"}
# '… del Estado de Chihuahua' / '… para el Estado Libre y Soberano de Oaxaca' at the end of a name.
_STATE_TAIL_RE = re.compile(
    r"\s+(?:del|para\s+el)\s+Estado\s+(?:Libre\s+y\s+Soberano\s+)?de\s+[A-ZÁÉÍÓÚ][\wáéíóúñ]+(?:\s+de\s+\w+)?$",
)


@Language.component("lawgraph_refs_clean_v1")
def _clean_spans(doc: Doc) -> Doc:
    """Longest non-overlapping spans, without trailing connectors or punctuation."""
    out = []
    for sp in filter_spans(list(doc.spans.get(SPANS_KEY, []))):
        end = sp.end
        while end > sp.start + 1 and doc[end - 1].lower_ in _CONNECTORS | {")"} - (
                {")"} if sp.label_ == "INCISO" else set()):
            end -= 1
        out.append(Span(doc, sp.start, end, label=sp.label_, span_id=sp.id_))
    doc.spans[SPANS_KEY] = out
    return doc


@lru_cache(maxsize=1)
def pipeline() -> Language:
    """The spaCy pipeline (built once per process)."""
    nlp = spacy.blank("es")
    ruler = nlp.add_pipe("span_ruler", config={"spans_key": SPANS_KEY, "validate": True,
                                               "phrase_matcher_attr": "LOWER"})
    for name in PATTERN_FILES:
        with open(PATTERN_DIR / name, encoding="utf-8") as fh:
            ruler.add_patterns([json.loads(line) for line in fh if line.strip()])
    nlp.add_pipe("lawgraph_refs_clean_v1")
    return nlp


@dataclass(frozen=True)
class LawName:
    raw: str
    key: str | None
    jurisdiction: str | None
    score: float
    start: int
    end: int


@dataclass(frozen=True)
class LegalRef:
    """One reference: a law, an article (with fracciones / incisos and law), or a DOF date."""

    kind: str                               # 'law' | 'article' | 'dof_date'
    text: str
    start: int
    end: int
    law: LawName | None = None
    articles: tuple[str, ...] = ()
    fracciones: tuple[str, ...] = ()
    incisos: tuple[str, ...] = ()
    date: date | None = None
    treaty: str | None = None               # 'Convención …' when the article is a treaty's, not a law's
    extra: dict = field(default_factory=dict, compare=False, hash=False)




def int_to_roman(n: int) -> str:
    vals = [(100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, r in vals:
        while n >= v:
            out += r
            n -= v
    return out


def _article_labels(tokens: list[str]) -> list[str]:
    """'3o . , 4o . y 5 Bis' -> ['3', '4', '5 Bis']; '1 a 5' -> ['1', …, '5']."""
    labels: list[str] = []
    pending_range = False
    for t in tokens:
        tl = t.lower()
        if re.fullmatch(r"\d{1,4}(?:o|º|°)?", t):
            lab = normalise_article_label(t)
            if pending_range and labels and labels[-1].isdigit() and 0 < int(lab) - int(labels[-1]) <= 60:
                labels.extend(str(i) for i in range(int(labels[-1]) + 1, int(lab) + 1))
            else:
                labels.append(lab)
            pending_range = False
        elif tl in _SUFFIXES or (len(t) == 1 and t.isalpha() and t.isupper()):
            if labels:
                labels[-1] = normalise_article_label(f"{labels[-1]} {t}")
        elif tl in ("a", "al", "to"):
            pending_range = True
    return labels


def _fraccion_labels(tokens: list[str]) -> list[str]:
    """'I a III' -> ['I', 'II', 'III']; 'II , III y IV' -> ['II', 'III', 'IV']; 'XXIX-A' kept."""
    labels: list[str] = []
    pending_range = False
    for t in tokens:
        if re.fullmatch(r"[IVXLC]{1,7}(?:-[A-Z])?", t):
            a, b = roman_to_int(labels[-1]) if labels else None, roman_to_int(t)
            if pending_range and a and b and 0 < b - a <= 60:
                labels.extend(int_to_roman(i) for i in range(a + 1, b + 1))
            else:
                labels.append(t)
            pending_range = False
        elif t.lower() in ("bis", "ter") and labels:
            labels[-1] = f"{labels[-1]} {t.capitalize()}"
        elif t.lower() in ("a", "al"):
            pending_range = True
    return labels


class RefExtractor:
    """Extract references; ``resolver(name, hint) -> Resolution-like | None`` (default: catalogue)."""

    def __init__(self, resolver=None):
        self.nlp = pipeline()
        self._resolver = resolver

    def _resolve(self, name: str, hint: str | None):
        if self._resolver is None:
            try:
                from lawgraph.catalog import resolve_law
            except ImportError:
                return None
            self._resolver = resolve_law
        try:
            return self._resolver(name, hint)
        except Exception:  # noqa: BLE001 - a catalogue failure must not lose the reference
            return None

    def resolve_name(self, doc: Doc, sp: Span, hint: str | None) -> LawName:
        """Cut a law-name span to the longest prefix the catalogue knows. A one-word prefix is
        tried only for 'Constitución' ("el artículo 4 de la Constitución"): 'Ley' or 'Código'
        alone names no law."""
        from lawgraph.catalog import state_of

        alone = doc[sp.start].lower_ in _SELF_NAMING_HEADS and (
            sp.end == sp.start + 1 or not doc[sp.start + 1].text[:1].isupper())
        low = sp.start + (0 if alone else 1)
        # A name that says it is a state's ('Constitución Política del Estado de Chihuahua') is
        # looked up among that state's laws only, its shorter prefixes too: 'Constitución
        # Política' alone would be the federal one.
        whole_state = None if hint else state_of(sp.text)
        for end in range(sp.end, low, -1):
            if doc[end - 1].lower_ in _CONNECTORS:
                continue
            cand = doc[sp.start:end]
            text = cand.text
            res = self._resolve(text, f"mx-{whole_state}" if whole_state and not state_of(text) else hint)
            if (res is None or not getattr(res, "key", None)) and _STATE_TAIL_RE.search(text):
                from lawgraph.catalog import state_of

                st = state_of(text)
                if st:
                    res = self._resolve(_STATE_TAIL_RE.sub("", text), f"mx-{st}")
            if res is not None and getattr(res, "key", None):
                return LawName(text, res.key, res.jurisdiction, float(res.score), cand.start_char, cand.end_char)
        # Unresolved: keep the run of capitalised words (and connectors between them).
        end = sp.start + 1
        for i in range(sp.start + 1, sp.end):
            if doc[i].text[:1].isupper():
                end = i + 1
            elif doc[i].lower_ not in _CONNECTORS | {"un", "una"}:
                break
        cand = doc[sp.start:end]
        return LawName(cand.text, None, None, 0.0, cand.start_char, cand.end_char)

    def _constitutional_adjective(self, doc: Doc, sp: Span, hint: str | None) -> LawName | None:
        """The Constitution when the article span is followed by 'constitucional(es)' (after the
        ordinal's full stop, if any): 'artículo 4o. constitucional'."""
        adj = sp.end + (1 if sp.end < len(doc) and doc[sp.end].text == "." else 0)
        if adj >= len(doc) or doc[adj].lower_ not in _CONSTITUTIONAL_ADJ:
            return None
        res = self._resolve("Constitución", hint)
        if res is None or not getattr(res, "key", None):
            return None
        tok = doc[adj]
        return LawName(tok.text, res.key, res.jurisdiction, float(res.score), tok.idx, tok.idx + len(tok.text))

    def extract(self, text: str, jurisdiction_hint: str | None = None) -> list[LegalRef]:
        """All references in ``text`` in order of appearance."""
        from lawgraph.nlp.dates import parse_spanish_date

        doc = self.nlp(text)
        spans = sorted(doc.spans[SPANS_KEY], key=lambda s: s.start)
        refs: list[LegalRef] = []
        used: set[int] = set()
        laws: dict[int, LawName] = {}
        for i, sp in enumerate(spans):
            if sp.label_ == "LEY_EN":
                laws[i] = LawName(sp.text, sp.id_, "mx", 100.0, sp.start_char, sp.end_char)
            elif sp.label_ in ("LEY", "LEY_SIGLA"):
                if sp.label_ == "LEY_SIGLA":
                    res = self._resolve(sp.text, jurisdiction_hint)
                    if res is None or not getattr(res, "key", None):
                        used.add(i)
                        continue
                    laws[i] = LawName(sp.text, res.key, res.jurisdiction, float(res.score), sp.start_char, sp.end_char)
                else:
                    laws[i] = self.resolve_name(doc, sp, jurisdiction_hint)

        def joined(a: Span, b: Span) -> bool:
            # 'fracción II del artículo 7', 'artículo 325 del Código …', 'inciso a) de la fracción';
            # 'artículo 4o. de la Constitución': the ordinal's own full stop (the span ends
            # before it) is part of the label, not a sentence end
            gap = doc[a.end:b.start]
            if (len(gap) > 1 and gap[0].text == "." and _ORDINAL_RE.match(doc[a.end - 1].text)
                    and gap[1].text[:1].islower()):       # a capital after it starts a sentence
                gap = gap[1:]
            return len(gap) <= 3 and all(
                t.lower_ in ("de", "del", "la", "el", "esta", ",", "presente", "of", "the") for t in gap)

        def treaty_joined(a: Span, b: Span) -> bool:
            # 'artículo 4, párrafo 1, de la Convención', 'article 10, paragraph 2, of the Covenant'
            gap = doc[a.end:b.start]
            return len(gap) <= 8 and all(
                t.lower_ in ("de", "del", "la", "el", ",", "párrafo", "parrafo", "párrafos", "paragraph",
                             "of", "the", "y", "and") or t.like_num for t in gap)

        for i, sp in enumerate(spans):
            if i in used or sp.label_ != "ARTICULO":
                continue
            arts = _article_labels([t.text for t in sp[1:]])
            fracs: list[str] = []
            incs: list[str] = []
            start = sp.start_char
            j = i - 1
            # Walk back over 'inciso a) de la fracción II del' before the article.
            while j >= 0 and spans[j].label_ in ("FRACCION", "INCISO") and joined(spans[j], spans[j + 1] if j + 1 < i else sp):
                if spans[j].label_ == "FRACCION":
                    fracs = _fraccion_labels([t.text for t in spans[j][1:]]) + fracs
                else:
                    incs = [t.text for t in spans[j][1:] if re.fullmatch(r"[a-zñ]", t.text)] + incs
                start = spans[j].start_char
                used.add(j)
                j -= 1
            law = self._constitutional_adjective(doc, sp, jurisdiction_hint)   # 'artículo 4o. constitucional'
            treaty = None
            end = law.end if law is not None else sp.end_char
            nxt = spans[i + 1] if law is None and i + 1 < len(spans) else None
            if nxt is not None and (i + 1) in laws and joined(sp, nxt):
                law = laws.pop(i + 1)
                used.add(i + 1)
                end = law.end
            elif nxt is not None and nxt.label_ == "TRATADO" and treaty_joined(sp, nxt):
                # An article of a treaty ('artículo 2 de la Convención') is no Mexican provision.
                treaty = nxt.text
                used.add(i + 1)
                end = nxt.end_char
            refs.append(LegalRef("article", text[start:end], start, end, law, tuple(arts), tuple(fracs),
                                 tuple(incs), treaty=treaty))
            used.add(i)
        for i, sp in enumerate(spans):
            if i in used:
                continue
            if i in laws:
                ln = laws[i]
                refs.append(LegalRef("law", ln.raw, ln.start, ln.end, law=ln))
            elif sp.label_ == "TRATADO":
                continue
            elif sp.label_ == "FECHA_DOF":
                raw = sp.text
                body = re.sub(r"^(?:DOF|Diario\s+Oficial\s+de\s+la\s+Federaci[óo]n)\s*(?:,|el|del|de|en)?\s*", "", raw)
                try:
                    d = parse_spanish_date(body)
                except ValueError:
                    continue
                refs.append(LegalRef("dof_date", raw, sp.start_char, sp.end_char, date=d))
            elif sp.label_ in ("FRACCION", "INCISO"):
                labs = (_fraccion_labels([t.text for t in sp[1:]]) if sp.label_ == "FRACCION"
                        else [t.text for t in sp[1:] if re.fullmatch(r"[a-zñ]", t.text)])
                kind = "fraccion" if sp.label_ == "FRACCION" else "inciso"
                refs.append(LegalRef(kind, sp.text, sp.start_char, sp.end_char,
                                     fracciones=tuple(labs) if kind == "fraccion" else (),
                                     incisos=tuple(labs) if kind == "inciso" else ()))
        refs.sort(key=lambda r: r.start)
        return refs


@lru_cache(maxsize=1)
def default_extractor() -> RefExtractor:
    return RefExtractor()


def extract_refs(text: str, jurisdiction_hint: str | None = None) -> list[LegalRef]:
    """References in one text with the default catalogue."""
    return default_extractor().extract(text, jurisdiction_hint)


# --------------------------------------------------------------------------------------------
# The reference grammar a person types (CLI arguments, search box, API ``ref=``).
#
# One parser for every door (issue 12, point 4). Rules, specific before general:
# 1. an id of the scheme in :mod:`lawgraph.ids` (``/mx/codigo/cpf/art_325``, with or without a
#    version date);
# 2. a law key, then the article ('art', 'art.', 'artículo'; label as printed: '4o.', '20 Ter',
#    '215-A'), then optionally a fracción ('fr.', 'frac.', 'fracc.', 'fracción' + a roman
#    numeral with an optional letter or Latin suffix: 'III', 'XXIX-A', 'XXIII Bis') and an inciso
#    ('inc.', 'inciso' + a letter, with or without its closing parenthesis); commas optional:
#    "CPF art 325", "LGAMVLV art. 20 Ter fr. III", "lgamvlv artículo 3, fracción II, inciso b)";
# 3. the same article part followed by 'constitucional' or 'de la Constitución': the
#    Constitution ("artículo 4o. constitucional");
# 4. anything else the legal-reference extractor above reads as exactly one article of one
#    known law ("fracción III del artículo 20 Ter de la LGAMVLV", "artículo 325 del Código
#    Penal Federal").
_ARTICLE_PART = r"""
    (?:art(?:[íi]culo)?\.?|arts?\.)\s*                  # art / art. / artículo / articulo
    (?P<article>\d+\s*(?:o\.?|º|°)?                     # 4, 4o., 4º
        (?:\s*[-\s]\s*(?!fr|inc|constituc|de\b)[A-Za-zÁÉÍÓÚáéíóú]+)*)  # Bis, Ter, -A
    (?:\s*,?\s*
        (?:fr(?:acc?(?:i[óo]n)?)?\.?)\s*                # fr. / frac. / fracc. / fracción
        (?P<fraccion>[IVXLCDM]+(?:\s*[-\s]\s*(?!inc|constituc|de\b)[A-Za-z]+)?)
    )?
    (?:\s*,?\s*
        (?:inc(?:iso)?\.?)\s*                           # inc. / inciso
        (?P<inciso>[a-zñ])\)?
    )?"""
TYPED_REF_RE = re.compile(
    r"^\s*(?P<law>[A-Za-z][A-Za-z0-9._-]*)\s+,?\s*" + _ARTICLE_PART + r"\s*$",
    re.VERBOSE | re.IGNORECASE,
)
CONSTITUTIONAL_REF_RE = re.compile(
    r"^\s*" + _ARTICLE_PART + r"\s*,?\s*(?:constitucional|de\s+la\s+constituci[óo]n(?:\s+pol[íi]tica.*)?)\.?\s*$",
    re.VERBOSE | re.IGNORECASE,
)
CONSTITUTION_KEY = "cpeum"
REF_EXAMPLES = ('"CPF art 325"', '"LGAMVLV art. 20 Ter fr. III"', '"artículo 4o. constitucional"',
                '/mx/codigo/cpf/art_325')


@dataclass(frozen=True)
class ProvisionRef:
    """A provision reference as typed, read: either an id or a law key with an article
    (normalised label) and optionally a fracción and an inciso."""

    text: str
    law_key: str | None = None        # catalogue key, lower case ('cpf', 'lgamvlv')
    article: str | None = None        # '20 Ter', '4'
    fraccion: str | None = None       # 'III', 'XXIX-A'
    inciso: str | None = None         # 'b'
    id: str | None = None             # '/mx/codigo/cpf/art_325'


def _fraccion(raw: str | None) -> str | None:
    if not raw:
        return None
    return " ".join(raw.upper().replace("-", " - ").split()).replace(" - ", "-")


def parse_provision_ref(text: str) -> ProvisionRef:
    """Read a provision reference (see the rules above). Raises ValueError with the reason,
    in Spanish, when the text is none."""
    from lawgraph.ids import parse as parse_id

    s = " ".join((text or "").split())
    if not s:
        raise ValueError("referencia vacía; ejemplos: " + ", ".join(REF_EXAMPLES))
    if s.startswith("/"):
        try:
            # A version id may carry a qualifier after its date ('@2001-08-14~historia').
            parse_id(re.sub(r"(@\d{4}-\d{2}-\d{2})~[a-z]+", r"\1", s))
        except ValueError as exc:
            raise ValueError(f"identificador no válido: {s!r} ({exc})") from exc
        return ProvisionRef(s, id=s)
    for rx, law in ((TYPED_REF_RE, None), (CONSTITUTIONAL_REF_RE, CONSTITUTION_KEY)):
        m = rx.match(s)
        if m:
            return ProvisionRef(s, (law or m.group("law")).lower(), normalise_article_label(m.group("article")),
                                _fraccion(m.group("fraccion")), (m.group("inciso") or "").lower() or None)
    arts = [r for r in extract_refs(s) if r.kind == "article" and not r.treaty]
    if len(arts) == 1 and len(arts[0].articles) == 1 and len(arts[0].fracciones) <= 1 and len(arts[0].incisos) <= 1:
        r = arts[0]
        key = r.law.key if r.law and r.law.key else (CONSTITUTION_KEY if re.search(r"constituci", s, re.I) else None)
        if key:
            return ProvisionRef(s, key.lower(), r.articles[0], _fraccion(r.fracciones[0]) if r.fracciones else None,
                                r.incisos[0] if r.incisos else None)
        raise ValueError(f"la referencia {s!r} no dice de qué ley es el artículo {r.articles[0]}; "
                         f"ejemplos: " + ", ".join(REF_EXAMPLES))
    if len(arts) > 1 or (arts and len(arts[0].articles) > 1):
        raise ValueError(f"la referencia {s!r} nombra varios artículos; indique uno")
    raise ValueError(f"referencia no reconocida: {s!r}; ejemplos: " + ", ".join(REF_EXAMPLES))
