"""Where the catalog's RDF can live besides memory, behind one small interface.

- `OxigraphStore`: an on-disk Oxigraph database (pyoxigraph); queries run in Oxigraph, without
  loading the graph into Python's memory.
- `RemoteStore`: any SPARQL 1.1 endpoint (Oxigraph server, Apache Jena Fuseki, Virtuoso, Amazon
  Neptune) through rdflib's SPARQLUpdateStore, so that a team keeps one catalog and many ModelAtlas
  instances read it.

A store is named by a string: `oxigraph:PATH` or the endpoint's query URL (`http://host:7878/query`;
the update URL is the query URL with `/query` replaced by `/update`, or given separately). Blank nodes
are skolemized before writing, so that the rdf:Lists of a catalog survive being sent in pieces.

Writing replaces the catalog in one step, so that a push killed at any moment leaves the store's
catalog as it was or as the new one, never a mixture or an empty store:
- an endpoint gets the triples in a staging named graph (in as many requests as it likes), then one
  `MOVE <staging> TO DEFAULT` update, a single transaction, swaps them in;
- an Oxigraph folder gets them bulk-loaded into a named graph of their own, then a one-triple update
  of a pointer graph makes it the current catalog. That flip is instant whatever the catalog's size,
  where a MOVE copies every triple in one transaction (30 s for the default catalog's 292k triples,
  hours at a million nodes). The old catalog's graph is removed after the flip; what a killed push
  leaves behind (a half-loaded graph, an old one) is removed by the next. Readers (`read`, `query`)
  take the graph the pointer names as their default graph; a folder written before the pointer holds
  its catalog in the default graph and is read so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from modelatlas.graph.errors import AtlasError, described, one_line
from modelatlas.graph.sparql import QueryResult, SparqlError, check_query, run_query

WRITE_BATCH = 5_000  # triples per SPARQL INSERT DATA request
STAGING_GRAPH = "https://w3id.org/modelatlas/staging"  # where a push loads the catalog before swapping it in
CATALOG_GRAPHS = "https://w3id.org/modelatlas/catalog/"  # an Oxigraph folder's catalogs, one named graph per push
POINTER_GRAPH = "https://w3id.org/modelatlas/pointer"  # holds the one triple naming the current catalog's graph
CURRENT_CATALOG = "https://w3id.org/modelatlas/ns#currentCatalog"
SWAP_IN = f"CLEAR SILENT DEFAULT ; MOVE SILENT <{STAGING_GRAPH}> TO DEFAULT"  # one update request, one transaction


class StoreError(AtlasError):
    """A store that cannot be opened, read or written."""


class CatalogStore(Protocol):
    """What ModelAtlas needs of a triple store: replace the catalog, read it whole, query it."""

    name: str

    def write(self, ntriples: Path) -> int: ...

    def read(self): ...

    def query(self, sparql: str, allow_service: bool = False) -> QueryResult: ...


def open_store(name: str, update_url: str | None = None) -> CatalogStore:
    """The store a name designates: `oxigraph:PATH`, or an http(s) SPARQL query URL."""
    if name.startswith("oxigraph:"):
        return OxigraphStore(Path(name[len("oxigraph:"):]).expanduser())
    if name.startswith(("http://", "https://")):
        return RemoteStore(name, update_url or (name[: -len("/query")] + "/update" if name.endswith("/query") else name))
    raise StoreError(f"store {name!r}: name an Oxigraph folder as oxigraph:PATH, or a SPARQL endpoint as http(s)://…")


def _prefix_lines() -> str:
    from modelatlas.graph.rdf import PREFIXES

    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


def skolem_base() -> str:
    """A fresh IRI prefix for one push's blank nodes (graph/rdf.py writes them as IRIs under it)."""
    import uuid

    return f"https://w3id.org/modelatlas/.well-known/genid/{uuid.uuid4().hex}/"


