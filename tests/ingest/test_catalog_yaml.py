"""The curated catalog YAML: the tasks the seeds touch, each fully described, and clear errors on bad files."""

from pathlib import Path

import pytest

from modelatlas.graph.errors import IngestError
from modelatlas.graph.types import NodeKind, Relation
from modelatlas.ingest import parse_document

REPO = Path(__file__).resolve().parents[2]
CATALOG = REPO / "data" / "catalog.yaml"
REQUIRED_TASKS = {
    "task:arbitrary-scale-super-resolution", "task:image-deblurring", "task:image-denoising", "task:image-restoration",
    "task:text-to-image-generation", "task:skin-lesion-classification", "task:synthetic-medical-image-generation",
    "task:image-matting", "task:image-stitching-quality-assessment", "task:human-4d-instance-segmentation",
    "task:annotation-quality", "task:histopathology-image-synthesis",
}


@pytest.fixture(scope="module")
def records():
    fmt, records = parse_document(CATALOG)
    assert fmt.name == "catalog-yaml"
    return records


def test_holds_every_task_the_seeds_touch(records):
    tasks = {n.id for n in records.nodes if n.kind == NodeKind.TASK}
    assert REQUIRED_TASKS <= tasks


def test_every_task_has_description_aliases_input_and_output(records):
    for task in (n for n in records.nodes if n.kind == NodeKind.TASK):
        assert task.description and task.input and task.output, task.id
        assert task.aliases, task.id


def test_broader_tasks_exist_in_the_catalog_or_the_task_map(records):
    import json

    task_map = json.loads((REPO / "data" / "huggingface" / "tasks.json").read_text(encoding="utf-8"))["tasks"]
    tasks = {n.id for n in records.nodes if n.kind == NodeKind.TASK} | {f"task:{t['id']}" for t in task_map}
    broader = [e for e in records.edges if e.relation == Relation.NARROWER_THAN]
    assert broader and all(e.target in tasks for e in broader), [e.target for e in broader if e.target not in tasks]
    assert ("task:arbitrary-scale-super-resolution", "task:single-image-super-resolution") in {(e.source, e.target) for e in broader}


def test_model_prefixes_name_seed_model_families(records):
    prefixes = {p: n.id for n in records.nodes if n.kind == NodeKind.TASK for p in n.model_prefixes}
    assert prefixes["SISR-Any"] == "task:arbitrary-scale-super-resolution"
    assert prefixes["Deblur"] == "task:image-deblurring"
    assert prefixes["Txt2Img"] == "task:text-to-image-generation"


def _write(tmp_path, text):
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_invalid_yaml_names_file_and_line(tmp_path):
    path = _write(tmp_path, "format: modelatlas-catalog/1\ntasks:\n  - key: a\n    name: [unclosed\n")
    with pytest.raises(IngestError, match=r"mine\.yaml:\d+: invalid YAML"):
        parse_document(path)


def test_task_without_name_is_an_error_naming_the_entry(tmp_path):
    path = _write(tmp_path, "format: modelatlas-catalog/1\ntasks:\n  - key: a\n    description: d\n    input: i\n    output: o\n")
    with pytest.raises(IngestError, match=r"mine\.yaml: tasks entry 1 has no 'name'"):
        parse_document(path)


def test_wrong_shape_is_an_error(tmp_path):
    path = _write(tmp_path, "format: modelatlas-catalog/1\ntasks: {a: 1}\n")
    with pytest.raises(IngestError, match="'tasks' must be a list"):
        parse_document(path)


def test_yaml_without_the_format_tag_is_not_a_catalog(tmp_path):
    path = _write(tmp_path, "tasks: []\n")
    with pytest.raises(IngestError, match="not a catalog file"):
        parse_document(path, "catalog-yaml")
