"""Typed facts about checkpoints: metrics with their direction, quantities with units, licences.

Documents write the same fact many ways ("Top 1 Accuracy", "top-1", "Acc@1"; "25.6M", 25557032;
"Apache License 2.0", "apache-2.0"). These functions read them into one form, so that leaderboards
group one metric and constraints compare numbers in one unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

# Canonical metric names, each with the spellings documents and people use (compared by `metric_key`).
_METRIC_SPELLINGS: dict[str, tuple[str, ...]] = {
    "top-1 accuracy": ("top 1 accuracy", "top1", "top-1", "acc@1", "top1 acc", "top-1 acc", "accuracy@1"),
    "top-5 accuracy": ("top 5 accuracy", "top5", "top-5", "acc@5"),
    "box AP": ("box ap", "bbox ap", "bbox map", "box map", "coco ap"),
    "mask AP": ("mask ap", "mask map", "segm ap"),
    "mIoU": ("miou", "mean iou"),
    "PQ": ("pq", "panoptic quality"),
    "hmean-iou": ("hmean", "h-mean"),
    "word_acc": ("word accuracy", "word acc"),
}
_METRIC_BY_KEY = {re.sub(r"[^a-z0-9@]+", "", s): name for name, spellings in _METRIC_SPELLINGS.items() for s in (name.lower(), *spellings)}

# Metrics where lower is better: distances, errors and the matting losses; every other metric is higher-is-better.
# The name may go on with digits or words ("FID50k", "FID (Our Pipeline)", "NIQE (Y)").
_LOWER_IS_BETTER = re.compile(r"^(fid|kid|lpips|niqe|brisque|pi|mse|rmse|mae|sad|grad|conn|l1 error|error|top-?[15] error|cer|wer)(?![a-z])", re.IGNORECASE)


@cache  # documents use a few dozen metric names, each read thousands of times
def metric_key(name: str) -> str:
    """The canonical name of a metric: "Top 1 Accuracy" and "top-1" are "top-1 accuracy"; others as written."""
    return _METRIC_BY_KEY.get(re.sub(r"[^a-z0-9@]+", "", name.lower()), " ".join(name.split()))


def metric_matches(wanted: str, name: str) -> bool:
    """True when a metric a document names is the one wanted or a variant of it ("FID" -> "FID50k", "PSNR (Y)")."""
    key, want = metric_key(name).lower(), metric_key(wanted).lower()
    return key == want or (key.startswith(want) and not key[len(want)].isalpha())


@cache
def higher_is_better(metric: str) -> bool:
    """True unless the metric is a distance or an error (FID, LPIPS, NIQE, MSE, SAD …)."""
    return not _LOWER_IS_BETTER.match(metric.strip())


# --- quantities ---------------------------------------------------------------------------------

_SUFFIX = {"": 1.0, "k": 1e3, "m": 1e6, "g": 1e9, "b": 1e9, "t": 1e12}
_QUANTITY = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?)\s*([kmgbt]?)\s*$", re.IGNORECASE)


def count_value(value: object) -> float | None:
    """A count as a number: 25557032, 2.5e7, "25.6M", "4.1 G"; None for what is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if value >= 0 else None
    if isinstance(value, str):
        match = _QUANTITY.match(value.replace(",", ""))
        if match:
            return float(match.group(1)) * _SUFFIX[match.group(2).lower()]
    return None


def format_count(value: float, billion: str = "G") -> str:
    """A count for people: 25557032 -> "25.6M", 4.1e9 -> "4.1G" (or "4.1B" for parameters)."""
    for suffix, scale in (("T", 1e12), (billion, 1e9), ("M", 1e6), ("K", 1e3)):
        if value >= scale:
            return f"{value / scale:.3g}{suffix}"
    return f"{value:g}"


# --- licences -----------------------------------------------------------------------------------

# Licences that allow commercial use, by SPDX id, with the spellings documents use.
_PERMISSIVE = {
    "Apache-2.0": ("apache license 2.0", "apache 2.0", "apache-2.0", "apache license, version 2.0", "apache2"),
    "MIT": ("mit", "mit license"),
    "BSD-3-Clause": ("bsd-3-clause", "bsd 3-clause", "bsd"),
    "BSD-2-Clause": ("bsd-2-clause",),
    "CC-BY-4.0": ("cc-by-4.0", "cc by 4.0"),
    "OpenRAIL-M": ("creativeml-openrail-m", "openrail-m", "openrail"),
}
_SPDX = {s: spdx for spdx, spellings in _PERMISSIVE.items() for s in (spdx.lower(), *spellings)}


def licence_id(text: str | None) -> str | None:
    """The SPDX id of a licence a document names, else the name as written (None when none is named)."""
    if not text or not text.strip():
        return None
    return _SPDX.get(" ".join(text.lower().split()), " ".join(text.split()))


def allows_commercial_use(licence: str | None) -> bool | None:
    """True for a permissive licence, False for a named one that is not known to be, None when none is named."""
    if licence is None:
        return None
    return licence_id(licence) in _PERMISSIVE


# --- what a checkpoint states -------------------------------------------------------------------

@dataclass(frozen=True)
class Quantity:
    """A measured property a constraint can bound: its unit and how people say it."""

    unit: str
    label: str


QUANTITIES: dict[str, Quantity] = {  # keyed by the `Model` field that holds it
    "parameters": Quantity("", "parameters"),
    "flops": Quantity("FLOPs", "FLOPs"),
    "inference_ms": Quantity("ms", "inference time per image"),
    "training_memory_gb": Quantity("GB", "training memory"),
}


def format_quantity(quantity: str, value: float) -> str:
    """A quantity's value with its unit: "25.6M parameters", "4.1G FLOPs", "20 ms"."""
    q = QUANTITIES[quantity]
    if quantity == "parameters":
        return f"{format_count(value, 'B')} {q.label}"
    if quantity == "flops":
        return f"{format_count(value)} {q.label}"
    return f"{value:g} {q.unit}"
