"""What is read back from the graph, typed: the domain model the CLI and the API show.

The parse-side models (:mod:`lawgraph.model.law`, :mod:`lawgraph.model.recs`,
:mod:`lawgraph.model.process`) describe what a document says; these describe what the graph
holds, each with the ids of :mod:`lawgraph.ids` and, where the graph keeps one, its source.
:mod:`lawgraph.graph.read` builds :class:`ProvisionVersion`, :mod:`lawgraph.graph.views` the others,
from the named queries' rows. A recommendation or a suggestion read back for its page is a
:class:`RecommendationView` / :class:`SuggestionView`: the parse-side fields with its links.

    Law ▸ LawVersion ▸ ProvisionVersion (of a Provision) ; Decree ; Proposal ;
    Recommendation / Suggestion ─Link→ Provision
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field

from lawgraph.model.base import Frozen
from lawgraph.model.recs import LinkKind, LinkStatus, Recommendation, Suggestion  # noqa: F401 (read back as they are)


class Source(Frozen):
    """Where a fact was read: document hash, file, page (None for page-less formats), span."""

    sha256: str | None = None
    file: str | None = None
    page: int | None = None
    start: int | None = None
    end: int | None = None


class Law(Frozen):
    """A law (the work) with the dates of its complete versions, oldest first."""

    id: str
    key: str
    title: str | None = None
    jurisdiction: str | None = None
    kind: str | None = None
    versions: list[str] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def latest(self) -> str | None:
        """The date of the latest complete version; None when no text of the law is loaded
        (a catalogue entry named by proposals or recommendations)."""
        return self.versions[-1] if self.versions else None


class LawVersion(Frozen):
    """A law's text as in force from a date, read from one document."""

    id: str
    law_id: str
    date: str
    title: str | None = None


class Provision(Frozen):
    """A unit of a law across its versions (article, fracción, …)."""

    id: str
    law_id: str
    kind: str
    label: str


class PathStep(Frozen):
    """One level above a provision version: the law version, a division or an enclosing unit."""

    id: str
    kind: str | None = None
    label: str | None = None
    heading: str | None = None


class ProvisionVersion(BaseModel):
    """A provision's text in one law version, with everything under it, where it sits, its
    reform notes and its source; and how it answers the date asked (``basis``, filled by
    :func:`lawgraph.graph.read.find_article` / ``get_provision``, which set these last four
    fields after reading, hence not frozen): 'version' (a whole version in force that day),
    'historia' (a state of the reconstructed decree history), 'sin_cambios' (the oldest loaded
    version, older dates shown unchanged by the reform notes and the decree list)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    provision_id: str
    law_id: str
    law_key: str
    law_title: str
    version_id: str
    version_date: str
    kind: str
    label: str
    raw_label: str | None = None
    text: str                                    # own text followed by every unit under it
    own_text: str
    repealed: bool = False
    path: list[PathStep] = Field(default_factory=list)
    reform_notes: list[dict[str, Any]] = Field(default_factory=list)
    source: Source
    children: list[Provision] = Field(default_factory=list)   # the direct units, in order
    basis: Literal["version", "historia", "sin_cambios"] = "version"
    # The date of the provision's own last change (not the version's date): the latest reform
    # note of the provision or of a unit under it, up to the version's date; the history
    # state's decree date. None when no note dates it (the law's original text).
    in_force_since: str | None = None
    approximate: bool = False
    reasoning: list[str] = Field(default_factory=list)   # Spanish, for people

    @property
    def provision(self) -> Provision:
        return Provision(id=self.provision_id, law_id=self.law_id, kind=self.kind, label=self.label)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict (the CLI's --json, the API's /api/provision)."""
        return self.model_dump(mode="json")


class Decree(Frozen):
    """A reform decree as a law version lists it, with the amendment clause printed there."""

    id: str
    dof_date: str | None = None
    title: str
    kind: str | None = None
    declared_invalid: bool | None = None
    index: int | None = None
    clause: str | None = None
    page: int | None = None


class Proposal(Frozen):
    """An initiative of the legislative process as the status filters return it."""

    id: str
    title: str
    stage: str | None = None
    status: str | None = None
    date_presented: str | None = None
    pending_since: str | None = None
    parties: list[str] = Field(default_factory=list)
    committees: list[str] = Field(default_factory=list)
    laws: list[str] = Field(default_factory=list)
    articles: list[str] = Field(default_factory=list)
    gaceta_url: str | None = None


class DecreeRow(Frozen):
    """A decree in the list of decrees (``lawgraph/queries/list_decrees.cypher``): its DOF date,
    title, kind and the laws it amends."""

    id: str
    dof_date: str | None = None
    title: str | None = None
    kind: str | None = None
    laws: list[str] = Field(default_factory=list)


class ProposalRow(Frozen):
    """A proposal in the list people filter (``lawgraph/queries/list_proposals.cypher``), with
    the Spanish words the page and ``/api/propuestas`` show beside the stored codes
    (:func:`lawgraph.api.proposals_view.list_rows`)."""

    id: str
    kind: str | None = None
    title: str
    stage: str | None = None
    status: str | None = None
    chamber: str | None = None
    chambers: list[str] = Field(default_factory=list)
    jurisdictions: list[str] = Field(default_factory=list)
    date_presented: str | None = None
    pending_since: str | None = None
    laws: list[str] = Field(default_factory=list)
    articles: list[str] = Field(default_factory=list)
    committees: list[str] = Field(default_factory=list)
    sil_ids: list[str] = Field(default_factory=list)
    short_title: str | None = None
    stage_es: str | None = None
    chamber_es: str | None = None
    kind_es: str | None = None
    chambers_es: list[str] = Field(default_factory=list)
    jurisdictions_es: list[str] = Field(default_factory=list)


