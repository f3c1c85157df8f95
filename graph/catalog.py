"""The catalog graph: typed nodes and edges, the look-ups the stages need, and the in-memory storage builds use."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from typing import TYPE_CHECKING

from modelatlas.graph.errors import UnknownNodeError
from modelatlas.graph.ids import name_key
from modelatlas.graph.types import Edge, Model, Node, NodeKind, Paper, Relation, Task

if TYPE_CHECKING:
    import numpy as np


def source_group(label: str) -> str:
    """The source a document belongs to, for counting: `openmmlab/mmdet`, `timm`, `seeds`, `user` (added documents)."""
    parts = label.split("/")
    if parts[0] != "data" or len(parts) < 2:
        return "user"
    if parts[1] == "openmmlab" and len(parts) > 2:
        return f"openmmlab/{parts[2]}"
    return "curated catalog" if parts[1] == "catalog.yaml" else parts[1]


@dataclass(frozen=True)
class RelatedPaper:
    """A paper related to a model, with the relations that connect them, closest first."""

    paper: Paper
    reasons: tuple[str, ...]


class CatalogGraph:
    """The read side of a catalog: the look-ups every stage uses, on top of a few storage primitives.

    Two storages implement the primitives: `MemoryGraph`, a networkx MultiDiGraph that builds hold, and
    `graph.compact.SavedGraph`, the saved build read lazily from SQLite. Node ids sort the same in both,
    and every list of nodes is in id order, so an answer does not depend on which one holds the catalog.
    """

    fingerprint: str = ""
    warnings: list[str]
    _tree: dict[str, list[str]] | None = None  # task id -> its narrower tasks, built on first use
    _results: dict | None = None  # model id -> its results, built on first use

    # --- storage primitives ----------------------------------------------------------------------

    def __contains__(self, node_id: str) -> bool:
        raise NotImplementedError

    def node(self, node_id: str) -> Node:
        raise NotImplementedError

    def nodes(self, kind: NodeKind | None = None) -> list[Node]:
        """Nodes, optionally of one kind, by id."""
        raise NotImplementedError

    def node_ids(self, kind: NodeKind | None = None) -> list[str]:
        """Node ids, optionally of one kind, sorted."""
        raise NotImplementedError

    def edges(self, relation: Relation | None = None) -> Iterator[Edge]:
        raise NotImplementedError

    def linked(self, node_id: str, relation: Relation, outgoing: bool = True) -> list[str]:
        """The ids `node_id` points to through `relation` (or, not `outgoing`, that point to it), sorted."""
        raise NotImplementedError

    def neighbours(self, node_id: str) -> list[str]:
        """Every node one edge away, either direction, any relation, sorted."""
        raise NotImplementedError

    def relations(self, source: str, target: str) -> list[str]:
        """The relations of the edges from `source` to `target`, sorted."""
        raise NotImplementedError

    def degree(self, node_id: str) -> int:
        """The number of edges at a node, both directions."""
        raise NotImplementedError

    def edge_arrays(self) -> dict[Relation, tuple[np.ndarray, np.ndarray]]:
        """Per relation, its edges as two arrays of positions in `node_ids()`: sources and targets."""
        raise NotImplementedError

    def names(self, kind: NodeKind) -> list[tuple[str, str]]:
        """(id, name) of every node of a kind, by id."""
        return [(n.id, n.name) for n in self.nodes(kind)]

    def keyed(self, kind: NodeKind, key: str) -> list[str]:
        """The ids of a kind whose name or an alias has this `ids.name_key` (`maskrcnn` for "Mask R-CNN"), sorted."""
        return [n.id for n in self.nodes(kind) if key in {name_key(s) for s in (n.name, *getattr(n, "aliases", ()))}]

    # --- look-ups built on them ------------------------------------------------------------------

    def has_edge(self, source: str, target: str, relation: Relation | str) -> bool:
        return str(relation) in self.relations(source, target)

    def targets(self, node_id: str, relation: Relation) -> list[Node]:
        """Nodes that `node_id` points to through `relation`, by id: the same order however the graph was built."""
        return [self.node(t) for t in self.linked(node_id, relation)]

    def origins(self, node_id: str, relation: Relation) -> list[Node]:
        """Nodes that point to `node_id` through `relation`, by id."""
        return [self.node(s) for s in self.linked(node_id, relation, outgoing=False)]

    def counts(self) -> dict[str, Counter]:
        """Nodes by kind, edges by relation, the number of documents that asserted them, models by the
        source that states them (a model two sources state counts in both), and how much of the catalog
        is covered: tasks with models, models with a paper or a link, models that perform no task."""
        nodes = self.nodes()
        edges = list(self.edges())
        sources = {s for n in nodes for s in n.sources} | {s for e in edges for s in e.sources}
        models = [n for n in nodes if n.kind == NodeKind.MODEL]
        relations: dict[str, set] = {m.id: set() for m in models}
        for e in edges:
            if e.source in relations:
                relations[e.source].add(e.relation)
        performed = {e.target for e in edges if e.relation == Relation.PERFORMS}
        return {
            "nodes": Counter(str(n.kind) for n in nodes),
            "edges": Counter(str(e.relation) for e in edges),
            "sources": Counter({"documents": len(sources)}),
            "models by source": Counter(group for m in models for group in {source_group(s) for s in m.sources}),
            "coverage": Counter({
                "tasks": sum(1 for n in nodes if n.kind == NodeKind.TASK),
                "tasks with models": len(performed),
                "models with a paper or link": sum(1 for r in relations.values() if r & {Relation.DESCRIBED_IN, Relation.IMPLEMENTED_BY}),
                "models without a task": sum(1 for r in relations.values() if Relation.PERFORMS not in r),
            }),
        }

    # --- tasks -----------------------------------------------------------------------------------

    def broader_tasks(self, task_id: str) -> list[Task]:
        """The chain of broader tasks above a task, nearest first."""
        chain, seen, current = [], {task_id}, task_id
        while True:
            up = [t for t in self.targets(current, Relation.NARROWER_THAN) if t.id not in seen]
            if not up:
                return chain
            chain.append(up[0])
            seen.add(up[0].id)
            current = up[0].id

    def narrower_tasks(self, task_id: str) -> list[Task]:
        """Every task below a task, at any depth."""
        if self._tree is None:
            tree: dict[str, list[str]] = {}
            for edge in self.edges(Relation.NARROWER_THAN):
                tree.setdefault(edge.target, []).append(edge.source)
            self._tree = tree
        below, todo = set(), [task_id]
        while todo:
            for child in self._tree.get(todo.pop(), ()):
                if child not in below and child != task_id:
                    below.add(child)
                    todo.append(child)
        return [self.node(t) for t in sorted(below)]

    def results_of(self, model_id: str) -> tuple[tuple[str, str, float], ...]:
        """A model's benchmark results as (dataset id, metric as written, value), from its `evaluated_on` edges."""
        if self._results is None:
            table: dict[str, list] = {}
            for edge in self.edges(Relation.EVALUATED_ON):
                table.setdefault(edge.source, []).extend((edge.target, name, value) for row in edge.results for name, value in row)
            self._results = {m: tuple(sorted(rows, key=lambda r: r[0])) for m, rows in table.items()}  # by dataset id, as saved builds read them
        return self._results.get(model_id, ())

    def tasks_of_model(self, model_id: str) -> list[Task]:
        return self.targets(model_id, Relation.PERFORMS)

    # --- models and their papers -----------------------------------------------------------------

    def find_model(self, name: str) -> Model:
        """The model whose id or name is `name`, or the only one whose name contains it (any case)."""
        return self.find(NodeKind.MODEL, name)

    def find(self, kind: NodeKind, name: str) -> Node:
        """The node of a kind whose id or name is `name` (also `kind:name`), or the only one whose name contains it."""
        wanted = " ".join(name.split())
        pairs = self.names(kind)
        word = str(kind)
        if not wanted:
            raise UnknownNodeError(name, f"empty {word} name", [], word)
        for node_id, node_name in pairs:
            if wanted in (node_id, node_name, f"{word}:{node_name}") or wanted.lower() == node_name.lower() or f"{word}:{wanted}" == node_id:
                return self.node(node_id)
        partial = [(i, n) for i, n in pairs if wanted.lower() in n.lower()]
        if len(partial) == 1:
            return self.node(partial[0][0])
        if partial:
            raise UnknownNodeError(name, f"matches {len(partial)} {word}s", [n for _, n in partial[:8]], word)
        names = [n for _, n in pairs]
        close = difflib.get_close_matches(wanted, names, n=5, cutoff=0.5)
        close += [n for n in difflib.get_close_matches(wanted.lower(), [n.lower() for n in names], n=5, cutoff=0.5) if n not in close]
        by_lower = {n.lower(): n for n in names}
        suggestions = list(dict.fromkeys(by_lower.get(n, n) for n in close))[:5]
        raise UnknownNodeError(name, f"no such {word} in the catalog", suggestions, word)

    def papers_for_model(self, model_id: str) -> list[RelatedPaper]:
        """Papers related to a model: its own paper, papers cited beside it, then papers on its task."""

        def reasons() -> Iterator[tuple[Node, str]]:
            for paper in self.targets(model_id, Relation.DESCRIBED_IN):
                yield paper, "describes the model"
            for question in self.origins(model_id, Relation.RECOMMENDS):
                for paper in self.targets(question.id, Relation.RELATED_TO):
                    yield paper, f"related paper where the model was recommended ({', '.join(question.sources)})"
            for task in self.tasks_of_model(model_id):
                for paper in self.origins(task.id, Relation.ADDRESSES):
                    yield paper, f"addresses the model's task, {task.name}"

        return related_papers(reasons())

    def code_of(self, node_id: str) -> list[Node]:
        return self.targets(node_id, Relation.IMPLEMENTED_BY)


def related_papers(reasons: Iterable[tuple[Node, str]]) -> list[RelatedPaper]:
    """Papers from (node, reason) pairs, in the order first given, each reason once; nodes that are not papers are left out."""
    found: dict[str, tuple[Node, list[str]]] = {}
    for paper, reason in reasons:
        if paper.kind == NodeKind.PAPER:
            why = found.setdefault(paper.id, (paper, []))[1]
            if reason not in why:
                why.append(reason)
    return [RelatedPaper(paper, tuple(why)) for paper, why in found.values()]

