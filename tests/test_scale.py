"""The synthetic jurisdictions of benchmarks/bench_scale.py: a relabelled copy of a real law, its
decrees and proposals on it is disjoint from the original and exactly as large (issue 14,
point 6). Two copies of one small law, on each backend."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from lawgraph import steps
from lawgraph.graph.load import load_parsed_law
from lawgraph.graph.transfer import read_graph
from lawgraph.ingest.leyesbiblio import parse_pdf
from lawgraph.model.process import Committee, Event, ProcessSource, Proponent, Proposal, Stage, Target
from lawgraph.synthetic import copy_jurisdiction, copy_tag, relabel_law, relabel_proposals
from tests.graph_support import falkordb_server, store  # noqa: F401

KIND, KEY = "ley", "lgimh"


def test_copy_names_are_ids_of_the_scheme():
    from lawgraph import ids

    assert copy_jurisdiction("mx", 1) == "mx"
    assert copy_jurisdiction("mx", 2) == "mx-zfac" and copy_jurisdiction("mx-chh", 2) == "mx-zcac"
    assert len({copy_tag(k) for k in range(2, 51)}) == 49
    for j in ("mx", "mx-dgo"):
        work = ids.work_id(copy_jurisdiction(j, 50), KIND, KEY)
        assert ids.parse(work).jurisdiction == copy_jurisdiction(j, 50)
    with pytest.raises(ValueError):
        copy_tag(1)


def _proposal() -> Proposal:
    src = ProcessSource(file="sitl/records.jsonl", sha256="0" * 64, line=1)
    return Proposal(
        id="/mx/iniciativa/lxvi-0123456789ab", title="Que reforma el artículo 6 de la LGIMH",
        proponents=[Proponent(name="Dip. Ana Pérez", party="PARTIDO")],
        committees=[Committee(name="Igualdad de Género", key="igualdad-de-genero")],
        events=[Event(stage=Stage.TURNADA_COMISION, date=None, source=src,
                      committees=["igualdad-de-genero"])],
        targets=[Target(law_raw="Ley General para la Igualdad", law_key="LGIMH", jurisdiction="mx",
                        articles=["6"])],
    )


@pytest.fixture(scope="module")
def lgimh(corpora: Path):
    return parse_pdf(corpora / "laws" / "federal_bajalabs_2025-08" / "LGIMH_static.pdf")


def _copy_of(node_id: str, docs: dict[str, int]) -> int:
    """1 or 2: by the document hash, the jurisdiction in the id, or (people, parties,
    committees, snapshots: ids without one) the copy's suffix."""
    if node_id in docs:
        return docs[node_id]
    copy2 = f"/{copy_jurisdiction('mx', 2)}/" in node_id or node_id.endswith(f"-{copy_tag(2)}")
    return 2 if copy2 else 1


def test_two_copies_of_a_law_and_its_proposals_are_disjoint_and_alike(store, lgimh):
    docs = {}
    for k in (1, 2):
        juris = copy_jurisdiction("mx", k)
        doc = relabel_law(lgimh, juris)
        docs[f"/doc/{doc.sha256}"] = k
        load_parsed_law(store, doc, jurisdiction=juris, kind=KIND, key=KEY)
        steps.load_amendments(store, doc, jurisdiction=juris, kind=KIND, key=KEY)
        snapshot = "sitl-prueba" if k == 1 else f"sitl-prueba-{copy_tag(k)}"
        steps.load_proposals(store, relabel_proposals([_proposal()], k), snapshot=snapshot)
    assert len(docs) == 2
    nodes, rels = read_graph(store)
    by_copy = Counter((n["node"], _copy_of(n["properties"]["id"], docs)) for n in nodes)
    labels = {label for label, _ in by_copy}
    assert {"Law", "ProvisionVersion", "Decree", "Proposal", "ProposalTarget", "Proponent",
            "Committee", "Party"} <= labels
    # Each copy has its own nodes of every label, as many as the other.
    assert {label: by_copy[label, 2] for label in labels} == {label: by_copy[label, 1] for label in labels}
    assert by_copy["ProvisionVersion", 1] > 100
    # And its own relationships: none crosses from one copy to the other.
    ends = Counter((r["rel"], _copy_of(r["start"][1], docs), _copy_of(r["end"][1], docs)) for r in rels)
    assert not [e for e in ends if e[1] != e[2]]
    assert {t: ends[t, 2, 2] for t, _, _ in ends} == {t: ends[t, 1, 1] for t, _, _ in ends}
    # The copy's proposal targets the copy's law.
    on_law = {r["start"][1]: r["end"][1] for r in rels if r["rel"] == "ON_LAW"}
    assert sorted(on_law.values()) == ["/mx-zfac/ley/lgimh", "/mx/ley/lgimh"]
