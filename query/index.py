"""The embedding index of a catalog graph: node texts in a faiss index, plus sentence vectors for explanations.

Saved next to the graph in the build folder and keyed by the graph's fingerprint, so loading it embeds
nothing; a rebuild embeds only texts whose vectors are not already in the embedding cache.

The texts' vectors are saved as they are (`vectors.npy`, float32) and memory-mapped; every similarity a
search returns is computed from them, so it is exact. faiss finds the candidates: an exact flat index up
to `FLAT_LIMIT` texts (every catalog of today's size, searched in a few milliseconds), above it an
inverted-file index of 8-bit scalar-quantized vectors (a quarter of the memory, and a question reads
one in `PROBED` of its lists, not every text), whose `RESCORED` times more candidates are then scored
exactly. Forced onto the default catalog's 7,067 texts (168 lists, 33 read), the approximate index
returns a first text as close as the exact one for 95.8% of the tune questions, and 9.1 of the exact
ten nearest texts: sentence embeddings spread a question's neighbours over many lists, so recall needs
a fifth of them read (one in ten gave 90.2%).
"""

from __future__ import annotations

import hashlib
import io
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from modelatlas.graph.catalog import CatalogGraph
from modelatlas.graph.errors import CatalogError
from modelatlas.graph.store import keep_cached, write_atomically
from modelatlas.graph.types import NodeKind
from modelatlas.query.embedder import DIMENSION, MODEL_NAME, Embedder

INDEX_VERSION = "6"
FLAT_LIMIT = 200_000  # texts; an approximate index above
PROBED = 5  # the approximate index reads one in PROBED of its inverted lists a question
RESCORED = 4  # candidates read from the approximate index per text returned, then scored exactly
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


@dataclass(frozen=True)
class IndexEntry:
    """One embedded text and the node it speaks for."""

    node_id: str
    field: str
    text: str


