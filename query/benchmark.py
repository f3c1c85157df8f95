"""Benchmark questions ("which super-resolution model scores best on Set5?"): read the results on the graph's edges."""

from __future__ import annotations

import re
from dataclasses import dataclass

from modelatlas.graph.catalog import CatalogGraph
from modelatlas.graph.types import Dataset, NodeKind, Relation

# Metrics where a lower value is better; every other metric is read as higher-is-better.
LOWER_IS_BETTER = re.compile(r"^(fid|kid|lpips|niqe|error|top-?[15] error|mse|rmse|cer|wer)\b", re.IGNORECASE)


@dataclass(frozen=True)
class BenchmarkRow:
    """A model's best reported value of a metric on a dataset."""

    model_id: str
    value: float


@dataclass(frozen=True)
class Benchmark:
    """The models of the asked-about tasks ranked by one metric on one dataset the question names."""

    dataset_id: str
    dataset_name: str
    metric: str
    higher_is_better: bool
    rows: tuple[BenchmarkRow, ...]


def datasets_named(question: str, catalog: CatalogGraph) -> list[Dataset]:
    """Datasets whose name or alias appears in the question as a word, longest names first."""
    text = question.casefold()
    found = []
    for dataset in catalog.nodes(NodeKind.DATASET):
        for name in (dataset.name, *dataset.aliases):
            if len(name) >= 3 and re.search(rf"(?<![\w-]){re.escape(name.casefold())}(?![\w-])", text):
                found.append((len(name), dataset))
                break
    return [d for _, d in sorted(found, key=lambda pair: -pair[0])]


def benchmark_for(question: str, catalog: CatalogGraph, model_ids: set[str]) -> Benchmark | None:
    """The leaderboard of `model_ids` on the first dataset the question names that any of them was evaluated on."""
    for dataset in datasets_named(question, catalog):
        results = [
            (edge.source, row)
            for _, _, key, edge in catalog.graph.in_edges(dataset.id, keys=True, data="edge")
            if key == Relation.EVALUATED_ON and edge.source in model_ids
            for row in edge.results
            if row
        ]
        if not results:
            continue
        metric = _most_reported_metric(results)
        higher = not LOWER_IS_BETTER.match(metric)
        best: dict[str, float] = {}
        for model_id, row in results:
            for name, value in row:
                if name == metric and (model_id not in best or (value > best[model_id]) == higher):
                    best[model_id] = value
        rows = sorted((BenchmarkRow(m, v) for m, v in best.items()), key=lambda r: (-r.value if higher else r.value, r.model_id))
        return Benchmark(dataset.id, dataset.name, metric, higher, tuple(rows))
    return None


def _most_reported_metric(results: list[tuple[str, tuple]]) -> str:
    counts: dict[str, int] = {}
    for _, row in results:
        for name, _ in row:
            counts[name] = counts.get(name, 0) + 1
    first_seen = {name: i for i, name in enumerate(n for _, row in results for n, _ in row)}
    return max(counts, key=lambda name: (counts[name], -first_seen[name]))
