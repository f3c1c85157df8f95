"""What a document adds to a catalog: new nodes by kind, new edges, and known nodes it tells more about."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from modelatlas.graph.catalog import CatalogGraph
from modelatlas.graph.types import Records


@dataclass
class Additions:
    """New nodes by kind, new edges, and nodes already known whose description, links or aliases grew."""

    nodes: Counter = field(default_factory=Counter)
    edges: int = 0
    enriched: int = 0

    def __bool__(self) -> bool:
        return bool(sum(self.nodes.values()) or self.edges or self.enriched)

    def describe(self) -> str:
        """`2 models, 1 paper, 5 edges`, `no new nodes; 3 nodes told more about`."""
        parts = [f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in sorted(self.nodes.items())]
        if self.edges:
            parts.append(f"{self.edges} edge{'s' if self.edges != 1 else ''}")
        if self.enriched:
            parts.append(f"{self.enriched} known node{'s' if self.enriched != 1 else ''} told more about")
        return ", ".join(parts) or "nothing"


def additions(records: Records, before: CatalogGraph, after: CatalogGraph) -> Additions:
    """What `records` bring to `after` that `before` lacks; provenance alone (one more source) counts for nothing."""
    found = Additions()
    for node_id in dict.fromkeys(n.id for n in records.nodes):
        if node_id not in after:
            continue  # merged into another node by the build (a paper known by its title)
        if node_id not in before:
            found.nodes[str(after.node(node_id).kind)] += 1
        elif replace(after.node(node_id), sources=()) != replace(before.node(node_id), sources=()):
            found.enriched += 1
    for edge in {(e.source, e.target, str(e.relation)) for e in records.edges}:
        if after.has_edge(*edge) and not before.has_edge(*edge):
            found.edges += 1
    return found


def why_empty(records: Records) -> str:
    """The reason a document that yields nothing is refused, with the first thing its parser skipped."""
    skipped = f" (first skipped: {records.warnings[0].split(': ', 1)[-1]})" if records.warnings else ""
    return f"holds no task, model, paper, dataset or link ModelAtlas can use{skipped}; nothing was added"
