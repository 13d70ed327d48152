"""The graph store, the loader and the read functions on a real engine (embedded FalkorDB;
Neo4j too when NEO4J_URI is set)."""
from __future__ import annotations

import json
from datetime import date

import pytest

from lawgraph import ids
from lawgraph.errors import InputError
from lawgraph.graph import read
from lawgraph.graph.cypher import named_queries, quote_name
from lawgraph.graph.store import GraphStore
from lawgraph.model.law import Decree
from lawgraph.provisions import UnresolvedReference, get_provision
from lawgraph.graph import load as load_module
from lawgraph.graph.load import VERSION_STATE_QUERY, load_parsed_law, plan_law
from tests.graph_support import RecordingStore, falkordb_server, make_law, store  # noqa: F401

KW = dict(jurisdiction="mx", kind="ley", key="lgamvlv")


def _planned(parsed) -> dict[str, int]:
    plan = plan_law(parsed, **KW)
    out = {label: len(nodes) for label, nodes in plan.nodes.items()}
    out["LawVersion"] = 1
    return out


def test_quote_name_refuses_anything_but_identifiers():
    assert quote_name("ProvisionVersion") == "`ProvisionVersion`"
    for bad in ("Law`) DETACH DELETE (n", "a b", "", "Ley-General", "1abc"):
        with pytest.raises(ValueError):
            quote_name(bad)


def test_schema_is_idempotent(store):
    assert isinstance(store, GraphStore)
    store.ensure_schema()
    store.ensure_schema()
    if store.backend == "falkordb":
        store._schema_ready = False
        store.ensure_schema()  # finds the indexes and constraints already there
        rows = store.run("CALL db.indexes() YIELD label, properties RETURN label, properties").rows
        indexed = {(r["label"], p) for r in rows for p in r["properties"]}
        assert ("ProvisionVersion", "id") in indexed and ("ProvisionVersion", "version_id") in indexed


def test_first_load_inserts_every_planned_node_with_its_source(store):
    law = make_law(12)
    report = load_parsed_law(store, law, **KW)
    planned = _planned(law)
    assert {k: v.inserted for k, v in report.nodes.items() if v.inserted} == planned
    assert report.total("updated") == report.total("unchanged") == 0
    assert not report.unchanged_document and not report.recovered_incomplete
    st = read.stats(store)
    assert st["nodes"] == planned
    assert st["incomplete_versions"] == []
    # Every provision version carries its source: the document hash and a page.
    rows = store.run(
        "MATCH (pv:ProvisionVersion) RETURN pv.sha256 AS sha, pv.page AS page, pv.end AS span_end"
    ).rows
    assert len(rows) == planned["ProvisionVersion"]
    assert all(r["sha"] == law.sha256 and r["page"] >= 1 and r["span_end"] > 0 for r in rows)


def test_reloading_the_same_document_changes_nothing_and_says_so(store):
    law = make_law(12)
    load_parsed_law(store, law, **KW)
    before = read.stats(store)
    rec = RecordingStore(store)
    report = load_parsed_law(rec, law, **KW)
    assert report.unchanged_document
    assert report.total("inserted") == report.total("updated") == report.total("deleted") == 0
    assert report.total("unchanged") == sum(_planned(law).values())
    assert "sin cambios" in report.summary()
    assert read.stats(store) == before
    # One read of the version's state, and nothing else, reached the store.
    assert [q for q, _ in rec.calls] == [VERSION_STATE_QUERY]


