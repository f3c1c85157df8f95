"""Records -> one catalog graph: merge what several documents say of one node, and infer the links they imply."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable

from modelatlas.graph import ids
from modelatlas.graph.memory import MemoryGraph
from modelatlas.graph.facts import format_count
from modelatlas.graph.types import Dataset, Edge, Model, Node, NodeKind, Records, Relation, Task, merge_edges, merge_nodes


def build_graph(all_records: Iterable[Records]) -> MemoryGraph:
    """The catalog graph of several documents' records, with inferred edges and dangling edges dropped."""
    nodes: dict[str, Node] = {}
    edges: dict[tuple[str, str, Relation], Edge] = {}
    warnings: list[str] = []
    document_order: dict[str, int] = {}
    for records in all_records:
        for document in (*records.documents, records.source):
            document_order.setdefault(document, len(document_order))
        warnings.extend(records.warnings)
        for node in records.nodes:
            try:
                nodes[node.id] = merge_nodes(nodes[node.id], node) if node.id in nodes else node
            except ValueError as err:
                warnings.append(f"{records.source}: {err}; kept the first")
        for edge in records.edges:
            _add_edge(edges, edge)

    _resolve_papers_named_by_code(nodes, edges, warnings)
    _merge_papers_by_title(nodes, edges)
    _map_tasks_onto_catalog(nodes, edges)
    _map_datasets_onto_aliases(nodes, edges)
    _infer_model_tasks(nodes, edges)
    _infer_question_tasks(edges)
    _infer_dataset_mentions(nodes, edges)
    _doubt_outlying_sizes(nodes, edges)

    kept = []
    for edge in edges.values():
        if edge.source in nodes and edge.target in nodes:
            kept.append(edge)
        else:
            missing = edge.source if edge.source not in nodes else edge.target
            warnings.append(f"{', '.join(edge.sources)}: {edge.relation} edge to unknown node {missing}; dropped")
    # Provenance in document order, however merges met the documents: one canonical form of each node and edge.
    rank = lambda source: (document_order.get(source, len(document_order)), source)  # noqa: E731
    catalog = MemoryGraph(warnings=warnings)
    catalog.add_nodes(dataclasses.replace(n, sources=tuple(sorted(n.sources, key=rank))) for n in nodes.values())
    catalog.add_edges(dataclasses.replace(e, sources=tuple(sorted(e.sources, key=rank))) for e in kept)
    return catalog


def _add_edge(edges: dict, edge: Edge) -> None:
    key = (edge.source, edge.target, edge.relation)
    edges[key] = merge_edges(edges[key], edge) if key in edges else edge


def _resolve_papers_named_by_code(nodes: dict, edges: dict, warnings: list[str]) -> None:
    """A task may name a paper by the repository of its code: turn `code addresses task` into `paper addresses task`."""
    for key, edge in list(edges.items()):
        if edge.relation != Relation.ADDRESSES or not edge.source.startswith("code:"):
            continue
        del edges[key]
        papers = [e.source for e in edges.values() if e.relation == Relation.IMPLEMENTED_BY and e.target == edge.source and e.source.startswith("paper:")]
        if not papers:
            warnings.append(f"{', '.join(edge.sources)}: no paper has the code {edge.source}; its link to {edge.target} dropped")
        for paper in papers:
            _add_edge(edges, Edge(paper, edge.target, Relation.ADDRESSES, edge.sources))


def _rename(nodes: dict, edges: dict, renames: dict[str, str]) -> None:
    """Fold each node `old` of `renames` into node `new`: merge the two nodes and point old's edges at new,
    every edge read once whatever the number of renames (a new id is never renamed itself)."""
    for old, new in renames.items():
        node = nodes.pop(old)
        nodes[new] = merge_nodes(nodes[new], dataclasses.replace(node, id=new))
    for key, edge in list(edges.items()):
        source, target = renames.get(edge.source, edge.source), renames.get(edge.target, edge.target)
        if (source, target) != (edge.source, edge.target):
            del edges[key]
            if source != target:
                _add_edge(edges, dataclasses.replace(edge, source=source, target=target))


_PAPER_ID_RANK = ("paper:arxiv:", "paper:doi:", "paper:openreview:", "paper:url:", "paper:sha1:", "paper:title:")


def _merge_papers_by_title(nodes: dict, edges: dict) -> None:
    """Papers with the same title under several ids (arXiv, DOI, CVF page, title only) become one node."""
    groups: dict[str, list[str]] = {}
    renames: dict[str, str] = {}
    for node in nodes.values():
        if node.kind == NodeKind.PAPER and node.title:
            groups.setdefault(ids.title_key(node.title), []).append(node.id)
    for members in groups.values():
        if len(members) < 2:
            continue
        members.sort(key=lambda i: (next(n for n, p in enumerate(_PAPER_ID_RANK) if i.startswith(p)), i))
        renames.update((other, members[0]) for other in members[1:])
    _rename(nodes, edges, renames)


def _task_key(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())


def _map_tasks_onto_catalog(nodes: dict, edges: dict) -> None:
    """A task a document names ("Image Super-Resolution", "Deblurring") joins the curated task it is an alias of."""
    curated = [n for n in nodes.values() if isinstance(n, Task) and n.curated]
    _map_onto_aliases(nodes, edges, curated, [n for n in nodes.values() if isinstance(n, Task) and not n.curated])


