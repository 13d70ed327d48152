"""One search over everything the graph holds: provisions, proposals, decrees, recommendations and
civil-society suggestions, grouped by kind, with the matched words highlighted.

    search(store, "violencia vicaria", kinds=None, limit=20) -> SearchResult

How words match (one normalisation, applied to the documents and to the query alike):
- every word is lower-cased, stemmed with the Snowball Spanish stemmer (PyStemmer) and then folded
  (accents removed), so "víctimas" finds "victima" and "mujer" finds "mujeres";
- a query phrase found in the general legal vocabulary ``vocab/legal_synonyms.toml`` also matches
  its equivalents ("violencia vicaria" finds "interpósita persona"); each row there says why;
- a hit holds every concept of the query (a word, or a vocabulary phrase or one of its
  equivalents, all of whose words appear); hits are ranked by BM25 over the stems.

Why an index in this process and not the store's own full-text index: measured by
``benchmarks/bench_search.py`` (figures in docs/search.md). FalkorDB's RediSearch index with
``language: 'Spanish'`` stems, but does not fold accents ("interposita" misses "interpósita"), and
the same index would be needed again in Neo4j's dialect; this index behaves the same over both
backends, and is built from the graph with named queries (``search_corpus_*``), one part per kind,
each rebuilt only when its stamp changes: its labels' node counts (each one constant-time
statement, graph.store.label_counts) and, for proposals, the content hashes of the complete
process snapshots (a reload that changes proposals but not their number). A web worker builds
every part once at start-up (:func:`warm`); after that a search reads no corpus query until the
graph changes.
"""
from __future__ import annotations

import html
import logging
import math
import re
import threading
import time
import tomllib
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Iterable, Literal, get_args

import Stemmer

from lawgraph import ids
from lawgraph.errors import InputError, LawgraphError
from lawgraph.graph.read import list_laws, run_named
from lawgraph.graph.store import GraphStore, label_counts

Kind = Literal["provision", "proposal", "decree", "recommendation", "suggestion"]
KINDS: tuple[str, ...] = get_args(Kind)
KIND_NAMES = {"provision": "Disposiciones", "proposal": "Iniciativas", "decree": "Decretos",
              "recommendation": "Recomendaciones", "suggestion": "Sugerencias"}
# Which node labels each kind's part of the index is built from (its count decides a rebuild).
KIND_LABELS = {"provision": ("ProvisionVersion", "LawVersion"), "proposal": ("Proposal",),
               "decree": ("Decree",), "recommendation": ("Recommendation",), "suggestion": ("Suggestion",)}
SEARCH_LABELS = sorted({lab for labs in KIND_LABELS.values() for lab in labs})

# Reason: BM25's usual defaults (Robertson & Zaragoza 2009, "The Probabilistic Relevance
# Framework"); not fitted here: ranking inside a kind only orders hits that all hold every concept.
BM25_K1 = 1.2
BM25_B = 0.75
# Reason: a builder or a web worker sees a changed graph at most this late; reading the stamps is
# one constant-time count per label and one read of the few snapshot nodes, done at most this
# often, like the site's LAWS_TTL.
RECHECK_SECONDS = 30.0
# Reason: the length of an excerpt around the first matched word, as the old provision search
# showed (60 characters before, about 180 in all): one or two lines on the page.
SNIPPET_BEFORE = 60
SNIPPET_LENGTH = 220
# Reason: Spanish function words carry no meaning in a query ("violencia de género" = "violencia
# género"); only these, so that a query is never emptied of its content words.
STOPWORDS = frozenset("a al ante con contra de del desde e el en entre la las lo los o para por que "
                      "se sin sobre su sus u un una y".split())

_WORD = re.compile(r"\w+", re.UNICODE)
_STEMMER = Stemmer.Stemmer("spanish")
_STEM_LOCK = threading.Lock()  # a PyStemmer object is not safe to share between threads


