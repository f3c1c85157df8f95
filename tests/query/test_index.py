"""The embedding index: exact similarities whatever index finds the candidates, and the approximate index of large catalogs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from modelatlas.query.index import SearchIndex, faiss_text_index, load_index, save_index
from tests.conftest import REPO


@pytest.fixture(scope="module")
def questions(atlas) -> np.ndarray:
    lines = (REPO / "data" / "eval" / "tune.jsonl").read_text(encoding="utf-8").splitlines()
    return atlas.embedder.encode([json.loads(line)["question"] for line in lines[:120]]).astype(np.float32)


def approximate(index: SearchIndex) -> SearchIndex:
    """The same texts and vectors behind the inverted-file index a catalog above the flat limit gets."""
    vectors = np.asarray(index.entry_vectors, dtype=np.float32)
    return SearchIndex(index.entries, faiss_text_index(vectors, flat_limit=0), vectors, index.sentences, index.sentence_vectors, index.fingerprint)


def test_the_default_catalog_is_searched_exactly(atlas, questions):
    index = atlas.ranker.index
    vectors = np.asarray(index.entry_vectors)
    for q in questions[:20]:
        found = index.search_rows(q, 40)
        exact = vectors @ q
        assert [s for _, s in found] == pytest.approx(sorted(exact, reverse=True)[:40], abs=1e-5)


def test_the_approximate_index_returns_exact_similarities_best_first(atlas, questions):
    index = approximate(atlas.ranker.index)
    assert not hasattr(atlas.ranker.index.faiss_index, "nprobe") and index.faiss_index.nprobe == index.faiss_index.nlist // 5
    for q in questions:
        found = index.search_rows(q, 40)
        rows = [r for r, _ in found]
        assert len(found) == 40 and len(set(rows)) == 40
        assert [s for _, s in found] == pytest.approx([float(index.entry_vectors[r] @ q) for r in rows], abs=1e-6)
        assert [s for _, s in found] == sorted((s for _, s in found), reverse=True)


def test_the_approximate_index_mostly_finds_the_nearest_text(atlas, questions):
    exact, approx = atlas.ranker.index, approximate(atlas.ranker.index)
    same_first = [abs(approx.search_rows(q, 10)[0][1] - exact.search_rows(q, 10)[0][1]) < 1e-5 for q in questions]
    assert np.mean(same_first) >= 0.93  # 0.958 measured on all of tune


def test_a_saved_approximate_index_keeps_its_lists_and_answers_the_same(atlas, questions, tmp_path):
    index = approximate(atlas.ranker.index)
    save_index(index, tmp_path)
    loaded = load_index(tmp_path)
    assert type(loaded.faiss_index) is type(index.faiss_index) and loaded.faiss_index.nprobe == index.faiss_index.nprobe
    assert isinstance(loaded.entry_vectors, np.memmap)
    for q in questions[:20]:
        before, after = index.search_rows(q, 40), loaded.search_rows(q, 40)
        assert [r for r, _ in after] == [r for r, _ in before]
        assert [s for _, s in after] == pytest.approx([s for _, s in before], abs=1e-6)


def test_an_index_saved_without_its_vectors_is_unreadable_and_rebuilt(atlas, tmp_path):
    from modelatlas.graph.errors import CatalogError

    save_index(atlas.ranker.index, tmp_path)
    (tmp_path / "vectors.npy").unlink()
    with pytest.raises(CatalogError, match="cannot read saved index"):
        load_index(tmp_path)


def test_entries_are_columns_that_read_back_as_entries():
    from modelatlas.query.index import Entries, IndexEntry

    rows = [IndexEntry("task:a", "alias", "first"), IndexEntry("task:a", "description", "second"), IndexEntry("model:b", "description", "third")]
    entries = Entries.of(rows)
    assert list(entries) == rows and entries[1] == rows[1] and list(entries[1:]) == rows[1:]
    assert list(Entries.from_json(entries.to_json())) == rows
    assert entries.spans() == {"task:a": (0, 2), "model:b": (2, 3)}
    with pytest.raises(ValueError, match="not together"):
        Entries.of([*rows, IndexEntry("task:a", "alias", "again")]).spans()


def test_a_loaded_index_quotes_the_sentences_of_a_node(atlas, tmp_path):
    index = atlas.ranker.index
    save_index(index, tmp_path)
    loaded = load_index(tmp_path)
    node = loaded.sentences.node_ids[len(loaded.sentences) // 2]
    vector = np.asarray(loaded.sentence_vectors[0], dtype=np.float32)
    assert loaded.scored_sentences(node, vector) == index.scored_sentences(node, vector)
    assert [text for text, _ in loaded.scored_sentences(node, vector)] == [e.text for e in loaded.sentences if e.node_id == node]
