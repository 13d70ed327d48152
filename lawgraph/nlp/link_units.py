"""Linker stage 1, units: the articles and fracciones of a law version as the linker sees them.

``units_from_parsed`` reads a parsed law; ``units_from_tree`` the same tree rebuilt from the graph
(``lawgraph.graph.links.link_unit_rows`` -> ``units_from_graph``). Each unit carries law-level
context (title, division headings), its reform notes and the decrees they name. ``dedupe_units``
merges the versions of a provision with the same text; units are cached keyed on a file's sha256
or a stored version's content hash (see docs/linking.md).
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import pickle
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from lawgraph import ids
from lawgraph.cachefile import write_atomic
from lawgraph.errors import InputError
from lawgraph.model.law import Division, ParsedLaw, ReformNote, SourceRef, Unit

FRACTION_HEAD_CHARS = 240          # the article's lead-in prefixed to each fracción unit


# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------
@dataclass
class ProvisionUnit:
    """One article or fracción of one law version, as the linker sees it."""

    uid: str                          # provision version id (newest version when deduplicated)
    provision_id: str                 # version-independent provision id
    law_key: str
    law_title: str
    article: str
    fraction: str | None
    text: str                         # the unit's words (a fracción carries its article's lead-in)
    context: str                      # law title and division headings
    version_date: str
    notes: list[tuple[date, str, str, str]] = field(default_factory=list)  # (date, note, decree id or '', enacted words)
    version_ids: list[str] = field(default_factory=list)

    @property
    def article_key(self) -> tuple[str, str]:
        return (self.law_key, self.article)


def _heading_map(divs: Sequence[Division], trail: tuple[str, ...] = ()) -> dict[str, str]:
    out: dict[str, str] = {}
    for d in divs:
        here = trail + (f"{d.kind} {d.label} {d.heading}".strip(),)
        for a in d.articles:
            out.setdefault(a, " / ".join(here))
        out.update(_heading_map(d.children, here))   # the innermost heading is the most specific
    return out


def _full(unit: Unit) -> str:
    parts = [unit.text]
    for c in unit.children:
        parts.append(_full(c))
    return " ".join(p for p in parts if p)


def _split_tail(f: Unit, last: bool) -> tuple[str, str]:
    """A fracción's own words and the closing paragraphs of its article that the parser leaves
    in the last fracción of a list (CPF art. 325 VIII carries the penalty paragraphs after it,
    LGDNNA art. 47 VIII the paragraph on upbringing, each on a new line). Only the last fracción
    of a list, and one without incisos, is cut at its first line break. Retrieval keeps the
    parser's unit (answers cite those words under the fracción); the cut only keeps a reform
    note on the fracción from dating the article's closing words in the landed check."""
    if not last or f.children or "\n" not in f.text:
        return _full(f), ""
    # The fracción ends where its own reform note stood (LGDNNA 47 VIII: the definitions of
    # corporal and humiliating punishment come before 'Fracción adicionada DOF 11-01-2021', the
    # article's closing paragraphs after it); without a note, at its first line break.
    paras = f.text.split("\n")
    n = max((r.paragraphs or 0 for r in f.reform_notes), default=0) or 1
    return "\n".join(paras[:n]), "\n".join(paras[n:])


def _without_fractions(unit: Unit) -> str:
    """A unit's words without the fracciones under it (they are units of their own)."""
    parts = [unit.text] + [_without_fractions(c) for c in unit.children if c.kind != "fraccion"]
    return " ".join(p for p in parts if p)


def _fractions(children: Sequence[Unit], segs: tuple[str, ...] = (),
               lead: str = "") -> list[tuple[tuple[str, ...], str, Unit, str, str]]:
    """Live fracciones at any depth under an article (not inside another fracción): their unit
    path (segments as the graph loader makes them, repeated labels '~n'), the lead-in of the
    párrafo or apartado they hang from ('' directly under the article), the fracción, its own
    words and the closing words of the article left in it (``_split_tail``).
    CPEUM art. 123 lists them under apartados A and B; many articles under a second párrafo."""
    out: list[tuple[tuple[str, ...], str, Unit, str, str]] = []
    seen: Counter[str] = Counter()
    for c in children:
        seg = ids.unit_segment(c.kind, c.label)
        seen[seg] += 1
        seg = ids.repeated_segment(seg, seen[seg])
        if c.kind == "fraccion":
            if not c.repealed:
                last = not any(x.kind == "fraccion" for x in children[children.index(c) + 1:])
                out.append((segs + (seg,), lead, c, *_split_tail(c, last)))
        elif not c.repealed:
            out += _fractions(c.children, segs + (seg,), c.text[:FRACTION_HEAD_CHARS])
    return out


