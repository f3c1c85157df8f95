"""Data-quality checks over a built catalog: what looks wrong, reported without changing anything."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from modelatlas.graph import ids
from modelatlas.graph.catalog import CatalogGraph
from modelatlas.graph.types import NodeKind, Relation

# The range a metric's values must fall in, by the metric's name (matched case-insensitively, whole name).
METRIC_RANGES: tuple[tuple[re.Pattern, float, float], ...] = (
    (re.compile(r"^(ms-)?ssim$", re.I), 0.0, 1.0),
    (re.compile(r"^lpips$", re.I), 0.0, 1.0),
    (re.compile(r"^psnr$", re.I), 1.0, 100.0),
    (re.compile(r"^(m?iou|macc|aacc|top[ -]?[15] accuracy|accuracy|(box|mask) ap(50|75)?|pq|hmean|f1(-score)?|precision|recall)$", re.I), 0.0, 100.0),
    (re.compile(r"^(fid|kid|is)(\b.*)?$", re.I), 0.0, float("inf")),
)


@dataclass(frozen=True)
class Finding:
    """One thing that looks wrong: what kind of problem, on which node, and which documents said it."""

    check: str
    node_id: str
    message: str
    sources: tuple[str, ...]


@cache  # a few dozen metric names, each checked against every result
def metric_range(name: str) -> tuple[float, float] | None:
    for pattern, low, high in METRIC_RANGES:
        if pattern.match(name.strip()):
            return low, high
    return None


def check_catalog(catalog: CatalogGraph) -> list[Finding]:
    """Every finding, grouped by check, in a stable order."""
    findings: list[Finding] = []
    for model in catalog.nodes(NodeKind.MODEL):
        if not catalog.tasks_of_model(model.id):
            findings.append(Finding("model-without-task", model.id, f"model {model.name} performs no known task", model.sources))
        for doubt in model.doubts:  # set by its parser or the build; answers leave these figures out of their decisions
            findings.append(Finding("doubtful-figure", model.id, f"model {model.name}: {doubt}", model.sources))
    for paper in catalog.nodes(NodeKind.PAPER):
        if not paper.url and not paper.arxiv_id and not paper.doi:
            findings.append(Finding("paper-without-link", paper.id, f"paper {paper.name!r} has no link", paper.sources))
        elif paper.url and ids.github_repo_url(paper.url):
            findings.append(Finding("paper-link-is-code", paper.id, f"paper {paper.name!r} links to a code repository, {paper.url}", paper.sources))
    for kind in (NodeKind.MODEL, NodeKind.DATASET, NodeKind.TASK):
        by_key: dict[str, list] = defaultdict(list)
        for node in catalog.nodes(kind):
            by_key[ids.title_key(node.name)].append(node)
        for same in by_key.values():
            if len(same) > 1:
                names = ", ".join(repr(n.name) for n in same)
                findings.append(Finding("duplicate-name", same[0].id, f"{kind}s with one name in several spellings: {names}", same[0].sources))
    for edge in catalog.edges(Relation.EVALUATED_ON):
        for row in edge.results:
            for name, value in row:
                bounds = metric_range(name)
                if bounds and not bounds[0] <= value <= bounds[1]:
                    dataset = catalog.node(edge.target).name
                    message = f"model {catalog.node(edge.source).name}: {name} {value:g} on {dataset} is outside [{bounds[0]:g}, {bounds[1]:g}]"
                    findings.append(Finding("metric-out-of-range", edge.source, message, edge.sources))
    return findings
