"""Files written atomically (temporary file, then rename), the home's writer lock, and the parsed-records cache."""

from __future__ import annotations

import errno
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from modelatlas.graph.types import Records, edge_from_dict, edge_to_dict, node_from_dict, node_to_dict


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()  # what open() would give a new file; mkstemp alone gives 0600


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never half of one."""
    with replacing(path) as handle:
        handle.write(data)


@contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A file to write `path` through: a temporary file beside it, fsynced and renamed over it only if the
    block ends without an error, so readers see the old file or the new one, never half of one."""
    if path.is_dir():
        raise OSError(errno.EISDIR, "is a folder; name a file to write", str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as err:
        if err.errno is None:
            raise
        raise OSError(err.errno, err.strerror, str(path)) from None
    try:
        os.fchmod(fd, _FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(err, OSError) and err.errno is not None:  # name the file the user knows, not the temporary one
            raise OSError(err.errno, err.strerror, str(path)) from None
        raise


def keep_cached(write: Callable[[], None]) -> bool:
    """Run a write that only saves work for later (a build, a records or embedding cache): on a full or
    read-only disk the command goes on without it, and the next one computes the same again."""
    try:
        write()
        return True
    except OSError:
        return False


@contextmanager
def home_lock(home: Path) -> Iterator[None]:
    """Hold the home's writer lock: one `ingest` or `remove` at a time changes a catalog; others wait their turn."""
    import fcntl

    home.mkdir(parents=True, exist_ok=True)
    with open(home / ".lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # released when the file closes, or when its process dies
        yield


def remove_leftovers(home: Path, build_age_s: float = 600.0) -> None:
    """Delete the temporary files of writes that were killed before their rename (`.NAME.XXXX.tmp`).

    In the home and sources/ only the lock's holder writes, so every such file there is a leftover; in
    build/ a reader may be saving a build right now, so only files older than `build_age_s` go.
    """
    import time

    for folder, min_age in ((home, 0.0), (home / "sources", 0.0), (home / "build", build_age_s), (home / "build" / "records", build_age_s)):
        for path in folder.glob(".*.tmp") if folder.is_dir() else ():
            try:
                if time.time() - path.stat().st_mtime >= min_age:
                    path.unlink()
            except OSError:
                pass


def save_records(records: Records, path: Path) -> None:
    """Save one document's parsed records, so that a rebuild need not parse it again."""
    data = {
        "source": records.source,
        "nodes": [node_to_dict(n) for n in records.nodes],
        "edges": [edge_to_dict(e) for e in records.edges],
        "warnings": records.warnings,
        "documents": list(records.documents),
    }
    write_atomically(path, json.dumps(data, ensure_ascii=False).encode())


def load_records(path: Path) -> Records | None:
    """Saved records, or None if the file is missing or unreadable (the document is then parsed again)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Records(
            source=data["source"],
            nodes=[node_from_dict(n) for n in data["nodes"]],
            edges=[edge_from_dict(e) for e in data["edges"]],
            warnings=list(data["warnings"]),
            documents=tuple(data.get("documents", ())),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
