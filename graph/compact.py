"""The saved build in compact form: one SQLite file that commands read only as far as they need.

A cold `papers` should cost the few rows it touches, not the whole catalog (the JSON it replaced took
0.8 s to read into networkx on the default catalog, and 112 s at a million nodes). The file holds:

    meta(key, value)                  format, fingerprint, build warnings, the `stats` counts (JSON)
    nodes(idx, id, kind, name, data)  one row per node, idx its position in sorted id order; data its JSON
    keys(key, idx)                    the `ids.name_key` of each node's name and aliases, to find it by any spelling
    edges(relation, source, target, sources, results)
                                      one row per edge, source and target as node idx; sorted by
                                      (relation, source, target), with indexes to walk either way
    arrays(relation, sources, targets)
                                      per relation its edges as two int32 arrays of node idx (the same
                                      order), read at once by the walk (query/walk.py)

It is built in memory and written atomically (temporary file, fsync, rename), so a reader sees the old
build or the new one;
readers open it read-only and immutable (a saved build is replaced, never changed in place). Node rows
read once are kept (`SavedGraph._nodes`), so a long-running server parses each node once.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from modelatlas.graph.catalog import CatalogGraph
from modelatlas.graph.errors import CatalogError
from modelatlas.graph.ids import name_key
from modelatlas.graph.store import write_atomically
from modelatlas.graph.types import Edge, Node, NodeKind, Relation, node_from_dict, node_to_dict

if TYPE_CHECKING:
    import numpy as np

FORMAT = "modelatlas-graph/2"
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE nodes (idx INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE keys (key TEXT NOT NULL, idx INTEGER NOT NULL);
CREATE TABLE edges (relation TEXT NOT NULL, source INTEGER NOT NULL, target INTEGER NOT NULL, sources TEXT NOT NULL, results TEXT);
CREATE TABLE arrays (relation TEXT PRIMARY KEY, sources BLOB NOT NULL, targets BLOB NOT NULL);
"""
_INDEXES = """
CREATE INDEX nodes_by_kind ON nodes (kind, idx);
CREATE INDEX keys_by_key ON keys (key, idx);
CREATE UNIQUE INDEX edges_out ON edges (source, relation, target);
CREATE INDEX edges_in ON edges (target, relation, source);
CREATE INDEX edges_by_relation ON edges (relation);
"""


def save_compact(catalog: CatalogGraph, path: Path) -> None:
    """Write a catalog's saved build to `path`, replacing any older one whole: the database is built in
    memory and written through `store.write_atomically`, like every other file of a build."""
    write_atomically(path, _database(catalog))


def _database(catalog: CatalogGraph) -> bytes:
    """The saved build as the bytes of an SQLite database file."""
    ids = catalog.node_ids()
    position = {node_id: i for i, node_id in enumerate(ids)}
    counts = {name: dict(counter) for name, counter in catalog.counts().items()}
    connection = sqlite3.connect(":memory:")
    try:
        connection.executescript(_SCHEMA)
        meta = {"format": FORMAT, "fingerprint": catalog.fingerprint, "warnings": json.dumps(catalog.warnings), "counts": json.dumps(counts)}
        connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
        nodes = catalog.nodes()
        connection.executemany(
            "INSERT INTO nodes VALUES (?, ?, ?, ?, ?)",
            ((position[n.id], n.id, str(n.kind), n.name, json.dumps(node_to_dict(n), ensure_ascii=False)) for n in nodes),
        )
        connection.executemany(
            "INSERT INTO keys VALUES (?, ?)",
            ((key, position[n.id]) for n in nodes for key in {name_key(s) for s in (n.name, *getattr(n, "aliases", ()))} - {""}),
        )
        edges = sorted(catalog.edges(), key=lambda e: (list(Relation).index(e.relation), position[e.source], position[e.target]))
        connection.executemany(
            "INSERT INTO edges VALUES (?, ?, ?, ?, ?)",
            (
                (str(e.relation), position[e.source], position[e.target], json.dumps(e.sources, ensure_ascii=False),
                 json.dumps([[[n, v] for n, v in row] for row in e.results]) if e.results else None)
                for e in edges
            ),
        )
        for relation, (sources, targets) in catalog.edge_arrays().items():
            connection.execute("INSERT INTO arrays VALUES (?, ?, ?)", (str(relation), sources.astype("<i4").tobytes(), targets.astype("<i4").tobytes()))
        connection.executescript(_INDEXES)
        connection.commit()
        return connection.serialize()
    finally:
        connection.close()


