"""Scale benchmark: synthetic catalogs of 10k, 100k (and 1M) nodes, in memory and in an Oxigraph folder.

The generator draws a catalog with the default catalog's shape: about 60% models, 25% papers, 8% code
repositories, 5% datasets and 2% tasks (a tree under 20 roots); each model performs one task, is
described in one paper (a paper has about 2.4 models), uses 1-3 datasets (popular ones far more often:
Zipf) and is evaluated on one; 40% of papers have code. Descriptions come from a pool of 300 sentences.

Node texts are not embedded by the real model here: on 2 cores it embeds about 40 texts a second, so a
1M-node catalog would take hours, and that cost is linear and measured by bench/cli_latency.py. They get
deterministic pseudo-random unit vectors (a hash of the text seeds them) instead; the question is
embedded by the real model. Index size, faiss search and the graph walk are what this benchmark scales.

For each size, in a fresh process: build the graph (networkx, as every build), save it in the compact
form (graph.sqlite, graph/compact.py), open it again and time `papers`, in that process and in a fresh one
(open, find a model by name, list its papers); build, save and, in another fresh process, load the index
and ranker and answer questions (the real embedding model, faiss search and the local walk), with that
process's peak memory: what an `ask` costs at that size. Then push the catalog into an Oxigraph folder as
streamed N-Triples (push time, folder size, SPARQL query times there), and build the rdflib view (time,
SPARQL query times) up to 200,000 nodes.

Run:  .venv/bin/python bench/scale.py [--sizes 10000 100000] [--questions 20]
Prints a Markdown table; docs/performance.md quotes it with the machine it ran on.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERIES = {
    "models of a task": 'SELECT ?m WHERE { ?m ma:performsTask ?t . ?t schema:name "Task 7" }',
    "papers of a model": 'SELECT ?p WHERE { ?m schema:name "model-00000123" ; ma:describedIn ?p }',
    "tasks with no model": "SELECT ?t WHERE { ?t a mls:Task . FILTER NOT EXISTS { ?m ma:performsTask ?t } }",
}
ENCODER_DIR = Path(tempfile.gettempdir()) / "modelatlas-scale-encoder"  # the ONNX export, shared by every size and run
WORDS = ("image", "noise", "blur", "scale", "detail", "face", "text", "scene", "object", "mask", "video", "depth", "colour", "style", "light")


def sentence_pool(rng: random.Random, size: int = 300) -> list[str]:
    return [f"A network that maps the {' '.join(rng.sample(WORDS, 3))} of an input to a cleaner {rng.choice(WORDS)} map." for _ in range(size)]


def synthetic_records(n: int, seed: int = 7):
    """Records of a synthetic catalog of about n nodes."""
    from modelatlas.graph.types import Code, Dataset, Edge, Model, Paper, Records, Relation, Task

    rng = random.Random(seed)
    pool = sentence_pool(rng)
    counts = {"task": max(20, n * 2 // 100), "dataset": max(10, n * 5 // 100), "paper": n * 25 // 100, "code": n * 8 // 100}
    counts["model"] = n - sum(counts.values())
    src = ("synthetic",)
    records = Records("synthetic")
    tasks = [f"task:t{i}" for i in range(counts["task"])]
    for i, task in enumerate(tasks):
        records.nodes.append(Task(task, f"Task {i}", rng.choice(pool), curated=True, sources=src))
        if i >= 20:
            records.edges.append(Edge(task, tasks[rng.randrange(0, min(i, 20 + i // 10))], Relation.NARROWER_THAN, src))
    datasets = [f"dataset:d{i}" for i in range(counts["dataset"])]
    records.nodes += [Dataset(d, f"Dataset {i}", sources=src) for i, d in enumerate(datasets)]
    papers = [f"paper:arxiv:{2000 + i // 99999}.{i % 99999:05d}" for i in range(counts["paper"])]
    codes = [f"code:github.com/org{i % 997}/repo{i}" for i in range(counts["code"])]
    records.nodes += [Code(c, "https://" + c[5:], src) for c in codes]
    for i, paper in enumerate(papers):
        records.nodes.append(Paper(paper, f"Paper {i} on {rng.choice(WORDS)}", f"https://arxiv.org/abs/{paper[12:]}", paper[12:], rng.choice(pool), sources=src))
        for task in rng.sample(tasks, rng.choice((1, 1, 2))):
            records.edges.append(Edge(paper, task, Relation.ADDRESSES, src))
        if codes and rng.random() < 0.4:
            records.edges.append(Edge(paper, rng.choice(codes), Relation.IMPLEMENTED_BY, src))
    zipf = list(itertools.accumulate(1.0 / (r + 1) for r in range(len(datasets))))  # cumulative, computed once
    for i in range(counts["model"]):
        model = f"model:model-{i:08d}"
        records.nodes.append(Model(model, model[6:], rng.choice(pool), sources=src))
        records.edges.append(Edge(model, rng.choice(tasks), Relation.PERFORMS, src))
        records.edges.append(Edge(model, papers[i * len(papers) // counts["model"]], Relation.DESCRIBED_IN, src))
        for dataset in set(rng.choices(datasets, cum_weights=zipf, k=rng.randint(1, 3))):
            records.edges.append(Edge(model, dataset, Relation.USES_DATASET, src))
        records.edges.append(Edge(model, rng.choices(datasets, cum_weights=zipf)[0], Relation.EVALUATED_ON, src, ((("PSNR", round(rng.uniform(20, 35), 2)),),)))
    return records


class HashEmbedder:
    """Stands in for the embedding model on catalog texts: a unit vector seeded by a hash of each text."""

    def encode(self, texts: list[str]):
        import hashlib

        import numpy as np

        from modelatlas.query.embedder import DIMENSION

        rows = []
        for text in texts:
            rng = np.random.default_rng(int.from_bytes(hashlib.sha1(text.encode()).digest()[:8], "little"))
            v = rng.standard_normal(DIMENSION).astype(np.float32)
            rows.append(v / np.linalg.norm(v))
        return np.stack(rows) if rows else np.zeros((0, DIMENSION), np.float32)


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    result, times = None, []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def push_ntriples(catalog, store, path: Path) -> int:
    """What `modelatlas push` does: stream the catalog to an N-Triples file, then load it into the store."""
    from modelatlas.graph.rdf import write_ntriples
    from modelatlas.graph.stores import skolem_base

    with open(path, "wb") as out:
        write_ntriples(catalog, ["synthetic"], out, skolem_base())
    return store.write(path)


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


COLD_PAPERS = """
import json, sys, time
start = time.perf_counter()
from modelatlas.graph.compact import load_compact
from modelatlas.graph.methods import find_subject
catalog = load_compact(__import__("pathlib").Path(sys.argv[1]))
model = find_subject(catalog, sys.argv[2])
papers = catalog.papers_for_model(model.id)
print(json.dumps({"seconds": time.perf_counter() - start, "papers": len(papers)}))
"""


def cold_papers(work: Path, name: str) -> float:
    """A fresh process that opens the saved graph, finds a model by name and lists its papers (what `papers` does)."""
    done = subprocess.run([sys.executable, "-c", COLD_PAPERS, str(work / "graph.sqlite"), name], capture_output=True, text=True, check=True)
    return json.loads(done.stdout)["seconds"]


def own_peak_mib() -> float:
    """This process's own peak resident memory (VmHWM). Not getrusage's ru_maxrss: Linux carries the
    parent's peak across the fork and exec of a subprocess, so a process started by the build would
    report the build's memory (10.9 GiB at 1M nodes, for an ask that peaks at 3.0)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ask_phase(work: Path, questions: int) -> dict:
    """In this (fresh) process: open the saved graph and index, build the ranker, answer questions; peak memory."""
    from modelatlas.graph.compact import load_compact
    from modelatlas.query.embedder import Embedder
    from modelatlas.query.index import load_index
    from modelatlas.query.lexical import load_or_build_lexical
    from modelatlas.query.names import load_or_build_names
    from modelatlas.query.rank import Ranker

    row: dict = {}
    start = time.perf_counter()
    catalog = load_compact(work / "graph.sqlite")
    index = load_index(work)
    row["ask: open graph and index (s)"] = time.perf_counter() - start
    row["ask: load names, words, walk matrix and ranker (s)"], ranker = timed(
        lambda: Ranker(catalog, index, names=load_or_build_names(catalog, work), lexical=load_or_build_lexical(index, catalog, work))
    )
    embedder = Embedder(onnx_dir=ENCODER_DIR)  # as `ask` embeds: ONNX (exported once, by the first run)
    rng = random.Random(3)
    asked = [f"how does AI {' '.join(rng.sample(WORDS, 3))} in my photo" for _ in range(questions)]
    embedder.encode(asked[:2])  # load the model before timing
    encoding = []
    for question in asked:
        start = time.perf_counter()
        embedder.encode([question])
        encoding.append(time.perf_counter() - start)
    # The catalog's vectors are hashes, so a real question's vector matches nothing and the ranking would
    # abstain before the walk: each question is ranked with the vector of one random task's name instead,
    # which seeds the walk at that task (and its models, papers and datasets).
    names = [e.text for e in index.entries if e.node_id.startswith("task:") and e.field == "alias"]
    ranking, results = [], []
    for question, text in zip(asked, rng.sample(names, len(asked))):
        vector = HashEmbedder().encode([text])[0]
        start = time.perf_counter()
        ranked = ranker.rank(question, vector)
        ranking.append(time.perf_counter() - start)
        assert ranked.tasks, "the seeded walk reached no task"
        results.append((question, vector, ranked))
    peak = own_peak_mib()  # before the comparison below builds a second walk matrix
    # The walk's epsilon grows with the catalog above its reference size (query/rank.py): the same top 3
    # as with the unscaled epsilon (the one checked against the exact walk on the default catalog)?
    import dataclasses

    unscaled = Ranker(catalog, index, dataclasses.replace(ranker.settings, walk_reference_edges=2**62), ranker.names, ranker.lexical)
    top3 = lambda r: [[s.node_id for s in getattr(r, kind)[:3]] for kind in ("tasks", "models", "papers")]  # noqa: E731
    row["walk epsilon (scaled)"] = f"{ranker.walk_epsilon:.1e}"
    row["top 3 as with epsilon unscaled (questions)"] = f"{sum(top3(r) == top3(unscaled.rank(q, v)) for q, v, r in results)} of {len(results)}"
    p50 = lambda xs: sorted(xs)[len(xs) // 2]  # noqa: E731
    p95 = lambda xs: sorted(xs)[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]  # noqa: E731
    row["encoder alone, p50 (ms)"] = 1000 * p50(encoding)
    row["rank (search, words, walk), p50 (ms)"] = 1000 * p50(ranking)
    row["rank, p95 (ms)"] = 1000 * p95(ranking)
    row["warm `ask` = encoder + rank, p50 (ms)"] = 1000 * (p50(encoding) + p50(ranking))
    row["warm `ask` / encoder alone"] = (p50(encoding) + p50(ranking)) / p50(encoding)
    row["ask: peak memory (MiB)"] = peak
    return row


def one_size(n: int, questions: int, store_limit: int = 200_000, rdf_limit: int = 200_000) -> dict:
    """Every measure for one size: the build in this process, `papers` and `ask` in fresh ones."""
    from modelatlas.graph.build import build_graph
    from modelatlas.graph.compact import load_compact, save_compact
    from modelatlas.graph.rdf import catalog_to_rdf
    from modelatlas.graph.sparql import run_query
    from modelatlas.graph.stores import OxigraphStore
    from modelatlas.query.index import build_index, index_fingerprint, save_index
    from modelatlas.query.lexical import load_or_build_lexical
    from modelatlas.query.names import load_or_build_names

    row: dict = {"size": n}
    work = Path(tempfile.mkdtemp(prefix=f"modelatlas-scale-{n}-"))
    records = synthetic_records(n)
    row["build graph (s)"], built = timed(lambda: build_graph([records]))
    del records
    built.fingerprint = f"synthetic-{n}"
    row["nodes"], row["edges"] = built.graph.number_of_nodes(), built.graph.number_of_edges()
    row["save graph.sqlite (s)"], _ = timed(lambda: save_compact(built, work / "graph.sqlite"))
    row["graph.sqlite (MB)"] = (work / "graph.sqlite").stat().st_size / 2**20
    row["build peak memory (MiB)"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    row["open graph.sqlite (s)"], catalog = timed(lambda: load_compact(work / "graph.sqlite"))
    models = [f"model:model-{i:08d}" for i in range(0, n // 2, max(1, n // 200))]
    row["`papers MODEL`, warm (ms)"] = 1000 * timed(lambda: [catalog.papers_for_model(m) for m in models])[0] / len(models)
    row["cold `papers NAME` process (s)"] = statistics.median(cold_papers(work, f"model-{i:08d}") for i in (7, n // 3, n // 2))
    row["build faiss index (s)"], index = timed(lambda: build_index(catalog, work, HashEmbedder(), index_fingerprint(catalog)))
    save_index(index, work)
    row["build names and words (s)"], _ = timed(lambda: (load_or_build_names(catalog, work), load_or_build_lexical(index, catalog, work)))
    del index
    done = subprocess.run([sys.executable, __file__, "--ask", str(work), "--questions", str(questions)], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"ask phase failed: {done.stderr.strip()[-2000:]}")
    row.update(json.loads(done.stdout.strip().splitlines()[-1]))

    if n > store_limit:
        return row
    store = OxigraphStore(work / "oxigraph")
    row["Oxigraph: push, streamed N-Triples (s)"], _ = timed(lambda: push_ntriples(catalog, store, work / "catalog.nt"))
    row["Oxigraph: folder (MB)"] = folder_size(work / "oxigraph") / 2**20
    for name, query in QUERIES.items():
        row[f"Oxigraph: {name} (ms)"] = 1000 * timed(lambda q=query: store.query(q), repeat=3)[0]
    if n <= rdf_limit:  # rdflib holds about 3 KB per triple: 32M triples do not fit in 24 GiB
        row["RDF view in rdflib (s)"], graph = timed(lambda: catalog_to_rdf(catalog, ["synthetic"]))
        row["triples"] = len(graph)
        for name, query in QUERIES.items():
            row[f"rdflib: {name} (ms)"] = 1000 * timed(lambda q=query: run_query(graph, q), repeat=3)[0]
    row["peak memory of the build process (MiB)"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--ask", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--store-up-to", type=int, default=200_000, help="push to Oxigraph only catalogs up to this size (default 200,000)")
    args = parser.parse_args()
    if args.ask:
        print(json.dumps(ask_phase(args.ask, args.questions)))
        return
    if args.one:
        print(json.dumps(one_size(args.one, args.questions, args.store_up_to)))
        return
    rows = []
    for n in args.sizes:
        command = [sys.executable, __file__, "--one", str(n), "--questions", str(args.questions), "--store-up-to", str(args.store_up_to)]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"size {n}: failed: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}", file=sys.stderr)
            continue
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}\n")
    keys = list(dict.fromkeys(k for r in rows for k in r if k != "size"))
    print("| measure | " + " | ".join(f"{r['size']:,} nodes" for r in rows) + " |")
    print("|---|" + "---|" * len(rows))
    for key in keys:
        cells = [("not run" if key not in r else f"{r[key]:,.1f}" if isinstance(r[key], float) else f"{r[key]:,}" if isinstance(r[key], int) else r[key])
                 for r in rows]
        print(f"| {key} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