def test_a_version_written_while_planned_matches_the_whole_plan(store):
    # 150 articles of 9 units each: several planning chunks (see load._CHUNK_UNITS), and a
    # second version of the same law, whose provisions exist already.
    law = make_law(150)
    report = load_parsed_law(store, law, **KW)
    planned = _planned(law)
    assert {k: v.inserted for k, v in report.nodes.items() if v.inserted} == planned
    assert planned["ProvisionVersion"] > load_module._FIRST_CHUNK_UNITS + load_module._CHUNK_UNITS
    plan = plan_law(law, **KW)
    stored = store.run(VERSION_STATE_QUERY, {"version_id": plan.version_id,
                                             "document_id": plan.nodes["Document"][0].id,
                                             "law_id": plan.law_id}).single()
    assert stored == {"id": plan.version_id, "complete": True, "sha256": law.sha256,
                      "content_hash": plan.content_hash,
                      "document_h": plan.nodes["Document"][0].h, "law_h": plan.nodes["Law"][0].h}
    # Every provision version under the parent the plan gives it, and its provision.
    edges = store.run(
        "MATCH (a)-[:CONTAINS]->(pv:ProvisionVersion)-[:VERSION_OF]->(p:Provision) "
        "RETURN a.id AS parent, pv.id AS id, p.id AS provision"
    ).rows
    assert sorted((r["parent"], r["id"], r["provision"]) for r in edges) == sorted(
        (n.parent[1], n.id, n.provision) for n in plan.nodes["ProvisionVersion"])
    # Stored exactly as planned, whichever statement carried each property.
    for label in ("Provision", "ProvisionVersion", "Division"):
        stored_props = {r["p"]["id"]: r["p"] for r in store.run(
            f"MATCH (n:{label}) RETURN properties(n) AS p").rows}
        assert stored_props == {
            n.id: {k: v for k, v in {**n.row()["props"], "id": n.id}.items() if v is not None}
            for n in plan.nodes[label]}
    assert load_parsed_law(store, law, **KW).unchanged_document
    newer = make_law(150, version=date(2026, 3, 1), reword={"3": "Artículo 3.- Texto nuevo."})
    again = load_parsed_law(store, newer, **KW)
    assert again.nodes["Provision"].unchanged == planned["Provision"]
    assert again.nodes["Provision"].inserted == again.nodes["Provision"].updated == 0
    assert again.nodes["ProvisionVersion"].inserted == planned["ProvisionVersion"]
    assert read.find_article(store, "lgamvlv", "3").own_text == "Artículo 3.- Texto nuevo."
    assert load_parsed_law(store, newer, **KW).unchanged_document


def test_changed_document_updates_and_removes_what_changed(store):
    load_parsed_law(store, make_law(12), **KW)
    changed = make_law(12, reword={"3": "Artículo 3.- Texto nuevo de prueba."}, drop={"8"})
    report = load_parsed_law(store, changed, **KW)
    pv = report.nodes["ProvisionVersion"]
    # Article 3 reworded; articles after 8 moved up one place (ordinal changed).
    assert pv.updated >= 1 and pv.inserted == 0
    assert pv.deleted == 1 + 1 + 4 + 3  # article 8, its párrafo, 4 fracciones, 3 incisos
    assert report.nodes["Provision"].deleted == pv.deleted
    assert read.find_article(store, "lgamvlv", "8") is None
    assert read.find_article(store, "LGAMVLV", "3").own_text == "Artículo 3.- Texto nuevo de prueba."
    assert read.stats(store)["nodes"] == _planned(changed)
    again = load_parsed_law(store, changed, **KW)
    assert again.unchanged_document


def test_a_new_version_rewrites_a_shared_provision_whose_properties_differ(store):
    """A provision is shared by a law's versions; when a new version spells its label
    differently (same id), the new version's statements rewrite it, with no read first."""
    old = make_law(6, version=date(2024, 12, 16))
    new = make_law(6, version=date(2026, 1, 15))
    new = new.model_copy(update={
        "articles": [a.model_copy(update={"label": "4 BIS"}) if a.label == "4 Bis" else a
                     for a in new.articles],
        "divisions": _relabel(new.divisions)})
    load_parsed_law(store, old, **KW)
    report = load_parsed_law(store, new, **KW)
    units = _planned(new)["ProvisionVersion"]
    prov = report.nodes["Provision"]
    assert (prov.inserted, prov.updated, prov.unchanged) == (0, 1, units - 1)
    rows = store.run("MATCH (p:`Provision` {id: $id}) RETURN p.label AS label, p._h AS h",
                     {"id": "/mx/ley/lgamvlv/art_4-bis"}).rows
    plan = plan_law(new, **KW)
    wanted = next(n for n in plan.nodes["Provision"] if n.id == "/mx/ley/lgamvlv/art_4-bis")
    assert rows == [{"label": "4 BIS", "h": wanted.h}]
    assert load_parsed_law(store, new, **KW).unchanged_document


def _relabel(divisions):
    return [d.model_copy(update={
        "articles": ["4 BIS" if lab == "4 Bis" else lab for lab in d.articles],
        "children": _relabel(d.children)}) for d in divisions]