def _note_rows(notes: Iterable[ReformNote], decrees: dict[date, str], enacted: str) -> list[tuple[date, str, str, str]]:
    """(date, note, decree id, the words the note dates) for each date of each note."""
    rows = []
    for n in notes:
        for d in n.dates:
            rows.append((d, n.text, decrees.get(d, ""), enacted))
    return rows


def units_from_parsed(parsed: ParsedLaw, key: str | None = None, kind: str | None = None,
                      jurisdiction: str = "mx") -> list[ProvisionUnit]:
    """Article and fracción units of one parsed law version (repealed ones left out)."""
    from lawgraph import corpus
    from lawgraph.nlp.reform_links import link_reform_notes

    if key is None:
        doc = corpus.find_by_sha(parsed.sha256)
        if doc is None or not doc.law_key:
            raise InputError(parsed.file, "la ley no está en los manifiestos: indique su clave (key=…)")
        key, kind, jurisdiction = doc.law_key, doc.kind or "ley", doc.jurisdiction or jurisdiction
    if parsed.ultima_reforma is None:
        raise InputError(parsed.file, "no se encontró la fecha de la última reforma: no se puede fechar la versión")
    # decree id by (article, fracción or None, date), from the notes linked to the decree list
    decree_of: dict[tuple[str, str | None], dict[date, str]] = defaultdict(dict)
    law_decrees: dict[date, str] = {}
    try:
        rep = link_reform_notes(parsed)
        for link in rep.links:
            frac = next((lab for k, lab in link.path if k == "fraccion"), None)
            decree_of[(link.article, frac)][link.dof_date] = link.decree
            law_decrees.setdefault(link.dof_date, link.decree)
    except Exception as e:  # noqa: BLE001 - decree links are evidence, not a precondition for linking
        logging.getLogger(__name__).warning("%s: notas de reforma sin enlazar a decretos (%s)", parsed.file, e)
    return units_from_tree(parsed.articles, parsed.divisions, parsed.title, parsed.ultima_reforma.isoformat(),
                           key=key, kind=kind or "ley", jurisdiction=jurisdiction,
                           decree_of=decree_of, law_decrees=law_decrees)


def units_from_tree(articles: Sequence[Unit], divisions: Sequence[Division], title: str, vdate: str, *,
                    key: str, kind: str, jurisdiction: str,
                    decree_of: dict[tuple[str, str | None], dict[date, str]],
                    law_decrees: dict[date, str]) -> list[ProvisionUnit]:
    """Units of one law version's article tree: what ``units_from_parsed`` and
    ``units_from_graph`` share. ``decree_of``: decree id by (article, fracción or None) and
    note date; ``law_decrees``: the version's decree by date (fallback)."""
    key = key.lower()
    work = ids.work_id(jurisdiction, kind, key)
    expr = ids.expression_id(work, vdate)
    headings = _heading_map(divisions)
    title = " ".join(title.split())
    units: list[ProvisionUnit] = []
    seen: Counter[str] = Counter()
    for art in articles:
        if art.repealed:
            continue
        aseg = ids.unit_segment(art.kind, art.label)
        seen[aseg] += 1
        aseg = ids.repeated_segment(aseg, seen[aseg])
        ctx = f"{title} {headings.get(art.label, '')}".strip()
        fracs = _fractions(art.children)
        other = [c for c in art.children if c.kind != "fraccion"]
        adec = {**law_decrees, **decree_of.get((art.label, None), {})}
        head = art.text
        body = _without_fractions(art) if fracs else _full(art)
        # A note under the article's own text dates that text ('Párrafo reformado'), or the whole
        # article when it says 'Artículo adicionado / reformado'.
        notes = [r for n in art.reform_notes
                 for r in _note_rows([n], adec, _full(art) if n.text.lower().startswith("artículo") else head)]
        for c in other:
            notes += _note_rows(c.reform_notes, adec, _full(c))
        units.append(ProvisionUnit(
            uid=ids.provision_version_id(expr, [aseg]), provision_id=ids.provision_id(work, [aseg]),
            law_key=key, law_title=title, article=art.label, fraction=None, text=body, context=ctx,
            version_date=vdate, notes=notes))
        for fsegs, lead, f, own, _tail in fracs:
            fdec = {**adec, **decree_of.get((art.label, f.label), {})}
            # A note on the article as a whole ('Artículo adicionado DOF …') dates its fracciones
            # too, and what it enacted in this fracción is the fracción's own words.
            fnotes = [(d, t, dec, own) for d, t, dec, _ in notes if t.lower().startswith("artículo")]
            fnotes += _note_rows(f.reform_notes, fdec, own)
            for u in f.children:
                fnotes += _note_rows(u.reform_notes, fdec, _full(u))
            lead_in = f"{head[:FRACTION_HEAD_CHARS]} {lead}".strip()
            units.append(ProvisionUnit(
                uid=ids.provision_version_id(expr, [aseg, *fsegs]),
                provision_id=ids.provision_id(work, [aseg, *fsegs]), law_key=key, law_title=title,
                article=art.label, fraction=f.label, text=f"{lead_in} {_full(f)}",
                context=ctx, version_date=vdate, notes=fnotes))
    return units



