"""The Hugging Face task map: the shipped export parses into tasks of every area with their Hub models."""

import json
from pathlib import Path

import pytest

from modelatlas.graph.errors import IngestError
from modelatlas.graph.types import NodeKind, Relation
from modelatlas.ingest.formats import hf_tasks
from modelatlas.ingest.registry import parse_document
from tests.conftest import REPO

SHIPPED = REPO / "data" / "huggingface" / "tasks.json"


def test_the_shipped_export_is_read_as_its_own_format():
    fmt, records = parse_document(SHIPPED)
    assert fmt.name == "hf-tasks" and not records.warnings
    tasks = {n.id: n for n in records.nodes if n.kind == NodeKind.TASK}
    assert len(tasks) == 47
    asr = tasks["task:automatic-speech-recognition"]
    assert asr.name == "Automatic Speech Recognition" and "transcribing" in asr.description
    assert (asr.input, asr.output, asr.metrics) == ("audio", "text", ("wer", "cer"))
    areas = {e.target for e in records.edges if e.relation == Relation.NARROWER_THAN}
    assert areas == {"task:computer-vision", "task:natural-language-processing", "task:audio-and-speech", "task:multimodal-ai", "task:tabular-data", "task:reinforcement-learning"}


def test_each_canonical_model_performs_its_task_and_links_its_hub_page():
    _, records = parse_document(SHIPPED)
    whisper = next(n for n in records.nodes if n.id == "model:openai/whisper-large-v3")
    assert whisper.description.startswith("A powerful ASR model by OpenAI.")
    edges = {(e.source, e.relation, e.target) for e in records.edges}
    assert ("model:openai/whisper-large-v3", Relation.PERFORMS, "task:automatic-speech-recognition") in edges
    code = next(n for n in records.nodes if n.id == "code:huggingface.co/openai/whisper-large-v3")
    assert code.url == "https://huggingface.co/openai/whisper-large-v3"
    models = [n for n in records.nodes if n.kind == NodeKind.MODEL]
    assert len({m.id for m in models}) >= 140


def test_the_export_matches_the_package_version_its_notice_names():
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    notice = (SHIPPED.parent / "NOTICE.md").read_text(encoding="utf-8")
    assert data["package"] == "@huggingface/tasks" and data["version"] == "0.21.54" and data["version"] in notice
    assert "MIT License" in (SHIPPED.parent / "LICENSE").read_text(encoding="utf-8")


@pytest.mark.parametrize("text, says", [
    ('{"format": "huggingface-tasks/1", "tasks": [', "invalid JSON"),
    ('{"format": "huggingface-tasks/1", "tasks": {}}', "must hold a 'tasks' list"),
    ('{"format": "huggingface-tasks/1", "tasks": [{"id": "translation", "label": "Translation"}]}', "task 1 needs an id, a label and a summary"),
])
def test_a_broken_task_map_is_one_clear_error(tmp_path, text, says):
    path = tmp_path / "tasks.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError, match=says) as err:
        parse_document(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_a_model_without_an_owner_and_name_is_skipped_with_a_warning(tmp_path):
    entry = {"id": "translation", "label": "Translation", "summary": "Translating text.", "models": [{"id": "no-owner"}, {"id": "google-t5/t5-base"}]}
    records = hf_tasks.parse(Path("t.json"), json.dumps({"format": "huggingface-tasks/1", "tasks": [entry]}))
    assert [n.id for n in records.nodes if n.kind == NodeKind.MODEL] == ["model:google-t5/t5-base"]
    assert records.warnings and "owner/name" in records.warnings[0]


def test_tasks_of_the_map_join_the_curated_tasks_they_name(atlas):
    catalog = atlas.catalog
    asr = catalog.node("task:automatic-speech-recognition")
    assert asr.curated and "speech to text" in asr.aliases  # the curated entry keeps its words
    assert asr.description.startswith("Transcribing spoken audio")
    assert "model:openai/whisper-large-v3" in {m.id for m in catalog.origins(asr.id, Relation.PERFORMS)}
    assert "task:text-to-image" not in catalog  # its label names the curated text-to-image generation


@pytest.mark.parametrize("question, task", [
    ("transcribe a podcast", "task:automatic-speech-recognition"),
    ("translate English to German", "task:translation"),
])
def test_questions_beyond_vision_land_on_their_task_with_hub_models(atlas, question, task):
    answer = atlas.ask(question)
    assert answer.confident and answer.tasks[0].id == task
    assert answer.workflow and all(w.code and w.code.url.startswith("https://huggingface.co/") for w in answer.workflow[:1])
