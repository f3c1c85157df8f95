"""The real server: `modelatlas serve` started as a user would, on a free port of 127.0.0.1, stopped after."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import REPO, free_port

HOSTILE_SEED = (
    'A user has asked the following question:\n"How does AI upscale pixel art sprites by 4x?"\n\n'
    "### Recommended AI Models:\nModel: SISR-Evil<script>window.__xss=1</script>\nGitHub: https://github.com/evil/evil\n\n"
    "### Related Papers:\nModel: <script>window.__xss=2</script><img src=x onerror=\"window.__xss=3\"> Pixel art upscaling\n"
    "Paper: https://arxiv.org/abs/2101.00001\nSummary: Upscaling pixel art sprites by 4x <b onmouseover=\"window.__xss=4\">works</b> well.\n\nAnswer:\n"
)


class Server:
    """A running `modelatlas serve` process and its base URL."""

    def __init__(self, home: Path, *options: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = home.parent / f"serve-{self.port}.log"
        program = str(Path(sys.executable).with_name("modelatlas"))
        env = {**os.environ, "MODELATLAS_HOME": str(home)}
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen([program, *options, "serve", "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"the server did not answer within 300 s: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def server(atlas_home):
    running = Server(atlas_home)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def hostile_server(tmp_path_factory):
    """A server over a catalog holding only a seed whose names and summary carry HTML and script."""
    from modelatlas.atlas import Atlas
    from modelatlas.config import Config

    home = tmp_path_factory.mktemp("hostile-home")
    doc = home.parent / "hostile-seed.txt"
    doc.write_text(HOSTILE_SEED, encoding="utf-8")
    Atlas(Config(home=home, include_default_catalog=False)).ingest([doc])
    running = Server(home, "--no-default-catalog")
    yield running
    running.stop()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where browser tests leave their screenshots (kept after the run)."""
    folder = Path(os.environ.get("MODELATLAS_TEST_ARTIFACTS", REPO / "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder
