"""Triple stores: an on-disk Oxigraph store and a real SPARQL 1.1 server (`oxigraph serve` on 127.0.0.1).

.ci/run starts the server and names it in $MODELATLAS_TEST_SPARQL; without it, the fixture starts its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from modelatlas.atlas import Atlas
from modelatlas.config import Config
from modelatlas.graph.sparql import SparqlError
from modelatlas.graph.stores import StoreError, open_store
from tests.conftest import REPO, SEED_MODELS, free_port, run_cli, seed
from tests.graph.test_rdf import _same_graph


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """The query URL of a real SPARQL server, emptied after the tests."""
    given = os.environ.get("MODELATLAS_TEST_SPARQL")
    if given:
        yield given
        empty = tmp_path_factory.mktemp("empty") / "empty.nt"
        empty.write_bytes(b"")
        open_store(given).write(empty)
        return
    port = free_port()
    program = Path(sys.executable).with_name("oxigraph")
    server = subprocess.Popen([str(program), "serve", "--location", str(tmp_path_factory.mktemp("oxigraph")), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    for _ in range(100):
        try:
            httpx.get(url, params={"query": "ASK {}"}, timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield url
    server.terminate()
    server.wait(timeout=20)


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Atlas:
    """A catalog of the five seeds only."""
    atlas = Atlas(Config(home=tmp_path_factory.mktemp("small"), include_default_catalog=False))
    atlas.ingest([seed(p) for p in ("000", "001", "002", "003", "004")])
    return atlas


@pytest.fixture(scope="module")
def medium(tmp_path_factory) -> Atlas:
    """A catalog of every kind of shipped document: the curated catalog, the seeds, mmagic's metafiles,
    torchvision's exported zoo and the task map (the whole default catalog's round trip through rdflib
    takes minutes, a cost bench/scale.py measures; what these tests prove is exactness, kind by kind)."""
    data = REPO / "data"
    documents = [data / "catalog.yaml", *sorted((data / "seeds").glob("*.txt")), *sorted((data / "openmmlab" / "mmagic").rglob("metafile.y*ml")),
                 data / "torchvision" / "model-index.yml", data / "huggingface" / "tasks.json"]
    atlas = Atlas(Config(home=tmp_path_factory.mktemp("medium"), include_default_catalog=False))
    atlas.ingest(documents)
    return atlas


def test_an_oxigraph_folder_holds_the_catalog_exactly(medium, tmp_path):
    atlas = medium
    assert atlas.push(f"oxigraph:{tmp_path / 'oxi'}")[1] > 20_000
    reopened = Atlas(Config(home=tmp_path / "reader", include_default_catalog=False, store=f"oxigraph:{tmp_path / 'oxi'}"))
    _same_graph(atlas.catalog, reopened.catalog)
    rows = reopened.sparql('SELECT ?name WHERE { ?m ma:performsTask ?t . ?t schema:name "Image deblurring" . ?m schema:name ?name }').rows
    assert ("Deblur-MIMO-UNet-RealBlur",) in rows


def test_a_remote_endpoint_holds_the_catalog_exactly(medium, endpoint, tmp_path):
    atlas = medium
    assert atlas.push(endpoint)[1] > 20_000
    reader = Atlas(Config(home=tmp_path / "reader", include_default_catalog=False, store=endpoint))
    _same_graph(atlas.catalog, reader.catalog)
    assert reader.sparql("ASK { ?m a mls:Model ; schema:name \"SISR-Any-LIIF-RDN\" }").boolean is True


def test_instances_answer_from_a_shared_endpoint(small, endpoint, tmp_path):
    home = small.config.home
    pushed = run_cli("--no-default-catalog", "push", endpoint, home=home)
    assert pushed.code == 0 and "triples to" in pushed.out
    question = seed("001").read_text(encoding="utf-8").split('"')[1]
    for reader in ("reader-a", "reader-b"):  # two instances with their own homes read the one store
        run = run_cli("--no-default-catalog", "--store", endpoint, "ask", "--json", question, home=tmp_path / reader)
        assert run.code == 0, run.err
        assert __import__("json").loads(run.out)["models"][0]["name"] == SEED_MODELS["001"]
    refused = run_cli("--store", endpoint, "ingest", str(seed("004")), home=tmp_path / "reader-a")
    assert refused.code == 1 and "then `modelatlas push`" in refused.err


def test_store_errors_are_one_line(tmp_path):
    with pytest.raises(StoreError, match="name an Oxigraph folder"):
        open_store("ftp://example.org/sparql")
    with pytest.raises(SparqlError, match="read-only"):
        open_store(f"oxigraph:{tmp_path / 'o'}").query("DELETE WHERE { ?s ?p ?o }")
    down = run_cli("--store", "http://127.0.0.1:9/query", "sparql", "ASK { ?s ?p ?o }", home=tmp_path / "h")
    assert down.code == 1 and "127.0.0.1:9" in down.err and len(down.err.strip().splitlines()) == 1


def test_an_oxigraph_folder_answers_query_after_query_in_one_process(small, tmp_path):
    """Each query opens the folder and must release it: nothing (pyparsing's cache) may keep the store alive."""
    small.push(f"oxigraph:{tmp_path / 'oxi'}")
    store = open_store(f"oxigraph:{tmp_path / 'oxi'}")
    answers = [store.query("ASK { ?m a mls:Model }").boolean for _ in range(3)]
    assert answers == [True, True, True]


def _catalog_graphs(folder: Path) -> tuple[list[str], int]:
    import pyoxigraph

    from modelatlas.graph.stores import CATALOG_GRAPHS

    store = pyoxigraph.Store(str(folder))
    try:
        graphs = [g.value for g in store.named_graphs() if g.value.startswith(CATALOG_GRAPHS)]
        return graphs, sum(1 for _ in store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))
    finally:
        del store


def test_a_second_push_to_an_oxigraph_folder_leaves_one_catalog(small, tmp_path):
    folder = tmp_path / "oxi"
    small.push(f"oxigraph:{folder}")
    [first], _ = _catalog_graphs(folder)
    count = small.push(f"oxigraph:{folder}")[1]
    [second], in_default = _catalog_graphs(folder)
    assert second != first and in_default == 0  # the first push's graph is gone once the pointer moved
    assert open_store(f"oxigraph:{folder}").query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows == ((str(count),),)


def test_a_folder_written_before_the_pointer_is_read_then_replaced(small, tmp_path):
    """Earlier versions kept the catalog in the default graph: it is read as the catalog, and a push replaces it."""
    import pyoxigraph

    folder = tmp_path / "legacy"
    nt = tmp_path / "catalog.nt"
    with nt.open("wb") as out:
        small.export("nt", out)
    store = pyoxigraph.Store(str(folder))
    store.bulk_load(path=str(nt), format=pyoxigraph.RdfFormat.N_TRIPLES)
    del store
    assert open_store(f"oxigraph:{folder}").query("ASK { ?m schema:name \"SISR-Any-LIIF-RDN\" }").boolean is True
    small.push(f"oxigraph:{folder}")
    graphs, in_default = _catalog_graphs(folder)
    assert len(graphs) == 1 and in_default == 0
    assert open_store(f"oxigraph:{folder}").query("ASK { ?m schema:name \"SISR-Any-LIIF-RDN\" }").boolean is True