def fold(text: str) -> str:
    """Lower-case and accent-free ('Interpósita' -> 'interposita'); ñ becomes n too."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# word -> folded stem. A corpus has a few tens of thousands of distinct words, so this stays
# small, and it made building the index about 3x faster than stemming and folding every token
# (bench_search.py).
_STEM_CACHE: dict[str, str] = {}


def stems(words: Iterable[str]) -> list[str]:
    """The folded Snowball stem of each word (the stemmer reads the accented, lower-case word)."""
    words = list(words)
    new = [w for w in dict.fromkeys(words) if w not in _STEM_CACHE]
    if new:
        with _STEM_LOCK:
            out = _STEMMER.stemWords([w.lower() for w in new])
        _STEM_CACHE.update(zip(new, (fold(s) for s in out)))
    return [_STEM_CACHE[w] for w in words]


def tokens(text: str) -> list[tuple[str, int, int]]:
    """(stem, start, end) of every word of ``text``."""
    found = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]
    return [(s, a, b) for s, (_, a, b) in zip(stems(w for w, _, _ in found), found)]


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(s for s, _, _ in tokens(text) if s not in _STOP_STEMS)


_STOP_STEMS = frozenset(stems(STOPWORDS))


@dataclass(frozen=True)
class SynonymGroup:
    terms: tuple[str, ...]
    reason: str
    phrases: tuple[tuple[str, ...], ...]


def load_vocabulary(text: str | None = None) -> list[SynonymGroup]:
    """The legal synonym groups (``vocab/legal_synonyms.toml`` unless ``text`` is given).
    InputError naming the file and the group when one lacks its terms or its reason."""
    name = "lawgraph/vocab/legal_synonyms.toml"
    if text is None:
        text = resources.files("lawgraph").joinpath("vocab/legal_synonyms.toml").read_text("utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError(name, f"no es TOML válido ({e})") from e
    groups = []
    for i, g in enumerate(data.get("group", []), 1):
        terms, reason = g.get("terms"), (g.get("reason") or "").strip()
        if not isinstance(terms, list) or len(terms) < 2 or not reason:
            raise InputError(name, f"el grupo {i} necesita al menos dos términos y su razón (reason)")
        groups.append(SynonymGroup(tuple(terms), reason, tuple(_phrase(t) for t in terms)))
    return groups


_VOCABULARY: list[SynonymGroup] | None = None


def vocabulary() -> list[SynonymGroup]:
    global _VOCABULARY
    if _VOCABULARY is None:
        _VOCABULARY = load_vocabulary()
    return _VOCABULARY


@dataclass(frozen=True)
class Concept:
    """One thing the query asks for: alternatives, each a sequence of stems that must all appear."""

    words: str
    alternatives: tuple[tuple[str, ...], ...]
    also: tuple[str, ...] = ()
    """The vocabulary's other terms, as written there (shown to people: "también se buscó")."""


def parse_query(q: str, groups: list[SynonymGroup] | None = None) -> list[Concept]:
    """The query's concepts: vocabulary phrases (longest first) with their equivalents, then each
    remaining content word alone (none for a query without words)."""
    groups = vocabulary() if groups is None else groups
    every = tokens(q)
    # A query of function words alone ("de la") searches for them; one without any word, for nothing.
    toks = [(s, a, b) for s, a, b in every if s not in _STOP_STEMS] or every
    seq = [s for s, _, _ in toks]
    used = [False] * len(seq)
    concepts: list[tuple[int, Concept]] = []
    candidates = sorted(((len(p), p, g) for g in groups for p in g.phrases if p), key=lambda x: -x[0])
    for n, p, g in candidates:
        for i in range(len(seq) - n + 1):
            if tuple(seq[i:i + n]) == p and not any(used[i:i + n]):
                used[i:i + n] = [True] * n
                words = q[toks[i][1]:toks[i + n - 1][2]]
                alts = (p,) + tuple(x for x in dict.fromkeys(g.phrases) if x != p)
                also = tuple(t for t, x in zip(g.terms, g.phrases) if x != p)
                concepts.append((i, Concept(words, alts, also)))
    for i, (s, a, b) in enumerate(toks):
        if not used[i]:
            # Number optional: the Snowball stemmer cuts "mujer" to "muj" but "mujeres" to
            # "mujer", so a word also matches the stems of its plural forms.
            word = q[a:b]
            forms = dict.fromkeys([s] + stems([word + "s", word + "es"]))
            concepts.append((i, Concept(word, tuple((f,) for f in forms))))
    return [c for _, c in sorted(concepts, key=lambda x: x[0])]


