"""Question -> ranked tasks, models and papers: embedding matches seed a personalized PageRank over the graph.

1. The names the question writes (methods, models, tasks, datasets, papers: query/names.py) are found
   first; the question is embedded and matched against every indexed text (task descriptions, aliases
   and example questions, earlier questions, methods, models, papers, datasets).
2. If the question names no method, model, task or paper, and its best similarity to a task's own texts
   (description, aliases, examples) or to a catalog question about a task is below `abstain_below`, no
   task of the catalog fits: abstain. A close paper or model alone does not count: the catalog's papers
   stray beyond its tasks (a speech or translation paper cited by a vision model), and an answer is
   about a task.
3. The nodes of the matches within `seed_margin` of the best one seed a personalized PageRank, each with
   weight exp((similarity - best) / seed_temperature) times a weight for its kind; a named method, model
   or paper seeds it with `name_weight`, a named task or dataset with its kind's weight.
4. The walk runs over the graph with edges undirected and weighted by relation, so that mass flows from a
   matched question to the model it recommended, from a model to its task and paper, and so on.
5. Tasks are ranked by walk mass; the top ones are kept. Models are those that perform a kept task (or a
   narrower one), that a matched question recommended, or that the question names (a named method's
   checkpoints too), ranked by walk mass with the named ones first; papers likewise, from the kept
   models, tasks and matched questions.
"""

from __future__ import annotations

import math
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from typing import TYPE_CHECKING

import numpy as np

from modelatlas.graph.catalog import CatalogGraph
from modelatlas.graph.ids import name_key
from modelatlas.graph.types import NodeKind, Relation
from modelatlas.query.index import IndexEntry, SearchIndex
from modelatlas.query.intent import Intent, read_intent
from modelatlas.query.direction import Direction, question_direction, task_direction
from modelatlas.query.lexical import LexicalIndex
from modelatlas.query.leaderboard import Excluded, Leaderboard, task_models
from modelatlas.query.merit import break_ties_by_results, rank_by_merit, task_from_results, task_reports
from modelatlas.query.names import NameHit, NameIndex
from modelatlas.query.settings import RankSettings
from modelatlas.query.spelling import Speller
from modelatlas.query.walk import WalkMass, WalkMatrix

if TYPE_CHECKING:
    import networkx as nx

# How strongly a match on a node of each kind seeds the walk.
KIND_WEIGHTS = MappingProxyType({
    NodeKind.TASK: 1.0, NodeKind.QUESTION: 1.0, NodeKind.MODEL: 0.8, NodeKind.METHOD: 0.8,
    NodeKind.PAPER: 0.5, NodeKind.DATASET: 0.3, NodeKind.CODE: 0.2,
})
# Names that seed the walk with `name_weight`; a named task or dataset seeds it as the best match would,
# since a task's words ("upscale") are often those of a narrower task. Any name but a dataset's makes a
# question answerable.
NAMED_SUBJECTS = frozenset({NodeKind.METHOD, NodeKind.MODEL, NodeKind.PAPER})
# How readily the walk crosses an edge of each relation (both directions).
RELATION_WEIGHTS = MappingProxyType({
    Relation.PERFORMS: 1.0, Relation.RECOMMENDS: 1.0, Relation.ASKS_ABOUT: 1.0,
    Relation.DESCRIBED_IN: 0.8, Relation.IMPLEMENTED_BY: 0.5, Relation.NARROWER_THAN: 0.5,
    Relation.ADDRESSES: 0.7, Relation.RELATED_TO: 0.5, Relation.USES_DATASET: 0.2, Relation.EVALUATED_ON: 0.1, Relation.FINE_TUNED_FROM: 0.5,
    Relation.VARIANT_OF: 1.0,
})


@dataclass(frozen=True)
class Match:
    """An indexed text the question came close to: its cosine similarity, and what the question's words
    add to it (BM25, scaled: query/lexical.py); `score` is what seeds the walk."""

    entry: IndexEntry
    similarity: float
    lexical: float = 0.0

    @property
    def score(self) -> float:
        return self.similarity + self.lexical


