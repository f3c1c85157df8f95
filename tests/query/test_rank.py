"""Ranking with the real embedding model: seed questions, paraphrases no document contains, and abstention."""

import pytest

from modelatlas.atlas import Atlas
from modelatlas.config import Config
from modelatlas.graph.types import NodeKind, Question
from modelatlas.query.embedder import Embedder
from tests.conftest import SEED_MODELS


def seed_questions(atlas):
    questions = {q.id: q for q in atlas.catalog.nodes(NodeKind.QUESTION)}
    by_model = {}
    for q in questions.values():
        [model] = atlas.catalog.targets(q.id, "recommends")
        by_model[model.name] = q.name
    return by_model


@pytest.mark.parametrize("model", sorted(SEED_MODELS.values()))
def test_each_seed_question_puts_its_seed_model_first(atlas, model):
    answer = atlas.ask(seed_questions(atlas)[model])
    assert answer.confident
    assert answer.workflow[0].model_name == model


@pytest.mark.parametrize(
    "question, task, model",
    [
        ("how do i upscale a tiny thumbnail to poster size", "task:single-image-super-resolution", "SISR-Any-LIIF-RDN"),
        ("Can I blow up a 64 pixel icon to 10 times bigger without it looking blocky?", None, "SISR-Any-LIIF-RDN"),
        ("my vacation pictures are blurry because my hand shook, can AI fix that?", None, "Deblur-MIMO-UNet-RealBlur"),
        ("I typed a sentence and got a photo of a cat in a spacesuit. How?", "task:text-to-image-generation", None),
    ],
)
def test_paraphrases_find_the_right_task_and_model(atlas, question, task, model):
    answer = atlas.ask(question)
    assert answer.confident
    if task:
        assert answer.tasks[0].id == task
    if model:
        assert model in [w.model_name for w in answer.workflow]


def test_a_task_with_no_model_gets_papers_and_no_model(atlas):
    answer = atlas.ask("Can an app tell from a photo whether my mole is melanoma?")
    assert answer.tasks[0].id == "task:skin-lesion-classification"
    assert answer.workflow == ()
    assert "paper:arxiv:2502.02500" in [p.id for p in answer.papers]


def test_the_zoo_gives_matting_models_and_the_seed_paper(atlas):
    answer = atlas.ask("How can I remove the background from a photo of my dog, keeping the fur?")
    assert answer.tasks[0].id == "task:image-matting"
    assert answer.workflow and all(w.task_name == "Image matting" for w in answer.workflow)
    assert "paper:arxiv:2502.17093" in [p.id for p in answer.papers]


@pytest.mark.parametrize(
    "question",
    [
        "What's the best recipe for sourdough bread?",
        "How do I file my taxes as a freelancer?",
        "Who won the football world cup in 2018?",
        "What's the weather going to be like in Paris tomorrow?",
        "asdf qwerty zxcv",
    ],
)
def test_questions_outside_the_catalog_abstain(atlas, question):
    answer = atlas.ask(question)
    assert not answer.confident
    assert answer.tasks == () and answer.workflow == () and answer.papers == ()


def test_ranking_uses_the_graph_not_only_similarity(atlas):
    """The 8x question reaches LIIF's paper, which no text of the question resembles, only through edges."""
    question = "I enlarged a small and noisy image by 8x"
    ranking = atlas.ranker.rank(question, atlas.embedder.encode([question])[0])
    direct = {m.entry.node_id for m in ranking.matches}
    assert "paper:arxiv:2012.09161" not in direct
    assert "paper:arxiv:2012.09161" in [p.node_id for p in ranking.papers]


class CountingEmbedder(Embedder):
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self):
        super().__init__()
        self.texts = 0

    def encode(self, texts):
        self.texts += len(texts)
        return super().encode(texts)


def test_loading_a_saved_index_embeds_nothing(atlas_home):
    fresh = Atlas(Config(home=atlas_home))
    fresh.embedder = CountingEmbedder()
    _ = fresh.ranker  # loads the saved graph and index
    assert fresh.embedder.texts == 0


