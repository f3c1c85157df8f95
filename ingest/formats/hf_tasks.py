"""The Hugging Face task map (`format: huggingface-tasks/1`): tasks of every area with their canonical models.

`data/huggingface/tasks.json` is exported from the npm package `@huggingface/tasks` by
`scripts/export-hf-tasks.mjs`. Each task becomes a task node (`task:<id>`) named by its label, with its summary, the kinds of its demo's input and output, its metrics, and an edge to the area of its modality
(a curated task: computer vision, natural language processing, …). Each canonical model becomes a model
that performs the task, linked to its Hub page. A task whose label names a curated task joins it.
"""

from __future__ import annotations

import json
from pathlib import Path

from modelatlas.graph import ids
from modelatlas.graph.errors import IngestError
from modelatlas.graph.types import Edge, Model, Records, Relation, Task, add_hub_repository

NAME = "hf-tasks"
FORMAT = "huggingface-tasks/1"
# The curated area each modality of the package belongs to (data/catalog.yaml).
AREAS = {
    "cv": "computer-vision", "nlp": "natural-language-processing", "audio": "audio-and-speech",
    "multimodal": "multimodal-ai", "tabular": "tabular-data", "rl": "reinforcement-learning",
}
# The package's demo types, in words.
KINDS = {"img": "image", "text": "text", "audio": "audio", "tabular": "table", "chart": "labels with their scores",
         "text-with-tokens": "text with labelled tokens", "video": "video"}


def sniff(text: str) -> bool:
    """True for JSON whose `format` is huggingface-tasks/1."""
    return text.lstrip().startswith("{") and f'"format": "{FORMAT}"' in text[:200]


def parse(path: Path, text: str) -> Records:
    """Records of the task map: tasks, their areas and metrics, and their canonical models with Hub links."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise IngestError(path, f"invalid JSON: {err.msg}", err.lineno) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("tasks"), list):
        raise IngestError(path, f"a {FORMAT} file must hold a 'tasks' list")
    records = Records(source=str(path))
    for number, entry in enumerate(data["tasks"], 1):
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) and entry[k].strip() for k in ("id", "label", "summary")):
            raise IngestError(path, f"task {number} needs an id, a label and a summary")
        _add_task(entry, records)
    return records


def _add_task(entry: dict, records: Records) -> None:
    source = (records.source,)
    task_id = ids.task_id(entry["id"])
    kinds = lambda key: " and ".join(KINDS.get(k, k) for k in entry.get(key) or []) or "data"  # noqa: E731
    records.nodes.append(Task(
        # No aliases: the label is the name, and id-like strings ("image text to text") match any question
        # that says "text" and "photo" (measured on data/eval/tune.jsonl: they pulled OCR questions away).
        id=task_id, name=entry["label"], description=" ".join(entry["summary"].split()),
        input=kinds("inputs"), output=kinds("outputs"), sources=source,
        metrics=tuple(m["id"] for m in entry.get("metrics") or [] if isinstance(m, dict) and m.get("id")),
    ))
    area = AREAS.get(entry.get("modality", ""))
    if area:
        records.edges.append(Edge(task_id, ids.task_id(area), Relation.NARROWER_THAN, source))
    for model in entry.get("models") or []:
        url = ids.hub_model_url(model.get("id", "")) if isinstance(model, dict) else None
        if not url:
            records.warnings.append(f"{records.source}: task {entry['id']}: a model without an owner/name id; skipped")
            continue
        description = " ".join(str(model.get("description", "")).split())
        model_id = ids.model_id(model["id"])
        records.nodes.append(Model(id=model_id, name=model["id"], description=f"{description} A model for {entry['label'].lower()}.".strip(), sources=source))
        records.edges.append(Edge(model_id, task_id, Relation.PERFORMS, source))
        add_hub_repository(model_id, model["id"], records)
