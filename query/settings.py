"""The ranking's settings, in a module of their own so that reading the configuration imports no numpy."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RankSettings:
    """The knobs of the ranking, with the defaults calibrated on the seed questions (docs/ranking.md)."""

    candidates: int = 40  # index texts read, by embedding and again by words
    lexical_weight: float = 0.1  # what a task's or catalog question's words add to its match: this times min(1, BM25 / lexical_scale)
    lexical_scale: float = 16.0  # a BM25 score this high adds the whole lexical_weight (query/lexical.py, docs/ranking.md)
    abstain_below: float = 0.422
    seed_margin: float = 0.15
    seed_temperature: float = 0.05
    damping: float = 0.75
    walk_epsilon: float = 1e-7  # push until every residual is below this times the node's degree (query/walk.py)
    walk_reference_edges: int = 100_000  # above this many edge entries, epsilon grows with them: a question's push work stays bounded
    task_keep_ratio: float = 0.5
    task_lead_margin: float = 0.12  # a kept task whose match beats the walk's first task's by this much comes first
    model_keep_ratio: float = 0.25
    model_tie_ratio: float = 0.9  # models within this of the first's walk score are a tie, broken by results (query/merit.py)
    paper_keep_ratio: float = 0.1
    max_tasks: int = 3
    max_models: int = 3
    max_papers: int = 6
    name_weight: float = 2.0  # the seed weight of a name the question writes (query/names.py), against 1.0 for the best match
