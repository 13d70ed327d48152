"""FalkorDB's bulk path (lawgraph.graph.falkordb_bulk): ``lawgraph import`` into an empty
FalkorDB graph goes through ``GRAPH.BULK``, gives back the graph that was exported, with its
indexes, and outlives a restart of the server (the commands reach the append-only file)."""
from __future__ import annotations

import json

import pytest

from lawgraph.errors import StoreError
from lawgraph.graph.falkordb_bulk import BulkEncoder, encode_value
from lawgraph.graph.falkordb_server import EmbeddedFalkorDB
from lawgraph.graph.load import load_parsed_law
from lawgraph.graph.store import NODE_LABELS
from lawgraph.graph.transfer import export_jsonl, import_jsonl, read_graph
from tests.graph_support import make_law

KW = dict(jurisdiction="mx", kind="ley", key="lgamvlv")


def test_values_the_format_cannot_carry_are_refused_naming_the_property():
    for value, why in (({"a": 1}, "dict"), ("a\x00b", "byte nulo"), (2 ** 64, "64 bits")):
        with pytest.raises(StoreError, match=rf"Law 'x'\.meta: .*{why}"):
            encode_value(value, "Law 'x'.meta")
    # Every type the graph holds has a payload of the documented size.
    assert encode_value(True, "w") == b"\x01\x01" and encode_value(None, "w") == b"\x00"
    assert len(encode_value(3, "w")) == 9 and len(encode_value(0.5, "w")) == 9
    assert encode_value(["ab", 1], "w") == b"\x05" + (2).to_bytes(8, "little") + b"\x03ab\x00" + encode_value(1, "w")


def test_a_relationship_to_a_missing_node_or_a_repeated_node_is_refused_before_anything_is_sent():
    law = {"node": "Law", "properties": {"id": "/mx/ley/a"}}
    enc = BulkEncoder()
    with pytest.raises(StoreError, match="no está entre los nodos"):
        enc.add([law], [{"rel": "HAS_VERSION", "start": ["Law", "/mx/ley/a"],
                         "end": ["LawVersion", "/mx/ley/a@2026-01-01"], "properties": {}}])
    with pytest.raises(StoreError, match="nodo repetido"):
        BulkEncoder().add([law, law], [])


def test_a_spilled_encoder_sends_the_same_commands_and_leaves_no_file(tmp_path, monkeypatch):
    """The staged build keeps encoded units in a file, not in memory: every command is the
    in-memory encoder's, byte for byte, however often it is read (``keep``), and the file is
    unnamed (nothing left in the directory even before ``close``)."""
    import lawgraph.graph.falkordb_bulk as fb

    monkeypatch.setattr(fb, "COMMAND_BYTES", 200)   # several commands from a small graph
    units = [([{"node": "Law", "properties": {"id": f"/mx/ley/{u}{i}", "title": "t" * 40 * i}}
               for i in range(1, 6)],
              [{"rel": "CITES", "start": ["Law", f"/mx/ley/{u}{i}"], "end": ["Law", f"/mx/ley/{u}{i + 1}"],
                "properties": {"n": i}} for i in range(1, 5)]) for u in "ab"]
    plain, spilled = BulkEncoder(), BulkEncoder(spill_dir=tmp_path / "spill")
    for nodes, rels in units:
        plain.add(nodes, rels)
        spilled.add(nodes, rels)
    assert list((tmp_path / "spill").iterdir()) == []
    assert all(isinstance(t, tuple) for c in spilled._commands for t in c[2] + c[3])  # offsets only
    want = list(plain.commands("g", keep=True))
    assert len(want) > 2
    assert list(spilled.commands("g", keep=True)) == want == list(spilled.commands("g", keep=True))
    assert list(spilled.commands("g")) == want and list(spilled.commands("g")) == []
    spilled.close()


def test_a_spill_file_that_cannot_grow_is_a_store_error_naming_the_folder(tmp_path):
    """A full disk, made real for one process by a file-size limit (EFBIG on write): the encoder
    says where it could not write, as the StoreError a staged unit turns into a stopped build."""
    import subprocess
    import sys

    script = f"""
import resource, signal
from lawgraph.errors import StoreError
from lawgraph.graph.falkordb_bulk import BulkEncoder
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))
enc = BulkEncoder(spill_dir={str(tmp_path / "spill")!r})
try:
    enc.add([{{"node": "Law", "properties": {{"id": "/mx/ley/a", "t": "x" * 10000}}}}], [])
except StoreError as exc:
    print(exc)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "no se pudo guardar la carga masiva en" in out.stdout and str(tmp_path / "spill") in out.stdout


def _load_and_export(server: EmbeddedFalkorDB, export):
    """The server's store with one law loaded and exported to ``export``, and its graph read."""
    st = server.store()
    load_parsed_law(st, make_law(7), **KW)
    export_jsonl(st, export)
    return st, read_graph(st)


def test_an_import_into_falkordb_is_bulk_keeps_the_graph_and_its_indexes_and_outlives_a_restart(tmp_path):
    export = tmp_path / "graph.jsonl"
    with EmbeddedFalkorDB(tmp_path / "a") as source:
        st, stored = _load_and_export(source, export)
        counts = st.counts()
    with EmbeddedFalkorDB(tmp_path / "b") as target:
        st = target.store()
        import_jsonl(st, export)
        stats = target.client().connection.info("commandstats")
        assert stats["cmdstat_graph.BULK"]["calls"] >= 1
        assert read_graph(st) == stored and st.counts() == counts
        indexed = {r["label"] for r in st.run("CALL db.indexes() YIELD label RETURN label").rows}
        assert set(NODE_LABELS) <= indexed
        assert any("Index Scan" in step for step in st.explain(
            "MATCH (n:Provision {id: $id}) RETURN n", {"id": "/mx/ley/lgamvlv/art_1"}))
        # The graph can be written to as usual after a bulk load: the same law again is
        # recognised as stored.
        assert load_parsed_law(st, make_law(7), **KW).unchanged_document
    with EmbeddedFalkorDB(tmp_path / "b") as again:
        assert read_graph(again.store()) == stored


def test_a_file_with_a_dangling_relationship_changes_nothing_even_with_replace(tmp_path):
    export = tmp_path / "graph.jsonl"
    with EmbeddedFalkorDB(tmp_path / "a") as server:
        st, stored = _load_and_export(server, export)
        lines = export.read_text(encoding="utf-8").splitlines()
        at = next(i for i, line in enumerate(lines) if i and '"rel"' in line)
        rel = json.loads(lines[at])
        rel["end"] = ["Provision", "/mx/ley/no-existe/art_1"]
        lines[at] = json.dumps(rel)
        bad = tmp_path / "dangling.jsonl"
        bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with pytest.raises(StoreError, match="no está entre los nodos"):
            import_jsonl(st, bad, replace=True)
        assert read_graph(st) == stored
