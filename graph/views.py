"""Parts of the catalog graph worth drawing: a node's neighbourhood, or the whole graph filtered by kind and task."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from modelatlas.graph.catalog import CatalogGraph
from modelatlas.graph.errors import ViewError
from modelatlas.graph.methods import method_of
from modelatlas.graph.types import NodeKind, Relation

MAX_NODES = 400  # past this a picture is a hairball: the nodes nearest the centre are kept and the view says so
MAX_DEPTH = 5
HUB_DEGREE = 40  # a node with more edges than this is drawn but not walked through: a dataset or task used by hundreds of models


@dataclass(frozen=True)
class GraphView:
    """A set of node ids to draw, the node it centres on (if any), and whether nodes were left out."""

    node_ids: tuple[str, ...]
    center: str | None = None
    truncated: bool = False
    total: int = 0  # how many nodes the view would hold without the cap
    merged: tuple[tuple[str, str], ...] = ()  # (checkpoint, its method) drawn as the method: their edges start there


def _as_methods(catalog: CatalogGraph, ids: list[str], keep: str | None) -> tuple[list[str], tuple[tuple[str, str], ...]]:
    """The ids with each checkpoint of a method (but `keep`) replaced by the method, first place kept, and the merges."""
    merged = {}
    for node_id in ids:
        method = method_of(catalog, node_id) if node_id != keep and catalog.node(node_id).kind == NodeKind.MODEL else None
        if method:
            merged[node_id] = method.id
    return list(dict.fromkeys(merged.get(i, i) for i in ids)), tuple(sorted(merged.items()))


def neighbourhood(
    catalog: CatalogGraph, center: str, depth: int = 2, max_nodes: int = MAX_NODES, hub_degree: int = HUB_DEGREE, methods: bool = False,
) -> GraphView:
    """The nodes within `depth` edges of `center`, either direction, nearest first, at most `max_nodes`;
    with `methods`, checkpoints other than the centre are drawn as their method.

    Datasets and hubs (more than `hub_degree` edges, e.g. object detection) other than the centre are
    shown but not walked through: two edges out from a model should show its paper's other models, not
    every model trained or evaluated on the same dataset.
    """
    if center not in catalog:
        raise ViewError(f"no node {center!r} in the catalog")
    if not 0 <= depth <= MAX_DEPTH:
        raise ViewError(f"depth {depth}: choose 0 to {MAX_DEPTH}")
    seen = {center: 0}
    queue = deque([center])
    while queue:
        node = queue.popleft()
        if seen[node] == depth or (node != center and (catalog.degree(node) > hub_degree or catalog.node(node).kind == NodeKind.DATASET)):
            continue
        for other in catalog.neighbours(node):
            if other not in seen:
                seen[other] = seen[node] + 1
                queue.append(other)
    ordered = sorted(seen, key=lambda n: (seen[n], n))
    merged: tuple[tuple[str, str], ...] = ()
    if methods:
        ordered, merged = _as_methods(catalog, ordered, center)
    return GraphView(tuple(ordered[:max_nodes]), center, len(ordered) > max_nodes, len(ordered), merged)


def whole(
    catalog: CatalogGraph, kinds: set[str] | None = None, task: str | None = None, max_nodes: int = MAX_NODES, methods: bool = False,
) -> GraphView:
    """The catalog's nodes of the given kinds; with `task`, only what belongs to it or a narrower task;
    with `methods`, checkpoints are drawn as their method.

    What belongs to a task: the task and its narrower tasks, the models that perform them, the papers that
    describe those models or address the tasks, and those models' and papers' code and datasets.
    """
    known = {str(k) for k in NodeKind}
    if kinds is not None and not kinds <= known:
        raise ViewError(f"unknown node kind {sorted(kinds - known)[0]!r}: choose from {', '.join(sorted(known))}")
    if task is None:
        ids = [n.id for n in catalog.nodes()]
    else:
        if task not in catalog or catalog.node(task).kind != NodeKind.TASK:
            raise ViewError(f"no task {task!r} in the catalog")
        ids = _task_family(catalog, task)
    merged: tuple[tuple[str, str], ...] = ()
    if methods:
        ids, merged = _as_methods(catalog, ids, None)
    ids = [i for i in ids if kinds is None or str(catalog.node(i).kind) in kinds]
    # Tasks first, then models, papers, …: a capped view keeps the structure and drops leaves.
    order = {k: i for i, k in enumerate(NodeKind)}
    ids.sort(key=lambda i: (order[catalog.node(i).kind], i))
    return GraphView(tuple(ids[:max_nodes]), task, len(ids) > max_nodes, len(ids), merged)


def _task_family(catalog: CatalogGraph, task: str) -> list[str]:
    tasks = [task] + [t.id for t in catalog.narrower_tasks(task)]
    models = {m.id for t in tasks for m in catalog.origins(t, Relation.PERFORMS)}
    papers = {p.id for m in models for p in catalog.targets(m, Relation.DESCRIBED_IN)}
    papers |= {p.id for t in tasks for p in catalog.origins(t, Relation.ADDRESSES)}
    around = {
        n.id
        for owner in models | papers
        for relation in (Relation.IMPLEMENTED_BY, Relation.USES_DATASET)
        for n in catalog.targets(owner, relation)
    }
    return list(dict.fromkeys([*tasks, *sorted(models), *sorted(papers), *sorted(around)]))
