"""UPR Working Group reports (PDF, English): the numbered items of the recommendations
paragraph, with their page, via pypdfium2. The year and document symbol come from the manifest.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from lawgraph import ids
from lawgraph.ingest import rec_grammar as g
from lawgraph.ingest.recs.common import MIN_TEXT_CHARS, fold_ws, sha256_of, split_states
from lawgraph.model.recs import Recommendation, TextSource


def read_upr_pdf(path: str | Path, year: int, document: str | None = None) -> list[Recommendation]:
    """The numbered recommendation items of a UPR Working Group report, with their pages.

    The list is the numbered paragraph whose text announces recommendations and ends with ':'
    (93 in 2009, 148 in 2013); its items are printed '148.81.' or, in 2009, '15.' (numbers below
    the parent's); the list ends at the next top-level paragraph or chapter. ``document``: the
    report's symbol (default: the manifest's for ``year``).
    """
    if document is None:
        from lawgraph.ingest.recs.manifest import upr_documents

        document = upr_documents().get(year)
    import pypdfium2 as pdfium

    from lawgraph.errors import ExtractionError

    p = Path(path)
    data = p.read_bytes()
    sha = sha256_of(data)
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        raise ExtractionError(p, f"no se puede abrir el PDF ({e})") from e
    items: dict[str, dict[str, Any]] = {}
    top = 0                           # number of the current top-level paragraph
    top_lines: list[str] = []
    parent: int | None = None         # the current top-level paragraph when it introduces a list
    cur: str | None = None
    for pno in range(1, len(pdf) + 1):
        text = pdf[pno - 1].get_textpage().get_text_range().replace("\r\n", "\n").replace("\r", "\n")
        for line in text.split("\n"):
            s = line.strip()
            if not s or g.UPR_PDF_FURNITURE_RE.match(s):
                continue
            m = g.UPR_PDF_NUMBERED_RE.match(s)
            if m:
                parts = [int(x) for x in m.group("num").split(".")]
                if parent is not None and (
                        (parts[0] == parent and len(parts) > 1) or (len(parts) <= 2 and parts[0] < parent)):
                    num = ".".join(map(str, parts if parts[0] == parent else [parent, *parts]))
                    if num not in items:
                        cur = num
                        items[cur] = {"page": pno, "lines": [m.group("text")]}
                        continue
                if len(parts) == 1 and top < parts[0] <= top + 3:
                    top, top_lines, parent, cur = parts[0], [m.group("text")], None, None
                    if g.UPR_PDF_LIST_INTRO_RE.search(m.group("text")):
                        parent = top
                    continue
            if cur is not None:
                items[cur]["lines"].append(s)
            elif top:
                top_lines.append(s)
                if parent is None and len(top_lines) < 8 and g.UPR_PDF_LIST_INTRO_RE.search(" ".join(top_lines)):
                    parent = top
    out = []
    for num, d in items.items():
        body, states = split_states(fold_ws(" ".join(d["lines"])))
        if len(body) < MIN_TEXT_CHARS:
            continue
        out.append(Recommendation(
            rec_id=ids.upr_recommendation_id(year, num), body="UPR", document=document or f"UPR {year}",
            paragraph=num, year=year, language="en", text=body, recommendation_part=body,
            recommending_states=states, source=TextSource(sha256=sha, file=p.name, page=d["page"]),
        ))
    return out
