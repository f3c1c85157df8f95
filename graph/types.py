"""Core types shared by every stage: the nodes and edges of the catalog graph, and what an ingest yields."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import StrEnum


class NodeKind(StrEnum):
    """The kinds of node the catalog graph holds."""

    TASK = "task"
    MODEL = "model"
    PAPER = "paper"
    CODE = "code"
    DATASET = "dataset"
    QUESTION = "question"
    METHOD = "method"


class Relation(StrEnum):
    """Typed edges; each is read as `source RELATION target`."""

    PERFORMS = "performs"  # model -> task
    DESCRIBED_IN = "described_in"  # model -> paper
    IMPLEMENTED_BY = "implemented_by"  # model | paper -> code
    ADDRESSES = "addresses"  # paper -> task
    USES_DATASET = "uses_dataset"  # model | paper -> dataset
    NARROWER_THAN = "narrower_than"  # task -> broader task
    ASKS_ABOUT = "asks_about"  # question -> task
    RECOMMENDS = "recommends"  # question -> model
    RELATED_TO = "related_to"  # question -> paper
    EVALUATED_ON = "evaluated_on"  # model -> dataset, with the metric values
    FINE_TUNED_FROM = "fine_tuned_from"  # model -> its base model
    VARIANT_OF = "variant_of"  # model (a checkpoint) -> the method it is a checkpoint of


@dataclass(frozen=True)
class Task:
    """A task a person performs with a model, e.g. arbitrary-scale super-resolution."""

    id: str
    name: str
    description: str = ""
    aliases: tuple[str, ...] = ()
    input: str = ""
    output: str = ""
    examples: tuple[str, ...] = ()  # example questions people ask about the task
    model_prefixes: tuple[str, ...] = ()  # model-id prefixes naming this task, e.g. "SISR-Any"
    curated: bool = False  # True for tasks of the curated catalog; others are names a document used
    sources: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()  # the metrics its results are compared by, main first ("mask AP", "box AP")
    kind = NodeKind.TASK

    @property
    def text(self) -> str:
        parts = [f"{self.name}.", self.description]
        parts += [f"Input: {self.input}." if self.input else "", f"Output: {self.output}." if self.output else ""]
        return " ".join(p for p in parts if p)


@dataclass(frozen=True)
class Model:
    """A trained model or checkpoint that performs a task."""

    id: str
    name: str
    description: str = ""
    license: str | None = None
    sources: tuple[str, ...] = ()
    # What its document states about the checkpoint, in one unit each (graph/facts.py).
    parameters: float | None = None  # learnable parameters, a count
    flops: float | None = None  # floating-point operations for one input, a count
    inference_ms: float | None = None  # inference time per image in milliseconds, on the document's hardware
    training_memory_gb: float | None = None  # GPU memory in training, GB
    doubts: tuple[str, ...] = ()  # stated facts its own document contradicts, e.g. "parameters: 3210000, its comment says 32.1M"
    kind = NodeKind.MODEL

    @property
    def text(self) -> str:
        return f"{self.name}. {self.description}".strip()


@dataclass(frozen=True)
class Method:
    """A method people name (SwinIR, Mask R-CNN): a model-index collection, whose checkpoints are models."""

    id: str
    name: str
    description: str = ""
    aliases: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    kind = NodeKind.METHOD

    @property
    def text(self) -> str:
        return f"{self.name}. {self.description}".strip()


@dataclass(frozen=True)
class Paper:
    """A paper; its id is `paper:arxiv:NNNN.NNNNN` when it has an arXiv id."""

    id: str
    title: str
    url: str | None = None
    arxiv_id: str | None = None
    summary: str = ""
    doi: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    sources: tuple[str, ...] = ()
    kind = NodeKind.PAPER

    @property
    def name(self) -> str:
        if self.title:
            return self.title
        return f"arXiv:{self.arxiv_id}" if self.arxiv_id else (self.url or self.id)

    @property
    def text(self) -> str:
        return f"{self.title}. {self.summary}".strip()


@dataclass(frozen=True)
class Code:
    """A source-code repository; its id is the normalized repository URL."""

    id: str
    url: str
    sources: tuple[str, ...] = ()
    kind = NodeKind.CODE

    @property
    def name(self) -> str:
        return self.url.split("://", 1)[-1].split("/", 1)[-1]

    @property
    def text(self) -> str:
        return self.name


@dataclass(frozen=True)
class Dataset:
    """A dataset that models are trained or evaluated on."""

    id: str
    name: str
    description: str = ""
    aliases: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    kind = NodeKind.DATASET

    @property
    def text(self) -> str:
        return f"{self.name}. {self.description}".strip()


@dataclass(frozen=True)
class Question:
    """A question someone asked, kept with the models and papers recommended for it."""

    id: str
    name: str  # the question as it was asked
    sources: tuple[str, ...] = ()
    kind = NodeKind.QUESTION

    @property
    def text(self) -> str:
        return self.name


def paper_at_link(url: str, title: str = "", summary: str = "", sources: tuple[str, ...] = ()) -> Paper:
    """The paper a web link designates: its stable id, canonical link, arXiv id and DOI, and a title from a CVF name."""
    from modelatlas.graph import ids

    arxiv_id = ids.arxiv_id_from_url(url)
    return Paper(
        id=ids.paper_id(url),
        title=title or ids.title_from_cvf_url(url) or "",
        url=ids.arxiv_abs_url(arxiv_id) if arxiv_id else url,
        arxiv_id=arxiv_id,
        summary=summary,
        doi=ids.doi_from_url(url),
        sources=sources,
    )


Node = Task | Model | Method | Paper | Code | Dataset | Question

NODE_TYPES: dict[NodeKind, type] = {
    NodeKind.TASK: Task,
    NodeKind.MODEL: Model,
    NodeKind.PAPER: Paper,
    NodeKind.CODE: Code,
    NodeKind.DATASET: Dataset,
    NodeKind.QUESTION: Question,
    NodeKind.METHOD: Method,
}


Metrics = tuple[tuple[str, float], ...]  # one benchmark result: (metric name, value) pairs


@dataclass(frozen=True)
class Edge:
    """A typed, directed edge between two node ids; `evaluated_on` edges carry their results."""

    source: str
    target: str
    relation: Relation
    sources: tuple[str, ...] = ()
    results: tuple[Metrics, ...] = ()


def merge_edges(old: Edge, new: Edge) -> Edge:
    """One edge from two assertions of it: sources and results united."""
    sources = old.sources + tuple(s for s in new.sources if s not in old.sources)
    results = old.results + tuple(r for r in new.results if r not in old.results)
    return Edge(old.source, old.target, old.relation, sources, results)


def edge_to_dict(edge: Edge) -> dict:
    data = {"source": edge.source, "target": edge.target, "relation": str(edge.relation), "sources": list(edge.sources)}
    if edge.results:
        data["results"] = [[[name, value] for name, value in row] for row in edge.results]
    return data


def edge_from_dict(data: dict) -> Edge:
    results = tuple(tuple((str(n), float(v)) for n, v in row) for row in data.get("results", ()))
    return Edge(data["source"], data["target"], Relation(data["relation"]), tuple(data["sources"]), results)


@dataclass
class Records:
    """What one ingested document yields: nodes, edges and the warnings about what was skipped."""

    source: str
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    documents: tuple[str, ...] = ()  # for an exported catalog: the documents its provenance names, in their order


def add_hub_repository(model_id: str, hub_id: str, records: Records) -> None:
    """A model's repository on the Hugging Face Hub (`owner/name`), as a code node it is implemented by."""
    from modelatlas.graph import ids

    url = ids.hub_model_url(hub_id)
    if url:
        records.nodes.append(Code(id=ids.hub_code_id(hub_id), url=url, sources=(records.source,)))
        records.edges.append(Edge(model_id, ids.hub_code_id(hub_id), Relation.IMPLEMENTED_BY, (records.source,)))


