"""The seed prompt format: question, recommended models, related papers, answer."""

from pathlib import Path

import pytest

from modelatlas.graph.errors import IngestError
from modelatlas.graph.types import Code, Model, NodeKind, Paper, Question, Relation
from modelatlas.ingest import parse_document
from tests.conftest import SEED_MODELS, seed


def nodes_of(records, kind):
    return [n for n in records.nodes if n.kind == kind]


@pytest.mark.parametrize("prefix", sorted(SEED_MODELS))
def test_each_seed_yields_its_question_and_recommended_model(prefix):
    fmt, records = parse_document(seed(prefix))
    assert fmt.name == "seed-prompt"
    assert records.warnings == []
    [question] = nodes_of(records, NodeKind.QUESTION)
    assert question.name.endswith("?") and not question.name.startswith('"')
    [model] = nodes_of(records, NodeKind.MODEL)
    assert model.name == SEED_MODELS[prefix]
    assert (question.id, model.id, Relation.RECOMMENDS) in {(e.source, e.target, e.relation) for e in records.edges}


def test_paper_none_means_the_model_has_no_paper():
    _, records = parse_document(seed("000"))
    model_edges = [e for e in records.edges if e.source == "model:Txt2Img-StableDiffusionV1-QGO-PromptingReal"]
    assert [e.relation for e in model_edges] == [Relation.IMPLEMENTED_BY]
    assert model_edges[0].target == "code:github.com/kameronski/stable-diffusion-1.5"


def test_recommended_model_links_paper_and_code_with_normalized_ids():
    _, records = parse_document(seed("001"))
    edges = {(e.source, e.relation, e.target) for e in records.edges}
    assert ("model:SISR-Any-LIIF-RDN", Relation.DESCRIBED_IN, "paper:arxiv:2012.09161") in edges
    assert ("model:SISR-Any-LIIF-RDN", Relation.IMPLEMENTED_BY, "code:github.com/yinboc/liif") in edges


def test_related_papers_keep_title_summary_link_and_code():
    _, records = parse_document(seed("003"))
    papers = {p.id: p for p in nodes_of(records, NodeKind.PAPER)}
    assert set(papers) == {"paper:arxiv:2502.02500", "paper:arxiv:2502.17093", "paper:arxiv:2303.15380"}
    hi4d = papers["paper:arxiv:2303.15380"]
    assert hi4d.title == "Hi4D: 4D Instance Segmentation of Close Human Interaction"
    assert hi4d.url == "https://arxiv.org/abs/2303.15380" and hi4d.arxiv_id == "2303.15380"
    assert hi4d.summary.startswith("We propose Hi4D") and hi4d.summary.endswith("on these benchmarks.")
    edges = {(e.source, e.relation, e.target) for e in records.edges}
    assert ("paper:arxiv:2303.15380", Relation.IMPLEMENTED_BY, "code:github.com/yifeiyin04/hi4d") in edges
    assert not any(e.source == "paper:arxiv:2502.17093" and e.relation == Relation.IMPLEMENTED_BY for e in records.edges)


def test_cvf_paper_takes_its_title_from_the_pdf_name():
    _, records = parse_document(seed("002"))
    [cvf] = [p for p in nodes_of(records, NodeKind.PAPER) if p.id.startswith("paper:url:")]
    assert cvf.title == "Rethinking Coarse-To-Fine Approach in Single Image Deblurring"


def test_every_node_names_its_source_file():
    path = seed("001")
    _, records = parse_document(path)
    assert all(n.sources == (str(path),) for n in records.nodes)
    assert all(e.sources == (str(path),) for e in records.edges)


def _write(tmp_path: Path, text: str, name: str = "doc.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_recommended_section_is_an_error_naming_the_file(tmp_path):
    text = seed("001").read_text().replace("### Recommended AI Models:", "### Models:")
    with pytest.raises(IngestError, match=r"doc\.txt: no '### Recommended AI Models:' section"):
        parse_document(_write(tmp_path, text))


def test_missing_question_is_an_error(tmp_path):
    text = seed("001").read_text().replace("A user has asked the following question:", "Hello:")
    with pytest.raises(IngestError, match="no question"):
        parse_document(_write(tmp_path, text))


def test_missing_related_section_is_a_warning(tmp_path):
    text = seed("001").read_text().split("### Related Papers:")[0] + "Answer:\n"
    _, records = parse_document(_write(tmp_path, text))
    assert any("no '### Related Papers:' section" in w for w in records.warnings)
    assert [n.name for n in nodes_of(records, NodeKind.MODEL)] == ["SISR-Any-LIIF-RDN"]


def test_model_block_with_no_name_is_skipped_with_a_warning_naming_its_line(tmp_path):
    text = seed("003").read_text().replace("Model: Hi4D: 4D Instance Segmentation of Close Human Interaction", "Model:")
    _, records = parse_document(_write(tmp_path, text))
    assert any("model block with no name; skipped" in w and "doc.txt:" in w for w in records.warnings)
    assert "paper:arxiv:2303.15380" not in {n.id for n in records.nodes}


def test_recommended_section_with_only_nameless_models_is_an_error(tmp_path):
    text = seed("001").read_text().replace("Model: SISR-Any-LIIF-RDN", "Model: ")
    with pytest.raises(IngestError, match="names no model"):
        parse_document(_write(tmp_path, text))


def test_summary_running_over_several_lines_is_joined(tmp_path):
    text = seed("002").read_text().replace("This paper does not describe a novel method. ", "This paper does not describe\na novel method.\n")
    _, records = parse_document(_write(tmp_path, text))
    paper = next(p for p in nodes_of(records, NodeKind.PAPER) if p.id == "paper:arxiv:2407.17596")
    assert paper.summary.startswith("This paper does not describe a novel method. Instead")


def test_a_link_that_is_not_a_url_is_ignored_with_a_warning(tmp_path):
    text = seed("001").read_text().replace("GitHub: https://github.com/yinboc/liif", "GitHub: see the paper")
    _, records = parse_document(_write(tmp_path, text))
    assert any("is not a web link" in w for w in records.warnings)
    assert not any(isinstance(n, Code) for n in records.nodes)


def test_not_utf8_is_an_error_naming_file_and_line(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(seed("001").read_bytes().replace(b"natural", b"naturel \xe9"))
    with pytest.raises(IngestError, match=r"latin1\.txt:\d+: not UTF-8 text"):
        parse_document(path)


def test_empty_file_is_an_error(tmp_path):
    with pytest.raises(IngestError, match="empty file"):
        parse_document(_write(tmp_path, "  \n\n"))


def test_windows_line_endings_parse_the_same(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(seed("001").read_bytes().replace(b"\n", b"\r\n"))
    _, records = parse_document(path)
    _, original = parse_document(seed("001"))
    assert {n.id for n in records.nodes} == {n.id for n in original.nodes}


def test_types_of_nodes_from_a_seed():
    _, records = parse_document(seed("000"))
    kinds = {type(n) for n in records.nodes}
    assert kinds == {Question, Model, Code, Paper}