class OxigraphStore:
    """The catalog in an Oxigraph database folder."""

    def __init__(self, path: Path):
        self.name, self.path = f"oxigraph:{path}", path

    def _open(self):
        """The database, opened for one operation: Oxigraph locks its folder while it is open."""
        import pyoxigraph

        try:
            self.path.mkdir(parents=True, exist_ok=True)
            return pyoxigraph.Store(str(self.path))
        except (OSError, RuntimeError) as err:
            raise StoreError(f"{self.path}: cannot open the Oxigraph store ({one_line(err)})") from None

    def write(self, ntriples: Path) -> int:
        """Replace the catalog with the triples of an N-Triples file (blank nodes skolemized); their count."""
        import uuid

        import pyoxigraph

        graph = pyoxigraph.NamedNode(f"{CATALOG_GRAPHS}{uuid.uuid4().hex}")
        store = self._open()
        try:
            store.bulk_load(path=str(ntriples), format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=graph)
            store.flush()
            store.update(  # the commit point: one triple, one transaction
                f"DELETE {{ GRAPH <{POINTER_GRAPH}> {{ <{POINTER_GRAPH}> <{CURRENT_CATALOG}> ?old }} }} "
                f"INSERT {{ GRAPH <{POINTER_GRAPH}> {{ <{POINTER_GRAPH}> <{CURRENT_CATALOG}> <{graph.value}> }} }} "
                f"WHERE {{ OPTIONAL {{ GRAPH <{POINTER_GRAPH}> {{ <{POINTER_GRAPH}> <{CURRENT_CATALOG}> ?old }} }} }}"
            )
            store.flush()
            self._remove_all_but(store, graph)
            store.optimize()  # drops the write-ahead log the removal left (about 830 bytes a triple)
            return sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
        except (OSError, RuntimeError, ValueError, SyntaxError) as err:
            raise StoreError(f"{self.path}: cannot write the catalog ({described(err)})") from None

    @staticmethod
    def _remove_all_but(store, current) -> None:
        """Remove every catalog but the current one: earlier pushes' graphs, one a killed push half-loaded,
        the staging graph and default-graph catalog of a folder written before the pointer."""
        import pyoxigraph

        for graph in list(store.named_graphs()):
            if graph != current and graph.value.startswith((CATALOG_GRAPHS, STAGING_GRAPH)):
                store.remove_graph(graph)
        store.clear_graph(pyoxigraph.DefaultGraph())

    @staticmethod
    def current_graph(store):
        """The graph holding an open store's catalog: the one the pointer names, else (a folder written
        before the pointer, or an empty one) the default graph."""
        import pyoxigraph

        pointer = pyoxigraph.NamedNode(POINTER_GRAPH)
        for quad in store.quads_for_pattern(pointer, pyoxigraph.NamedNode(CURRENT_CATALOG), None, pointer):
            return quad.object
        return pyoxigraph.DefaultGraph()

    def read(self):
        import pyoxigraph
        from rdflib import Graph

        store = self._open()
        data = store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=self.current_graph(store))
        return Graph().parse(data=data.decode("utf-8"), format="nt")

    def query(self, sparql: str, allow_service: bool = False) -> QueryResult:
        check_query(sparql, allow_service)
        return self._evaluate(sparql)

    def _evaluate(self, sparql: str) -> QueryResult:
        """Run a checked query. Apart from `query`, whose frame the SPARQL parser's cached exceptions may keep
        alive after it returns: an open store there would keep the folder locked."""
        import json

        import pyoxigraph

        from modelatlas.graph.rdf import PREFIXES

        store = self._open()
        try:  # Oxigraph evaluates lazily: results are read inside the try, where its errors become one line
            result = store.query(sparql, prefixes={p: str(ns) for p, ns in PREFIXES.items()}, default_graph=self.current_graph(store))
            if isinstance(result, pyoxigraph.QueryBoolean):
                return QueryResult("ask", boolean=bool(result), json=result.serialize(format=pyoxigraph.QueryResultsFormat.JSON))
            if isinstance(result, pyoxigraph.QuerySolutions):
                # Solutions can be read once: the JSON document is written, and the rows are read from it.
                document = result.serialize(format=pyoxigraph.QueryResultsFormat.JSON)
                parsed = json.loads(document)
                columns = tuple(parsed["head"]["vars"])
                rows = tuple(tuple(b[c]["value"] if c in b else None for c in columns) for b in parsed["results"]["bindings"])
                return QueryResult("select", columns, rows, json=document)
            return QueryResult("graph", turtle=result.serialize(format=pyoxigraph.RdfFormat.TURTLE).decode("utf-8"))
        except SyntaxError as err:
            raise SparqlError(f"query syntax error: {one_line(err, 10_000)}") from None
        except (OSError, RuntimeError, ValueError) as err:  # evaluation errors, a SERVICE the user allowed failing
            raise SparqlError(f"query failed: {described(err)}") from None


class RemoteStore:
    """The catalog in a SPARQL 1.1 endpoint's default graph."""

    def __init__(self, query_url: str, update_url: str):
        self.name, self.query_url, self.update_url = query_url, query_url, update_url

    def _store(self):
        from rdflib.plugins.stores.sparqlstore import SPARQLUpdateStore

        return SPARQLUpdateStore(self.query_url, self.update_url, returnFormat="json")

    def write(self, ntriples: Path) -> int:
        """Replace the catalog with the triples of an N-Triples file (blank nodes skolemized), sent in batches."""
        from itertools import islice

        remote = self._store()
        count = 0
        try:  # on the store itself: a Graph over it would scope every request to its own blank-node name
            remote.update(f"DROP SILENT GRAPH <{STAGING_GRAPH}>")
            with open(ntriples, encoding="utf-8") as lines:
                while batch := [line.rstrip("\n") for line in islice(lines, WRITE_BATCH)]:
                    remote.update(f"INSERT DATA {{ GRAPH <{STAGING_GRAPH}> {{\n" + "\n".join(batch) + "\n} }")
                    count += len(batch)
            remote.update(SWAP_IN)
        except Exception as err:  # urllib and rdflib raise many types; all mean the endpoint failed us
            raise StoreError(f"{self.update_url}: cannot write the catalog ({described(err)})") from None
        return count

    def read(self):
        """The whole default graph, fetched with one CONSTRUCT over the SPARQL protocol as N-Triples."""
        import urllib.parse
        import urllib.request

        from rdflib import Graph

        body = urllib.parse.urlencode({"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"}).encode()
        request = urllib.request.Request(
            self.query_url, data=body, headers={"Accept": "application/n-triples, text/turtle;q=0.9", "Content-Type": "application/x-www-form-urlencoded"}
        )
        try:
            with urllib.request.urlopen(request, timeout=600) as response:
                kind = response.headers.get_content_type()
                data = response.read().decode("utf-8")
            return Graph().parse(data=data, format="nt" if kind in ("application/n-triples", "text/plain") else "turtle")
        except Exception as err:  # network, HTTP and parse errors alike: the store could not be read
            raise StoreError(f"{self.query_url}: cannot read the catalog ({described(err)})") from None

    def query(self, sparql: str, allow_service: bool = False) -> QueryResult:
        check_query(sparql, allow_service)  # before the prefix lines are put in front of it
        try:
            return run_query(self._store(), _prefix_lines() + sparql, prefixes=False, allow_service=allow_service)
        except SparqlError as err:
            raise SparqlError(f"{self.query_url}: {err}") from None
        except Exception as err:
            raise StoreError(f"{self.query_url}: {described(err)}") from None
