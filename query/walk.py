"""The graph walk behind the ranking: personalized PageRank over the catalog, computed locally by pushing.

The walk matrix (symmetric edge weights, one row per node) is built once as a scipy CSR matrix, in
time linear in the edges. For a question, mass starts on the seed nodes and is pushed outwards
(Andersen, Chung and Lang's forward push, done for all active nodes of a round at once): a node
keeps 1 - damping of its residual and passes the rest to its neighbours in proportion to the edge
weights; a node of no edges passes it back to the seeds, as networkx's pagerank does with dangling
nodes. Pushing stops when every residual is at most `epsilon` times the node's weighted degree (or
`epsilon`, for a node of no edges), and then every node's mass is within `epsilon * max(degree, 1)` of
the exact personalized PageRank (forward push's bound on an undirected graph, where the walk is
reversible: the mass still in residuals reaches v at most `degree(v) * max(residual / degree)`). Only nodes near the seeds are
touched, so the cost of a question depends on `epsilon` and the seeds' neighbourhood, not on the
catalog's size.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np


@dataclass
class WalkMatrix:
    """Node ids, their index, the symmetric weighted adjacency (CSR) and each node's weighted degree."""

    ids: list[str]
    position: dict[str, int]
    adjacency: object  # scipy.sparse.csr_array
    degree: np.ndarray

    @classmethod
    def from_edges(cls, node_ids: Iterable[str], edges: Iterable[tuple[str, str, float]]) -> WalkMatrix:
        """Both directions of every edge; the weights of parallel edges (two relations between a pair) add up."""
        from scipy import sparse

        ids = sorted(node_ids)
        position = {node_id: i for i, node_id in enumerate(ids)}
        rows, cols, weights = [], [], []
        for source, target, weight in edges:
            if source == target:
                continue
            a, b = position[source], position[target]
            rows += (a, b)
            cols += (b, a)
            weights += (weight, weight)
        adjacency = sparse.csr_array((np.asarray(weights, dtype=np.float64), (rows, cols)), shape=(len(ids), len(ids)))
        adjacency.sum_duplicates()
        return cls(ids, position, adjacency, np.asarray(adjacency.sum(axis=1)).ravel())

    def personalized_pagerank(self, seeds: Mapping[str, float], damping: float, epsilon: float) -> dict[str, float]:
        """Each reached node's walk mass from the seeds (weights need not sum to 1), within epsilon * max(degree, 1)."""
        n = len(self.ids)
        start = np.zeros(n)
        for node_id, weight in seeds.items():
            start[self.position[node_id]] += weight
        start /= start.sum()
        seed_rows = np.flatnonzero(start)
        mass, residual = np.zeros(n), start.copy()
        threshold = epsilon * np.where(self.degree > 0, self.degree, 1.0)
        indptr, indices, data = self.adjacency.indptr, self.adjacency.indices, self.adjacency.data
        slot = np.empty(n, dtype=np.int64)  # scratch for removing repeats; never read before written
        candidates = seed_rows
        while candidates.size:
            active = candidates[residual[candidates] > threshold[candidates]]
            if not active.size:
                break
            # Candidates repeat (a node next to two pushed ones) and a node pushes once a round: keep each once.
            slot[active] = np.arange(active.size)
            active = active[slot[active] == np.arange(active.size)]
            pushed = residual[active]
            residual[active] = 0.0
            mass[active] += (1.0 - damping) * pushed
            degree = self.degree[active]
            dangling = degree == 0
            spreading = active[~dangling]
            starts = indptr[spreading]
            counts = indptr[spreading + 1] - starts
            # The CSR positions of every spreading node's neighbours, gathered without a Python loop.
            at = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(counts.sum())
            neighbours, weights = indices[at], data[at]
            shares = np.repeat(damping * pushed[~dangling] / degree[~dangling], counts) * weights
            np.add.at(residual, neighbours, shares)
            touched = [neighbours]
            if dangling.any():
                residual[seed_rows] += damping * pushed[dangling].sum() * start[seed_rows]
                touched.append(seed_rows)
            candidates = np.concatenate(touched) if len(touched) > 1 else neighbours
        reached = np.flatnonzero(mass)
        return {self.ids[i]: float(mass[i]) for i in reached}
