"""Validated parameters and documented error answers, shared by every router.

Every string a person or program sends is bounded in length and may not hold control characters
(a NUL reached the database as query text before: issue 13 point 7); counts are bounded below and
above; dates are ISO dates. A value outside these answers 422 with a Spanish message, documented
in the OpenAPI description together with every other status a route can answer.
"""
from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Path, Query
from pydantic import BaseModel

# No C0 control characters and no DEL (so no NUL); everything else in Unicode is allowed.
NO_CONTROL = r"^[^\x00-\x1f\x7f]*$"
# Reason: the longest reference or id in the corpus is under 120 characters
# (e.g. '/mx/ley/lgamvlv@2026-01-15/art_20-ter/frac_iii'); 300 leaves room for any written form.
MAX_REF = 300
# Reason: a search or filter phrase is a few words; 200 characters is a long sentence.
MAX_QUERY = 200
# Reason: the largest page any list shows; beyond it the answer grows without helping anyone.
MAX_LIMIT = 1000
# Reason: the graph's int range for SKIP; past the last row every offset answers an empty page.
MAX_OFFSET = 2**31 - 1
# Reason: the search answer page; issue 13 measured 2.7 MB for limit=10000000 without it.
MAX_SEARCH = 200


class ErrorBody(BaseModel):
    """Every error of the JSON API: a Spanish message, and for 422 which field was wrong."""

    error: str
    detalles: list[dict[str, Any]] | None = None


def _err(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


# Statuses every route may answer (the guard middleware and the error handlers).
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _err("Solicitud no válida (servidor no permitido, referencia no reconocida)"),
    422: _err("Parámetro fuera de los límites o con caracteres no válidos"),
    500: _err("Error interno; el mensaje no incluye detalles internos"),
    503: _err("La base de datos no responde"),
}
NOT_FOUND = {404: _err("No existe")}
WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _err("Falta una cuenta: sesión o ficha de acceso"),
    403: _err("Solicitud desde otro sitio o sin ficha CSRF"),
    413: _err("Cuerpo demasiado grande"),
    415: _err("Formato del cuerpo no admitido"),
}

Ref = Annotated[str, Query(min_length=1, max_length=MAX_REF, pattern=NO_CONTROL,
                           description='Id o referencia: "LGAMVLV art 20 Ter"')]
At = Annotated[date | None, Query(description="Fecha AAAA-MM-DD (texto vigente ese día)")]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Cuántos resultados, de 1 a 1000")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Cuántos resultados saltar")]
Filter = Annotated[str | None, Query(max_length=MAX_QUERY, pattern=NO_CONTROL)]
PageFilter = Annotated[str, Query(max_length=MAX_QUERY, pattern=NO_CONTROL)]
Pagina = Annotated[int, Query(ge=1, le=MAX_OFFSET // 1000, description="Página, desde 1")]
LawKey = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9._\-]*$", description="Clave: lgamvlv")]
Id = Annotated[str, Path(min_length=1, max_length=MAX_REF, pattern=NO_CONTROL)]


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
