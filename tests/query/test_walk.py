"""The local walk: within its stated error of networkx's exact personalized PageRank, and the same answers."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from modelatlas.query.evaluation import load_cases
from modelatlas.query.rank import Ranker
from modelatlas.query.walk import WalkMass
from tests.conftest import REPO


def exact(ranker: Ranker, seeds: dict[str, float]) -> dict[str, float]:
    """networkx's personalized PageRank over the walk graph, converged far past the push's tolerance."""
    return nx.pagerank(ranker.walk_graph, alpha=ranker.settings.damping, personalization=seeds, weight="weight", tol=1e-13, max_iter=10_000)


def exact_mass(ranker: Ranker, seeds: dict[str, float]) -> WalkMass:
    """The exact walk's mass in the form the push returns it, for ranking with."""
    truth = exact(ranker, seeds)
    return WalkMass(ranker.walk.ids, ranker.walk.position, np.array([truth.get(node_id, 0.0) for node_id in ranker.walk.ids]))


@pytest.mark.parametrize("seeds", [
    {"model:SISR-Any-LIIF-RDN": 1.0},
    {"task:image-deblurring": 2.0, "paper:arxiv:2111.09881": 0.5, "question:0": 0.0},
    {"task:depth-estimation": 1.0, "task:semantic-segmentation": 1.0},
])
def test_push_is_within_its_error_bound_of_the_exact_walk(atlas, seeds):
    ranker = atlas.ranker
    seeds = {k: v for k, v in seeds.items() if k in atlas.catalog and v > 0}
    epsilon = ranker.walk_epsilon
    assert epsilon == ranker.settings.walk_epsilon  # the default catalog is below the reference size
    approximate = ranker.walk.personalized_pagerank(seeds, ranker.settings.damping, epsilon)
    truth = exact(ranker, seeds)
    bound = {node_id: epsilon * max(degree, 1.0) for node_id, degree in zip(ranker.walk.ids, ranker.walk.degree)}
    errors = [abs(approximate.get(node_id, 0.0) - value) - bound[node_id] for node_id, value in truth.items()]
    assert max(errors) <= 1e-12
    assert len(approximate) < len(truth), "the push reaches fewer nodes than the whole graph"
    # The mass still in residuals when the push stops is under epsilon times each node's weighted degree.
    left = epsilon * sum(max(degree, 1.0) for degree in ranker.walk.degree)
    assert 1.0 - left <= sum(approximate.values()) <= 1.0 + 1e-9


def test_a_node_without_edges_sends_its_mass_back_to_the_seeds():
    from modelatlas.query.walk import WalkMatrix

    walk = WalkMatrix.from_arrays(["a", "b", "lonely"], {"r": (np.array([0]), np.array([1]))}, {"r": 1.0})
    mass = walk.personalized_pagerank({"lonely": 1.0, "a": 1.0}, 0.75, 1e-10)
    graph = nx.Graph()
    graph.add_nodes_from(["a", "b", "lonely"])
    graph.add_edge("a", "b", weight=1.0)
    truth = nx.pagerank(graph, alpha=0.75, personalization={"lonely": 1.0, "a": 1.0}, tol=1e-14, max_iter=10_000)
    assert np.allclose([mass[k] for k in "a b lonely".split()], [truth[k] for k in "a b lonely".split()], atol=1e-8)


def test_the_same_top_three_as_the_exact_walk_on_every_dev_question(atlas, monkeypatch):
    cases = load_cases(REPO / "data" / "eval" / "tune.jsonl")
    ranker = atlas.ranker
    vectors = atlas.embedder.encode([c.question for c in cases])
    approximate = [ranker.rank(c.question, v) for c, v in zip(cases, vectors)]
    monkeypatch.setattr(ranker.walk, "personalized_pagerank", lambda seeds, damping, epsilon: exact_mass(ranker, seeds))
    for case, vector, fast in zip(cases, vectors, approximate):
        slow = ranker.rank(case.question, vector)
        for kind in ("tasks", "models", "papers"):
            assert [s.node_id for s in getattr(fast, kind)][:3] == [s.node_id for s in getattr(slow, kind)][:3], (case.question, kind)


def test_rounds_pushed_over_every_edge_give_the_mass_of_rounds_pushed_node_by_node(atlas, monkeypatch):
    import modelatlas.query.walk as walk

    ranker = atlas.ranker
    seeds = {"task:image-deblurring": 2.0, "model:SISR-Any-LIIF-RDN": 1.0}
    masses = {}
    for share in (1, 10**12):  # every round gathers its nodes' neighbours; every round with edges pushes densely
        monkeypatch.setattr(walk, "DENSE_SHARE", share)
        masses[share] = ranker.walk.personalized_pagerank(seeds, ranker.settings.damping, ranker.walk_epsilon)
    assert masses[1].keys() == masses[10**12].keys()
    assert max(abs(masses[1][k] - masses[10**12][k]) for k in masses[1]) <= 1e-15


def test_above_the_reference_size_epsilon_grows_with_the_edges(atlas):
    import dataclasses

    ranker = atlas.ranker
    entries = ranker.walk.indices.size
    small = Ranker(ranker.catalog, ranker.index, dataclasses.replace(ranker.settings, walk_reference_edges=entries // 4), ranker.names, ranker.lexical)
    assert small.walk_epsilon == pytest.approx(ranker.settings.walk_epsilon * entries / (entries // 4))


def test_the_first_tasks_read_from_the_mass_array_are_those_of_the_mapping(atlas):
    import random

    from modelatlas.query.rank import _named_first, _top

    ranker = atlas.ranker
    tasks = sorted(ranker._task_ids)
    rng = random.Random(5)
    for seed in rng.sample(tasks, 25) + ["model:SISR-Any-LIIF-RDN"]:
        mass = ranker.walk.personalized_pagerank({seed: 1.0}, ranker.settings.damping, ranker.walk_epsilon)
        for named in (set(), {seed} & set(tasks), set(rng.sample(tasks, 3))):
            preferred = set(list(named)[:1])
            for limit in (1, 3, 10):
                expected = _named_first(_top(dict(mass.items()), ranker._task_ids, len(tasks)), named, preferred)[:limit]
                assert ranker._first_tasks(mass, named, preferred, limit) == expected, (seed, named, limit)
