"""Model-index files (OpenMMLab `metafile.yml`, Papers with Code `model-index.yml`): collections and models.

A collection is a method (SwinIR, Mask R-CNN) and its models are checkpoints of it (`variant_of`).

Real files vary: `Results` is a list or one mapping, `Paper` a mapping or a string, `Code` a mapping or
a URL, metrics sometimes not numbers. What does not fit is skipped and reported as a warning.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from modelatlas.graph import ids
from modelatlas.graph.errors import IngestError
from modelatlas.graph.facts import count_value, format_count, licence_id
from modelatlas.graph.types import Code, Dataset, Edge, Method, Model, Paper, Records, Relation, Task, add_hub_repository, paper_at_link

NAME = "model-index"
_TOP_KEY = re.compile(r"^(Collections|Models|Import):", re.MULTILINE)
_TOP_LIST_OF_MODELS = re.compile(r"^- Name:.*\n(?:[ \t].*\n)*?[ \t]+(?:In Collection|Results|Config):", re.MULTILINE)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Metadata keys of the numbers a checkpoint states, by the `Model` field they fill.
_FACT_KEYS = {
    "parameters": ("Parameters", "Params", "#Params"),
    "flops": ("FLOPs", "FLOPS", "Flops", "MACs"),
    "training_memory_gb": ("Training Memory (GB)", "Memory (GB)", "Memory"),
}
# `Parameters: 3210000   # 32.1M`: a number with a comment that restates it (the comment survives only in the text).
_COMMENTED = re.compile(r"^[ \t-]*(Parameters|FLOPs):[ \t]*([0-9][0-9.eE+]*)[ \t]*#[ \t]*([0-9]+(?:\.[0-9]+)?[ \t]*[KMGT]?)\b", re.MULTILINE)


def sniff(text: str) -> bool:
    """True for YAML with a top-level `Collections:`, `Models:` or `Import:` key, or a top-level list of models."""
    return bool(_TOP_KEY.search(text) or _TOP_LIST_OF_MODELS.search(text))


def parse(path: Path, text: str) -> Records:
    """Records of a model-index file: models with their tasks, papers, code, datasets and results."""
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise IngestError(path, f"invalid YAML: {getattr(err, 'problem', None) or err}", mark.line + 1 if mark else None) from None
    if isinstance(data, list):
        data = {"Models": data}  # some metafiles are a bare list of models
    if not isinstance(data, dict):
        raise IngestError(path, "a model-index file must hold 'Collections' or 'Models'")
    records = Records(source=str(path))
    contradicted = _contradicted_numbers(text)
    imports = data.get("Import")
    if imports and not data.get("Models"):
        count = len(imports) if isinstance(imports, list) else 1
        records.warnings.append(f"{path}: only imports {count} metafiles; ingest the folder that holds them to read them")
        return records
    collections = {}
    for number, item in enumerate(_as_list(data.get("Collections")), 1):
        if isinstance(item, dict) and _text(item.get("Name")):
            collections[_text(item["Name"])] = item
        else:
            records.warnings.append(f"{path}: Collections entry {number} has no Name; skipped")
    models = _as_list(data.get("Models"))
    if not models and not collections:
        raise IngestError(path, "no Models or Collections to read")
    used: dict[str, list[tuple[str, ...]]] = {}  # collection name -> the tasks of each of its models
    for number, item in enumerate(models, 1):
        if not isinstance(item, dict) or not _text(item.get("Name")):
            records.warnings.append(f"{path}: Models entry {number} has no Name; skipped")
            continue
        collection_name = _text(item.get("In Collection"))
        tasks = _add_model(path, item, collections.get(collection_name) or {}, records, contradicted)
        if collection_name:
            used.setdefault(collection_name, []).append(tasks)
    for name, model_tasks in used.items():
        _add_method(path, name, collections.get(name) or {}, model_tasks, records)
    for name, collection in collections.items():
        if name not in used:
            _add_collection_paper(path, collection, records)
    return records


def _add_method(path: Path, name: str, collection: dict, model_tasks: list[tuple[str, ...]], records: Records) -> None:
    """The method a collection names, with its paper and code; its checkpoints point to it from `_add_model`."""
    source = records.source
    method_id = ids.method_id(name)
    tasks = list(dict.fromkeys(t for tasks in model_tasks for t in tasks))
    facts = f"Method for {', '.join(t.lower() for t in tasks)}" if tasks else "Method"
    description = f"{facts}, with {len(model_tasks)} checkpoint{'s' if len(model_tasks) != 1 else ''} in this catalog."
    architecture = _metadata(collection, "Architecture")
    if architecture:
        description += f" Architecture: {', '.join(architecture)}."
    paper = _paper(path, collection.get("Paper"), records)
    if paper and paper.title:
        description += f" Paper: {paper.title}."
    records.nodes.append(Method(id=method_id, name=name, description=description, sources=(source,)))
    if paper:
        records.nodes.append(paper)
        records.edges.append(Edge(method_id, paper.id, Relation.DESCRIBED_IN, (source,)))
    _add_code(method_id, _code_url(collection.get("Code")), records)


def _add_collection_paper(path: Path, collection: dict, records: Records) -> None:
    """A collection with no models still names a paper and the tasks it addresses."""
    paper = _paper(path, collection.get("Paper"), records)
    if paper:
        records.nodes.append(paper)
        for task in _texts(collection.get("Task")):
            records.nodes.append(Task(id=ids.task_id(task), name=task, sources=(records.source,)))
            records.edges.append(Edge(paper.id, ids.task_id(task), Relation.ADDRESSES, (records.source,)))


def _as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


def _texts(value: Any) -> list[str]:
    return [t for t in (_text(v) for v in _as_list(value)) if t]


def _metadata(item: dict, key: str) -> list[str]:
    meta = item.get("Metadata")
    return _texts(meta.get(key)) if isinstance(meta, dict) else []


def _paper(path: Path, value: Any, records: Records) -> Paper | None:
    """A paper from `Paper:` as {Title, URL} or a string holding a URL or a title."""
    if isinstance(value, dict):
        title, url = _text(value.get("Title")), _text(value.get("URL"))
    elif isinstance(value, str):
        title, url = ("", value.strip()) if re.match(r"^https?://", value.strip()) else (_text(value), "")
    else:
        return None
    if url and not re.match(r"^https?://\S+$", url):
        records.warnings.append(f"{path}: paper link {url!r} is not a web link; ignored")
        url = ""
    if url:
        return paper_at_link(url, title, sources=(records.source,))
    return Paper(id=ids.paper_title_id(title), title=title, sources=(records.source,)) if title else None


def _code_url(value: Any) -> str:
    return _text(value.get("URL")) if isinstance(value, dict) else _text(value)


def _results(path: Path, name: str, value: Any, records: Records) -> list[tuple[str, str, tuple]]:
    """(task, dataset, metrics) for each result; non-numeric metric values are skipped with a warning."""
    found = []
    for result in _as_list(value):
        if not isinstance(result, dict):
            records.warnings.append(f"{path}: model {name}: a result that is not a mapping; skipped")
            continue
        metrics, skipped = [], []
        raw = result.get("Metrics")
        for metric, number in (raw.items() if isinstance(raw, dict) else []):
            if isinstance(number, (int, float)) and not isinstance(number, bool):
                metrics.append((_text(metric), float(number)))
            else:
                skipped.append(_text(metric))
        if skipped:
            records.warnings.append(f"{path}: model {name}: non-numeric {', '.join(skipped)}; skipped")
        dataset = _text(result.get("Dataset"))
        found.append((_text(result.get("Task")), "" if dataset.lower() in ("-", "n/a", "none") else dataset, tuple(metrics)))
    return found


def _add_code(node_id: str, url: str, records: Records) -> None:
    """The GitHub repository a code link points into, implementing a model or a method."""
    repo = ids.github_repo_url(url)
    if repo:
        records.nodes.append(Code(id=ids.code_id(repo), url=repo, sources=(records.source,)))
        records.edges.append(Edge(node_id, ids.code_id(repo), Relation.IMPLEMENTED_BY, (records.source,)))


def _add_hub_weights(model_id: str, url: str, records: Records) -> None:
    """The Hugging Face Hub repository a `Weights:` link names (timm, open_clip); other weight files are not nodes."""
    if url.startswith(ids.HUB):
        add_hub_repository(model_id, url.removeprefix(ids.HUB).rstrip("/"), records)  # it checks the owner/name form


def _contradicted_numbers(text: str) -> dict[tuple[str, float], str]:
    """(metadata key, stated number) -> the comment beside it, where the comment says another number (by over 5%)."""
    found = {}
    for key, stated, comment in _COMMENTED.findall(text):
        said, value = count_value(comment.replace(" ", "")), float(stated)
        if said is not None and abs(said - value) > 0.05 * max(said, value):
            found[(key, value)] = comment.replace(" ", "")
    return found


def _facts(item: dict, collection: dict, contradicted: dict[tuple[str, float], str]) -> dict:
    """The numbers, licence and doubts of a checkpoint's metadata, as keyword arguments of `Model`."""
    meta = item.get("Metadata") if isinstance(item.get("Metadata"), dict) else {}
    facts: dict = {}
    for field, keys in _FACT_KEYS.items():
        value = next((v for v in (count_value(meta.get(k)) for k in keys) if v is not None), None)
        if value is not None:
            facts[field] = value
    timing = next(iter(_as_list(meta.get("inference time (ms/im)"))), None)
    timing = count_value(timing.get("value")) if isinstance(timing, dict) else count_value(timing)
    if timing is not None:
        facts["inference_ms"] = timing
    doubts = []
    for (key, stated), comment in contradicted.items():
        field = "parameters" if key == "Parameters" else "flops"
        if facts.get(field) == stated:
            doubts.append(f"{field}: {format_count(stated)} stated, its comment says {comment}")
    if doubts:
        facts["doubts"] = tuple(doubts)
    licence = licence_id(_text(item.get("License")) or _text(collection.get("License")))
    if licence:
        facts["license"] = licence
    return facts


