"""The answer to a question: what the graph says, as typed parts, before it is rendered."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    """A named link to a node of the graph (a paper, a repository)."""

    node_id: str
    name: str
    url: str | None


@dataclass(frozen=True)
class Reference:
    """A node an answer quotes or names, numbered in the order the answer first cites it."""

    number: int
    node_id: str
    kind: str
    name: str
    url: str | None


@dataclass(frozen=True)
class Quote:
    """A sentence of a node's own text (a description, a summary), cited to that node's reference number."""

    text: str
    ref: int


@dataclass(frozen=True)
class NamePart:
    """A name of the catalog the question writes: the words, the node, and whether read through a typo."""

    said: str
    id: str
    kind: str
    name: str
    fuzzy: bool = False


@dataclass(frozen=True)
class CuePart:
    """A concrete cue of the question, and the graph sentence that speaks to it, if one does."""

    said: str
    kind: str
    meaning: str
    quote: Quote | None
    exact: bool = False  # True when the quote names the very scale factor of the question


@dataclass(frozen=True)
class TaskPart:
    """A task the question is about, with its description and where it sits in the task tree."""

    id: str
    name: str
    score: float
    description: str
    broader: tuple[str, ...]
    quotes: tuple[Quote, ...]  # the description's sentences closest to the question
    matched_text: str | None  # the task's own text the question came closest to, if it matched directly
    via_question: str | None  # a catalog question like this one that was about the task, if it seeded the walk


@dataclass(frozen=True)
class WorkflowStep:
    """input -> model -> output for one recommended model, with the sentences that say how it works."""

    model_id: str
    model_name: str
    score: float
    task_name: str
    input: str
    output: str
    how: tuple[Quote, ...]  # the sentences of the model's description and its paper's summary closest to the question
    paper: Link | None
    code: Link | None
    datasets: tuple[str, ...]
    neighbour_reason: str | None = None  # set when the model's task is not the one asked about: why it is listed
    method: Link | None = None  # the method the model is a checkpoint of
    value: float | None = None  # the leaderboard value that ranked it, on `dataset` by `metric`
    metric: str | None = None
    dataset: str | None = None
    stated: tuple[str, ...] = ()  # what it states of its size, speed and licence ("25.6M parameters")

    @property
    def text(self) -> str:
        return f"{self.input} -> {self.model_name} -> {self.output}"


@dataclass(frozen=True)
class PaperPart:
    """A related paper: its links, why the graph connects it, and its sentence closest to the question."""

    id: str
    title: str
    url: str | None
    score: float
    code: tuple[Link, ...]
    reasons: tuple[str, ...]
    sentence: Quote | None  # the summary's sentence closest to the question
    summary: str = ""


@dataclass(frozen=True)
class WhyPart:
    """How the walk reached a recommended node: the path of edges from a matched node, and the scores."""

    node_id: str
    name: str
    score: float
    steps: tuple[str, ...]  # "node —relation→ node" (or "node ←relation— node") from the matched node to this one
    matched: str  # the matched text that started the path, with its similarity


@dataclass(frozen=True)
class BenchmarkRow:
    """A checkpoint on the answer's leaderboard: its value and what it states of its size and speed."""

    model_id: str
    name: str
    method: str | None
    value: float
    parameters: float | None = None
    flops: float | None = None
    inference_ms: float | None = None


@dataclass(frozen=True)
class ConstraintPart:
    """A bound read in the question, as said and as applied."""

    quantity: str
    limit: float | None
    text: str  # "at most 5M parameters"
    said: str  # "under 5M parameters"


@dataclass(frozen=True)
class LeftOut:
    """A checkpoint a constraint or a doubtful figure left out, with the reason."""

    model_id: str
    name: str
    method: str | None
    reason: str


@dataclass(frozen=True)
class BenchmarkPart:
    """A leaderboard read from the graph: the task's checkpoints by one metric on one dataset, within the constraints."""

    dataset: str
    metric: str
    higher_is_better: bool
    rows: tuple[BenchmarkRow, ...]  # best first, one per method unless the question named one
    objective: str = "metric"  # "metric", "size" or "speed"
    objective_said: str = ""
    ranked_by: str = "metric"  # the metric, or the quantity size or speed was measured by
    left_out: tuple[tuple[str, int], ...] = ()  # (kind, count) of the checkpoints the constraints left out: unstated, doubtful, over
    doubtful: tuple[LeftOut, ...] = ()  # left out because a figure they state is doubtful


