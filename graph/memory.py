"""The catalog in memory, as a build makes it: a networkx MultiDiGraph behind the look-ups of graph/catalog.py."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from modelatlas.graph.catalog import CatalogGraph
from modelatlas.graph.types import Edge, Node, NodeKind, Relation


@dataclass
class MemoryGraph(CatalogGraph):
    """A catalog in memory, as a build makes it: node attribute `node` holds the dataclass, edge key the relation."""

    graph: nx.MultiDiGraph = field(default_factory=nx.MultiDiGraph)
    fingerprint: str = ""
    warnings: list[str] = field(default_factory=list)
    _tree: dict | None = field(default=None, init=False, repr=False)
    _results: dict | None = field(default=None, init=False, repr=False)

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
        found = (data["node"] for _, data in self.graph.nodes(data=True))
        return sorted((n for n in found if kind is None or n.kind == kind), key=lambda n: n.id)

    def node_ids(self, kind: NodeKind | None = None) -> list[str]:
        return sorted(n for n, data in self.graph.nodes(data=True) if kind is None or data["kind"] == kind)

    def edges(self, relation: Relation | None = None) -> Iterator[Edge]:
        for _, _, key, data in self.graph.edges(keys=True, data=True):
            if relation is None or key == relation:
                yield data["edge"]

    def linked(self, node_id: str, relation: Relation, outgoing: bool = True) -> list[str]:
        if outgoing:
            return sorted(t for _, t, key in self.graph.out_edges(node_id, keys=True) if key == relation)
        return sorted(s for s, _, key in self.graph.in_edges(node_id, keys=True) if key == relation)

    def neighbours(self, node_id: str) -> list[str]:
        return sorted(set(self.graph.successors(node_id)) | set(self.graph.predecessors(node_id)))

    def relations(self, source: str, target: str) -> list[str]:
        return sorted(self.graph.get_edge_data(source, target, default={}))

    def degree(self, node_id: str) -> int:
        return self.graph.degree(node_id)

    def edge_arrays(self) -> dict[Relation, tuple[np.ndarray, np.ndarray]]:
        position = {node_id: i for i, node_id in enumerate(self.node_ids())}
        pairs: dict[Relation, list[tuple[int, int]]] = {r: [] for r in Relation}
        for source, target, key in self.graph.edges(keys=True):
            pairs[Relation(key)].append((position[source], position[target]))
        arrays = {}
        for relation, found in pairs.items():
            both = np.asarray(sorted(found), dtype=np.int64).reshape(-1, 2)
            arrays[relation] = (both[:, 0].copy(), both[:, 1].copy())
        return arrays