def _add_model(path: Path, item: dict, collection: dict, records: Records, contradicted: dict[tuple[str, float], str]) -> tuple[str, ...]:
    """A checkpoint with its tasks, paper, code, datasets and results; returns the names of its tasks."""
    source = records.source
    name = _text(item["Name"])
    model_id = ids.model_id(name)
    results = _results(path, name, item.get("Results"), records)
    named = _texts(collection.get("Task")) + _texts(item.get("Task")) + [t for t, _, _ in results if t]
    tasks = list({ids.task_id(t): t for t in reversed(named)}.values())[::-1]  # one spelling per task id
    trained_on = list(dict.fromkeys(_metadata(item, "Training Data") or _metadata(collection, "Training Data")))
    architecture = _metadata(item, "Architecture") or _metadata(collection, "Architecture")
    paper = _paper(path, item.get("Paper"), records) or _paper(path, collection.get("Paper"), records)
    collection_name = _text(collection.get("Name")) or _text(item.get("In Collection"))

    # Facts only, and not the name: models of one collection then share one text, embedded once.
    facts = [f"{collection_name} model" if collection_name else "Model"]
    facts += [f"for {', '.join(t.lower() for t in tasks)}"] if tasks else []
    description = " ".join(facts) + "."
    if architecture:
        description += f" Architecture: {', '.join(architecture)}."
    if trained_on:
        description += f" Trained on {', '.join(trained_on)}."
    if paper and paper.title:
        description += f" Paper: {paper.title}."
    records.nodes.append(Model(id=model_id, name=name, description=description, sources=(source,), **_facts(item, collection, contradicted)))
    if collection_name:
        records.edges.append(Edge(model_id, ids.method_id(collection_name), Relation.VARIANT_OF, (source,)))

    for task in tasks:
        records.nodes.append(Task(id=ids.task_id(task), name=task, sources=(source,)))
        records.edges.append(Edge(model_id, ids.task_id(task), Relation.PERFORMS, (source,)))
    if paper:
        records.nodes.append(paper)
        records.edges.append(Edge(model_id, paper.id, Relation.DESCRIBED_IN, (source,)))
        for task in tasks:
            records.edges.append(Edge(paper.id, ids.task_id(task), Relation.ADDRESSES, (source,)))
    _add_code(model_id, _code_url(item.get("Code")) or _code_url(collection.get("Code")), records)
    _add_hub_weights(model_id, _text(item.get("Weights")), records)
    for dataset in trained_on:
        records.nodes.append(Dataset(id=ids.dataset_id(dataset), name=dataset, sources=(source,)))
        records.edges.append(Edge(model_id, ids.dataset_id(dataset), Relation.USES_DATASET, (source,)))
    for _, dataset, metrics in results:
        if dataset:
            records.nodes.append(Dataset(id=ids.dataset_id(dataset), name=dataset, sources=(source,)))
            records.edges.append(Edge(model_id, ids.dataset_id(dataset), Relation.EVALUATED_ON, (source,), (metrics,) if metrics else ()))
    return tuple(tasks)
