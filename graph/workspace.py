"""The user's catalog on disk: the shipped documents, the documents the user ingested, and the saved build.

Layout of a workspace home:
    manifest.json        the user's documents (the commit point of an ingest: replaced atomically)
    .lock                held (flock) by the one `ingest` or `remove` that may change the catalog at a time
    sources/             copies of the ingested documents, named `<sha1 prefix>-<file name>`
    build/graph.sqlite   the last built graph (graph/compact.py), with the fingerprint of the documents it was built from
    build/records/       each document's parsed records, keyed by its label and content, reused by rebuilds
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from importlib.resources import files
from pathlib import Path

from modelatlas.graph.additions import Additions, additions, why_empty
from modelatlas.graph.catalog import CatalogGraph
from modelatlas.graph.errors import CatalogError, IngestError
from modelatlas.graph.compact import load_compact, save_compact
from modelatlas.graph.store import home_lock, keep_cached, load_records, remove_leftovers, save_records, write_atomically
from modelatlas.graph.types import Records

BUILD_VERSION = "14"  # bump when parsing or building changes what a document yields
# The shipped zoos exported from Python packages by scripts/update-catalog (data/<folder>/model-index.yml).
EXPORTED_ZOOS = ("torchvision", "timm", "open_clip")


@dataclass(frozen=True)
class Document:
    """A document of the catalog: where it is and the provenance label its facts carry."""

    path: Path
    label: str
    format: str | None = None


@dataclass
class IngestReport:
    """What one `ingest` added (or, dry, would add): per document, its format and additions; and its warnings."""

    added: list[tuple[str, str, Additions]] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def relabel(records: Records, label: str) -> Records:
    """Records whose provenance names `label` instead of the path they were read from."""
    old = records.source

    def swap(sources: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(label if s == old else s for s in sources)

    return Records(
        source=label,
        nodes=[replace(n, sources=swap(n.sources)) for n in records.nodes],
        edges=[replace(e, sources=swap(e.sources)) for e in records.edges],
        warnings=list(records.warnings),
        documents=records.documents,
    )


@dataclass(frozen=True)
class Workspace:
    """A catalog home directory; `include_default` adds the shipped default catalog to the user's documents."""

    home: Path
    include_default: bool = True
    progress: bool = False  # a progress bar on stderr while documents are read for a build
    cache: Path | None = None  # a cache shared with other homes (Config.cache); None: this home's build folder
    _hashes: dict = field(default_factory=dict, init=False, repr=False, compare=False)  # path, size, mtime -> sha1

    def file_sha1(self, path: Path) -> str:
        """A file's SHA-1, computed once per content this workspace object sees."""
        try:
            stat = path.stat()
        except OSError as err:
            raise IngestError(path, f"cannot be read ({err.strerror or err})") from None
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        if key not in self._hashes:
            self._hashes[key] = _file_sha1(path)
        return self._hashes[key]

    def _records_key(self, doc: Document) -> str:
        return hashlib.sha1(f"{BUILD_VERSION}\0{doc.label}\0{doc.format}\0{self.file_sha1(doc.path)}".encode()).hexdigest()

    @property
    def manifest_path(self) -> Path:
        return self.home / "manifest.json"

    @property
    def build_dir(self) -> Path:
        return self.home / "build"

    @property
    def graph_path(self) -> Path:
        """The saved build of the catalog graph."""
        return self.build_dir / "graph.sqlite"

    @property
    def cache_dir(self) -> Path:
        """Where what is keyed by content alone is kept: parsed documents, embeddings, the exported encoder."""
        return self.cache if self.cache is not None else self.build_dir

    def default_documents(self) -> list[Document]:
        if not self.include_default:
            return []
        data = Path(str(files("modelatlas.data")))
        zoo = sorted((data / "openmmlab").glob("*/configs/**/*.y*ml"))
        exported = [data / folder / "model-index.yml" for folder in EXPORTED_ZOOS]
        paths = [data / "catalog.yaml", *sorted((data / "seeds").glob("*.txt")), *zoo, *exported, data / "huggingface" / "tasks.json"]
        return [Document(p, f"data/{p.relative_to(data).as_posix()}") for p in paths]

    def _manifest(self) -> list[dict]:
        if not self.manifest_path.exists():
            return []
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))["documents"]
        except (OSError, ValueError, KeyError) as err:
            raise CatalogError(f"{self.manifest_path}: cannot read the catalog manifest ({err})") from None

    def documents(self) -> list[Document]:
        """Every document of the catalog, shipped ones first."""
        user = [Document(self.home / "sources" / d["file"], f"sources/{d['file']}", d.get("format")) for d in self._manifest()]
        return self.default_documents() + user

    def fingerprint(self, documents: list[Document]) -> str:
        digest = hashlib.sha1(f"build {BUILD_VERSION}".encode())
        for doc in documents:
            digest.update(f"{doc.label}\0{self.file_sha1(doc.path)}\0".encode())
        return digest.hexdigest()

    def records(self, doc: Document) -> Records:
        """A document's records, from the records cache when it holds this very content."""
        cached_path = self.cache_dir / "records" / f"{self._records_key(doc)}.json"
        cached = load_records(cached_path)
        if cached is not None:
            return cached
        from modelatlas.ingest import parse_document

        records = relabel(parse_document(doc.path, doc.format)[1], doc.label)
        keep_cached(lambda: save_records(records, cached_path))
        return records

    def load_graph(self) -> CatalogGraph:
        """The catalog graph: the saved build if its documents are unchanged, else a new build, saved."""
        documents = self.documents()
        fingerprint = self.fingerprint(documents)
        saved = self.graph_path
        if saved.exists():
            try:
                catalog = load_compact(saved)
                if catalog.fingerprint == fingerprint:
                    return catalog
            except CatalogError:
                pass  # an unreadable build is rebuilt from the documents, which are the truth
        catalog = self._build(documents)
        catalog.fingerprint = fingerprint
        keep_cached(lambda: save_compact(catalog, saved))
        return catalog

    def _build(self, documents: list[Document]) -> CatalogGraph:
        from tqdm import tqdm

        from modelatlas.graph.build import build_graph

        bar = tqdm(documents, desc="reading catalog documents", unit="doc", file=sys.stderr, disable=not self.progress or len(documents) < 100, leave=False)
        catalog = build_graph([self.records(d) for d in bar])
        self._prune_records_cache()
        return catalog

    def remove(self, name: str) -> RemoveReport:
        """Take a user document out of the catalog, with everything that only it asserted."""
        with home_lock(self.home):
            self._tidy()
            return self._remove(name)

    def _remove(self, name: str) -> RemoveReport:
        entries = self._manifest()
        wanted = name.strip()
        matches = [
            e for e in entries
            if wanted in (e["file"], f"sources/{e['file']}", e.get("original"), Path(e.get("original", "")).name)
        ]
        if not matches:
            if any(d.label == wanted for d in self.default_documents()):
                raise CatalogError(f"{wanted}: part of the shipped default catalog; leave it out with --no-default-catalog")
            known = ", ".join(f"sources/{e['file']}" for e in entries) or "none"
            raise CatalogError(f"{wanted}: no such document in your catalog (yours: {known})")
        if len(matches) > 1:
            raise CatalogError(f"{wanted}: matches {len(matches)} documents; name one by its sources/ label")
        gone = matches[0]
        before = self.load_graph()
        remaining = [e for e in entries if e is not gone]
        write_atomically(self.manifest_path, json.dumps({"documents": remaining}, indent=1).encode())
        (self.home / "sources" / gone["file"]).unlink(missing_ok=True)
        after = self.load_graph()
        lost = Counter(before.node(n).kind.value for n in before.node_ids() if n not in after)
        lost_edges = sum(1 for e in before.edges() if not after.has_edge(e.source, e.target, e.relation))
        return RemoveReport(f"sources/{gone['file']}", gone.get("original", ""), lost, lost_edges)

    def _prune_records_cache(self) -> None:
        """Keep the records cache to the current documents' entries (a cache other homes share is left alone)."""
        if self.cache is not None:
            return
        keep = {self._records_key(d) for d in self.documents()}
        for path in (self.build_dir / "records").glob("*.json"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)

    def _tidy(self) -> None:
        """Remove what a writer killed half-way left: source copies no manifest names, unfinished temporary files."""
        named = {e["file"] for e in self._manifest()}
        sources = self.home / "sources"
        if sources.is_dir():
            for path in sources.iterdir():
                if path.is_file() and path.name not in named:
                    path.unlink(missing_ok=True)
        remove_leftovers(self.home)

    def ingest(self, paths: list[Path], format_name: str | None = None, dry_run: bool = False) -> IngestReport:
        """Add documents to the user's catalog; all of them or, on any error, none. `dry_run` only reports."""
        with home_lock(self.home):
            if not dry_run:
                self._tidy()
            return self._ingest(paths, format_name, dry_run)

    def _ingest(self, paths: list[Path], format_name: str | None, dry_run: bool) -> IngestReport:
        from modelatlas.graph.build import build_graph
        from modelatlas.ingest import parse_document

        report = IngestReport()
        existing = self.documents()
        known = {self.file_sha1(d.path) for d in existing}
        new: list[tuple[Path, str, Document, Records]] = []
        for path in _expand(paths):
            sha = self.file_sha1(path)
            if sha in known:
                report.unchanged.append(str(path))
                continue
            known.add(sha)
            fmt, records = parse_document(path, format_name)
            if not records.nodes and not records.edges:
                raise IngestError(path, why_empty(records))
            name = f"{sha[:12]}-{path.name}"
            doc = Document(self.home / "sources" / name, f"sources/{name}", fmt.name)
            new.append((path, sha, doc, relabel(records, doc.label)))
            report.warnings.extend(records.warnings)
        if not new:
            return report

        before = self.load_graph()
        after = build_graph([*(self.records(d) for d in existing), *(r for *_, r in new)])
        for path, _, doc, records in new:
            added = additions(records, before, after)
            if not added:
                raise IngestError(path, f"adds nothing: its {len(records.nodes)} nodes and {len(records.edges)} edges are in the catalog already, as it says them; nothing was added")
            report.added.append((str(path), doc.format or "", added))
        if dry_run:
            return report

        for path, _, doc, _ in new:
            write_atomically(doc.path, path.read_bytes())
        entries = self._manifest() + [
            {"file": doc.path.name, "original": str(path), "sha1": sha, "format": doc.format,
             "added": datetime.now(timezone.utc).isoformat(timespec="seconds")}
            for path, sha, doc, _ in new
        ]
        write_atomically(self.manifest_path, json.dumps({"documents": entries}, indent=1).encode())  # the commit point
        after.fingerprint = self.fingerprint(existing + [doc for _, _, doc, _ in new])
        keep_cached(lambda: save_compact(after, self.graph_path))  # committed above; a build is only a cache
        for _, _, doc, records in new:  # so that the next ingest reads them from the cache, and a failing one writes nothing
            keep_cached(lambda: save_records(records, self.cache_dir / "records" / f"{self._records_key(doc)}.json"))
        return report


@dataclass
class RemoveReport:
    """What `remove` took out: the document, and the nodes and edges no other document asserted."""

    label: str
    original: str
    nodes: Counter
    edges: int


def _file_sha1(path: Path) -> str:
    try:
        return hashlib.sha1(path.read_bytes()).hexdigest()
    except OSError as err:
        raise IngestError(path, f"cannot be read ({err.strerror or err})") from None


def _expand(paths: list[Path]) -> list[Path]:
    """Files named, and the files below folders named, skipping hidden ones."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*")) if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif path.exists():
            found.append(path)
        else:
            raise IngestError(path, "no such file or folder")
    return found
