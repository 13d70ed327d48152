"""Issue 9 point 5 for lawgraph/api: one router per resource, thin handlers, no module pair that
imports each other (read from the source, not from a list kept by hand)."""
from __future__ import annotations

import ast
from pathlib import Path

import lawgraph.api

API = Path(lawgraph.api.__file__).parent
RESOURCES = {"laws", "provisions", "recommendations", "suggestions", "review", "search"}


def _imports(path: Path) -> set[str]:
    """The lawgraph modules a file imports (at any depth of the file)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lawgraph"):
            found.add(node.module)
            for alias in node.names:  # "from lawgraph.api.routers import laws" imports a module
                found.add(f"{node.module}.{alias.name}")
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("lawgraph"))
    return found


def _module(path: Path) -> str:
    rel = path.relative_to(API.parent.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def test_one_router_per_resource_and_no_mutual_imports():
    files = sorted(API.rglob("*.py"))
    mods = {_module(f): _imports(f) & {_module(g) for g in files} for f in files}
    routers = {m.rsplit(".", 1)[1] for m in mods if m.startswith("lawgraph.api.routers.")}
    assert RESOURCES <= routers, f"missing routers: {RESOURCES - routers}"
    pairs = [(a, b) for a, deps in mods.items() for b in deps if a < b and a in mods.get(b, set())]
    assert not pairs, f"modules importing each other: {pairs}"
    for m, deps in mods.items():
        if m.startswith("lawgraph.api.routers."):
            others = {d for d in deps if d.startswith("lawgraph.api.routers.") or d == "lawgraph.api.app"}
            assert not others, f"{m} imports {others}: routers import the library and the shared api modules only"


def test_handlers_hold_no_query_text():
    for f in (API / "routers").glob("*.py"):
        text = f.read_text(encoding="utf-8")
        for word in ("MATCH (", "MERGE (", "RETURN ", "store.run(", "run_named("):
            assert word not in text, f"{f.name} holds query text ({word!r}): call the library instead"
