"""Building the graph: one node per paper and repository across documents, and the links documents imply."""

import pytest

from modelatlas.graph.build import build_graph
from modelatlas.graph.errors import UnknownNodeError
from modelatlas.graph.types import Edge, Model, NodeKind, Records, Relation, Task
from modelatlas.graph.workspace import Workspace
from tests.conftest import SEED_MODELS


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    return Workspace(tmp_path_factory.mktemp("home")).load_graph()


def test_paper_cited_in_three_seeds_is_one_node_with_three_sources(catalog):
    paper = catalog.node("paper:arxiv:2302.06549")
    assert sorted(paper.sources) == ["data/seeds/000_a32f5ac54616c61f.txt", "data/seeds/001_d8520ca7f81b1e4f.txt", "data/seeds/002_e4f22718e29e19c5.txt"]
    assert len([n for n in catalog.nodes(NodeKind.PAPER) if "Histopathology" in n.name]) == 1


def test_repository_shared_by_two_models_is_one_node(catalog):
    code = catalog.node("code:github.com/kameronski/stable-diffusion-1.5")
    users = {e.source for e in catalog.edges(Relation.IMPLEMENTED_BY) if e.target == code.id}
    assert users == {"model:Txt2Img-StableDiffusionV1-QGO-PromptingReal", "model:Txt2Img-StableDiffusionV1-PirsusEpicRealism"}


def test_seed_and_curated_facts_about_one_model_merge(catalog):
    model = catalog.node("model:SISR-Any-LIIF-RDN")
    assert set(model.sources) == {"data/seeds/001_d8520ca7f81b1e4f.txt", "data/catalog.yaml"}
    assert "implicit image function" in model.description
    paper = catalog.node("paper:arxiv:2012.09161")
    assert paper.title.startswith("Learning Continuous Image Representation")


@pytest.mark.parametrize(
    "model, task",
    [
        ("SISR-Any-LIIF-RDN", "task:arbitrary-scale-super-resolution"),
        ("Deblur-MIMO-UNet-RealBlur", "task:image-deblurring"),
        ("Txt2Img-StableDiffusionV1-QGO-PromptingReal", "task:text-to-image-generation"),
    ],
)
def test_seed_models_perform_their_tasks(catalog, model, task):
    assert [t.id for t in catalog.tasks_of_model(f"model:{model}")] == [task]


def test_model_prefix_maps_to_the_longest_matching_task_prefix():
    tasks = [
        Task("task:sr", "SR", model_prefixes=("SISR",)),
        Task("task:any", "Any-scale SR", model_prefixes=("SISR-Any",)),
        Task("task:deblur", "Deblur", model_prefixes=("Deblur",)),
    ]
    models = [Model("model:SISR-Any-X", "SISR-Any-X"), Model("model:SISR-EDSR", "SISR-EDSR"), Model("model:Deblurry", "Deblurry")]
    catalog = build_graph([Records("t", nodes=[*tasks, *models])])
    assert [t.id for t in catalog.tasks_of_model("model:SISR-Any-X")] == ["task:any"]
    assert [t.id for t in catalog.tasks_of_model("model:SISR-EDSR")] == ["task:sr"]
    assert catalog.tasks_of_model("model:Deblurry") == [], "a prefix must end at a separator"


def test_questions_ask_about_the_tasks_of_their_recommended_models(catalog):
    asked = {(e.source, e.target) for e in catalog.edges(Relation.ASKS_ABOUT)}
    question = next(q for q in catalog.nodes(NodeKind.QUESTION) if "8x" in q.name)
    assert (question.id, "task:arbitrary-scale-super-resolution") in asked


def test_task_can_name_a_paper_by_its_code_repository(catalog):
    skingen = next(p for p in catalog.nodes(NodeKind.PAPER) if p.name.startswith("SkinGenBench"))
    tasks = {t.id for t in catalog.targets(skingen.id, Relation.ADDRESSES)}
    assert "task:synthetic-medical-image-generation" in tasks


def test_datasets_named_in_summaries_are_linked(catalog):
    uses = {(e.source, e.target) for e in catalog.edges(Relation.USES_DATASET)}
    assert ("paper:arxiv:2502.02500", "dataset:ham10000") in uses
    assert ("paper:arxiv:2502.02500", "dataset:isic-atlas") in uses


def test_edge_to_an_unknown_node_is_dropped_with_a_warning():
    records = Records("doc.txt", nodes=[Model("model:a", "a")], edges=[Edge("model:a", "task:nowhere", Relation.PERFORMS, ("doc.txt",))])
    catalog = build_graph([records])
    assert list(catalog.edges()) == []
    assert any("doc.txt: performs edge to unknown node task:nowhere; dropped" in w for w in catalog.warnings)


@pytest.mark.parametrize("prefix", sorted(SEED_MODELS))
def test_papers_of_each_seed_model_include_its_seed_related_papers(catalog, prefix):
    from modelatlas.ingest import parse_document
    from tests.conftest import seed

    _, records = parse_document(seed(prefix))
    related = {e.target for e in records.edges if e.relation == Relation.RELATED_TO}
    listed = {r.paper.id for r in catalog.papers_for_model(f"model:{SEED_MODELS[prefix]}")}
    assert related and related <= listed


def test_find_model_by_id_name_or_unique_part(catalog):
    assert catalog.find_model("model:SISR-Any-LIIF-RDN").name == "SISR-Any-LIIF-RDN"
    assert catalog.find_model("sisr-any-liif-rdn").name == "SISR-Any-LIIF-RDN"
    assert catalog.find_model("MIMO").name == "Deblur-MIMO-UNet-RealBlur"


def test_find_model_unknown_suggests_close_names(catalog):
    with pytest.raises(UnknownNodeError, match="no such model") as err:
        catalog.find_model("SISR-Any-LIIF-RDM")
    assert err.value.suggestions[0] == "SISR-Any-LIIF-RDN"


def test_find_model_ambiguous_lists_candidates(catalog):
    with pytest.raises(UnknownNodeError, match="matches 2 models") as err:
        catalog.find_model("StableDiffusion")
    assert len(err.value.suggestions) == 2
