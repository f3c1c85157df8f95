"""The RDF view of the catalog graph: W3C ML-Schema, schema.org, Dublin Core, SKOS and PROV-O terms.

`catalog_to_rdf` writes every node, attribute and edge into an rdflib Graph (for SPARQL, Turtle and
JSON-LD); `write_ntriples` writes the same triples straight to a file as N-Triples, one line each,
without holding them in memory (for `export --format nt` and `push`); both drive one mapping, which
adds triples to a sink. `records_from_rdf` reads such a graph back into the Records a document yields,
so an exported catalog ingests into the same graph. The mapping, and the few terms of the project's
own namespace, are tabled in docs/rdf.md.

Ordered values (a paper's authors, a task's aliases and example questions) are rdf:Lists. Every edge is
also described by an rdf:Statement (standard reification) that carries where it came from
(prov:wasDerivedFrom) and, for `evaluated_on`, its results as mls:ModelEvaluation nodes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal
from typing import BinaryIO, Protocol
from urllib.parse import quote, unquote

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV, SKOS

from modelatlas.graph.catalog import CatalogGraph
from modelatlas.graph.errors import IngestError
from modelatlas.graph.types import Code, Dataset, Edge, Method, Model, Node, NodeKind, Paper, Question, Records, Relation, Task

MA = Namespace("https://w3id.org/modelatlas/ns#")
MLS = Namespace("http://www.w3.org/ns/mls#")
SDO = Namespace("https://schema.org/")
NODE_BASE = "https://w3id.org/modelatlas/id/"
DOCUMENT_BASE = NODE_BASE + "document/"
CATALOG_IRI = URIRef(NODE_BASE + "catalog")  # holds the ordered list of the catalog's documents
PREFIXES = {"ma": MA, "mls": MLS, "schema": SDO, "dcterms": DCTERMS, "prov": PROV, "skos": SKOS}

CLASSES: dict[NodeKind, tuple[URIRef, ...]] = {
    NodeKind.TASK: (MLS.Task,),
    NodeKind.MODEL: (MLS.Model,),
    NodeKind.PAPER: (SDO.ScholarlyArticle,),
    NodeKind.CODE: (SDO.SoftwareSourceCode, MLS.Implementation),
    NodeKind.DATASET: (SDO.Dataset, MLS.Dataset),
    NodeKind.QUESTION: (SDO.Question,),
    NodeKind.METHOD: (MLS.Algorithm,),
}
PREDICATES: dict[Relation, URIRef] = {
    Relation.PERFORMS: MA.performsTask,
    Relation.DESCRIBED_IN: MA.describedIn,
    Relation.IMPLEMENTED_BY: SDO.codeRepository,
    Relation.ADDRESSES: SDO.about,
    Relation.USES_DATASET: MA.usesDataset,
    Relation.NARROWER_THAN: SKOS.broader,
    Relation.ASKS_ABOUT: MA.asksAbout,
    Relation.RECOMMENDS: MA.recommends,
    Relation.RELATED_TO: MA.relatedPaper,
    Relation.EVALUATED_ON: MA.evaluatedOn,
    Relation.FINE_TUNED_FROM: SDO.isBasedOn,
    Relation.VARIANT_OF: MA.variantOf,
}
# The project's own properties, tied to the nearest standard ones so that generic tools can follow them.
SUBPROPERTIES = {
    MA.describedIn: DCTERMS.references,
    MA.relatedPaper: DCTERMS.references,
    MA.usesDataset: PROV.used,
    MA.evaluatedOn: PROV.used,
    MA.asksAbout: SDO.about,
    MA.variantOf: SDO.isVariantOf,
}
# What a checkpoint states, by `Model` field: numbers as xsd:decimal, in the units the field names.
MODEL_FACTS = {
    "parameters": MA.parameterCount,
    "flops": MA.flops,
    "inference_ms": MA.inferenceTimeMs,
    "training_memory_gb": MA.trainingMemoryGB,
}
_RELATIONS = {p: r for r, p in PREDICATES.items()}
_KINDS = {classes[0]: kind for kind, classes in CLASSES.items()}


def node_iri(node_id: str) -> URIRef:
    return URIRef(NODE_BASE + quote(node_id, safe=":/@"))


def node_id_of(iri: URIRef) -> str:
    if not str(iri).startswith(NODE_BASE):
        raise ValueError(f"{iri} is not a ModelAtlas node")
    return unquote(str(iri)[len(NODE_BASE):])


def document_iri(label: str) -> URIRef:
    return URIRef(DOCUMENT_BASE + quote(label, safe="/@"))


class TripleSink(Protocol):
    """Where the mapping puts triples: an rdflib Graph, or an N-Triples writer."""

    def add(self, triple: tuple) -> object: ...


def catalog_to_rdf(catalog: CatalogGraph, documents: Iterable[str]) -> Graph:
    """The whole catalog as an rdflib Graph; `documents` is the catalog's document labels, in build order."""
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    _add_catalog(graph, catalog, documents)
    return graph


