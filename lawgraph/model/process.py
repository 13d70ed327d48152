"""The legislative process: proposals, their events and the laws they would change.

The stage model covers the whole federal path of Mexican legislation:

    presentada -> turnada_comision -> dictaminada -> aprobada_origen -> enviada_revisora
      -> aprobada_revisora | devuelta_origen -> enviada_ejecutivo -> publicada_dof

constitutional reforms (art. 135) add ``aprobada_legislaturas`` (each state legislature's
vote, with its jurisdiction) and ``declaratoria`` (the Congress or Comisión Permanente
declares the reform approved) before publication; unicameral state congresses use
``presentada -> turnada_comision -> dictaminada -> aprobada_congreso_estatal ->
publicada_periodico_oficial``. Ends that stop a proposal: ``retirada``, ``desechada``,
``precluida``. ``publicada_gaceta`` records publication in the chamber's Gaceta Parlamentaria.
Every event carries its source (file, sha256, line or record number).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any, Literal

from pydantic import Field

from lawgraph.model.amendment import OpKind
from lawgraph.model.base import Frozen


class Stage(str, Enum):
    """A step of the legislative path (values are stable ids used in the graph and the API)."""

    PRESENTADA = "presentada"
    PUBLICADA_GACETA = "publicada_gaceta"
    TURNADA_COMISION = "turnada_comision"
    DICTAMINADA = "dictaminada"
    APROBADA_ORIGEN = "aprobada_origen"
    ENVIADA_REVISORA = "enviada_revisora"
    APROBADA_REVISORA = "aprobada_revisora"
    DEVUELTA_ORIGEN = "devuelta_origen"
    ENVIADA_EJECUTIVO = "enviada_ejecutivo"
    APROBADA_LEGISLATURAS = "aprobada_legislaturas"      # art. 135: one event per state legislature
    DECLARATORIA = "declaratoria"                        # art. 135: reform declared approved
    APROBADA_CONGRESO_ESTATAL = "aprobada_congreso_estatal"
    PUBLICADA_DOF = "publicada_dof"
    PUBLICADA_PERIODICO_OFICIAL = "publicada_periodico_oficial"
    RETIRADA = "retirada"
    DESECHADA = "desechada"
    PRECLUIDA = "precluida"


#: Stages after which nothing more happens to a proposal.
FINAL_STAGES = {Stage.PUBLICADA_DOF, Stage.PUBLICADA_PERIODICO_OFICIAL, Stage.RETIRADA,
                Stage.DESECHADA, Stage.PRECLUIDA}

#: Order of the stages along the federal path (for "how far did it get").
STAGE_ORDER = {s: i for i, s in enumerate([
    Stage.PRESENTADA, Stage.PUBLICADA_GACETA, Stage.TURNADA_COMISION, Stage.DICTAMINADA,
    Stage.APROBADA_ORIGEN, Stage.ENVIADA_REVISORA, Stage.DEVUELTA_ORIGEN, Stage.APROBADA_REVISORA,
    Stage.APROBADA_CONGRESO_ESTATAL, Stage.ENVIADA_EJECUTIVO, Stage.APROBADA_LEGISLATURAS,
    Stage.DECLARATORIA, Stage.PUBLICADA_DOF, Stage.PUBLICADA_PERIODICO_OFICIAL,
    Stage.RETIRADA, Stage.DESECHADA, Stage.PRECLUIDA,
])}

Chamber = Literal["diputados", "senado", "congreso_estatal", "comision_permanente", "ejecutivo"]


class ProcessSource(Frozen):
    """Where an event or a proposal was read: file (name relative to the mirror), its sha256,
    the 1-based line in the file (HTML pages, JSONL records) and the character offset."""

    file: str
    sha256: str
    line: int | None = None
    offset: int | None = None
    record: str | None = None             # the record's id inside the file (SIL: '<legislator>/<n>/SIL <id>')


class Proponent(Frozen):
    """Who presented a proposal: a legislator with party, a group, a state congress, …"""

    name: str
    party: str | None = None             # 'MORENA', 'PAN', … as printed
    kind: Literal["diputado", "senador", "congreso_estatal", "ejecutivo", "grupo", "ciudadano", "otro"] = "diputado"


class Committee(Frozen):
    """A legislative committee a proposal was turned to."""

    name: str                             # 'Igualdad de Género'
    key: str                              # folded slug: 'igualdad-de-genero'
    chamber: Chamber = "diputados"
    role: Literal["dictamen", "opinion"] = "dictamen"
    sitl_id: int | None = None


class Target(Frozen):
    """A law (and its articles) a proposal would change, resolved against the catalogue.

    An unknown law keeps its raw name with ``law_key=None``: never dropped.
    """

    law_raw: str | None                   # as written in the title
    law_key: str | None = None
    jurisdiction: str | None = None
    resolution_score: float = 0.0
    ops: list[OpKind] = Field(default_factory=list)
    articles: list[str] = Field(default_factory=list)   # normalised labels
    fractions: list[tuple[str, str]] = Field(default_factory=list)  # (article, fracción)
    constitutional: bool = False


class Event(Frozen):
    """One step of a proposal's path, with its date (None when the source gives none)."""

    stage: Stage
    date: date | None
    chamber: Chamber | None = "diputados"
    jurisdiction: str = "mx"              # 'mx-chh' for a state legislature's ratification
    detail: str | None = None             # 'art. 89', the committee names, the Gaceta URL
    committees: list[str] = Field(default_factory=list)   # committee keys
    source: ProcessSource


