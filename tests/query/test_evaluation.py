"""The evaluation sets: the graph ranking keeps its measured quality on `tune` (where settings are chosen)
and on `test` (never tuned on), and beats both baselines."""

import json
import math

import pytest

from modelatlas.graph.errors import IngestError
from modelatlas.query.evaluation import load_cases
from tests.conftest import REPO

DEV = REPO / "data" / "eval" / "tune.jsonl"
TEST = REPO / "data" / "eval" / "test.jsonl"


@pytest.fixture(scope="module")
def reports(atlas):
    return {r.system: r for r in atlas.evaluate(DEV, compare=True)}


def test_the_dev_set_has_the_seed_questions_and_unanswerable_ones():
    cases = load_cases(DEV)
    assert len(cases) >= 60 and sum(c.abstain for c in cases) >= 10
    seeds = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()[:4]]
    assert all(s.get("models") for s in seeds)


def test_graph_ranking_stays_above_its_measured_floor(reports):
    m = reports["graph"].metrics
    assert m["task@1"] >= 0.95  # measured 0.958 (875 questions)
    assert m["model_hit@3"] >= 0.95  # measured 1.000
    assert m["abstain_precision"] >= 0.95  # measured 0.963
    assert m["abstain_recall"] >= 0.95  # measured 0.988
    assert m["without_models_confident_wrong"] <= 1  # measured 1 of 104


@pytest.fixture(scope="module")
def test_reports(atlas):
    return {r.system: r for r in atlas.evaluate(TEST, compare=True)}


def test_on_the_test_set_named_methods_are_recommended_and_out_of_scope_abstains(test_reports):
    graph = test_reports["graph"]
    assert graph.metrics["method_hit@1"] == 1.0  # measured 1.000
    assert graph.categories["named-method"]["right"] == 1.0  # measured 1.000
    # The held-out set of 71 questions (docs/ranking.md §8); its low figures are defects that page reports.
    assert graph.categories["out-of-scope"]["right"] >= 0.85  # measured 1.000 (8 of 8)
    assert graph.categories["typo"]["right"] >= 0.85  # measured 1.000
    assert graph.metrics["task@1"] >= 0.8  # measured 0.821 held out: 0.137 under tune
    assert graph.metrics["without_models_confident_wrong"] <= 1  # measured 0 of 7
    for baseline in ("bm25", "dense"):  # both find the named method's checkpoints (1.000), not always its task (0.500)
        assert graph.categories["named-method"]["right"] > test_reports[baseline].categories["named-method"]["right"], baseline


def test_every_case_has_a_category_and_the_test_set_covers_each(test_reports):
    cases = load_cases(TEST)
    assert {c.category for c in cases} == {"paraphrase", "keyword", "typo", "named-method", "out-of-scope", "task-without-models"}
    assert all(c.category != "uncategorised" for c in load_cases(DEV))


def test_the_shipped_abstention_threshold_is_the_one_the_dev_set_supports(reports):
    from modelatlas.query.settings import RankSettings

    calibration = reports["graph"].calibration
    assert round(calibration.threshold, 3) == RankSettings().abstain_below  # else rerun `modelatlas eval --calibrate`


def test_graph_ranking_beats_both_baselines(reports):
    graph = reports["graph"].metrics
    for baseline in ("bm25", "dense"):
        other = reports[baseline].metrics
        assert graph["task@1"] > other["task@1"], baseline
        assert graph["model_hit@3"] > other["model_hit@3"], baseline


def test_no_answer_on_the_dev_set_names_a_url_outside_the_graph(atlas):
    import re

    urls = {n.url for n in atlas.catalog.nodes() if getattr(n, "url", None)}
    for answer in atlas.ask_many([c.question for c in load_cases(DEV)]):
        assert set(re.findall(r"\]\((https?://[^)\s]+)\)", answer.markdown)) <= urls


def test_a_bad_case_line_names_file_and_line(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text('{"question": "upscale my photo", "tasks": ["task:x"]}\n{"tasks": []}\n', encoding="utf-8")
    with pytest.raises(IngestError, match=r"cases\.jsonl:2: not a case"):
        load_cases(path)


def test_metrics_without_cases_of_a_kind_are_not_numbers(atlas, tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text('{"question": "upscale my photo 4x", "tasks": ["task:single-image-super-resolution"]}\n', encoding="utf-8")
    [report] = atlas.evaluate(path)
    assert report.metrics["task@1"] == 1.0 and math.isnan(report.metrics["model_hit@3"])


def test_a_case_that_expects_nothing_is_refused_not_counted_right(tmp_path):
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({"question": "best detector on COCO", "truth": {"task": ["Object Detection"]}}) + "\n", encoding="utf-8")
    with pytest.raises(IngestError, match="expects nothing.*test_merit"):
        load_cases(path)


def test_a_case_on_a_task_without_models_is_right_when_answered_so_or_abstained():
    from modelatlas.query.evaluation import Case, Prediction, score

    case = Case(1, "who spoke when", tasks=("task:speaker-diarization",), category="task-without-models", coverage="task_without_models")
    predictions = [
        Prediction(True, ("task:speaker-diarization",), (), (), 0.6, "task_without_models"),  # right
        Prediction(False, (), (), (), 0.2),  # abstained: right too
        Prediction(True, ("task:speaker-diarization",), ("model:x",), (), 0.6, "answered"),  # a neighbour's model: wrong
        Prediction(True, ("task:audio-classification",), (), (), 0.6, "task_without_models"),  # another task: wrong
    ]
    report = score("graph", [case] * 4, predictions)
    assert report.metrics["without_models_confident_wrong"] == 2
    assert report.categories["task-without-models"] == {"n": 4, "right": 0.5}
    assert math.isnan(report.metrics["abstain_recall"])  # such cases are not abstention cases


def test_the_threshold_makes_the_fewest_wrong_decisions_and_on_a_tie_abstains():
    from modelatlas.query.evaluation import Case, Prediction, calibrate_abstention

    def case(abstain: bool) -> Case:
        return Case(0, "q", abstain=abstain, tasks=() if abstain else ("task:x",))

    def said(signal: float) -> Prediction:
        return Prediction(True, (), (), (), signal)

    # Two should-abstain questions at 0.30 and 0.50; answerable ones at 0.40, 0.60 and 0.70.
    signals = [(True, 0.30), (False, 0.40), (True, 0.50), (False, 0.60), (False, 0.70)]
    calibration = calibrate_abstention([case(a) for a, _ in signals], [said(v) for _, v in signals])
    # Cut 0.35: one wrong (0.50 answered); cut 0.55: one wrong (0.40 abstained): the tie goes to the higher cut.
    assert calibration.threshold == 0.55
    assert len(calibration.sweep) == 4
