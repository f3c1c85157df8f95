"""Saving and loading a built catalog graph as JSON, written atomically (temporary file, then rename)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from modelatlas.graph.catalog import CatalogGraph
from modelatlas.graph.errors import CatalogError
from modelatlas.graph.types import Edge, Relation, node_from_dict, node_to_dict

GRAPH_FORMAT = "modelatlas-graph/1"


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_graph(catalog: CatalogGraph, path: Path) -> None:
    """Save the graph with its fingerprint."""
    data = {
        "format": GRAPH_FORMAT,
        "fingerprint": catalog.fingerprint,
        "warnings": catalog.warnings,
        "nodes": [node_to_dict(n) for n in catalog.nodes()],
        "edges": [
            {"source": e.source, "target": e.target, "relation": str(e.relation), "sources": list(e.sources)}
            for e in sorted(catalog.edges(), key=lambda e: (e.source, e.relation, e.target))
        ],
    }
    write_atomically(path, json.dumps(data, ensure_ascii=False, indent=0).encode())


def load_graph(path: Path) -> CatalogGraph:
    """Load a saved graph, or raise CatalogError naming the file and the problem."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != GRAPH_FORMAT:
            raise CatalogError(f"{path}: not a saved ModelAtlas graph (format {data.get('format')!r})")
        catalog = CatalogGraph(fingerprint=data["fingerprint"], warnings=list(data.get("warnings", [])))
        for item in data["nodes"]:
            catalog.add_node(node_from_dict(item))
        for item in data["edges"]:
            catalog.add_edge(Edge(item["source"], item["target"], Relation(item["relation"]), tuple(item["sources"])))
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise CatalogError(f"{path}: cannot read saved graph ({err})") from None
    return catalog