class Proposal(Frozen):
    """An initiative (or minuta / dictamen) and everything known about its path."""

    id: str                               # '/mx/iniciativa/lxvi-<12 hex>'
    kind: Literal["iniciativa", "minuta", "dictamen", "proposicion"] = "iniciativa"
    legislature: str = "LXVI"
    chamber: Chamber = "diputados"
    title: str
    synopsis: str = ""
    proponents: list[Proponent] = Field(default_factory=list)
    committees: list[Committee] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    status: Literal["pendiente", "aprobada", "retirada", "desechada", "publicada", "otro"] = "pendiente"
    status_date: date | None = None
    date_presented: date | None = None
    gaceta_url: str | None = None
    sil_ids: list[str] = Field(default_factory=list)     # SIL seguimiento ids of the same instrument
    sources: list[ProcessSource] = Field(default_factory=list)
    problems: list[str] = Field(default_factory=list)    # what could not be read, in Spanish

    @property
    def stage(self) -> Stage:
        """The furthest stage reached (the last event along :data:`STAGE_ORDER`)."""
        if not self.events:
            return Stage.PRESENTADA
        return max((e.stage for e in self.events), key=lambda s: STAGE_ORDER[s])

    def law_keys(self) -> list[str]:
        return [t.law_key for t in self.targets if t.law_key]


@dataclass
class ProposalPlan:
    """What :func:`lawgraph.nlp.process_plan.plan_proposals` made of a snapshot's proposals, as
    rows :func:`lawgraph.graph.process.write_proposals` writes; all keyed by :mod:`lawgraph.ids`."""

    nodes: dict[str, list[tuple[str, dict[str, Any]]]] = field(default_factory=dict)   # label -> (id, props)
    edges: list[tuple] = field(default_factory=list)          # (type, src label, src, dst label, dst[, props])
    laws: list[dict[str, Any]] = field(default_factory=list)  # Law rows for the targets' laws
    provision_links: list[dict[str, str]] = field(default_factory=list)   # {src: target, dst: provision}
    problems: list[str] = field(default_factory=list)


# The chambers and bodies a proposal passes through, in the words people read (pages, CLI): one
# vocabulary for the proposal pages and the suggestion page's initiatives.
CHAMBER_ES = {"diputados": "Cámara de Diputados", "senado": "Senado de la República",
              "comision_permanente": "Comisión Permanente", "congreso_estatal": "Congreso estatal",
              "ejecutivo": "Ejecutivo Federal"}
