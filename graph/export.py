"""The whole catalog as a file for other tools: Turtle, JSON-LD or N-Triples (graph/rdf.py), or GraphML."""

from __future__ import annotations

import io
import json

from modelatlas.graph.catalog import CatalogGraph
from modelatlas.graph.errors import ViewError
from modelatlas.graph.types import node_to_dict

RDF_FORMATS = {"ttl": "turtle", "jsonld": "json-ld", "nt": "nt"}
FORMATS = (*RDF_FORMATS, "graphml")
SUFFIXES = {".ttl": "ttl", ".jsonld": "jsonld", ".json": "jsonld", ".nt": "nt", ".graphml": "graphml"}


def check_format(file_format: str, formats: tuple[str, ...] = FORMATS) -> None:
    if file_format not in formats:
        raise ViewError(f"unknown export format {file_format!r}: choose {', '.join(formats)}")


def serialize_rdf(graph, file_format: str) -> bytes:
    """The catalog's RDF view (graph/rdf.py) as Turtle, JSON-LD (with the project's prefixes as context) or N-Triples."""
    from modelatlas.graph.rdf import PREFIXES

    check_format(file_format, tuple(RDF_FORMATS))
    if file_format == "jsonld":
        context = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, auto_compact=True).encode("utf-8")
    return graph.serialize(format=RDF_FORMATS[file_format]).encode("utf-8")


def graphml(catalog: CatalogGraph) -> bytes:
    """GraphML with scalar attributes (lists as JSON text): kind, name and every field of each node; relation, sources, results of each edge."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    for node in catalog.nodes():
        data = node_to_dict(node)
        attributes = {k: (json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v) for k, v in data.items() if k != "id" and v is not None}
        attributes["label"] = node.name
        graph.add_node(node.id, **attributes)
    for edge in sorted(catalog.edges(), key=lambda e: (e.source, e.relation, e.target)):
        graph.add_edge(
            edge.source, edge.target, key=str(edge.relation), relation=str(edge.relation),
            sources=json.dumps(list(edge.sources), ensure_ascii=False), results=json.dumps([list(map(list, r)) for r in edge.results]),
        )
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer)
    return buffer.getvalue()
