"""Recommendations, suggestions and reviewed links in the real embedded graph.

The recommendations are the real corpus (CLADEM + UPR); the law is the synthetic one of
tests/graph_support.py; link candidates are built by hand, as the linker would return them,
so that storage, review and replay are tested apart from the linker's ranking.
"""
from __future__ import annotations

from datetime import UTC, date
from pathlib import Path

import pytest

from lawgraph import steps
from lawgraph.graph import links
from lawgraph.graph.load import load_parsed_law
from lawgraph.graph.read import run_named
from lawgraph.ingest.recommendations import (
    import_suggestions,
    load_corpus_recommendations,
)
from lawgraph.journal import Journal
from lawgraph.model.recs import LinkCandidate, Span, Suggestion, TextSource
from tests.graph_support import RecordingStore, falkordb_server, make_law, store  # noqa: F401

KW = {"jurisdiction": "mx", "kind": "ley", "key": "lgamvlv"}
V1 = "/mx/ley/lgamvlv@2026-01-15"


@pytest.fixture(scope="module")
def corpus_recs(corpora: Path):
    return load_corpus_recommendations(corpora)


def _rec(recs, rec_id):
    return next(r for r in recs if r.rec_id == rec_id)


def _cand(from_id: str, to: str, score: float, method: str = "bm25+dense", **kw) -> LinkCandidate:
    return LinkCandidate(link_id=LinkCandidate.make_id(from_id, to), from_id=from_id, to_id=to, score=score,
                         method=method, **kw)


def _sug(org="Colectiva de prueba", day=date(2023, 11, 25), text="Proponemos que la ley reconozca la violencia "
         "vicaria como un tipo de violencia contra las mujeres.") -> Suggestion:
    return Suggestion(sug_id=Suggestion.make_id(org, day, text), organisation=org, date=day, text=text,
                      language="es", target_law="Ley General de Acceso", target_law_key="lgamvlv",
                      source=TextSource(sha256="0" * 64, file="prueba.csv", row=2))


def test_corpus_recommendations_load_idempotently_with_their_sources(store, corpus_recs):
    rep = links.load_recommendations(store, corpus_recs)
    n = len({r.rec_id for r in corpus_recs})
    assert rep.total("inserted") == n and rep.total("updated") == 0
    again = links.load_recommendations(store, corpus_recs)
    assert again.total("unchanged") == n and again.total("inserted") == again.total("updated") == 0
    assert again.relationships_created == 0
    # CEDAW CO/7-8 paragraph with its lettered sub-paragraphs, from the CLADEM compilation
    co78 = [r for r in corpus_recs if r.document == "CEDAW/C/MEX/CO/7-8"]
    co6 = [r for r in corpus_recs if r.document == "CEDAW/C/MEX/CO/6"]
    assert co78 and co6
    sub = next(r for r in co78 if r.subparagraph and r.parent)
    view = links.recommendation_view(store, sub.parent)
    assert view is not None and sub.rec_id in [c["id"] for c in view["children"]]
    mine = links.recommendation_view(store, sub.rec_id)
    assert mine["text"] == sub.text and mine["sha256"] == sub.source.sha256 and mine["file"] == sub.source.file
    assert mine["body"] == "CEDAW" and mine["language"] == "es"
    # UPR rows in English from the CSV, with their row as source
    upr = next(r for r in corpus_recs if r.rec_id.startswith("UPR-2013 #"))
    v = links.recommendation_view(store, upr.rec_id)
    assert v["language"] == "en" and v["row"] == upr.source.row
    counts = links.recs_summary(store)
    assert counts["recommendations"] == n
    listed = links.list_recommendations(store, document="CEDAW/C/MEX/CO/7-8", limit=1000)
    assert {r["id"] for r in listed} == {r.rec_id for r in co78}


