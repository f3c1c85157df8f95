"""The README's examples run as written: every `modelatlas` line of its command block but `serve`."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

BLOCK = re.compile(r"## Using it\s+```bash\n(.*?)```", re.DOTALL)


def readme_commands() -> list[str]:
    block = BLOCK.search((REPO / "README.md").read_text(encoding="utf-8")).group(1)
    lines = [line for line in block.splitlines() if "modelatlas" in line]
    return [line.split("   #")[0].split("  # ")[0].rstrip() if not line.startswith("modelatlas sparql") else line for line in lines]


def test_the_block_lists_the_commands_users_need():
    commands = " ".join(readme_commands())
    for command in ("ask", "papers", "ingest", "remove", "stats", "check", "eval", "viz", "export", "sparql", "push", "serve"):
        assert f"modelatlas {command}" in commands or f"--store oxigraph:atlas-store {command}" in commands, command


@pytest.fixture(scope="module")
def workdir(atlas_home, tmp_path_factory):
    """A copy of the session's built home, and a working folder that sees the repository's data and docs."""
    home = tmp_path_factory.mktemp("readme") / "home"
    shutil.copytree(atlas_home, home)
    cwd = home.parent / "work"
    cwd.mkdir()
    for name in ("data", "docs"):
        (cwd / name).symlink_to(REPO / name)
    return home, cwd


def test_every_readme_example_runs_as_written(workdir):
    home, cwd = workdir
    venv = Path(sys.executable).parent
    env = {"PATH": f"{venv}:/usr/bin:/bin", "MODELATLAS_HOME": str(home), "HOME": str(home.parent)}
    if os.environ.get("MODELATLAS_CACHE"):  # the session's shared cache (tests/conftest.py): nothing is embedded again
        env["MODELATLAS_CACHE"] = os.environ["MODELATLAS_CACHE"]
    failures = []
    for command in readme_commands():
        if command.startswith("modelatlas serve"):
            continue
        done = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or not done.stdout.strip():
            failures.append(f"{command}: exit {done.returncode}: {done.stderr.strip()[-300:]}")
    assert not failures, "\n".join(failures)
