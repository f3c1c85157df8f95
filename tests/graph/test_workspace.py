"""The user's catalog on disk: ingest adds all or nothing, re-ingest changes nothing, builds are reused."""

import json
import os

import pytest

from modelatlas.graph.compact import load_compact
from modelatlas.graph.errors import CatalogError, IngestError
from modelatlas.graph.workspace import Workspace
from tests.conftest import home_snapshot, seed

NEW_SEED = """You are an AI scientist.

A user has asked the following question:
"My scanned film photos have dust and scratches everywhere. Can AI repair them?"

### Recommended AI Models:
Model: Deblur-Restormer-Scratch
Paper: https://arxiv.org/abs/2111.09881v2
GitHub: https://github.com/swz30/Restormer.git

### Related Papers:
Model: SI-FID: Only One Objective Indicator for Evaluating Stitched Images
Paper: https://arxiv.org/pdf/2404.13905
Summary: A metric for stitched images.

Answer:
"""


snapshot = home_snapshot


@pytest.fixture
def home(tmp_path):
    Workspace(tmp_path).load_graph()
    return tmp_path


def test_ingest_adds_new_nodes_and_merges_known_ones(home, tmp_path_factory):
    doc = tmp_path_factory.mktemp("in") / "film.txt"
    doc.write_text(NEW_SEED, encoding="utf-8")
    report = Workspace(home).ingest([doc])
    [(path, fmt, counts)] = report.added
    assert path == str(doc) and fmt == "seed-prompt"
    assert counts.nodes == {"question": 1, "model": 1, "code": 1}, "Restormer's paper is already in the OpenMMLab zoo"
    assert counts.edges == 4
    catalog = Workspace(home).load_graph()
    assert [t.id for t in catalog.tasks_of_model("model:Deblur-Restormer-Scratch")] == ["task:image-deblurring"]
    assert len(catalog.node("paper:arxiv:2404.13905").sources) == 2, "the known paper gained a source, not a twin"
    restormer = catalog.node("paper:arxiv:2111.09881")
    assert "sources/" in " ".join(restormer.sources) and any(s.startswith("data/openmmlab/") for s in restormer.sources)


def test_ingesting_the_same_file_twice_changes_nothing(home, tmp_path_factory):
    doc = tmp_path_factory.mktemp("in") / "film.txt"
    doc.write_text(NEW_SEED, encoding="utf-8")
    Workspace(home).ingest([doc])
    before = snapshot(home)
    report = Workspace(home).ingest([doc])
    assert report.added == [] and report.unchanged == [str(doc)]
    assert snapshot(home) == before


def test_a_shipped_seed_is_already_in_the_catalog(home):
    report = Workspace(home).ingest([seed("001")])
    assert report.unchanged == [str(seed("001"))]


def test_failed_ingest_leaves_the_saved_catalog_byte_for_byte(home, tmp_path_factory):
    folder = tmp_path_factory.mktemp("in")
    (folder / "a_good.txt").write_text(NEW_SEED, encoding="utf-8")
    (folder / "b_bad.txt").write_text(NEW_SEED.replace("### Recommended AI Models:", ""), encoding="utf-8")
    before = snapshot(home)
    with pytest.raises(IngestError, match=r"b_bad\.txt: no '### Recommended AI Models:' section"):
        Workspace(home).ingest([folder])
    assert snapshot(home) == before


def test_a_refused_document_leaves_even_the_build_cache_alone(tmp_path, tmp_path_factory):
    """Found by the mangled-input test: a second copy of an ingested file (one comment line more) is
    refused as adding nothing, and the refusal wrote the first file's parse into the records cache."""
    home = tmp_path / "home"
    folder = tmp_path_factory.mktemp("in")
    (folder / "film.txt").write_text(NEW_SEED, encoding="utf-8")
    (folder / "copy").mkdir()
    (folder / "copy" / "film.txt").write_text(NEW_SEED + "\n", encoding="utf-8")
    Workspace(home, include_default=False).ingest([folder / "film.txt"])
    before = snapshot(home)
    with pytest.raises(IngestError, match="adds nothing"):
        Workspace(home, include_default=False).ingest([folder / "copy" / "film.txt"])
    assert snapshot(home) == before


