"""The law catalogue built from the corpus catalogues, and law-name resolution."""
from __future__ import annotations

from pathlib import Path

import pytest

from lawgraph.catalog import LawCatalog, acronym, state_of
from lawgraph.errors import ConfigError


@pytest.fixture(scope="module")
def catalog(corpora: Path) -> LawCatalog:
    return LawCatalog.from_mirror(corpora)


def test_catalogue_holds_the_federal_list_and_state_laws(catalog: LawCatalog):
    fed = [e for e in catalog.entries if e.jurisdiction == "mx"]
    assert len(fed) >= 317
    assert {"mx-chh", "mx-mex", "mx-oax", "mx-gro", "mx-cmx"} <= {e.jurisdiction for e in catalog.entries}
    lg = catalog.by_key["LGAMVLV"]
    assert lg.name == "Ley General de Acceso de las Mujeres a una Vida Libre de Violencias"
    assert "Ley General de Acceso de las Mujeres a una Vida Libre de Violencia" in lg.aliases  # '(Antes …)'
    assert catalog.by_key["LCEC"].code == "LCEC_120419"        # date suffix dropped from the key
    assert catalog.by_key["LVIV"].code == "LViv"               # keys upper-case


@pytest.mark.parametrize("name,key", [
    ("Constitución Política de los Estados Unidos Mexicanos", "CPEUM"),
    ("Constitución de los Estados Unidos Mexicanos", "CPEUM"),
    ("Código Penal Federal", "CPF"),
    ("Ley General de Acceso de las Mujeres a una Vida Libre de Violencia", "LGAMVLV"),     # former name
    ("ley General de Acceso de Las Mujeres a una Vida libre de Violencias", "LGAMVLV"),
    ("Ley de Acceso a las Mujeres a una Vida Libre de Violencia", "LGAMVLV"),
    ("Ley General para la Igualdad entre Mujeres y Hombres", "LGIMH"),
    ("Ley General para la Igualdad Sustantiva entre Mujeres y Hombres", "LGIMH"),
    ("Ley General de Niñas, Niños y Adolescentes", "LGDNNA"),
    ("Ley Federal de los Trabajadores al Servicio el Estado, Reglamentaria del apartado B del artículo 123 constitucional", "LFTSE"),
    ("Ley Reglamentaria del Artículo 5o. Constitucional, relativo al ejercicio de las profesiones en la Ciudad de México", "LREGART5"),
    ("LGAMVLV", "LGAMVLV"),
])
def test_resolves_names_as_written(catalog: LawCatalog, name: str, key: str):
    r = catalog.resolve(name)
    assert r.key == key, r
    assert r.raw == name


@pytest.mark.parametrize("name", [
    "Ley General de Igualdad Salarial entre Mujeres y Hombres",        # a proposed law
    "Ley General para Prevenir, Investigar, Sancionar y Reparar el Delito de Feminicidio",
    "Ley General de Salud Mental",
])
def test_unknown_laws_stay_unresolved_with_their_text(catalog: LawCatalog, name: str):
    r = catalog.resolve(name)
    assert r.key is None and r.raw == name


def test_a_state_law_never_resolves_to_the_federal_law(catalog: LawCatalog):
    r = catalog.resolve("Ley de Acceso de las Mujeres a una Vida Libre de Violencia del Estado de México")
    assert r.jurisdiction == "mx-mex" and r.key and r.key.startswith("MEX-")
    r = catalog.resolve("Código Penal del Estado de Chihuahua")
    assert r.jurisdiction == "mx-chh" and r.key and r.key.startswith("CHH-")
    r = catalog.resolve("Ley General de Acceso de las Mujeres a una Vida Libre de Violencia", jurisdiction_hint="mx-chh")
    assert r.key is None or r.key.startswith("CHH-")


def test_longest_name_at_reads_names_with_commas(catalog: LawCatalog):
    from lawgraph.nlp.dates import fold
    text = fold("de la Ley General de los Derechos de Niñas, Niños y Adolescentes, en materia de cuidados")
    end = catalog.longest_name_at(text, text.index("ley"))
    assert text[text.index("ley"):end] == "ley general de los derechos de ninas, ninos y adolescentes"


def test_helpers():
    assert acronym("Ley del Servicio Exterior Mexicano") == "LSEM"
    assert state_of("Código Penal del Estado de Chihuahua") == "chh"
    assert state_of("Código Penal Federal") is None
    # every federal entity is known, so a state's copy of a federal law is not the federal law
    assert state_of("Ley de Acceso de las Mujeres a una Vida Libre de Violencia del Estado de Jalisco") == "jal"
    assert state_of("Código Penal para el Estado Libre y Soberano de Baja California Sur") == "bcs"
    assert state_of("Código Penal para el Estado de Baja California") == "bcn"
    assert state_of("Ley de Víctimas del Estado de Durango") == "dgo"


def test_missing_catalogue_is_a_clear_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="catálogo federal"):
        LawCatalog.from_mirror(tmp_path)