def _map_datasets_onto_aliases(nodes: dict, edges: dict) -> None:
    """A dataset a document names by another spelling ("ImageNet", "Pascal VOC 2012 + Aug") joins the dataset
    that lists it as an alias (ImageNet-1k, Pascal VOC 2012), so that its results form one leaderboard."""
    named = [n for n in nodes.values() if isinstance(n, Dataset) and n.aliases]
    _map_onto_aliases(nodes, edges, named, [n for n in nodes.values() if isinstance(n, Dataset) and not n.aliases])


def _map_onto_aliases(nodes: dict, edges: dict, canonical: list, others: list) -> None:
    """Fold each of `others` whose name is a name or alias of a `canonical` node into that node."""
    by_key: dict[str, str] = {}
    for node in canonical:
        for name in (node.id.split(":", 1)[1], node.name, *node.aliases):
            by_key.setdefault(_task_key(name), node.id)
    renames = {}
    for node in others:
        target = by_key.get(_task_key(node.name))
        if target and target != node.id and node.id in nodes:
            renames[node.id] = target
    _rename(nodes, edges, renames)


def _infer_model_tasks(nodes: dict, edges: dict) -> None:
    """A model with no stated task performs the task whose model-id prefix its name starts with (longest wins)."""
    prefixes = sorted(
        ((p.lower(), t.id) for t in nodes.values() if isinstance(t, Task) for p in t.model_prefixes),
        key=lambda pair: -len(pair[0]),
    )
    has_task = {e.source for e in edges.values() if e.relation == Relation.PERFORMS}
    for model in [n for n in nodes.values() if isinstance(n, Model) and n.id not in has_task]:
        name = model.name.lower()
        for prefix, task in prefixes:
            if name == prefix or name.startswith(prefix + "-") or name.startswith(prefix + "_"):
                _add_edge(edges, Edge(model.id, task, Relation.PERFORMS, model.sources))
                break


def _infer_question_tasks(edges: dict) -> None:
    """A question asks about the tasks its recommended models perform."""
    performs: dict[str, list[Edge]] = {}
    for edge in edges.values():
        if edge.relation == Relation.PERFORMS:
            performs.setdefault(edge.source, []).append(edge)
    for edge in list(edges.values()):
        if edge.relation == Relation.RECOMMENDS:
            for task_edge in performs.get(edge.target, []):
                _add_edge(edges, Edge(edge.source, task_edge.target, Relation.ASKS_ABOUT, edge.sources))


def _infer_dataset_mentions(nodes: dict, edges: dict) -> None:
    """A paper whose summary names a known dataset (or one of its aliases) uses that dataset.

    Names are looked up by their first word at each word of a summary, so the cost grows with the
    length of the summaries, not with summaries times datasets.
    """
    by_first_word: dict[str, list[tuple[str, str]]] = {}
    for dataset in (d for d in nodes.values() if isinstance(d, Dataset)):
        for name in dict.fromkeys(n for n in (dataset.name, *dataset.aliases) if n):
            by_first_word.setdefault(_WORD.match(name).group(0), []).append((name, dataset.id))
    for node in list(nodes.values()):
        if node.kind != NodeKind.PAPER or not node.summary:
            continue
        text = node.summary
        for word in _WORD.finditer(text):
            for name, dataset_id in by_first_word.get(word.group(0), ()):
                start, end = word.start(), word.start() + len(name)
                if text.startswith(name, start) and not _JOINS(text[start - 1 : start]) and not _JOINS(text[end : end + 1]):
                    _add_edge(edges, Edge(node.id, dataset_id, Relation.USES_DATASET, node.sources))


_WORD = re.compile(r"\w+|[^\w\s]")  # a word, or one other visible character
_JOINS = re.compile(r"[\w-]").fullmatch  # a character that would make a name part of a longer word


OUTLIER_RATIO = 8.0  # how far a checkpoint's FLOPs per parameter may stray from its method's median before it is doubted


def _doubt_outlying_sizes(nodes: dict, edges: dict) -> None:
    """A checkpoint whose FLOPs per parameter is over OUTLIER_RATIO times off the median of its method's other
    checkpoints states a figure that cannot be right (mmpretrain's resnet34: 2.18M parameters for 3.68G FLOPs;
    input sizes move the ratio by 2-5x, never 8x): both figures are doubted, and no decision rests on them.
    Only checkpoints one document states are compared, and only six or more: sources count FLOPs at their
    own input sizes, and a few detectors with different backbones and inputs (torchvision's four Faster
    R-CNNs, 320 px MobileNet to 800 px ResNet) spread by more than 8x with every figure right."""
    by_method: dict[tuple[str, str], list[Model]] = {}
    for edge in edges.values():
        model = nodes.get(edge.source)
        if edge.relation == Relation.VARIANT_OF and isinstance(model, Model) and model.parameters and model.flops:
            by_method.setdefault((edge.target, edge.sources[0]), []).append(model)
    for (method_id, _), models in by_method.items():
        if len(models) < 6:
            continue
        for model in models:
            others = sorted(m.flops / m.parameters for m in models if m is not model)
            median = others[len(others) // 2]
            ratio = (model.flops / model.parameters) / median
            if max(ratio, 1 / ratio) < OUTLIER_RATIO:
                continue
            method = nodes[method_id].name if method_id in nodes else method_id
            said = f"{ratio:.0f}x" if ratio > 1 else f"1/{1 / ratio:.0f}"
            why = f"{said} the FLOPs per parameter of the other {method} checkpoints"
            doubts = (f"parameters: {format_count(model.parameters)} stated beside {format_count(model.flops)} FLOPs, {why}",
                      f"flops: {format_count(model.flops)} stated beside {format_count(model.parameters)} parameters, {why}")
            nodes[model.id] = dataclasses.replace(model, doubts=model.doubts + tuple(d for d in doubts if d not in model.doubts))
