"""User imports (CSV, JSON array or JSONL; docs/import_formats.md): recommendations of any other
source and civil-society suggestions, validated row by row into a
:class:`~lawgraph.ingest.recs.common.ReadReport`; and a suggestion typed by a person.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lawgraph import ids
from lawgraph.errors import InputError
from lawgraph.ingest.recs.common import (
    ReadReport,
    RowError,
    check_language,
    check_text,
    error_message,
    fold_ws,
    looks_mac_roman,
    normalise_symbol,
    repair_mac_roman,
    sha256_of,
)
from lawgraph.model.recs import Recommendation, Suggestion, TextSource

REC_FIELDS = ("body", "document", "paragraph", "subparagraph", "year", "language", "text",
              "recommendation_part", "chapeau", "section", "rec_id")
SUG_FIELDS = ("organisation", "date", "text", "language", "priority_area", "target_law", "sug_id")
_ALIASES = {"organization": "organisation", "organizacion": "organisation", "organización": "organisation",
            "fecha": "date", "texto": "text", "lang": "language", "idioma": "language",
            "area_prioritaria": "priority_area", "área_prioritaria": "priority_area",
            "ley": "target_law", "ley_objetivo": "target_law", "organo": "body", "órgano": "body",
            "documento": "document", "parrafo": "paragraph", "párrafo": "paragraph",
            "inciso": "subparagraph", "anio": "year", "año": "year"}


def _read_records(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], str, list[RowError], list[str]]:
    """Rows of a CSV or JSON/JSONL import as (row number, dict); undecodable rows become errors."""
    raw = path.read_bytes()
    sha = sha256_of(raw)
    errors: list[RowError] = []
    warnings: list[str] = []
    if not raw.strip():
        raise InputError(path, "el archivo está vacío")
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonl"):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise InputError(path, f"no está en UTF-8 (byte {e.start})") from e
        rows: list[tuple[int, dict[str, Any]]] = []
        stripped = text.lstrip()
        if suffix == ".json" and stripped.startswith("["):
            try:
                arr = json.loads(text)
            except json.JSONDecodeError as e:
                raise InputError(path, f"JSON inválido en la línea {e.lineno}: {e.msg}") from e
            for i, obj in enumerate(arr, 1):
                if isinstance(obj, dict):
                    rows.append((i, obj))
                else:
                    errors.append(RowError(i, "el registro no es un objeto JSON"))
        else:
            for i, line in enumerate(text.splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    errors.append(RowError(i, f"JSON inválido: {e.msg}"))
                    continue
                if isinstance(obj, dict):
                    rows.append((i, obj))
                else:
                    errors.append(RowError(i, "el registro no es un objeto JSON"))
        return rows, sha, errors, warnings
    if suffix not in (".csv", ".tsv", ".txt"):
        raise InputError(path, f"formato no reconocido {suffix!r}: use .csv, .json o .jsonl")
    # CSV: decode line by line so one badly encoded row is rejected, not the whole file.
    lines = raw.splitlines(keepends=True)
    decoded: list[str] = []
    bad_lines: set[int] = set()
    for i, bl in enumerate(lines, 1):
        try:
            decoded.append(bl.decode("utf-8-sig" if i == 1 else "utf-8"))
        except UnicodeDecodeError:
            bad_lines.add(i)
            decoded.append(bl.decode("latin-1"))
    text = "".join(decoded)
    if looks_mac_roman(text):
        text = repair_mac_roman(text)
        warnings.append(f"{path}: codificación Mac Roman reparada")
    delim = "\t" if suffix == ".tsv" else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delim)
    rows = []
    prev_end = 1
    try:
        for row in reader:
            start = prev_end + 1
            prev_end = reader.line_num
            if None in row:
                errors.append(RowError(start, f"más columnas que encabezados ({len(row[None])} de sobra)"))
                continue
            if any(ln in bad_lines for ln in range(start, reader.line_num + 1)):
                errors.append(RowError(start, "la fila no está en UTF-8 (guarde el archivo como UTF-8)"))
                continue
            rows.append((start, row))
    except csv.Error as e:
        errors.append(RowError(reader.line_num, f"CSV mal formado: {e}"))
    return rows, sha, errors, warnings


def _norm_row(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in row.items():
        if k is None:
            continue
        key = _ALIASES.get(str(k).strip().lower(), str(k).strip().lower())
        out[key] = v.strip() if isinstance(v, str) else v
    return out


def import_recommendations(path: str | Path) -> ReadReport:
    """Recommendations from a user file (CSV, JSON array or JSONL); see docs/import_formats.md."""
    p = Path(path)
    rows, sha, errors, warnings = _read_records(p)
    rep = ReadReport(str(p), errors=errors, warnings=warnings)
    seen: set[str] = set()
    for rowno, row in rows:
        r = _norm_row(row)
        try:
            body = (r.get("body") or "").strip().upper()
            document = normalise_symbol(r.get("document") or "")
            para = str(r.get("paragraph") or "").strip().rstrip(".")
            if not body:
                raise ValueError("falta 'body' (órgano, p. ej. CEDAW)")
            if not document:
                raise ValueError("falta 'document' (símbolo, p. ej. CEDAW/C/MEX/CO/9)")
            if not re.fullmatch(r"[A-Z]?\.?\d{1,3}(?:\.\d{1,3}){0,2}", para):
                raise ValueError(f"párrafo ilegible {r.get('paragraph')!r} (p. ej. 14 o 148.81)")
            subp = (str(r.get("subparagraph") or "").strip().strip("().").lower()) or None
            if subp and not re.fullmatch(r"[a-zñ]{1,2}|[ivx]{1,5}", subp):
                raise ValueError(f"inciso ilegible {r.get('subparagraph')!r}")
            text = check_text(r.get("text"))
            lang = check_language(r.get("language"), text)
            year_raw = r.get("year")
            year = int(year_raw) if year_raw not in (None, "") else None
            if year is not None and not 1945 <= year <= 2100:
                raise ValueError(f"año fuera de rango {year}")
            rid = (r.get("rec_id") or "").strip() or ids.recommendation_id(document, para, subp)
            if rid in seen:
                raise ValueError(f"recomendación repetida {rid!r}")
            part = r.get("recommendation_part")
            rec = Recommendation(
                rec_id=rid, body=body, document=document, paragraph=para, subparagraph=subp,
                year=year, language=lang, text=text,
                recommendation_part=fold_ws(part) if isinstance(part, str) and part.strip() else text,
                chapeau=fold_ws(r["chapeau"]) if isinstance(r.get("chapeau"), str) and r["chapeau"].strip() else None,
                section=r.get("section") or None,
                source=TextSource(sha256=sha, file=p.name, row=rowno),
            )
        except (ValueError, TypeError, ValidationError) as e:
            rep.errors.append(RowError(rowno, error_message(e)))
            continue
        seen.add(rid)
        rep.items.append(rec)
    rep.errors.sort(key=lambda e: e.row)
    return rep


def import_suggestions(path: str | Path, catalog_resolver=None) -> ReadReport:
    """Civil-society suggestions from a user file; see docs/import_formats.md.

    ``catalog_resolver(name) -> key | None`` resolves ``target_law``; by default the project
    catalogue is used when it is installed, and an unresolved name is kept as written.
    """
    from lawgraph.nlp.dates import parse_spanish_date

    p = Path(path)
    rows, sha, errors, warnings = _read_records(p)
    rep = ReadReport(str(p), errors=errors, warnings=warnings)
    resolver = catalog_resolver if catalog_resolver is not None else _default_resolver()
    for rowno, row in rows:
        r = _norm_row(row)
        try:
            org = fold_ws(str(r.get("organisation") or ""))
            if not org:
                raise ValueError("falta 'organisation'")
            draw = str(r.get("date") or "").strip()
            if not draw:
                raise ValueError("falta 'date'")
            try:
                day = date.fromisoformat(draw)
            except ValueError:
                day = parse_spanish_date(draw)
            text = check_text(r.get("text"))
            lang = check_language(r.get("language"), text)
            target = fold_ws(str(r.get("target_law") or "")) or None
            key = resolver(target) if (target and resolver) else None
            sid = (str(r.get("sug_id") or "").strip()) or Suggestion.make_id(org, day, text)
            sug = Suggestion(
                sug_id=sid, organisation=org, date=day, text=text, language=lang,
                priority_area=fold_ws(str(r.get("priority_area") or "")) or None,
                target_law=target, target_law_key=key,
                source=TextSource(sha256=sha, file=p.name, row=rowno),
            )
        except (ValueError, TypeError, ValidationError) as e:
            rep.errors.append(RowError(rowno, error_message(e)))
            continue
        rep.items.append(sug)
    rep.errors.sort(key=lambda e: e.row)
    return rep


def _default_resolver():
    try:
        from lawgraph import catalog  # written by another stage; optional here
    except ImportError:
        return None
    fn = getattr(catalog, "resolve_law", None)
    if fn is None:
        return None

    def resolve(name: str) -> str | None:
        try:
            res = fn(name, None)
        except Exception:  # noqa: BLE001 - an unresolvable name is kept as written, not fatal
            return None
        return getattr(res, "key", res) if res else None

    return resolve


def suggestion_from_values(org: str, day: str, text: str, *, language: str | None = None,
                    priority_area: str | None = None, target_law: str | None = None):
    """A Suggestion typed by a person (CLI `suggest add`, the web form), validated like an
    imported row (InputError if bad); its source is the hash of what was typed."""
    from pydantic import ValidationError

    from lawgraph.nlp.dates import parse_spanish_date

    try:
        org = fold_ws(org)
        if not org:
            raise ValueError("falta la organización (--org)")
        try:
            d = date.fromisoformat(day.strip())
        except ValueError:
            d = parse_spanish_date(day)
        t = check_text(text)
        lang = check_language(language, t)
        target = fold_ws(target_law or "") or None
        resolver = _default_resolver() if target else None
        key = resolver(target) if resolver else None
        payload = json.dumps([org, d.isoformat(), t], ensure_ascii=False).encode("utf-8")
        return Suggestion(sug_id=Suggestion.make_id(org, d, t), organisation=org, date=d, text=t, language=lang,
                          priority_area=fold_ws(priority_area or "") or None, target_law=target,
                          target_law_key=key,
                          source=TextSource(sha256=hashlib.sha256(payload).hexdigest(), file="lawgraph suggest add"))
    except (ValueError, ValidationError) as e:
        raise InputError(None, f"sugerencia no válida: {e}") from e
