"""The ranking's settings, in a module of their own so that reading the configuration imports no numpy."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RankSettings:
    """The knobs of the ranking, with the defaults calibrated on the seed questions (docs/ranking.md)."""

    candidates: int = 40
    abstain_below: float = 0.394
    seed_margin: float = 0.15
    seed_temperature: float = 0.05
    damping: float = 0.75
    walk_epsilon: float = 1e-7  # push until every residual is below this times the node's degree (query/walk.py)
    task_keep_ratio: float = 0.5
    model_keep_ratio: float = 0.25
    model_tie_ratio: float = 0.9  # models within this of the first's walk score are a tie, broken by results (query/merit.py)
    paper_keep_ratio: float = 0.1
    max_tasks: int = 3
    max_models: int = 3
    max_papers: int = 6
    name_weight: float = 2.0  # the seed weight of a name the question writes (query/names.py), against 1.0 for the best match
