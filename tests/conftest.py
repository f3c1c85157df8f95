"""Shared fixtures: the shipped seed documents, and one ModelAtlas home built once per test session."""

from __future__ import annotations

import ast
import fcntl
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from modelatlas.atlas import Atlas
from modelatlas.config import Config

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "data" / "seeds"
# The homes the tests build (in this process and in the programs they run) share one cache of what is
# keyed by content alone: the default catalog is parsed and embedded once per session, not per home.
# A new one each run, whatever the environment names (a test counts what it embeds); pytest-xdist's
# controller loads this file before it starts its workers, which inherit the variable.
_OWN_CACHE = "PYTEST_XDIST_WORKER" not in os.environ
if _OWN_CACHE:
    os.environ["MODELATLAS_CACHE"] = tempfile.mkdtemp(prefix="modelatlas-test-cache-")
SEED_FILES = sorted(SEEDS.glob("*.txt"))
SEED_MODELS = {
    "000": "Txt2Img-StableDiffusionV1-QGO-PromptingReal",
    "001": "SISR-Any-LIIF-RDN",
    "002": "Deblur-MIMO-UNet-RealBlur",
    "003": "Txt2Img-StableDiffusionV1-PirsusEpicRealism",
}


def pytest_unconfigure(config):
    """The process that made the shared cache (the controller, or the only process) removes it."""
    if _OWN_CACHE and not hasattr(config, "workerinput"):
        shutil.rmtree(os.environ["MODELATLAS_CACHE"], ignore_errors=True)


def free_port() -> int:
    """A port of 127.0.0.1 nobody listens on, for a server a test starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def home_snapshot(home: Path) -> dict[str, bytes]:
    """Every file of a home and its bytes, but the writers' lock file (empty, created by the first writer)."""
    return {str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file() and p.name != ".lock"}


def seed(prefix: str) -> Path:
    return next(p for p in SEED_FILES if p.name.startswith(prefix))


@pytest.fixture(scope="session")
def atlas_home(tmp_path_factory) -> Path:
    """A home whose graph and index are built once from the default catalog, then only read."""
    home = tmp_path_factory.mktemp("home")
    cache = Path(os.environ["MODELATLAS_CACHE"])
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / "build.lock", "w") as lock:  # one worker embeds the catalog, the other then reads the cache
        fcntl.flock(lock, fcntl.LOCK_EX)
        _ = Atlas(Config(home=home)).ranker  # builds and saves graph and index
    return home


@pytest.fixture(scope="session")
def atlas(atlas_home) -> Atlas:
    return Atlas(Config(home=atlas_home))


@dataclass
class Run:
    code: int
    out: str
    err: str


HEAVY_MODULES = ("torch", "sentence_transformers", "transformers", "faiss", "onnxruntime")


def heavy_imports(*args: str, home: Path) -> tuple[int, list[str]]:
    """Run one command line of the program in a fresh interpreter: its exit status and the heavy modules it imported."""
    probe = (
        "import sys\n"
        "from modelatlas.program import run\n"
        f"status = run({list(args)!r})\n"
        f"print(status, sorted(m for m in {HEAVY_MODULES!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env={**os.environ, "MODELATLAS_HOME": str(home)})
    status, modules = done.stdout.strip().splitlines()[-1].split(" ", 1)
    return int(status), ast.literal_eval(modules)


def run_cli(*args: str, home: Path, stdin: str | None = None, env: dict | None = None) -> Run:
    """Run the installed `modelatlas` program as a user would, in a separate process."""
    full_env = {**os.environ, "MODELATLAS_HOME": str(home), **(env or {})}
    done = subprocess.run(
        [str(Path(sys.executable).with_name("modelatlas")), *args], input=stdin, capture_output=True, text=True, env=full_env, timeout=600
    )
    return Run(done.returncode, done.stdout, done.stderr)
