"""Ranked nodes -> an Answer: walk the graph from each ranked node to the facts the answer states."""

from __future__ import annotations

import dataclasses

from modelatlas.explain.answer import Answer, BenchmarkPart, Link, PaperPart, TaskPart, WhyPart, WorkflowStep
from modelatlas.explain.markdown import render_markdown
from modelatlas.graph.catalog import CatalogGraph
from modelatlas.graph.types import NodeKind, Relation, Task
from modelatlas.query.index import SearchIndex, split_sentences
from modelatlas.query.rank import Ranking
from modelatlas.query.why import WalkPath

HOW_SENTENCES = 3
BENCHMARK_ROWS = 10


def compose_answer(ranking: Ranking, catalog: CatalogGraph, index: SearchIndex, paths: dict[str, WalkPath] | None = None) -> Answer:
    """The answer to a ranked question, with its Markdown rendering; `paths` (from query.why) adds the why."""
    tasks = tuple(_task_part(ranking, catalog, t.node_id, t.score) for t in ranking.tasks)
    kept = [catalog.node(t.node_id) for t in ranking.tasks]
    workflow = tuple(_workflow_step(ranking, catalog, m.node_id, m.score, kept) for m in ranking.models)
    recommended = {w.model_id for w in workflow}
    papers = tuple(_paper_part(ranking, catalog, index, p.node_id, p.score, kept, recommended) for p in ranking.papers)
    broad = () if ranking.confident else _broad_tasks(catalog)  # named only when the answer abstains
    benchmark = None
    if ranking.benchmark:
        b = ranking.benchmark
        rows = tuple((r.model_id, catalog.node(r.model_id).name, r.value) for r in b.rows[:BENCHMARK_ROWS])
        benchmark = BenchmarkPart(b.dataset_name, b.metric, b.higher_is_better, rows)
    why = tuple(_why_part(catalog, node_id, score, paths[node_id]) for node_id, score in _recommended(workflow, papers) if paths and node_id in paths)
    answer = Answer(ranking.question, ranking.confident, ranking.best_similarity, tasks, workflow, papers, broad, benchmark, why)
    return dataclasses.replace(answer, markdown=render_markdown(answer))


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
        forward = [k for k in catalog.graph.get_edge_data(u, v, default={})]
        backward = [k for k in catalog.graph.get_edge_data(v, u, default={})]
        if forward:
            steps.append(f"{name(u)} \u2014{forward[0]}\u2192 {name(v)}")
        else:
            steps.append(f"{name(u)} \u2190{backward[0]}\u2014 {name(v)}")
    match = path.match
    if match.entry.field == "question":
        matched = f"catalog question \u201c{name(match.entry.node_id)}\u201d (similarity {match.similarity:.2f})"
    else:
        matched = f"{match.entry.field} of {name(match.entry.node_id)}: \u201c{match.entry.text[:120]}\u201d (similarity {match.similarity:.2f})"
    return WhyPart(node_id, catalog.node(node_id).name, score, tuple(steps), matched)


def _task_part(ranking: Ranking, catalog: CatalogGraph, task_id: str, score: float) -> TaskPart:
    task = catalog.node(task_id)
    match = ranking.match_for(task_id)
    matched = match.entry.text if match and match.entry.field in ("alias", "example") else None
    broader = tuple(t.name for t in catalog.broader_tasks(task_id))
    asked = [q for q in catalog.origins(task_id, Relation.ASKS_ABOUT) if q.id in ranking.seeds]
    via = min(asked, key=lambda q: ranking.seeds.index(q.id)).name if asked else None
    return TaskPart(task.id, task.name, score, task.description, broader, matched, via)


def _model_task(catalog: CatalogGraph, model_id: str, kept: list[Task]) -> Task | None:
    """The model's task that the question is about, else its first task."""
    tasks = catalog.tasks_of_model(model_id)
    for task in tasks:
        if _within(catalog, task, kept):
            return task
    return tasks[0] if tasks else None


def _link(node) -> Link:
    return Link(node.id, node.name, getattr(node, "url", None))


def _workflow_step(ranking: Ranking, catalog: CatalogGraph, model_id: str, score: float, kept: list[Task]) -> WorkflowStep:
    model = catalog.node(model_id)
    task = _model_task(catalog, model_id, kept)
    papers = catalog.targets(model_id, Relation.DESCRIBED_IN)
    code = catalog.code_of(model_id)
    how = tuple(split_sentences(model.description)[:HOW_SENTENCES])
    datasets = tuple(d.name for d in catalog.targets(model_id, Relation.USES_DATASET))
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
    ranking: Ranking, catalog: CatalogGraph, index: SearchIndex, paper_id: str, score: float, kept: list[Task], recommended: set[str]
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
    sentence = index.closest_sentences(paper_id, ranking.vector, 1)
    return PaperPart(
        id=paper.id,
        title=paper.name,
        url=paper.url,
        score=score,
        code=tuple(_link(c) for c in catalog.code_of(paper_id)),
        reasons=tuple(dict.fromkeys(reasons)),
        sentence=sentence[0][0] if sentence else None,
        summary=paper.summary,
    )