def test_two_versions_share_provisions_and_answer_by_date(store):
    old = make_law(10, version=date(2024, 12, 16), seed="a",
                   reword={"2": "Artículo 2.- Texto anterior."})
    new = make_law(10, version=date(2026, 1, 15), seed="a")
    load_parsed_law(store, old, **KW)
    report = load_parsed_law(store, new, **KW)
    assert report.nodes["Provision"].inserted == 0  # the same units across versions
    assert report.nodes["ProvisionVersion"].inserted == _planned(new)["ProvisionVersion"]
    assert read.find_article(store, "lgamvlv", "2", at="2025-06-01").own_text == "Artículo 2.- Texto anterior."
    assert read.find_article(store, "lgamvlv", "2").version_date == "2026-01-15"
    assert read.find_article(store, "lgamvlv", "2", at=date(2020, 1, 1)) is None
    assert read.list_laws(store)[0]["versions"] == ["2024-12-16", "2026-01-15"]
    by_id = read.get_provision(store, "/mx/ley/lgamvlv/art_2", at="2025-01-01")
    assert by_id.version_id == "/mx/ley/lgamvlv@2024-12-16"


def test_get_provision_by_reference_gives_text_hierarchy_notes_and_source(store):
    law = make_law(12)
    load_parsed_law(store, law, **KW)
    art = law.article("3")
    view = get_provision(store, "LGAMVLV art 3")
    assert view.text == art.full_text()
    assert [(s.kind, s.label) for s in view.path[1:]] == [("titulo", "PRIMERO"), ("capitulo", "I")]
    assert view.path[1].heading == "DISPOSICIONES GENERALES"
    assert view.reform_notes[0]["dates"] == ["2026-01-15"]
    assert view.source.model_dump() == {"sha256": law.sha256, "file": "synthetic_a.pdf", "page": art.source.page,
                           "start": art.source.start, "end": art.source.end}
    inc = get_provision(store, "lgamvlv artículo 3, fracción II, inciso b)")
    assert inc.id == ids.provision_version_id(
        "/mx/ley/lgamvlv@2026-01-15", ["art_3", "frac_ii", "inc_b"])
    assert [s.label for s in inc.path[-2:]] == ["3", "II"]
    assert read.get_provision(store, inc.id).text == "Inciso b de la fracción."
    # A fracción the article does not have: the reason and the fracciones it has.
    with pytest.raises(UnresolvedReference, match="no tiene fracción XI") as no_xi:
        get_provision(store, "lgamvlv art 3 fr. XI")
    assert "LGAMVLV art. 3 fr. II" in no_xi.value.suggestions
    assert get_provision(store, "LGAMVLV art 4 Bis") is not None  # label '4 Bis'
    with pytest.raises(InputError):
        get_provision(store, "¿qué dice la ley?")
    # The graph layer reads ids, not typed text.
    with pytest.raises(InputError):
        read.get_provision(store, "LGAMVLV art 3")
    json.dumps(view.to_dict())  # the CLI's --json


def test_decrees_and_their_transitorios(store):
    law = make_law(6, decrees=3)
    ruling = Decree(index=4, kind="scjn", title="PUNTOS RESOLUTIVOS de una sentencia de prueba.",
                    dof_date=None, notified_date=date(2023, 6, 23),
                    source=law.decrees[0].source)
    undated = ruling.model_copy(update={"index": 5, "notified_date": None, "title": "Otra."})
    law = law.model_copy(update={"decrees": [*law.decrees, ruling, undated]})
    report = load_parsed_law(store, law, **KW)
    decrees = read.version_decrees(store, "lgamvlv")
    assert [d["index"] for d in decrees] == [1, 2, 3, 4]
    assert decrees[3]["id"].startswith("/mx/scjn/2023-06-23/") and decrees[3]["dof_date"] is None
    assert any("n.º 5" in w for w in report.warnings)  # no date at all: reported, not stored
    assert decrees[0]["dof_date"] == "2020-03-01"
    assert decrees[0]["clause"] == law.decrees[0].clause
    assert decrees[0]["id"] == ids.decree_id("dof", "2020-03-01", law.decrees[0].title)
    rows = store.run(
        "MATCH (d:Decree {id: $id})-[:HAS_TRANSITORIO]->(t:DecreeTransitorio) "
        "MATCH (d)-[:AMENDS]->(l:Law) RETURN t.text AS text, l.id AS law",
        {"id": decrees[0]["id"]},
    ).rows
    assert rows == [{"text": law.decrees[0].transitorios[0].text, "law": "/mx/ley/lgamvlv"}]


