"""Leaderboards: the checkpoints of a task ranked by one metric on one dataset, within stated constraints.

One path serves `modelatlas leaderboard`, the leaderboard page and the answers to questions such as "the
most accurate ImageNet classifier under 5M parameters". The results are those on the graph's
`evaluated_on` edges; the sizes, speeds and licences those the checkpoints state (graph/facts.py).

- The metric is the one asked for, else the task's own main metric (curated `metrics`), else the one
  most reported; the dataset the one asked for, else the one with most checkpoints reporting the metric.
- A value outside the metric's possible range (graph/checks.py) is set aside, and a stated fact that its
  own document contradicts (`Model.doubts`) is left out of every decision, each with the reason.
- A constraint is never violated: a checkpoint that breaks it, or does not state what it bounds, is
  left out, and the nearest of those are kept to be shown when nothing satisfies it.
- By method (the default) each method appears once, with its checkpoint that ranks best.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from modelatlas.graph.catalog import CatalogGraph
from modelatlas.graph.checks import metric_range
from modelatlas.graph.ids import name_key as _key
from modelatlas.graph.facts import QUANTITIES, allows_commercial_use, format_quantity, higher_is_better, metric_key, metric_matches
from modelatlas.graph.methods import method_of
from modelatlas.graph.types import Method, Model, NodeKind, Relation, Task

OBJECTIVES = ("metric", "size", "speed")
# What "smallest" and "fastest" are measured by, first stated quantity first.
_OBJECTIVE_QUANTITIES = {"size": ("parameters", "flops", "training_memory_gb"), "speed": ("inference_ms", "flops")}
LICENCE = "license"


@dataclass(frozen=True)
class Constraint:
    """A bound a recommendation must keep: a quantity at most `limit`, or a licence that allows commercial use."""

    quantity: str  # a key of graph.facts.QUANTITIES, or LICENCE
    limit: float | None = None
    said: str = ""  # the words of the question it was read from

    @property
    def text(self) -> str:
        if self.quantity == LICENCE:
            return "a licence that allows commercial use"
        return f"at most {format_quantity(self.quantity, self.limit)}"

    def breaks(self, model: Model) -> tuple[str, str] | None:
        """(kind, reason) when a checkpoint does not keep this constraint, else None; kinds: unstated, doubtful, over."""
        if self.quantity == LICENCE:
            allowed = allows_commercial_use(model.license)
            if allowed is None:
                return "unstated", "states no licence"
            return None if allowed else ("over", f"its licence, {model.license}, is not known to allow commercial use")
        label = QUANTITIES[self.quantity].label
        doubt = _doubt(model, self.quantity)
        if doubt:
            return "doubtful", f"its stated {label} are doubtful ({doubt})"
        value = getattr(model, self.quantity)
        if value is None:
            return "unstated", f"states no {label}"
        return None if value <= self.limit else ("over", f"{format_quantity(self.quantity, value)}, over {format_quantity(self.quantity, self.limit)}")


@dataclass(frozen=True)
class Entry:
    """A checkpoint on a leaderboard: its value of the metric, and the method it is a checkpoint of."""

    model: Model
    method: Method | None
    value: float


@dataclass(frozen=True)
class Excluded:
    """A checkpoint left off a leaderboard, with the reason; `excess` orders the nearest misses first."""

    entry: Entry
    reason: str
    excess: float = float("inf")
    kind: str = "over"  # "unstated" (does not state what is bounded), "doubtful" (its document contradicts it) or "over"


@dataclass(frozen=True)
class Leaderboard:
    """The ranked checkpoints of a task on one dataset and metric, and those the constraints left out."""

    task: Task
    dataset_id: str
    dataset_name: str
    metric: str  # as the documents write it ("Top 1 Accuracy")
    higher_is_better: bool
    objective: str  # "metric", "size" or "speed"
    ranked_by: str  # the metric, or the quantity "size"/"speed" was measured by
    constraints: tuple[Constraint, ...]
    entries: tuple[Entry, ...]
    excluded: tuple[Excluded, ...]
    by_method: bool = True
    set_aside: tuple[Excluded, ...] = ()  # values outside their metric's range (a swapped PSNR/SSIM pair), never ranked

    def nearest(self, n: int = 3) -> tuple[Excluded, ...]:
        """The left-out checkpoints nearest to keeping the constraints, for an answer that has none to offer."""
        return tuple(sorted((e for e in self.excluded if e.excess < float("inf")), key=lambda e: (e.excess, e.entry.model.id)))[:n]


def find_task(catalog: CatalogGraph, name: str) -> Task:
    """The task a name designates: its id, name or an alias (any case and punctuation), else a unique part of a name."""
    key = _key(name)
    for task in catalog.nodes(NodeKind.TASK):
        if key and key in {_key(task.id.removeprefix("task:")), _key(task.name), *(_key(a) for a in task.aliases)}:
            return task
    return catalog.find(NodeKind.TASK, name)


def task_models(catalog: CatalogGraph, task_id: str) -> set[str]:
    """The models that perform a task or a narrower one."""
    family = {task_id} | {t.id for t in catalog.narrower_tasks(task_id)}
    return {m.id for t in family for m in catalog.origins(t, Relation.PERFORMS)}


def results(catalog: CatalogGraph, model_ids: set[str], impossible: dict | None = None) -> dict[tuple[str, str], dict[str, tuple[str, float]]]:
    """(dataset id, metric key) -> {model id: (metric as written, best value)}; a value outside the metric's
    range is left out, and put in `impossible` (same keys -> {model id: why}) when one is given."""
    table: dict[tuple[str, str], dict[str, tuple[str, float]]] = {}
    for model_id in sorted(model_ids):
        for dataset_id, name, value in catalog.results_of(model_id):
            bounds = metric_range(name)
            if bounds and not bounds[0] <= value <= bounds[1]:
                if impossible is not None:
                    why = f"its {name} of {value:g} is outside [{bounds[0]:g}, {bounds[1]:g}]"
                    impossible.setdefault((dataset_id, metric_key(name)), {})[model_id] = why
                continue
            cell = table.setdefault((dataset_id, metric_key(name)), {})
            old = cell.get(model_id)
            if old is None or (value > old[1]) == higher_is_better(name):
                cell[model_id] = (name, value)
    return table


def choose_board(task: Task, table: dict, datasets: tuple[str, ...] = (), metric: str | None = None) -> tuple[str, str] | None:
    """The (dataset id, metric key) to rank by: see the module's docstring; None when no result fits."""
    wanted = [metric_key(metric).lower()] if metric else [metric_key(m).lower() for m in task.metrics]
    candidates = [k for k in table if (not datasets or k[0] in datasets) and (not metric or metric_matches(metric, k[1]))]
    if not candidates:
        return None
    if datasets:  # the first named dataset that has results
        first = next(d for d in datasets if any(k[0] == d for k in candidates))
        candidates = [k for k in candidates if k[0] == first]

    def rank(k: tuple[str, str]) -> tuple:
        preferred = wanted.index(k[1].lower()) if k[1].lower() in wanted else len(wanted)
        return (preferred, -len(table[k]), k)

    return min(candidates, key=rank)