def dedupe_units(units: Iterable[ProvisionUnit]) -> list[ProvisionUnit]:
    """One unit per (provision, text): the newest version's id leads, the others are kept."""
    by: dict[tuple[str, str], ProvisionUnit] = {}
    for u in sorted(units, key=lambda x: x.version_date, reverse=True):
        k = (u.provision_id, " ".join(u.text.split()))
        if k in by:
            by[k].version_ids.append(u.uid)
            known = {(r[0], r[1]) for r in by[k].notes}
            by[k].notes += [r for r in u.notes if (r[0], r[1]) not in known]
        else:
            u.version_ids = [u.uid]
            by[k] = u
    return list(by.values())



# The code that turns a law file into units: a change to any of it makes cached units stale.
_UNIT_CODE = ("ingest", "model", "pipeline.py", "nlp/link_units.py", "nlp/dates.py", "nlp/textnorm.py")


@lru_cache(maxsize=1)
def _unit_code_hash() -> str:
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for name in _UNIT_CODE:
        p = root / name
        for f in sorted(p.rglob("*.py")) if p.is_dir() else [p]:
            h.update(f.relative_to(root).as_posix().encode() + b"\x00" + f.read_bytes())
    from importlib.metadata import PackageNotFoundError, version

    for dist in ("pypdfium2", "python-docx", "PyStemmer"):   # what reads and stems the text
        with contextlib.suppress(PackageNotFoundError):
            h.update(f"{dist}={version(dist)}".encode())
    return h.hexdigest()[:16]


def _file_units(path: Path, cache: Path | None) -> tuple[list[ProvisionUnit], bool]:
    """The units of one law file, from the cache (when there is one) if the file's bytes and
    the parsing code are the same as when they were cached (re-linking unchanged laws parses
    nothing); and whether the file was parsed."""
    from lawgraph.corpus import sha256_file
    from lawgraph.pipeline import parse_file

    if cache is None:
        return units_from_parsed(parse_file(path)), True
    pk = cache / "link_units" / f"{sha256_file(path)[:24]}-{_unit_code_hash()}.pkl"
    return _cached(pk, lambda: units_from_parsed(parse_file(path)))


def _cached(pk: Path, make) -> tuple[list[ProvisionUnit], bool]:
    """Units pickled at ``pk`` (a broken file is rebuilt), else ``make()`` written there
    (``cachefile.write_atomic``); and whether they were made."""
    if pk.is_file():
        try:
            return pickle.loads(pk.read_bytes()), False
        except Exception:  # noqa: BLE001 - a broken cache file is rebuilt
            pass
    units = make()
    write_atomic(pk, pickle.dumps(units, protocol=pickle.HIGHEST_PROTOCOL))
    return units, True



# --------------------------------------------------------------------------------------------
# Units from the graph
# --------------------------------------------------------------------------------------------
def _parent_id(node_id: str) -> str:
    return node_id.rsplit("/", 1)[0]


def _notes_from_json(raw: str | None, sha256: str) -> list[ReformNote]:
    """Reform notes as the loader stores them (a JSON list, ``lawgraph.export.note_json`` plus
    the span). The parser's paragraph count of a note is not stored: the last fracción of a
    list is then cut at its first line break (``_split_tail``)."""
    out = []
    for n in json.loads(raw or "[]"):
        out.append(ReformNote(text=n["text"], subject=n.get("subject"), actions=n.get("actions") or [],
                              dates=[date.fromisoformat(d) for d in n.get("dates") or []],
                              gazette=n.get("gazette") or "DOF",
                              source=SourceRef(sha256=sha256, page=n.get("page"), start=n.get("start") or 0,
                                               end=n.get("end") or 0)))
    return out


