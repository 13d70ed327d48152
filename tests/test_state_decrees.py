"""State decrees as people read them: numbers in parse --json, the last untitled entry of a
Durango list dated from the running header, and the state's gazette named (issue 11, point 1)."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from lawgraph import ids
from lawgraph.cli import app
from lawgraph.pipeline import parse_file
from tests.conftest import SHARED

DGO = SHARED / "corpora" / "laws" / "state" / "durango"


def test_parse_json_carries_the_state_decree_number_and_gazette_issue():
    r = CliRunner().invoke(app, ["parse", str(DGO / "ley_mujeres_vida_sin_violencia.pdf"), "--json"])
    assert r.exit_code == 0, r.output
    decs = json.loads(r.stdout)["decrees"]
    assert (decs[-2]["number"], decs[-2]["gazette_number"], decs[-2]["dof_date"]) == ("264", "20", "2020-03-08")
    # the publisher printed no title for the last entry: the running header names the decree
    # of the last reform (DEC. 337, P.O. 51, 25 June 2020), and the list runs oldest first
    last = decs[-1]
    assert (last["number"], last["gazette_number"], last["dof_date"], last["kind"]) == ("337", "51", "2020-06-25", "decreto")
    assert last["operations"], "a dated decree has its operations"


def test_a_titled_last_entry_is_left_as_printed():
    law = parse_file(str(DGO / "codigo_penal.pdf"))
    assert all(d.title for d in law.decrees[-3:])
    assert not any("tomados de la cabecera" in w for w in law.warnings)


def test_gazette_labels_name_the_state_periodico_oficial():
    fed = ids.decree_id("dof", "2024-01-17", "Decreto por el que se reforma …")
    dgo = ids.decree_id(ids.gazette("mx-dgo"), "2020-06-25", "DEC. 337 …", "mx-dgo")
    assert ids.gazette_label(fed) == "DOF"
    assert ids.gazette_label(dgo) == "P.O. del Estado de Durango"