def build_leaderboard(
    catalog: CatalogGraph,
    task: Task,
    *,
    model_ids: set[str] | None = None,
    datasets: tuple[str, ...] = (),
    metric: str | None = None,
    constraints: tuple[Constraint, ...] = (),
    objective: str = "metric",
    by_method: bool = True,
) -> Leaderboard | None:
    """The leaderboard of a task's checkpoints (or of `model_ids`), None when none of them reports a result."""
    if objective not in OBJECTIVES:
        raise ValueError(f"objective must be one of {', '.join(OBJECTIVES)}")
    candidates = task_models(catalog, task.id) if model_ids is None else model_ids
    impossible: dict = {}
    table = results(catalog, candidates, impossible)
    chosen = choose_board(task, table, datasets, metric)
    if chosen is None:
        return None
    dataset_id, key = chosen
    cell = table[chosen]
    written = Counter(name for name, _ in cell.values()).most_common(1)[0][0]
    higher = higher_is_better(written)
    entries = []
    for model_id, (_, value) in cell.items():
        model = catalog.node(model_id)
        entries.append(Entry(model, method_of(catalog, model_id), value))
    ranked_by, kept, excluded = _rank(entries, higher, objective, constraints)
    set_aside = tuple(  # results that cannot be right: never ranked, and said
        Excluded(Entry(catalog.node(m), method_of(catalog, m), float("nan")), f"{why}: that value is set aside", kind="doubtful")
        for m, why in sorted(impossible.get(chosen, {}).items())
    )
    if by_method:
        seen: set[str] = set()
        best = []
        for entry in kept:
            group = entry.method.id if entry.method else entry.model.id
            if group not in seen:
                seen.add(group)
                best.append(entry)
        kept = best
    return Leaderboard(
        task, dataset_id, catalog.node(dataset_id).name, written, higher, objective, ranked_by, constraints,
        tuple(kept), tuple(excluded), by_method, set_aside,
    )


