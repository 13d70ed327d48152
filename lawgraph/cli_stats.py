"""``lawgraph stats`` as people read it: a short Spanish table of what the graph holds, and the
laws with a loaded text (the catalogue's other laws, named by initiatives or recommendations,
are counted, not listed)."""
from __future__ import annotations

from typing import Any

from rich.table import Table

from lawgraph.cli_common import out

# The labels people ask about, in the order shown, with their Spanish names. Other labels
# (bookkeeping nodes such as ProcessSnapshot) are summed under "otros nodos".
NODE_NAMES = {
    "Law": "Leyes (con texto o citadas)", "LawVersion": "Versiones de ley", "Provision": "Disposiciones",
    "ProvisionVersion": "Textos de disposiciones (por versión)", "Decree": "Decretos de reforma",
    "Amendment": "Operaciones de reforma", "Proposal": "Iniciativas", "Event": "Pasos de iniciativas",
    "Committee": "Comisiones", "Proponent": "Proponentes", "Recommendation": "Recomendaciones",
    "Suggestion": "Sugerencias de la sociedad civil",
}
# Reason: a title in a terminal column; longer ones end at a word boundary with an ellipsis
# (the full title is in --json).
TITLE_WIDTH = 70


def short_title(title: str, width: int = TITLE_WIDTH) -> str:
    """``title`` itself, or its words up to ``width`` characters followed by '…'."""
    title = " ".join((title or "").split())
    if len(title) <= width:
        return title
    cut = title.rfind(" ", 0, width)
    return title[: cut if cut > 0 else width].rstrip(" ,;:") + "…"


def print_stats(st: dict[str, Any], laws: list[Any]) -> None:
    nodes = st.get("nodes", {})
    t = Table(title="Contenido del grafo", show_header=True, header_style="bold")
    t.add_column("Qué")
    t.add_column("Cuántos", justify="right")
    for label, name in NODE_NAMES.items():
        t.add_row(name, f"{nodes.get(label, 0):,}".replace(",", " "))
    others = sum(v for k, v in nodes.items() if k not in NODE_NAMES)
    t.add_row("Otros nodos", f"{others:,}".replace(",", " "))
    t.add_row("Vínculos recomendación/sugerencia → disposición",
              f"{st.get('relationships', {}).get('LINK', 0):,}".replace(",", " "))
    out.print(t)
    with_text = [law for law in laws if law.versions]
    lt = Table(title=f"Leyes con texto cargado ({len(with_text)})", show_header=True, header_style="bold")
    for col in ("Clave", "Título", "Versiones", "Más reciente"):
        lt.add_column(col)
    for law in with_text:
        lt.add_row(law.key.upper(), short_title(law.title or ""), str(len(law.versions)), law.versions[-1])
    out.print(lt)
    rest = len(laws) - len(with_text)
    if rest:
        out.print(f"Otras {rest} leyes citadas por iniciativas o recomendaciones, sin texto cargado.")
    if st.get("incomplete_versions"):
        out.print(f"[yellow]{len(st['incomplete_versions'])} versiones con carga incompleta[/] "
                  "(vuelva a ejecutar lawgraph build).")