def test_candidates_are_stored_suggested_and_relinking_keeps_decisions(store, corpus_recs, tmp_path):
    load_parsed_law(store, make_law(12), **KW)
    rec = next(r for r in corpus_recs if r.document == "CEDAW/C/MEX/CO/7-8" and r.recommendation_part)
    links.load_recommendations(store, [rec])
    ev_from = [Span(start=0, end=20, text=rec.link_text()[:20])]
    ev_to = [Span(start=0, end=12, text="Artículo 3.-")]
    c3 = _cand(rec.rec_id, f"{V1}/art_3", 0.91, evidence_from=ev_from, evidence_to=ev_to, kind="implements")
    c5 = _cand(rec.rec_id, f"{V1}/art_6/frac_ii", 0.42)
    c8 = _cand(rec.rec_id, f"{V1}/art_8", 0.30)
    ghost = _cand(rec.rec_id, "/mx/ley/nohay@2026-01-15/art_1", 0.2)
    rep = links.store_candidates(store, [c3, c5, c8, ghost])
    assert (rep.inserted, rep.updated, rep.deleted) == (3, 0, 0)
    assert rep.missing == [f"{rec.rec_id} -> /mx/ley/nohay/art_1"]
    got = links.list_links(store, from_id=rec.rec_id)
    assert [lk["to_id"] for lk in got] == ["/mx/ley/lgamvlv/art_3", "/mx/ley/lgamvlv/art_6/frac_ii",
                                           "/mx/ley/lgamvlv/art_8"]
    assert all(lk["status"] == "suggested" for lk in got), "never auto-accepted"
    top = got[0]
    assert top["evidence_to"] == [{"start": 0, "end": 12, "text": "Artículo 3.-"}]
    assert top["version_id"] == f"{V1}/art_3" and top["kind"] == "implements"
    # the same candidates again: nothing written
    again = links.store_candidates(store, [c3, c5, c8])
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)

    journal = Journal(tmp_path)
    steps.review_link(store, journal, top["id"], "confirmed", reviewer="Ana López", reason="recoge 14(e)")
    steps.review_link(store, journal, got[1]["id"], "rejected", reviewer="Beto", reason="otro tema")
    # Re-linking with a new ranking: art. 8 gone, art. 3 and 5 not proposed; a new one appears.
    c9 = _cand(rec.rec_id, f"{V1}/art_9", 0.77)
    rep = links.store_candidates(store, [c9], from_ids=[rec.rec_id])
    assert rep.deleted == 1 and rep.inserted == 1
    by_to = {lk["to_id"]: lk for lk in links.list_links(store, from_id=rec.rec_id)}
    assert set(by_to) == {"/mx/ley/lgamvlv/art_3", "/mx/ley/lgamvlv/art_6/frac_ii", "/mx/ley/lgamvlv/art_9"}
    assert by_to["/mx/ley/lgamvlv/art_3"]["status"] == "confirmed"
    assert by_to["/mx/ley/lgamvlv/art_3"]["reviewer"] == "Ana López"
    assert by_to["/mx/ley/lgamvlv/art_6/frac_ii"]["status"] == "rejected"
    # a reviewed link proposed again with a new score keeps the decision
    rep = links.store_candidates(store, [_cand(rec.rec_id, f"{V1}/art_3", 0.5)], from_ids=[rec.rec_id])
    assert rep.kept_reviewed == 1
    lk = links.get_link(store, top["id"])
    assert lk["status"] == "confirmed" and lk["score"] == 0.5 and lk["reason"] == "recoge 14(e)"
    assert [r.kind for r in journal.replay()] == ["review", "review"]


def test_links_survive_a_new_version_and_a_reingest(store, corpus_recs, tmp_path):
    load_parsed_law(store, make_law(12), **KW)
    rec = corpus_recs[0]
    links.load_recommendations(store, [rec])
    links.store_candidates(store, [_cand(rec.rec_id, f"{V1}/art_3", 0.8)])
    lid = links.list_links(store, from_id=rec.rec_id)[0]["id"]
    steps.review_link(store, Journal(tmp_path), lid, "confirmed", reviewer="Ana")
    # the same version re-read from a changed document, then a newer version
    load_parsed_law(store, make_law(12, reword={"3": "Artículo 3.- Texto reformado."}), **KW)
    load_parsed_law(store, make_law(12, seed="b", version=date(2027, 2, 1)), **KW)
    view = links.recommendation_view(store, rec.rec_id)
    assert [lk["status"] for lk in view["links"]] == ["confirmed"]
    assert view["links"][0]["source"]["version_date"] == "2026-01-15", "the version the linker matched"
    by_prov = links.provision_links(store, "/mx/ley/lgamvlv@2027-02-01/art_3")
    assert [lk["from_id"] for lk in by_prov] == [rec.rec_id]


