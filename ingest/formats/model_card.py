"""Hugging Face model cards: a model repository's README.md, its YAML front matter and first paragraphs."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from modelatlas.graph import ids
from modelatlas.graph.errors import IngestError
from modelatlas.graph.types import Dataset, Edge, Model, Paper, Records, Relation, Task

NAME = "model-card"
CARD_KEYS = ("pipeline_tag", "library_name", "base_model", "model-index", "model_name", "datasets", "tags", "license")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.DOTALL)
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ARXIV_TAG = re.compile(r"^arxiv:\s*(\S+)$", re.IGNORECASE)
DESCRIPTION_PARAGRAPHS = 2


def sniff(text: str) -> bool:
    """True for Markdown that opens with YAML front matter holding model-card keys."""
    match = _FRONT_MATTER.match(text)
    return bool(match) and any(re.search(rf"^{re.escape(k)}\s*:", match.group(1), re.MULTILINE) for k in CARD_KEYS)


def parse(path: Path, text: str) -> Records:
    """Records of a model card: the model, its task, papers (arxiv: tags), datasets and base model."""
    match = _FRONT_MATTER.match(text)
    if not match:
        raise IngestError(path, "no YAML front matter between '---' lines at the top")
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        raise IngestError(path, f"invalid YAML front matter: {getattr(err, 'problem', None) or err}", mark.line + 2 if mark else None) from None
    if not isinstance(meta, dict):
        raise IngestError(path, "the front matter is not a mapping of card fields")
    body = text[match.end() :]
    records = Records(source=str(path))
    source = records.source
    name = _model_name(path, meta, body)
    model = Model(ids.model_id(name), name, _description(body), license=_text(meta.get("license")) or None, sources=(source,))
    records.nodes.append(model)

    task = _text(meta.get("pipeline_tag"))
    if task:
        task_name = task.replace("-", " ").replace("_", " ")
        records.nodes.append(Task(ids.task_id(task_name), task_name, sources=(source,)))
        records.edges.append(Edge(model.id, ids.task_id(task_name), Relation.PERFORMS, (source,)))
    for tag in _list(meta.get("tags")):
        arxiv = _ARXIV_TAG.match(tag)
        if arxiv and ids.arxiv_id_from_url(f"arXiv:{arxiv.group(1)}"):
            arxiv_id = ids.arxiv_id_from_url(f"arXiv:{arxiv.group(1)}")
            records.nodes.append(Paper(f"paper:arxiv:{arxiv_id}", "", ids.arxiv_abs_url(arxiv_id), arxiv_id, sources=(source,)))
            records.edges.append(Edge(model.id, f"paper:arxiv:{arxiv_id}", Relation.DESCRIBED_IN, (source,)))
        elif arxiv:
            records.warnings.append(f"{path}: tag {tag!r} holds no arXiv id; ignored")
    for dataset in _list(meta.get("datasets")):
        records.nodes.append(Dataset(ids.dataset_id(dataset), dataset, sources=(source,)))
        records.edges.append(Edge(model.id, ids.dataset_id(dataset), Relation.USES_DATASET, (source,)))
    for base in _list(meta.get("base_model")):
        records.nodes.append(Model(ids.model_id(base), base, sources=(source,)))
        records.edges.append(Edge(model.id, ids.model_id(base), Relation.FINE_TUNED_FROM, (source,)))
    return records


def _text(value) -> str:
    return " ".join(str(value).split()) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


def _list(value) -> list[str]:
    items = value if isinstance(value, list) else [value] if value is not None else []
    return [t for t in (_text(v) for v in items) if t]


def _model_name(path: Path, meta: dict, body: str) -> str:
    """`model_name`, else the name in `model-index`, else the first `# heading`, else the folder's name."""
    index = meta.get("model-index")
    indexed = _text(index[0].get("name")) if isinstance(index, list) and index and isinstance(index[0], dict) else ""
    heading = re.search(r"^#\s+(.+?)\s*#*\s*$", body, re.MULTILINE)
    name = _text(meta.get("model_name")) or indexed or (_MARKDOWN_LINK.sub(r"\1", heading.group(1)).strip() if heading else "")
    name = name or (path.parent.name if path.name.lower() == "readme.md" else path.stem)
    if not name:
        raise IngestError(path, "no model name (model_name, model-index, a '# heading' or a folder name)")
    return name


def _description(body: str) -> str:
    """The card's first prose paragraphs: no headings, code, images, tables or HTML; links kept as their text."""
    body = re.sub(r"```.*?```", "", body, flags=re.DOTALL)
    body = re.sub(r"<!--.*?-->", "", body, flags=re.DOTALL)
    paragraphs = []
    for block in re.split(r"\n\s*\n", body):
        lines = [line for line in block.strip().split("\n") if line.strip() and not line.lstrip().startswith(("#", "|", "<", "!["))]
        text = " ".join(_MARKDOWN_LINK.sub(r"\1", " ".join(lines)).split())
        if len(text.split()) >= 8:
            paragraphs.append(text)
        if len(paragraphs) == DESCRIPTION_PARAGRAPHS:
            break
    return " ".join(paragraphs)
