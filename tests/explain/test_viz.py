"""`modelatlas viz`: each format written whole, the HTML self-contained, views that say what they left out."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from modelatlas.explain.viz import view_data
from modelatlas.graph.errors import ViewError
from modelatlas.graph.types import NodeKind, Relation
from modelatlas.graph.views import neighbourhood, whole
from tests.conftest import run_cli


@pytest.mark.parametrize("suffix", [".html", ".png", ".svg", ".graphml", ".gexf"])
def test_viz_writes_each_format(atlas_home, tmp_path, suffix):
    out = tmp_path / f"liif{suffix}"
    run = run_cli("viz", str(out), "--model", "SISR-Any-LIIF-RDN", "--depth", "1", home=atlas_home)
    assert run.code == 0, run.err
    assert f"wrote {out}" in run.out
    data = out.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
    elif suffix == ".svg":
        assert ET.fromstring(data).tag.endswith("svg")
    elif suffix in (".graphml", ".gexf"):
        graph = (nx.read_graphml if suffix == ".graphml" else nx.read_gexf)(out)
        assert "model:SISR-Any-LIIF-RDN" in graph and "paper:arxiv:2012.09161" in graph
        relations = {d.get("relation") for _, _, d in graph.edges(data=True)}
        assert {"described_in", "performs"} <= relations
    else:
        text = data.decode("utf-8")
        assert "SISR-Any-LIIF-RDN" in text and "vis.Network" in text


def test_the_html_page_loads_no_script_or_style_from_the_network(atlas_home, tmp_path):
    out = tmp_path / "all.html"
    assert run_cli("viz", str(out), home=atlas_home).code == 0
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=", text, re.IGNORECASE)
    assert not re.search(r"<link[^>]+href=", text, re.IGNORECASE)
    assert not re.search(r"@import|url\(\s*['\"]?https?:", text, re.IGNORECASE)
    assert "Showing 400 of" in text  # the whole default catalog is capped, and the page says so


def test_catalog_text_cannot_close_the_inlined_data(atlas):
    from modelatlas.explain.viz import _inline_json

    inlined = _inline_json({"title": "</script><script>alert(1)</script> & more"})
    assert "</script>" not in inlined and "<" not in inlined and "&" not in inlined


def test_bad_viz_requests_fail_in_one_line_and_write_nothing(atlas_home, tmp_path):
    cases = [
        (("viz", str(tmp_path / "x.pdf"), "--model", "SISR-Any-LIIF-RDN"), "unknown picture format '.pdf'"),
        (("viz", str(tmp_path / "x.html"), "--model", "NoSuchModel"), "no such model"),
        (("viz", str(tmp_path / "x.html"), "--task", "SISR-Any-LIIF-RDN", "--model", "x"), "at most one of"),
        (("viz", str(tmp_path / "x.html"), "--model", "SISR-Any-LIIF-RDN", "--depth", "9"), "depth 9"),
        (("viz", str(tmp_path / "x.html"), "--kind", "planet"), "unknown node kind 'planet'"),
    ]
    for args, says in cases:
        run = run_cli(*args, home=atlas_home)
        assert run.code == 1 and says in run.err and len(run.err.strip().splitlines()) == 1, run.err
    assert list(tmp_path.iterdir()) == []


def test_a_neighbourhood_is_nearest_first_and_does_not_walk_through_hubs(atlas):
    view = neighbourhood(atlas.catalog, "model:SISR-Any-LIIF-RDN", depth=2)
    assert view.node_ids[0] == "model:SISR-Any-LIIF-RDN"
    # DIV2K is a neighbour, but the other models trained or evaluated on it are not drawn two edges out.
    assert "dataset:div2k" in view.node_ids
    div2k_models = {e.source for e in atlas.catalog.edges() if e.target == "dataset:div2k"}
    assert len(div2k_models) > 15 and div2k_models & set(view.node_ids) <= {"model:SISR-Any-LIIF-RDN", *_liif_paper_models(atlas)}
    assert set(_liif_paper_models(atlas)) <= set(view.node_ids)  # the paper's other models are two edges out
    capped = neighbourhood(atlas.catalog, "task:object-detection", depth=1, max_nodes=50)
    assert capped.truncated and len(capped.node_ids) == 50 and capped.total > 50


def _liif_paper_models(atlas) -> list[str]:
    return [m.id for m in atlas.catalog.origins("paper:arxiv:2012.09161", "described_in")]


def test_the_task_view_holds_its_family_only(atlas):
    view = whole(atlas.catalog, task="task:image-deblurring")
    kinds = {atlas.catalog.node(n).kind for n in view.node_ids}
    assert "model:Deblur-MIMO-UNet-RealBlur" in view.node_ids and {"task", "model", "paper"} <= kinds
    assert "task:object-detection" not in view.node_ids
    with pytest.raises(ViewError, match="no task"):
        whole(atlas.catalog, task="task:nope")


def test_pictures_draw_methods_not_their_checkpoints_unless_asked(atlas):
    catalog = atlas.catalog
    checkpoints = neighbourhood(catalog, "task:instance-segmentation", depth=1)
    methods = neighbourhood(catalog, "task:instance-segmentation", depth=1, methods=True)
    kinds = lambda view: {catalog.node(n).kind for n in view.node_ids}  # noqa: E731
    assert NodeKind.METHOD in kinds(methods) and len(methods.node_ids) < len(checkpoints.node_ids) / 2
    assert not any(catalog.node(n).kind == NodeKind.MODEL and catalog.targets(n, Relation.VARIANT_OF) for n in methods.node_ids)
    data = view_data(catalog, methods)
    mask_rcnn = "method:maskrcnn"
    assert mask_rcnn in methods.node_ids
    assert {"source": mask_rcnn, "target": "task:instance-segmentation", "relation": "performs"} in data["edges"]  # its checkpoints' edge
    assert all(e["source"] != e["target"] for e in data["edges"])
    centred = neighbourhood(catalog, "model:mask-rcnn_r50_fpn_1x_coco", depth=1, methods=True)
    assert "model:mask-rcnn_r50_fpn_1x_coco" in centred.node_ids  # the centre stays itself
