"""BibTeX files and arXiv API responses: papers with their ids, authors, years and links."""

import inspect
from pathlib import Path

import pytest

from modelatlas.graph.errors import IngestError
from modelatlas.graph.types import NodeKind, Relation
from modelatlas.graph.workspace import Workspace
from modelatlas.ingest import parse_document

ATOM = Path(__file__).resolve().parents[1] / "fixtures" / "arxiv_query_liif_resnet.atom.xml"


def real_bibliography() -> str:
    """The BibTeX citations sentence-transformers ships with its loss classes: a real, varied .bib."""
    try:
        import sentence_transformers.sentence_transformer.losses as losses
    except ImportError:  # sentence-transformers before 6 keeps them at the old place
        import sentence_transformers.losses as losses

    citations = []
    for _, cls in inspect.getmembers(losses, inspect.isclass):
        prop = inspect.getattr_static(cls, "citation", None)
        try:
            text = prop.fget(None) if isinstance(prop, property) else None
        except AttributeError:  # a citation that depends on the loss's settings
            text = None
        if isinstance(text, str) and text.strip().startswith("@") and text not in citations:
            citations.append(text)
    return "\n\n".join(citations)


@pytest.fixture(scope="module")
def bib_records(tmp_path_factory):
    path = tmp_path_factory.mktemp("bib") / "losses.bib"
    path.write_text(real_bibliography(), encoding="utf-8")
    fmt, records = parse_document(path)
    assert fmt.name == "bibtex"
    return records


def test_bibtex_entries_become_papers_with_arxiv_ids(bib_records):
    papers = {p.id: p for p in bib_records.nodes if p.kind == NodeKind.PAPER}
    assert len(papers) >= 10
    triplet = papers["paper:arxiv:1703.07737"]
    assert triplet.title == "In Defense of the Triplet Loss for Person Re-Identification"
    assert triplet.authors == ("Alexander Hermans", "Lucas Beyer", "Bastian Leibe") and triplet.year == 2017
    assert triplet.url == "https://arxiv.org/abs/1703.07737"


def test_bibtex_doi_and_latex_braces(bib_records):
    papers = {p.id: p for p in bib_records.nodes if p.kind == NodeKind.PAPER}
    aoe = papers["paper:doi:10.18653/v1/2024.acl-long.101"]
    assert aoe.title == "AoE: Angle-optimized Embeddings for Semantic Textual Similarity"
    assert aoe.url == "https://aclanthology.org/2024.acl-long.101/" and aoe.authors == ("Li, Xianming", "Li, Jing")


def test_bibtex_with_no_entries_is_an_error(tmp_path):
    path = tmp_path / "empty.bib"
    path.write_text("@article{broken,\n  title = {never closed\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"empty\.bib: no BibTeX entries could be read"):
        parse_document(path)


def test_arxiv_response_gives_papers_code_and_dois():
    fmt, records = parse_document(ATOM)
    assert fmt.name == "arxiv-atom"
    papers = {p.id: p for p in records.nodes if p.kind == NodeKind.PAPER}
    assert set(papers) == {"paper:arxiv:2012.09161", "paper:arxiv:1512.03385"}
    liif = papers["paper:arxiv:2012.09161"]
    assert liif.title == "Learning Continuous Image Representation with Local Implicit Image Function"
    assert liif.authors == ("Yinbo Chen", "Sifei Liu", "Xiaolong Wang") and liif.year == 2020
    assert papers["paper:arxiv:1512.03385"].doi == "10.1109/cvpr.2016.90"
    assert ("paper:arxiv:2012.09161", Relation.IMPLEMENTED_BY, "code:github.com/yinboc/liif") in {(e.source, e.relation, e.target) for e in records.edges}
    assert any("entry 3 has no arXiv id" in w for w in records.warnings)


def test_invalid_xml_is_an_error_naming_the_line(tmp_path):
    path = tmp_path / "cut.xml"
    path.write_text(ATOM.read_text(encoding="utf-8")[:1500], encoding="utf-8")
    with pytest.raises(IngestError, match=r"cut\.xml:\d+: invalid XML"):
        parse_document(path)


def test_one_paper_node_across_seed_zoo_arxiv_response_and_cvf_page(tmp_path):
    """LIIF from seed 001, the mmagic metafile and an arXiv response; ResNet from a CVF page, arXiv and its DOI."""
    home = tmp_path / "home"
    workspace = Workspace(home)
    workspace.ingest([ATOM])
    catalog = workspace.load_graph()
    liif = catalog.node("paper:arxiv:2012.09161")
    assert {"data/seeds/001_d8520ca7f81b1e4f.txt", "data/catalog.yaml", "data/openmmlab/mmagic/configs/liif/metafile.yml"} <= set(liif.sources)
    assert any(s.startswith("sources/") for s in liif.sources) and liif.authors[0] == "Yinbo Chen"
    describing = {m.id for m in catalog.origins(liif.id, Relation.DESCRIBED_IN)}
    assert {"model:SISR-Any-LIIF-RDN", "model:liif-rdn-norm_c64b16_1xb16-1000k_div2k"} <= describing
    # mmpretrain names ResNet by its CVF page; the arXiv response by its arXiv id and DOI: one node.
    resnet = catalog.node("paper:arxiv:1512.03385")
    assert resnet.doi == "10.1109/cvpr.2016.90"
    assert not [p for p in catalog.nodes(NodeKind.PAPER) if p.title == "Deep Residual Learning for Image Recognition" and p.id != resnet.id]
    assert any(s.startswith("data/openmmlab/mmpretrain/") for s in resnet.sources)


def test_mangled_bibtex_gives_papers_or_a_clear_error(tmp_path_factory):
    from hypothesis import given, settings

    from tests.ingest.test_mangled_inputs import mangled

    original = real_bibliography()
    folder = tmp_path_factory.mktemp("mangled-bib")

    @settings(max_examples=60, deadline=None)
    @given(text=mangled(original))
    def check(text):
        path = folder / "refs.bib"
        path.write_text(text, encoding="utf-8")
        try:
            parse_document(path, "bibtex")
        except IngestError as err:
            assert str(err).startswith(str(path)) and "\n" not in str(err)

    check()
