"""Layers that only call downward (issue 9, point 1), checked on the package's own source.

Every ``import`` of a ``lawgraph`` module, at module level or inside a function, is an edge.
- ``ingest/`` and ``nlp/`` (documents -> parsed models -> operations, references, candidates)
  never import ``graph/``, ``api/``, the CLI or the orchestration module;
- ``graph/`` imports only the model, ids, errors, settings and its own modules (queries);
- no two modules import each other.
Where another part of the project still breaks a rule, the edge is listed below with the issue
that removes it, so the test is honest about what is left and fails on anything new.
"""
from __future__ import annotations

import ast
from pathlib import Path

import lawgraph

PKG = Path(lawgraph.__file__).resolve().parent

UPPER = ("lawgraph.graph", "lawgraph.api", "lawgraph.cli", "lawgraph.steps")
GRAPH_MAY_IMPORT = ("lawgraph.graph", "lawgraph.model", "lawgraph.ids", "lawgraph.errors", "lawgraph.config")

# Edges that break a rule, each with who removes it. Empty since issue 9 closed its last ones
# (the linker and journal steps moved to lawgraph.steps, the decree check to
# lawgraph.decree_check, fold to lawgraph.ids): keep it empty.
ALLOWED: set[tuple[str, str]] = set()
# Module pairs that import each other today (issue 9 point 5, websec engineer: one router per
# resource, no module pair importing each other).
ALLOWED_CYCLES: set[frozenset[str]] = set()


def _module(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "lawgraph":
                found.update(f"lawgraph.{a.name}" for a in node.names)
            elif node.module.startswith("lawgraph."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("lawgraph"))
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the lawgraph modules it imports, for every module of the package."""
    return {_module(p): _imports(p) for p in sorted(PKG.rglob("*.py"))}


def _under(mod: str, prefixes: tuple[str, ...]) -> bool:
    return any(mod == p or mod.startswith(p + ".") for p in prefixes)


def _allowed(src: str, dst: str) -> bool:
    return any(src == a and (dst == b or dst.startswith(b + ".")) for a, b in ALLOWED)


def test_the_walk_sees_the_package():
    g = import_graph()
    assert len(g) > 60
    assert "lawgraph.steps" in g and "lawgraph.graph.write" in g["lawgraph.graph.amendments"]


def test_ingest_and_nlp_never_import_upward():
    bad = sorted((src, dst) for src, deps in import_graph().items()
                 if _under(src, ("lawgraph.ingest", "lawgraph.nlp"))
                 for dst in deps if _under(dst, UPPER) and not _allowed(src, dst))
    assert not bad, f"ingest/nlp import a layer above them: {bad}"


def test_graph_imports_only_model_ids_and_its_queries():
    bad = sorted((src, dst) for src, deps in import_graph().items() if _under(src, ("lawgraph.graph",))
                 for dst in deps if not _under(dst, GRAPH_MAY_IMPORT) and not _allowed(src, dst))
    assert not bad, f"graph/ imports outside model, ids and its own modules: {bad}"


def test_the_web_layer_never_imports_the_cli():
    """api/ and the CLI are two thin faces over the library: neither calls through the other."""
    bad = sorted((src, dst) for src, deps in import_graph().items() if _under(src, ("lawgraph.api",))
                 for dst in deps if dst == "lawgraph.cli" or dst.startswith("lawgraph.cli_"))
    assert not bad, f"api/ imports the CLI: {bad}"


def test_no_two_modules_import_each_other():
    g = import_graph()
    pairs = {frozenset((a, b)) for a, deps in g.items() for b in deps if b != a and a in g.get(b, set())}
    assert not pairs - ALLOWED_CYCLES, f"modules importing each other: {sorted(map(sorted, pairs - ALLOWED_CYCLES))}"


def test_every_allowance_is_still_needed():
    """An allowance whose import is gone must leave the list (the list only shrinks)."""
    g = import_graph()
    stale = sorted((a, b) for a, b in ALLOWED
                   if not any(d == b or d.startswith(b + ".") for d in g.get(a, set())))
    assert not stale, f"remove these allowances, the imports are gone: {stale}"
    cycles = [sorted(c) for c in ALLOWED_CYCLES if not all(x in g and (set(c) - {x}) <= g[x] for x in c)]
    assert not cycles, f"remove these cycle allowances: {cycles}"


# What writes documents, their NLP results or corpus data into the graph. Only lawgraph.steps
# (and graph/ itself) calls them; the CLI, the API and the benchmarks call lawgraph.steps.
GRAPH_WRITERS = {
    "load_parsed_law", "write_amendments", "write_proposals", "load_cpeum_history", "load_recommendations",
    "prune_recommendations", "add_recommendations", "add_suggestions", "store_candidates", "run_linker",
    "replay_journal", "link_provisions", "refresh_validity",
}


def _writer_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
            and _under(node.module, ("lawgraph.graph",)) for a in node.names if a.name in GRAPH_WRITERS}


def test_only_the_orchestration_module_calls_the_graph_writers():
    """Every road from a document to the graph runs through lawgraph.steps (issue 9 point 1)."""
    found = {_module(p): _writer_imports(p) for p in sorted(PKG.rglob("*.py"))}
    assert found["lawgraph.steps"] >= {"load_parsed_law", "write_amendments", "write_proposals", "store_candidates"}
    outside = {m: sorted(w) for m, w in found.items()
               if w and m != "lawgraph.steps" and not _under(m, ("lawgraph.graph",))}
    assert not outside, f"graph writers called outside lawgraph.steps: {outside}"