class NTriplesWriter:
    """A sink that writes each triple as one N-Triples line; blank nodes as `_:` labels or, given a base, skolem IRIs."""

    def __init__(self, out: BinaryIO, skolem_base: str | None = None):
        self.out, self.skolem_base, self.count = out, skolem_base, 0

    def term(self, term) -> str:
        if isinstance(term, URIRef):
            return f"<{term}>"
        if isinstance(term, BNode):
            return f"<{self.skolem_base}{term}>" if self.skolem_base else f"_:{term}"
        text = str(term).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
        if term.language:
            return f'"{text}"@{term.language}'
        return f'"{text}"^^<{term.datatype}>' if term.datatype and term.datatype != XSD.string else f'"{text}"'

    def add(self, triple: tuple) -> None:
        self.out.write(f"{self.term(triple[0])} {self.term(triple[1])} {self.term(triple[2])} .\n".encode("utf-8"))
        self.count += 1


def write_ntriples(catalog: CatalogGraph, documents: Iterable[str], out: BinaryIO, skolem_base: str | None = None) -> int:
    """Write the catalog's RDF view as N-Triples, triple by triple, without building it in memory; the count written.

    With `skolem_base`, blank nodes become IRIs under it, so that the lines can be sent to a store in pieces.
    """
    writer = NTriplesWriter(out, skolem_base)
    _add_catalog(writer, catalog, documents)
    return writer.count


def _add_catalog(graph: TripleSink, catalog: CatalogGraph, documents: Iterable[str]) -> None:
    order = list(dict.fromkeys(documents))
    known = set(order)
    order += sorted(({s for n in catalog.nodes() for s in n.sources} | {s for e in catalog.edges() for s in e.sources}) - known)
    graph.add((CATALOG_IRI, RDF.type, PROV.Collection))
    graph.add((CATALOG_IRI, MA.documents, _list(graph, [document_iri(label) for label in order])))
    for label in order:
        graph.add((document_iri(label), RDF.type, PROV.Entity))
        graph.add((document_iri(label), SDO.name, Literal(label)))
    for sub, sup in SUBPROPERTIES.items():
        graph.add((sub, RDFS.subPropertyOf, sup))
    for node in catalog.nodes():
        _add_node(graph, node)
    for edge in sorted(catalog.edges(), key=lambda e: (e.source, e.relation, e.target)):
        _add_edge(graph, edge)


def _list(graph: TripleSink, items: list) -> URIRef | BNode:
    """An rdf:List of the items (rdf:nil when empty), its cells added to the sink."""
    head = node = BNode() if items else RDF.nil
    for position, item in enumerate(items):
        rest = BNode() if position + 1 < len(items) else RDF.nil
        graph.add((node, RDF.first, item))
        graph.add((node, RDF.rest, rest))
        node = rest
    return head


