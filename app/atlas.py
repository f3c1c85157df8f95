"""The ModelAtlas object: a configured catalog that answers questions and lists a model's papers."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from modelatlas.config import Config
from modelatlas.graph.catalog import CatalogGraph, RelatedPaper
from modelatlas.graph.types import Method, Model
from modelatlas.graph.workspace import IngestReport, RemoveReport, Workspace

if TYPE_CHECKING:
    from modelatlas.explain.answer import Answer
    from modelatlas.query.embedder import Embedder
    from modelatlas.query.rank import Ranker


@dataclass
class Atlas:
    """Loads what each command needs on first use: the graph for `papers`, the model and index for `ask`."""

    config: Config = field(default_factory=Config)

    @cached_property
    def workspace(self) -> Workspace:
        return Workspace(self.config.home, self.config.include_default_catalog, progress=self.config.progress, cache=self.config.cache)

    @cached_property
    def catalog(self) -> CatalogGraph:
        if self.config.store:
            return self._catalog_from_store()
        return self.workspace.load_graph()

    def _catalog_from_store(self) -> CatalogGraph:
        """The catalog a triple store holds, built as an ingest of its RDF would build it."""
        import hashlib
        import json

        from modelatlas.graph.build import build_graph
        from modelatlas.graph.rdf import records_from_rdf
        from modelatlas.graph.stores import open_store
        from modelatlas.graph.types import edge_to_dict, node_to_dict

        store = open_store(self.config.store)
        catalog = build_graph([records_from_rdf(store.read(), store.name)])
        digest = hashlib.sha1(b"store\0")
        for node in catalog.nodes():
            digest.update(json.dumps(node_to_dict(node), sort_keys=True).encode())
        for edge in sorted(catalog.edges(), key=lambda e: (e.source, e.relation, e.target)):
            digest.update(json.dumps(edge_to_dict(edge), sort_keys=True).encode())
        catalog.fingerprint = digest.hexdigest()
        return catalog

    @cached_property
    def embedder(self) -> Embedder:
        from modelatlas.query.embedder import Embedder

        return Embedder(onnx_dir=self.workspace.cache_dir)  # the question path runs on ONNX once a build has exported it

    @cached_property
    def ranker(self) -> Ranker:
        from modelatlas.query.index import load_or_build_index
        from modelatlas.query.lexical import load_or_build_lexical
        from modelatlas.query.names import load_or_build_names
        from modelatlas.query.rank import Ranker

        self.embedder.start_export()  # a first build: the encoder is exported while the catalog is parsed
        build_dir = self.workspace.build_dir
        if self.config.store:  # a store's index is kept apart from the home's own
            import hashlib

            build_dir = build_dir / f"store-{hashlib.sha1(self.config.store.encode()).hexdigest()[:12]}"
        index = load_or_build_index(self.catalog, build_dir, self.embedder, progress=self.config.progress, cache_dir=self.config.cache)
        return Ranker(self.catalog, index, self.config.ranking, load_or_build_names(self.catalog, build_dir),
                      load_or_build_lexical(index, self.catalog, build_dir))

    def papers(self, name: str) -> tuple[Method | Model, list[RelatedPaper]]:
        """The method or model a name designates (graph/methods.py) and the papers related to it."""
        from modelatlas.graph.methods import find_subject, papers_for_method

        subject = find_subject(self.catalog, name)
        if isinstance(subject, Method):
            return subject, papers_for_method(self.catalog, subject.id)
        return subject, self.catalog.papers_for_model(subject.id)

    def papers_json(self, name: str) -> dict:
        """The `papers --json` object: the model or method with its tasks (a method with its checkpoints), and its related papers with code and reasons."""
        from modelatlas.graph.methods import checkpoints_of, method_of, tasks_of_method

        subject, related = self.papers(name)
        rows = [
            {
                "id": r.paper.id,
                "title": r.paper.name,
                "url": r.paper.url,
                "code_urls": [c.url for c in self.catalog.code_of(r.paper.id)],
                "reasons": list(r.reasons),
            }
            for r in related
        ]
        if isinstance(subject, Method):
            tasks = tasks_of_method(self.catalog, subject.id)
            checkpoints = [m.id for m in checkpoints_of(self.catalog, subject.id)]
            found = {"id": subject.id, "name": subject.name, "kind": "method", "tasks": [{"id": t.id, "name": t.name} for t in tasks], "checkpoints": checkpoints}
            return {"method": found, "papers": rows}
        method = method_of(self.catalog, subject.id)
        tasks = [{"id": t.id, "name": t.name} for t in self.catalog.tasks_of_model(subject.id)]
        found = {"id": subject.id, "name": subject.name, "kind": "model", "tasks": tasks, "method": {"id": method.id, "name": method.name} if method else None}
        return {"model": found, "papers": rows}

    @cached_property
    def rdf(self):
        """The catalog's RDF view (an rdflib Graph), built on first use."""
        from modelatlas.graph.rdf import catalog_to_rdf

        return catalog_to_rdf(self.catalog, self._document_labels())

    def sparql(self, query: str, allow_service: bool = False):
        """A read-only SPARQL 1.1 query over the RDF view (graph/sparql.py), or over the configured store.

        The query may not reach other machines (SERVICE, FROM <http://…>) unless `allow_service`.
        """
        from modelatlas.graph.sparql import check_query, run_query

        check_query(query, allow_service)  # before the catalog or a store is opened
        if self.config.store:
            from modelatlas.graph.stores import open_store

            return open_store(self.config.store).query(query, allow_service)
        return run_query(self.rdf, query, allow_service=allow_service)

    def export(self, file_format: str, out) -> None:
        """Write the whole catalog to a binary file as Turtle, JSON-LD, N-Triples or GraphML (graph/export.py).

        N-Triples is written triple by triple from the graph; the other formats go through the RDF view.
        """
        from modelatlas.graph.export import check_format, graphml, serialize_rdf
        from modelatlas.graph.rdf import write_ntriples

        check_format(file_format)
        if file_format == "nt":
            write_ntriples(self.catalog, self._document_labels(), out)
        else:
            out.write(graphml(self.catalog) if file_format == "graphml" else serialize_rdf(self.rdf, file_format))

    def push(self, target: str, update_url: str | None = None) -> tuple[str, int]:
        """Replace the catalog a store holds with this one, streamed as N-Triples through a temporary file: its name and the triple count."""
        import tempfile

        from modelatlas.graph.rdf import write_ntriples
        from modelatlas.graph.stores import open_store, skolem_base

        store = open_store(target, update_url)
        with tempfile.NamedTemporaryFile(suffix=".nt") as ntriples:
            write_ntriples(self.catalog, self._document_labels(), ntriples, skolem_base())
            ntriples.flush()
            return store.name, store.write(Path(ntriples.name))

    def _document_labels(self) -> list[str]:
        return [d.label for d in self.workspace.documents()]

    def ask(self, question: str, why: bool = False) -> Answer:
        return self.ask_many([question], why)[0]

    def ask_many(self, questions: list[str], why: bool = False) -> list[Answer]:
        """Answers to several questions, embedded in one batch; `why` adds the walk path behind each recommendation."""
        from modelatlas.explain.compose import compose_answer
        from modelatlas.query.question import clean_question
        from modelatlas.query.why import walk_paths

        cleaned = [clean_question(q) for q in questions]
        ranker = self.ranker
        vectors = self.embedder.encode([ranker.matching_text(q) for q in cleaned])
        answers = []
        for question, vector in zip(cleaned, vectors):
            ranking = ranker.rank(question, vector)
            targets = [s.node_id for s in ranking.models + ranking.papers]
            paths = walk_paths(ranker, ranking, targets) if why and ranking.confident else None
            answers.append(compose_answer(ranking, self.catalog, ranker.index, paths))
        return answers

    def evaluate(self, path: Path, compare: bool = False) -> list:
        """Reports of the graph ranking (and, with `compare`, of the BM25 and dense-only baselines) on an evaluation set."""
        from modelatlas.graph.types import Relation
        from modelatlas.query.evaluation import Bm25System, DenseSystem, GraphSystem, load_cases, score

        cases = load_cases(path)
        ranker = self.ranker
        raw = self.embedder.encode([c.question for c in cases])  # the baselines see the question as written
        spelled = [ranker.matching_text(c.question) for c in cases]
        changed = [i for i, (c, text) in enumerate(zip(cases, spelled)) if text != c.question]
        vectors = raw.copy()
        if changed:
            vectors[changed] = self.embedder.encode([spelled[i] for i in changed])
        systems = [(GraphSystem(ranker), vectors)] + ([(Bm25System(ranker), raw), (DenseSystem(ranker), raw)] if compare else [])

        def methods_of(model_id: str) -> list[str]:  # a checkpoint listed by two methods' metafiles is one of each
            return [m.id for m in self.catalog.targets(model_id, Relation.VARIANT_OF)]

        return [score(s.name, cases, [s.predict(c.question, v) for c, v in zip(cases, vs)], methods_of) for s, vs in systems]

    def ingest(self, paths: list[Path], format_name: str | None = None, dry_run: bool = False) -> IngestReport:
        self._refuse_with_store("ingest")
        report = self.workspace.ingest(paths, format_name, dry_run)
        self._forget_build()
        return report

    def remove(self, name: str) -> RemoveReport:
        self._refuse_with_store("remove")
        report = self.workspace.remove(name)
        self._forget_build()
        return report

    def _refuse_with_store(self, command: str) -> None:
        if self.config.store:
            from modelatlas.graph.stores import StoreError

            raise StoreError(f"{command} changes the home's documents, not {self.config.store}: {command} without --store, then `modelatlas push`")

    def _forget_build(self) -> None:
        """Drop the loaded graph and index so the next use loads the new build."""
        self.__dict__.pop("catalog", None)
        self.__dict__.pop("ranker", None)
        self.__dict__.pop("rdf", None)