@dataclass(frozen=True)
class Scored:
    """A ranked node: its id, its score relative to the best of its kind (0..1], and its walk mass."""

    node_id: str
    score: float
    mass: float


@dataclass(frozen=True)
class Ranking:
    """What the graph offers for a question; `confident` is False when nothing fits."""

    question: str
    vector: np.ndarray = field(repr=False)
    confident: bool
    best_similarity: float  # the best similarity to a task-level text: what `confident` is decided on
    matches: tuple[Match, ...]
    seeds: tuple[str, ...] = ()  # the matched node ids that seeded the walk, best first
    tasks: tuple[Scored, ...] = ()
    models: tuple[Scored, ...] = ()
    papers: tuple[Scored, ...] = ()
    names: tuple[NameHit, ...] = ()  # the catalog's names the question writes
    intent: Intent = field(default_factory=Intent)  # what it asks to optimise and respect (query/intent.py)
    leaderboard: Leaderboard | None = None  # set when the models were ranked on merit (query/merit.py)
    left_out: tuple[Excluded, ...] = ()  # models a stated constraint left out, nearest first
    values: dict = field(default_factory=dict)  # model id -> the leaderboard value that ranked it
    coverage: str = "out_of_scope"  # "answered", "task_without_models" (a task of the map no model performs yet) or "out_of_scope"
    nearest_covered: tuple[Scored, ...] = ()  # for a task without models: the nearest tasks some model performs
    named_subject: bool = False  # it names a method, model, task or paper, so it is answered whatever abstain_below says
    read_as: str = ""  # the question with its misspelt words mended (query/spelling.py), when any was

    def match_for(self, node_id: str) -> Match | None:
        """The best match on a node, if the question matched it directly."""
        return next((m for m in self.matches if m.entry.node_id == node_id), None)


