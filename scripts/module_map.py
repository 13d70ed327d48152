"""Print the package's module map: every module, its lines, and who imports whom (issue 9's
closing evidence). Reads the source with :mod:`ast` (nothing is imported or run), the same
walk as tests/test_layers.py: an ``import`` anywhere in a module, at its top or inside a
function, is an edge.

    python scripts/module_map.py                 # one line per module: lines, imports, imported by
    python scripts/module_map.py --layers        # the layer-to-layer edge counts only
    python scripts/module_map.py --json          # everything as one JSON object

Run it on two checkouts (``git worktree`` or ``git stash``) to compare before and after.
"""
from __future__ import annotations

import argparse
import ast
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "lawgraph"

# The layer a module belongs to, by its dotted prefix (first match wins); the rest is "core".
LAYERS = (("lawgraph.ingest", "ingest"), ("lawgraph.nlp", "nlp"), ("lawgraph.graph", "graph"),
          ("lawgraph.model", "model"), ("lawgraph.api", "api"), ("lawgraph.cli", "cli"),
          ("lawgraph.steps", "steps"), ("lawgraph.evaluation", "evaluation"), ("lawgraph.ids", "ids"))


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, known: set[str]) -> set[str]:
    """The lawgraph modules ``path`` imports (``from lawgraph.x import y`` counts ``lawgraph.x.y``
    when that is a module, else ``lawgraph.x``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and (node.module == "lawgraph" or node.module.startswith("lawgraph.")):
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                found.add(sub if sub in known else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("lawgraph"))
    return found


def layer(mod: str) -> str:
    for prefix, name in LAYERS:
        if mod == prefix or mod.startswith(prefix + ".") or (name == "cli" and mod.startswith("lawgraph.cli_")):
            return name
    return "core"


def module_map() -> dict:
    paths = sorted(PKG.rglob("*.py"))
    known = {module_name(p) for p in paths}
    lines = {module_name(p): sum(1 for _ in p.open(encoding="utf-8")) for p in paths}
    imports = {module_name(p): sorted(imports_of(p, known) - {module_name(p)}) for p in paths}
    imported_by: dict[str, list[str]] = defaultdict(list)
    for src, dsts in imports.items():
        for d in dsts:
            imported_by[d].append(src)
    edges = Counter((layer(s), layer(d)) for s, ds in imports.items() for d in ds if layer(s) != layer(d))
    return {
        "modules": {m: {"lines": lines[m], "imports": imports[m], "imported_by": sorted(imported_by.get(m, []))}
                    for m in sorted(known)},
        "totals": {"modules": len(known), "lines": sum(lines.values()),
                   "edges": sum(len(v) for v in imports.values())},
        "layer_edges": {f"{a} -> {b}": n for (a, b), n in sorted(edges.items())},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--layers", action="store_true", help="print only the layer-to-layer edge counts")
    args = ap.parse_args(argv)
    m = module_map()
    if args.json:
        json.dump(m, sys.stdout, indent=1)
        print()
        return 0
    t = m["totals"]
    print(f"{t['modules']} modules, {t['lines']} lines, {t['edges']} import edges")
    print("layer edges (importer -> imported: count)")
    for k, n in m["layer_edges"].items():
        print(f"  {k}: {n}")
    if args.layers:
        return 0
    print("module  lines  imports  imported-by")
    for name, info in m["modules"].items():
        short = [d.removeprefix("lawgraph.") for d in info["imports"]]
        print(f"{name}  {info['lines']}  ->[{', '.join(short)}]  <-{len(info['imported_by'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
