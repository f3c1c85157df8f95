"""Ranked nodes -> an Answer: walk the graph from each ranked node to the facts the answer states.

Every sentence the answer states about a task, a model or a paper is a sentence of that node's own text
(chosen as the closest to the question) and carries the node's reference number; the sentences that tie
them together are templates over edges of the graph.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field

from modelatlas.explain.answer import (
    Answer, BenchmarkPart, BenchmarkRow, ConstraintPart, CuePart, LeftOut, Link, NamePart, PaperPart, Quote, Reference, TaskPart, WhyPart, WorkflowStep,
)
from modelatlas.explain.markdown import render_markdown
from modelatlas.graph.catalog import CatalogGraph
from modelatlas.graph.facts import format_quantity
from modelatlas.graph.methods import method_of
from modelatlas.graph.types import NodeKind, Relation, Task
from modelatlas.query.cues import detect_cues, supports
from modelatlas.query.index import SearchIndex
from modelatlas.query.leaderboard import Excluded, Leaderboard
from modelatlas.query.rank import Ranking
from modelatlas.query.why import WalkPath

TASK_SENTENCES = 2
MODEL_SENTENCES = 2
BENCHMARK_ROWS = 10


@dataclass
class _Citations:
    """Reference numbers by node, given in the order the answer first cites each node."""

    catalog: CatalogGraph
    index: SearchIndex
    ranking: Ranking
    numbers: dict[str, int] = field(default_factory=dict)

    def cite(self, node_id: str) -> int:
        return self.numbers.setdefault(node_id, len(self.numbers) + 1)

    def closest(self, node_id: str, n: int) -> tuple[Quote, ...]:
        """The node's n sentences closest to the question, in the order of its text, cited."""
        sentences = self.index.closest_sentences(node_id, self.ranking.vector, n)
        return tuple(Quote(text, self.cite(node_id)) for text, _ in sentences)

    def references(self) -> tuple[Reference, ...]:
        nodes = [(number, self.catalog.node(node_id)) for node_id, number in self.numbers.items()]
        return tuple(Reference(number, n.id, n.kind.value, n.name, getattr(n, "url", None)) for number, n in sorted(nodes, key=lambda p: p[0]))


def compose_answer(ranking: Ranking, catalog: CatalogGraph, index: SearchIndex, paths: dict[str, WalkPath] | None = None) -> Answer:
    """The answer to a ranked question, with its Markdown rendering; `paths` (from query.why) adds the why."""
    citations = _Citations(catalog, index, ranking)
    tasks = tuple(_task_part(ranking, catalog, citations, t.node_id, t.score, main=i == 0) for i, t in enumerate(ranking.tasks))
    cues = _cue_parts(ranking, catalog, citations) if ranking.confident else ()
    kept = [catalog.node(t.node_id) for t in ranking.tasks]
    workflow = tuple(_workflow_step(ranking, catalog, citations, m.node_id, m.score, kept) for m in ranking.models)
    recommended = {w.model_id for w in workflow}
    papers = tuple(_paper_part(ranking, catalog, citations, p.node_id, p.score, kept, recommended) for p in ranking.papers)
    broad = () if ranking.confident else _broad_tasks(catalog)  # named only when the answer abstains
    benchmark = _benchmark_part(ranking.leaderboard, ranking.intent.objective_said) if ranking.leaderboard else None
    constraints = tuple(ConstraintPart(c.quantity, c.limit, c.text, c.said) for c in ranking.intent.constraints)
    left_out = tuple(_left_out(x) for x in ranking.left_out)
    why = tuple(_why_part(catalog, node_id, score, paths[node_id]) for node_id, score in _recommended(workflow, papers) if paths and node_id in paths)
    names = tuple(NamePart(h.written, h.node_id, str(catalog.node(h.node_id).kind), catalog.node(h.node_id).name, h.fuzzy) for h in ranking.names)
    answer = Answer(
        ranking.question, ranking.confident, ranking.best_similarity, tasks, workflow, papers, broad, benchmark, why, cues,
        citations.references(), names, constraints, left_out,
        ranking.coverage if ranking.confident else "out_of_scope",
        tuple((t.node_id, catalog.node(t.node_id).name) for t in ranking.nearest_covered), ranking.read_as,
    )
    return dataclasses.replace(answer, markdown=render_markdown(answer))


