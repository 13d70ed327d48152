"""SIL instruments read from the real semaforo-legislativo files, and their join to the SITL."""
from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest

from lawgraph.errors import InputError
from lawgraph.ingest.sil import INSTRUMENTS_FILE, ingest_sil, parse_stage, read_instruments, to_proposal
from lawgraph.model.process import ProcessSource, Stage
from lawgraph.nlp.sil_join import JOIN_THRESHOLD, join, title_key

SRC = ProcessSource(file="x.json", sha256="0" * 64, record="1")


@pytest.fixture(scope="module")
def sil(corpora):
    return ingest_sil(corpora / "process" / "semaforo-legislativo")


@pytest.mark.parametrize("raw, origin, stage, chamber, day", [
    ("Pendiente en comisión(es) de revisora  el 19-NOV-2025", "diputados", Stage.ENVIADA_REVISORA, "senado", date(2025, 11, 19)),
    ("Pendiente en comisión(es) de origen  el 09-ABR-2026", "senado", Stage.TURNADA_COMISION, "senado", date(2026, 4, 9)),
    ("De primera lectura en revisora", "senado", Stage.ENVIADA_REVISORA, "diputados", None),
    ("Turnado a revisora  el 30-ABR-2025", "diputados", Stage.APROBADA_ORIGEN, "diputados", date(2025, 4, 30)),
    ("Publicado en DOF  el 15-ENE-2026", "diputados", Stage.PUBLICADA_DOF, "ejecutivo", date(2026, 1, 15)),
    ("Desechado  el 27-AGO-2025", "diputados", Stage.DESECHADA, "diputados", date(2025, 8, 27)),
])
def test_stage_strings_become_stages_in_the_right_chamber(raw, origin, stage, chamber, day):
    s = parse_stage(raw, origin, SRC)
    assert (s.stage, s.chamber, s.date) == (stage, chamber, day)


def test_unknown_stage_string_is_kept_as_printed():
    s = parse_stage("Algo que el SIL nunca dijo", "diputados", SRC)
    assert s.stage is None and s.raw == "Algo que el SIL nunca dijo"


def test_real_instruments_are_read_once_each_with_their_source(sil, corpora):
    raw = json.loads((corpora / "process/semaforo-legislativo" / INSTRUMENTS_FILE).read_text())
    distinct = {r["seguimiento_id"] for recs in raw.values() for r in recs if r.get("seguimiento_id") and r.get("titulo")}
    ids = [i.sil_id for i in sil.instruments]
    assert len(ids) == len(set(ids))
    assert distinct <= set(ids)
    kinds = Counter(i.kind for i in sil.instruments)
    assert kinds["iniciativa"] > kinds["proposicion"] > 0
    chambers = Counter(i.chamber for i in sil.instruments)
    assert chambers["senado"] and chambers["comision_permanente"] and chambers["diputados"]
    assert all(len(i.source.sha256) == 64 and i.source.record for i in sil.instruments)
    # stage records without ids are attached only where exactly one instrument fits
    assert 0 < sil.stages_attached < sil.stage_records
    staged = [s for i in sil.instruments for s in i.stages]
    assert any(s.stage is Stage.ENVIADA_REVISORA for s in staged)
    assert any(s.stage is Stage.PUBLICADA_DOF for s in staged)


def test_a_broken_file_names_itself(tmp_path):
    bad = tmp_path / INSTRUMENTS_FILE
    bad.write_text("[1, 2")
    with pytest.raises(InputError) as exc:
        read_instruments(bad)
    assert INSTRUMENTS_FILE in str(exc.value) and "JSON" in str(exc.value)
    with pytest.raises(InputError) as exc:
        ingest_sil(tmp_path / "no-such-folder")
    assert "no-such-folder" in str(exc.value)


def test_title_key_drops_the_lead_formula_of_both_systems():
    a = title_key("Con proyecto de decreto por el que se reforma el artículo 50 de la Ley General de Salud.")
    b = title_key("Proyecto de decreto que reforma el artículo 50 de la Ley General de Salud")
    assert a == b


def test_join_counts_add_up_and_joined_pairs_pass_the_threshold(sil, corpora):
    from lawgraph.ingest.sitl import ingest_records

    sitl = ingest_records(corpora / "process/sitl_diputados_lxvi/sitl_lxvi_iniciativas_por_comision.jsonl").proposals
    props = [to_proposal(i) for i in sil.instruments]
    out, rep = join(sitl, props)
    assert rep.joined + rep.unjoined == rep.instruments == len(props)
    assert len(out) == len(sitl) + rep.unjoined
    assert rep.joined > 0 and all(s >= JOIN_THRESHOLD for _a, _b, s in rep.pairs)
    by_id = {p.id: p for p in out}
    for sil_id, pid, _s in rep.pairs[:50]:
        p = by_id[pid]
        assert sil_id in p.sil_ids and any(s.record and sil_id in s.record for s in p.sources)
