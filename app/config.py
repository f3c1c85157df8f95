"""The whole configuration in one dataclass: where the catalog lives and how questions are ranked."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from modelatlas.query.settings import RankSettings


def default_home() -> Path:
    """`$MODELATLAS_HOME`, else `$XDG_DATA_HOME/modelatlas`, else `~/.local/share/modelatlas`."""
    if os.environ.get("MODELATLAS_HOME"):
        return Path(os.environ["MODELATLAS_HOME"])
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "modelatlas"


def default_cache() -> Path | None:
    """`$MODELATLAS_CACHE`: a folder several homes share for what is keyed by content alone (parsed
    documents, text embeddings, the exported encoder); unset, each home keeps its own in `build/`."""
    return Path(os.environ["MODELATLAS_CACHE"]) if os.environ.get("MODELATLAS_CACHE") else None


@dataclass(frozen=True)
class Config:
    """ModelAtlas settings; the CLI fills them from flags and the environment, nothing else reads either."""

    home: Path = field(default_factory=default_home)
    include_default_catalog: bool = True
    ranking: RankSettings = field(default_factory=RankSettings)
    store: str | None = None  # read the catalog from this triple store (graph/stores.py) instead of the home's documents
    progress: bool = False  # draw progress bars on stderr while building (the CLI turns them on for a terminal)
    cache: Path | None = field(default_factory=default_cache)  # a content-keyed cache shared by homes; None: the home's build/