def test_every_named_query_runs_with_its_example(store):
    load_parsed_law(store, make_law(12), **KW)
    queries = named_queries()
    # The queries over what load_parsed_law writes must find it; the others (decree
    # operations, proposals …) must at least run on this graph.
    over_laws = {"find_article", "provision_at", "provision_version", "provision_subtree",
                 "provision_ancestors", "version_articles", "version_decrees", "list_laws"}
    assert over_laws <= set(queries)
    for name, q in queries.items():
        rows = read.run_named(store, name, q.example)
        if name in over_laws:
            assert rows, f"{name}: its example returned nothing"


def test_values_reach_cypher_only_as_parameters(store):
    law = make_law(8, seed="zz")
    rec = RecordingStore(store)
    load_parsed_law(rec, law, **KW)
    get_provision(rec, "lgamvlv art 3 fr. II")
    texts = "\n".join(q for q, _ in rec.calls)
    for value in (law.sha256, law.articles[2].text, "/mx/ley/lgamvlv", "2026-01-15", "zz"):
        assert value not in texts
    # Dates travel as ISO strings: every parameter is plain JSON.
    json.dumps([p for _, p in rec.calls])


def test_a_load_interrupted_between_batches_stays_invisible_until_a_rerun(store):
    law = make_law(60)
    store.max_batch_rows = 25

    class Crash(Exception):
        pass

    def crash_after_some(what, done, total):
        if what == "ProvisionVersion" and done >= 100:
            raise Crash

    with pytest.raises(Crash):
        load_parsed_law(store, law, **KW, on_batch=crash_after_some)
    assert read.find_article(store, "lgamvlv", "1") is None
    assert read.version_articles(store, "lgamvlv") == []
    if store.backend == "neo4j":
        # One transaction per version: the interrupted load left nothing at all behind.
        assert read.stats(store)["nodes"] == {}
    else:
        # No transactions: the version stays staged (complete = false) until a re-run.
        assert read.stats(store)["incomplete_versions"] == ["/mx/ley/lgamvlv@2026-01-15"]
    report = load_parsed_law(store, law, **KW)
    assert report.recovered_incomplete == (store.backend != "neo4j")
    assert not report.unchanged_document
    assert read.stats(store)["nodes"] == _planned(law)
    assert read.stats(store)["incomplete_versions"] == []
    assert len(read.version_articles(store, "lgamvlv")) == len(law.articles)
    assert load_parsed_law(store, law, **KW).unchanged_document


def test_undated_document_is_refused_naming_the_file(store):
    law = make_law(3).model_copy(update={"ultima_reforma": None})
    with pytest.raises(InputError, match="synthetic_a.pdf"):
        load_parsed_law(store, law, **KW)
    assert read.stats(store)["nodes"] == {}


def test_an_article_moved_to_another_heading_leaves_no_stale_edge(store):
    law = make_law(8)
    load_parsed_law(store, law, **KW)
    first, second = law.divisions
    moved = law.model_copy(update={"divisions": [
        first.model_copy(update={"articles": [a for a in first.articles if a != "2"]}),
        second.model_copy(update={"articles": ["2", *second.articles]}),
    ]})
    report = load_parsed_law(store, moved, **KW)
    assert report.relationships_deleted == 1 and report.relationships_created == 1
    view = get_provision(store, "lgamvlv art 2")
    assert [s.label for s in view.path[1:]] == ["SEGUNDO"]
    parents = store.run(
        "MATCH (a)-[:CONTAINS]->(pv:ProvisionVersion {id: $id}) RETURN a.id AS id",
        {"id": view.id},
    ).rows
    assert parents == [{"id": "/mx/ley/lgamvlv@2026-01-15/tit_segundo"}]


def test_a_law_is_named_after_its_newest_version_whatever_the_load_order(store):
    new = make_law(4, version=date(2026, 1, 15), seed="n")
    old = make_law(4, version=date(2024, 12, 16), seed="o")
    kw = {k: v for k, v in KW.items() if k != "title"}
    load_parsed_law(store, new, **kw, title="Ley de nombre nuevo")
    load_parsed_law(store, old, **kw, title="Ley de nombre antiguo")
    laws = {x["key"]: x for x in read.list_laws(store)}
    assert laws["lgamvlv"]["title"] == "Ley de nombre nuevo"
    assert laws["lgamvlv"]["versions"] == ["2024-12-16", "2026-01-15"]
