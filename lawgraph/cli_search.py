"""``lawgraph buscar`` (alias ``search``): one search over provisions, proposals, decrees,
recommendations and suggestions, as the site's /buscar page does (lawgraph.search)."""
from __future__ import annotations

import re
from typing import Annotated, Optional

import typer
from rich.markup import escape

from lawgraph.cli_common import JsonOpt, _in_store, _print_json, out
from lawgraph.search import KINDS, search

_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def _terminal(excerpt_html: str) -> str:
    """The excerpt's escaped HTML as terminal text, the matched words in bold."""
    import html

    parts = _MARK.split(excerpt_html)
    return "".join(f"[bold]{escape(html.unescape(p))}[/]" if i % 2 else escape(html.unescape(p))
                   for i, p in enumerate(parts))


def _line(kind: str, h: dict) -> str:
    if kind == "provision":
        return f"{h['title']} (versión del {h['version_date']})"
    if kind == "proposal":
        return f"{h['title']} ({h.get('date') or 'sin fecha'})"
    if kind == "decree":
        return f"Decreto DOF {h.get('date') or ''} ({', '.join(k.upper() for k in h.get('laws') or [])})"
    if kind == "recommendation":
        return " ".join(str(x) for x in (h.get("body"), h.get("document"), h.get("paragraph") and f"párr. {h['paragraph']}") if x)
    return f"{h.get('organisation') or 'Sugerencia'} ({h.get('date') or 'sin fecha'})"


def buscar(
    q: Annotated[str, typer.Argument(help="Palabras a buscar (acentos opcionales).")],
    tipo: Annotated[Optional[list[str]], typer.Option("--tipo", help=f"Tipo de resultado (repetible): {', '.join(KINDS)}.")] = None,
    limit: Annotated[int, typer.Option(help="Resultados por tipo.", min=1, max=200)] = 10,
    json_: JsonOpt = False,
) -> None:
    """Busca en disposiciones, iniciativas, decretos, recomendaciones y sugerencias.

    Ejemplo: lawgraph buscar "violencia vicaria" --tipo provision --tipo proposal
    """
    res = _in_store(search, q, tipo, limit)
    if json_:
        _print_json(res.to_json())
        return
    for c in res.concepts:
        if c.also:
            out.print(f"Para «{escape(c.words)}» también se buscó: {escape(', '.join(c.also))}.", highlight=False)
    if not any(g["total"] for g in res.groups.values()):
        out.print("Sin resultados.")
        return
    for kind, g in res.groups.items():
        if not g["total"]:
            continue
        shown = f", se muestran {len(g['hits'])}" if g["total"] > len(g["hits"]) else ""
        out.print(f"\n[bold]{g['name']}[/] ({g['total']}{shown})", highlight=False)
        for h in g["hits"]:
            out.print(f"  · {escape(_line(kind, h))}", highlight=False)
            out.print(f"    {_terminal(h['excerpt_html'])}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``buscar`` and its English alias ``search`` to the main app."""
    app.command("buscar")(buscar)
    app.command("search", hidden=True)(buscar)
