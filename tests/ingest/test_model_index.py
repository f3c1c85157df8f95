"""Model-index files as OpenMMLab ships them: every variant of the format read from a real metafile."""

from pathlib import Path

import pytest

from modelatlas.graph.errors import IngestError
from modelatlas.graph.types import NodeKind, Relation
from modelatlas.ingest import parse_document

ZOO = Path(__file__).resolve().parents[2] / "data" / "openmmlab"


def parsed(relative: str):
    fmt, records = parse_document(ZOO / relative)
    assert fmt.name == "model-index"
    return records


def edges(records, relation):
    return [e for e in records.edges if e.relation == relation]


def test_results_as_a_list_with_metrics_per_dataset():
    records = parsed("mmagic/configs/liif/metafile.yml")
    models = {n.name for n in records.nodes if n.kind == NodeKind.MODEL}
    assert models == {"liif-edsr-norm_c64b16_1xb16-1000k_div2k", "liif-rdn-norm_c64b16_1xb16-1000k_div2k"}
    evaluated = [e for e in edges(records, Relation.EVALUATED_ON) if e.source == "model:liif-rdn-norm_c64b16_1xb16-1000k_div2k"]
    assert {e.target for e in evaluated} == {"dataset:set5", "dataset:set14", "dataset:div2k"}
    assert evaluated[0].results == ((("PSNR", 35.7874), ("SSIM", 0.9366)),)
    papers = [n for n in records.nodes if n.kind == NodeKind.PAPER]
    assert {p.id for p in papers} == {"paper:arxiv:2012.09161"}
    assert papers[0].title == "Learning Continuous Image Representation with Local Implicit Image Function"


def test_results_as_one_mapping_training_data_and_code_link():
    records = parsed("mmseg/configs/ann/metafile.yaml")
    model = "model:ann_r50-d8_4xb2-40k_cityscapes-512x1024"
    assert (model, "dataset:cityscapes") in {(e.source, e.target) for e in edges(records, Relation.EVALUATED_ON)}
    assert (model, "dataset:cityscapes") in {(e.source, e.target) for e in edges(records, Relation.USES_DATASET)}
    assert (model, "code:github.com/open-mmlab/mmsegmentation") in {(e.source, e.target) for e in edges(records, Relation.IMPLEMENTED_BY)}
    assert (model, "task:semantic-segmentation") in {(e.source, e.target) for e in edges(records, Relation.PERFORMS)}


def test_paper_given_as_a_bare_url():
    records = parsed("mmdet/configs/solo/metafile.yml")
    assert "paper:arxiv:1912.04488" in {n.id for n in records.nodes if n.kind == NodeKind.PAPER}


def test_a_bare_list_of_models_with_no_collections():
    records = parsed("mmdet/configs/objects365/metafile.yml")
    assert len([n for n in records.nodes if n.kind == NodeKind.MODEL]) > 3


def test_odd_metrics_are_skipped_with_a_warning_and_placeholder_datasets_ignored():
    records = parsed("mmagic/configs/stable_diffusion/metafile.yml")
    assert any("non-numeric" in w for w in records.warnings)
    assert not any(n.id == "dataset:" or n.name == "-" for n in records.nodes if n.kind == NodeKind.DATASET)


def test_model_index_that_only_imports_says_so(tmp_path):
    path = tmp_path / "model-index.yml"
    path.write_text("Import:\n- configs/a/metafile.yml\n- configs/b/metafile.yml\n", encoding="utf-8")
    _, records = parse_document(path)
    assert records.nodes == [] and "only imports 2 metafiles" in records.warnings[0]


def test_model_without_a_name_is_skipped_with_a_warning(tmp_path):
    path = tmp_path / "metafile.yml"
    path.write_text("Models:\n- Name: good\n  Results:\n    Task: Object Detection\n- Config: x.py\n", encoding="utf-8")
    _, records = parse_document(path)
    assert [n.name for n in records.nodes if n.kind == NodeKind.MODEL] == ["good"]
    assert any("Models entry 2 has no Name" in w for w in records.warnings)


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "metafile.yml"
    path.write_text("Models:\n- Name: a\n  Results: [unclosed\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"metafile\.yml:\d+: invalid YAML"):
        parse_document(path)


def test_a_collection_is_a_method_and_its_models_are_checkpoints_of_it():
    records = parsed("mmagic/configs/swinir/metafile.yml")
    [method] = [n for n in records.nodes if n.kind == NodeKind.METHOD]
    assert (method.id, method.name) == ("method:swinir", "SwinIR")
    checkpoints = {n.id for n in records.nodes if n.kind == NodeKind.MODEL}
    variant_of = edges(records, Relation.VARIANT_OF)
    assert {e.source for e in variant_of} == checkpoints and {e.target for e in variant_of} == {method.id}
    assert (method.id, "paper:arxiv:2108.10257") in {(e.source, e.target) for e in edges(records, Relation.DESCRIBED_IN)}
    assert f"with {len(checkpoints)} checkpoints" in method.description


def test_one_method_whatever_the_spelling_of_its_name():
    from modelatlas.graph.ids import method_id

    assert method_id("Mask R-CNN") == method_id("MaskRCNN") == method_id("mask rcnn") == "method:maskrcnn"
    assert method_id("Swin-Transformer V2") != method_id("Swin-Transformer")
