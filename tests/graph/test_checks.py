"""`check` reports the real data problems of the default catalog, and changes nothing."""

import pytest

from modelatlas.graph.checks import check_catalog, metric_range
from modelatlas.graph.workspace import Workspace


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    catalog = Workspace(home).load_graph()
    before = (home / "build" / "graph.sqlite").read_bytes()
    found = check_catalog(catalog)
    assert (home / "build" / "graph.sqlite").read_bytes() == before
    return found


def test_the_swapped_psnr_ssim_pair_of_the_liif_metafile(findings):
    out = [f for f in findings if f.check == "metric-out-of-range"]
    messages = sorted(f.message for f in out)
    assert messages == [
        "model liif-edsr-norm_c64b16_1xb16-1000k_div2k: PSNR 0.8039 on Set14 is outside [1, 100]",
        "model liif-edsr-norm_c64b16_1xb16-1000k_div2k: SSIM 30.9808 on Set14 is outside [0, 1]",
    ]
    assert all(f.sources == ("data/openmmlab/mmagic/configs/liif/metafile.yml",) for f in out)


def test_a_paper_with_no_link(findings):
    # The seed's benchmark, and two mmrotate collections whose metafiles give a title with `URL: None`.
    assert sorted(f.message for f in findings if f.check == "paper-without-link") == [
        "paper 'G-Rep: Gaussian Representation for Arbitrary-Oriented Object Detection' has no link",
        "paper 'SASM RepPoints' has no link",
        "paper 'SkinGenBench: a systematic biomedical imaging benchmark' has no link",
    ]


def test_a_paper_whose_link_is_a_repository(findings):
    messages = [f.message for f in findings if f.check == "paper-link-is-code"]
    assert "paper 'Stable Diffusion' links to a code repository, https://github.com/CompVis/stable-diffusion" in messages


def test_duplicate_spellings_of_one_dataset(findings):
    messages = [f.message for f in findings if f.check == "duplicate-name"]
    assert "datasets with one name in several spellings: 'CelebA-HQ', 'CelebAHQ'" in messages
    assert not any("CIFAR" in m for m in messages)  # CIFAR10 is an alias of the curated CIFAR-10: one node


def test_a_dataset_named_by_an_alias_joins_the_curated_dataset(atlas):
    catalog = atlas.catalog
    assert "dataset:cifar10" not in catalog and "dataset:imagenet" not in catalog
    assert "dataset:pascal-voc-2012-aug" not in catalog
    voc = [e for e in catalog.edges() if e.relation == "evaluated_on" and e.target == "dataset:pascal-voc-2012"]
    assert len(voc) > 10  # mmseg's "Pascal VOC 2012 + Aug" results


def test_impossible_figures_are_doubted_where_their_own_document_says_otherwise(findings):
    doubted = {f.node_id: f.message for f in findings if f.check == "doubtful-figure"}
    assert "its comment says 32.1M" in doubted["model:regnetx-3.2gf_8xb64_in1k"]  # Parameters: 3210000  # 32.1M
    assert "its comment says 8.6G" in doubted["model:mobileone-s1_8xb32_in1k"]
    assert "FLOPs per parameter" in doubted["model:resnet34_8xb32_in1k"]  # 2.18M parameters for 3.68G FLOPs
    assert "FLOPs per parameter" in doubted["model:repvgg-B0_8xb32_in1k"]
    assert set(doubted) == {"model:regnetx-3.2gf_8xb64_in1k", "model:mobileone-s1_8xb32_in1k", "model:resnet34_8xb32_in1k", "model:repvgg-B0_8xb32_in1k"}


def test_models_with_no_task_are_the_zoo_pretraining_checkpoints(findings):
    without = [f for f in findings if f.check == "model-without-task"]
    # mmpretrain's self-supervised checkpoints and mmaction2's three UniFormerV2 Kinetics-710 pre-training ones.
    zoo = ("data/openmmlab/mmpretrain/", "data/openmmlab/mmaction/configs/recognition/uniformerv2/")
    assert without and all(f.sources[0].startswith(zoo) for f in without)


@pytest.mark.parametrize("name, bounds", [("SSIM", (0, 1)), ("PSNR", (1, 100)), ("mIoU", (0, 100)), ("Top 1 Accuracy", (0, 100)), ("Params", None)])
def test_metric_ranges_by_name(name, bounds):
    assert metric_range(name) == bounds
