"""The structurer on lines written here (the Word readers' entry point): one small invented
law that exercises each construct of the LeyesBiblio grammar once."""
from __future__ import annotations

from datetime import date

import pytest

from lawgraph.errors import ParseError
from lawgraph.ingest.base import Line
from lawgraph.ingest.leyesbiblio import LEYESBIBLIO
from lawgraph.ingest.structure import join_lines, ordinal_value, structure

TEXT = """\
LEY DE PRUEBA PARA LA ESTRUCTURA
Nueva Ley publicada en el Diario Oficial de la Federación el 3 de marzo de 2010
TEXTO VIGENTE
Última reforma publicada DOF 05-06-2024
TÍTULO PRIMERO
DISPOSICIONES GENERALES
Capítulo I
Del objeto
Título adicionado DOF 01-02-2015
ARTÍCULO 1o.- Esta ley tiene por objeto probar el
analizador de estructura.
Párrafo adicionado DOF 01-02-2015. Reformado DOF 05-06-2024
Para sus efectos se entiende por:
I. Unidad: una parte de la ley;
Fracción reformada DOF 05-06-2024
I Bis. Inciso: una parte de una fracción, y
II. Nota: una anotación editorial, con los
siguientes elementos:
a) El sujeto;
b) La fecha.
II-A. Fracción con letra.
Artículo 2 Bis.- (Se deroga).
Artículo derogado DOF 05-06-2024
[Artículo 2 Ter. Suprimido]
Artículo 3.- La fracción
XIX. citada al final de una línea no abre una fracción.
TRANSITORIOS
PRIMERO.- Esta ley entra en vigor al día siguiente.
SEGUNDO.- Se abrogan las leyes anteriores.
México, D.F., a 1 de marzo de 2010.- Rúbricas.
ARTÍCULOS TRANSITORIOS DE DECRETOS DE REFORMA
DECRETO por el que se reforman diversas disposiciones de la Ley de Prueba para la
Estructura.
Publicado en el Diario Oficial de la Federación el 1o. de febrero de 2015
Artículo Único.- Se reforma el artículo 1; y se adiciona
el Título Primero, para quedar como sigue:
……….
Transitorio
Único.- Este Decreto entra en vigor al día siguiente.
FE de erratas al Decreto anterior.
Publicada en el Diario Oficial de la Federación el 2 de febrero de 2015
[DECRETO por el que se reforma el artículo 2 Bis.]
Decreto declarado inválido por sentencia de la SCJN notificada el 01-01-2024
Publicado en el Diario Oficial de la Federación el 5 de junio de 2024
[Artículo Único.- Se deroga el artículo 2 Bis.]
SENTENCIA dictada en la Acción de Inconstitucionalidad 1/2024.
Notificada al Congreso de la Unión para efectos legales el 7 de junio de 2024
PUNTOS RESOLUTIVOS
PRIMERO. Es procedente.
"""


def _lines(text: str, page: int | None = None) -> list[Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        if raw.strip():
            out.append(Line(page, raw.strip(), pos))
        pos += len(raw) + 1
    return out


@pytest.fixture(scope="module")
def law():
    return structure(_lines(TEXT), sha256="0" * 64, file="prueba.docx", fmt="docx",
                     pages=None, profile=LEYESBIBLIO)


def test_preamble(law):
    assert law.title == "LEY DE PRUEBA PARA LA ESTRUCTURA"
    assert law.ultima_reforma == date(2024, 6, 5)
    assert law.publication.startswith("Nueva Ley publicada")


def test_articles_labels_repeal_and_placeholders(law):
    assert [a.label for a in law.articles] == ["1", "2 Bis", "3"]
    assert [a.repealed for a in law.articles] == [False, True, False]
    assert law.suppressed_articles == ["2 Ter"]


def test_units_and_notes(law):
    a1 = law.article("1")
    assert a1.raw_label == "ARTÍCULO 1o.-"
    assert a1.text == "ARTÍCULO 1o.- Esta ley tiene por objeto probar el analizador de estructura."
    assert [n.dates for n in a1.reform_notes] == [[date(2015, 2, 1), date(2024, 6, 5)]]
    fr = a1.fracciones()
    assert [f.label for f in fr] == ["I", "I Bis", "II", "II-A"]
    assert fr[0].reform_notes[0].subject == "Fracción"
    assert [i.label for i in fr[2].children] == ["a", "b"]
    assert fr[2].text == "II. Nota: una anotación editorial, con los siguientes elementos:"
    # a Roman numeral that begins a wrapped line mid-sentence is text, not a fracción
    assert law.article("3").fracciones() == []


def test_divisions(law):
    t = law.divisions[0]
    assert (t.kind, t.label, t.heading) == ("titulo", "PRIMERO", "DISPOSICIONES GENERALES")
    c = t.children[0]
    assert (c.kind, c.label, c.heading, c.articles) == ("capitulo", "I", "Del objeto", ["1", "2 Bis", "3"])
    assert c.reform_notes and c.reform_notes[0].dates == [date(2015, 2, 1)]


def test_transitorios_stop_at_the_signature(law):
    assert [t.label for t in law.transitorios] == ["PRIMERO", "SEGUNDO"]
    assert "Rúbricas" not in law.transitorios[-1].full_text()


def test_reform_section(law):
    kinds = [(d.kind, d.dof_date, d.notified_date, d.declared_invalid) for d in law.decrees]
    assert kinds == [
        ("decreto", date(2015, 2, 1), None, False),
        ("fe_de_erratas", date(2015, 2, 2), None, False),
        ("decreto", date(2024, 6, 5), None, True),
        ("scjn", None, date(2024, 6, 7), False),
    ]
    d1 = law.decrees[0]
    assert d1.title == ("DECRETO por el que se reforman diversas disposiciones de la Ley de "
                        "Prueba para la Estructura.")
    assert d1.clause == ("Artículo Único.- Se reforma el artículo 1; y se adiciona el Título "
                         "Primero, para quedar como sigue:")
    assert [t.label for t in d1.transitorios] == ["Único"]
    assert law.decrees[2].title == "DECRETO por el que se reforma el artículo 2 Bis."
    assert law.decrees[2].clause == "Artículo Único.- Se deroga el artículo 2 Bis."


def test_sources_without_pages(law):
    a = law.article("3")
    span = TEXT[a.source.start:a.source.end]
    assert a.source.page is None and span.startswith("Artículo 3.-") and span.endswith("fracción.")


def test_not_a_law():
    with pytest.raises(ParseError) as ei:
        structure(_lines("Informe anual\nSin artículos aquí."), sha256="0" * 64,
                  file="informe.docx", fmt="docx", pages=None, profile=LEYESBIBLIO)
    assert "informe.docx" in str(ei.value)


@pytest.mark.parametrize("label,value", [
    ("ARTÍCULO PRIMERO", 1), ("Artículo Decimoctavo", 18), ("DÉCIMO SEGUNDO", 12),
    ("Vigésimo Cuarto", 24), ("1º", 1), ("Único", 1), ("Artículo Segundo Transitorio", 2),
])
def test_ordinal_values(label, value):
    assert ordinal_value(label) == value


def test_join_lines():
    assert join_lines(["derechos político-", "electorales"]) == "derechos político-electorales"
    assert join_lines(["DOF 28-12-", "1982"]) == "DOF 28-12-1982"
    assert join_lines(["XXIX-", "N, XXIX-Ñ"]) == "XXIX-N, XXIX-Ñ"
    assert join_lines(["uno -", "Dos"]) == "uno - Dos"
