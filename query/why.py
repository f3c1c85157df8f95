"""Why a node was recommended: the cheapest path through the walk graph from a matched node to it."""

from __future__ import annotations

from dataclasses import dataclass

from modelatlas.query.rank import Match, Ranker, Ranking


@dataclass(frozen=True)
class WalkPath:
    """The matched text a path starts from, and the node ids along it."""

    match: Match
    nodes: tuple[str, ...]


def walk_paths(ranker: Ranker, ranking: Ranking, targets: list[str]) -> dict[str, WalkPath]:
    """For each target, the path from a seeding match that best combines the match's similarity and edge weights.

    A path costs the sum of 1/weight over its edges plus (best similarity - the match's similarity) / 0.05,
    the same sharpness the seeds are weighted with, so a close match with a short strong path wins.
    """
    import networkx as nx

    temperature = ranker.settings.seed_temperature
    top = ranking.matches[0].score if ranking.matches else 0.0
    best: dict[str, tuple[float, WalkPath]] = {}
    cost = lambda u, v, data: 1.0 / max(data["weight"], 1e-6)  # noqa: E731 - networkx takes a weight function
    for seed in ranking.seeds:
        match = ranking.match_for(seed)
        if match is None:
            continue
        start = (top - match.score) / temperature
        lengths, paths = nx.single_source_dijkstra(ranker.walk_graph, seed, weight=cost, cutoff=12.0)
        for target in targets:
            if target in lengths:
                total = start + lengths[target]
                if target not in best or total < best[target][0] - 1e-9:
                    best[target] = (total, WalkPath(match, tuple(paths[target])))
    return {target: path for target, (_, path) in best.items()}
