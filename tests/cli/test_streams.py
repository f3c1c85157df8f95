"""Clean streams: stdout carries only the answer and stderr stays empty on success when they are not a terminal."""

from __future__ import annotations

import json

from tests.conftest import run_cli

Q = "how do I sharpen a blurry photo of my dog?"


def cold_home(atlas_home, tmp_path):
    """A home that must rebuild its graph and index; the tests' shared cache (tests/conftest.py) keeps it quick."""
    home = tmp_path / "home"
    (home / "build").mkdir(parents=True)
    return home


def test_a_cold_ask_prints_only_the_json_answer(atlas_home, tmp_path):
    run = run_cli("ask", "--json", Q, home=cold_home(atlas_home, tmp_path))
    assert run.code == 0 and run.err == "", run.err
    assert json.loads(run.out)["question"] == Q


def test_progress_bars_only_when_asked_for(atlas_home, tmp_path):
    run = run_cli("--progress", "stats", "--json", home=cold_home(atlas_home, tmp_path))
    assert run.code == 0 and "reading catalog documents" in run.err  # the bar the test above must not see
    assert json.loads(run.out)["nodes"]["model"] > 2000


def test_every_reading_command_keeps_stderr_empty(atlas_home, tmp_path):
    for args, parse in [
        (("ask", "--json", Q), json.loads),
        (("ask", "--format", "prompt", Q), str),
        (("papers", "--json", "SISR-Any-LIIF-RDN"), json.loads),
        (("stats", "--json"), json.loads),
        (("check", "--json"), lambda out: [json.loads(line) for line in out.splitlines()]),
        (("sparql", "--json", "ASK { ?m a mls:Model }"), json.loads),
    ]:
        run = run_cli(*args, home=atlas_home)
        assert run.code == 0 and run.err == "", (args, run.err)
        assert parse(run.out)


def test_a_broken_bibtex_file_is_one_line_without_the_parser_chatter(tmp_path):
    bib = tmp_path / "bad.bib"
    bib.write_text("@article{x,\n title={a", encoding="utf-8")
    run = run_cli("--no-default-catalog", "ingest", str(bib), home=tmp_path / "home")
    assert run.code == 1 and run.err == f"modelatlas: error: {bib}: no BibTeX entries could be read\n"
    loud = run_cli("--no-default-catalog", "--verbose", "ingest", str(bib), home=tmp_path / "home")
    assert "Unexpectedly reached end of file" in loud.err  # the library's own lines, when asked for
