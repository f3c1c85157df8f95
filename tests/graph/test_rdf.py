"""The RDF face: export then ingest gives the same graph; standard identifiers; bad RDF fails cleanly."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from modelatlas.atlas import Atlas
from modelatlas.config import Config
from modelatlas.graph.errors import IngestError
from modelatlas.graph.rdf import MLS, SDO, node_iri
from tests.conftest import REPO, run_cli, seed


def _same_graph(a, b) -> None:
    nodes_a, nodes_b = {n.id: n for n in a.nodes()}, {n.id: n for n in b.nodes()}
    assert set(nodes_a) == set(nodes_b)
    assert [i for i in nodes_a if nodes_a[i] != nodes_b[i]] == []
    edges_a = {(e.source, e.relation, e.target): e for e in a.edges()}
    edges_b = {(e.source, e.relation, e.target): e for e in b.edges()}
    assert set(edges_a) == set(edges_b)
    assert [k for k in edges_a if edges_a[k] != edges_b[k]] == []


def exported(atlas, file_format: str) -> bytes:
    buffer = io.BytesIO()
    atlas.export(file_format, buffer)
    return buffer.getvalue()


def test_the_streamed_ntriples_are_the_rdf_view(atlas):
    """`export --format nt` and `push` write triples straight from the graph: the same triples as the rdflib view."""
    from rdflib.compare import to_isomorphic

    small = Atlas(Config(home=atlas.config.home.parent / "streamed", include_default_catalog=False))
    small.ingest([p for p in sorted((REPO / "data" / "seeds").glob("*.txt"))])
    streamed = Graph().parse(data=exported(small, "nt").decode("utf-8"), format="nt")
    assert to_isomorphic(streamed) == to_isomorphic(small.rdf)
    whole = Graph().parse(data=exported(atlas, "nt").decode("utf-8"), format="nt")
    named = lambda g: {t for t in g if not any(isinstance(x, BNode) for x in t)}  # noqa: E731
    assert len(whole) == len(atlas.rdf) and named(whole) == named(atlas.rdf)


def test_the_default_catalog_survives_export_and_ingest_in_turtle(atlas, tmp_path):
    path = tmp_path / "catalog.ttl"
    path.write_bytes(exported(atlas, "ttl"))
    copy = Atlas(Config(home=tmp_path / "copy", include_default_catalog=False))
    report = copy.ingest([path])
    assert report.added
    _same_graph(atlas.catalog, copy.catalog)


@pytest.mark.parametrize("file_format", ["jsonld", "nt"])
def test_a_small_catalog_survives_each_rdf_format(tmp_path, file_format):
    home = tmp_path / "home"
    original = Atlas(Config(home=home, include_default_catalog=False))
    original.ingest([seed("001"), seed("002"), seed("004")])
    path = tmp_path / f"catalog.{file_format}"
    run = run_cli("--no-default-catalog", "export", str(path), home=home)
    assert run.code == 0, run.err
    copy = Atlas(Config(home=tmp_path / "copy", include_default_catalog=False))
    copy.ingest([path])
    _same_graph(original.catalog, copy.catalog)


def test_n_triples_opening_with_a_blank_node_are_read_as_rdf():
    from modelatlas.ingest.registry import detect_format

    text = (
        "_:b0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> \"x\" .\n"
        "<https://w3id.org/modelatlas/id/model:m> <https://schema.org/name> \"m\" .\n"
    )
    assert detect_format(Path("catalog.nt"), text).name == "rdf"


def test_papers_carry_their_arxiv_id_and_standard_types(atlas):
    graph = Graph().parse(data=exported(atlas, "ttl").decode(), format="turtle")
    paper = node_iri("paper:arxiv:2012.09161")
    assert (paper, RDF.type, SDO.ScholarlyArticle) in graph
    assert (paper, DCTERMS.identifier, Literal("arXiv:2012.09161")) in graph
    assert (paper, SDO.sameAs, URIRef("https://arxiv.org/abs/2012.09161")) in graph
    assert (node_iri("model:SISR-Any-LIIF-RDN"), RDF.type, MLS.Model) in graph
    assert (node_iri("task:arbitrary-scale-super-resolution"), RDF.type, MLS.Task) in graph


def test_export_to_stdout_and_graphml(atlas_home, tmp_path):
    run = run_cli("--no-default-catalog", "export", "--format", "nt", home=tmp_path / "empty")
    assert run.code == 0
    graphml = tmp_path / "catalog.graphml"
    assert run_cli("export", str(graphml), home=atlas_home).code == 0
    import networkx as nx

    graph = nx.read_graphml(graphml)
    assert graph.nodes["model:SISR-Any-LIIF-RDN"]["kind"] == "model"
    bad = run_cli("export", "--format", "pdf", home=atlas_home)
    assert bad.code == 1 and "unknown export format 'pdf'" in bad.err


def test_malformed_rdf_is_one_line_and_stores_nothing(tmp_path):
    home = tmp_path / "home"
    atlas = Atlas(Config(home=home, include_default_catalog=False))
    atlas.ingest([seed("001")])
    before = sorted(p.name for p in (home / "sources").iterdir())
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix ma: <https://w3id.org/modelatlas/ns#> .\n<https://w3id.org/modelatlas/id/model:x> ma:performsTask .\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"broken\.ttl: not readable as turtle"):
        atlas.ingest([broken])
    empty = tmp_path / "empty.ttl"
    empty.write_text("@prefix ma: <https://w3id.org/modelatlas/ns#> .\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"no ModelAtlas nodes or edges"):
        atlas.ingest([empty])
    assert sorted(p.name for p in (home / "sources").iterdir()) == before
