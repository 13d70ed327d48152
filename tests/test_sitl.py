"""SITL pages and records -> proposals with events, committees, proponents and targets."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from lawgraph.catalog import LawCatalog
from lawgraph.errors import InputError
from lawgraph.evaluation.initiatives import evaluate_initiatives, format_report
from lawgraph.ingest.sitl import (
    ingest_html_dir,
    ingest_records,
    parse_proponent,
    parse_turno,
    read_html_page,
    targets_from_title,
)
from lawgraph.model.process import Stage
from lawgraph import status

SITL = "process/sitl_diputados_lxvi"


@pytest.fixture(scope="module")
def catalog(corpora: Path) -> LawCatalog:
    return LawCatalog.from_mirror(corpora)


@pytest.fixture(scope="module")
def ingested(corpora: Path, catalog: LawCatalog):
    return ingest_records(corpora / SITL / "sitl_lxvi_iniciativas_por_comision.jsonl", catalog)


def test_records_become_distinct_proposals(ingested):
    assert ingested.n_records == 5840
    assert len(ingested.proposals) == 5324
    assert len({p.id for p in ingested.proposals}) == 5324
    # an initiative turned to several committees is one proposal with all of them
    assert max(len(p.committees) for p in ingested.proposals) >= 3
    assert all(p.events and p.events[0].stage == Stage.PRESENTADA for p in ingested.proposals)
    assert all(e.source.sha256 and e.source.line for p in ingested.proposals for e in p.events)


def test_a_real_record_read_in_full(ingested):
    (p,) = [p for p in ingested.proposals if p.title.startswith(
        "Proyecto de decreto que reforma la fracción IX del artículo 47 y la fracción XXIII del artículo 49")]
    assert p.proponents[0].name == "Vitela Rodríguez Alma Marina" and p.proponents[0].party == "MORENA"
    assert p.date_presented == date(2025, 1, 8)
    assert [c.key for c in p.committees] == ["igualdad-de-genero"]
    (t,) = p.targets
    assert (t.law_key, t.articles, t.ops) == ("LGAMVLV", ["47", "49"], ["reforma"])
    assert t.fractions == [("47", "IX"), ("49", "XXIII")]
    assert p.stage == Stage.TURNADA_COMISION and p.status == "pendiente"


def test_status_events(ingested):
    stages = {p.stage for p in ingested.proposals}
    assert {Stage.TURNADA_COMISION, Stage.APROBADA_ORIGEN, Stage.RETIRADA, Stage.DESECHADA} <= stages
    desechadas = [p for p in ingested.proposals if p.stage == Stage.DESECHADA]
    assert any(e.detail == "art. 89" and e.date == date(2025, 8, 29) for p in desechadas for e in p.events)


def test_unknown_law_is_kept_with_its_raw_name(catalog):
    targets, _ = targets_from_title(
        "Proyecto de decreto que expide la Ley General de Igualdad Salarial entre Mujeres y Hombres.", catalog)
    (t,) = targets
    assert t.law_key is None and t.law_raw == "Ley General de Igualdad Salarial entre Mujeres y Hombres"
    assert t.ops == ["expide"]


def test_several_laws_in_one_title(catalog):
    targets, _ = targets_from_title(
        "Proyecto de decreto que reforma y adiciona diversas disposiciones de la Ley Federal del Trabajo, de la "
        "Ley General para la Igualdad entre Mujeres y Hombres y de la Ley General de Transparencia y Acceso a la "
        "Información Pública", catalog)
    assert [t.law_key for t in targets] == ["LFT", "LGIMH", "LGTAIP"]
    assert all(t.ops == ["reforma", "adiciona"] and t.articles == [] for t in targets)


@pytest.mark.parametrize("raw,name,party,kind", [
    ("Vitela Rodríguez Alma Marina (MORENA)", "Vitela Rodríguez Alma Marina", "MORENA", "diputado"),
    ("Coss y León Zúñiga Humberto (MORENA)", "Coss y León Zúñiga Humberto", "MORENA", "diputado"),
    ("Congreso de Jalisco (Congresos Locales)", "Congreso de Jalisco", None, "congreso_estatal"),
    ("Sen. Pérez (Senadores)", "Sen. Pérez", None, "senador"),
])
def test_parse_proponent(raw, name, party, kind):
    p = parse_proponent(raw)
    assert (p.name, p.party, p.kind) == (name, party, kind)


def test_parse_turno_with_opinion():
    cs = parse_turno("Unidas - Hacienda y Crédito Público - Bienestar Con Opinión de - Presupuesto y Cuenta Pública")
    assert [(c.key, c.role) for c in cs] == [("hacienda-y-credito-publico", "dictamen"), ("bienestar", "dictamen"),
                                             ("presupuesto-y-cuenta-publica", "opinion")]


def test_html_page_agrees_with_the_records_file(corpora: Path, ingested):
    recs, problems = read_html_page(corpora / SITL / "raw_html/30_ini_t1_T.html")
    assert not problems
    assert len(recs) == 83          # every entry of the page, linked title or not
    from_records = {p.title for p in ingested.proposals if any(s.file for s in p.sources)}
    assert {r["titulo"] for r, _ in recs} <= from_records
    rec, src = recs[9]
    assert rec["num"] == 10 and rec["proponente"] == "Vitela Rodríguez Alma Marina (MORENA)"
    assert rec["tramite"] == "Pendiente" and rec["publicacion_gaceta"] == "8-Enero-2025"
    assert rec["committee"] and src.line and src.file == "30_ini_t1_T.html"


def test_malformed_html_reports_and_reads_the_rest(corpora: Path, tmp_path: Path, catalog):
    data = (corpora / SITL / "raw_html/30_ini_t1_T.html").read_bytes()
    cut = data.find(b"Fecha de presentaci", len(data) // 2)
    broken = tmp_path / "30_ini_t1_T.html"
    broken.write_bytes(data[:cut])              # truncated in the middle of an initiative
    (tmp_path / "32_ini_t1_T.html").write_bytes(b"")   # empty page
    res = ingest_html_dir(tmp_path, catalog)
    assert any("32_ini_t1_T.html" in p and "vacía" in p for p in res.problems)
    assert any("30_ini_t1_T.html" in p and "ilegible" in p for p in res.problems)
    assert len(res.proposals) >= 40
    with pytest.raises(InputError, match="vacía"):
        read_html_page(tmp_path / "32_ini_t1_T.html")


def test_html_directory_ingest(corpora: Path, catalog):
    res = ingest_html_dir(corpora / SITL / "raw_html", catalog)
    assert len(res.proposals) > 1000
    assert all(p.targets or p.problems for p in res.proposals if "reforma" in p.title.lower())


def test_initiative_targets_meet_the_targets(eval_dir: Path, catalog):
    res = evaluate_initiatives(eval_dir / "initiatives_dev.jsonl", catalog)
    assert res["n_targets"] == 66
    assert res["law_key_exact"] >= 0.95, format_report(res)
    assert res["articles_exact"] >= 0.90, format_report(res)


def test_status_queries(ingested):
    props = ingested.proposals
    lg = status.by_law(props, "LGAMVLV")
    assert len(lg) >= 50
    art = status.by_article(props, "LGAMVLV", "47")
    assert art and all(any("47" in t.articles for t in p.targets) for p in art)
    assert [p.id for p in status.by_article(props, "CPEUM", "4o.")] == [p.id for p in status.by_article(props, "CPEUM", "4")]
    fem = status.by_topic(props, "feminicidio")
    assert fem and all("feminicid" in (p.title + p.synopsis).lower() for p in fem)
    ig = status.by_committee(props, "Igualdad de Género")
    assert len(ig) >= 100
    assert all(any(x.party == "PAN" for x in p.proponents) for p in status.by_party(props, "pan"))
    old = status.pending_longer_than(props, 180, as_of=date(2026, 6, 7))
    assert old and all(p.stage == Stage.TURNADA_COMISION for p in old)
    assert all((date(2026, 6, 7) - status.pending_since(p)).days > 180 for p in old)
    recent = status.pending_longer_than(props, 180, as_of=date(2025, 1, 1))
    assert len(recent) < len(old)
    combined = status.find_proposals(props, law="LGAMVLV", committee="igualdad de genero",
                                     pending_days=180, as_of=date(2026, 6, 7))
    assert combined and {p.id for p in combined} <= {p.id for p in lg} & {p.id for p in ig}
    p = status.by_stage(props, "retirada")[0]
    tl = status.timeline(p)
    assert tl[0].stage == Stage.PRESENTADA and tl[-1].stage == Stage.RETIRADA
    assert [e.date for e in tl] == sorted(e.date for e in tl)
    with pytest.raises(ValueError, match="ley"):
        status.find_proposals(props, article="4")


def test_dictamen_page_gives_the_whole_path(corpora: Path, catalog):
    from lawgraph.ingest.sitl import read_dictamen_page
    res = read_dictamen_page(corpora / SITL / "raw_html/dictamen_1186.html", catalog)
    assert not res.problems
    (p,) = res.proposals
    assert p.kind == "dictamen" and p.chamber == "diputados"
    assert [(e.stage, e.date, e.chamber) for e in p.events] == [
        (Stage.PRESENTADA, date(2025, 4, 9), "diputados"),
        (Stage.DICTAMINADA, date(2026, 4, 29), "diputados"),
        (Stage.APROBADA_ORIGEN, date(2026, 4, 29), "diputados"),
        (Stage.ENVIADA_REVISORA, None, "senado"),
    ]
    assert p.stage == Stage.ENVIADA_REVISORA
    assert p.proponents[0].party == "PT" and [c.key for c in p.committees] == ["atencion-a-grupos-vulnerables"]
    assert [t.law_key for t in p.targets] == ["LGIPD"]


@pytest.mark.parametrize("steps,origin,stages", [
    # revisora approves, then the Executive and the DOF (whole federal path)
    ("1. Minuta recibida el 3 de marzo de 2025. 2. Dictamen a discusión presentado en la Cámara de Senadores "
     "el 10 de abril de 2025. Proyecto de decreto aprobado en lo general y en lo particular por 98 votos. "
     "3. Pasa al Ejecutivo para sus efectos constitucionales. 4. Publicado en el Diario Oficial de la "
     "Federación el 2 de junio de 2025.", "diputados",
     [Stage.PRESENTADA, Stage.DICTAMINADA, Stage.APROBADA_REVISORA, Stage.ENVIADA_EJECUTIVO, Stage.PUBLICADA_DOF]),
    # constitutional reform: state legislatures and declaratoria (art. 135)
    ("1. Dictamen a discusión presentado en la Cámara de Diputados el 5 de mayo de 2025. Aprobado en lo "
     "general y en lo particular por 400 votos. 2. Pasa a la Cámara de Senadores para sus efectos "
     "constitucionales. 3. Remitido a las Legislaturas de los Estados. 4. Se emite la declaratoria el 30 de "
     "mayo de 2025. 5. Publicado en el Diario Oficial de la Federación el 31 de mayo de 2025.", "diputados",
     [Stage.DICTAMINADA, Stage.APROBADA_ORIGEN, Stage.ENVIADA_REVISORA, Stage.APROBADA_LEGISLATURAS,
      Stage.DECLARATORIA, Stage.PUBLICADA_DOF]),
    ("1. Pasa a la Cámara de Diputados para los efectos de la fracción e) del artículo 72.", "diputados",
     [Stage.DEVUELTA_ORIGEN]),
])
def test_process_steps(steps, origin, stages):
    from lawgraph.ingest.sitl import events_from_steps
    from lawgraph.model.process import ProcessSource
    evs = events_from_steps(steps, origin, ProcessSource(file="x", sha256="0"))
    assert [e.stage for e in evs] == stages


@pytest.mark.parametrize("title,expected", [
    # compound verbs apply to the same target
    ("Proyecto de decreto que reforma y adiciona el artículo 127 Ter de la Ley General del Sistema Nacional de "
     "Seguridad Pública", [("LGSNSP", ["127 Ter"], ["reforma", "adiciona"])]),
    # a name with commas is read whole, known or not
    ("Proyecto de decreto que expide la Ley General en Materia de Bienestar, Cuidado y Protección de los Animales",
     [(None, [], ["expide"])]),
    ("Proyecto de decreto que reforma el artículo 74 de la Ley General de Asentamientos Humanos, Ordenamiento "
     "Territorial y Desarrollo Urbano", [("LGAHOTDU", ["74"], ["reforma"])]),
    # articles of two laws in one title
    ("Proyecto de decreto que reforma los artículos 140 Bis de la Ley del Seguro Social y 37 Bis de la Ley del "
     "Instituto de Seguridad y Servicios Sociales de los Trabajadores del Estado",
     [("LSS", ["140 Bis"], ["reforma"]), ("LISSSTE", ["37 Bis"], ["reforma"])]),
    ("Proyecto de decreto que reforma el artículo 5 del Código Penal Federal, Ley General de Salud y Ley Federal "
     "del Trabajo", [("CPF", ["5"], ["reforma"]), ("LGS", [], ["reforma"]), ("LFT", [], ["reforma"])]),
])
def test_title_targets(catalog, title, expected):
    targets, _ = targets_from_title(title, catalog)
    assert [(t.law_key, t.articles, t.ops) for t in targets] == expected


def test_snapshot_merges_pages_into_the_records(corpora: Path, catalog):
    from lawgraph.ingest.sitl import ingest_snapshot
    res = ingest_snapshot(corpora / SITL, catalog)
    assert len([p for p in res.proposals if p.kind == "iniciativa"]) == 5324   # pages add no duplicates
    assert [p.kind for p in res.proposals].count("dictamen") == 1
    merged = [p for p in res.proposals if len({s.file for s in p.sources}) > 1]
    assert len(merged) > 1000
    # pages link the Gaceta where it has published the initiative ('Publicación en Gaceta: --' when not)
    with_url = [p for p in merged if p.gaceta_url]
    assert len(with_url) > 0.9 * len(merged)
    assert all(p.gaceta_url.startswith("https://gaceta.diputados.gob.mx/") for p in with_url)
