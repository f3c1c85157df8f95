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