class Entries(Sequence):
    """Index entries kept as three columns (node ids, fields, texts): a million of them load as three
    lists from JSON, not a million objects; an IndexEntry is made when one is read."""

    def __init__(self, node_ids: list[str], fields: list[str], texts: list[str]):
        if not len(node_ids) == len(fields) == len(texts):
            raise ValueError("index entries: columns of different lengths")
        self.node_ids, self.fields, self.texts = node_ids, fields, texts

    @classmethod
    def of(cls, entries: Iterable[IndexEntry]) -> Entries:
        rows = list(entries)
        return cls([e.node_id for e in rows], [e.field for e in rows], [e.text for e in rows])

    def __getitem__(self, row):
        if isinstance(row, slice):
            return Entries(self.node_ids[row], self.fields[row], self.texts[row])
        return IndexEntry(self.node_ids[row], self.fields[row], self.texts[row])

    def __len__(self) -> int:
        return len(self.node_ids)

    def to_json(self) -> dict:
        names = sorted(set(self.fields))
        code = {name: i for i, name in enumerate(names)}
        return {"node_ids": self.node_ids, "field_names": names, "fields": [code[f] for f in self.fields], "texts": self.texts}

    @classmethod
    def from_json(cls, data: dict) -> Entries:
        names = data["field_names"]
        return cls(data["node_ids"], [names[i] for i in data["fields"]], data["texts"])

    def spans(self) -> dict[str, tuple[int, int]]:
        """Each node's rows as (first, end): a node's entries are written together, one after another."""
        spans: dict[str, tuple[int, int]] = {}
        for row, node_id in enumerate(self.node_ids):
            first, end = spans.get(node_id, (row, row))
            if end != row:
                raise ValueError(f"index entries: the rows of {node_id} are not together")
            spans[node_id] = (first, row + 1)
        return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of a summary or description."""
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if len(s.split()) >= 3]


def index_entries(catalog: CatalogGraph) -> list[IndexEntry]:
    """The texts a question is matched against: task descriptions, aliases and examples, questions, models, papers, datasets."""
    entries: list[IndexEntry] = []
    for node in catalog.nodes():
        if node.kind == NodeKind.TASK:
            entries.append(IndexEntry(node.id, "description", node.text))
            # Acronyms ("VQA", "SISR") embed as noise that matches gibberish: only longer aliases are indexed.
            entries.extend(IndexEntry(node.id, "alias", a) for a in (node.name, *node.aliases) if len(a) >= 5)
            entries.extend(IndexEntry(node.id, "example", example) for example in node.examples)
        elif node.kind == NodeKind.QUESTION:
            entries.append(IndexEntry(node.id, "question", node.text))
        elif node.kind == NodeKind.PAPER:
            entries.append(IndexEntry(node.id, "paper", node.text))
        elif node.kind == NodeKind.MODEL:
            entries.append(IndexEntry(node.id, "description", node.description or node.name))
        elif node.kind == NodeKind.METHOD:
            entries.append(IndexEntry(node.id, "description", node.text))
        elif node.kind == NodeKind.DATASET and node.description:
            # A bare dataset name ("VQAv2") embeds as noise; such datasets are reached through edges only.
            entries.append(IndexEntry(node.id, "description", node.text))
    return entries


def sentence_entries(catalog: CatalogGraph) -> list[IndexEntry]:
    """The sentences an answer may quote, each cited to its node: of paper summaries, model and task descriptions."""
    entries: list[IndexEntry] = []
    for node in catalog.nodes():
        if node.kind == NodeKind.PAPER:
            entries.extend(IndexEntry(node.id, "sentence", s) for s in split_sentences(node.summary))
        elif node.kind in (NodeKind.MODEL, NodeKind.METHOD, NodeKind.TASK):
            entries.extend(IndexEntry(node.id, "sentence", s) for s in split_sentences(node.description))
    return entries


@dataclass
class SearchIndex:
    """Node texts in a faiss inner-product index (cosine on unit vectors) with their exact vectors, and sentence vectors by node."""

    entries: Entries
    faiss_index: Any
    entry_vectors: np.ndarray  # row i is entries[i]'s unit vector (memory-mapped once saved)
    sentences: Entries
    sentence_vectors: np.ndarray
    fingerprint: str
    sentence_spans: dict[str, tuple[int, int]] | None = field(default=None, repr=False)  # a node's sentence rows

    def __post_init__(self) -> None:
        if self.sentence_spans is None:
            self.sentence_spans = self.sentences.spans()

    def search(self, vector: np.ndarray, k: int) -> list[tuple[IndexEntry, float]]:
        """The k entries closest to a unit query vector, with cosine similarities, best first."""
        return [(self.entries[row], similarity) for row, similarity in self.search_rows(vector, k)]

    def search_rows(self, vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The rows of the k entries closest to a unit query vector, with cosine similarities, best first."""
        k = min(k, len(self.entries))
        if k == 0:
            return []
        import faiss

        query = vector.reshape(1, -1).astype(np.float32)
        if isinstance(self.faiss_index, faiss.IndexFlat):  # exact: its scores are the cosines
            scores, rows = self.faiss_index.search(query, k)
            return [(int(r), float(s)) for r, s in zip(rows[0], scores[0]) if r >= 0]
        _, found = self.faiss_index.search(query, min(len(self.entries), RESCORED * k))
        rows = np.unique(found[0][found[0] >= 0])  # sorted rows: the memory map is read in order
        exact = self.entry_vectors[rows] @ query[0]
        best = np.lexsort((rows, -exact))[:k]
        return [(int(rows[i]), float(exact[i])) for i in best]

    def vectors(self, rows: list[int]) -> np.ndarray:
        """The stored vectors of the entries at these rows."""
        if not rows:
            return np.zeros((0, DIMENSION), np.float32)
        return np.asarray(self.entry_vectors[np.asarray(rows, dtype=np.int64)], dtype=np.float32)

    def scored_sentences(self, node_id: str, vector: np.ndarray) -> list[tuple[str, float]]:
        """A node's sentences with their cosine similarity to the query vector, in the order of its text."""
        first, end = self.sentence_spans.get(node_id, (0, 0))
        if first == end:
            return []
        scores = self.sentence_vectors[first:end] @ vector
        return [(text, float(score)) for text, score in zip(self.sentences.texts[first:end], scores)]

    def closest_sentences(self, node_id: str, vector: np.ndarray, n: int = 1) -> list[tuple[str, float]]:
        """A node's n sentences closest to the query vector, in the order they appear in its text."""
        scored = self.scored_sentences(node_id, vector)
        best = sorted(sorted(range(len(scored)), key=lambda i: -scored[i][1])[:n])
        return [scored[i] for i in best]


def index_fingerprint(catalog: CatalogGraph) -> str:
    return hashlib.sha1(f"{catalog.fingerprint}\0{MODEL_NAME}\0{INDEX_VERSION}".encode()).hexdigest()


def load_or_build_index(catalog: CatalogGraph, build_dir: Path, embedder: Embedder, progress: bool = False, cache_dir: Path | None = None) -> SearchIndex:
    """The saved index if it was built from this graph, else a new one (embedding only new texts), saved; `progress` draws a bar."""
    fingerprint = index_fingerprint(catalog)
    try:
        index = load_index(build_dir)
        if index.fingerprint == fingerprint:
            return index
    except CatalogError:
        pass  # missing or unreadable: rebuilt below from the graph
    index = build_index(catalog, build_dir, embedder, fingerprint, progress, cache_dir)
    keep_cached(lambda: save_index(index, build_dir))
    return index


def build_index(catalog: CatalogGraph, build_dir: Path, embedder: Embedder, fingerprint: str, progress: bool = False,
                cache_dir: Path | None = None) -> SearchIndex:
    import faiss

    entries, sentences = Entries.of(index_entries(catalog)), Entries.of(sentence_entries(catalog))
    texts = entries.texts + sentences.texts
    vectors = _embed_with_cache(texts, (cache_dir or build_dir) / "embeddings.npz", embedder, progress, shared=cache_dir is not None)
    return SearchIndex(entries, faiss_text_index(vectors[: len(entries)]), vectors[: len(entries)], sentences, vectors[len(entries) :], fingerprint)