@dataclass
class Ranker:
    """Ranks a catalog's nodes for questions; holds the weighted walk graph, built once."""

    catalog: CatalogGraph
    index: SearchIndex
    settings: RankSettings = field(default_factory=RankSettings)
    names: NameIndex | None = None  # without it, names count only through the embedding
    lexical: LexicalIndex | None = None  # without it, matches are by embedding alone

    def __post_init__(self) -> None:
        self._read: dict[str, tuple[str, tuple[NameHit, ...]]] = {}  # question -> (mended, names found), per question once
        self._task_ids = set(self.catalog.node_ids(NodeKind.TASK))
        task_level = (NodeKind.TASK, NodeKind.QUESTION)
        task_level_ids = {node_id for kind in task_level for node_id in self.catalog.node_ids(kind)}
        entry_nodes = self.index.entries.node_ids
        rows = [row for row, node_id in enumerate(entry_nodes) if node_id in task_level_ids]
        self._rows_of_node: dict[str, list[int]] = {}  # a task's or catalog question's index rows
        for row in rows:
            self._rows_of_node.setdefault(entry_nodes[row], []).append(row)
        self._task_level_vectors = self.index.vectors(rows)
        ids, arrays = self.catalog.node_ids(), self.catalog.edge_arrays()
        performed = arrays.get(Relation.PERFORMS, (np.zeros(0, np.int64),) * 2)[1]
        self._covered_tasks = {ids[i] for i in np.unique(performed)} & self._task_ids  # tasks some model performs
        self.walk = WalkMatrix.from_arrays(ids, arrays, RELATION_WEIGHTS)

    def _walk_edges(self):
        return ((e.source, e.target, RELATION_WEIGHTS[e.relation]) for e in self.catalog.edges())

    @cached_property
    def walk_graph(self) -> nx.Graph:
        """The walk's weighted graph in networkx, for paths (`ask --why`) and for checking the walk against nx.pagerank."""
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(self.catalog.node_ids())
        for source, target, weight in self._walk_edges():
            if source != target:
                old = graph.get_edge_data(source, target, {"weight": 0.0})["weight"]
                graph.add_edge(source, target, weight=old + weight)
        return graph

    @property
    def walk_epsilon(self) -> float:
        """The push's epsilon for this catalog: `walk_epsilon` up to `walk_reference_edges` edge entries (both
        directions), then in proportion to them. Forward push does at most 1 / ((1 - damping) * epsilon) edge
        steps, so a fixed epsilon lets a question's work grow with the catalog until the push covers it whole
        (hub datasets carry it everywhere); scaled, that bound falls as the catalog grows, and every node's
        mass stays within the scaled epsilon times its degree of the exact walk's."""
        s = self.settings
        return s.walk_epsilon * max(1.0, self.walk.indices.size / s.walk_reference_edges)

    @cached_property
    def _speller(self) -> Speller | None:
        if self.lexical is None or not self.lexical.spelling:
            return None
        is_name = (lambda word: self.names.knows(name_key(word))) if self.names else (lambda word: False)
        return Speller(self.lexical.spelling, is_name, self.names.is_english if self.names else None)

    def _reading(self, question: str) -> tuple[str, tuple[NameHit, ...]]:
        """The question with its misspelt words mended (query/spelling.py), and the catalog's names it then
        writes (query/names.py): worked out once per question."""
        if question not in self._read:
            if len(self._read) >= 1024:
                self._read.clear()
            mended = self._speller.correct(question) if self._speller else question
            self._read[question] = (mended, tuple(self.names.find(mended)) if self.names else ())
        return self._read[question]

    def _read_as(self, question: str) -> str:
        mended = self._reading(question)[0]
        return mended if mended != question else ""

    def unread(self, question: str) -> bool:
        """Whether the question holds no word we read (query/spelling.py) and no name: "zzzz qqq ppp" is abstained on."""
        return self._speller is not None and not self.find_names(question) and not self._speller.reads_any(question)

    def find_names(self, question: str) -> tuple[NameHit, ...]:
        """The catalog's names the question writes, its misspelt words mended."""
        return self._reading(question)[1]

    def matching_text(self, question: str) -> str:
        """What is embedded and matched by words: the question with its misspelt words and names as the catalog spells them."""
        mended, names = self._reading(question)
        return self.names.spelled(mended, list(names)) if self.names else mended

    def match(self, question: str, vector: np.ndarray) -> tuple[Match, ...]:
        """The question's nearest index texts, each node's best first: the `candidates` nearest by cosine,
        and the tasks and catalog questions whose words score best by BM25, each at its closest text, with
        `lexical_weight` times min(1, BM25 / `lexical_scale`) added (query/lexical.py)."""
        s = self.settings
        best_by_node: dict[str, Match] = {}
        for row, similarity in self.index.search_rows(vector, s.candidates):
            entry = self.index.entries[row]
            if entry.node_id not in best_by_node or similarity > best_by_node[entry.node_id].similarity:
                best_by_node[entry.node_id] = Match(entry, similarity)
        lexical = self.lexical.search(self.matching_text(question), s.candidates) if self.lexical and s.lexical_weight else []
        for node_id, bm25 in lexical:
            words = s.lexical_weight * min(1.0, bm25 / s.lexical_scale)
            match = best_by_node.get(node_id)
            if match is None:  # its closest text, though not among the nearest
                rows = self._rows_of_node[node_id]
                cosines = self.index.vectors(rows) @ vector.astype(np.float32)
                match = Match(self.index.entries[rows[int(np.argmax(cosines))]], float(np.max(cosines)))
            best_by_node[node_id] = Match(match.entry, match.similarity, words)
        return tuple(sorted(best_by_node.values(), key=lambda m: (-m.score, m.entry.node_id)))

    def rank(self, question: str, vector: np.ndarray) -> Ranking:
        s = self.settings
        matches = self.match(question, vector)
        task_similarity = max([self.task_similarity(vector), *(m.score for m in matches if m.entry.node_id in self._rows_of_node)])
        names = tuple(h for h in self.find_names(question) if h.node_id in self.catalog)
        kinds = {h.node_id: self.catalog.node(h.node_id).kind for h in names}
        named_subject = any(k != NodeKind.DATASET for k in kinds.values())
        intent = read_intent(question)
        named_datasets = tuple(n for n, k in kinds.items() if k == NodeKind.DATASET)
        # "lowest FID on FFHQ" names no task, but a metric or a dataset whose results are those of one task.
        from_results = None
        if task_similarity < s.abstain_below and not named_subject and intent.objective and (intent.metric or named_datasets):
            from_results = task_from_results(self.catalog, named_datasets, intent.metric)
        if ((task_similarity < s.abstain_below and not named_subject) and not from_results) or not matches or self.unread(question):
            return Ranking(question, vector, False, task_similarity, matches, names=names, intent=intent, read_as=self._read_as(question))
        if from_results:
            kinds[from_results] = NodeKind.TASK
        best = matches[0].score

        seeds = {
            m.entry.node_id: math.exp((m.score - best) / s.seed_temperature) * KIND_WEIGHTS[self.catalog.node(m.entry.node_id).kind]
            for m in matches
            if m.score >= best - s.seed_margin
        }
        for node_id, kind in kinds.items():
            weight = s.name_weight if kind in NAMED_SUBJECTS else KIND_WEIGHTS[kind]
            seeds[node_id] = max(seeds.get(node_id, 0.0), weight)
        mass = self.walk.personalized_pagerank(seeds, s.damping, self.walk_epsilon)

        named_models = {n for n, k in kinds.items() if k == NodeKind.MODEL}
        named_models |= {m.id for n, k in kinds.items() if k == NodeKind.METHOD for m in self.catalog.origins(n, Relation.VARIANT_OF)}
        named_tasks = {t.id for m in named_models for t in self.catalog.tasks_of_model(m)} | ({from_results} if from_results else set())
        written = {n for n, k in kinds.items() if k == NodeKind.TASK}  # "mask rcnn instance segmentation", "NAFNet for deblurring"
        named_tasks |= written & {t.id for named in named_tasks for t in self.catalog.narrower_tasks(named)}
        if not named_tasks:  # "text to speech": a task named in most of the question's words, nothing else named
            words = len(question.split())
            named_tasks = {h.node_id for h in names if h.node_id in written and not h.fuzzy and 2 * len(h.written.split()) > words}
        written_tasks = written & named_tasks
        tasks = self._first_tasks(mass, named_tasks, written_tasks, s.max_tasks)
        best_task = next((m.entry.node_id for m in matches if m.entry.node_id in self._task_ids), None)
        tasks = self._narrow_before_broad(tasks, best_task)
        tasks = tuple(t for t in tasks if t.score >= s.task_keep_ratio or t.node_id in named_tasks)
        if not named_tasks:
            tasks = self._way_first(self._clear_match_first(tasks, matches), matches, question, mass)
        if intent.metric and tasks and not named_tasks:  # "highest mask AP": the task whose results are in that metric
            by_metric = task_from_results(self.catalog, named_datasets, intent.metric)
            if by_metric and not task_reports(self.catalog, tasks[0].node_id, intent.metric):
                tasks = (Scored(by_metric, 1.0, mass.get(by_metric, 0.0)), *(t for t in tasks if t.node_id != by_metric))[: s.max_tasks]
        kept = {t.node_id for t in tasks}
        family = kept | {n.id for t in kept for n in self.catalog.narrower_tasks(t)}
        asked = [q for q in seeds if self.catalog.node(q).kind == NodeKind.QUESTION]
        # A task no model performs: the models of a broader task whose own description names it as one of
        # its kinds answer for it (text classification: "some use cases are sentiment analysis"); with none,
        # the answer is about the task alone and recommends no neighbour's model (a COCO detector is no face detector).
        uncovered = bool(tasks) and not named_models and not task_models(self.catalog, tasks[0].node_id)
        if uncovered:
            family = {tasks[0].node_id} | {n.id for n in self.catalog.narrower_tasks(tasks[0].node_id)}
            carrier = next((b.id for b in self.catalog.broader_tasks(tasks[0].node_id)
                            if b.id in self._covered_tasks and _names_kind(b, self.catalog.node(tasks[0].node_id))), None)
            if carrier:
                family.add(carrier)
                uncovered = False

        own_paper = {m.id for n, k in kinds.items() if k == NodeKind.METHOD for p in self.catalog.targets(n, Relation.DESCRIBED_IN) for m in self.catalog.origins(p.id, Relation.DESCRIBED_IN)}
        if tasks:  # of those, the checkpoints for the task the answer is about
            own_paper &= {m.id for m in self.catalog.origins(tasks[0].node_id, Relation.PERFORMS)} or own_paper
        model_ids = {m.id for t in family for m in self.catalog.origins(t, Relation.PERFORMS)}
        model_ids |= {m.id for q in asked for m in self.catalog.targets(q, Relation.RECOMMENDS)}
        model_ids |= named_models
        if uncovered:  # nor a model a catalog question recommended for another task
            model_ids = set()
        ranked = tuple(m for m in _top(mass, model_ids, len(model_ids)) if m.score >= s.model_keep_ratio or m.node_id in named_models)
        if tasks:  # the models of the task the answer is about before those of its neighbours, each group by mass
            main = task_models(self.catalog, tasks[0].node_id)
            ranked = tuple(sorted(ranked, key=lambda m: m.node_id not in main))
        if tasks and not named_models and not asked:  # near-ties of the walk broken by results (query/merit.py)
            by_id = {m.node_id: m for m in ranked}
            order = break_ties_by_results(self.catalog, tasks[0].node_id, tuple((m.node_id, m.score) for m in ranked), s.model_tie_ratio)
            top = ranked[0].score if ranked else 1.0
            tied = lambda m: Scored(m.node_id, top, m.mass) if m.score >= s.model_tie_ratio * top else m  # noqa: E731  # a tie reads as one
            ranked = tuple(tied(by_id[m]) for m in order)
        models = self._one_per_paper(_named_first(ranked, named_models, own_paper), s.max_models)
        merit = None
        if (intent.active or named_datasets) and tasks:
            walk_order = tuple(m.node_id for m in _named_first(ranked, named_models, own_paper))
            named = (own_paper & named_models) or named_models
            merit = rank_by_merit(self.catalog, intent, tasks[0].node_id, named, named_datasets, walk_order, s.max_models)
            if merit.leaderboard is not None or intent.constraints:
                models = tuple(Scored(p.model_id, p.score, mass.get(p.model_id, 0.0)) for p in merit.picks)

        paper_ids = {p.id for m in models for p in self.catalog.targets(m.node_id, Relation.DESCRIBED_IN)}
        paper_ids |= {p.id for t in family for p in self.catalog.origins(t, Relation.ADDRESSES)}
        paper_ids |= {p.id for q in asked for p in self.catalog.targets(q, Relation.RELATED_TO)}
        paper_ids |= {n for n in seeds if self.catalog.node(n).kind == NodeKind.PAPER}
        paper_ids |= {p.id for n, k in kinds.items() if k == NodeKind.METHOD for p in self.catalog.targets(n, Relation.DESCRIBED_IN)}
        # A recommended model's own paper also takes the model's mass: one more step of the walk.
        own_mass: dict[str, float] = {}
        for m in models:
            for p in self.catalog.targets(m.node_id, Relation.DESCRIBED_IN):
                own_mass[p.id] = own_mass.get(p.id, mass.get(p.id, 0.0)) + m.mass
        paper_mass = ChainMap(own_mass, mass)
        papers = tuple(p for p in _top(paper_mass, paper_ids, s.max_papers) if p.score >= s.paper_keep_ratio)
        nearest = _top(mass, self._covered_tasks - {tasks[0].node_id}, s.max_tasks) if uncovered else ()
        if merit and merit.leaderboard:  # models chosen on merit carry little walk mass: their own papers lead
            own = [p.id for m in models for p in self.catalog.targets(m.node_id, Relation.DESCRIBED_IN)]
            first = tuple(Scored(p, 1.0, paper_mass.get(p, 0.0)) for p in dict.fromkeys(own))
            papers = (first + tuple(p for p in papers if p.node_id not in own))[: s.max_papers]
        return Ranking(
            question, vector, True, task_similarity, matches, tuple(seeds), tasks, models, papers, names, intent,
            merit.leaderboard if merit else None, merit.left_out if merit else (),
            {p.model_id: p.value for p in merit.picks if p.value is not None} if merit and merit.leaderboard else {},
            "task_without_models" if uncovered else "answered", nearest, named_subject, self._read_as(question),
        )

    @cached_property
    def _task_rows(self) -> np.ndarray:
        """The walk matrix's rows of the tasks, in the order of their ids (the walk's ids are sorted)."""
        return np.array(sorted(self.walk.position[t] for t in self._task_ids), dtype=np.int64)

    def _first_tasks(self, mass: WalkMass, named: set[str], preferred: set[str], limit: int) -> tuple[Scored, ...]:
        """`_named_first(_top(mass, every task), named, preferred)[:limit]`, read from the walk's array at once:
        a million-node catalog has 20,000 tasks, and only the first few and the named ones are made into Scored."""
        rows = self._task_rows
        values = mass.array[rows]
        reached = np.flatnonzero(values > 0)
        if not reached.size:
            return ()
        order = reached[np.lexsort((reached, -np.round(values[reached], 12)))]  # most mass first; ties by id
        place = {int(i): n for n, i in enumerate(order[:limit])}
        for task in named:  # a named task keeps its place however far down its mass puts it
            at = self.walk.position.get(task)
            i = int(np.searchsorted(rows, at)) if at is not None else len(rows)
            if i < len(rows) and rows[i] == at and values[i] > 0 and i not in place:
                place[i] = int(np.flatnonzero(order == i)[0])
        top = float(values[order[0]])
        ids = self.walk.ids
        ranked = tuple(Scored(ids[rows[i]], round(float(values[i]) / top, 4), float(values[i])) for i in sorted(place, key=place.get))
        return _named_first(ranked, named, preferred)[:limit]

    def _task_evidence(self, matches: tuple[Match, ...]) -> dict[str, float]:
        """Each task's best match: one of its own texts, or a catalog question about it."""
        evidence: dict[str, float] = {}
        for m in matches:
            node_id = m.entry.node_id
            about = [node_id] if node_id in self._task_ids else [t.id for t in self._asks_about(node_id)]
            for task in about:
                evidence[task] = max(evidence.get(task, 0.0), m.score)
        return evidence

    def _clear_match_first(self, tasks: tuple[Scored, ...], matches: tuple[Match, ...]) -> tuple[Scored, ...]:
        """The kept task the question matches best comes first when its match (its own texts, or a catalog
        question about it) beats the walk's first task's by `task_lead_margin`: a task no model performs
        passes its mass to the broader task above it, whose models and papers gather more, so "play chess
        better than humans" (game playing, 0.72) walked to reinforcement learning (0.45)."""
        evidence = self._task_evidence(matches)
        if len(tasks) < 2:
            return tasks
        lead = max(tasks, key=lambda t: evidence.get(t.node_id, 0.0))
        if lead is tasks[0] or evidence.get(lead.node_id, 0.0) - evidence.get(tasks[0].node_id, 0.0) < self.settings.task_lead_margin:
            return tasks
        return (Scored(lead.node_id, tasks[0].score, lead.mass), *(t for t in tasks if t is not lead))

    @cached_property
    def _task_directions(self) -> dict[str, Direction]:
        """Each task's direction, read from its input and output fields (query/direction.py); tasks without one left out."""
        read = ((t.id, task_direction(t.input, t.output)) for t in (self.catalog.node(i) for i in self._task_ids))
        return {task: way for task, way in read if way}

    def _way_first(self, tasks: tuple[Scored, ...], matches: tuple[Match, ...], question: str, mass: WalkMass) -> tuple[Scored, ...]:
        """When the question says which way it goes ("turn my voice memo into written notes": audio in, text
        out) and the first task goes another way (text-to-speech), the task matched best of those that go the
        question's way comes first, if its match is within `task_lead_margin` of the first task's."""
        asked = question_direction(self._reading(question)[0])
        first = self._task_directions.get(tasks[0].node_id) if tasks and asked else None
        if first is None or not asked.disagrees(first):
            return tasks
        evidence = self._task_evidence(matches)
        floor = evidence.get(tasks[0].node_id, 0.0) - self.settings.task_lead_margin
        for task, score in sorted(evidence.items(), key=lambda item: (-item[1], item[0])):
            if score < floor:
                break
            way = self._task_directions.get(task)
            if way is not None and asked.agrees(way):
                rest = tuple(t for t in tasks if t.node_id != task)
                return (Scored(task, tasks[0].score, mass.get(task, 0.0)), *rest)[: self.settings.max_tasks]
        return tasks

    def _asks_about(self, node_id: str):
        return self.catalog.targets(node_id, Relation.ASKS_ABOUT) if self.catalog.node(node_id).kind == NodeKind.QUESTION else ()

    def _narrow_before_broad(self, tasks: tuple[Scored, ...], best_task: str | None) -> tuple[Scored, ...]:
        """A task comes before the areas above it (broader tasks with narrower ones and no model of their
        own), which gather the walk's mass of all their tasks: the task the question matches best, when it
        is kept below such an area ("forecast electricity demand": time series forecasting, not tabular
        data); else, when an area leads, the first kept task below it ("read an ebook out loud": text-to-
        speech, not audio and speech). A broader task with models of its own keeps its place: "boxes
        around every car" is object detection, though its words match face detection's best."""
        order = list(tasks)
        areas = {t.node_id for t in order if t.node_id not in self._covered_tasks and self.catalog.narrower_tasks(t.node_id)}
        above = lambda t: {b.id for b in self.catalog.broader_tasks(t.node_id)} & areas  # noqa: E731
        lead = next((t for t in order if t.node_id == best_task and t.node_id not in areas), None)
        if lead is None and order and order[0].node_id in areas:
            lead = next((t for t in order[1:] if order[0].node_id in above(t)), None)
        first_above = next((i for i, t in enumerate(order) if lead and t.node_id in above(lead)), None)
        if first_above is None or first_above > order.index(lead):
            return tasks
        order.remove(lead)
        order.insert(first_above, Scored(lead.node_id, order[first_above].score, lead.mass))
        return tuple(order)

    def task_similarity(self, vector: np.ndarray) -> float:
        """The question's best cosine similarity to a task-level text: a task's description, alias or example, or a catalog question."""
        if not len(self._task_level_vectors):
            return 0.0
        return float(np.max(self._task_level_vectors @ vector.astype(np.float32)))


    def _one_per_paper(self, ranked: tuple[Scored, ...], limit: int) -> tuple[Scored, ...]:
        """The first `limit` models, best of each paper: variants of one method (a zoo's checkpoints) count once."""
        seen: set[str] = set()
        kept: list[Scored] = []
        for scored in ranked:
            papers = {p.id for p in self.catalog.targets(scored.node_id, Relation.DESCRIBED_IN)}
            if papers & seen:
                continue
            seen |= papers
            kept.append(scored)
            if len(kept) == limit:
                break
        return tuple(kept)