def units_from_graph(version: dict[str, Any], provisions: Sequence[dict[str, Any]],
                     divisions: Sequence[dict[str, Any]], note_decrees: Sequence[dict[str, Any]],
                     jurisdiction: str = "mx") -> list[ProvisionUnit]:
    """Units of one stored law version, from the rows of the named queries ``link_law_versions``
    (``version``), ``link_version_provisions``, ``link_version_divisions`` and
    ``link_version_note_decrees`` (its ``notes``): the article tree is rebuilt from the stored
    provision versions (the parent of a unit is its id without the last segment) and read
    exactly as a parsed file is (``units_from_tree``)."""
    vid, sha = version["id"], version.get("sha256") or ""
    kids: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in provisions:
        kids[_parent_id(r["id"])].append(r)
    built: dict[str, Unit] = {}

    def unit(r: dict[str, Any]) -> Unit:
        children = [unit(c) for c in sorted(kids.get(r["id"], ()), key=lambda c: c.get("ordinal") or 0)]
        u = Unit(kind=r["kind"], label=r["label"], text=r.get("text") or "", repealed=bool(r.get("repealed")),
                 reform_notes=_notes_from_json(r.get("reform_notes"), sha), children=children,
                 source=SourceRef(sha256=sha, page=None))
        built[r["id"]] = u
        return u

    top = sorted((r for r in kids.get(vid, ()) if r["kind"] == "articulo"), key=lambda r: r.get("ordinal") or 0)
    articles = [unit(r) for r in top]
    # decree of each note, by (article, nearest fracción) as link_reform_notes keys them
    label_of = {r["id"]: (r["kind"], r["label"]) for r in provisions}
    decree_of: dict[tuple[str, str | None], dict[date, str]] = defaultdict(dict)
    law_decrees: dict[date, str] = {}
    for n in note_decrees:
        if not n.get("id") or not n.get("decree_id") or not n.get("date"):
            continue
        node, frac, art = n["id"], None, None
        while node in label_of:
            kind, lab = label_of[node]
            if kind == "fraccion" and frac is None:
                frac = lab
            if kind == "articulo" and _parent_id(node) == vid:
                art = lab
                break
            node = _parent_id(node)
        if art is None:
            continue
        day = date.fromisoformat(n["date"])
        decree_of[(art, frac)][day] = n["decree_id"]
        law_decrees.setdefault(day, n["decree_id"])
    divs = _divisions_from_rows(vid, divisions, sha)
    return units_from_tree(articles, divs, version.get("title") or "", version["date"],
                           key=version["law_key"], kind=version.get("law_kind") or "ley",
                           jurisdiction=jurisdiction, decree_of=decree_of, law_decrees=law_decrees)


def _divisions_from_rows(vid: str, rows: Sequence[dict[str, Any]], sha: str) -> list[Division]:
    kids: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        kids[_parent_id(r["id"])].append(r)

    def div(r: dict[str, Any]) -> Division:
        children = [div(c) for c in sorted(kids.get(r["id"], ()), key=lambda c: c.get("ordinal") or 0)]
        return Division(kind=r["kind"], label=r["label"], heading=r.get("heading") or "", children=children,
                        articles=[a for a in r.get("articles") or [] if a], source=SourceRef(sha256=sha, page=None))

    return [div(r) for r in sorted(kids.get(vid, ()), key=lambda c: c.get("ordinal") or 0)]


def version_units(version: dict[str, Any], read_rows, cache: Path | None) -> tuple[list[ProvisionUnit], bool]:
    """The units of one stored version: from the cache when its content hash (the hash of all
    its provisions, ``LawVersion.content_hash``) and the unit code are those cached, else from
    ``read_rows(version_id) -> (provisions, divisions, note_decrees)``; and whether rows were read."""
    if cache is None or not version.get("content_hash"):
        return units_from_graph(version, *read_rows(version["id"])), True
    name = hashlib.sha256(f"{version['id']}|{version['content_hash']}".encode()).hexdigest()[:24]
    pk = cache / "link_units" / f"graph-{name}-{_unit_code_hash()}.pkl"
    return _cached(pk, lambda: units_from_graph(version, *read_rows(version["id"])))
