"""Recommendation sources: one reader module per source behind one small registry.

=============  ======================================  =====================================
profile        module                                  reads
=============  ======================================  =====================================
cladem         :mod:`~lawgraph.ingest.recs.cladem`     a body file of the CLADEM compilation
cladem-index   :mod:`~lawgraph.ingest.recs.cladem`     its thematic index (themes of the above)
upr-csv        :mod:`~lawgraph.ingest.recs.upr_csv`    a UPR review's recommendations as rows
upr-pdf        :mod:`~lawgraph.ingest.recs.upr_pdf`    a UPR Working Group report (PDF)
=============  ======================================  =====================================

Which files exist, their order, and each UPR review's year and document symbol are read from
the manifest ``corpora/recommendations/un_recommendations.toml`` (:data:`MANIFEST`), keyed by
its ``profile``; nothing here names a path or a year. People's files (CSV, JSON) are read by
:mod:`~lawgraph.ingest.recs.user_import`. Adding a source: a reader module, a row in
:data:`SOURCES`, its documents in the manifest.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from lawgraph import corpus
from lawgraph.errors import InputError
from lawgraph.ingest.recs.manifest import MANIFEST, read_manifest, upr_documents
from lawgraph.model.recs import Recommendation


@dataclass(frozen=True)
class Source:
    """A reader of one kind of source. ``group``: consecutive manifest documents of the same
    group are read together (the CLADEM body files and their index resolve themes across files)."""

    group: str
    read: Callable[[list[tuple[Path, corpus.Document]]], list[Recommendation]]


def _read_cladem(docs: list[tuple[Path, corpus.Document]]) -> list[Recommendation]:
    from lawgraph.ingest.recs.cladem import read_cladem_files

    recs, _, _ = read_cladem_files([p for p, _ in docs])
    return recs


def _read_upr_csv(docs: list[tuple[Path, corpus.Document]]) -> list[Recommendation]:
    from lawgraph.ingest.recs.upr_csv import read_upr_csv

    out: list[Recommendation] = []
    for p, d in docs:
        out.extend(read_upr_csv(p, {d.year: d.symbol} if d.year and d.symbol else upr_documents()).items)
    return out


def _read_upr_pdf(docs: list[tuple[Path, corpus.Document]]) -> list[Recommendation]:
    from lawgraph.ingest.recs.upr_pdf import read_upr_pdf

    out: list[Recommendation] = []
    for p, d in docs:
        if d.year is None:
            raise InputError(Path(d.manifest or MANIFEST), f"{d.id}: falta el año (year) del examen")
        out.extend(read_upr_pdf(p, d.year, d.symbol))
    return out


SOURCES: dict[str, Source] = {
    "cladem": Source("cladem", _read_cladem),
    "cladem-index": Source("cladem", _read_cladem),
    "upr-csv": Source("upr-csv", _read_upr_csv),
    "upr-pdf": Source("upr-pdf", _read_upr_pdf),
}


def source_documents(manifest: str | Path | None = None) -> list[corpus.Document]:
    """The recommendation sources of the manifest, in its order. Raises InputError naming the
    manifest when it is missing or names a profile no reader has."""
    docs = read_manifest(manifest)
    for d in docs:
        if d.profile not in SOURCES:
            raise InputError(Path(d.manifest or MANIFEST), f"{d.id}: perfil {d.profile!r} sin lector (use {', '.join(SOURCES)})")
    return docs


def load_corpus_recommendations(mirror: str | Path, manifest: str | Path | None = None) -> list[Recommendation]:
    """Every recommendation of the sources the manifest lists that are in ``mirror``: CLADEM
    (all bodies, with their themes), the UPR CSVs and the UPR PDFs' items that the CSVs lack;
    rec_ids are unique (the first source read wins). A source file missing from the mirror is
    not read; a mirror that holds none of them is an InputError."""
    docs = [(Path(mirror) / d.path, d) for d in source_documents(manifest)]
    present = [(p, d) for p, d in docs if p.is_file()]
    if docs and not present:
        raise InputError(Path(mirror) / "un_recommendations", "no contiene ninguna fuente de recomendaciones del manifiesto")
    by_id: dict[str, Recommendation] = {}
    for group in _groups(present):
        for r in SOURCES[group[0][1].profile or ""].read(group):
            by_id.setdefault(r.rec_id, r)
    return list(by_id.values())


def _groups(docs: list[tuple[Path, corpus.Document]]) -> list[list[tuple[Path, corpus.Document]]]:
    """Consecutive documents of the same reader group, in manifest order."""
    out: list[list[tuple[Path, corpus.Document]]] = []
    for p, d in docs:
        g = SOURCES[d.profile or ""].group
        if out and SOURCES[out[-1][0][1].profile or ""].group == g:
            out[-1].append((p, d))
        else:
            out.append([(p, d)])
    return out


def pair_translations(recs: Iterable[Recommendation]) -> dict[str, str]:
    """English rec_id -> rec_id of the same recommendation in Spanish (same document and paragraph).

    The CLADEM compilation carries the Spanish text of the UPR recommendations that concern
    women and girls; the linker can match those Spanish words against Spanish provisions instead
    of crossing languages.
    """
    es = {(r.document, r.paragraph, r.subparagraph): r.rec_id for r in recs if r.language == "es"}
    out = {}
    for r in recs:
        if r.language == "en":
            hit = es.get((r.document, r.paragraph, r.subparagraph))
            if hit:
                out[r.rec_id] = hit
    return out


def spanish_twins(recs: Iterable[Recommendation]) -> dict[str, str]:
    """English rec_id -> the link text of its Spanish twin (``pair_translations``): what the
    linker searches an English recommendation with, besides its own words."""
    recs = list(recs)
    by_id = {r.rec_id: r for r in recs}
    return {en: by_id[es].link_text() for en, es in pair_translations(recs).items()}
