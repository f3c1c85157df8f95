"""Measuring retrieval on a development set: the graph ranking against BM25 and dense-only baselines.

A case (one JSON line) names what a good answer contains: task ids, model ids, method ids (the first
recommended model must be a checkpoint of one), paper ids, or `"abstain": true`, and its `category`
(paraphrase, keyword, typo, named-method, out-of-scope, ...). A case with `"coverage":
"task_without_models"` asks about a task of the map no model performs: it is right when the answer
names that task and says it has no model (`coverage` task_without_models), or abstains; a confident
answer with another task or with models is a "confident wrong" one. Every system sees the same questions and
the same index texts. Settings are chosen on `data/eval/tune.jsonl` only; `test.jsonl` is reported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from modelatlas.graph.errors import IngestError
from modelatlas.graph.types import NodeKind
from modelatlas.query.rank import Ranker

CANDIDATES = 100
BM25_ABSTAIN_BELOW = 3.0  # best BM25 score under which the BM25 baseline abstains (set on data/eval/tune.jsonl)
DENSE_ABSTAIN_BELOW = 0.36  # best cosine similarity under which the dense-only baseline abstains (likewise)


@dataclass(frozen=True)
class Case:
    """One question of a development set and what a good answer contains."""

    line: int
    question: str
    tasks: tuple[str, ...] = ()
    models: tuple[str, ...] = ()
    papers: tuple[str, ...] = ()
    abstain: bool = False
    methods: tuple[str, ...] = ()
    category: str = "uncategorised"
    coverage: str = ""  # "task_without_models" for a question on a task no model performs


@dataclass(frozen=True)
class Prediction:
    """What a system answered: whether it is confident, and its ranked task, model and paper ids."""

    confident: bool
    tasks: tuple[str, ...]
    models: tuple[str, ...]
    papers: tuple[str, ...]
    signal: float = 0.0  # the value the system's abstention threshold is compared with
    coverage: str = ""  # the graph's "answered" / "task_without_models"; baselines do not tell
    named: bool = False  # the question names a method, model, task or paper: it is answered whatever the threshold
    unread: bool = False  # the question holds no word the ranking reads: it is abstained on whatever the threshold


def load_cases(path: Path) -> list[Case]:
    """The cases of a JSONL file, or an IngestError naming the file, line and problem."""
    from modelatlas.ingest.reading import read_document_text
    from modelatlas.query.question import clean_question

    cases = []
    for number, line in enumerate(read_document_text(path).split("\n"), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            question = clean_question(data["question"])
            lists = {k: tuple(data.get(k, ())) for k in ("tasks", "models", "papers", "methods")}
            if not all(isinstance(i, str) for v in lists.values() for i in v):
                raise ValueError("tasks, models, methods and papers must be lists of ids")
            if not any(lists.values()) and not data.get("abstain"):
                raise ValueError("it expects nothing: give tasks, models, methods, papers or abstain"
                                 + ("; merit cases (truth) are checked by tests/query/test_merit.py" if "truth" in data else ""))
            category = data.get("category", "uncategorised")
            if not isinstance(category, str) or not category:
                raise ValueError("category must be a word")
            coverage = data.get("coverage", "")
            if coverage not in ("", "task_without_models") or (coverage and not lists["tasks"]):
                raise ValueError('coverage can only be "task_without_models", with the tasks expected')
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise IngestError(path, f"not a case ({err})", number) from None
        except Exception as err:  # a QuestionError from clean_question
            raise IngestError(path, str(err), number) from None
        cases.append(Case(number, question, **lists, abstain=bool(data.get("abstain")), category=category, coverage=coverage))
    if not cases:
        raise IngestError(path, "no cases in the file")
    return cases


def _grouped(catalog, scored_nodes: list[tuple[str, float]]) -> dict[NodeKind, tuple[str, ...]]:
    """Node ids by kind, best first, from (node id, score) pairs that may repeat a node."""
    best: dict[str, float] = {}
    for node_id, score in scored_nodes:
        best[node_id] = max(score, best.get(node_id, float("-inf")))
    groups: dict[NodeKind, list[str]] = {}
    for node_id in sorted(best, key=lambda n: -best[n]):
        groups.setdefault(catalog.node(node_id).kind, []).append(node_id)
    return {kind: tuple(ids) for kind, ids in groups.items()}


@dataclass
class GraphSystem:
    """The full ModelAtlas ranking: matches seed a personalized PageRank over the graph."""

    ranker: Ranker
    name: str = "graph"

    def predict(self, question: str, vector: np.ndarray) -> Prediction:
        r = self.ranker.rank(question, vector)
        ids = lambda scored: tuple(s.node_id for s in scored)  # noqa: E731
        return Prediction(r.confident, ids(r.tasks), ids(r.models), ids(r.papers), r.best_similarity, r.coverage, r.named_subject,
                          self.ranker.unread(question))


@dataclass
class DenseSystem:
    """Dense-only baseline: the nearest index texts by cosine, grouped by node kind; no graph walk."""

    ranker: Ranker
    name: str = "dense"

    def predict(self, question: str, vector: np.ndarray) -> Prediction:
        hits = self.ranker.index.search(vector, CANDIDATES)
        groups = _grouped(self.ranker.catalog, [(e.node_id, s) for e, s in hits])
        best = hits[0][1] if hits else 0.0
        return _prediction(best >= DENSE_ABSTAIN_BELOW, groups, best)


@dataclass
class Bm25System:
    """BM25 baseline (bm25s) over the same index texts, grouped by node kind; no graph walk."""

    ranker: Ranker
    name: str = "bm25"
    _retriever: object = field(default=None, repr=False)

    def __post_init__(self) -> None:
        import bm25s

        texts = [e.text for e in self.ranker.index.entries]
        self._retriever = bm25s.BM25()
        self._retriever.index(bm25s.tokenize(texts, stopwords="en", show_progress=False), show_progress=False)

    def predict(self, question: str, vector: np.ndarray) -> Prediction:
        import bm25s

        tokens = bm25s.tokenize([question], stopwords="en", show_progress=False)
        if not tokens.vocab:
            return Prediction(False, (), (), (), 0.0)
        k = min(CANDIDATES, len(self.ranker.index.entries))
        rows, scores = self._retriever.retrieve(tokens, k=k, show_progress=False)
        hits = [(self.ranker.index.entries[int(r)].node_id, float(s)) for r, s in zip(rows[0], scores[0]) if s > 0]
        best = hits[0][1] if hits else 0.0
        return _prediction(best >= BM25_ABSTAIN_BELOW, _grouped(self.ranker.catalog, hits), best)


def _prediction(confident: bool, groups: dict[NodeKind, tuple[str, ...]], signal: float) -> Prediction:
    if not confident:
        return Prediction(False, (), (), (), signal)
    return Prediction(True, groups.get(NodeKind.TASK, ())[:3], groups.get(NodeKind.MODEL, ())[:3], groups.get(NodeKind.PAPER, ())[:6], signal)


@dataclass
class Report:
    """The metrics of one system on a development set, and the questions it got wrong."""

    system: str
    metrics: dict[str, float]
    failures: list[dict]
    calibration: Calibration | None = None
    categories: dict[str, dict[str, float]] = field(default_factory=dict)  # per category: n, right (the share of its cases with no problem)


def _some(ids: tuple[str, ...], shown: int = 3) -> str:
    """A list of ids for a one-line report: the first few, and how many more."""
    more = f" (+{len(ids) - shown} more)" if len(ids) > shown else ""
    return f"{list(ids[:shown])}{more}"


def _rank_of(expected: tuple[str, ...], ranked: tuple[str, ...]) -> int | None:
    return next((i for i, node in enumerate(ranked, 1) if node in expected), None)


def score(system: str, cases: list[Case], predictions: list[Prediction], methods_of=None) -> Report:
    """task@1, model hit@1/@3, method hit@1, paper recall@5, MRR of tasks and models, abstention precision
    and recall, and per category the share of cases with no problem; `methods_of(model_id)` gives the
    methods a model is a checkpoint of."""
    tally: dict[str, list[float]] = {k: [] for k in ("task@1", "task_mrr", "model_hit@1", "model_hit@3", "model_mrr", "method_hit@1", "paper_recall@5")}
    by_category: dict[str, list[float]] = {}
    abstain_tp = abstain_fp = abstain_fn = 0
    uncovered = [0, 0]  # questions on tasks without models: (cases, confident wrong answers)
    failures = []
    for case, pred in zip(cases, predictions):
        problems = []
        if case.coverage:
            uncovered[0] += 1
            if pred.confident and not (pred.tasks[:1] and pred.tasks[0] in case.tasks and pred.coverage == case.coverage):
                uncovered[1] += 1
                problems.append(f"confident wrong: top task {pred.tasks[0] if pred.tasks else None} ({pred.coverage or 'with models'}), "
                                f"expected {_some(case.tasks)} without models, or abstention")
            by_category.setdefault(case.category, []).append(float(not problems))
            if problems:
                failures.append({"line": case.line, "question": case.question, "category": case.category, "problems": problems})
            continue
        if case.abstain:
            abstain_tp += not pred.confident
            abstain_fn += pred.confident
            if pred.confident:
                problems.append(f"answered instead of abstaining (top task {pred.tasks[0] if pred.tasks else None})")
        else:
            abstain_fp += not pred.confident
            if not pred.confident:
                problems.append("abstained")
        if case.tasks and not case.abstain:
            rank = _rank_of(case.tasks, pred.tasks)
            tally["task@1"].append(float(rank == 1))
            tally["task_mrr"].append(1.0 / rank if rank else 0.0)
            if rank != 1:
                problems.append(f"top task {pred.tasks[0] if pred.tasks else None}, expected one of {_some(case.tasks)}")
        if case.models and not case.abstain:
            rank = _rank_of(case.models, pred.models)
            tally["model_hit@1"].append(float(rank == 1))
            tally["model_hit@3"].append(float(rank is not None and rank <= 3))
            tally["model_mrr"].append(1.0 / rank if rank else 0.0)
            if rank is None or rank > 3:
                problems.append(f"models {list(pred.models)}, expected one of {_some(case.models)}")
        if case.methods and not case.abstain:
            first = set(methods_of(pred.models[0])) if pred.models and methods_of else set()
            tally["method_hit@1"].append(float(bool(first & set(case.methods))))
            if not first & set(case.methods):
                problems.append(f"first model {pred.models[0] if pred.models else None} is no checkpoint of {list(case.methods)}")
        if case.papers and not case.abstain:
            found = len(set(case.papers) & set(pred.papers[:5]))
            tally["paper_recall@5"].append(found / len(case.papers))
        by_category.setdefault(case.category, []).append(float(not problems))
        if problems:
            failures.append({"line": case.line, "question": case.question, "category": case.category, "problems": problems})
    metrics = {k: round(sum(v) / len(v), 4) if v else float("nan") for k, v in tally.items()}
    metrics["abstain_precision"] = round(abstain_tp / (abstain_tp + abstain_fp), 4) if abstain_tp + abstain_fp else float("nan")
    metrics["abstain_recall"] = round(abstain_tp / (abstain_tp + abstain_fn), 4) if abstain_tp + abstain_fn else float("nan")
    metrics["without_models_confident_wrong"] = uncovered[1] if uncovered[0] else float("nan")
    categories = {name: {"n": len(v), "right": round(sum(v) / len(v), 4)} for name, v in sorted(by_category.items())}
    return Report(system, metrics, failures, calibrate_abstention(cases, predictions), categories)


@dataclass(frozen=True)
class Calibration:
    """The abstention threshold a development set supports, and the sweep it was chosen from."""

    threshold: float
    sweep: tuple[tuple[float, float, float], ...]  # (threshold, abstain precision, abstain recall), one row per cut


def calibrate_abstention(cases: list[Case], predictions: list[Prediction]) -> Calibration:
    """The threshold that makes the fewest wrong decisions: should-abstain questions answered plus
    answerable ones abstained on. Of cuts that tie, the highest: an answer to a question the catalog
    cannot answer misleads, where an abstention only sends the person elsewhere.

    The candidate cuts are the midpoints between consecutive signal values of the set.
    """
    # Questions on tasks without models may be answered or abstained on, questions that name a method,
    # model, task or paper are answered whatever the cut, and questions of no word we read are abstained
    # on whatever the cut: none of them sets it.
    kept = [(c, p) for c, p in zip(cases, predictions) if not c.coverage and not p.named and not p.unread]
    cases, predictions = [c for c, _ in kept], [p for _, p in kept]
    values = sorted({p.signal for p in predictions})
    cuts = [(a + b) / 2 for a, b in zip(values, values[1:])]
    sweep, wrong = [], []
    for cut in cuts:
        abstained = [(c.abstain, p.signal < cut) for c, p in zip(cases, predictions)]
        tp = sum(1 for should, did in abstained if should and did)
        fp = sum(1 for should, did in abstained if not should and did)
        fn = sum(1 for should, did in abstained if should and not did)
        sweep.append((round(cut, 4), round(tp / (tp + fp), 4) if tp + fp else 1.0, round(tp / (tp + fn), 4) if tp + fn else 1.0))
        wrong.append(fp + fn)
    if not cuts:
        return Calibration(round(values[0], 4) if values else 0.0, ())
    threshold = max((-errors, cut) for errors, cut in zip(wrong, cuts))[1]
    return Calibration(round(threshold, 4), tuple(sweep))
