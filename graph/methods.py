"""Methods and their checkpoints: what a name designates for `papers`, and the papers related to a method.

People think in methods ("SwinIR", "Mask R-CNN"), catalogs list checkpoints (`swinir_x2s48w8d6e180_…`).
A name is looked up among both: a method's exact name (any spelling of its letters and digits) first,
then a model's; a part of a name that only checkpoints of one method share designates that method; a
part shared by several methods is an AmbiguousNameError that holds the candidates grouped by method.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator

from modelatlas.graph.catalog import CatalogGraph, RelatedPaper, related_papers
from modelatlas.graph.errors import AmbiguousNameError, UnknownNodeError
from modelatlas.graph.ids import name_key
from modelatlas.graph.types import Method, Model, Node, NodeKind, Relation


def checkpoints_of(catalog: CatalogGraph, method_id: str) -> list[Model]:
    """The models that are checkpoints of a method, by id."""
    return catalog.origins(method_id, Relation.VARIANT_OF)


def method_of(catalog: CatalogGraph, model_id: str) -> Method | None:
    """The method a model is a checkpoint of, if the catalog says."""
    methods = catalog.targets(model_id, Relation.VARIANT_OF)
    return methods[0] if methods else None


def tasks_of_method(catalog: CatalogGraph, method_id: str) -> list[Node]:
    """The tasks a method's checkpoints perform, the most performed first."""
    counts = Counter(t.id for m in checkpoints_of(catalog, method_id) for t in catalog.tasks_of_model(m.id))
    return [catalog.node(t) for t, _ in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))]


def find_subject(catalog: CatalogGraph, name: str) -> Method | Model:
    """The method or model a name designates (see the module's docstring), or UnknownNodeError."""
    wanted = " ".join(name.split())
    if not wanted:
        raise UnknownNodeError(name, "empty model or method name", [], "model")
    key = name_key(wanted)
    methods, models = catalog.names(NodeKind.METHOD), catalog.names(NodeKind.MODEL)
    for kind, pairs in ((NodeKind.METHOD, methods), (NodeKind.MODEL, models)):
        exact = {node_id for node_id, node_name in pairs if wanted in (node_id, node_name)}
        exact.update(catalog.keyed(kind, key) if key else ())
        if exact:
            return catalog.node(min(exact))
    lowered = wanted.lower()
    groups: dict[str, list[Model]] = {}
    for model_id, model_name in models:
        if lowered in model_name.lower():
            method = method_of(catalog, model_id)
            groups.setdefault(method.id if method else model_id, []).append(catalog.node(model_id))
    for method_id, method_name in methods:
        if lowered in method_name.lower():
            groups.setdefault(method_id, [])
    if len(groups) == 1:
        only = next(iter(groups))
        return catalog.node(only)
    if groups:
        ordered = sorted(groups.items(), key=lambda g: (-len(g[1]), g[0]))
        raise AmbiguousNameError(name, [_candidate(catalog, node_id, found) for node_id, found in ordered])
    names = [n for _, n in methods] + [n for _, n in models]
    by_lower = {n.lower(): n for n in names}
    close = difflib.get_close_matches(lowered, list(by_lower), n=5, cutoff=0.5)
    raise UnknownNodeError(name, "no such model or method in the catalog", [by_lower[c] for c in close], "model or method")


def _candidate(catalog: CatalogGraph, node_id: str, matched: list[Model]) -> dict:
    """One candidate of an ambiguous name: a method with the checkpoints whose names matched, or a model of no method."""
    node = catalog.node(node_id)
    if node.kind != NodeKind.METHOD:
        return {"id": node.id, "name": node.name, "kind": "model", "label": f"model {node.name}", "matched": [node.id]}
    total = len(checkpoints_of(catalog, node_id))
    label = f"{node.name} ({total} checkpoint{'s' if total != 1 else ''})"
    return {"id": node.id, "name": node.name, "kind": "method", "label": label, "checkpoints": total, "matched": [m.id for m in matched]}


def papers_for_method(catalog: CatalogGraph, method_id: str) -> list[RelatedPaper]:
    """Papers related to a method: its own, those describing its checkpoints, then papers on its tasks."""
    own = catalog.targets(method_id, Relation.DESCRIBED_IN)
    by_paper: dict[str, list[str]] = {}
    for model in checkpoints_of(catalog, method_id):
        for paper in catalog.targets(model.id, Relation.DESCRIBED_IN):
            by_paper.setdefault(paper.id, []).append(model.name)

    def reasons() -> Iterator[tuple[Node, str]]:
        for paper in own:
            yield paper, "describes the method"
        for paper_id, names in by_paper.items():
            if paper_id not in {p.id for p in own}:
                yield catalog.node(paper_id), f"describes {len(names)} of its checkpoints ({names[0]}{', …' if len(names) > 1 else ''})"
        for task in tasks_of_method(catalog, method_id):
            for paper in catalog.origins(task.id, Relation.ADDRESSES):
                yield paper, f"addresses the method's task, {task.name}"

    return related_papers(reasons())