def faiss_text_index(vectors: np.ndarray, flat_limit: int = FLAT_LIMIT):
    """The faiss index that finds a question's candidate texts: exact and flat up to `flat_limit` vectors,
    else inverted lists (2 sqrt(n), trained on a sample of 40 vectors a list) of 8-bit scalar-quantized
    vectors, one in `PROBED` of them read a question; faiss saves that setting with the index."""
    import faiss

    if len(vectors) <= flat_limit:
        index = faiss.IndexFlatIP(DIMENSION)
        index.add(vectors)
        return index
    lists = int(2 * np.sqrt(len(vectors)))
    quantizer = faiss.IndexFlatIP(DIMENSION)
    index = faiss.IndexIVFScalarQuantizer(quantizer, DIMENSION, lists, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)
    sample = np.random.default_rng(0).choice(len(vectors), size=min(len(vectors), 40 * lists), replace=False)
    index.train(vectors[np.sort(sample)])
    index.add(vectors)
    index.nprobe = max(1, lists // PROBED)
    return index


def _embed_with_cache(texts: list[str], cache_path: Path, embedder: Embedder, progress: bool = False, shared: bool = False) -> np.ndarray:
    """Vectors for texts, reusing cached ones; a home's own cache then holds exactly these texts, a shared
    one (`MODELATLAS_CACHE`) these and those of the other homes."""
    keys = [hashlib.sha1(t.encode()).hexdigest() for t in texts]
    cached: dict[str, np.ndarray] = {}
    if cache_path.exists():
        try:
            with np.load(cache_path) as data:
                cached = dict(zip(data["keys"].tolist(), data["vectors"]))
        except (OSError, ValueError, KeyError):
            cached = {}
    missing = sorted({t for t, k in zip(texts, keys) if k not in cached})
    if missing:
        from tqdm import tqdm

        batch = 256
        bar = tqdm(total=len(missing), desc="embedding catalog texts", unit="text", file=sys.stderr, disable=not progress or len(missing) < batch)
        for start in range(0, len(missing), batch):
            chunk = missing[start : start + batch]
            for text, vector in zip(chunk, embedder.encode(chunk)):
                cached[hashlib.sha1(text.encode()).hexdigest()] = vector
            bar.update(len(chunk))
        bar.close()
    vectors = np.stack([cached[k] for k in keys]) if keys else np.zeros((0, DIMENSION), np.float32)
    used = sorted(set(cached) if shared else set(keys))
    stacked = np.stack([cached[k] for k in used]) if used else vectors
    keep_cached(lambda: write_atomically(cache_path, _array_bytes(np.savez, keys=np.array(used), vectors=stacked)))
    return vectors.astype(np.float32)


def _array_bytes(save: Any, *arrays: np.ndarray, **named: np.ndarray) -> bytes:
    """What `np.save` or `np.savez` would write to a file, as bytes for an atomic write."""
    buffer = io.BytesIO()
    save(buffer, *arrays, **named)
    return buffer.getvalue()


def save_index(index: SearchIndex, build_dir: Path) -> None:
    import faiss

    write_atomically(build_dir / "index.faiss", faiss.serialize_index(index.faiss_index).tobytes())
    write_atomically(build_dir / "vectors.npy", _array_bytes(np.save, np.asarray(index.entry_vectors, dtype=np.float32)))
    write_atomically(build_dir / "sentences.npy", _array_bytes(np.save, index.sentence_vectors))
    meta = {
        "fingerprint": index.fingerprint,
        "model": MODEL_NAME,
        "entries": index.entries.to_json(),
        "sentences": index.sentences.to_json(),
        "sentence_spans": index.sentence_spans,
    }
    write_atomically(build_dir / "index.json", orjson.dumps(meta))  # written last: the commit point


def load_index(build_dir: Path) -> SearchIndex:
    """Load a saved index, or raise CatalogError."""
    import faiss

    try:
        meta = orjson.loads((build_dir / "index.json").read_bytes())
        faiss_index = faiss.read_index(str(build_dir / "index.faiss"))  # straight into the index, no copy of the file in between
        entry_vectors = np.load(build_dir / "vectors.npy", mmap_mode="r")  # a question reads its candidates' rows
        sentence_vectors = np.load(build_dir / "sentences.npy", mmap_mode="r")  # an answer reads a few nodes' rows; the file is replaced, never changed
        entries, sentences = Entries.from_json(meta["entries"]), Entries.from_json(meta["sentences"])
        spans = meta["sentence_spans"]
    except (OSError, ValueError, KeyError, TypeError, IndexError, RuntimeError) as err:  # orjson.JSONDecodeError is a ValueError
        raise CatalogError(f"{build_dir}: cannot read saved index ({err})") from None
    if faiss_index.ntotal != len(entries) or len(entry_vectors) != len(entries) or len(sentence_vectors) != len(sentences):
        raise CatalogError(f"{build_dir}: saved index is inconsistent; it will be rebuilt")
    return SearchIndex(entries, faiss_index, entry_vectors, sentences, sentence_vectors, meta["fingerprint"], spans)
