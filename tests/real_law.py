"""The real LGAMVLV from the corpus, loaded into a store (for the search and participation tests)."""
from __future__ import annotations

from pathlib import Path

from lawgraph.graph import load_parsed_law
from lawgraph.ingest.leyesbiblio import parse_pdf


def load_lgamvlv(store, corpora: Path) -> None:
    load_parsed_law(store, parse_pdf(str(corpora / "laws/federal/lgamvlv.pdf")), jurisdiction="mx", kind="ley",
                    key="lgamvlv", title="Ley General de Acceso de las Mujeres a una Vida Libre de Violencias")
