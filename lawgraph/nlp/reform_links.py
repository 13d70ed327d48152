"""Link every reform note of a parsed law to the decree of that law and date.

"Fracción reformada DOF 26-01-2024" on article 6 of the LGAMVLV names the decree of
26-01-2024 listed in the same document's reform-decree section. Each (note, date) becomes a
:class:`NoteLink` to that decree (several decrees of one day: the one whose clause names the
article, else all of them). A date that matches no listed decree is reported, never dropped;
so is a note whose decree's clause does not name the article (a cross-check of both readings).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterator

from lawgraph.ids import decree_id
from lawgraph.model.law import Decree, ParsedLaw, ReformNote, Unit
from lawgraph.nlp.amendments import parse_decree


@dataclass(frozen=True)
class NoteLink:
    """One dated reform note on one provision, linked to a decree."""

    article: str                     # article label ('20 Ter'); transitorios as 'transitorio …'
    path: tuple[tuple[str, str], ...]  # units below the article: (('fraccion', 'III'),)
    note: str
    dof_date: date
    decree: str                      # decree id (lawgraph.ids.decree_id)
    decree_index: int                # 1-based position in the reform-decree section
    clause_names_article: bool       # the decree's clause names this article


@dataclass
class ReformLinkReport:
    links: list[NoteLink] = field(default_factory=list)
    unmatched: list[dict] = field(default_factory=list)   # notes whose date has no decree
    not_in_clause: list[NoteLink] = field(default_factory=list)

    def format(self) -> str:
        lines = [f"Notas enlazadas: {len(self.links)}; sin decreto: {len(self.unmatched)}; "
                 f"decreto que no nombra el artículo: {len(self.not_in_clause)}"]
        for u in self.unmatched:
            lines.append(f"- art. {u['article']}: {u['note']!r} ({u['date']}) — {u['reason']}")
        for link in self.not_in_clause:
            lines.append(f"- art. {link.article}: {link.note!r} — la cláusula del decreto del {link.dof_date} no lo nombra")
        return "\n".join(lines)


def _walk(unit: Unit, path: tuple[tuple[str, str], ...]) -> Iterator[tuple[tuple[tuple[str, str], ...], ReformNote]]:
    for n in unit.reform_notes:
        yield path, n
    for c in unit.children:
        yield from _walk(c, path + ((c.kind, c.label),))


def link_reform_notes(law: ParsedLaw) -> ReformLinkReport:
    """Link the reform notes of ``law``'s articles to the decrees in its own decree list."""
    by_date: dict[date, list[Decree]] = {}
    for d in law.decrees:
        if d.dof_date:
            by_date.setdefault(d.dof_date, []).append(d)
    articles_of: dict[int, set[str]] = {}

    def named(d: Decree) -> set[str]:
        if d.index not in articles_of:
            res = parse_decree(d.title, d.clause)
            articles_of[d.index] = {o.article for o in res.operations if o.article and not o.transitory}
        return articles_of[d.index]

    first = min(by_date) if by_date else None
    report = ReformLinkReport()
    for art in law.articles:
        for path, note in _walk(art, ()):
            for day in note.dates:
                cands = by_date.get(day, [])
                if not cands:
                    # The Constitution's list starts in 1993: older dates are expected misses.
                    reason = ("anterior a la lista de decretos" if first and day < first
                              else "ninguna entrada de esa fecha en la lista de decretos")
                    report.unmatched.append({"article": art.label, "path": path, "note": note.text,
                                             "date": day.isoformat(), "reason": reason})
                    continue
                naming = [d for d in cands if art.label in named(d)]
                for d in naming or cands:
                    link = NoteLink(art.label, path, note.text, day,
                                    decree_id("DOF", day.isoformat(), d.title), d.index, bool(naming))
                    report.links.append(link)
                    if not naming and d.kind == "decreto":
                        report.not_in_clause.append(link)
    return report
