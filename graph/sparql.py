"""SPARQL 1.1 queries over the catalog's RDF view (rdflib), read-only, with the project's prefixes declared."""

from __future__ import annotations

from dataclasses import dataclass

from modelatlas.graph.errors import AtlasError, described, one_line


class SparqlError(AtlasError):
    """A query that cannot be run: a syntax error, or an update on a read-only graph."""


@dataclass(frozen=True)
class QueryResult:
    """A SELECT's columns and rows (as text), an ASK's answer, or a CONSTRUCT/DESCRIBE graph in Turtle."""

    kind: str  # "select", "ask" or "graph"
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str | None, ...], ...] = ()
    boolean: bool | None = None
    turtle: str = ""
    json: bytes = b""  # the SPARQL 1.1 JSON results document (select and ask)


def run_query(graph, query: str, prefixes: bool = True) -> QueryResult:
    """Run a query; the prefixes ma, mls, schema, dcterms, prov and skos need no PREFIX line (unless `prefixes` is off)."""
    from pyparsing import ParseException

    from modelatlas.graph.rdf import PREFIXES

    check_read_only(query)
    try:
        result = graph.query(query, initNs=PREFIXES) if prefixes else graph.query(query)
    except ParseException as err:
        raise SparqlError(f"query syntax error at line {err.lineno}, column {err.col}: {one_line(err.msg, 10_000)}") from None
    except Exception as err:  # rdflib evaluation errors have many types; all are the query's fault here
        raise SparqlError(f"query failed: {described(err, 300)}") from None
    if result.type == "SELECT":
        columns = tuple(str(v) for v in result.vars)
        rows = tuple(tuple(None if value is None else str(value) for value in row) for row in result)
        return QueryResult("select", columns, rows, json=result.serialize(format="json"))
    if result.type == "ASK":
        return QueryResult("ask", boolean=bool(result.askAnswer), json=result.serialize(format="json"))
    return QueryResult("graph", turtle=result.serialize(format="turtle").decode("utf-8"))


def check_read_only(query: str) -> None:
    """Raise SparqlError for an empty query or a SPARQL Update request (after any PREFIX and BASE lines)."""
    import re

    text = " ".join(query.split())
    if not text:
        raise SparqlError("the query is empty")
    body = re.sub(r"(?is)^(\s*(PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", "", text)
    if re.match(r"(?i)\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", body):
        raise SparqlError("the catalog's SPARQL is read-only: INSERT, DELETE, LOAD, CLEAR, DROP and CREATE are refused")