def test_rebuild_replays_suggestions_and_decisions_from_the_journal(store, corpus_recs, tmp_path):
    journal = Journal(tmp_path)
    load_parsed_law(store, make_law(12), **KW)
    links.load_recommendations(store, corpus_recs[:5])
    sug = _sug()
    steps.add_suggestions(store, [sug], journal)
    assert [r.kind for r in journal.replay()] == ["suggestion"], "journal first"
    links.store_candidates(store, [
        _cand(sug.sug_id, f"{V1}/art_6/frac_i", 0.9, kind="reuses_text",
              evidence_to=[Span(start=0, end=10, text="Fracción I")], decree_id=None),
        _cand(corpus_recs[0].rec_id, f"{V1}/art_2", 0.6)])
    sug_link = links.list_links(store, from_id=sug.sug_id)[0]["id"]
    rec_link = links.list_links(store, from_id=corpus_recs[0].rec_id)[0]["id"]
    steps.review_link(store, journal, sug_link, "confirmed", reviewer="Ana", reason="texto igual")
    steps.review_link(store, journal, rec_link, "rejected", reviewer="Ana", reason="no")
    before = links.suggestion_view(store, sug.sug_id)
    assert before["became_law"] and before["landed"][0]["to_id"] == "/mx/ley/lgamvlv/art_6/frac_i"

    store.clear()                           # the graph is gone
    assert links.suggestion_view(store, sug.sug_id) is None
    load_parsed_law(store, make_law(12), **KW)          # ingest again
    links.load_recommendations(store, corpus_recs[:5])
    rep = steps.replay_journal(store, Journal(tmp_path))  # a fresh process reading the file
    assert (rep.suggestions, rep.decisions, rep.decisions_pending) == (1, 2, [])
    after = links.suggestion_view(store, sug.sug_id)
    assert after["text"] == sug.text and after["organisation"] == sug.organisation
    assert after["became_law"] and after["landed"][0]["reviewer"] == "Ana"
    assert links.get_link(store, rec_link)["status"] == "rejected"
    # linker output after the replay fills the machine fields and keeps the decision
    links.store_candidates(store, [_cand(sug.sug_id, f"{V1}/art_6/frac_i", 0.88, kind="reuses_text")])
    lk = links.get_link(store, sug_link)
    assert lk["status"] == "confirmed" and lk["score"] == 0.88
    # replaying twice changes nothing
    rep2 = steps.replay_journal(store, Journal(tmp_path))
    assert rep2.decisions == 2
    assert len(links.list_links(store)) == 2


def test_a_decision_whose_provision_is_not_loaded_waits_in_the_journal(store, tmp_path):
    journal = Journal(tmp_path)
    steps.add_suggestions(store, [_sug()], journal)
    from datetime import datetime

    from lawgraph.journal import record_decision
    from lawgraph.model.recs import LinkDecision

    sid = _sug().sug_id
    to = "/mx/ley/lgamvlv/art_6"
    record_decision(journal, LinkDecision(link_id=links.link_id_for(sid, to), from_id=sid, to_id=to,
                                          status="confirmed", reviewer="Ana", time=datetime.now(UTC)))
    rep = steps.replay_journal(store, journal)
    assert rep.decisions == 0 and rep.decisions_pending == [links.link_id_for(sid, to)]
    load_parsed_law(store, make_law(8), **KW)
    rep = steps.replay_journal(store, journal)
    assert rep.decisions == 1 and links.get_link(store, links.link_id_for(sid, to))["status"] == "confirmed"


