"""The parsed form of a law document (what stage 3 of ingest produces).

A ``ParsedLaw`` is a faithful reading of one source file: nothing in it is inferred from
other documents. Graph loading turns it into Law / LawVersion / Provision / ProvisionVersion
nodes with ids from :mod:`lawgraph.ids`.
"""
from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from lawgraph.model.base import Frozen

UnitKind = Literal[
    "articulo", "parrafo", "fraccion", "inciso", "numeral", "apartado", "transitorio"
]
DivisionKind = Literal["libro", "titulo", "subtitulo", "capitulo", "seccion", "apartado"]


class SourceRef(Frozen):
    """Where a fact was read: document hash, 1-based page (None for files without pages),
    and the character span in that page's cleaned text (or in the whole text when page is None)."""

    sha256: str
    page: int | None
    start: int = 0
    end: int = 0


class ReformNote(Frozen):
    """An inline note such as 'Fracción reformada DOF 29-04-2022' or, in state laws,
    '[Artículo reformado mediante Decreto No. … publicado en el P.O.E. No. … del …]'."""

    text: str
    subject: str | None = None          # 'Fracción', 'Párrafo', 'Artículo', 'Denominación …'
    actions: list[str] = Field(default_factory=list)  # reformado / adicionado / derogado / …
    dates: list[date] = Field(default_factory=list)
    gazette: str = "DOF"
    source: SourceRef
    # How many paragraphs of its unit the note follows: where the words it annotates end.
    # LeyesBiblio prints 'Fracción adicionada DOF 11-01-2021' after the fracción's last paragraph,
    # so the paragraphs after the note are the article's (None when the reader does not know).
    paragraphs: int | None = None

    def as_json(self) -> dict:
        """The note as JSON (``parse --json`` and the graph's ``reform_notes`` property)."""
        return {"text": self.text, "subject": self.subject, "actions": list(self.actions),
                "dates": [d.isoformat() for d in self.dates], "gazette": self.gazette,
                "page": self.source.page}


class Unit(Frozen):
    """A provision unit: artículo ▸ párrafo / fracción ▸ inciso ▸ numeral.

    ``text`` is the unit's own text (its heading line included for an artículo), with
    wrapped lines joined by single spaces; ``full_text`` of an artículo is everything it says.
    """

    kind: UnitKind
    label: str                            # normalised ('20 Ter', 'XXIX-A', 'a', '2' for 2nd párrafo)
    raw_label: str | None = None          # as printed ('ARTÍCULO 20 TER.-', 'XXIX-A.', 'a)')
    text: str = ""
    repealed: bool = False
    reform_notes: list[ReformNote] = Field(default_factory=list)
    children: list["Unit"] = Field(default_factory=list)
    source: SourceRef

    def full_text(self) -> str:
        parts = [self.text] if self.text else []
        parts.extend(c.full_text() for c in self.children)
        return "\n".join(p for p in parts if p)

    def fracciones(self) -> list["Unit"]:
        """Fracciones of this unit in reading order: directly under it or under its párrafos,
        apartados, numerales or incisos (LGIPE and LGPP number paragraphs '1.' and put lists
        of fracciones under them), but not the sub-items of a fracción itself."""
        out: list[Unit] = []
        for c in self.children:
            if c.kind == "fraccion":
                out.append(c)
            else:
                out.extend(c.fracciones())
        return out


class Division(Frozen):
    """A structural heading (Libro, Título, Capítulo, Sección) and the article labels under it."""

    kind: DivisionKind
    label: str                            # 'PRIMERO', 'I', 'ÚNICO', 'Segunda Bis'
    heading: str                          # 'DISPOSICIONES GENERALES'
    repealed: bool = False
    reform_notes: list[ReformNote] = Field(default_factory=list)
    children: list["Division"] = Field(default_factory=list)
    articles: list[str] = Field(default_factory=list)   # normalised labels, in order
    source: SourceRef


class Decree(Frozen):
    """An entry of 'ARTÍCULOS TRANSITORIOS DE DECRETOS DE REFORMA' (or a state gazette list)."""

    index: int                            # 1-based order in the section
    kind: Literal["decreto", "ley_o_reforma_sin_titulo_decreto", "fe_de_erratas", "scjn"] = "decreto"
    title: str
    dof_date: date | None
    notified_date: date | None = None
    declared_invalid: bool = False
    clause: str = ""                      # the amendment clause ('ARTÍCULO ÚNICO.- Se reforman …')
    transitorios: list[Unit] = Field(default_factory=list)
    source: SourceRef
    # State gazettes number their decrees and issues ('DECRETO 311 … PERIODICO OFICIAL No. 36'):
    # printed decree number (no leading zeros) and gazette issue ('104 Bis', '10 Ext.'); None
    # for LeyesBiblio entries, which print neither.
    number: str | None = None
    gazette_number: str | None = None


class ParsedLaw(Frozen):
    """One law document read end to end."""

    file: str
    sha256: str
    format: Literal["pdf", "doc", "docx", "md", "html", "txt"]
    pages: int | None
    title: str
    ultima_reforma: date | None           # from the running header / 'Última reforma publicada'
    publication: str | None = None        # 'Nueva Ley publicada en el Diario Oficial … 1 de febrero de 2007'
    preamble: str = ""
    preamble_notes: list[ReformNote] = Field(default_factory=list)
    divisions: list[Division] = Field(default_factory=list)
    articles: list[Unit] = Field(default_factory=list)          # body artículos in order
    transitorios_heading: str | None = None
    transitorios: list[Unit] = Field(default_factory=list)      # of the original law
    decrees: list[Decree] = Field(default_factory=list)
    # Placeholders such as '[Artículo 11 Bis. Suprimido]' (struck out by the SCJN): kept out
    # of ``articles`` and listed here by normalised label.
    suppressed_articles: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def article(self, label: str) -> Unit | None:
        for a in self.articles:
            if a.label == label:
                return a
        return None


Unit.model_rebuild()
Division.model_rebuild()