class Link(Frozen):
    """A link from a recommendation or suggestion to a provision, with its review state."""

    id: str
    from_id: str
    from_label: str | None = None
    to_id: str
    target_label: str | None = None
    kind: LinkKind | None = None
    score: float = 0.0
    rank: int | None = None        # place in its source's candidate list, as the linker ranked it
    method: str | None = None
    status: LinkStatus = "suggested"
    version_id: str | None = None
    evidence_from: list[dict[str, Any]] = Field(default_factory=list)
    evidence_to: list[dict[str, Any]] = Field(default_factory=list)
    anchors: list[dict[str, Any]] = Field(default_factory=list)   # initiatives that named the article
    decree_id: str | None = None
    reviewer: str | None = None
    time: str | None = None
    reason: str | None = None
    linked_at: str | None = None
    from_text: str | None = None
    target_label_text: str | None = None
    law_key: str | None = None
    article: str | None = None
    unit: str | None = None


class LinkSource(Source):
    """Where the linked provision's text was read: the document (a :class:`Source`), and the
    law version with its date."""

    version: str | None = None
    version_date: str | None = None


class DecreeRef(Frozen):
    """The decree a link names (a suggestion that landed): its id, DOF date and title."""

    id: str
    dof_date: str | None = None
    title: str | None = None


class LinkView(Link):
    """A link as a recommendation's page shows it: with the provision's text and source, and
    the decree it names."""

    source: LinkSource | None = None
    provision_text: str | None = None
    decree: DecreeRef | None = None


class TextRef(Frozen):
    """A sub-paragraph of a recommendation: its id and text."""

    id: str
    text: str | None = None


class RecommendationView(Source):
    """A stored recommendation (the fields of :class:`lawgraph.model.recs.Recommendation`, its
    source flattened as the graph keeps it: :class:`Source` and the row) with its sub-paragraphs
    and its links: every candidate and reviewed one, and the confirmed ones apart."""

    id: str
    body: str
    document: str
    paragraph: str
    subparagraph: str | None = None
    year: int | None = None
    language: str
    text: str
    recommendation_part: str | None = None
    chapeau: str | None = None
    section: str | None = None
    themes: list[str] = Field(default_factory=list)
    recommending_states: list[str] = Field(default_factory=list)
    decision: str | None = None
    parent: str | None = None
    row: int | None = None                       # the rest of its source: Source's fields
    children: list[TextRef] = Field(default_factory=list)
    links: list[LinkView] = Field(default_factory=list)
    confirmed: list[LinkView] = Field(default_factory=list)
    # Filled by lawgraph.recommendation_page (None when read straight from the graph): whether
    # the paragraph asks something (nlp.asks), the fitted candidate threshold, how many links
    # reach it, and the Spanish sentence people read when there is no candidate to show.
    asks: bool | None = None
    ask_cue: str | None = None
    threshold: float | None = None
    above_threshold: int | None = None
    candidate_note: str | None = None
    # An English recommendation's Spanish for people to read (lawgraph.nlp.translate: Apertium's,
    # a machine translation, as text_es_note says); None for Spanish ones or without the translator.
    text_es: str | None = None
    text_es_note: str | None = None


class RecommendationRow(Frozen):
    """A recommendation in a list (``lawgraph/queries/list_recommendations.cypher``): where it
    stands, its asking words and how many links it has, how many confirmed."""

    id: str
    body: str
    document: str
    paragraph: str | None = None
    subparagraph: str | None = None
    year: int | None = None
    language: str | None = None
    text: str | None = None
    links: int = 0
    confirmed: int = 0


class SuggestionRow(Frozen):
    """A suggestion in a list (``lawgraph/queries/list_suggestions.cypher``) with its link counts."""

    id: str
    organisation: str
    date: str
    language: str | None = None
    priority_area: str | None = None
    target_law: str | None = None
    text: str | None = None
    links: int = 0
    confirmed: int = 0


class InitiativeRef(Frozen):
    """An initiative listed on a suggestion's page: presented on or after the suggestion's date
    on an article linked to it (``lawgraph/queries/suggestion_proposals.cypher``); ``similarity``,
    ``href`` and ``chamber_es`` are filled by :mod:`lawgraph.suggestion_page` for those kept."""

    id: str
    title: str | None = None
    synopsis: str | None = None
    chamber: str | None = None
    date_presented: str | None = None
    stage: str | None = None
    status: str | None = None
    article: str | None = None
    link_status: str | None = None
    similarity: float | None = None
    href: str | None = None
    chamber_es: str | None = None


class SuggestionView(Source):
    """A stored suggestion (the fields of :class:`lawgraph.model.recs.Suggestion`, its source
    flattened as the graph keeps it) with its links and whether it became law: the confirmed
    landings (``landed``), the linker's unreviewed ones naming a decree (``possible``), links to
    initiatives (``proposals``) and the initiatives on its articles (``initiatives``)."""

    id: str
    organisation: str
    date: str
    text: str
    language: str
    priority_area: str | None = None
    target_law: str | None = None
    target_law_key: str | None = None
    law_title: str | None = None
    row: int | None = None
    links: list[LinkView] = Field(default_factory=list)
    proposals: list[LinkView] = Field(default_factory=list)
    landed: list[LinkView] = Field(default_factory=list)
    possible: list[LinkView] = Field(default_factory=list)
    became_law: bool = False
    initiatives: list[InitiativeRef] = Field(default_factory=list)
    initiatives_left_out: int | None = None
