"""The graph walk behind the ranking: personalized PageRank over the catalog, computed locally by pushing.

The walk matrix (symmetric edge weights, one row per node) is built once as CSR arrays, in time
linear in the edges (and one sort). For a question, mass starts on the seed nodes and is pushed outwards
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

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np

DENSE_SHARE = 4  # a round whose active nodes hold more than 1/DENSE_SHARE of the edges pushes over all of them


@dataclass
class WalkMatrix:
    """Node ids (sorted), their positions, the symmetric weighted adjacency in CSR arrays and each node's weighted degree."""

    ids: list[str]
    position: Mapping[str, int]
    indptr: np.ndarray  # row i's neighbours are indices[indptr[i]:indptr[i + 1]], with weights data[…]
    indices: np.ndarray
    data: np.ndarray
    degree: np.ndarray

    @cached_property
    def _entry_rows(self) -> np.ndarray:
        """The row of each CSR entry, made on the first round that pushes densely."""
        return np.repeat(np.arange(len(self.ids)), np.diff(self.indptr))

    @cached_property
    def _spreading(self) -> np.ndarray:
        """The nodes with edges (the others send their mass back to the seeds)."""
        return self.degree > 0

    @cached_property
    def _unit_degree(self) -> np.ndarray:
        """Each node's weighted degree, 1 for a node of no edges: what epsilon is scaled by."""
        return np.where(self._spreading, self.degree, 1.0)

    @cached_property
    def _per_degree(self) -> np.ndarray:
        """1 / weighted degree for a node with edges, 0 for one without: a pushed residual's share per unit of edge weight."""
        per = np.zeros_like(self.degree)
        np.divide(1.0, self.degree, out=per, where=self._spreading)
        return per

    @classmethod
    def from_arrays(cls, ids: list[str], arrays: Mapping[object, tuple[np.ndarray, np.ndarray]], weights: Mapping[object, float]) -> WalkMatrix:
        """Both directions of every edge (per relation, arrays of positions in `ids`, which are sorted), each
        weighted by its relation; the weights of parallel edges (two relations between a pair) add up. Linear
        in the edges but for one sort, with no Python loop over them (numpy only: scipy's import alone costs
        a cold `ask` 0.2 s)."""
        n = len(ids)
        rows, cols, data = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)], [np.zeros(0)]
        for relation, (sources, targets) in arrays.items():
            keep = sources != targets
            a, b = sources[keep].astype(np.int64), targets[keep].astype(np.int64)
            rows += (a, b)
            cols += (b, a)
            data.append(np.full(2 * a.size, weights[relation], dtype=np.float64))
        pair = np.concatenate(rows) * n + np.concatenate(cols)
        unique, inverse = np.unique(pair, return_inverse=True)  # sorted by row, then column
        summed = np.bincount(inverse, weights=np.concatenate(data), minlength=unique.size)
        row, indices = np.divmod(unique, n) if n else (unique, unique)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(row, minlength=n), out=indptr[1:])
        degree = np.bincount(row, weights=summed, minlength=n)
        return cls(ids, _Positions(ids), indptr, indices.astype(np.int64), summed, degree)

    def personalized_pagerank(self, seeds: Mapping[str, float], damping: float, epsilon: float) -> Mapping[str, float]:
        """Each reached node's walk mass from the seeds (weights need not sum to 1), within epsilon * max(degree, 1),
        as a read-only mapping over the array of masses (no dict of every reached node is built)."""
        n = len(self.ids)
        start = np.zeros(n)
        for node_id, weight in seeds.items():
            start[self.position[node_id]] += weight
        start /= start.sum()
        seed_rows = np.flatnonzero(start)
        mass, residual = np.zeros(n), start.copy()
        threshold = epsilon * self._unit_degree
        indptr, indices, data, spread = self.indptr, self.indices, self.data, damping * self._per_degree
        slot = np.empty(n, dtype=np.int64)  # scratch for removing repeats; never read before written
        dense_above = indices.size // DENSE_SHARE
        candidates = seed_rows
        while candidates.size:
            active = candidates[residual[candidates] > threshold[candidates]]
            if not active.size:
                break
            # Candidates repeat (a node next to two pushed ones) and a node pushes once a round: keep each once.
            order = np.arange(active.size)
            slot[active] = order
            active = active[slot[active] == order]
            starts = indptr[active]
            counts = indptr[active + 1] - starts
            total = int(counts.sum())
            if total > dense_above:
                candidates = self._push_densely(active, residual, mass, damping, spread, start, seed_rows)
                continue
            pushed = residual[active]
            residual[active] = 0.0
            mass[active] += (1.0 - damping) * pushed
            # The CSR positions of every active node's neighbours, gathered without a Python loop (a node
            # of no edges has none).
            ends = np.cumsum(counts)
            at = np.repeat(starts - (ends - counts), counts) + np.arange(total)
            neighbours = indices[at]
            np.add.at(residual, neighbours, np.repeat(pushed * spread[active], counts) * data[at])
            lost = pushed[counts == 0]
            if lost.size:  # nodes of no edges send their mass back to the seeds
                residual[seed_rows] += damping * lost.sum() * start[seed_rows]
                neighbours = np.concatenate([neighbours, seed_rows])
            candidates = neighbours
        return WalkMass(self.ids, self.position, mass)

    def _push_densely(self, active, residual, mass, damping, spread, start, seed_rows) -> np.ndarray:
        """The same round for a large active set, over every edge at once: cheaper than gathering the active
        nodes' neighbours once they hold a good share of the edges. The nodes whose residual grew."""
        pushed = np.zeros_like(residual)
        pushed[active] = residual[active]
        residual[active] = 0.0
        mass += (1.0 - damping) * pushed
        spreading = self._spreading
        share = pushed * spread
        residual += np.bincount(self.indices, weights=self.data * share[self._entry_rows], minlength=residual.size)
        lost = pushed[~spreading].sum()
        if lost:
            residual[seed_rows] += damping * lost * start[seed_rows]
        return np.flatnonzero(residual)


class WalkMass(Mapping):
    """The walk's mass by node id, read from the array of masses; the nodes the walk reached are its keys."""

    def __init__(self, ids: list[str], position: Mapping[str, int], mass: np.ndarray):
        self._ids, self._position, self._mass = ids, position, mass

    @property
    def array(self) -> np.ndarray:
        """The mass of every node, in the order of the walk's ids (read-only; `values()` is the Mapping's)."""
        view = self._mass.view()
        view.flags.writeable = False
        return view

    def __getitem__(self, node_id: str) -> float:
        value = self._mass[self._position[node_id]]
        if not value:
            raise KeyError(node_id)
        return float(value)

    def get(self, node_id: str, default=None):
        """As Mapping.get, without raising and catching a KeyError for each node the walk did not reach."""
        at = self._position.get(node_id)
        value = self._mass[at] if at is not None else 0.0
        return float(value) if value else default

    def __iter__(self):
        return (self._ids[i] for i in np.flatnonzero(self._mass))

    def __len__(self) -> int:
        return int(np.count_nonzero(self._mass))


class _Positions(Mapping):
    """The position of an id in a sorted list of ids, by bisection: no dict of a million entries to build."""

    def __init__(self, ids: list[str]):
        self._ids = ids

    def __getitem__(self, node_id: str) -> int:
        at = self.get(node_id)
        if at is None:
            raise KeyError(node_id)
        return at

    def get(self, node_id: str, default=None):
        at = bisect_left(self._ids, node_id)
        return at if at < len(self._ids) and self._ids[at] == node_id else default

    def __iter__(self):
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)
