"""Target resolution on hand-labelled initiatives (format of ``../shared/eval/initiatives_dev.jsonl``).

Each answer line has the initiative's ``titulo`` and its ``operations``: one per target law,
with ``law_key`` (keys of the scheme in ``initiative_law_keys.json``) and ``articles``. The
project reads the title with :func:`lawgraph.ingest.sitl.targets_from_title` and compares per
target: ``law_key_exact`` is the share of answer targets whose law the project resolved to the
same key; ``articles_exact`` the share whose article set it read exactly (a target whose law
was not found counts as a miss for both).

Keys for laws that are not (yet) in any catalogue — proposed laws ('NEW-…') and decrees
('DECRETO-…') — cannot be produced by a catalogue: the correct answer for them is "not in the
catalogue", so an unresolved target whose raw name matches counts as exact.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from lawgraph.catalog import LawCatalog, load_catalog, normalise_name
from lawgraph.errors import InputError
from lawgraph.ingest.sitl import targets_from_title
from lawgraph.model.process import Target

_UNCATALOGUED_PREFIXES = ("NEW-", "DECRETO-")


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """Answer lines; a malformed line raises InputError naming the file and line."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no existe el archivo de respuestas")
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"línea {n}: JSON ilegible ({exc.msg})") from None
        if "titulo" not in row or "operations" not in row:
            raise InputError(path, f"línea {n}: faltan 'titulo' u 'operations'")
        row["_line"] = n
        rows.append(row)
    return rows


def _match(gold_op: dict[str, Any], preds: list[Target], used: set[int]) -> int | None:
    key = gold_op.get("law_key")
    for i, t in enumerate(preds):
        if i not in used and key and t.law_key == key:
            return i
    # Same law by its written name (unresolved targets, or a wrong key).
    gname = normalise_name(gold_op.get("law_name") or "")
    best, best_i = 0.0, None
    for i, t in enumerate(preds):
        if i in used or not t.law_raw:
            continue
        s = fuzz.ratio(gname, normalise_name(t.law_raw))
        if s > best:
            best, best_i = s, i
    return best_i if best >= 85 else None


def evaluate_initiatives(gold_path: str | Path, catalog: LawCatalog | None = None) -> dict[str, Any]:
    """Figures and every miss: ``n_targets``, ``law_key_exact``, ``articles_exact`` (0..1)."""
    catalog = catalog or load_catalog()
    rows = load_gold(gold_path)
    n = key_ok = arts_ok = 0
    misses: list[dict[str, Any]] = []
    extra_targets = 0
    for row in rows:
        preds, _problems = targets_from_title(row["titulo"], catalog)
        used: set[int] = set()
        for gop in row["operations"]:
            n += 1
            i = _match(gop, preds, used)
            pred = preds[i] if i is not None else None
            if i is not None:
                used.add(i)
            gkey = gop.get("law_key")
            if pred is None:
                k_ok = False
            elif gkey and gkey.startswith(_UNCATALOGUED_PREFIXES):
                k_ok = pred.law_key is None
            else:
                k_ok = pred.law_key == gkey
            a_ok = pred is not None and set(pred.articles) == set(gop.get("articles") or [])
            key_ok += k_ok
            arts_ok += a_ok
            if not (k_ok and a_ok):
                misses.append({
                    "id": row.get("gold_id"), "line": row["_line"], "titulo": row["titulo"],
                    "gold_law_key": gkey, "gold_articles": gop.get("articles") or [],
                    "law_raw": pred.law_raw if pred else None,
                    "law_key": pred.law_key if pred else None,
                    "articles": pred.articles if pred else None,
                    "law_key_ok": k_ok, "articles_ok": a_ok,
                })
        extra_targets += len(preds) - len(used)
    return {
        "n_initiatives": len(rows),
        "n_targets": n,
        "law_key_exact": key_ok / n if n else 0.0,
        "articles_exact": arts_ok / n if n else 0.0,
        "extra_targets": extra_targets,
        "misses": misses,
    }


def format_report(res: dict[str, Any]) -> str:
    """Spanish report: figures, then every miss."""
    lines = [
        f"Iniciativas: {res['n_initiatives']}  objetivos: {res['n_targets']}",
        f"Ley exacta: {res['law_key_exact']:.3f}  artículos exactos: {res['articles_exact']:.3f}"
        f"  objetivos de más: {res['extra_targets']}",
    ]
    for m in res["misses"]:
        lines.append(
            f"- {m['id']} (línea {m['line']}): esperado {m['gold_law_key']} {m['gold_articles']}; "
            f"obtenido {m['law_key']} {m['articles']} ({m['law_raw']!r})"
        )
        lines.append(f"    {m['titulo'][:220]}")
    return "\n".join(lines)
