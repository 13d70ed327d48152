"""Which documents an ingest reads: manifest entries and files turned into jobs.

The jobs are run by :func:`lawgraph.steps.ingest_document` (resolve, verify, parse completely,
then load), so a document that cannot be read leaves nothing behind.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from lawgraph import corpus
from lawgraph.config import Settings, get_settings
from lawgraph.errors import CorpusError, LawgraphError

# Formats with a reader today, best first: a PDF has pages to cite, the publisher's .doc comes
# next, the mirror's .docx conversion, then a Markdown conversion (Chihuahua) last.
FORMAT_RANK = {"pdf": 0, "doc": 1, "docx": 2, "md": 3}


@dataclass
class Job:
    """One document to ingest: a file and, when it comes from a manifest, its entry."""

    path: Path
    doc: corpus.Document | None = None

    @property
    def name(self) -> str:
        return self.doc.id if self.doc else str(self.path)


@dataclass
class Outcome:
    job: Job
    report: object | None = None          # lawgraph.graph.LoadReport
    error: str | None = None
    skipped: str | None = None
    extra: dict = field(default_factory=dict)


def law_documents(docs: Iterable[corpus.Document]) -> tuple[list[corpus.Document], list[tuple[corpus.Document, str]]]:
    """The documents `ingest --all` loads: one per law version, in the best format read today.

    Returns (chosen, skipped-with-reason). Two files of the same version (PDF and Word) would
    otherwise fight over one expression id; the others stay available for `ingest FILE`.
    """
    chosen: dict[tuple, corpus.Document] = {}
    skipped: list[tuple[corpus.Document, str]] = []
    for d in docs:
        if not d.is_law:
            skipped.append((d, "no es el texto de una ley"))
            continue
        if d.format not in FORMAT_RANK:
            skipped.append((d, f"el formato {d.format} (perfil {d.profile}) aún no tiene lector"))
            continue
        if d.profile == "leyesbiblio-mobile":
            skipped.append((d, "versión móvil sin sección de decretos: se prefiere el PDF completo"))
            continue
        k = (d.jurisdiction, d.law_key, d.version_date or d.id)
        cur = chosen.get(k)
        if cur is None or FORMAT_RANK[d.format] < FORMAT_RANK[cur.format]:
            if cur is not None:
                skipped.append((cur, f"misma versión que {d.id}"))
            chosen[k] = d
        else:
            skipped.append((d, f"misma versión que {cur.id}"))
    return list(chosen.values()), skipped


def plan_jobs(targets: list[str], *, all_docs: bool, settings: Settings | None = None) -> tuple[list[Job], list[Outcome]]:
    """Turn CLI targets (files, manifests, manifest ids) into jobs. Unresolvable targets become
    failed outcomes rather than stopping the others."""
    settings = settings or get_settings()
    docs = corpus.load_all()
    jobs: list[Job] = []
    failed: list[Outcome] = []
    selected: list[corpus.Document] = []
    skipped: list[tuple[corpus.Document, str]] = []
    if all_docs:
        c, s = law_documents(docs)
        selected += c
        skipped += s
    for t in targets:
        p = Path(t)
        if p.suffix == ".toml" and p.is_file():
            c, s = law_documents(corpus.load_manifest(p))
            selected += c
            skipped += s
        elif p.exists():
            jobs.append(Job(p))
        else:
            try:
                selected.append(corpus.find(t, docs))
            except CorpusError as exc:
                failed.append(Outcome(Job(p), error=str(exc)))
    seen = set()
    for d in selected:
        if d.id in seen:
            continue
        seen.add(d.id)
        try:
            jobs.append(Job(corpus.resolve(d, settings), d))
        except LawgraphError as exc:
            failed.append(Outcome(Job(Path(d.path), d), error=str(exc)))
    skipped_out = [Outcome(Job(Path(d.path), d), skipped=why) for d, why in skipped if d.id not in seen]
    return jobs, failed + skipped_out