def _words(text: str) -> str:
    return " " + " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split()) + " "


def _names_kind(broader, task) -> bool:
    """True when a broader task's description names a task (its name or an alias) as one of its kinds."""
    described = _words(broader.description)
    return any(_words(name) in described for name in (task.name, *task.aliases))


def _named_first(ranked: tuple[Scored, ...], named: set[str], preferred: set[str] = frozenset()) -> tuple[Scored, ...]:
    """The nodes the question names first (a named method's checkpoints, described in its own paper, before
    those of other papers that reuse it), each group in its ranked order."""
    return tuple(sorted(ranked, key=lambda m: (m.node_id not in named, m.node_id not in preferred)))


def _top(mass: Mapping[str, float], ids: set[str], n: int) -> tuple[Scored, ...]:
    """The n ids with most walk mass, scored relative to the first; masses equal to 12 decimals are a tie,
    broken by id (two papers one model cites alone get the same mass up to the float rounding of the sums)."""
    ranked = sorted(((mass.get(i, 0.0), i) for i in ids), key=lambda pair: (-round(pair[0], 12), pair[1]))[:n]
    top = ranked[0][0] if ranked and ranked[0][0] > 0 else 1.0
    return tuple(Scored(i, round(m / top, 4), m) for m, i in ranked if m > 0)