def test_crash_while_saving_leaves_the_old_manifest(home, tmp_path_factory, monkeypatch):
    doc = tmp_path_factory.mktemp("in") / "film.txt"
    doc.write_text(NEW_SEED, encoding="utf-8")
    real_replace = os.replace

    def failing_replace(src, dst):
        if str(dst).endswith("manifest.json"):
            raise OSError("disk full")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        Workspace(home).ingest([doc])
    monkeypatch.undo()
    assert not (home / "manifest.json").exists()
    assert not list(home.rglob("*.tmp"))
    catalog = Workspace(home).load_graph()
    assert "model:Deblur-Restormer-Scratch" not in catalog


def test_missing_path_is_an_error(home, tmp_path):
    with pytest.raises(IngestError, match="no such file or folder"):
        Workspace(home).ingest([tmp_path / "nope.txt"])


def test_saved_graph_is_reused_while_documents_are_unchanged(home, monkeypatch):
    calls = []
    monkeypatch.setattr(Workspace, "_build", lambda self, docs: calls.append(docs))
    catalog = Workspace(home).load_graph()
    assert calls == [] and len(catalog.nodes()) > 40


def test_corrupt_saved_graph_is_rebuilt_from_the_documents(home):
    (home / "build" / "graph.sqlite").write_text("{not a database", encoding="utf-8")
    catalog = Workspace(home).load_graph()
    assert "model:SISR-Any-LIIF-RDN" in catalog
    saved = load_compact(home / "build" / "graph.sqlite")
    assert saved.fingerprint == catalog.fingerprint and "model:SISR-Any-LIIF-RDN" in saved


def test_remove_takes_out_what_only_that_document_asserted(home, tmp_path_factory):
    doc = tmp_path_factory.mktemp("in") / "film.txt"
    doc.write_text(NEW_SEED, encoding="utf-8")
    before = snapshot(home)
    original = Workspace(home).load_graph()
    Workspace(home).ingest([doc])
    report = Workspace(home).remove("film.txt")
    assert report.nodes == {"question": 1, "model": 1, "code": 1}
    catalog = Workspace(home).load_graph()
    assert "model:Deblur-Restormer-Scratch" not in catalog
    assert catalog.node("paper:arxiv:2404.13905").sources == original.node("paper:arxiv:2404.13905").sources
    assert catalog.node("paper:arxiv:2111.09881").sources == original.node("paper:arxiv:2111.09881").sources
    assert sorted((e.source, e.target, e.relation) for e in catalog.edges()) == sorted((e.source, e.target, e.relation) for e in original.edges())
    assert json.loads((home / "manifest.json").read_text()) == {"documents": []}
    assert not list((home / "sources").iterdir())
    assert {k: v for k, v in snapshot(home).items() if "records" not in str(k)} == {
        k: v for k, v in before.items() if "records" not in str(k)
    } | {k: v for k, v in snapshot(home).items() if k == "manifest.json"}


def test_remove_refuses_shipped_and_unknown_documents(home):
    with pytest.raises(CatalogError, match="part of the shipped default catalog"):
        Workspace(home).remove("data/seeds/001_d8520ca7f81b1e4f.txt")
    with pytest.raises(CatalogError, match="no such document in your catalog"):
        Workspace(home).remove("nothing.txt")


def test_homes_sharing_a_cache_parse_and_embed_a_document_once(tmp_path):
    from modelatlas.atlas import Atlas
    from modelatlas.config import Config

    cache = tmp_path / "cache"
    first = Atlas(Config(home=tmp_path / "a", include_default_catalog=False, cache=cache))
    first.ingest([seed("001")])
    first.ask("upscale an image by any factor")
    assert (cache / "embeddings.npz").exists() and list((cache / "records").glob("*.json"))
    assert not (tmp_path / "a" / "build" / "embeddings.npz").exists()

    class NoEmbedding:
        def start_export(self):
            pass

        def encode(self, texts):
            raise AssertionError(f"embedded {len(texts)} texts the shared cache holds")

    second = Atlas(Config(home=tmp_path / "b", include_default_catalog=False, cache=cache))
    second.ingest([seed("001")])
    second.__dict__["embedder"] = NoEmbedding()  # the catalog's texts must all come from the cache
    index = second.ranker.index
    assert len(index.entries) == len(first.ranker.index.entries)
