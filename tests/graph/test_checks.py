"""`check` reports the real data problems of the default catalog, and changes nothing."""

import pytest

from modelatlas.graph.checks import check_catalog, metric_range
from modelatlas.graph.workspace import Workspace


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    catalog = Workspace(home).load_graph()
    before = (home / "build" / "graph.json").read_bytes()
    found = check_catalog(catalog)
    assert (home / "build" / "graph.json").read_bytes() == before
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
    assert [f.message for f in findings if f.check == "paper-without-link"] == [
        "paper 'SkinGenBench: a systematic biomedical imaging benchmark' has no link"
    ]


def test_a_paper_whose_link_is_a_repository(findings):
    messages = [f.message for f in findings if f.check == "paper-link-is-code"]
    assert "paper 'Stable Diffusion' links to a code repository, https://github.com/CompVis/stable-diffusion" in messages


def test_duplicate_spellings_of_one_dataset(findings):
    messages = [f.message for f in findings if f.check == "duplicate-name"]
    assert "datasets with one name in several spellings: 'CIFAR-10', 'CIFAR10'" in messages


def test_models_with_no_task_are_the_zoo_pretraining_checkpoints(findings):
    without = [f for f in findings if f.check == "model-without-task"]
    assert without and all(f.sources[0].startswith("data/openmmlab/mmpretrain/") for f in without)


@pytest.mark.parametrize("name, bounds", [("SSIM", (0, 1)), ("PSNR", (1, 100)), ("mIoU", (0, 100)), ("Top 1 Accuracy", (0, 100)), ("Params", None)])
def test_metric_ranges_by_name(name, bounds):
    assert metric_range(name) == bounds
