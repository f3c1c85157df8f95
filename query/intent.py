"""What a question asks a recommendation to optimise and respect: "most accurate", "fastest", "smallest",
"under 5M parameters", "below 1 GFLOPs", "within 20 ms", "for commercial use", a metric's name.

Read with patterns over the question's words, before any embedding. Only explicit wording counts: "a
small and noisy image" is about the picture, not the model, so size words count only beside a word for
a model ("a small model", "lightweight classifier") or a place models run ("runs on a phone").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from modelatlas.graph.facts import metric_key
from modelatlas.query.leaderboard import LICENCE, Constraint

_MODEL_WORD = r"(?:models?|networks?|nets?|classifiers?|detectors?|segmenters?|checkpoints?|backbones?|architectures?|ones?|options?|variants?)"
_DEVICE = r"(?:(?:mobile|cell|smart)\s*phones?|phones?|mobile(?:\s+devices?)?|edge(?:\s+devices?)?|raspberry\s+pi|jetson|microcontrollers?|embedded(?:\s+\w+)?|cpu)"

_OBJECTIVES: tuple[tuple[str, re.Pattern], ...] = (
    ("speed", re.compile(
        rf"\b(fastest|quickest|real[- ]?time|lowest[- ]latency|low[- ]latency|fast(?:er)?\s+(?:\w+\s+)?{_MODEL_WORD}|quick\s+(?:\w+\s+)?{_MODEL_WORD})\b", re.I)),
    ("size", re.compile(
        rf"\b(smallest|tiniest|lightest|most\s+compact|fewest\s+param\w*|lightweight|light[- ]weight"
        rf"|(?:small|tiny|little|compact|light)\s+(?:\w+\s+){{0,2}}?{_MODEL_WORD}"
        rf"|(?:{_MODEL_WORD}|run|runs|running|deploy\w*|inference)\s+(?:\w+\s+){{0,3}}?(?:on|for|to)\s+(?:an?\s+|my\s+|the\s+)?(?:\w+\s+)?{_DEVICE}"
        rf"|on[- ]device|mobile[- ]friendly|edge\s+deployment)\b", re.I)),
    ("metric", re.compile(
        r"\b(best|most\s+accurate|highest|top[- ]performing|top[- ]scoring|best[- ]scoring|state[- ]of[- ]the[- ]art|sota|strongest"
        r"|leading|most\s+precise|lowest\s+(?:fid|kid|lpips|error)|winner|leaderboard|ranks?\s+first)\b", re.I)),
)

# How people write a bound: "under 5M parameters", "< 1 GFLOPs", "at most 20 ms", "5M params or fewer".
_BELOW = (r"(?:under|below|less\s+than|fewer\s+than|lower\s+than|smaller\s+than|at\s+most|no\s+more\s+than|not\s+more\s+than|up\s+to|within"
          r"|max(?:imum)?(?:\s+of)?|(?:can\s+)?afford|(?:a\s+)?budget\s+of|fits?\s+(?:in|into|within)|<=?|≤|≦)")
_NUMBER = r"(\d+(?:[.,]\d+)?)"
_SCALE = {"": 1.0, "k": 1e3, "thousand": 1e3, "m": 1e6, "mil": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9, "g": 1e9, "t": 1e12}
_UNITS: tuple[tuple[str, str], ...] = (
    ("parameters", rf"{_NUMBER}\s*(k|thousand|m|mil|million|b|bn|billion)?\s*(?:learnable\s+|trainable\s+)?(?:param(?:eter)?s?|weights)\b"),
    ("flops", rf"{_NUMBER}\s*(k|m|g|t|b|billion|million)?\s*(?:flops?|macs?|multiply[- ]adds)\b"),
    ("inference_ms", rf"{_NUMBER}\s*(ms|milliseconds?|s|seconds?)\b(?:\s+(?:per|an?|each)\s+(?:image|frame|picture|photo))?"),
    ("training_memory_gb", rf"{_NUMBER}\s*(gb|gib|gigabytes?)\b\s*(?:of\s+)?(?:gpu\s+|video\s+)?(?:memory|vram|ram)"),
)
_BOUNDS = tuple(
    (quantity, re.compile(rf"{_BELOW}\s*{pattern}|{pattern}\s*(?:or\s+(?:less|fewer|smaller|lower|under)|at\s+most|max(?:imum)?|tops)", re.I))
    for quantity, pattern in _UNITS
)
_COMMERCIAL = re.compile(r"\b(commercial(?:ly)?(?:\s+use)?|for\s+business|in\s+(?:a|our|my)\s+(?:paid\s+)?product|permissive(?:ly)?\s+licen[cs]ed?|licen[cs]e\s+(?:that\s+)?allows?)\b", re.I)

# Metric names people write; graph.facts.metric_key says which metric each means.
_METRICS = re.compile(
    r"\b(top[- ]?1(?:\s+acc(?:uracy)?)?|top[- ]?5(?:\s+acc(?:uracy)?)?|acc@1|box\s+ap|bbox\s+ap|mask\s+ap|box\s+map|miou|mean\s+iou|pq|panoptic\s+quality"
    r"|psnr|ssim|fid|kid|lpips|hmean|word\s+accuracy)\b", re.I)


@dataclass(frozen=True)
class Intent:
    """What a question asks of the ranking beyond its task: an objective, bounds, a metric."""

    objective: str | None = None  # "metric" (best, most accurate), "size" (smallest) or "speed" (fastest)
    objective_said: str = ""
    constraints: tuple[Constraint, ...] = ()
    metric: str | None = None  # a metric the question names, canonical
    metric_said: str = ""

    @property
    def active(self) -> bool:
        """True when the question asks for merit: an objective, a bound or a metric."""
        return bool(self.objective or self.constraints or self.metric)


def read_intent(question: str) -> Intent:
    """The objective, constraints and metric a question states (see the module's docstring)."""
    text = re.sub(r"(?<=\d),(?=\d{3}\b)", "", " ".join(question.split()))  # 5,000,000 -> 5000000
    found = [(m.start(), name, m.group(0)) for name, pattern in _OBJECTIVES if (m := pattern.search(text))]
    _, objective, said = min(found) if found else (0, None, "")  # "a small fast model": the first word said wins
    constraints = []
    for quantity, pattern in _BOUNDS:
        match = pattern.search(text)
        if match:
            groups = match.groups()  # (number, unit) of the "under N" form, then of the "N or less" form
            number, unit = groups[0:2] if groups[0] is not None else groups[2:4]
            constraints.append(Constraint(quantity, _value(quantity, number, unit or ""), match.group(0).strip()))
    commercial = _COMMERCIAL.search(text)
    if commercial:
        constraints.append(Constraint(LICENCE, None, commercial.group(0)))
    metric = _METRICS.search(text)
    metric_name = None
    if metric:
        metric_name = metric_key(metric.group(0))
    if objective is None and metric_name and re.search(r"\b(lowest|highest|top|max(?:imum|imise|imize)?|min(?:imum|imise|imize)?)\b", text, re.I):
        objective, said = "metric", metric.group(0)
    return Intent(objective, said, tuple(constraints), metric_name, metric.group(0) if metric else "")


def _value(quantity: str, number: str, unit: str) -> float:
    """A bound in the quantity's own unit: a count for parameters and FLOPs, ms, GB."""
    value = float(number.replace(",", "."))  # a decimal comma: "2,5M"
    unit = unit.lower()
    if quantity in ("parameters", "flops"):
        return value * _SCALE.get(unit, 1.0)
    if quantity == "inference_ms" and unit.startswith("s"):
        return value * 1000.0
    return value
