"""Recommend by merit: when a question asks for the best, fastest or smallest, or states a bound, the
models of its task come from the task's leaderboard (query/leaderboard.py) instead of from walk mass.

A question that names a method ranks that method's checkpoints; one that names a dataset ranks on it.
With no results to rank by, the walk's models are kept, less those that break a stated constraint.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from modelatlas.graph.catalog import CatalogGraph
from modelatlas.graph.facts import metric_matches
from modelatlas.graph.methods import method_of
from modelatlas.graph.types import Relation
from modelatlas.query.intent import Intent
from modelatlas.query.leaderboard import Entry, Excluded, Leaderboard, breaks_any, build_leaderboard, task_models


@dataclass(frozen=True)
class MeritPick:
    """A model chosen on merit: its id, its score relative to the first, and the fact that ranked it."""

    model_id: str
    score: float
    value: float | None = None  # the metric's value on the leaderboard's dataset


@dataclass(frozen=True)
class Merit:
    """The merit ranking of a question: its leaderboard (None without results), the picks and what was left out."""

    leaderboard: Leaderboard | None
    picks: tuple[MeritPick, ...]
    left_out: tuple[Excluded, ...]  # what a constraint left out, nearest first: shown when nothing is left


def rank_by_merit(
    catalog: CatalogGraph, intent: Intent, task_id: str, named_models: set[str], datasets: tuple[str, ...],
    walk_ranked: tuple[str, ...], limit: int,
) -> Merit:
    """The models to recommend for a merit question about a task (see the module's docstring); `named_models`
    are the checkpoints of the methods the question names, those of the method's own paper alone if it has any."""
    task = catalog.node(task_id)
    candidates = named_models or task_models(catalog, task_id)
    board = build_leaderboard(
        catalog, task, model_ids=candidates, datasets=datasets, metric=intent.metric,
        constraints=intent.constraints, objective=intent.objective or "metric",
    )
    if board is None:  # nothing to rank by: the walk's order, within the constraints
        kept, left_out = [], []
        for model_id in walk_ranked:
            model = catalog.node(model_id)
            broken = breaks_any(model, intent.constraints)
            if broken:
                left_out.append(Excluded(Entry(model, method_of(catalog, model_id), float("nan")), broken[1], kind=broken[0]))
            else:
                kept.append(MeritPick(model_id, 1.0))
        return Merit(None, tuple(kept[:limit]), tuple(left_out))
    picks = tuple(MeritPick(e.model.id, _score(board, e), e.value) for e in board.entries[:limit])
    return Merit(board, picks, () if board.entries else board.nearest())


def _score(board: Leaderboard, entry: Entry) -> float:
    """An entry's score relative to the leader, by what the board is ranked by."""
    lead = board.entries[0]
    if board.ranked_by == "metric":
        a, b = (entry.value, lead.value) if board.higher_is_better else (lead.value, entry.value)
    else:
        a, b = getattr(lead.model, board.ranked_by), getattr(entry.model, board.ranked_by)
    return round(a / b, 4) if b else 1.0


def task_from_results(catalog: CatalogGraph, datasets: tuple[str, ...], metric: str | None) -> str | None:
    """The task whose models report most results on the named datasets (and metric): "lowest FID on FFHQ"
    names no task, but its results are those of unconditional image generation."""
    counts: Counter = Counter()
    for edge in catalog.edges(Relation.EVALUATED_ON):
        if datasets and edge.target not in datasets:
            continue
        if metric and not any(metric_matches(metric, name) for row in edge.results for name, _ in row):
            continue
        for task in catalog.tasks_of_model(edge.source):
            counts[task.id] += 1
    if not counts:
        return None
    return min(counts, key=lambda t: (-counts[t], t))


def break_ties_by_results(catalog: CatalogGraph, task_id: str, ranked: tuple[tuple[str, float], ...], tie_ratio: float) -> tuple[str, ...]:
    """(model id, walk score) best first, with the models whose score is within `tie_ratio` of the first
    reordered by their results on the task's main leaderboard: a question that says only "classify photos"
    matches every checkpoint's "X model for image classification" text about equally, and results, not
    the wording of those texts, should decide. Models with no result there keep their walk order, after."""
    if not ranked:
        return ()
    tied = [m for m, score in ranked if score >= tie_ratio * ranked[0][1]]
    if sum(bool(catalog.results_of(m)) for m in tied) < 2:  # nothing for results to decide
        return tuple(m for m, _ in ranked)
    board = build_leaderboard(catalog, catalog.node(task_id), model_ids=set(tied), by_method=False)
    by_result = [e.model.id for e in board.entries] if board else []
    order = by_result + [m for m in tied if m not in by_result]
    return tuple(order) + tuple(m for m, _ in ranked if m not in tied)


def task_reports(catalog: CatalogGraph, task_id: str, metric: str) -> bool:
    """True when a model of the task (or a narrower one) reports a result in the metric or a variant of it."""
    return any(metric_matches(metric, name) for m in task_models(catalog, task_id) for _, name, _ in catalog.results_of(m))

