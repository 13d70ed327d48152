"""The SITL snapshot in the embedded graph, and the status questions answered from it."""
from __future__ import annotations

import shutil
from datetime import date

import pytest

from lawgraph import status as pure
from lawgraph.graph.process import find_proposals, process_summary, proposal_timeline
from lawgraph.ingest.sitl import RECORDS_FILE, ingest_snapshot
from lawgraph.steps import load_proposals
from lawgraph.model.process import Stage
from tests.graph_support import falkordb_server, store  # noqa: F401


@pytest.fixture(scope="module")
def snapshot(corpora):
    return ingest_snapshot(corpora / "process" / "sitl_diputados_lxvi")


@pytest.mark.slow
def test_snapshot_loads_idempotently_and_answers_like_the_pure_filters(store, snapshot):
    rep = load_proposals(store, snapshot.proposals, problems=snapshot.problems, n_records=snapshot.n_records)
    assert rep.nodes["Proposal"].inserted == len(snapshot.proposals) > 5000
    assert rep.nodes["Event"].inserted == sum(len(p.events) for p in snapshot.proposals)
    assert rep.problems[:len(snapshot.problems)] == snapshot.problems
    again = load_proposals(store, snapshot.proposals, problems=snapshot.problems)
    assert again.unchanged and again.nodes["Proposal"].unchanged == len(snapshot.proposals)

    props = snapshot.proposals
    as_of = date(2026, 6, 7)
    cases = [
        (dict(topic="feminicid"), dict(topic="feminicid")),
        (dict(law="LGAMVLV"), dict(law="LGAMVLV")),
        (dict(law="LGAMVLV", article="6"), dict(law="LGAMVLV", article="6")),
        (dict(committee="Igualdad de Género"), dict(committee="Igualdad de Género")),
        (dict(party="PAN", law="CPEUM"), dict(party="PAN", law="CPEUM")),
        (dict(stage="retirada"), dict(stage="retirada")),
        (dict(committee="Igualdad de Género", older_than=180, as_of=as_of),
         dict(committee="Igualdad de Género", pending_days=180, as_of=as_of, stage=Stage.TURNADA_COMISION)),
    ]
    for graph_kw, pure_kw in cases:
        got = {r["id"] for r in find_proposals(store, limit=10_000, **graph_kw)}
        want = {p.id for p in pure.find_proposals(props, **pure_kw)}
        assert got == want and want, graph_kw
    summary = process_summary(store)
    assert sum(summary["stage"].values()) == len(props)

    # A proposal's timeline: its events in order, each with its source line.
    p = next(p for p in props if len(p.events) >= 3 and p.targets and p.targets[0].law_key)
    tl = proposal_timeline(store, p.id)
    assert [e["stage"] for e in tl["events"]] == [e.stage.value for e in pure.timeline(p)]
    assert all(e["file"] and e["line"] for e in tl["events"])
    assert {t["law_key"] for t in tl["targets"]} >= {p.targets[0].law_key.lower()}
    # Targets reach the Law node by catalogue key; unknown laws keep their raw text.
    stored = store.run("MATCH (t:ProposalTarget) RETURN t.law_key AS key, t.law_raw AS raw").rows
    assert len(stored) == sum(len(p.targets) for p in props)
    want_raw = sorted(t.law_raw for p in props for t in p.targets if not t.law_key and t.law_raw)
    assert sorted(r["raw"] for r in stored if not r["key"] and r["raw"]) == want_raw and want_raw
    on_law = store.run("MATCH (t:ProposalTarget)-[:ON_LAW]->(l:Law {key: 'lgamvlv'}) RETURN count(t) AS n").rows
    assert on_law[0]["n"] >= len(pure.by_law(props, "LGAMVLV"))


def test_bad_html_is_reported_and_the_rest_loaded(store, corpora, tmp_path):
    src = corpora / "process" / "sitl_diputados_lxvi"
    d = tmp_path / "snap"
    (d / "raw_html").mkdir(parents=True)
    lines = (src / RECORDS_FILE).read_text(encoding="utf-8").splitlines()[:120]
    (d / RECORDS_FILE).write_text("\n".join(lines + ['{"titulo": "sin cierre'] ) + "\n", encoding="utf-8")
    shutil.copy(src / "raw_html" / "30_ini_t1_P.html", d / "raw_html")
    (d / "raw_html" / "30_ini_t1_X.html").write_text("<html><body><table><tr><td>Iniciativa", encoding="utf-8")
    ing = ingest_snapshot(d)
    assert any("30_ini_t1_X.html" in p for p in ing.problems)
    assert any(f"{RECORDS_FILE}:121" in p for p in ing.problems)
    rep = load_proposals(store, ing.proposals, snapshot="prueba", problems=ing.problems)
    assert rep.nodes["Proposal"].inserted == len(ing.proposals) > 100
    for kw in (dict(committee="Igualdad de Género"), dict(topic="violencia"), dict(stage="turnada_comision")):
        got = {r["id"] for r in find_proposals(store, limit=10_000, **kw)}
        assert got == {p.id for p in pure.find_proposals(ing.proposals, **kw)} and got, kw
    again = load_proposals(store, ing.proposals, snapshot="prueba", problems=ing.problems)
    assert again.unchanged
    # A snapshot being written is invisible to the status queries.
    store.run("MATCH (s:ProcessSnapshot) SET s.complete = false")
    assert find_proposals(store, limit=10) == []


