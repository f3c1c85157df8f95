"""Recommending by merit, judged against truth computed here from the shipped model-index files themselves.

`merit.jsonl` is where the bound phrasings were tuned ("can afford", "fits in"); `merit_test.jsonl` was
written after and never tuned on. The truth reads the YAML with pyyaml and its own few lines of selection, never ModelAtlas's parser,
facts, leaderboard or ranking: for each question of data/eval/merit.jsonl, the checkpoints with a result
for the named task, dataset and metric, within the stated bounds, best first. The first recommended
model must be one of the best >= 90% of the time, and no recommended model may break a stated bound.
"""

import json
from pathlib import Path

import pytest
import yaml

from modelatlas.query.merit import break_ties_by_results
from tests.conftest import REPO

MERIT_SETS = (REPO / "data" / "eval" / "merit.jsonl", REPO / "data" / "eval" / "merit_test.jsonl")  # tune, then held out
ZOOS = REPO / "data" / "openmmlab"
# Figures `modelatlas check` reports as impossible (a comment that says otherwise, FLOPs per parameter 10-22x
# off the method's): no bound is decided on them, here as in the ranking.
BAD_FIGURES = {
    "regnetx-3.2gf_8xb64_in1k": {"params"}, "mobileone-s1_8xb32_in1k": {"flops"},
    "resnet34_8xb32_in1k": {"params", "flops"}, "repvgg-B0_8xb32_in1k": {"params", "flops"},
}


def _number(value):
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _zoo_checkpoints() -> dict[str, dict]:
    """name -> {results: [(task, dataset, metric, value)], params, flops, ms, memory}, from every metafile."""
    found = {}
    exported = sorted((REPO / "data").glob("*/model-index.yml"))  # torchvision, timm, open_clip
    for path in sorted(list(ZOOS.rglob("*.yml")) + list(ZOOS.rglob("*.yaml"))) + exported:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        models = data.get("Models") if isinstance(data, dict) else data if isinstance(data, list) else None
        for model in models or []:
            if not isinstance(model, dict) or "Name" not in model:
                continue
            meta = model.get("Metadata") if isinstance(model.get("Metadata"), dict) else {}
            timing = meta.get("inference time (ms/im)")
            timing = timing[0].get("value") if isinstance(timing, list) and timing and isinstance(timing[0], dict) else None
            results = model.get("Results") or []
            results = [results] if isinstance(results, dict) else results
            rows = [
                (r.get("Task"), r.get("Dataset"), metric, _number(value))
                for r in results if isinstance(r, dict) and isinstance(r.get("Metrics"), dict)
                for metric, value in r["Metrics"].items() if _number(value) is not None
            ]
            found[str(model["Name"])] = {
                "results": rows, "params": _number(meta.get("Parameters")), "flops": _number(meta.get("FLOPs")),
                "ms": _number(timing), "memory": _number(meta.get("Training Memory (GB)", meta.get("Memory (GB)"))),
            }
    return found


BOUNDS = {"max_params": "params", "max_flops": "flops", "max_ms": "ms", "max_memory": "memory"}
OBJECTIVES = {"size": "params", "speed": "ms", "memory": "memory"}


def _keeps(checkpoint: dict, name: str, truth: dict) -> bool:
    for bound, field in BOUNDS.items():
        if bound in truth:
            value = None if field in BAD_FIGURES.get(name, ()) else checkpoint[field]
            if value is None or value > truth[bound]:
                return False
    return True


def best_checkpoints(zoo: dict, truth: dict) -> set[str]:
    """The checkpoints that are the best answer to a question's truth spec (several when they tie)."""
    lower = truth.get("best") == "min"
    scored = []
    for name, checkpoint in zoo.items():
        values = [v for t, d, m, v in checkpoint["results"] if t in truth["task"] and d in truth["dataset"] and m in truth["metric"]]
        if not values or not _keeps(checkpoint, name, truth):
            continue
        value = min(values) if lower else max(values)
        objective = OBJECTIVES.get(truth.get("objective"))
        if objective:
            size = None if objective in BAD_FIGURES.get(name, ()) else checkpoint[objective]
            if size is None:
                continue
            scored.append(((size, value if lower else -value), name))
        else:
            scored.append(((value if lower else -value,), name))
    assert scored, f"no checkpoint fits {truth}"
    top = min(key for key, _ in scored)
    return {name for key, name in scored if key == top}


@pytest.fixture(scope="module")
def zoo():
    return _zoo_checkpoints()


@pytest.fixture(scope="module")
def cases():
    return [json.loads(line) for path in MERIT_SETS for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def answers(atlas, cases):
    return [a.to_json() for a in atlas.ask_many([c["question"] for c in cases])]


def test_the_merit_set_covers_the_kinds_of_question_and_task(cases):
    assert len(cases) >= 40
    tasks = {t for c in cases for t in c["truth"]["task"]}
    assert {"Image Classification", "Object Detection", "Instance Segmentation", "Semantic Segmentation", "Panoptic Segmentation",
            "Image Super-Resolution", "Unconditional GANs"} <= tasks
    assert {c["category"] for c in cases} == {"leaderboard", "constraint", "size", "speed"}


def test_the_first_recommendation_is_the_catalogs_best_nine_times_in_ten(zoo, cases, answers):
    misses = []
    for case, answer in zip(cases, answers):
        best = best_checkpoints(zoo, case["truth"])
        first = answer["models"][0]["name"] if answer["models"] else None
        if first not in best:
            misses.append(f"{case['question']!r}: {first} not in {sorted(best)[:3]}")
    rate = 1 - len(misses) / len(cases)
    assert rate >= 0.90, "\n".join(misses)


def test_no_recommendation_breaks_a_stated_bound(zoo, cases, answers):
    for case, answer in zip(cases, answers):
        truth = case["truth"]
        if not any(b in truth for b in BOUNDS):
            continue
        assert answer["constraints"], f"{case['question']!r}: no constraint read"
        for model in answer["models"]:
            assert _keeps(zoo[model["name"]], model["name"], truth), f"{case['question']!r}: {model['name']} breaks {truth}"


def test_each_merit_answer_says_what_ranked_its_models(cases, answers):
    for case, answer in zip(cases, answers):
        assert answer["benchmark"] is not None, case["question"]
        for model in answer["models"]:
            assert model["value"] is not None and model["metric"] and model["dataset"], case["question"]


def test_models_the_question_cannot_tell_apart_are_ordered_by_their_results(atlas):
    # "classify photos" matches every "X model for image classification" text about equally: results decide.
    catalog = atlas.catalog
    probe, eva02, mobilenet = ("model:resnet50_simsiam-100e-pre_8xb512-linear-coslr-90e_in1k",
                               "model:vit-large-p14_eva02_m38m-pre_in21k-medft_3rdparty_in1k-448px", "model:mobilenet-v2_8xb32_in1k")
    walk = ((probe, 1.0), (mobilenet, 0.95), (eva02, 0.94), ("model:openai/whisper-large-v3", 0.93), ("model:resnet50_8xb32_in1k", 0.5))
    order = break_ties_by_results(catalog, "task:image-classification", walk, 0.9)
    assert order[:3] == (eva02, mobilenet, probe)  # 89.8, 71.9 and 68.3 top-1 (the probe's linear evaluation)
    assert order[3:] == ("model:openai/whisper-large-v3", "model:resnet50_8xb32_in1k")  # no result here, then the untied
    answer = atlas.ask("classify photos of flowers into species")
    assert answer.tasks[0].id == "task:image-classification"
    assert not answer.workflow[0].model_name.startswith("resnet50_simsiam")  # a linear probe of a self-supervised model