@dataclass
class Doc:
    id: str
    text: str
    fields: dict[str, Any]


@dataclass
class KindIndex:
    """An inverted index over one kind's documents: stem -> {doc number: term frequency}."""

    docs: list[Doc] = field(default_factory=list)
    postings: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(dict))
    lengths: list[int] = field(default_factory=list)

    def add(self, doc: Doc) -> None:
        n = len(self.docs)
        self.docs.append(doc)
        counts = Counter(s for s, _, _ in tokens(doc.text))
        for s, c in counts.items():
            self.postings[s][n] = c
        self.lengths.append(sum(counts.values()))

    def query(self, concepts: list[Concept]) -> list[tuple[float, int, set[tuple[str, ...]]]]:
        """(score, doc number, matched alternatives) of every document holding every concept."""
        if not self.docs:
            return []
        avg = sum(self.lengths) / len(self.docs) or 1.0
        hits: dict[int, set[tuple[str, ...]]] | None = None
        for c in concepts:
            found: dict[int, set[tuple[str, ...]]] = defaultdict(set)
            for alt in c.alternatives:
                lists = [self.postings.get(s, {}) for s in alt]
                if not all(lists):
                    continue
                common = set.intersection(*(set(x) for x in lists))
                for d in common:
                    found[d].add(alt)
            hits = dict(found) if hits is None else {d: hits[d] | found[d] for d in hits if d in found}
            if not hits:
                return []
        out = []
        n = len(self.docs)
        for d, matched in (hits or {}).items():
            score = 0.0
            for s in {s for alt in matched for s in alt}:
                post = self.postings[s]
                idf = math.log(1 + (n - len(post) + 0.5) / (len(post) + 0.5))
                tf = post[d]
                score += idf * tf * (BM25_K1 + 1) / (tf + BM25_K1 * (1 - BM25_B + BM25_B * self.lengths[d] / avg))
            out.append((score, d, matched))
        out.sort(key=lambda x: (-x[0], x[1]))
        return out


