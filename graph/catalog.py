"""The catalog graph: typed nodes and edges in a networkx MultiDiGraph, with the look-ups the stages need."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import networkx as nx

from modelatlas.graph.errors import UnknownNodeError
from modelatlas.graph.types import Edge, Model, Node, NodeKind, Paper, Relation, Task


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


@dataclass
class CatalogGraph:
    """All nodes and edges of a catalog; node attribute `node` holds the dataclass, edge key the relation."""

    graph: nx.MultiDiGraph = field(default_factory=nx.MultiDiGraph)
    fingerprint: str = ""
    warnings: list[str] = field(default_factory=list)
    _tree: nx.DiGraph | None = field(default=None, init=False, repr=False)  # task tree, built on first use
    _results: dict | None = field(default=None, init=False, repr=False)  # model id -> its results, built on first use

    def add_nodes(self, nodes: Iterable[Node]) -> None:
        self.graph.add_nodes_from((n.id, {"node": n, "kind": str(n.kind)}) for n in nodes)
        self._tree = self._results = None

    def add_edges(self, edges: Iterable[Edge]) -> None:
        self.graph.add_edges_from((e.source, e.target, str(e.relation), {"edge": e}) for e in edges)
        self._tree = self._results = None

    def __contains__(self, node_id: str) -> bool:
        return node_id in self.graph

    def node(self, node_id: str) -> Node:
        return self.graph.nodes[node_id]["node"]

    def nodes(self, kind: NodeKind | None = None) -> list[Node]:
        """Nodes, optionally of one kind, in a stable order."""
        found = (data["node"] for _, data in self.graph.nodes(data=True))
        return sorted((n for n in found if kind is None or n.kind == kind), key=lambda n: n.id)

    def edges(self, relation: Relation | None = None) -> Iterator[Edge]:
        for _, _, key, data in self.graph.edges(keys=True, data=True):
            if relation is None or key == relation:
                yield data["edge"]

    def targets(self, node_id: str, relation: Relation) -> list[Node]:
        """Nodes that `node_id` points to through `relation`, by id: the same order however the graph was built."""
        return [self.node(t) for t in sorted(t for _, t, key in self.graph.out_edges(node_id, keys=True) if key == relation)]

    def origins(self, node_id: str, relation: Relation) -> list[Node]:
        """Nodes that point to `node_id` through `relation`, by id."""
        return [self.node(s) for s in sorted(s for s, _, key in self.graph.in_edges(node_id, keys=True) if key == relation)]

    def counts(self) -> dict[str, Counter]:
        """Nodes by kind, edges by relation, the number of documents that asserted them, models by the
        source that states them (a model two sources state counts in both), and how much of the catalog
        is covered: tasks with models, models with a paper or a link, models that perform no task."""
        nodes = self.nodes()
        sources = {s for n in nodes for s in n.sources} | {s for e in self.edges() for s in e.sources}
        models = [n for n in nodes if n.kind == NodeKind.MODEL]
        relations = {m.id: {key for _, _, key in self.graph.out_edges(m.id, keys=True)} for m in models}
        performed = {t for _, t, key in self.graph.edges(keys=True) if key == Relation.PERFORMS}
        return {
            "nodes": Counter(str(n.kind) for n in nodes),
            "edges": Counter(str(e.relation) for e in self.edges()),
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
        below = nx.ancestors(self._task_tree(), task_id) if task_id in self.graph else set()
        return [self.node(t) for t in sorted(below)]

    def _task_tree(self) -> nx.DiGraph:
        if self._tree is None:
            tree = nx.DiGraph()
            tree.add_edges_from((e.source, e.target) for e in self.edges(Relation.NARROWER_THAN))
            tree.add_nodes_from(n.id for n in self.nodes(NodeKind.TASK))
            self._tree = tree
        return self._tree

    def results_of(self, model_id: str) -> tuple[tuple[str, str, float], ...]:
        """A model's benchmark results as (dataset id, metric as written, value), from its `evaluated_on` edges."""
        if self._results is None:
            table: dict[str, list] = {}
            for edge in self.edges(Relation.EVALUATED_ON):
                table.setdefault(edge.source, []).extend((edge.target, name, value) for row in edge.results for name, value in row)
            self._results = {m: tuple(rows) for m, rows in table.items()}
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
        nodes = self.nodes(kind)
        word = str(kind)
        if not wanted:
            raise UnknownNodeError(name, f"empty {word} name", [], word)
        for node in nodes:
            if wanted in (node.id, node.name, f"{word}:{node.name}") or wanted.lower() == node.name.lower() or f"{word}:{wanted}" == node.id:
                return node
        partial = [n for n in nodes if wanted.lower() in n.name.lower()]
        if len(partial) == 1:
            return partial[0]
        if partial:
            raise UnknownNodeError(name, f"matches {len(partial)} {word}s", [n.name for n in partial[:8]], word)
        names = [n.name for n in nodes]
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
