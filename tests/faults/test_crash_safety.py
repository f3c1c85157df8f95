"""Crash safety, proven by crashing: `ingest`, `remove` and `push` killed (SIGKILL) or failing on a full disk
at every write they make; the next command sees the catalog exactly as before or exactly as after.

The commands run as separate processes through run_with_faults.py, which counts every fsync, rename,
unlink and Oxigraph call as a fault point and kills the process (or raises ENOSPC) at the chosen one. A
real full disk comes from a small tmpfs where root may mount one.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from modelatlas.graph.types import edge_to_dict, node_to_dict
from modelatlas.graph.workspace import Workspace
from tests.conftest import run_cli, seed

HOOK = Path(__file__).with_name("run_with_faults.py")
MODELATLAS = str(Path(sys.executable).with_name("modelatlas"))


def run_faulty(home: Path, *args: str, at: int = 0, mode: str = "kill", delay: float | None = None, count: Path | None = None):
    env = {**os.environ, "MODELATLAS_HOME": str(home), "FAULT_AT": str(at), "FAULT_MODE": mode}
    env.pop("FAULT_DELAY", None)
    if delay is not None:
        env["FAULT_DELAY"] = str(delay)
    if count is not None:
        env["FAULT_COUNT"] = str(count)
    return subprocess.run([sys.executable, str(HOOK), "--no-default-catalog", *args], capture_output=True, text=True, env=env, timeout=600)


def catalog_state(home: Path) -> tuple:
    """What the next command sees: the documents of the catalog and the graph built from them, provenance included."""
    loaded = run_cli("--no-default-catalog", "stats", "--json", home=home)
    assert loaded.code == 0 and loaded.err == "", f"the catalog no longer loads: {loaded.err}"
    catalog = Workspace(home, include_default=False).load_graph()
    nodes = frozenset(json.dumps(node_to_dict(n), sort_keys=True) for n in catalog.nodes())
    edges = frozenset(json.dumps(edge_to_dict(e), sort_keys=True) for e in catalog.edges())
    manifest = home / "manifest.json"
    documents = tuple(d["sha1"] for d in json.loads(manifest.read_text())["documents"]) if manifest.exists() else ()
    return documents, nodes, edges


@pytest.fixture(scope="module", autouse=True)
def own_caches():
    """Each home keeps its own caches here, as users' homes do: every write a command makes is in the home."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("MODELATLAS_CACHE", raising=False)
        yield


@pytest.fixture(scope="module")
def template(own_caches, tmp_path_factory) -> Path:
    """A home holding seeds 000 and 002 (no default catalog), built."""
    home = tmp_path_factory.mktemp("template")
    for prefix in ("000", "002"):
        assert run_cli("--no-default-catalog", "ingest", str(seed(prefix)), home=home).code == 0
    return home


def fresh_home(template: Path, where: Path) -> Path:
    if where.exists():
        shutil.rmtree(where)
    shutil.copytree(template, where)
    return where


def reference_states(template: Path, tmp_path: Path, *args: str) -> tuple[tuple, tuple, int]:
    """The catalog before and after a command run without faults, and how many fault points it passes."""
    home = fresh_home(template, tmp_path / "reference")
    before = catalog_state(home)
    count = tmp_path / "count"
    done = run_faulty(home, *args, count=count)
    assert done.returncode == 0, done.stderr
    after = catalog_state(home)
    assert before != after
    return before, after, int(count.read_text())


