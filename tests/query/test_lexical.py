"""Lexical matching: BM25 over one document per task and catalog question, scored with numpy as bm25s scores it."""

import numpy as np
import pytest

from modelatlas.query.lexical import build_lexical, lexical_tokens, load_lexical, save_lexical

DOCUMENTS = {
    "task:object-detection": "Object detection. Finding the objects in an image and drawing a labelled bounding box around each.",
    "task:oriented-object-detection": "Oriented object detection. Detecting objects with rotated boxes that follow their orientation, as in aerial images.",
    "task:3d-object-detection": "3D object detection. Finding cars, cyclists and pedestrians in LiDAR point clouds with 3D boxes.",
    "task:audio-source-separation": "Audio source separation. Splitting a song into vocals, drums and bass. remove vocals from a song",
    "task:human-pose-estimation": "Human pose estimation. Locating the body keypoints of every person in an image.",
}


@pytest.fixture(scope="module")
def lexical():
    return build_lexical(DOCUMENTS, "test")


def test_rare_words_find_their_task(lexical):
    assert lexical.search("3D boxes from LiDAR", 1)[0][0] == "task:3d-object-detection"
    assert lexical.search("ships with rotated boxes", 1)[0][0] == "task:oriented-object-detection"
    assert lexical.search("take the vocals out of a track", 1)[0][0] == "task:audio-source-separation"
    assert lexical.search("where are the keypoints of people", 1)[0][0] == "task:human-pose-estimation"  # stemmed: keypoint


def test_scores_are_the_ones_bm25s_computes(lexical):
    import bm25s

    retriever = bm25s.BM25()
    retriever.index([lexical_tokens(t, lexical.stopwords, lexical._stemmer) for t in DOCUMENTS.values()], show_progress=False)
    for question in ("boxes around cars in LiDAR", "detection detection of objects", "Rotated BOXES, aerial"):
        words = [w for w in lexical_tokens(question, lexical.stopwords, lexical._stemmer) if w in retriever.vocab_dict]
        np.testing.assert_allclose(lexical.scores(question), retriever.get_scores(words), rtol=1e-6)


def test_a_question_with_no_known_word_matches_nothing(lexical):
    assert lexical.search("zzzz qqq", 5) == []
    assert lexical.search("the of and", 5) == []  # stop words only
    assert lexical.search("", 5) == []


def test_the_saved_index_scores_as_the_built_one(lexical, tmp_path):
    path = tmp_path / "lexical.npz"
    save_lexical(lexical, path)
    loaded = load_lexical(path)
    assert loaded.node_ids == lexical.node_ids and loaded.fingerprint == "test"
    np.testing.assert_array_equal(loaded.scores("rotated boxes in LiDAR"), lexical.scores("rotated boxes in LiDAR"))


def test_an_unreadable_saved_index_is_rebuilt(atlas, tmp_path):
    from modelatlas.query.lexical import load_or_build_lexical

    (tmp_path / "lexical.npz").write_bytes(b"not a numpy file")
    rebuilt = load_or_build_lexical(atlas.ranker.index, atlas.catalog, tmp_path)
    assert rebuilt.search("3D boxes from LiDAR point clouds", 1)[0][0] == "task:3d-object-detection"
    assert load_lexical(tmp_path / "lexical.npz").fingerprint == rebuilt.fingerprint


def test_the_catalog_index_holds_tasks_and_catalog_questions_only(atlas):
    kinds = {node_id.split(":", 1)[0] for node_id in atlas.ranker.lexical.node_ids}
    assert kinds == {"task", "question"}
