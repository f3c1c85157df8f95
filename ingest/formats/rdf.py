"""RDF written by `modelatlas export` (Turtle, N-Triples or JSON-LD): a whole catalog, read back node for node."""

from __future__ import annotations

from pathlib import Path

from modelatlas.graph.errors import IngestError, described
from modelatlas.graph.types import Records

NAME = "rdf"
_NAMESPACE = "https://w3id.org/modelatlas/"
_BY_SUFFIX = {".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".ntriples": "nt", ".jsonld": "json-ld", ".json": "json-ld"}


def sniff(text: str) -> bool:
    """True for Turtle, N-Triples or JSON-LD that uses the ModelAtlas vocabulary."""
    head = text.lstrip()[:1]
    # N-Triples may open with a blank node ("_:b0 ..."): its lines come in no particular order.
    return _NAMESPACE in text[:200_000] and (head in ("@", "<", "_", "{", "[", "#") or text.lstrip().upper().startswith(("PREFIX", "BASE")))


def rdf_format(path: Path, text: str) -> str:
    """The rdflib parser for a file: by its ending, else by its first character."""
    if path.suffix.lower() in _BY_SUFFIX:
        return _BY_SUFFIX[path.suffix.lower()]
    head = text.lstrip()[:1]
    if head in ("{", "["):
        return "json-ld"
    return "turtle"  # Turtle reads N-Triples too


def parse(path: Path, text: str) -> Records:
    """The catalog an RDF file holds, with the provenance it recorded."""
    from rdflib import Graph

    from modelatlas.graph.rdf import records_from_rdf

    graph = Graph()
    try:
        graph.parse(data=text, format=rdf_format(path, text))
    except Exception as err:  # rdflib raises many types for malformed input; all mean the same to the user
        raise IngestError(path, f"not readable as {rdf_format(path, text)} ({described(err)})") from None
    return records_from_rdf(graph, str(path))