def merge_nodes(old: Node, new: Node) -> Node:
    """One node from two mentions of the same id: keep filled fields, union tuples and sources."""
    if type(old) is not type(new):
        raise ValueError(f"{old.id} is both a {old.kind} and a {new.kind}")
    changes = {}
    for f in dataclasses.fields(old):
        a, b = getattr(old, f.name), getattr(new, f.name)
        if isinstance(a, tuple):
            changes[f.name] = a + tuple(x for x in b if x not in a)
        elif not a and b:
            changes[f.name] = b
        elif isinstance(a, str) and isinstance(b, str) and f.name in ("description", "summary") and len(b) > len(a) and not getattr(old, "curated", False):
            changes[f.name] = b  # the longer text, but a curated task keeps its own words
    return dataclasses.replace(old, **changes)


_FIELD_NAMES = {kind: tuple(f.name for f in dataclasses.fields(cls)) for kind, cls in NODE_TYPES.items()}


def node_to_dict(node: Node) -> dict:
    """A JSON-ready dict of a node, with its kind; empty fields are left out."""
    data = {"kind": str(node.kind)}
    for name in _FIELD_NAMES[node.kind]:
        value = getattr(node, name)
        if value or name in ("id", "name", "title", "url"):
            data[name] = list(value) if isinstance(value, tuple) else value
    return data


def node_from_dict(data: dict) -> Node:
    """The node a `node_to_dict` dict describes."""
    kind = NodeKind(data["kind"])
    kwargs = {name: data[name] for name in _FIELD_NAMES[kind] if name in data}
    for name, value in kwargs.items():
        if isinstance(value, list):
            kwargs[name] = tuple(value)
    return NODE_TYPES[kind](**kwargs)
