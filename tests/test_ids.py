"""lawgraph.ids is the one owner of graph keys (issue 9 point 2): every rule, table-driven, and
round trips (id -> parts -> id)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import lawgraph
from lawgraph import ids

# (function, arguments, expected id)
RULES = [
    (ids.work_id, ("mx", "ley", "LGAMVLV"), "/mx/ley/lgamvlv"),
    (ids.work_id, ("mx-chh", "codigo", "cpchh"), "/mx-chh/codigo/cpchh"),
    (ids.expression_id, ("/mx/ley/lgamvlv", "2026-01-15"), "/mx/ley/lgamvlv@2026-01-15"),
    (ids.unit_segment, ("articulo", "20 Ter"), "art_20-ter"),
    (ids.unit_segment, ("fraccion", "XXIX-Ñ"), "frac_xxix-n~"),
    (ids.unit_segment, ("transitorio", "Único"), "tr_unico"),
    (ids.provision_id, ("/mx/ley/lgamvlv", ["art_20-ter", "frac_iii"]), "/mx/ley/lgamvlv/art_20-ter/frac_iii"),
    (ids.provision_version_id, ("/mx/ley/lgamvlv@2026-01-15", ["art_6"]), "/mx/ley/lgamvlv@2026-01-15/art_6"),
    (ids.repeated_segment, ("art_5", 1), "art_5"),
    (ids.repeated_segment, ("art_5", 2), "art_5~2"),
    (ids.repeated_segment, ("frac_xxix-n~", 3), "frac_xxix-n~~3"),
    (ids.gazette, ("mx",), "dof"),
    (ids.gazette, ("mx-chh",), "poe"),
    (ids.decree_id, ("dof", "2024-01-17", "DECRETO  por el que se reforma"),
     "/mx/dof/2024-01-17/" + __import__("hashlib").sha1(b"decreto por el que se reforma").hexdigest()[:8]),
    (ids.amendment_id, ("/mx/dof/2024-01-17/0123abcd", "LGAMVLV", 3), "/mx/dof/2024-01-17/0123abcd/op_lgamvlv_3"),
    (ids.amendment_id, ("/mx/dof/2024-01-17/0123abcd", "ley-x", 1), "/mx/dof/2024-01-17/0123abcd/op_leyx_1"),
    (ids.note_id, ("/mx/ley/lgamvlv@2026-01-15", 2), "/mx/ley/lgamvlv@2026-01-15/nota_2"),
    (ids.recommendation_id, ("CEDAW/C/MEX/CO/7-8", 14), "CEDAW/C/MEX/CO/7-8 para 14"),
    (ids.recommendation_id, ("CEDAW/C/MEX/CO/7-8", "24", "a"), "CEDAW/C/MEX/CO/7-8 para 24(a)"),
    (ids.upr_recommendation_id, (2018, 12), "UPR-2018 #12"),
    (ids.snapshot_id, ("sitl_diputados_lxvi",), "/mx/proceso/sitl-diputados-lxvi"),
    (ids.person_id, ("Dip. Ana López",), "/mx/persona/dip-ana-lopez"),
    (ids.party_id, ("MORENA",), "/mx/partido/morena"),
    (ids.committee_id, ("diputados", "igualdad"), "/mx/comision/diputados/igualdad"),
    (ids.event_id, ("/mx/iniciativa/lxvi-0123456789ab", 2), "/mx/iniciativa/lxvi-0123456789ab/ev_2"),
    (ids.target_id, ("/mx/iniciativa/lxvi-0123456789ab", 1), "/mx/iniciativa/lxvi-0123456789ab/tgt_1"),
    # the folding of stored topics and of the filters that match them (graph/process, nlp)
    (ids.fold, ("Igualdad de Género",), "igualdad de genero"),
    (ids.fold, ("Artículo 4º, NIÑAS",), "articulo 4o, ninas"),
    (ids.fold, ("Çà ŝ",), "ca s"),   # outside the fast table: NFKD
]


@pytest.mark.parametrize("fn, args, expected", RULES, ids=[f"{r[0].__name__}-{i}" for i, r in enumerate(RULES)])
def test_rule(fn, args, expected):
    assert fn(*args) == expected


@pytest.mark.parametrize("published, notified, ruling, prefix", [
    ("2024-01-17", None, False, "/mx/dof/2024-01-17/"),
    (None, "2023-06-23", True, "/mx/scjn/2023-06-23/"),
    (None, "2023-06-23", False, "/mx/dof-notificado/2023-06-23/"),
    ("2024-01-17", "2023-06-23", True, "/mx/dof/2024-01-17/"),   # a gazette date wins
])
def test_decree_entry_rule(published, notified, ruling, prefix):
    assert ids.decree_entry_id("Decreto", "mx", published=None, notified=None) is None
    got = ids.decree_entry_id("Decreto", "mx", published=published, notified=notified, ruling=ruling)
    assert got.startswith(prefix) and got == ids.decree_id(prefix.split("/")[2], prefix.split("/")[3], "Decreto")


def test_hashed_ids_fold_case_and_whitespace():
    assert ids.decree_id("dof", "2024-01-17", "Decreto  X") == ids.decree_id("DOF", "2024-01-17", "decreto x")
    a = ids.suggestion_id("Colectiva", "2024-03-08", "Proponemos  algo")
    assert a == ids.suggestion_id("colectiva", "2024-03-08", "proponemos algo") and re.fullmatch(r"SUG-[0-9a-f]{12}", a)
    assert re.fullmatch(r"LINK-[0-9a-f]{16}", ids.link_id("SUG-1", "/mx/ley/x/art_1"))
    assert ids.link_id("a", "b") != ids.link_id("b", "a")
    i = ids.initiative_id("Iniciativa  que reforma", "2024-10-01")
    assert i == ids.initiative_id("Iniciativa que reforma", "2024-10-01") and i.startswith("/mx/iniciativa/lxvi-")


def test_models_use_the_ids_module():
    from datetime import date

    from lawgraph.model.recs import LinkCandidate, Suggestion

    assert Suggestion.make_id("Org", date(2024, 3, 8), "Texto") == ids.suggestion_id("Org", "2024-03-08", "Texto")
    assert LinkCandidate.make_id("SUG-1", "/mx/ley/x/art_1") == ids.link_id("SUG-1", "/mx/ley/x/art_1")


# Round trips: id -> parts -> id
LAW_IDS = [
    "/mx/ley/lgamvlv",
    "/mx/ley/lgamvlv@2026-01-15",
    "/mx/ley/lgamvlv/art_20-ter/frac_iii",
    "/mx/ley/lgamvlv@2026-01-15/art_20-ter/frac_xxix-n~/inc_a",
    "/mx-chh/codigo/cpchh@2023-05-01/tit_1/cap_2/art_5~2",
    "/mx/constitucion/cpeum/tr_unico",
]


@pytest.mark.parametrize("uri", LAW_IDS)
def test_law_ids_round_trip(uri):
    parsed = ids.parse(uri)
    assert str(parsed) == uri
    work = ids.work_id(parsed.jurisdiction, parsed.kind, parsed.key)
    base = ids.expression_id(work, parsed.date) if parsed.date else work
    segs = [f"{ids.UNIT_PREFIX[u]}_{lab}" for u, lab in parsed.path]
    assert ids.provision_id(base, segs) == uri


@pytest.mark.parametrize("seg", ["art_5", "art_5~2", "frac_xxix-n~", "frac_xxix-n~~3", "par_1~12"])
def test_repeated_segments_round_trip(seg):
    assert ids.repeated_segment(*ids.split_repeat(seg)) == seg


def test_siblings_number_repeated_labels_in_order():
    s = ids.Siblings()
    assert [s.segment("articulo", x) for x in ("5", "6", "5", "5")] == ["art_5", "art_6", "art_5~2", "art_5~3"]


def test_structured_ids_round_trip():
    did = ids.decree_id("dof", "2024-01-17", "Decreto")
    juris, gaz, day, _ = ids.parse_decree_id(did)
    assert ids.decree_id(gaz, day, "Decreto", juris) == did
    aid = ids.amendment_id(did, "LGAMVLV", 7)
    assert ids.parse_amendment_id(aid) == (did, "lgamvlv", 7)
    assert ids.amendment_id(*ids.parse_amendment_id(aid)) == aid
    nid = ids.note_id("/mx/ley/lgamvlv@2026-01-15", 4)
    assert ids.note_id(*ids.parse_note_id(nid)) == nid
    for rid in ("CEDAW/C/MEX/CO/7-8 para 14", "CEDAW/C/MEX/CO/7-8 para 24(a)", "CCPR/C/MEX/CO/6 para 10(b)"):
        assert ids.recommendation_id(*ids.parse_recommendation_id(rid)) == rid


@pytest.mark.parametrize("bad, parser", [
    ("/mx/ley/LGAMVLV", ids.parse), ("/mx/ley/x/foo_1", ids.parse), ("mx/ley/x", ids.parse),
    ("/mx/dof/2024-01-17/xyz", ids.parse_decree_id), ("/mx/dof/2024-01-17/0123abcd/op_x", ids.parse_amendment_id),
    ("/mx/ley/x@2024-01-01/nota_", ids.parse_note_id), ("UPR-2018 #12", ids.parse_recommendation_id),
])
def test_parsers_refuse_what_is_not_an_id(bad, parser):
    with pytest.raises(ValueError):
        parser(bad)
    with pytest.raises(ValueError):
        ids.repeated_segment("art_5", 0)


KEY_SHAPES = [
    re.compile(r"""f["']/(?:mx|\{)[^"']*/(?:op_|nota_|iniciativa|proceso|persona|partido|comision)"""),
    re.compile(r"""["'](?:SUG|LINK)-["']\s*\+"""),
    re.compile(r"""f["'][^"']*\}~\{"""),
    re.compile(r"""f["']\{[^}]+\} para \{"""),
    re.compile(r"""f["']\{[^}]+\}/(?:ev|tgt|op|nota)_"""),
]


def test_no_other_module_builds_keys():
    """The key shapes of lawgraph.ids (amendment, note, process, suggestion, link, recommendation
    ids, the '~n' rule) are written nowhere else in the package."""
    pkg = Path(lawgraph.__file__).resolve().parent
    allowed = {"ids.py"}
    hits = []
    ids_src = (pkg / "ids.py").read_text(encoding="utf-8")
    assert sum(bool(k.search(ids_src)) for k in KEY_SHAPES) == len(KEY_SHAPES) - 1, "the shapes match the rules"
    assert KEY_SHAPES[-1].search('f"{p.id}/ev_{j}"') and KEY_SHAPES[2].search('f"{seg}~{n}"')
    for p in sorted(pkg.rglob("*.py")):
        rel = p.relative_to(pkg).as_posix()
        if rel in allowed:
            continue
        tree = ast.parse(p.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.JoinedStr | ast.BinOp):
                src = ast.get_source_segment(p.read_text(encoding="utf-8"), node) or ""
                if any(k.search(src) for k in KEY_SHAPES):
                    hits.append(f"{rel}:{node.lineno}: {src[:80]}")
    assert not hits, "keys built outside lawgraph.ids:\n" + "\n".join(hits)
