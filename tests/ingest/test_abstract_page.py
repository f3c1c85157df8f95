"""The bare abstract scraped from a web page (seed 004): keep the English abstract and its code link."""

import pytest

from modelatlas.graph.errors import IngestError
from modelatlas.graph.types import NodeKind, Relation
from modelatlas.ingest import parse_document
from tests.conftest import seed


@pytest.fixture(scope="module")
def parsed():
    return parse_document(seed("004"))


def test_is_recognised_as_an_abstract_page(parsed):
    fmt, _ = parsed
    assert fmt.name == "abstract-page"


def test_keeps_the_english_abstract_and_drops_the_page_noise(parsed):
    _, records = parsed
    [paper] = [n for n in records.nodes if n.kind == NodeKind.PAPER]
    assert paper.summary.startswith("This work introduces SkinGenBench")
    assert paper.summary.endswith("https://github.com/adarsh-crafts/SkinGenBench")
    for noise in ("翻译", "下载", "VIP", "专知", "国家自然科学基金", "微信"):
        assert noise not in paper.summary
    assert all(ord(c) < 0x2E80 for c in paper.summary), "no CJK text may remain"
    assert any("skipped" in w and "page text" in w for w in records.warnings)


def test_latex_math_becomes_plain_text(parsed):
    _, records = parsed
    [paper] = [n for n in records.nodes if n.kind == NodeKind.PAPER]
    assert "$" not in paper.summary and "\\approx" not in paper.summary
    assert "14,116 dermoscopic images" in paper.summary
    assert "FID (≈ 65.5)" in paper.summary and "8-15% absolute gains" in paper.summary


def test_title_names_the_contribution_and_code_is_linked(parsed):
    _, records = parsed
    [paper] = [n for n in records.nodes if n.kind == NodeKind.PAPER]
    assert paper.title == "SkinGenBench: a systematic biomedical imaging benchmark"
    assert paper.url is None and paper.arxiv_id is None
    [code] = [n for n in records.nodes if n.kind == NodeKind.CODE]
    assert code.url == "https://github.com/adarsh-crafts/SkinGenBench"
    assert [(e.source, e.relation, e.target) for e in records.edges] == [(paper.id, Relation.IMPLEMENTED_BY, code.id)]


def test_same_abstract_gives_the_same_paper_id(tmp_path, parsed):
    copy = tmp_path / "copy.txt"
    copy.write_text("Some menu\n\n" + seed("004").read_text(encoding="utf-8"), encoding="utf-8")
    _, records = parse_document(copy)
    assert records.nodes[0].id == parsed[1].nodes[0].id


def test_page_with_no_english_paragraph_is_an_error(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("翻译:本文提出一个基准。\n\n下载\n\n关闭预览\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"page\.txt: unrecognised document"):
        parse_document(path)
    with pytest.raises(IngestError, match="no English paragraph"):
        parse_document(path, "abstract-page")
