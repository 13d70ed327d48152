"""Synthetic jurisdictions for scale measurements (issue 14, point 6).

A corpus N times today's is made of N copies of the real one: copy 1 is the real corpus, copy
k > 1 moves every law document, its decrees and the proposals on it to a jurisdiction of its
own, ``mx-z<origin letter><two letters for k>`` (``mx`` -> ``mx-zfac`` for k = 2, ``mx-chh`` ->
``mx-zcac``). A copy is written through the normal write path (the law loader, the decree
operations, the process writer), and every id in it is built by :mod:`lawgraph.ids` from the
relabelled jurisdiction, so copy k's nodes are all new and as many as copy 1's:

- a law document keeps its text and gets a document hash of its own (``relabel_law``): its
  work, versions, provisions, divisions and decrees follow from the jurisdiction;
- a proposal (``relabel_proposals``) gets the copy's jurisdiction in its id and targets, and
  its proponents, parties and committees a suffix naming the copy, so that no person or
  committee is shared between copies (a state's congress has its own).

Used by ``benchmarks/bench_scale.py``; nothing here is ever loaded by ``lawgraph build``.
"""
from __future__ import annotations

import hashlib
import string

from lawgraph.model.law import ParsedLaw
from lawgraph.model.process import Proposal

# Copies per origin jurisdiction: two letters, k in base 26 (copy 2 is 'ac', copy 27 'bb').
MAX_COPIES = 26 * 26


def copy_tag(copy: int) -> str:
    """Two lower-case letters naming copy ``copy`` (2 -> 'ac', 27 -> 'bb')."""
    if not 2 <= copy < MAX_COPIES:
        raise ValueError(f"copy must be in 2..{MAX_COPIES - 1}, not {copy}")
    a, b = divmod(copy, 26)
    return string.ascii_lowercase[a] + string.ascii_lowercase[b]


def copy_jurisdiction(jurisdiction: str, copy: int) -> str:
    """The jurisdiction of copy ``copy`` of ``jurisdiction`` ('mx' or 'mx-<state>'); copy 1
    is the real one. Four letters after 'mx-', as :mod:`lawgraph.ids` allows: 'z', the
    origin's letter ('f' federal, else the state code's first), the copy's two letters."""
    if copy == 1:
        return jurisdiction
    origin = "f" if jurisdiction == "mx" else jurisdiction.removeprefix("mx-")[:1]
    return f"mx-z{origin}{copy_tag(copy)}"


def relabel_law(parsed: ParsedLaw, jurisdiction: str) -> ParsedLaw:
    """The parsed document as read for ``jurisdiction``: the same text, a document hash of
    its own (so the copy's Document and version are new nodes). Units and notes keep their
    page and span; their document hash is the copy's."""
    if not jurisdiction.startswith("mx-z"):
        return parsed
    salted = hashlib.sha256(f"{parsed.sha256}|{jurisdiction}".encode()).hexdigest()
    return parsed.model_copy(update={"sha256": salted})


def _suffix(name: str | None, tag: str) -> str | None:
    return None if name is None else f"{name} ({tag})"


def relabel_proposals(proposals: list[Proposal], copy: int) -> list[Proposal]:
    """The proposals of copy ``copy``: ids, target and event jurisdictions moved to the
    copy's, proponents, parties and committees renamed for it. Copy 1: unchanged."""
    if copy == 1:
        return list(proposals)
    tag = copy_tag(copy)
    out = []
    for p in proposals:
        juris = {}

        def moved(j: str | None) -> str | None:
            if j is None:
                return None
            return juris.setdefault(j, copy_jurisdiction(j, copy))

        head, _, rest = p.id.lstrip("/").partition("/")
        out.append(p.model_copy(update={
            "id": f"/{moved(head)}/{rest}",
            "targets": [t.model_copy(update={"jurisdiction": moved(t.jurisdiction or "mx")})
                        for t in p.targets],
            "events": [e.model_copy(update={"jurisdiction": moved(e.jurisdiction),
                                            "committees": [f"{c}-{tag}" for c in e.committees]})
                       for e in p.events],
            "proponents": [pr.model_copy(update={"name": _suffix(pr.name, tag),
                                                 "party": _suffix(pr.party, tag)})
                           for pr in p.proponents],
            "committees": [c.model_copy(update={"name": _suffix(c.name, tag), "key": f"{c.key}-{tag}"})
                           for c in p.committees],
        }))
    return out
