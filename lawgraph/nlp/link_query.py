"""Linker stage 2, query expansion: what a recommendation or suggestion is searched with.

The committee's formula, a UPR list's lead-in and the recommending state are stripped
(``strip_boilerplate``); English phrases get their Spanish legal terms (``expand_english``,
``patterns/terms_en_es.jsonl``); treaty-body and everyday Spanish gets the statutes' wording
(``expand_spanish``, ``patterns/thesaurus_es.jsonl``); a multi-sentence text is cut into its asks
(``clauses``). See docs/linking.md.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from lawgraph.catalog import FEDERAL
from lawgraph.errors import InputError
from lawgraph.model.recs import Recommendation, Suggestion
from lawgraph.nlp.textnorm import terms, with_bigrams, words

PATTERNS = Path(__file__).with_name("patterns")
MAX_QUERY_CHARS = 20_000           # longer "recommendations" are not recommendations: refused per item
SUPPORTED_LANGS = ("es", "en")
# BM25 weight of the statutes' words for a query's thesaurus phrases: the hand-set default
# (docs/linking.md, third pass); the linker uses the values fitted on silver (linker_params.json:
# 'weights' for asks, 'rec_weights' for recommendations).
W_THESAURUS = 2.25

# The formula that opens a UN recommendation ('El Comité insta al Estado parte a que:'): every
# paragraph has it, so it only adds noise to the query.
BOILERPLATE_RE = re.compile(
    r"""
    (?:el\s+)?comit[eé]\s+(?:tambi[eé]n\s+)?
    (?:insta|exhorta|recomienda|pide|alienta|solicita|reitera|invita)\w*
    (?:\s+(?:encarecidamente|firmemente|asimismo|tambi[eé]n|nuevamente))?
    (?:\s+que)?\s+(?:al?|el)\s+estado\s+parte\s*(?:a\s+que|a|que)?\s*:?
    """,
    re.VERBOSE | re.IGNORECASE,
)

# The English formula of the same ('The Committee urges the State party to:').
BOILERPLATE_EN_RE = re.compile(
    r"""
    (?:the\s+)?committee\s+(?:also\s+)?
    (?:urges|calls\s+upon|calls\s+on|recommends|requests|encourages|reiterates|invites)
    (?:\s+(?:that\s+)?the\s+state\s+party)?
    (?:\s+to|\s+that)?\s*:?
    """,
    re.VERBOSE | re.IGNORECASE,
)

# The lead-in of a UPR report's list ('México examinará las recomendaciones que figuran a
# continuación, …, que se celebrará en marzo de 2014:', 'Las recomendaciones enumeradas a
# continuación … cuentan con su aprobación:'): the Spanish twin of every UPR recommendation
# carries it, and its words (sesiones, Consejo, Derechos Humanos) pull towards unrelated laws.
UPR_LEADIN_RE = re.compile(
    r"""
    ^[^:]{0,400}?\brecomendaciones\b   # a sentence about 'the recommendations'
    [^:]{0,400}?                        # (which follow, were examined, are accepted …)
    \b(?:continuaci[oó]n|examin\w+|aprobaci[oó]n|apoy\w+)\b
    [^:]{0,400}:\s*                      # up to the colon that opens the list
    """,
    re.VERBOSE | re.IGNORECASE,
)

# The recommending state(s) after a UPR recommendation ('(Uruguay);', '(Chile.', '(Países Bajos)').
UPR_STATE_RE = re.compile(
    r"""
    \(\s*[A-ZÁÉÍÓÚÑ][^()]{1,80}?[.)]?\s*\)?   # '(State' up to its closing or a stray full stop
    \s*[.;,]*\s*$                             # at the end of the text
    """,
    re.VERBOSE,
)


# --------------------------------------------------------------------------------------------
# Queries
# --------------------------------------------------------------------------------------------
# English -> Spanish terms: rows written by hand (terms_en_es.jsonl, each a general legal
# equivalence, docs/linking.md) and rows extracted from the aligned UPR recommendations by
# scripts/build_terms_en_es.py (terms_en_es_stat.jsonl, count and Dice on each row).
TERM_FILES = ("terms_en_es.jsonl", "terms_en_es_stat.jsonl")


def _term_rows(name: str) -> list[tuple[list[str], list[str]]]:
    path = PATTERNS / name
    if not path.is_file():
        return []
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                d = json.loads(line)
                rows.append((words(d["en"]), list(d["es"])))
            except (json.JSONDecodeError, KeyError, TypeError) as e:
                raise InputError(path, f"línea {n}: fila de términos ilegible ({e})") from None
    return rows


@lru_cache(maxsize=1)
def _terminology() -> list[tuple[list[str], list[str], str]]:
    """(English words, Spanish terms, row id 'file:line') of every terminology row."""
    rows = [(en, es, f"{name}:{n}") for name in TERM_FILES for n, (en, es) in enumerate(_term_rows(name), 1)]
    rows.sort(key=lambda r: -len(r[0]))   # longest phrases first (stable: hand rows before extracted ones)
    return rows


@lru_cache(maxsize=1)
def _legal_terms() -> frozenset[str]:
    """Stems of the Spanish side of the hand-written terminology: the words that name legal
    subjects (the extracted rows also translate everyday words such as 'women', 'rights')."""
    return frozenset(t for _, es in _term_rows(TERM_FILES[0]) for phrase in es for t in terms(phrase))


def expand_english(text: str, skip: frozenset = frozenset()) -> list[str]:
    """Spanish legal terms for the English legal phrases in ``text`` (longest match first).
    Rows whose id ('terms_en_es.jsonl:9', see ``english_rows``) is in ``skip`` are left out
    (scripts/ablate_vocab.py)."""
    return [p for _row, es in _english_hits(text, skip) for p in es]


def english_rows(text: str) -> set[str]:
    """Ids ('file:line', line numbers from 1 over the non-empty rows) of the terminology rows
    that fire on ``text``."""
    return {row for row, _es in _english_hits(text)}


def _english_hits(text: str, skip: frozenset = frozenset()) -> list[tuple[str, list[str]]]:
    toks = words(text)
    used = [False] * len(toks)
    at: dict[str, list[int]] = defaultdict(list)   # where each word stands: entries start there
    for i, t in enumerate(toks):
        at[t].append(i)
    out: list[tuple[str, list[str]]] = []
    for en, es, row in _terminology():
        if row in skip:
            continue
        n = len(en)
        for i in at.get(en[0], ()):
            if toks[i:i + n] == en and not any(used[i:i + n]):
                # plural/singular: 'victims' also matches an entry 'victim' via its own row
                out.append((row, es))
                for j in range(i, i + n):
                    used[j] = True
    return out


@lru_cache(maxsize=1)
def _thesaurus() -> tuple[dict[str, list[tuple[int, tuple[str, ...], list[str]]]],
                          dict[str, list[tuple[int, tuple[str, ...], tuple[str, ...], list[str]]]]]:
    """(stemmed phrase as international bodies write it, the Mexican statutes' wording), by the
    phrase's first stem; and the phrases matched on their words instead, by first word.

    A phrase whose function words drop out and leave one stem ('la casa' -> cas, 'todos los
    estados' -> estad) is matched on its folded words: its stem alone also stands for other
    words ('casos', every 'Estado parte' of a recommendation)."""
    rows: dict[str, list[tuple[int, tuple[str, ...], list[str]]]] = defaultdict(list)
    by_words: dict[str, list[tuple[int, tuple[str, ...], tuple[str, ...], list[str]]]] = defaultdict(list)
    lines = (PATTERNS / "thesaurus_es.jsonl").read_text(encoding="utf-8").splitlines()
    for n, line in enumerate(lines):
        if line.strip():
            d = json.loads(line)
            for phrase in d["es"]:
                key, ws = tuple(terms(phrase)), tuple(words(phrase))
                if not key:
                    continue
                if len(key) == 1 and len(ws) > 1:
                    by_words[ws[0]].append((n, ws, key, d["law"]))
                else:
                    rows[key[0]].append((n, key, d["law"]))
    return dict(rows), dict(by_words)


def _thesaurus_hits(ts: list[str], ws: list[str] | None = None,
                    skip: frozenset[int] = frozenset()) -> list[tuple[tuple[str, ...], list[str]]]:
    """(the stems matched, the statutes' words) for each thesaurus row one of whose phrases
    occurs in the stem sequence ``ts`` (or, for phrases matched on words, in the folded word
    sequence ``ws``); a row counts once however many of its phrases occur. Rows whose line
    number (1-based) is in ``skip`` are left out (scripts/ablate_vocab.py)."""
    return list(_thesaurus_rows(ts, ws, skip).values())


def _thesaurus_rows(ts: list[str], ws: list[str] | None = None,
                    skip: frozenset[int] = frozenset()) -> dict[int, tuple[tuple[str, ...], list[str]]]:
    """``_thesaurus_hits`` by the row's line number (1-based)."""
    table, by_words = _thesaurus()
    hits: dict[int, tuple[tuple[str, ...], list[str]]] = {}

    def hit(n: int, key: tuple[str, ...], law: list[str]) -> None:
        n += 1
        if n in skip:
            return
        prev = hits.get(n)
        hits[n] = (tuple(dict.fromkeys((prev[0] if prev else ()) + key)), law)

    for i, t in enumerate(ts):
        for n, key, law in table.get(t, ()):
            if tuple(ts[i:i + len(key)]) == key:
                hit(n, key, law)
    for i, w in enumerate(ws or ()):
        for n, phrase, key, law in by_words.get(w, ()):
            if tuple(ws[i:i + len(phrase)]) == phrase:
                hit(n, key, law)
    return hits


def thesaurus_matches(text: str) -> list[tuple[frozenset[str], frozenset[str]]]:
    """(the query's stems of a thesaurus phrase, the stems of the statutes' words for it)."""
    return [(frozenset(key), frozenset(t for p in law for t in terms(p)))
            for key, law in _thesaurus_hits(terms(text), words(text))]


def _covered(req: set[str], phrases: list[tuple[frozenset[str], frozenset[str]]],
             enacted: set[str]) -> set[str]:
    """The asked terms the enacted words carry, literally or in the statutes' wording ('el
    marido … a nombre del compadre' is covered by 'cónyuge … a nombre de terceros')."""
    got = req & enacted
    for key, law in phrases:
        if law & enacted:
            got |= key & req
    return got


def expand_spanish(text: str, skip: frozenset[int] = frozenset()) -> list[str]:
    """The statutes' words for the treaty-body Spanish in ``text`` ('violencia doméstica' ->
    'violencia familiar', 'trabajadoras domésticas' -> 'trabajo del hogar', 'armonización' -> 'expedirán las
    normas legales'): CEDAW's and the UPR's Spanish is not the Mexican legislator's. Rows
    (line numbers) in ``skip`` are left out."""
    return [p for _key, law in _thesaurus_hits(terms(text), words(text), skip) for p in law]


def thesaurus_rows(text: str) -> set[int]:
    """Line numbers (1-based) of the thesaurus rows whose phrases occur in ``text``."""
    return set(_thesaurus_rows(terms(text), words(text)))


@dataclass
class Query:
    item_id: str
    lang: str
    text: str                          # the words matched (link text)
    twin: str | None = None            # Spanish twin of an English recommendation
    twin_mt: bool = False              # the twin is Apertium's translation, not the UN's own Spanish
    kind: str = "rec"                  # 'rec' | 'sug'
    day: date | None = None            # the suggestion's date
    law_hint: str | None = None        # target law key given by the user


def check_query(q: Query) -> None:
    """Per-item validation: clear errors for empty, huge or unknown-language texts."""
    if not q.text or not q.text.strip():
        raise InputError(q.item_id, "texto vacío: no hay nada que enlazar")
    if len(q.text) > MAX_QUERY_CHARS:
        raise InputError(q.item_id, f"texto demasiado largo ({len(q.text)} caracteres; máximo {MAX_QUERY_CHARS})")
    if q.lang not in SUPPORTED_LANGS:
        raise InputError(q.item_id, f"idioma no admitido {q.lang!r}: se enlazan textos en español (es) o inglés (en)")


def query_of(item: Recommendation | Suggestion | Query, twin: str | None = None) -> Query:
    if isinstance(item, Query):
        return item
    if isinstance(item, Recommendation):
        return Query(item.rec_id, item.language, item.link_text(), twin=twin)
    if isinstance(item, Suggestion):
        return Query(item.sug_id, item.language, item.text, kind="sug", day=item.date,
                     law_hint=(item.target_law_key or None))
    raise TypeError(f"no sé enlazar {type(item).__name__}")


def _refs(text: str) -> tuple[set[str], set[tuple[str, str]]]:
    """Law keys named, and (law, article) pairs named, in ``text``."""
    from lawgraph.nlp.refs import extract_refs

    laws: set[str] = set()
    arts: set[tuple[str, str]] = set()
    try:
        # No hint: the catalogue's default is federal ("mx"), and a name that says it is a
        # state's law resolves to that state and is dropped below. (Until session 14 this passed
        # "federal", which is no jurisdiction code of the catalogue, so no Spanish law name
        # resolved and the reference boosts never fired for Spanish text.)
        refs = extract_refs(text)
    except Exception:  # noqa: BLE001 - a reference the grammar cannot read is no boost, not an error
        return laws, arts
    for r in refs:
        key = r.law.key.lower() if r.law and r.law.key and (r.law.jurisdiction in (None, FEDERAL)) else None
        if key:
            laws.add(key)
            for a in r.articles:
                arts.add((key, a))
    return laws, arts



def strip_boilerplate(text: str) -> str:
    """The query without the committee's opening formula (Spanish or English), a UPR list's
    lead-in and the recommending state in brackets: words every recommendation shares."""
    out = UPR_LEADIN_RE.sub("", text)
    out = UPR_STATE_RE.sub("", out)
    out = BOILERPLATE_EN_RE.sub(" ", BOILERPLATE_RE.sub(" ", out))
    return out.strip() or text


def _query_terms(q: Query, w_thesaurus: float = W_THESAURUS,
                 skip: frozenset = frozenset()) -> tuple[list[str], dict[str, float]]:
    """BM25 query terms (with bigrams) and per-term weights: an English query adds the Spanish
    terminology for its phrases and its Spanish twin; every Spanish text adds the statutes'
    words for its treaty-body phrases (``expand_spanish``) at weight ``w_thesaurus``. ``skip``:
    thesaurus rows (line numbers, int) and terminology rows ('file:line', str) left out."""
    qt = with_bigrams(terms(strip_boilerplate(q.text)))
    weights: dict[str, float] = {}
    spanish = strip_boilerplate(q.text) if q.lang == "es" else ""
    if q.lang == "en":
        en_es = expand_english(q.text, skip)
        qt = qt + [t for s in en_es for t in with_bigrams(terms(s))]
        spanish = " . ".join(en_es)
        if q.twin:
            twin = strip_boilerplate(q.twin)
            qt = qt + with_bigrams(terms(twin))
            spanish += " . " + twin
    w = w_thesaurus
    if spanish and w > 0:
        have = set(qt)
        extra = [t for s in expand_spanish(spanish, skip) for t in with_bigrams(terms(s))]
        for t in extra:
            if t not in have:
                weights[t] = w
        qt = qt + [t for t in extra if t not in have]
    return qt, weights



# A recommendation's asks, one per sentence ('… tome las medidas … . Recomienda que se promueva
# la promulgación de leyes … . Asimismo, … la capacitación …'): split at a full stop or a
# semicolon that ends a clause of some length.
CLAUSE_RE = re.compile(
    r"""
    (?<=[a-záéíóúñ)\]])   # after a word (not an abbreviation's capital or a number: 'art. 4.')
    \s*[.;]\s+             # the full stop or semicolon
    (?=[A-ZÁÉÍÓÚÑ¿"«(]|[a-z]\))  # before a capital or an 'a)' item
    """,
    re.VERBOSE,
)
MIN_CLAUSE_TERMS = 6


def clauses(text: str) -> list[str]:
    """The asks of a multi-sentence recommendation (empty when it makes one)."""
    parts = [p.strip() for p in CLAUSE_RE.split(strip_boilerplate(text)) if p.strip()]
    parts = [p for p in parts if len(terms(p)) >= MIN_CLAUSE_TERMS]
    return parts if len(parts) > 1 else []