def _rank(entries: list[Entry], higher: bool, objective: str, constraints: tuple[Constraint, ...]) -> tuple[str, list[Entry], list[Excluded]]:
    """(what they are ranked by, the checkpoints kept best first, those left out with why)."""
    excluded = []
    kept = []
    for entry in entries:
        broken = breaks_any(entry.model, constraints)
        if broken:
            excluded.append(Excluded(entry, broken[1], _excess(entry.model, constraints), broken[0]))
        else:
            kept.append(entry)
    by_value = lambda e: (-e.value if higher else e.value, e.model.id)  # noqa: E731
    if objective == "metric":
        return "metric", sorted(kept, key=by_value), excluded
    quantities = _OBJECTIVE_QUANTITIES[objective]
    quantity = next((q for q in quantities if any(stated(e.model, q) is not None for e in kept)), None)
    if quantity is None:  # none states a size or a speed: ranked by the metric, and the answer says so
        return "metric", sorted(kept, key=by_value), excluded
    measured = []
    unbounded = Constraint(quantity, float("inf"))  # breaks only where the quantity is unstated or doubtful
    for entry in kept:
        broken = unbounded.breaks(entry.model)
        if broken:
            excluded.append(Excluded(entry, broken[1], kind=broken[0]))
        else:
            measured.append(entry)
    measured.sort(key=lambda e: (stated(e.model, quantity), by_value(e)))
    return quantity, measured, excluded


def breaks_any(model: Model, constraints: tuple[Constraint, ...]) -> tuple[str, str] | None:
    """(kind, reasons) when a checkpoint breaks some of the constraints: the first kind, every reason."""
    broken = [b for b in (c.breaks(model) for c in constraints) if b]
    return (broken[0][0], "; ".join(reason for _, reason in broken)) if broken else None


def _doubt(model: Model, quantity: str) -> str | None:
    """The doubt a checkpoint's own document casts on one of its stated quantities, if any."""
    if not model.doubts:  # nearly every checkpoint: no generator to build
        return None
    return next((d.split(": ", 1)[1] for d in model.doubts if d.startswith(f"{quantity}: ")), None)


def stated(model: Model, quantity: str) -> float | None:
    """A quantity the checkpoint states and its document does not contradict."""
    return None if _doubt(model, quantity) else getattr(model, quantity)


def _excess(model: Model, constraints: tuple[Constraint, ...]) -> float:
    """How far a checkpoint is from keeping the quantity constraints (largest ratio over the limit); inf if unknown."""
    ratios = []
    for c in constraints:
        if c.quantity == LICENCE:
            if c.breaks(model):
                return float("inf")
            continue
        value = stated(model, c.quantity)
        if value is None:
            return float("inf")
        ratios.append(value / c.limit if c.limit else float("inf"))
    return max(ratios, default=float("inf"))


def boards_of(catalog: CatalogGraph, task: Task) -> list[tuple[str, str, str, int]]:
    """The leaderboards a task has: (dataset id, dataset name, metric as written, checkpoints), the largest first."""
    table = results(catalog, task_models(catalog, task.id))
    rows = []
    for (dataset_id, _), cell in table.items():
        written = Counter(name for name, _ in cell.values()).most_common(1)[0][0]
        rows.append((dataset_id, catalog.node(dataset_id).name, written, len(cell)))
    return sorted(rows, key=lambda r: (-r[3], r[0], r[2]))