@dataclass(frozen=True)
class Answer:
    """Everything an answer says; every id, name and URL in it comes from a node of the graph."""

    question: str
    confident: bool
    best_similarity: float
    tasks: tuple[TaskPart, ...]
    workflow: tuple[WorkflowStep, ...]
    papers: tuple[PaperPart, ...]
    catalog_tasks: tuple[str, ...]  # the broad tasks the catalog covers, named when it abstains
    benchmark: BenchmarkPart | None = None
    why: tuple[WhyPart, ...] = ()
    cues: tuple[CuePart, ...] = ()
    references: tuple[Reference, ...] = ()
    names: tuple[NamePart, ...] = ()
    constraints: tuple[ConstraintPart, ...] = ()
    left_out: tuple[LeftOut, ...] = ()  # when no model keeps the constraints: the nearest misses
    coverage: str = "out_of_scope"  # "answered" | "task_without_models" | "out_of_scope"
    nearest_covered: tuple[tuple[str, str], ...] = ()  # (id, name) of the nearest tasks with models, for a task without any
    read_as: str = ""  # the question as read, its misspelt words mended; empty when none was
    markdown: str = ""

    def to_json(self) -> dict:
        """The `ask --json` contract."""
        return {
            "question": self.question,
            "read_as": self.read_as,
            "confident": self.confident,
            "coverage": self.coverage,
            "best_similarity": round(self.best_similarity, 4),
            "tasks": [{"id": t.id, "name": t.name, "score": t.score, "quotes": [_quote(q) for q in t.quotes]} for t in self.tasks],
            "models": [
                {
                    "id": w.model_id,
                    "name": w.model_name,
                    "method": {"id": w.method.node_id, "name": w.method.name} if w.method else None,
                    "score": w.score,
                    "paper_url": w.paper.url if w.paper else None,
                    "code_url": w.code.url if w.code else None,
                    "how": [_quote(q) for q in w.how],
                    "value": w.value,
                    "metric": w.metric,
                    "dataset": w.dataset,
                }
                for w in self.workflow
            ],
            "papers": [
                {"id": p.id, "title": p.title, "url": p.url, "score": p.score, "reasons": list(p.reasons), "quote": _quote(p.sentence) if p.sentence else None}
                for p in self.papers
            ],
            "workflow": [{"model": w.model_id, "input": w.input, "output": w.output, "text": w.text} for w in self.workflow],
            "benchmark": None if self.benchmark is None else {
                "dataset": self.benchmark.dataset,
                "metric": self.benchmark.metric,
                "higher_is_better": self.benchmark.higher_is_better,
                "objective": self.benchmark.objective,
                "ranked_by": self.benchmark.ranked_by,
                "rows": [
                    {"model": r.model_id, "name": r.name, "method": r.method, "value": r.value,
                     "parameters": r.parameters, "flops": r.flops, "inference_ms": r.inference_ms}
                    for r in self.benchmark.rows
                ],
            },
            "constraints": [{"quantity": c.quantity, "limit": c.limit, "text": c.text, "said": c.said} for c in self.constraints],
            "left_out": [{"model": x.model_id, "name": x.name, "method": x.method, "reason": x.reason} for x in self.left_out],
            "why": [{"id": w.node_id, "name": w.name, "score": w.score, "matched": w.matched, "path": list(w.steps)} for w in self.why],
            "nearest_covered_tasks": [{"id": i, "name": n} for i, n in self.nearest_covered],
            "names": [{"said": n.said, "id": n.id, "kind": n.kind, "name": n.name, "fuzzy": n.fuzzy} for n in self.names],
            "cues": [{"said": c.said, "kind": c.kind, "exact": c.exact, "quote": _quote(c.quote) if c.quote else None} for c in self.cues],
            "references": [{"number": r.number, "id": r.node_id, "kind": r.kind, "name": r.name, "url": r.url} for r in self.references],
            "answer": self.markdown,
        }


def _quote(quote: Quote) -> dict:
    return {"text": quote.text, "ref": quote.ref}
