"""Human-rights recommendations, civil-society suggestions and the links between them and provisions.

A ``Recommendation`` is one numbered paragraph (or lettered sub-paragraph) of a treaty body's or
review's output, read from one file. Its ``rec_id`` is what users type and what answer files use:

    CEDAW/C/MEX/CO/7-8 para 14(e)     document symbol, paragraph, sub-paragraph letter
    A/57/38 para 432                  older CEDAW reports appear under the General Assembly symbol
    UPR-2013 #148.81                  UPR recommendations from the CSV lists (cycle year, number)

A ``Suggestion`` is a civil-society proposal entered by a user (durable through the journal).
A ``LinkCandidate`` is machine output (never an assertion); a ``LinkDecision`` is a person's review.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field, field_validator

from lawgraph import ids
from lawgraph.model.base import Frozen

Language = Literal["es", "en"]
# 'equivalent': a provision of one jurisdiction that says what one of another says (issue 11).
LinkKind = Literal["implements", "partially_implements", "relevant", "reuses_text", "equivalent"]
LinkStatus = Literal["suggested", "confirmed", "rejected"]

# Bodies known to the ingesters; an imported file may name any other body (free text, upper-case).
KNOWN_BODIES = ("CEDAW", "CCPR", "CESCR", "CERD", "CAT", "CRC", "UPR", "IACHR", "MESECVI")


class TextSource(Frozen):
    """Where a text was read: the file's sha256, its name, and a span.

    For text files the span is a character span of the file's decoded text; for a CSV row,
    ``row`` is the 1-based physical line number of the row's first line; for a PDF, ``page``.
    """

    sha256: str
    file: str
    start: int = 0
    end: int = 0
    row: int | None = None
    page: int | None = None


class Recommendation(Frozen):
    """One recommendation paragraph or sub-paragraph."""

    rec_id: str
    body: str                                 # 'CEDAW', 'UPR', 'CCPR', …
    document: str                             # 'CEDAW/C/MEX/CO/7-8', 'A/HRC/25/7', …
    paragraph: str                            # '14', '148.81', '93.30.1'
    subparagraph: str | None = None           # 'e'
    year: int | None = None
    language: Language
    text: str                                 # the whole paragraph / sub-paragraph as printed
    recommendation_part: str | None = None    # the operative part (bold in the CLADEM text)
    chapeau: str | None = None                # the lead-in of a lettered list ('El Comité insta … a:')
    section: str | None = None                # thematic heading it sits under
    recommending_states: list[str] = Field(default_factory=list)   # UPR
    decision: Literal["supported", "noted", "unknown"] | None = None  # UPR response, when known
    parent: str | None = None                 # rec_id of the paragraph a sub-item belongs to
    themes: list[str] = Field(default_factory=list)   # from the CLADEM thematic index
    source: TextSource

    @property
    def is_recommendation(self) -> bool:
        """Whether the paragraph carries an operative recommendation (not only a concern)."""
        return bool(self.recommendation_part)

    def link_text(self) -> str:
        """The text to match against provisions: the operative part, with its chapeau."""
        core = self.recommendation_part or self.text
        return f"{self.chapeau} {core}" if self.chapeau else core


class Suggestion(Frozen):
    """A civil-society suggestion: who asked what, when, optionally about which law."""

    sug_id: str
    organisation: str
    date: date
    text: str
    language: Language
    priority_area: str | None = None
    target_law: str | None = None             # as written by the user
    target_law_key: str | None = None         # resolved against the catalogue, when it resolves
    source: TextSource

    @staticmethod
    def make_id(organisation: str, day: date, text: str) -> str:
        """Stable id from content, so re-importing the same suggestion is idempotent."""
        return ids.suggestion_id(organisation, day.isoformat(), text)


class Span(Frozen):
    """A character span in a text, with the covered words for display."""

    start: int
    end: int
    text: str

    @field_validator("end")
    @classmethod
    def _ordered(cls, v: int, info) -> int:
        if v < info.data.get("start", 0):
            raise ValueError("span end before start")
        return v


class LinkCandidate(Frozen):
    """A machine-proposed link from a recommendation or suggestion to a provision version."""

    link_id: str
    from_id: str                              # rec_id or sug_id
    to_id: str                                # provision (version) id from lawgraph.ids
    kind: LinkKind = "relevant"
    score: float
    method: str                               # 'bm25', 'dense:use-m3', 'ref-boost', 'rrf(…)', …
    evidence_from: list[Span] = Field(default_factory=list)
    evidence_to: list[Span] = Field(default_factory=list)
    decree_id: str | None = None              # for text reuse: the decree that enacted the text
    status: LinkStatus = "suggested"
    # Past initiatives whose votes reached the article (nlp/link_anchor.py), nearest first:
    # [{id, title, date}], at most three.
    anchors: list[dict[str, str]] = Field(default_factory=list)

    @staticmethod
    def make_id(from_id: str, to_id: str) -> str:
        return ids.link_id(from_id, to_id)


class LinkDecision(Frozen):
    """A reviewer's verdict on a link; durable (journal) and re-applied after re-linking."""

    link_id: str
    from_id: str
    to_id: str
    status: Literal["confirmed", "rejected"]
    kind: LinkKind | None = None              # the reviewer may correct the kind
    reviewer: str
    time: datetime
    reason: str = ""

    @field_validator("reviewer")
    @classmethod
    def _named(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("a review decision needs the reviewer's name")
        return v.strip()
