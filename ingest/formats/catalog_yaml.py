"""The curated catalog YAML (`format: modelatlas-catalog/1`): tasks, datasets and described models."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from modelatlas.graph import ids
from modelatlas.graph.errors import IngestError
from modelatlas.graph.types import Code, Dataset, Edge, Model, Records, Relation, Task, paper_at_link

NAME = "catalog-yaml"
FORMAT_TAG = "modelatlas-catalog/1"


def sniff(text: str) -> bool:
    """True for a YAML document tagged with the catalog format."""
    return f"format: {FORMAT_TAG}" in text


def parse(path: Path, text: str) -> Records:
    """Records of a curated catalog: each task, dataset and model with its links."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        reason = getattr(err, "problem", None) or "invalid YAML"
        raise IngestError(path, f"invalid YAML: {reason}", mark.line + 1 if mark else None) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_TAG:
        raise IngestError(path, f"not a catalog file: the top level needs 'format: {FORMAT_TAG}'")
    records = Records(source=str(path))
    for key, add in (("tasks", _add_task), ("datasets", _add_dataset), ("models", _add_model)):
        entries = data.get(key) or []
        if not isinstance(entries, list):
            raise IngestError(path, f"'{key}' must be a list")
        for number, entry in enumerate(entries, 1):
            if not isinstance(entry, dict):
                raise IngestError(path, f"{key} entry {number} is not a mapping")
            add(path, number, entry, records)
    return records


def _text(path: Path, where: str, entry: dict, key: str, required: bool = False) -> str:
    value = entry.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise IngestError(path, f"{where} has no '{key}'")
        return ""
    if not isinstance(value, (str, int, float)):
        raise IngestError(path, f"{where}: '{key}' must be text")
    return " ".join(str(value).split())


def _texts(path: Path, where: str, entry: dict, key: str) -> tuple[str, ...]:
    value = entry.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise IngestError(path, f"{where}: '{key}' must be a list of texts")
    return tuple(" ".join(str(v).split()) for v in value if str(v).strip())


def _paper_ref_id(ref: str) -> str:
    """A paper named by `arxiv:ID`, a paper URL, or the URL of its code (resolved when the graph is built)."""
    return ids.code_id(ref) or ids.paper_id(ref)


def _add_task(path: Path, number: int, entry: dict[str, Any], records: Records) -> None:
    where = f"tasks entry {number}"
    key = _text(path, where, entry, "key", required=True)
    task = Task(
        id=ids.task_id(key),
        name=_text(path, where, entry, "name", required=True),
        description=_text(path, where, entry, "description", required=True),
        aliases=_texts(path, where, entry, "aliases"),
        input=_text(path, where, entry, "input", required=True),
        output=_text(path, where, entry, "output", required=True),
        examples=_texts(path, where, entry, "examples"),
        model_prefixes=_texts(path, where, entry, "model_prefixes"),
        curated=True,
        sources=(records.source,),
        metrics=_texts(path, where, entry, "metrics"),
    )
    records.nodes.append(task)
    broader = _text(path, where, entry, "broader")
    if broader:
        records.edges.append(Edge(task.id, ids.task_id(broader), Relation.NARROWER_THAN, (records.source,)))
    for ref in _texts(path, where, entry, "papers"):
        records.edges.append(Edge(_paper_ref_id(ref), task.id, Relation.ADDRESSES, (records.source,)))


def _add_dataset(path: Path, number: int, entry: dict[str, Any], records: Records) -> None:
    where = f"datasets entry {number}"
    name = _text(path, where, entry, "name", required=True)
    records.nodes.append(
        Dataset(
            id=ids.dataset_id(name),
            name=name,
            description=_text(path, where, entry, "description"),
            aliases=_texts(path, where, entry, "aliases"),
            sources=(records.source,),
        )
    )


def _add_model(path: Path, number: int, entry: dict[str, Any], records: Records) -> None:
    where = f"models entry {number}"
    source = records.source
    name = _text(path, where, entry, "name", required=True)
    model = Model(id=ids.model_id(name), name=name, description=_text(path, where, entry, "description"), sources=(source,))
    records.nodes.append(model)
    for task_key in _texts(path, where, entry, "tasks"):
        records.edges.append(Edge(model.id, ids.task_id(task_key), Relation.PERFORMS, (source,)))
    for dataset in _texts(path, where, entry, "datasets"):
        records.edges.append(Edge(model.id, ids.dataset_id(dataset), Relation.USES_DATASET, (source,)))
    paper_url = _text(path, where, entry, "paper")
    if paper_url:
        paper = paper_at_link(paper_url, _text(path, where, entry, "paper_title"), sources=(source,))
        records.nodes.append(paper)
        records.edges.append(Edge(model.id, paper.id, Relation.DESCRIBED_IN, (source,)))
    code_url = _text(path, where, entry, "code")
    if code_url:
        repo = ids.github_repo_url(code_url)
        if repo is None:
            records.warnings.append(f"{path}: {where}: code {code_url!r} is not a GitHub repository link; ignored")
        else:
            records.nodes.append(Code(id=ids.code_id(repo), url=repo, sources=(source,)))
            records.edges.append(Edge(model.id, ids.code_id(repo), Relation.IMPLEMENTED_BY, (source,)))