def test_a_new_document_embeds_only_its_new_texts(tmp_path, atlas_home):
    import shutil

    home = tmp_path / "home"
    shutil.copytree(atlas_home, home)
    doc = tmp_path / "q.txt"
    doc.write_text(
        'A user has asked the following question:\n"Can AI colorize my grandfather\'s black and white photo?"\n\n'
        "### Recommended AI Models:\nModel: Colorize-DeOldify\nGitHub: https://github.com/jantic/DeOldify\n\nAnswer:\n",
        encoding="utf-8",
    )
    atlas = Atlas(Config(home=home))
    atlas.ingest([doc])
    atlas.embedder = CountingEmbedder()
    _ = atlas.ranker  # loads the graph and updates the index
    assert 1 <= atlas.embedder.texts <= 3, "only the new question and model texts are embedded"
    assert isinstance(atlas.catalog.node(next(q.id for q in atlas.catalog.nodes(NodeKind.QUESTION) if "colorize" in q.name)), Question)


def test_a_benchmark_question_is_answered_from_the_results_on_the_edges(atlas):
    answer = atlas.ask("which super-resolution model scores best on Set5?")
    assert answer.tasks[0].id == "task:single-image-super-resolution"
    bench = answer.benchmark
    assert bench.dataset == "Set5" and bench.metric == "PSNR" and bench.higher_is_better
    values = [r.value for r in bench.rows]
    assert values == sorted(values, reverse=True)
    assert len({r.method for r in bench.rows}) == len(bench.rows)  # one row per method, its best checkpoint
    psnr_of = {r.name: r.value for r in bench.rows}
    assert psnr_of["rdn_x2c64b16_1xb16-1000k_div2k"] == 35.9883, "the value the mmagic RDN metafile reports"
    assert answer.workflow[0].model_id == bench.rows[0].model_id
    assert answer.to_json()["benchmark"]["rows"][0]["value"] == values[0]


def test_a_task_without_models_is_named_and_explained_and_no_other_tasks_model_is_recommended(atlas):
    answer = atlas.ask("can AI compose a piano song in the style of chopin")
    data = answer.to_json()
    assert data["confident"] and data["coverage"] == "task_without_models"
    assert data["tasks"][0]["id"] == "task:music-generation" and data["models"] == []
    nearest = data["nearest_covered_tasks"]
    assert nearest and all(atlas.catalog.origins(t["id"], "performs") for t in nearest)
    assert "holds no model for it yet" in answer.markdown and "modelatlas ingest" in answer.markdown
    assert all(f"**{t['name']}**" in answer.markdown for t in nearest)


def test_a_broader_task_whose_description_names_the_task_answers_for_it(atlas):
    answer = atlas.ask("is this tweet positive or negative?").to_json()
    assert answer["coverage"] == "answered" and answer["models"]
    performed = {t.id for m in answer["models"] for t in atlas.catalog.tasks_of_model(m["id"])}
    assert "task:text-classification" in performed  # "some use cases are sentiment analysis"
    faces = atlas.ask("detect the faces in my holiday photos").to_json()
    assert faces["coverage"] == "task_without_models" and faces["tasks"][0]["id"] == "task:face-detection"  # no COCO detector for faces


def test_out_of_scope_is_the_third_outcome(atlas):
    data = atlas.ask("how do I file my tax return as a freelancer").to_json()
    assert not data["confident"] and data["coverage"] == "out_of_scope" and data["models"] == []


def test_rare_words_add_to_a_match_before_the_walk(atlas):
    ranking = atlas.ranker.rank("3D boxes of cars from a LiDAR scan", atlas.embedder.encode(["3D boxes of cars from a LiDAR scan"])[0])
    match = ranking.match_for("task:3d-object-detection")
    assert match.lexical > 0 and match.score == pytest.approx(match.similarity + match.lexical)
    assert ranking.tasks[0].node_id == "task:3d-object-detection"


def test_a_clear_match_on_a_task_without_models_is_not_lost_to_the_broader_task_with_models(atlas):
    answer = atlas.ask("an AI that learns to play chess better than humans")
    assert answer.tasks[0].id == "task:game-playing" and answer.workflow == ()


def test_a_misspelt_task_name_is_embedded_in_the_catalog_s_words(atlas):
    assert atlas.ranker.matching_text("imgae denosing of night shots") == "image denoising of night shots"
    assert atlas.ask("imgae denosing of night shots").tasks[0].id == "task:image-denoising"