def _add_node(graph: TripleSink, node: Node) -> None:
    iri = node_iri(node.id)
    for cls in CLASSES[node.kind]:
        graph.add((iri, RDF.type, cls))
    graph.add((iri, DCTERMS.identifier, Literal(node.id)))
    for source in node.sources:
        graph.add((iri, PROV.wasDerivedFrom, document_iri(source)))
    text = lambda prop, value: value and graph.add((iri, prop, Literal(value)))  # noqa: E731
    ordered = lambda prop, values: values and graph.add((iri, prop, _list(graph, [Literal(v) for v in values])))  # noqa: E731

    def aliases(values: tuple[str, ...]) -> None:  # in order for the round trip, and as SKOS labels for everyone else
        ordered(MA.aliases, values)
        for alias in values:
            graph.add((iri, SKOS.altLabel, Literal(alias)))

    if isinstance(node, Task):
        text(SDO.name, node.name)
        text(SDO.description, node.description)
        aliases(node.aliases)
        text(MA.taskInput, node.input)
        text(MA.taskOutput, node.output)
        ordered(MA.exampleQuestions, node.examples)
        ordered(MA.modelPrefixes, node.model_prefixes)
        ordered(MA.taskMetrics, node.metrics)
        graph.add((iri, MA.curated, Literal(node.curated)))
    elif isinstance(node, Model):
        text(SDO.name, node.name)
        text(SDO.description, node.description)
        text(SDO.license, node.license)
        for name, prop in MODEL_FACTS.items():
            if getattr(node, name) is not None:
                # xsd:decimal in plain notation: Turtle writes an xsd:double with 7 digits, and a count must come back whole
                graph.add((iri, prop, Literal(format(Decimal(repr(getattr(node, name))), "f"), datatype=XSD.decimal)))
        ordered(MA.doubts, node.doubts)
    elif isinstance(node, Paper):
        text(SDO.name, node.title)
        text(SDO.abstract, node.summary)
        if node.url:
            graph.add((iri, SDO.url, Literal(node.url, datatype=XSD.anyURI)))
        if node.arxiv_id:
            graph.add((iri, DCTERMS.identifier, Literal(f"arXiv:{node.arxiv_id}")))
            graph.add((iri, SDO.sameAs, URIRef(f"https://arxiv.org/abs/{node.arxiv_id}")))
        if node.doi:
            graph.add((iri, DCTERMS.identifier, Literal(f"doi:{node.doi}")))
            graph.add((iri, SDO.sameAs, URIRef(f"https://doi.org/{quote(node.doi, safe='/:;()._-')}")))
        ordered(SDO.author, node.authors)
        if node.year is not None:
            graph.add((iri, SDO.datePublished, Literal(str(node.year), datatype=XSD.gYear)))
    elif isinstance(node, Code):
        graph.add((iri, SDO.url, Literal(node.url, datatype=XSD.anyURI)))
        text(SDO.name, node.name)
    elif isinstance(node, (Dataset, Method)):
        text(SDO.name, node.name)
        text(SDO.description, node.description)
        aliases(node.aliases)
    elif isinstance(node, Question):
        text(SDO.text, node.name)
        text(SDO.name, node.name)


def statement_iri(edge: Edge) -> URIRef:
    digest = hashlib.sha1(f"{edge.source}\0{edge.relation}\0{edge.target}".encode()).hexdigest()[:20]
    return URIRef(NODE_BASE + "statement/" + digest)


def _add_edge(graph: TripleSink, edge: Edge) -> None:
    subject, predicate, target = node_iri(edge.source), PREDICATES[edge.relation], node_iri(edge.target)
    graph.add((subject, predicate, target))
    statement = statement_iri(edge)
    graph.add((statement, RDF.type, RDF.Statement))
    graph.add((statement, RDF.subject, subject))
    graph.add((statement, RDF.predicate, predicate))
    graph.add((statement, RDF.object, target))
    for source in edge.sources:
        graph.add((statement, PROV.wasDerivedFrom, document_iri(source)))
    if edge.results:
        evaluations = []
        for row in edge.results:
            evaluation = BNode()
            graph.add((evaluation, RDF.type, MLS.ModelEvaluation))
            measures = []
            for metric, value in row:
                measure = BNode()
                graph.add((measure, MLS.specifiedBy, Literal(metric)))
                graph.add((measure, MLS.hasValue, Literal(float(value), datatype=XSD.double)))
                measures.append(measure)
            graph.add((evaluation, MA.measures, _list(graph, measures)))
            evaluations.append(evaluation)
        graph.add((statement, MA.results, _list(graph, evaluations)))


# --- reading back --------------------------------------------------------------------------------


def records_from_rdf(graph: Graph, source: str) -> Records:
    """The nodes and edges of an exported catalog, with the provenance it recorded; IngestError if it holds none."""
    records = Records(source=source)
    head = graph.value(CATALOG_IRI, MA.documents)
    order = {str(doc): i for i, doc in enumerate(Collection(graph, head))} if head is not None else {}
    records.documents = tuple(unquote(d[len(DOCUMENT_BASE):]) for d in sorted(order, key=order.get) if d.startswith(DOCUMENT_BASE))

    def sources_of(subject) -> tuple[str, ...]:
        docs = sorted(graph.objects(subject, PROV.wasDerivedFrom), key=lambda d: (order.get(str(d), len(order)), str(d)))
        labels = tuple(unquote(str(d)[len(DOCUMENT_BASE):]) for d in docs if str(d).startswith(DOCUMENT_BASE))
        return labels or (source,)

    for cls, kind in _KINDS.items():
        for iri in sorted(set(graph.subjects(RDF.type, cls))):
            try:
                records.nodes.append(_read_node(graph, iri, kind, sources_of(iri)))
            except (ValueError, TypeError) as err:
                records.warnings.append(f"{source}: {iri}: {err}; skipped")
    for statement in sorted(set(graph.subjects(RDF.type, RDF.Statement))):
        predicate = graph.value(statement, RDF.predicate)
        if predicate not in _RELATIONS:
            continue
        try:
            edge = Edge(
                node_id_of(graph.value(statement, RDF.subject)),
                node_id_of(graph.value(statement, RDF.object)),
                _RELATIONS[predicate],
                sources_of(statement),
                _read_results(graph, statement),
            )
        except (ValueError, TypeError) as err:
            records.warnings.append(f"{source}: {statement}: {err}; skipped")
            continue
        records.edges.append(edge)
    # Plain triples between nodes with no statement (RDF written by another tool) are edges too.
    described = {(e.source, e.relation, e.target) for e in records.edges}
    for predicate, relation in _RELATIONS.items():
        for s, o in graph.subject_objects(predicate):
            if str(s).startswith(NODE_BASE) and str(o).startswith(NODE_BASE):
                key = (node_id_of(s), relation, node_id_of(o))
                if key not in described:
                    records.edges.append(Edge(key[0], key[2], relation, (source,)))
                    described.add(key)
    if not records.nodes and not records.edges:
        raise IngestError(source, "no ModelAtlas nodes or edges in this RDF (see docs/rdf.md for the vocabulary)")
    return records


