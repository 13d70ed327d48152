"""Amendment operations read from a decree's amendment clause.

"Se reforman los artículos 2, primer párrafo; 3 …; se adicionan la fracción XXI al artículo 5
…; y se derogan la Sección Segunda Bis … y el artículo 42 Bis" becomes one ``Operation`` per
(operation, article, finer target): ``reforma 2 [párrafo 1]``, ``reforma 3``, ``adiciona 5
[fracción XXI]``, ``deroga 42 Bis``, ``deroga [sección Segunda Bis]``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import Field

from lawgraph.model.base import Frozen

OpKind = Literal["reforma", "adiciona", "deroga", "renumera", "recorre", "expide", "abroga"]
TargetUnitKind = Literal["parrafo", "fraccion", "inciso", "numeral", "apartado", "base"]
DivisionTargetKind = Literal["libro", "titulo", "capitulo", "seccion"]


class UnitRef(Frozen):
    """One step of a finer target inside an article.

    ``label`` is normalised: párrafos by number ('1' for 'primer párrafo', 'último',
    'inicial'), fracciones as printed roman numerals ('XXIX-A', 'I Bis'), incisos as the bare
    letter ('a'), apartados and bases as printed ('A', 'Primera').
    """

    kind: TargetUnitKind
    label: str


class DivisionRef(Frozen):
    """A structural division named by a clause: 'la denominación del Capítulo IV del Título III'."""

    kind: DivisionTargetKind
    label: str                                   # as printed, title-cased: 'IV', 'Segunda Bis'
    parents: list["DivisionRef"] = Field(default_factory=list)


class Operation(Frozen):
    """One amendment operation on one target.

    ``article`` is None for operations on divisions or on the whole law (its denomination,
    an abrogation, a new law expedited). ``units`` is the path below the article, outermost
    first (apartado ▸ fracción ▸ inciso ▸ párrafo). ``start``/``end`` index the clause text.
    """

    op: OpKind
    law: str | None = None                       # law name as written in the clause, if any
    article: str | None = None                   # normalised label: '4', '42 Bis', '34 A'
    transitory: bool = False                     # an article of a decree's transitorios
    units: list[UnitRef] = Field(default_factory=list)
    division: DivisionRef | None = None
    denomination: bool = False                   # the heading/name of the division or law
    decree_article: str | None = None            # 'ÚNICO', 'PRIMERO' … of the amending decree
    start: int
    end: int
    text: str                                    # the clause excerpt the operation was read from


class ClauseParse(Frozen):
    """All operations read from one clause, and what could not be read."""

    clause: str
    operations: list[Operation] = Field(default_factory=list)
    source: Literal["clause", "title", "none"] = "clause"
    problems: list[str] = Field(default_factory=list)   # user-facing (Spanish) messages

    def articles(self, law: str | None = None) -> list[str]:
        """Distinct article labels touched, in order of appearance."""
        seen: dict[str, None] = {}
        for op in self.operations:
            if op.article and not op.transitory and (law is None or op.law is None or op.law == law):
                seen.setdefault(op.article, None)
        return list(seen)


DivisionRef.model_rebuild()


@dataclass
class AmendmentPlan:
    """What :func:`lawgraph.nlp.decree_plan.plan_amendments` found in one law version, as rows
    :func:`lawgraph.graph.amendments.write_amendments` writes; all keyed by :mod:`lawgraph.ids`."""

    law_id: str
    version_id: str
    amendments: list[tuple[str, dict[str, Any]]] = field(default_factory=list)   # (id, props)
    operations: list[tuple[str, str]] = field(default_factory=list)               # (decree id, amendment id)
    targets: list[dict[str, str]] = field(default_factory=list)                   # {src: amendment, dst: provision}
    keep_by_decree: dict[str, list[str]] = field(default_factory=dict)            # amendments each decree keeps
    note_links: list[dict[str, Any]] = field(default_factory=list)                # {src: prov. version, dst: decree, props}
    unmatched: list[tuple[str, dict[str, Any]]] = field(default_factory=list)     # (note id, props)
    problems: list[str] = field(default_factory=list)
