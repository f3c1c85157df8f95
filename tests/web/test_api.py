"""The JSON API against the real server: the same objects as the CLI, clear 4xx errors, nothing written."""

from __future__ import annotations

import hashlib
import json
from urllib.parse import quote

import httpx
import pytest

from modelatlas.query.question import MAX_QUESTION_CHARS
from tests.conftest import SEED_MODELS, run_cli, seed


def _seed_question(prefix: str) -> str:
    text = seed(prefix).read_text(encoding="utf-8")
    return text.split('"')[1]


def test_api_ask_matches_the_cli_json_for_each_seed_question(server, atlas_home):
    questions = [_seed_question(p) for p in SEED_MODELS]
    batch = atlas_home.parent / "seed-questions.txt"
    batch.write_text("\n".join(questions) + "\n", encoding="utf-8")
    run = run_cli("ask", "--json", "--batch", str(batch), home=atlas_home)
    assert run.code == 0, run.err
    cli = [json.loads(line) for line in run.out.splitlines()]
    for question, expected, model in zip(questions, cli, SEED_MODELS.values()):
        got = httpx.get(server.url + "/api/ask", params={"q": question}, timeout=60).json()
        assert got == expected
        assert got["models"][0]["name"] == model


def test_api_papers_matches_the_cli(server, atlas_home):
    run = run_cli("papers", "SISR-Any-LIIF-RDN", "--json", home=atlas_home)
    got = httpx.get(server.url + "/api/models/" + quote("model:SISR-Any-LIIF-RDN", safe=":") + "/papers", timeout=30)
    assert got.status_code == 200 and got.json() == json.loads(run.out)
    by_name = httpx.get(server.url + "/api/models/SISR-Any-LIIF-RDN/papers", timeout=30).json()
    assert by_name == got.json()


def test_api_graph_neighbourhood_and_filters(server):
    data = httpx.get(server.url + "/api/graph", params={"center": "model:SISR-Any-LIIF-RDN", "depth": 1}, timeout=30).json()
    ids = {n["id"] for n in data["nodes"]}
    assert {"model:SISR-Any-LIIF-RDN", "paper:arxiv:2012.09161", "task:arbitrary-scale-super-resolution"} <= ids
    assert all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    tasks = httpx.get(server.url + "/api/graph", params={"kind": "task"}, timeout=30).json()
    assert tasks["nodes"] and {n["kind"] for n in tasks["nodes"]} == {"task"}
    family = httpx.get(server.url + "/api/graph", params={"task": "task:arbitrary-scale-super-resolution", "max_nodes": 5000}, timeout=30).json()
    assert "model:SISR-Any-LIIF-RDN" in {n["id"] for n in family["nodes"]}
    assert "task:object-detection" not in {n["id"] for n in family["nodes"]}


def test_api_leaderboard_matches_the_cli(server, atlas_home):
    api = httpx.get(server.url + "/api/leaderboards/semantic segmentation", params={"dataset": "VOC 2012"}, timeout=30).json()
    cli = json.loads(run_cli("leaderboard", "semantic segmentation", "--dataset", "VOC 2012", "--json", home=atlas_home).out)
    assert api == cli and api["dataset"]["name"] == "Pascal VOC 2012" and api["rows"][0]["value"] == 78.7


def test_pictures_draw_methods_unless_checkpoints_are_asked_for(server):
    params = {"center": "task:instance-segmentation", "depth": 1}
    methods = httpx.get(server.url + "/api/graph", params=params, timeout=30).json()
    every = httpx.get(server.url + "/api/graph", params={**params, "checkpoints": "true"}, timeout=30).json()
    assert "method:maskrcnn" in {n["id"] for n in methods["nodes"]} and len(methods["nodes"]) < len(every["nodes"]) / 2
    assert sum(n["kind"] == "model" for n in every["nodes"]) > 100


def test_a_model_page_shows_what_the_checkpoint_states_and_doubts(server):
    page = httpx.get(server.url + "/models/model:resnet34_8xb32_in1k", timeout=30).text
    assert "States: 2.18M parameters, 3.68G FLOPs" in page and "Doubtful figure: parameters" in page


@pytest.mark.parametrize(
    ("path", "params", "status", "says"),
    [
        ("/api/ask", {"q": ""}, 400, "empty"),
        ("/api/ask", {"q": "   \u200b "}, 400, "empty"),
        ("/api/ask", {"q": "x" * (MAX_QUESTION_CHARS + 1)}, 413, "limit is 2000"),
        ("/api/models/NoSuchModelAnywhere/papers", {}, 404, "no such model"),
        ("/api/graph", {"kind": "planet"}, 400, "unknown node kind"),
        ("/api/graph", {"center": "model:nope"}, 404, "no such node"),
        ("/api/graph", {"center": "model:SISR-Any-LIIF-RDN", "depth": 99}, 422, ""),
        ("/api/leaderboards/cooking", {}, 404, "no such task"),
        ("/api/leaderboards/image classification", {"metric": "BLEU"}, 404, "no results to rank"),
    ],
)
def test_bad_requests_get_a_clear_4xx(server, path, params, status, says):
    response = httpx.get(server.url + path, params=params, timeout=30)
    assert response.status_code == status
    assert says in json.dumps(response.json())


def test_pages_report_errors_as_pages_not_stack_traces(server):
    response = httpx.get(server.url + "/ask", params={"q": "y" * (MAX_QUESTION_CHARS + 5)}, timeout=30)
    assert response.status_code == 413 and "the limit is 2000" in response.text and "Traceback" not in response.text
    missing = httpx.get(server.url + "/models/NoSuchModelAnywhere", timeout=30)
    assert missing.status_code == 404 and "no such model" in missing.text


def test_openapi_documents_the_api(server):
    spec = httpx.get(server.url + "/openapi.json", timeout=30).json()
    assert {"/api/ask", "/api/models/{model}/papers", "/api/graph", "/api/leaderboards/{task}"} <= set(spec["paths"])
    assert httpx.get(server.url + "/docs", timeout=30).status_code == 200


def test_the_server_writes_nothing_to_the_catalog(server, atlas_home):
    def snapshot() -> dict[str, str]:
        return {str(p.relative_to(atlas_home)): hashlib.sha1(p.read_bytes()).hexdigest() for p in sorted(atlas_home.rglob("*")) if p.is_file()}

    before = snapshot()
    for path, params in [("/api/ask", {"q": "upscale my photo 4x"}), ("/ask", {"q": "denoise a scan"}), ("/graph", {}), ("/tasks/task:image-denoising", {})]:
        assert httpx.get(server.url + path, params=params, timeout=60).status_code == 200
    assert snapshot() == before