def _benchmark_part(board: Leaderboard, said: str) -> BenchmarkPart:
    """The leaderboard an answer shows: its first rows, and the checkpoints doubtful figures left out."""
    rows = tuple(
        BenchmarkRow(e.model.id, e.model.name, e.method.name if e.method else None, e.value, e.model.parameters, e.model.flops, e.model.inference_ms)
        for e in board.entries[:BENCHMARK_ROWS]
    )
    doubtful = tuple(_left_out(x) for x in (*board.excluded, *board.set_aside) if x.kind == "doubtful")
    return BenchmarkPart(
        board.dataset_name, board.metric, board.higher_is_better, rows, board.objective, said, board.ranked_by,
        tuple(sorted(Counter(x.kind for x in board.excluded).items())), doubtful,
    )


def _left_out(excluded: Excluded) -> LeftOut:
    e = excluded.entry
    return LeftOut(e.model.id, e.model.name, e.method.name if e.method else None, excluded.reason)


def _cue_parts(ranking: Ranking, catalog: CatalogGraph, citations: _Citations) -> tuple[CuePart, ...]:
    """Each cue of the question with the sentence closest to the question, among those of the nodes the
    answer rests on (the main task, the recommended models and their own papers), that speaks to it.

    Loosely related papers are not searched: a paper cited beside a model for a question like this one
    may mention noise in another sense, and quoting it would suggest the model handles what it does not.
    A sentence naming the very scale factor asked for wins over one that speaks of scale factors in general.
    """
    nodes = [t.node_id for t in ranking.tasks[:1]] + [m.node_id for m in ranking.models]
    nodes += [p.id for m in ranking.models for p in catalog.targets(m.node_id, Relation.DESCRIBED_IN)]
    sentences = [(node_id, text, score) for node_id in dict.fromkeys(nodes) for text, score in citations.index.scored_sentences(node_id, ranking.vector)]
    parts = []
    for cue in detect_cues(ranking.question):
        found = None
        for exact in (True, False):
            candidates = [(score, node_id, text) for node_id, text, score in sentences if supports(cue, text, exact)]
            if candidates:
                _, node_id, text = max(candidates, key=lambda c: c[0])
                found = (Quote(text, citations.cite(node_id)), exact)
                break
        parts.append(CuePart(cue.said, cue.kind, cue.meaning, found[0] if found else None, bool(found and found[1])))
    return tuple(parts)


def _broad_tasks(catalog: CatalogGraph) -> tuple[str, ...]:
    """The curated tasks with no broader task: what the catalog covers, in a word each."""
    return tuple(t.name for t in catalog.nodes(NodeKind.TASK) if t.curated and not catalog.targets(t.id, Relation.NARROWER_THAN))


def _recommended(workflow: tuple[WorkflowStep, ...], papers: tuple[PaperPart, ...]) -> list[tuple[str, float]]:
    return [(w.model_id, w.score) for w in workflow] + [(p.id, p.score) for p in papers]


def _why_part(catalog: CatalogGraph, node_id: str, score: float, path: WalkPath) -> WhyPart:
    """A walk path told as edges of the graph, each in the direction the graph states it."""
    def name(node_id: str) -> str:
        text = catalog.node(node_id).name
        return text if len(text) <= 80 else text[:77].rsplit(" ", 1)[0] + "…"

    steps = []
    for u, v in zip(path.nodes, path.nodes[1:]):
        forward = catalog.relations(u, v)
        backward = catalog.relations(v, u)
        if forward:
            steps.append(f"{name(u)} \u2014{forward[0]}\u2192 {name(v)}")
        else:
            steps.append(f"{name(u)} \u2190{backward[0]}\u2014 {name(v)}")
    match = path.match
    scored = f"similarity {match.similarity:.2f}" + (f", words +{match.lexical:.2f}" if match.lexical else "")
    if match.entry.field == "question":
        matched = f"catalog question \u201c{name(match.entry.node_id)}\u201d ({scored})"
    else:
        matched = f"{match.entry.field} of {name(match.entry.node_id)}: \u201c{match.entry.text[:120]}\u201d ({scored})"
    return WhyPart(node_id, catalog.node(node_id).name, score, tuple(steps), matched)


def _task_part(ranking: Ranking, catalog: CatalogGraph, citations: _Citations, task_id: str, score: float, main: bool) -> TaskPart:
    task = catalog.node(task_id)
    quotes = citations.closest(task_id, TASK_SENTENCES) if main else ()
    match = ranking.match_for(task_id)
    matched = match.entry.text if match and match.entry.field in ("alias", "example") else None
    broader = tuple(t.name for t in catalog.broader_tasks(task_id))
    asked = [q for q in catalog.origins(task_id, Relation.ASKS_ABOUT) if q.id in ranking.seeds]
    via = min(asked, key=lambda q: ranking.seeds.index(q.id)).name if asked else None
    return TaskPart(task.id, task.name, score, task.description, broader, quotes, matched, via)