def _one(graph: Graph, iri, prop, default=""):
    value = graph.value(iri, prop)
    return default if value is None else str(value)


def _ordered(graph: Graph, iri, prop) -> tuple[str, ...]:
    head = graph.value(iri, prop)
    return tuple(str(item) for item in Collection(graph, head)) if head is not None else ()


def _read_node(graph: Graph, iri, kind: NodeKind, sources: tuple[str, ...]) -> Node:
    node_id = node_id_of(iri)
    if kind == NodeKind.TASK:
        curated = graph.value(iri, MA.curated)
        return Task(
            node_id, _one(graph, iri, SDO.name), _one(graph, iri, SDO.description), _ordered(graph, iri, MA.aliases),
            _one(graph, iri, MA.taskInput), _one(graph, iri, MA.taskOutput), _ordered(graph, iri, MA.exampleQuestions),
            _ordered(graph, iri, MA.modelPrefixes), bool(curated.toPython()) if curated is not None else False, sources,
            _ordered(graph, iri, MA.taskMetrics),
        )
    if kind == NodeKind.MODEL:
        facts = {name: float(value.toPython()) for name, prop in MODEL_FACTS.items() if (value := graph.value(iri, prop)) is not None}
        return Model(
            node_id, _one(graph, iri, SDO.name), _one(graph, iri, SDO.description), _one(graph, iri, SDO.license, None), sources,
            doubts=_ordered(graph, iri, MA.doubts), **facts,
        )
    if kind == NodeKind.PAPER:
        identifiers = [str(v) for v in graph.objects(iri, DCTERMS.identifier)]
        arxiv = next((i.split(":", 1)[1] for i in identifiers if i.startswith("arXiv:")), None)
        doi = next((i.split(":", 1)[1] for i in identifiers if i.startswith("doi:")), None)
        year = graph.value(iri, SDO.datePublished)
        return Paper(
            node_id, _one(graph, iri, SDO.name), _one(graph, iri, SDO.url, None), arxiv, _one(graph, iri, SDO.abstract),
            doi, _ordered(graph, iri, SDO.author), int(str(year)[:4]) if year is not None else None, sources,
        )
    if kind == NodeKind.CODE:
        url = _one(graph, iri, SDO.url, None)
        if not url:
            raise ValueError("a code repository without schema:url")
        return Code(node_id, url, sources)
    if kind == NodeKind.DATASET:
        return Dataset(node_id, _one(graph, iri, SDO.name), _one(graph, iri, SDO.description), _ordered(graph, iri, MA.aliases), sources)
    if kind == NodeKind.METHOD:
        return Method(node_id, _one(graph, iri, SDO.name), _one(graph, iri, SDO.description), _ordered(graph, iri, MA.aliases), sources)
    return Question(node_id, _one(graph, iri, SDO.text) or _one(graph, iri, SDO.name), sources)


def _read_results(graph: Graph, statement) -> tuple:
    head = graph.value(statement, MA.results)
    if head is None:
        return ()
    rows = []
    for evaluation in Collection(graph, head):
        measures = graph.value(evaluation, MA.measures)
        row = tuple(
            (str(graph.value(m, MLS.specifiedBy)), float(graph.value(m, MLS.hasValue).toPython()))
            for m in (Collection(graph, measures) if measures is not None else [])
        )
        rows.append(row)
    return tuple(rows)