def test_a_reingest_without_some_proposals_deletes_them_with_their_events(store, corpora, tmp_path):
    src = corpora / "process" / "sitl_diputados_lxvi"
    d = tmp_path / "snap"
    (d / "raw_html").mkdir(parents=True)
    lines = (src / RECORDS_FILE).read_text(encoding="utf-8").splitlines()[:60]
    (d / RECORDS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    full = ingest_snapshot(d)
    load_proposals(store, full.proposals, snapshot="prueba")
    keep = full.proposals[: len(full.proposals) // 2]
    rep = load_proposals(store, keep, snapshot="prueba")
    gone = len(full.proposals) - len(keep)
    assert rep.nodes["Proposal"].deleted == gone and rep.nodes["Proposal"].unchanged == len(keep)
    n = store.run("MATCH (p:Proposal) RETURN count(p) AS n").rows[0]["n"]
    ev = store.run("MATCH (e:Event) RETURN count(e) AS n").rows[0]["n"]
    assert n == len(keep) and ev == sum(len(p.events) for p in keep)
    assert {r["id"] for r in find_proposals(store, limit=1000)} == {p.id for p in keep}


def test_targets_reach_articles_of_a_law_loaded_after_the_proposals(store, corpora, tmp_path):
    from lawgraph.graph.load import load_parsed_law
    from lawgraph.graph.process import link_provisions
    from tests.session_cache import parsed_pdf

    src = corpora / "process" / "sitl_diputados_lxvi"
    d = tmp_path / "snap"
    (d / "raw_html").mkdir(parents=True)
    rows = [line for line in (src / RECORDS_FILE).read_text(encoding="utf-8").splitlines()
            if "Acceso de las Mujeres a una Vida Libre" in line][:40]
    (d / RECORDS_FILE).write_text("\n".join(rows) + "\n", encoding="utf-8")
    ing = ingest_snapshot(d)
    load_proposals(store, ing.proposals, snapshot="prueba")
    assert store.run("MATCH ()-[e:ON_PROVISION]->() RETURN count(e) AS n").rows[0]["n"] == 0
    rep = load_parsed_law(store, parsed_pdf(corpora / "laws" / "federal" / "lgamvlv.pdf"),
                          jurisdiction="mx", kind="ley", key="lgamvlv")
    n = link_provisions(store, rep.law_id)
    want = {(t.law_key, a) for p in ing.proposals for t in p.targets if t.law_key == "LGAMVLV"
            for a in t.articles}
    linked = store.run("MATCH (t:ProposalTarget)-[:ON_PROVISION]->(p:Provision) "
                       "RETURN DISTINCT p.label AS label").rows
    assert n > 0 and want and {r["label"] for r in linked} <= {a for _k, a in want}
    assert len(linked) >= len(want) * 0.8


def test_the_whole_federal_path_art_135_and_a_state_congress_in_the_graph(store):
    """Hand-written paths (no SITL page covers them): each event keeps its chamber,
    jurisdiction and source, and the timeline follows the legislative path."""
    from lawgraph.model.process import Event, ProcessSource, Proposal

    src = ProcessSource(file="prueba.html", sha256="0" * 64, line=1)

    def ev(stage, day, chamber="diputados", juris="mx", line=1):
        return Event(stage=stage, date=date.fromisoformat(day) if day else None, chamber=chamber,
                     jurisdiction=juris, source=src.model_copy(update={"line": line}))

    reform = Proposal(id="/mx/iniciativa/prueba-135", title="Reforma al artículo 4o. constitucional",
                      events=[
                          ev("presentada", "2025-01-10", line=1),
                          ev("turnada_comision", "2025-01-10", line=2),
                          ev("dictaminada", "2025-03-01", line=3),
                          ev("aprobada_origen", "2025-03-05", line=4),
                          ev("enviada_revisora", "2025-03-06", line=5),
                          ev("aprobada_revisora", "2025-04-01", "senado", line=6),
                          ev("aprobada_legislaturas", "2025-04-10", "congreso_estatal", "mx-chh", line=7),
                          ev("aprobada_legislaturas", "2025-04-12", "congreso_estatal", "mx-jal", line=8),
                          ev("declaratoria", "2025-04-20", "comision_permanente", line=9),
                          ev("publicada_dof", "2025-05-02", "ejecutivo", line=10),
                      ])
    state = Proposal(id="/mx-chh/iniciativa/prueba-1", title="Reforma a la ley estatal", chamber="congreso_estatal",
                     events=[ev("presentada", "2025-02-01", "congreso_estatal", "mx-chh", 11),
                             ev("turnada_comision", "2025-02-03", "congreso_estatal", "mx-chh", 12),
                             ev("aprobada_congreso_estatal", "2025-06-01", "congreso_estatal", "mx-chh", 13),
                             ev("publicada_periodico_oficial", "2025-06-20", "congreso_estatal", "mx-chh", 14)])
    load_proposals(store, [reform, state], snapshot="prueba")
    assert {r["id"] for r in find_proposals(store, stage="publicada_dof")} == {reform.id}
    assert {r["id"] for r in find_proposals(store, stage="publicada_periodico_oficial")} == {state.id}
    tl = proposal_timeline(store, reform.id)
    assert [e["stage"] for e in tl["events"]] == [e.stage.value for e in reform.events]
    ratif = [e for e in tl["events"] if e["stage"] == "aprobada_legislaturas"]
    assert [(e["jurisdiction"], e["line"]) for e in ratif] == [("mx-chh", 7), ("mx-jal", 8)]
    # Finished proposals are never "pending".
    assert find_proposals(store, older_than=10, as_of="2026-01-01", stage="publicada_dof") == []
