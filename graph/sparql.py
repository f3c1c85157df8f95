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


def run_query(graph, query: str, prefixes: bool = True, allow_service: bool = False) -> QueryResult:
    """Run a query; the prefixes ma, mls, schema, dcterms, prov and skos need no PREFIX line (unless `prefixes` is off)."""
    from modelatlas.graph.rdf import PREFIXES

    check_query(query, allow_service)
    try:  # rdflib evaluates lazily: rows are read inside the try, where its errors become one line
        result = graph.query(query, initNs=PREFIXES) if prefixes else graph.query(query)
        if result.type == "SELECT":
            columns = tuple(str(v) for v in result.vars)
            rows = tuple(tuple(None if value is None else str(value) for value in row) for row in result)
            return QueryResult("select", columns, rows, json=result.serialize(format="json"))
        if result.type == "ASK":
            return QueryResult("ask", boolean=bool(result.askAnswer), json=result.serialize(format="json"))
        return QueryResult("graph", turtle=result.serialize(format="turtle").decode("utf-8"))
    except Exception as err:  # rdflib evaluation errors have many types; all are the query's fault here
        raise SparqlError(f"query failed: {described(err, 300)}") from None


def check_query(query: str, allow_service: bool = False) -> None:
    """Refuse, with one line, an empty query, an update, a syntax error, and (unless allowed) what reaches other machines.

    A query is data from a user or a script: `SERVICE <url>` would make rdflib or Oxigraph send it to
    another server, and `FROM <http://…>` lets a store fetch a graph from the web. Both are refused unless
    `allow_service`; the query is parsed (rdflib's SPARQL 1.1 grammar) and its whole tree searched, so a
    SERVICE inside OPTIONAL, UNION, FILTER EXISTS or a subquery is found too.
    """
    from pyparsing import ParseException, ParserElement
    from rdflib.plugins.sparql.parser import parseQuery

    check_read_only(query)
    try:
        tree = parseQuery(query)
    except ParseException as err:
        raise SparqlError(f"query syntax error at line {err.lineno}, column {err.col}: {one_line(err.msg, 10_000)}") from None
    except Exception as err:  # the parser's own failures on odd input
        raise SparqlError(f"query syntax error: {described(err, 300)}") from None
    finally:
        ParserElement.reset_cache()  # rdflib parses with pyparsing's packrat cache on: do not let it grow per query
    if allow_service:
        return
    for name, part in _parts(tree):
        if name == "ServiceGraphPattern":
            raise SparqlError(f"SERVICE {_term(dict.get(part, 'term'))} is refused: a query may not reach other machines (pass --allow-service to allow it)")
        if name == "DatasetClause":
            iri = dict.get(part, "default") or dict.get(part, "named")
            if str(iri).lower().startswith(("http:", "https:", "ftp:", "file:")):
                raise SparqlError(f"FROM {_term(iri)} is refused: a store could fetch it from elsewhere (pass --allow-service to allow it)")


def _parts(tree, depth: int = 0):
    """Every (name, node) of a parsed query, depth first."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if depth > 200:  # deeper than any real query; the parser itself recurses less
        raise SparqlError("query nests deeper than 200 levels")
    if isinstance(tree, CompValue):
        yield tree.name, tree
        children = tree.values()
    elif isinstance(tree, (list, tuple)) or type(tree).__name__ == "ParseResults":
        children = tree
    else:
        return
    for child in children:
        yield from _parts(child, depth + 1)


def _term(term) -> str:
    from rdflib import URIRef

    return f"<{term}>" if isinstance(term, URIRef) else f"?{term}" if term is not None else "(unnamed)"


def check_read_only(query: str) -> None:
    """Raise SparqlError for an empty query or a SPARQL Update request (after any PREFIX and BASE lines)."""
    import re

    text = " ".join(query.split())
    if not text:
        raise SparqlError("the query is empty")
    body = re.sub(r"(?is)^(\s*(PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", "", text)
    if re.match(r"(?i)\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", body):
        raise SparqlError("the catalog's SPARQL is read-only: INSERT, DELETE, LOAD, CLEAR, DROP and CREATE are refused")