def _marked(text: str, matched: Iterable[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Character spans to mark: each matched phrase where its words follow one another (function
    words between them allowed: "orden de protección"), else each of its words where it stands."""
    every = tokens(text)
    content = [(i, s) for i, (s, _, _) in enumerate(every) if s not in _STOP_STEMS]
    marked: set[int] = set()
    for phrase in matched:
        n, hit = len(phrase), False
        for j in range(len(content) - n + 1):
            if all(content[j + k][1] == phrase[k] for k in range(n)):
                marked.update(content[j + k][0] for k in range(n))
                hit = True
        if not hit:
            marked.update(i for i, s in content if s in phrase)
    return [(every[i][1], every[i][2]) for i in sorted(marked)]


def highlight(text: str, matched: Iterable[tuple[str, ...]], *, whole: bool = False) -> str:
    """Escaped HTML of an excerpt of ``text`` (or all of it) around the first matched word, with
    the matched phrases' words inside <mark> (see :func:`_marked`)."""
    toks = _marked(text, matched)
    start, end = 0, len(text)
    if not whole and toks:
        start = max(0, toks[0][0] - SNIPPET_BEFORE)
        if start:
            sp = text.find(" ", start)
            start = sp + 1 if 0 <= sp < toks[0][0] else start
        end = min(len(text), start + SNIPPET_LENGTH)
        if end < len(text):
            sp = text.rfind(" ", toks[0][1], end)
            end = sp if sp > toks[0][1] else end
    elif not whole:
        end = min(len(text), SNIPPET_LENGTH)
    parts, pos = [], start
    for a, b in toks:
        if a < start or b > end:
            continue
        parts.append(html.escape(text[pos:a]))
        parts.append(f"<mark>{html.escape(text[a:b])}</mark>")
        pos = b
    parts.append(html.escape(text[pos:end]))
    return ("…" if start > 0 else "") + "".join(parts) + ("…" if end < len(text) else "")


# The provision units of an id ('frac_vi' -> 'fracción VI'), as people read them.
UNIT_WORDS = {"articulo": "artículo", "parrafo": "párrafo", "fraccion": "fracción", "inciso": "inciso",
              "numeral": "numeral", "apartado": "apartado", "transitorio": "transitorio"}


def unit_words(provision_id: str) -> str:
    """'/mx/ley/lgamvlv/art_20-ter/frac_vi' -> 'artículo 20 Ter, fracción VI' (the id itself if it is not one)."""
    try:
        path = ids.parse(provision_id).path
    except ValueError:
        return provision_id
    out = []
    for unit, label in path:
        if unit in ("fraccion", "apartado"):
            label = label.upper()
        elif unit == "articulo":
            label = " ".join(w if w[:1].isdigit() else w.capitalize() for w in label.split("-"))
        elif unit == "inciso":
            label = f"{label})"
        out.append(f"{UNIT_WORDS.get(unit, unit)} {label}")
    return ", ".join(out)


# -- building the index from the graph -------------------------------------------------------


def _latest_versions(store: GraphStore) -> dict[str, str]:
    return {f"{law['id']}@{law['versions'][-1]}": law["key"] for law in list_laws(store) if law.get("versions")}


def _provision_docs(store: GraphStore) -> list[Doc]:
    latest = _latest_versions(store)
    rows = run_named(store, "search_corpus_provisions", {"versions": list(latest)}) if latest else []
    docs = []
    for r in sorted(rows, key=lambda r: (r["version_id"], r.get("ordinal") or 0)):
        pid = ids.parse(r["id"])
        art = next((lab for unit, lab in pid.path if unit == "articulo"), None)
        key = latest.get(r["version_id"]) or ""
        docs.append(Doc(r["id"], r["text"], {
            "title": f"{key.upper()}, {unit_words(r['id'])}",
            "law_key": key, "kind": r["kind"], "unit_label": r["label"],
            "label": r["label"] if r["kind"] == "articulo" else (art or r["label"]),
            "version_date": pid.date, "page": r.get("page"), "repealed": bool(r.get("repealed"))}))
    return docs


def _proposal_docs(store: GraphStore) -> list[Doc]:
    docs = []
    for r in sorted(run_named(store, "search_corpus_proposals"), key=lambda r: r["id"]):
        text = " ".join(x for x in (r.get("title"), r.get("synopsis")) if x)
        if text:
            docs.append(Doc(r["id"], text, {"title": r.get("title") or "", "kind": r.get("kind"),
                                            "stage": r.get("stage"), "chamber": r.get("chamber"),
                                            "date": r.get("date"), "laws": r.get("laws") or [],
                                            "url": r.get("url")}))
    return docs


def _decree_docs(store: GraphStore) -> list[Doc]:
    return [Doc(r["id"], r["title"], {"date": r.get("date"), "kind": r.get("kind"),
                                      "laws": sorted(x for x in r.get("laws") or [] if x)})
            for r in sorted(run_named(store, "search_corpus_decrees"), key=lambda r: r["id"]) if r.get("title")]


def _recommendation_docs(store: GraphStore) -> list[Doc]:
    return [Doc(r["id"], r["text"], {k: r.get(k) for k in ("body", "document", "paragraph", "subparagraph", "year")})
            for r in sorted(run_named(store, "search_corpus_recommendations"), key=lambda r: r["id"]) if r.get("text")]


def _suggestion_docs(store: GraphStore) -> list[Doc]:
    return [Doc(r["id"], r["text"], {k: r.get(k) for k in ("organisation", "date", "area")})
            for r in sorted(run_named(store, "search_corpus_suggestions"), key=lambda r: r["id"]) if r.get("text")]


READERS = {"provision": _provision_docs, "proposal": _proposal_docs, "decree": _decree_docs,
           "recommendation": _recommendation_docs, "suggestion": _suggestion_docs}


class SearchIndex:
    """The in-process index of one store, one part per kind, each rebuilt when its counts change."""

    def __init__(self, store: GraphStore):
        self.store = store
        self.parts: dict[str, tuple[tuple, KindIndex]] = {}
        self.checked = 0.0
        self.counts: dict[str, int] = {}
        self.snapshots: tuple[tuple[str, str], ...] = ()
        self.lock = threading.Lock()

    def refresh(self, kinds: Iterable[str], *, force: bool = False) -> None:
        with self.lock:
            now = time.monotonic()
            if force or now - self.checked > RECHECK_SECONDS:
                self.counts = label_counts(self.store, SEARCH_LABELS)
                self.snapshots = tuple((r["snapshot"], r["content_hash"])
                                       for r in run_named(self.store, "search_corpus_snapshots"))
                self.checked = now
            for kind in kinds:
                key = (tuple(self.counts.get(lab, 0) for lab in KIND_LABELS[kind]),
                       self.snapshots if kind == "proposal" else ())
                if kind in self.parts and self.parts[kind][0] == key:
                    continue
                part = KindIndex()
                for doc in READERS[kind](self.store):
                    part.add(doc)
                self.parts[kind] = (key, part)

    def part(self, kind: str) -> KindIndex:
        return self.parts[kind][1]


_INDEXES: dict[int, SearchIndex] = {}
_INDEXES_LOCK = threading.Lock()


def index_for(store: GraphStore) -> SearchIndex:
    """The index of ``store`` (one per store object in this process)."""
    with _INDEXES_LOCK:
        idx = _INDEXES.get(id(store))
        if idx is None or idx.store is not store:
            idx = _INDEXES[id(store)] = SearchIndex(store)
        return idx


def warm(store: GraphStore) -> threading.Thread:
    """Build every kind's index in a background thread (a served site calls it at start-up, so the
    first visitor does not wait the build: 8 s for the federal laws and SITL, bench_search.py).
    A failure is logged; the next search builds the index itself and reports its own error."""
    def run():
        try:
            index_for(store).refresh(KINDS)
        except LawgraphError as exc:
            logging.getLogger(__name__).warning("índice de búsqueda no construido al arrancar: %s", exc)

    t = threading.Thread(target=run, name="lawgraph-search-warm", daemon=True)
    t.start()
    return t


def changed(store: GraphStore) -> None:
    """Say that ``store`` was written by this process: the next search recounts at once."""
    index_for(store).checked = 0.0


@dataclass
class SearchResult:
    q: str
    concepts: list[Concept]
    groups: dict[str, dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {"q": self.q,
                "concepts": [{"words": c.words, "also": list(c.also)}
                             for c in self.concepts],
                "groups": self.groups}


def search(store: GraphStore, q: str, kinds: Iterable[str] | None = None, limit: int = 20,
           *, refresh: bool = False) -> SearchResult:
    """Every kind's best ``limit`` hits for ``q``, grouped by kind (in KINDS order), each with its
    total count, and each hit with its fields, its score and an excerpt in escaped HTML with the
    matched words in <mark>. InputError for an unknown kind; a query without words finds nothing."""
    kinds = list(kinds) if kinds else list(KINDS)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise InputError(None, f"tipo de resultado desconocido: {', '.join(unknown)} (se admiten: {', '.join(KINDS)})")
    concepts = parse_query(q)
    if not concepts:
        return SearchResult(q, [], {k: {"name": KIND_NAMES[k], "total": 0, "hits": []} for k in KINDS if k in kinds})
    idx = index_for(store)
    idx.refresh(kinds, force=refresh)
    groups: dict[str, dict[str, Any]] = {}
    for kind in KINDS:
        if kind not in kinds:
            continue
        part = idx.part(kind)
        found = part.query(concepts)
        hits = []
        for score, d, matched in found[:limit]:
            doc = part.docs[d]
            hits.append({"id": doc.id, **doc.fields, "score": round(score, 3),
                         "excerpt_html": highlight(doc.text, matched)})
        groups[kind] = {"name": KIND_NAMES[kind], "total": len(found), "hits": hits}
    return SearchResult(q, concepts, groups)