COMMANDS = {
    "ingest": lambda: ("ingest", str(seed("001"))),
    "remove": lambda: ("remove", "000_a32f5ac54616c61f.txt"),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("mode", ["kill", "enospc"])
def test_a_command_stopped_at_any_write_leaves_the_catalog_before_or_after(template, tmp_path, command, mode):
    args = COMMANDS[command]()
    before, after, points = reference_states(template, tmp_path, *args)
    assert points >= 6, "the command should pass several writes"
    seen = {"before": 0, "after": 0}
    for at in range(1, points + 1):
        home = fresh_home(template, tmp_path / "home")
        done = run_faulty(home, *args, at=at, mode=mode)
        if mode == "kill":
            assert done.returncode == -9, f"fault point {at} of {points} was not reached"
        elif done.returncode != 0:
            [line] = done.stderr.strip().splitlines()[-1:]
            assert done.returncode == 1 and line.startswith("modelatlas: error: ") and "No space left on device" in line, done.stderr
            assert "Traceback" not in done.stderr
        state = catalog_state(home)
        assert state in (before, after), f"{command} stopped at fault point {at} of {points} ({mode}) left a third catalog"
        seen["before" if state == before else "after"] += 1
        if mode == "enospc" and done.returncode == 0:
            assert state == after
        # The next writer cleans up what the crash left, and works.
        again = run_cli("--no-default-catalog", *args, home=home)
        assert again.code in (0, 1), again.err
        assert catalog_state(home) == after or (again.code == 1 and state == after)
        assert not list(home.rglob(".*.tmp")) or all("build" in p.parts for p in home.rglob(".*.tmp"))
        assert sorted(p.name for p in (home / "sources").iterdir()) == sorted(d["file"] for d in json.loads((home / "manifest.json").read_text())["documents"])
    assert seen["before"] and seen["after"], seen


@contextmanager
def tmpfs(folder: Path):
    """A tmpfs mounted at `folder` (64 MiB until shrunk), or a skip where this machine does not allow it."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(folder)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}); the ENOSPC fault points above stand in for it")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def shrink_to(folder: Path, free_kib: int) -> None:
    """Shrink the tmpfs at `folder` so that `free_kib` KiB are left free."""
    stat = os.statvfs(folder)
    used_kib = (stat.f_blocks - stat.f_bfree) * stat.f_frsize // 1024
    subprocess.run(["mount", "-o", f"remount,size={used_kib + free_kib}k", str(folder)], check=True)


def test_a_really_full_disk_leaves_the_catalog_before_or_after(template, tmp_path):
    args = COMMANDS["ingest"]()
    before, after, _ = reference_states(template, tmp_path, *args)
    outcomes = set()
    for free_kib in (0, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 256, 1024):
        with tmpfs(tmp_path / "disk") as disk:
            home = fresh_home(template, disk / "home")
            shrink_to(disk, free_kib)
            done = run_cli("--no-default-catalog", *args, home=home)
            if done.code != 0:
                assert done.code == 1 and done.err.count("\n") == 1 and "No space left on device" in done.err, done.err
            state = catalog_state(home)  # the next command reads the catalog on the full disk
            assert state in (before, after), f"{free_kib} KiB free: a third catalog"
            outcomes.add((done.code, state == after))
    assert (0, True) in outcomes, "the largest disk should hold the ingest"
    assert any(code == 1 for code, _ in outcomes), f"no size was small enough to fill the disk: {outcomes}"


@pytest.fixture(scope="module")
def two_catalogs(template, tmp_path_factory) -> tuple[Path, Path]:
    """The template home, and a larger one (the template plus two OpenMMLab zoos), to push over each other."""
    from tests.conftest import REPO

    larger = fresh_home(template, tmp_path_factory.mktemp("larger") / "home")
    zoos = [REPO / "data/openmmlab/mmdet", REPO / "data/openmmlab/mmseg"]
    assert run_cli("--no-default-catalog", "ingest", *map(str, zoos), home=larger).code == 0
    return template, larger


def store_triples(folder: Path) -> frozenset:
    """The catalog an Oxigraph folder holds (the graph its pointer names), blank-node names (skolem IRIs, new at every push) left out."""
    import pyoxigraph

    from modelatlas.graph.stores import OxigraphStore

    store = pyoxigraph.Store(str(folder))
    try:
        graph = OxigraphStore.current_graph(store)
        quads = store.quads_for_pattern(None, None, None, graph)
        return frozenset(
            (str(q.subject), str(q.predicate), str(q.object)) if "/.well-known/genid/" not in str(q.subject) + str(q.object) else ("skolem", str(q.predicate), "")
            for q in quads
        ) | {("count", str(sum(1 for _ in store.quads_for_pattern(None, None, None, graph))), "")}
    finally:
        del store


def test_push_killed_at_any_point_leaves_the_store_before_or_after(two_catalogs, tmp_path):
    small, large = two_catalogs
    folder = tmp_path / "store"
    target = f"oxigraph:{folder}"
    assert run_faulty(small, "push", target).returncode == 0
    before = store_triples(folder)
    reference = tmp_path / "reference"
    count = tmp_path / "count"
    assert run_faulty(large, "push", f"oxigraph:{reference}", count=count).returncode == 0
    after = store_triples(reference)
    assert before != after
    points = int(count.read_text())
    rng = random.Random(14)
    stops = [("at", at) for at in range(1, points + 1)] + [("delay", rng.uniform(0.0, 1.5)) for _ in range(6)]
    seen = set()
    for how, when in stops:
        if folder.exists():
            shutil.rmtree(folder)
        assert run_faulty(small, "push", target).returncode == 0
        done = run_faulty(large, "push", target, **({"at": when} if how == "at" else {"delay": when}))
        assert done.returncode in (0, -9), done.stderr
        state = store_triples(folder)
        assert state in (before, after), f"push stopped ({how} {when}) left a third catalog in the store"
        seen.add(state == after)
        read = run_cli("--store", target, "--no-default-catalog", "stats", "--json", home=tmp_path / "reader")
        assert read.code == 0, read.err
    assert seen == {True, False}
