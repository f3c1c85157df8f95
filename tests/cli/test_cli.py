"""The `modelatlas` program as a user runs it: output, exit status, one-line errors, and start-up cost."""

import json
from pathlib import Path

import pytest

from tests.conftest import REPO, SEED_FILES, SEED_MODELS, heavy_imports, home_snapshot, run_cli, seed

Q001 = "I enlarged a small and noisy image by 8x, and the result looked impressively natural. How does AI manage to generate such clean results from very limited input?"


def one_line_error(run, *fragments):
    assert run.code != 0
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("modelatlas: error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def test_ask_prints_the_markdown_answer(atlas_home):
    run = run_cli("ask", Q001, home=atlas_home)
    assert run.code == 0, run.err
    assert "## 1. What you are doing" in run.out and "## 2. How it works" in run.out and "## 3. Papers and tools" in run.out
    assert "SISR-Any-LIIF-RDN" in run.out and "https://github.com/yinboc/liif" in run.out


def test_ask_json_prints_one_object(atlas_home):
    run = run_cli("ask", "--json", Q001, home=atlas_home)
    assert run.code == 0, run.err
    [line] = run.out.strip().splitlines()
    data = json.loads(line)
    assert data["confident"] is True and data["models"][0]["id"] == "model:SISR-Any-LIIF-RDN"
    assert data["models"][0]["code_url"] == "https://github.com/yinboc/liif"


def test_ask_reads_the_question_from_stdin(atlas_home):
    run = run_cli("ask", "--json", "-", home=atlas_home, stdin=Q001)
    assert json.loads(run.out)["models"][0]["name"] == "SISR-Any-LIIF-RDN"


def test_batch_answers_each_line_in_order(atlas_home, tmp_path):
    questions = [seed(p).read_text().split('"')[1] for p in sorted(SEED_MODELS)] + ["What's a good lasagna recipe?"]
    batch = tmp_path / "questions.txt"
    batch.write_text("\n".join(questions[:2]) + "\n\n" + "\n".join(questions[2:]) + "\n", encoding="utf-8")
    run = run_cli("ask", "--json", "--batch", str(batch), home=atlas_home)
    assert run.code == 0, run.err
    rows = [json.loads(line) for line in run.out.strip().splitlines()]
    assert [r["question"] for r in rows] == questions
    assert [r["models"][0]["name"] for r in rows[:4]] == [SEED_MODELS[p] for p in sorted(SEED_MODELS)]
    assert rows[4]["confident"] is False and rows[4]["models"] == []


@pytest.mark.parametrize("question", ["", "   \t "])
def test_empty_question_is_a_one_line_error(atlas_home, question):
    one_line_error(run_cli("ask", question, home=atlas_home), "the question is empty")


def test_megabyte_question_is_a_one_line_error(atlas_home):
    run = run_cli("ask", "-", home=atlas_home, stdin="why " * 262144)
    one_line_error(run, "1048576 characters long; the limit is 2000")


def test_batch_with_a_bad_line_names_file_and_line_and_answers_nothing(atlas_home, tmp_path):
    batch = tmp_path / "q.txt"
    batch.write_text(f"{Q001}\n\u200b\u200b\n", encoding="utf-8")
    run = run_cli("ask", "--batch", str(batch), home=atlas_home)
    one_line_error(run, f"{batch}:2: the question is empty")
    assert run.out == ""


def test_batch_file_that_is_not_utf8_is_a_one_line_error(atlas_home, tmp_path):
    batch = tmp_path / "latin1.txt"
    batch.write_bytes("Comment agrandir une image très petite ?\n".encode("latin-1"))
    one_line_error(run_cli("ask", "--batch", str(batch), home=atlas_home), "latin1.txt:1: not UTF-8 text")


@pytest.mark.parametrize("prefix", sorted(SEED_MODELS))
def test_papers_lists_the_seed_related_papers(atlas_home, prefix):
    run = run_cli("papers", SEED_MODELS[prefix], "--json", home=atlas_home)
    assert run.code == 0, run.err
    data = json.loads(run.out)
    titles = {p["title"] for p in data["papers"]}
    blocks = seed(prefix).read_text().split("### Related Papers:")[1].split("\nModel: ")[1:]
    assert {b.split("\n")[0].strip() for b in blocks} <= titles


def test_papers_by_part_of_a_name_in_text(atlas_home):
    run = run_cli("papers", "mimo", home=atlas_home)
    assert run.code == 0
    assert run.out.startswith("Deblur-MIMO-UNet-RealBlur (Image deblurring): ")
    first = run.out.split("\n\n")[1]
    assert first.startswith("1. Rethinking Coarse-To-Fine Approach in Single Image Deblurring") and "why: describes the model" in first
    assert "https://arxiv.org/abs/2407.17596" in run.out


def test_unknown_model_is_an_error_suggesting_close_names(atlas_home):
    one_line_error(run_cli("papers", "LIIF-RDM", home=atlas_home), "no such model", "did you mean: ", "SISR-Any-LIIF-RDN")


def zoo_files() -> list[Path]:
    """The shipped model-index files: OpenMMLab's metafiles (and mmpose's per-config files) and the exported zoos."""
    return [*(REPO / "data" / "openmmlab").glob("*/configs/**/*.y*ml"), *(REPO / "data").glob("*/model-index.yml")]


def zoo_model_names() -> set[str]:
    """The model names the shipped metafiles hold, read independently of ModelAtlas's parser."""
    import yaml

    names = set()
    for path in zoo_files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        models = data if isinstance(data, list) else (data or {}).get("Models") or []
        names |= {m["Name"] for m in models if isinstance(m, dict) and m.get("Name")}
    return names


def test_stats_counts_match_what_the_files_hold(atlas_home):
    data = json.loads(run_cli("stats", "--json", home=atlas_home).out)
    task_map = json.loads((REPO / "data" / "huggingface" / "tasks.json").read_text(encoding="utf-8"))["tasks"]
    hub_models = {m["id"] for t in task_map for m in t["models"]}
    assert data["nodes"]["model"] == len(zoo_model_names() | set(SEED_MODELS.values()) | hub_models)
    assert data["nodes"]["question"] == 4
    assert data["edges"]["recommends"] == 4 and data["edges"]["related_to"] == 11
    documents = 1 + len(SEED_FILES) + len(zoo_files()) + 1  # and the task map
    assert data["sources"]["documents"] == documents


def test_ingest_reports_what_it_added_and_a_bad_file_changes_nothing(tmp_path):
    home = tmp_path / "home"
    good = tmp_path / "good.txt"
    good.write_text(seed("001").read_text().replace("SISR-Any-LIIF-RDN", "SISR-Any-MetaSR"), encoding="utf-8")
    run = run_cli("ingest", str(good), home=home)
    assert run.code == 0, run.err
    assert run.out.strip() == f"added {good} (seed-prompt): 1 model, 3 edges"
    before = home_snapshot(home)
    bad = tmp_path / "bad.txt"
    bad.write_text(seed("002").read_text().replace("### Recommended AI Models:", "### Models"), encoding="utf-8")
    one_line_error(run_cli("ingest", str(bad), home=home), "bad.txt: no '### Recommended AI Models:' section")
    assert home_snapshot(home) == before
    papers = json.loads(run_cli("papers", "MetaSR", "--json", home=home).out)
    assert papers["model"]["tasks"] == [{"id": "task:arbitrary-scale-super-resolution", "name": "Arbitrary-scale single-image super-resolution"}]


def test_ingest_warns_about_what_it_skipped(tmp_path):
    doc = tmp_path / "partial.txt"
    doc.write_text(seed("003").read_text().replace("Model: Hi4D: 4D Instance Segmentation of Close Human Interaction", "Model:"), encoding="utf-8")
    run = run_cli("--no-default-catalog", "ingest", str(doc), home=tmp_path / "home")
    assert run.code == 0
    assert "warning:" in run.err and "model block with no name; skipped" in run.err


def test_a_document_that_adds_nothing_is_refused_and_dry_run_changes_nothing(tmp_path):
    home = tmp_path / "home"
    again = tmp_path / "again.txt"
    again.write_text(seed("003").read_text() + "\n", encoding="utf-8")  # another file, facts the catalog holds
    one_line_error(run_cli("ingest", str(again), home=home), "again.txt: adds nothing", "nothing was added")
    nameless = tmp_path / "metafile.yml"
    nameless.write_text("Models:\n  - In Collection: X\n    Config: configs/x.py\n", encoding="utf-8")
    one_line_error(run_cli("ingest", str(nameless), home=home), "metafile.yml: holds no task, model, paper", "has no Name")
    assert not (home / "manifest.json").exists()
    new = tmp_path / "new.txt"
    new.write_text(seed("001").read_text().replace("SISR-Any-LIIF-RDN", "SISR-Any-MetaSR"), encoding="utf-8")
    before = home_snapshot(home)
    dry = run_cli("ingest", "--dry-run", str(new), home=home)
    assert dry.code == 0 and dry.out.strip() == f"would add {new} (seed-prompt): 1 model, 3 edges"
    assert {k: v for k, v in home_snapshot(home).items() if not k.startswith("build")} == {k: v for k, v in before.items() if not k.startswith("build")}
    assert run_cli("papers", "MetaSR", home=home).code == 1


def test_graph_only_commands_do_not_import_torch(atlas_home):
    assert heavy_imports("papers", "SISR-Any-LIIF-RDN", home=atlas_home) == (0, [])


def test_check_reports_the_real_data_problems(atlas_home):
    run = run_cli("check", "--json", home=atlas_home)
    assert run.code == 0, run.err
    findings = [json.loads(line) for line in run.out.strip().splitlines()]
    kinds = {"metric-out-of-range", "paper-without-link", "paper-link-is-code", "model-without-task", "duplicate-name", "doubtful-figure"}
    assert kinds == {f["check"] for f in findings} - {"build-warning"}


def test_stats_unmapped_lists_tasks_outside_the_curated_catalog(atlas_home):
    rows = json.loads(run_cli("stats", "--unmapped", "--json", home=atlas_home).out)["unmapped_tasks"]
    names = {r["name"] for r in rows}
    assert "Region Proposal" in names and "Image Super-Resolution" not in names and "Deblurring" not in names


def test_ingest_then_remove_round_trip(tmp_path):
    home = tmp_path / "home"
    doc = tmp_path / "mine.txt"
    doc.write_text(seed("001").read_text().replace("SISR-Any-LIIF-RDN", "SISR-Any-MetaSR"), encoding="utf-8")
    assert run_cli("ingest", str(doc), home=home).code == 0
    run = run_cli("remove", "mine.txt", home=home)
    assert run.code == 0, run.err
    assert run.out.startswith("removed sources/") and "1 model" in run.out
    one_line_error(run_cli("papers", "MetaSR", home=home), "no such model")


def test_papers_answers_for_a_method_by_any_spelling(atlas_home):
    for name in ("LIIF", "SwinIR", "Mask R-CNN", "maskrcnn"):
        run = run_cli("papers", name, "--json", home=atlas_home)
        assert run.code == 0, run.err
        data = json.loads(run.out)
        assert data["method"]["kind"] == "method" and data["method"]["checkpoints"], name
        assert data["papers"][0]["reasons"][0] == "describes the method"


def test_papers_lists_the_candidates_of_an_ambiguous_name_grouped_by_method(atlas_home):
    run = run_cli("papers", "deeplab", home=atlas_home)
    assert run.code == 0 and run.err == ""
    assert "matches" in run.out.splitlines()[0] and "  method DeepLabV3+ (46 checkpoints)" in run.out
    data = json.loads(run_cli("papers", "deeplab", "--json", home=atlas_home).out)
    assert {"method:deeplabv3", "method:deeplabv3plus"} <= {c["id"] for c in data["candidates"]}