def test_review_refuses_unknown_links_and_missing_reviewers(store, tmp_path):
    from lawgraph.errors import InputError

    journal = Journal(tmp_path)
    with pytest.raises(InputError, match="no existe el vínculo"):
        steps.review_link(store, journal, "LINK-0000000000000000", "confirmed", reviewer="Ana")
    with pytest.raises(InputError, match="nombre"):
        steps.review_link(store, journal, "LINK-0000000000000000", "confirmed", reviewer="  ")
    with pytest.raises(InputError, match="estado"):
        steps.review_link(store, journal, "LINK-0000000000000000", "accepted", reviewer="Ana")
    assert len(journal) == 0, "nothing journalled for a refused review"


def test_imported_suggestions_with_bad_rows(store, tmp_path):
    f = tmp_path / "sugerencias.csv"
    good = "Proponemos que la ley general reconozca la violencia digital contra las mujeres."
    f.write_bytes(
        ("organisation,date,text,priority_area\n"
         f"Red A,2024-03-08,\"{good}\",violencia digital\n"
         "Red B,no es fecha,\"Pedimos que se reforme el código penal federal en materia de feminicidio.\",\n"
         "Red C,2024-01-01,,\n").encode()
        + "Red D,2024-01-02,\"Exigimos protección para las niñas víctimas\",\n".encode("latin-1")
        + ("Red E,2024-02-02,\"" + "palabra " * 4000 + "\",\n").encode("utf-8")
        + "Red F,2024-02-03,\"Una fila con columnas de más que no caben.\",area,sobra,otra\n".encode("utf-8"))
    rep = import_suggestions(f)
    assert len(rep.items) == 1 and sorted(e.row for e in rep.errors) == [3, 4, 5, 6, 7]
    reasons = {e.row: e.message for e in rep.errors}
    assert "UTF-8" in reasons[5] and "largo" in reasons[6] and "columnas" in reasons[7]
    load = steps.add_suggestions(store, rep.items, Journal(tmp_path))
    assert load.total("inserted") == 1
    again = steps.add_suggestions(store, rep.items, Journal(tmp_path))
    assert again.total("unchanged") == 1
    rows = links.list_suggestions(store)
    assert [r["organisation"] for r in rows] == ["Red A"] and rows[0]["priority_area"] == "violencia digital"


def test_link_writes_reach_cypher_only_as_parameters(store, corpus_recs, tmp_path):
    load_parsed_law(store, make_law(8), **KW)
    rec = corpus_recs[3]
    rs = RecordingStore(store)
    links.load_recommendations(rs, [rec])
    links.store_candidates(rs, [_cand(rec.rec_id, f"{V1}/art_3", 0.7)])
    lid = links.list_links(rs)[0]["id"]
    steps.review_link(rs, Journal(tmp_path), lid, "confirmed", reviewer="Zoé", reason="motivo único")
    links.recommendation_view(rs, rec.rec_id)
    texts = "\n".join(q for q, _ in rs.calls)
    for value in (rec.rec_id, rec.text[:30], "Zoé", "motivo único", lid, "/mx/ley/lgamvlv"):
        assert value not in texts


def test_named_link_queries_run_on_a_graph_with_links(store, corpus_recs, tmp_path):
    from lawgraph.graph.cypher import named_queries

    load_parsed_law(store, make_law(12), **KW)
    links.load_recommendations(store, corpus_recs[:3])
    links.store_candidates(store, [_cand(corpus_recs[0].rec_id, f"{V1}/art_3", 0.7)])
    mine = ("link_by_id", "list_links", "provision_links", "link_sources", "recommendation", "suggestion",
            "list_recommendations", "list_suggestions", "recs_summary", "suggestion_proposals")
    qs = named_queries()
    for name in mine:
        run_named(store, name, qs[name].example)   # each example runs
    assert run_named(store, "provision_links", qs["provision_links"].example)
    assert run_named(store, "list_links", qs["list_links"].example)


