"""SPARQL over the RDF view: the five queries of docs/rdf.md, checked against the graph's own look-ups."""

from __future__ import annotations

import json
import re

import pytest

from modelatlas.graph.sparql import SparqlError
from modelatlas.graph.types import NodeKind, Relation
from tests.conftest import REPO, run_cli

QUERIES = re.findall(r"```sparql\n(.*?)```", (REPO / "docs" / "rdf.md").read_text(encoding="utf-8"), re.S)


def test_the_docs_hold_five_queries():
    assert len(QUERIES) == 5


def test_models_for_a_task(atlas):
    result = atlas.sparql(QUERIES[0])
    names = {row[1] for row in result.rows}
    expected = {m.name for m in atlas.catalog.origins("task:image-deblurring", Relation.PERFORMS)}
    assert names == expected and "Deblur-MIMO-UNet-RealBlur" in names


def test_papers_of_a_model(atlas):
    result = atlas.sparql(QUERIES[1])
    assert [row[:2] for row in result.rows] == [("Learning Continuous Image Representation with Local Implicit Image Function", "https://arxiv.org/abs/2012.09161")]


def test_tasks_with_no_model(atlas):
    names = {row[1] for row in atlas.sparql(QUERIES[2]).rows}
    catalog = atlas.catalog
    expected = {t.name for t in catalog.nodes(NodeKind.TASK) if t.curated and not catalog.origins(t.id, Relation.PERFORMS)}
    assert names == expected and names


def test_papers_shared_by_two_models(atlas):
    assert [row[0] for row in atlas.sparql(QUERIES[3]).rows] == ["Learning Continuous Image Representation with Local Implicit Image Function"]


def test_models_whose_code_is_missing(atlas):
    counts = {row[0]: int(row[1]) for row in atlas.sparql(QUERIES[4]).rows}
    catalog = atlas.catalog
    expected: dict[str, int] = {}
    for model in catalog.nodes(NodeKind.MODEL):
        own = catalog.targets(model.id, Relation.IMPLEMENTED_BY)
        of_paper = [c for p in catalog.targets(model.id, Relation.DESCRIBED_IN) for c in catalog.targets(p.id, Relation.IMPLEMENTED_BY)]
        if not own and not of_paper:
            for task in catalog.tasks_of_model(model.id):
                expected[task.name] = expected.get(task.name, 0) + 1
    assert counts == expected


def test_the_sparql_command_prints_a_table_json_and_one_line_errors(atlas_home, tmp_path):
    run = run_cli("sparql", QUERIES[1], home=atlas_home)
    assert run.code == 0 and run.out.splitlines()[0] == "title\turl\tcode"
    as_json = json.loads(run_cli("sparql", "--json", "ASK { ?m a mls:Model }", home=atlas_home).out)
    assert as_json["boolean"] is True
    query_file = tmp_path / "q.rq"
    query_file.write_text(QUERIES[0], encoding="utf-8")
    rows = json.loads(run_cli("sparql", "--json", "--file", str(query_file), home=atlas_home).out)["results"]["bindings"]
    assert any(b["name"]["value"] == "Deblur-MIMO-UNet-RealBlur" for b in rows)
    for query, says in [("SELEC ?x", "query syntax error"), ("INSERT DATA { <a> <b> <c> }", "read-only"), ("  ", "empty")]:
        bad = run_cli("sparql", query, home=atlas_home)
        assert bad.code == 1 and says in bad.err and len(bad.err.strip().splitlines()) == 1, bad.err


def test_updates_are_refused_whatever_their_prefixes(atlas):
    with pytest.raises(SparqlError, match="read-only"):
        atlas.sparql("PREFIX x: <http://example.org/>\nDELETE WHERE { ?s ?p ?o }")


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections made to it and closes each at once."""

    def __init__(self):
        import socket
        import threading

        self.sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/sparql"
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()


REACHING_OUT = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?m a mls:Model OPTIONAL {{ SERVICE SILENT <{url}> {{ ?m ?p ?o }} }} }}",
    "ASK {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * from <{url}> where {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("store", [None, "oxigraph"])
def test_a_query_never_reaches_another_machine_unless_allowed(atlas_home, tmp_path, store):
    listener = Listener()
    where = ["--store", f"oxigraph:{tmp_path / 'store'}"] if store else []
    for template in REACHING_OUT:
        run = run_cli(*where, "sparql", template.format(url=listener.url), home=atlas_home)
        assert run.code == 1 and run.out == "", run.err
        [line] = run.err.strip().splitlines()
        assert line.startswith("modelatlas: error: ") and "refused" in line and "--allow-service" in line
    assert listener.connections == 0
    # The listener does see a query that is let out, so the zero above is a real zero; its failure is one line.
    run = run_cli(*where, "sparql", "--allow-service", REACHING_OUT[0].format(url=listener.url), home=atlas_home)
    assert listener.connections >= 1
    assert run.code == 1 and len(run.err.strip().splitlines()) == 1 and "Traceback" not in run.err, run.err
