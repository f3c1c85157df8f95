"""The ONNX question path: the same vectors as sentence-transformers, and an `ask` that never imports torch."""

from __future__ import annotations

import os
import shutil
import sys

import numpy as np
import pytest

from modelatlas.graph.types import NodeKind
from modelatlas.query.embedder import Embedder, load_sentence_transformer
from modelatlas.query.onnx_encoder import OnnxEncoder, encoder_path
from tests.conftest import heavy_imports


def varied_texts(catalog) -> list[str]:
    """200 texts: catalog descriptions and summaries of every length, questions, and odd input."""
    nodes = catalog.nodes()
    texts = [n.text for n in nodes if n.kind == NodeKind.PAPER][:60] + [n.text for n in nodes if n.kind == NodeKind.TASK][:40]
    texts += [n.name for n in nodes if n.kind == NodeKind.MODEL][:40]
    texts += [
        "", " ", "a", "8x", "x8 ×8 8×", "I enlarged a small and noisy image by 8x", "what is SwinIR?", "Mask R-CNN",
        "été, naïve café", "日本語の画像を拡大したい", "Как увеличить фото?", "🙂🙂🙂 make it pretty", "<script>alert(1)</script>",
        "SELECT * WHERE { ?s ?p ?o }", "word " * 600, "supercalifragilisticexpialidocious " * 40, "\t\n  spaced   out \n",
        "ＦＵＬＬＷＩＤＴＨ ｔｅｘｔ", "e\u0301 combining", "0.5 mIoU 81.4% top-1 3,210,000 params",
    ]
    while len(texts) < 200:
        texts.append(f"question {len(texts)}: how do I {['denoise', 'deblur', 'upscale', 'segment', 'caption'][len(texts) % 5]} my photos?")
    return texts[:200]


@pytest.fixture(scope="module")
def exported(atlas, tmp_path_factory):
    """An export made from the reference model into a fresh folder."""
    folder = tmp_path_factory.mktemp("onnx")
    embedder = Embedder(onnx_dir=folder)
    embedder.encode(["first use: loads sentence-transformers, exports, then encodes with the export"])
    assert embedder.engine == "onnx"
    assert encoder_path(folder).exists()
    reference_only = Embedder()  # no folder for an export: sentence-transformers, as the reference
    assert reference_only.engine == "unloaded"
    assert reference_only.encode(["x"]).shape == (1, 384) and reference_only.engine == "sentence-transformers"
    return folder


def test_onnx_and_sentence_transformers_agree_on_200_varied_texts(atlas, exported):
    texts = varied_texts(atlas.catalog)
    reference = load_sentence_transformer().encode(texts, normalize_embeddings=True, show_progress_bar=False)
    vectors = OnnxEncoder(encoder_path(exported)).encode(texts)
    assert vectors.shape == (200, 384) and vectors.dtype == np.float32
    cosines = (vectors * reference).sum(axis=1)
    assert cosines.min() >= 0.9999, [(texts[i][:40], float(cosines[i])) for i in np.argsort(cosines)[:3]]
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_an_export_started_early_runs_in_its_own_process_and_the_first_encode_waits_for_it(tmp_path, exported):
    embedder = Embedder(onnx_dir=tmp_path)
    embedder.start_export()
    process = embedder._exporting
    assert process is not None and process.pid != os.getpid()
    vectors = embedder.encode(["waits for the export, then encodes with it"])
    assert process.returncode == 0 and embedder.engine == "onnx" and encoder_path(tmp_path).exists()
    reference = OnnxEncoder(encoder_path(exported)).encode(["waits for the export, then encodes with it"])
    assert float(vectors[0] @ reference[0]) >= 0.9999
    again = Embedder(onnx_dir=tmp_path)
    again.start_export()  # nothing to do once the export is there
    assert again._exporting is None


def test_an_export_process_that_fails_leaves_the_export_to_the_first_encode(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "executable", shutil.which("false"))
    embedder = Embedder(onnx_dir=tmp_path)
    embedder.start_export()
    monkeypatch.undo()
    assert embedder.encode(["exported here instead"]).shape == (1, 384)
    assert embedder._exporting is None and embedder.engine == "onnx" and encoder_path(tmp_path).exists()


def test_an_embedder_uses_the_export_once_it_is_there(exported):
    embedder = Embedder(onnx_dir=exported)
    embedder.encode(["second use"])
    assert embedder.engine == "onnx"


def test_ask_imports_neither_torch_nor_sentence_transformers(atlas_home):
    assert heavy_imports("ask", "--json", "estimate depth from a single photo", home=atlas_home) == (0, ["faiss", "onnxruntime"])