def test_suggestion_view_names_later_initiatives_on_its_articles(store, tmp_path):
    from lawgraph.steps import load_proposals
    from lawgraph.model.process import Proposal, Target

    load_parsed_law(store, make_law(8), **KW)
    sug = _sug()
    steps.add_suggestions(store, [sug], Journal(tmp_path))
    links.store_candidates(store, [_cand(sug.sug_id, f"{V1}/art_6/frac_ii", 0.8)])

    def prop(n: int, day: date) -> Proposal:
        return Proposal(id=f"/mx/iniciativa/prueba-{n}", title=f"Iniciativa de prueba {n}", date_presented=day,
                        targets=[Target(law_raw="Ley General de Acceso", law_key="lgamvlv", articles=["6"])])

    load_proposals(store, [prop(1, date(2024, 2, 1)), prop(2, date(2020, 1, 1))], snapshot="prueba")
    view = links.suggestion_view(store, sug.sug_id)
    assert [p["id"] for p in view["initiatives"]] == ["/mx/iniciativa/prueba-1"], "only those after the suggestion"
    assert view["initiatives"][0]["article"] == "/mx/ley/lgamvlv/art_6"
    assert not view["became_law"] and view["landed"] == []


def test_one_sources_links_are_shown_in_the_linkers_order_not_by_score(store, tmp_path):
    # The suggestion path's reranker (and the recommendation path's interleaved clause
    # rankings) order candidates otherwise than by score; each candidate keeps its linear score.
    load_parsed_law(store, make_law(9), **KW)
    sug = _sug(text="Proponemos que la ley defina la violencia digital y la sancione.")
    steps.add_suggestions(store, [sug], Journal(tmp_path))
    order = [(f"{V1}/art_8", 0.40), (f"{V1}/art_3", 0.90), (f"{V1}/art_6/frac_ii", 0.60)]
    # a provision proposed twice (two units of one article) keeps its first place, best score
    rep = links.store_candidates(store, [_cand(sug.sug_id, to, sc) for to, sc in order]
                                 + [_cand(sug.sug_id, f"{V1}/art_8", 0.45)])
    assert rep.inserted == 3
    view = links.suggestion_view(store, sug.sug_id)
    assert [(lk["to_id"], lk["rank"], lk["score"]) for lk in view["links"]] == [
        ("/mx/ley/lgamvlv/art_8", 1, 0.45), ("/mx/ley/lgamvlv/art_3", 2, 0.9),
        ("/mx/ley/lgamvlv/art_6/frac_ii", 3, 0.6)]
    # the generic listing (review queue, API) stays best score first
    assert [lk["to_id"] for lk in links.list_links(store, from_id=sug.sug_id)] == [
        "/mx/ley/lgamvlv/art_3", "/mx/ley/lgamvlv/art_6/frac_ii", "/mx/ley/lgamvlv/art_8"]
    # a new ranking moves them: art. 6 and 8 change place (art. 8 its score too) and are
    # stored again; art. 3 keeps place and score
    rep = links.store_candidates(store, [_cand(sug.sug_id, to, sc) for to, sc in reversed(order)],
                                 from_ids=[sug.sug_id])
    assert (rep.inserted, rep.updated, rep.unchanged) == (0, 2, 1)
    view = links.suggestion_view(store, sug.sug_id)
    assert [lk["to_id"] for lk in view["links"]] == [
        "/mx/ley/lgamvlv/art_6/frac_ii", "/mx/ley/lgamvlv/art_3", "/mx/ley/lgamvlv/art_8"]


def test_prune_drops_recommendations_no_longer_read_unless_reviewed(store, corpus_recs, tmp_path):
    load_parsed_law(store, make_law(8), **KW)
    a, b, c = corpus_recs[:3]
    links.load_recommendations(store, [a, b, c])
    links.store_candidates(store, [_cand(b.rec_id, f"{V1}/art_3", 0.5), _cand(c.rec_id, f"{V1}/art_2", 0.5)])
    steps.review_link(store, Journal(tmp_path), links.list_links(store, from_id=c.rec_id)[0]["id"], "confirmed",
                      reviewer="Ana")
    deleted, kept = links.prune_recommendations(store, {a.rec_id})
    assert (deleted, kept) == (1, [c.rec_id])
    assert links.recommendation_view(store, b.rec_id) is None and links.list_links(store, from_id=b.rec_id) == []
    assert links.recommendation_view(store, c.rec_id)["links"][0]["status"] == "confirmed"