def _model_task(catalog: CatalogGraph, model_id: str, kept: list[Task]) -> Task | None:
    """The model's task that the question is about, else its first task."""
    tasks = catalog.tasks_of_model(model_id)
    for task in tasks:
        if _within(catalog, task, kept):
            return task
    return tasks[0] if tasks else None


def _link(node) -> Link:
    return Link(node.id, node.name, getattr(node, "url", None))


def _workflow_step(ranking: Ranking, catalog: CatalogGraph, citations: _Citations, model_id: str, score: float, kept: list[Task]) -> WorkflowStep:
    model = catalog.node(model_id)
    task = _model_task(catalog, model_id, kept)
    papers = catalog.targets(model_id, Relation.DESCRIBED_IN)
    code = catalog.code_of(model_id)
    how = citations.closest(model_id, MODEL_SENTENCES)
    if papers:
        how += citations.closest(papers[0].id, 1)
    datasets = tuple(d.name for d in catalog.targets(model_id, Relation.USES_DATASET))
    method = method_of(catalog, model_id)
    board = ranking.leaderboard
    value = ranking.values.get(model_id)
    stated = tuple(format_quantity(q, getattr(model, q)) for q in ("parameters", "flops", "inference_ms") if getattr(model, q) is not None)
    stated += (f"licence {model.license}",) if model.license else ()
    return WorkflowStep(
        neighbour_reason=_neighbour_reason(ranking, catalog, model_id, task, kept),
        model_id=model.id,
        model_name=model.name,
        score=score,
        task_name=task.name if task else "",
        input=task.input if task else "input",
        output=task.output if task else "output",
        how=how,
        paper=_link(papers[0]) if papers else None,
        code=_link(code[0]) if code else None,
        datasets=datasets,
        method=_link(method) if method else None,
        value=value,
        metric=board.metric if board and value is not None else None,
        dataset=board.dataset_name if board and value is not None else None,
        stated=stated,
    )


def _neighbour_reason(ranking: Ranking, catalog: CatalogGraph, model_id: str, task: Task | None, kept: list[Task]) -> str | None:
    """Why a model whose task is not among the asked-about tasks is recommended, or None if it is."""
    if task is None or _within(catalog, task, kept):
        return None
    if any(q.id in ranking.seeds for q in catalog.origins(model_id, Relation.RECOMMENDS)):
        return "a question like yours in the catalog was answered with it"
    shared = [b.name.lower() for b in catalog.broader_tasks(task.id) if any(b in catalog.broader_tasks(k.id) or b == k for k in kept)]
    return f"it shares the broader task {shared[0]}" if shared else "it is close to your question in the graph"


def _within(catalog: CatalogGraph, task: Task, kept: list[Task]) -> bool:
    """True when a task is one of the kept tasks or narrower than one of them."""
    return task in kept or any(k in catalog.broader_tasks(task.id) for k in kept)


def _paper_part(
    ranking: Ranking, catalog: CatalogGraph, citations: _Citations, paper_id: str, score: float, kept: list[Task], recommended: set[str]
) -> PaperPart:
    paper = catalog.node(paper_id)
    reasons: list[str] = []
    described = [m.name for m in catalog.origins(paper_id, Relation.DESCRIBED_IN) if m.id in recommended]
    if described:
        reasons.append(f"it describes {', '.join(described)}")
    for task in catalog.targets(paper_id, Relation.ADDRESSES):
        if _within(catalog, task, kept):
            reasons.append(f"it addresses {task.name.lower()}")
    beside = [
        m.name
        for q in catalog.origins(paper_id, Relation.RELATED_TO)
        if q.id in ranking.seeds
        for m in catalog.targets(q.id, Relation.RECOMMENDS)
    ]
    if beside:
        reasons.append(f"it was cited beside {', '.join(dict.fromkeys(beside))} for a question like yours")
    if paper_id in ranking.seeds and not reasons:
        reasons.append("its text is close to your question")
    sentence = citations.closest(paper_id, 1)
    return PaperPart(
        id=paper.id,
        title=paper.name,
        url=paper.url,
        score=score,
        code=tuple(_link(c) for c in catalog.code_of(paper_id)),
        reasons=tuple(dict.fromkeys(reasons)),
        sentence=sentence[0] if sentence else None,
        summary=paper.summary,
    )