class SavedGraph(CatalogGraph):
    """A saved build, read lazily: each look-up is an indexed query, and nodes are parsed when first read."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            meta = dict(self._db.execute("SELECT key, value FROM meta"))
            if meta.get("format") != FORMAT:
                raise CatalogError(f"{path}: not a saved ModelAtlas graph (format {meta.get('format')!r})")
            self.fingerprint = meta["fingerprint"]
            self.warnings = list(json.loads(meta["warnings"]))
            self._counts = {name: Counter(values) for name, values in json.loads(meta["counts"]).items()}
        except (sqlite3.Error, ValueError, KeyError, TypeError) as err:
            raise CatalogError(f"{path}: cannot read saved graph ({err})") from None
        self._lock = threading.Lock()  # one connection, shared by a server's threads
        self._nodes: dict[str, Node] = {}
        self._idx: dict[str, int | None] = {}
        self._tree = None
        self._results: dict | None = None

    def _rows(self, sql: str, args: tuple = ()) -> list[tuple]:
        try:
            with self._lock:
                return self._db.execute(sql, args).fetchall()
        except sqlite3.Error as err:
            raise CatalogError(f"{self.path}: cannot read saved graph ({err})") from None

    def _position(self, node_id: str) -> int | None:
        if node_id not in self._idx:
            found = self._rows("SELECT idx FROM nodes WHERE id = ?", (node_id,))
            self._idx[node_id] = found[0][0] if found else None
        return self._idx[node_id]

    def _parsed(self, rows: list[tuple]) -> list[Node]:
        """Nodes from (id, data) rows, parsing each at most once."""
        found = []
        for node_id, data in rows:
            node = self._nodes.get(node_id)
            if node is None:
                node = self._nodes[node_id] = node_from_dict(json.loads(data))
            found.append(node)
        return found

    def __contains__(self, node_id: object) -> bool:
        return isinstance(node_id, str) and self._position(node_id) is not None

    def node(self, node_id: str) -> Node:
        if node_id in self._nodes:
            return self._nodes[node_id]
        rows = self._rows("SELECT id, data FROM nodes WHERE id = ?", (node_id,))
        if not rows:
            raise KeyError(node_id)
        return self._parsed(rows)[0]

    def nodes(self, kind: NodeKind | None = None) -> list[Node]:
        if kind is None:
            return self._parsed(self._rows("SELECT id, data FROM nodes ORDER BY idx"))
        return self._parsed(self._rows("SELECT id, data FROM nodes WHERE kind = ? ORDER BY idx", (str(kind),)))

    def node_ids(self, kind: NodeKind | None = None) -> list[str]:
        if kind is None:
            return [r[0] for r in self._rows("SELECT id FROM nodes ORDER BY idx")]
        return [r[0] for r in self._rows("SELECT id FROM nodes WHERE kind = ? ORDER BY idx", (str(kind),))]

    def edges(self, relation: Relation | None = None) -> Iterator[Edge]:
        sql = (
            "SELECT e.relation, s.id, t.id, e.sources, e.results FROM edges e"
            " JOIN nodes s ON s.idx = e.source JOIN nodes t ON t.idx = e.target"
        )
        rows = self._rows(sql + " WHERE e.relation = ?", (str(relation),)) if relation is not None else self._rows(sql)
        for rel, source, target, sources, results in rows:
            table = tuple(tuple((str(n), float(v)) for n, v in row) for row in json.loads(results)) if results else ()
            yield Edge(source, target, Relation(rel), tuple(json.loads(sources)), table)

    def linked(self, node_id: str, relation: Relation, outgoing: bool = True) -> list[str]:
        return [r[0] for r in self._link_rows(node_id, relation, outgoing, "n.id")]

    def targets(self, node_id: str, relation: Relation) -> list[Node]:
        return self._parsed(self._link_rows(node_id, relation, True, "n.id, n.data"))

    def origins(self, node_id: str, relation: Relation) -> list[Node]:
        return self._parsed(self._link_rows(node_id, relation, False, "n.id, n.data"))

    def _link_rows(self, node_id: str, relation: Relation, outgoing: bool, columns: str) -> list[tuple]:
        """Rows of `columns` of the nodes linked to `node_id` through `relation`, in one query, by id."""
        at = self._position(node_id)
        if at is None:
            return []
        near, far = ("source", "target") if outgoing else ("target", "source")
        sql = f"SELECT {columns} FROM edges e JOIN nodes n ON n.idx = e.{far} WHERE e.{near} = ? AND e.relation = ? ORDER BY e.{far}"
        return self._rows(sql, (at, str(relation)))

    def neighbours(self, node_id: str) -> list[str]:
        at = self._position(node_id)
        if at is None:
            return []
        sql = (
            "SELECT n.id FROM nodes n WHERE n.idx IN"
            " (SELECT target FROM edges WHERE source = ?1 UNION SELECT source FROM edges WHERE target = ?1) ORDER BY n.idx"
        )
        return [r[0] for r in self._rows(sql, (at,))]

    def relations(self, source: str, target: str) -> list[str]:
        a, b = self._position(source), self._position(target)
        if a is None or b is None:
            return []
        return [r[0] for r in self._rows("SELECT relation FROM edges WHERE source = ? AND target = ? ORDER BY relation", (a, b))]

    def degree(self, node_id: str) -> int:
        at = self._position(node_id)
        if at is None:
            return 0
        return self._rows("SELECT (SELECT count(*) FROM edges WHERE source = ?1) + (SELECT count(*) FROM edges WHERE target = ?1)", (at,))[0][0]

    def edge_arrays(self) -> dict[Relation, tuple[np.ndarray, np.ndarray]]:
        import numpy as np

        return {
            Relation(rel): (np.frombuffer(sources, dtype="<i4").astype(np.int64), np.frombuffer(targets, dtype="<i4").astype(np.int64))
            for rel, sources, targets in self._rows("SELECT relation, sources, targets FROM arrays")
        }

    def names(self, kind: NodeKind) -> list[tuple[str, str]]:
        return self._rows("SELECT id, name FROM nodes WHERE kind = ? ORDER BY idx", (str(kind),))

    def keyed(self, kind: NodeKind, key: str) -> list[str]:
        sql = "SELECT n.id FROM keys k JOIN nodes n ON n.idx = k.idx WHERE k.key = ? AND n.kind = ? ORDER BY n.idx"
        return [r[0] for r in self._rows(sql, (key, str(kind)))]

    def counts(self) -> dict[str, Counter]:
        """The counts `stats` prints, computed when the build was saved."""
        return {name: Counter(values) for name, values in self._counts.items()}

    def results_of(self, model_id: str) -> tuple[tuple[str, str, float], ...]:
        if self._results is None:
            self._results = {}
        if model_id not in self._results:
            at = self._position(model_id)
            rows = [] if at is None else self._rows(
                "SELECT n.id, e.results FROM edges e JOIN nodes n ON n.idx = e.target"
                " WHERE e.source = ? AND e.relation = ? AND e.results IS NOT NULL ORDER BY e.target", (at, str(Relation.EVALUATED_ON)))
            self._results[model_id] = tuple((dataset, str(name), float(value)) for dataset, results in rows for row in json.loads(results) for name, value in row)
        return self._results[model_id]


def load_compact(path: Path) -> SavedGraph:
    """A saved build, or CatalogError naming the file and the problem."""
    if not path.is_file():
        raise CatalogError(f"{path}: no saved graph")
    return SavedGraph(path)
