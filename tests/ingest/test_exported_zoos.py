"""The zoos exported from Python packages (torchvision, timm, open_clip) and the catalog they make with the others.

The exporters run on small wheels written here, holding source in the packages' own shapes; the
default catalog's figures are those issue 12 asks of it.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from modelatlas.graph.types import NodeKind, Relation
from modelatlas.ingest.formats import model_index

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"

TORCHVISION_RESNET = '''
from functools import partial
from ..transforms._presets import ImageClassification

_COMMON_META = {"min_size": (1, 1), "categories": _IMAGENET_CATEGORIES}


class ResNet50_Weights(WeightsEnum):
    IMAGENET1K_V2 = Weights(
        url="https://download.pytorch.org/models/resnet50-11ad3fa6.pth",
        transforms=partial(ImageClassification, crop_size=224, resize_size=232),
        meta={
            **_COMMON_META,
            "num_params": 25557032,
            "_metrics": {"ImageNet-1K": {"acc@1": 80.858, "acc@5": 95.434}},
            "_ops": 4.089,
        },
    )
    DEFAULT = IMAGENET1K_V2


@register_model()
def resnet50(*, weights: Optional[ResNet50_Weights] = None, progress: bool = True, **kwargs) -> ResNet:
    """ResNet-50 from `Deep Residual Learning for Image Recognition <https://arxiv.org/abs/1512.03385>`__.

    See the `source code <https://github.com/pytorch/vision/blob/main/torchvision/models/resnet.py>`_.
    """
    return _resnet(Bottleneck, [3, 4, 6, 3], weights, progress, **kwargs)
'''

TIMM_RESNET = '''"""PyTorch ResNet

Papers:
* `Deep Residual Learning for Image Recognition` - https://arxiv.org/abs/1512.03385
"""
import torch
from timm.data import IMAGENET_DEFAULT_MEAN, IMAGENET_DEFAULT_STD
from ._registry import generate_default_cfgs, register_model


def _cfg(url='', **kwargs):
    return {'url': url, 'num_classes': 1000, 'mean': IMAGENET_DEFAULT_MEAN, 'license': 'apache-2.0', **kwargs}


_UNUSED = torch.zeros(1)  # fails here: torch is left out, and only this statement is lost

default_cfgs = generate_default_cfgs({
    'resnet50.a1_in1k': _cfg(hf_hub_id='timm/', paper_ids='arXiv:2110.00476', paper_name='ResNet strikes back'),
    'resnet50.untrained': _cfg(),
    'resnet50_gn.a1h_in1k': _cfg(hf_hub_id='timm/', num_classes=0, origin_url='https://github.com/owner/repo'),
})


@register_model
def resnet50(pretrained=False, **kwargs):
    return torch.nn.Identity()
'''

OPEN_CLIP_PRETRAINED = '''
from .constants import OPENAI_DATASET_MEAN


def _pcfg(url='', hf_hub='', **kwargs):
    return {'url': url, 'hf_hub': hf_hub, 'mean': OPENAI_DATASET_MEAN, **kwargs}


_VITB32 = dict(
    openai=_pcfg(url="https://openaipublic.azureedge.net/clip/ViT-B-32.pt", hf_hub="timm/vit_base_patch32_clip_224.openai/", quick_gelu=True),
    laion2b_s34b_b79k=_pcfg(hf_hub="laion/CLIP-ViT-B-32-laion2B-s34B-b79K/"),
)

_PRETRAINED = {
    "ViT-B-32": _VITB32,
    "ViT-B-16-SigLIP": dict(webli=_pcfg(hf_hub="timm/ViT-B-16-SigLIP/")),
}
'''


def wheel(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def export(script: str, wheel_path: Path) -> dict:
    done = subprocess.run([sys.executable, str(SCRIPTS / script), str(wheel_path), "0.0"], capture_output=True, text=True, cwd=SCRIPTS)
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout)


def test_torchvision_weights_are_read_from_source_with_their_facts_and_paper(tmp_path):
    data = export("export_torchvision.py", wheel(tmp_path / "tv.whl", {"torchvision/models/resnet.py": TORCHVISION_RESNET}))
    assert data["Collections"] == [{"Name": "ResNet", "Code": {"URL": "https://github.com/pytorch/vision"},
                                    "Paper": {"Title": "Deep Residual Learning for Image Recognition", "URL": "https://arxiv.org/abs/1512.03385"}}]
    (model,) = data["Models"]
    assert model["Name"] == "ResNet50_Weights.IMAGENET1K_V2" and model["In Collection"] == "ResNet"
    assert model["Metadata"] == {"Parameters": 25557032, "FLOPs": 4089000000}
    assert model["Results"] == [{"Task": "Image Classification", "Dataset": "ImageNet-1k", "Metrics": {"Top 1 Accuracy": 80.858, "Top 5 Accuracy": 95.434}}]
    assert "License" not in model  # torchvision states none for these weights, and none is assumed


def test_timm_configs_are_run_without_timm_and_keep_what_they_state(tmp_path):
    files = {"timm/data/constants.py": "IMAGENET_DEFAULT_MEAN = (0.485, 0.456, 0.406)\n", "timm/models/resnet.py": TIMM_RESNET}
    data = export("export_timm.py", wheel(tmp_path / "timm.whl", files))
    models = {m["Name"]: m for m in data["Models"]}
    assert set(models) == {"resnet50.a1_in1k", "resnet50_gn.a1h_in1k"}  # the untrained architecture has no weights
    first = models["resnet50.a1_in1k"]
    assert first["Weights"] == "https://huggingface.co/timm/resnet50.a1_in1k" and first["License"] == "apache-2.0"
    assert first["Task"] == "Image Classification" and first["Metadata"] == {"Training Data": ["ImageNet-1k"]}
    assert first["Paper"]["URL"] == "https://arxiv.org/abs/2110.00476"  # the weights' paper, on the checkpoint
    assert models["resnet50_gn.a1h_in1k"]["Task"] == "Image Feature Extraction"  # no classifier head
    assert models["resnet50_gn.a1h_in1k"]["Code"] == {"URL": "https://github.com/owner/repo"}
    (method,) = data["Collections"]
    assert method["Name"] == "ResNet" and method["Paper"]["URL"] == "https://arxiv.org/abs/1512.03385"


def test_open_clip_tags_are_named_as_open_clip_lists_them_with_cited_papers_only(tmp_path):
    files = {"open_clip/constants.py": "OPENAI_DATASET_MEAN = (0.48, 0.46, 0.41)\n", "open_clip/pretrained.py": OPEN_CLIP_PRETRAINED,
             "open_clip_torch-0.0.dist-info/METADATA": "[CLIP](https://arxiv.org/abs/2103.00020) [(SigLIP)](https://arxiv.org/abs/2303.15343)"}
    data = export("export_open_clip.py", wheel(tmp_path / "oc.whl", files))
    models = {m["Name"]: m for m in data["Models"]}
    assert set(models) == {"ViT-B-32:openai", "ViT-B-32:laion2b_s34b_b79k", "ViT-B-16-SigLIP:webli"}
    assert models["ViT-B-32:laion2b_s34b_b79k"]["Weights"] == "https://huggingface.co/laion/CLIP-ViT-B-32-laion2B-s34B-b79K"
    assert models["ViT-B-32:laion2b_s34b_b79k"]["Metadata"] == {"Training Data": ["LAION-2B"]}
    assert {c["Name"]: c["Paper"] for c in data["Collections"]} == {"CLIP": "https://arxiv.org/abs/2103.00020", "SigLIP": "https://arxiv.org/abs/2303.15343"}


def test_open_clip_export_refuses_a_paper_the_package_does_not_cite(tmp_path):
    files = {"open_clip/constants.py": "OPENAI_DATASET_MEAN = (0.48, 0.46, 0.41)\n", "open_clip/pretrained.py": OPEN_CLIP_PRETRAINED,
             "open_clip_torch-0.0.dist-info/METADATA": "no links here"}
    done = subprocess.run([sys.executable, str(SCRIPTS / "export_open_clip.py"), str(wheel(tmp_path / "oc.whl", files)), "0.0"],
                          capture_output=True, text=True, cwd=SCRIPTS)
    assert done.returncode != 0 and "does not cite" in done.stderr


def test_hub_weights_become_the_models_hub_repository():
    text = "Models:\n- Name: resnet50.a1_in1k\n  Task: Image Classification\n  Weights: https://huggingface.co/timm/resnet50.a1_in1k\n"
    records = model_index.parse(Path("model-index.yml"), text)
    code = [n for n in records.nodes if n.kind == NodeKind.CODE]
    assert [c.url for c in code] == ["https://huggingface.co/timm/resnet50.a1_in1k"]
    assert any(e.relation == Relation.IMPLEMENTED_BY and e.source == "model:resnet50.a1_in1k" for e in records.edges)


def test_a_weight_file_link_is_no_node():
    text = "Models:\n- Name: r50\n  Task: Image Classification\n  Weights: https://download.pytorch.org/models/resnet50-11ad3fa6.pth\n"
    assert not [n for n in model_index.parse(Path("m.yml"), text).nodes if n.kind == NodeKind.CODE]


def test_one_method_gathers_its_checkpoints_from_every_source(atlas):
    catalog = atlas.catalog
    sources = {s.split("/")[1] if not s.startswith("data/openmmlab/") else s.split("/")[2]
               for m in catalog.origins("method:resnet", Relation.VARIANT_OF) for s in m.sources}
    assert {"mmpretrain", "torchvision", "timm"} <= sources


def test_the_default_catalog_covers_the_field(atlas):
    counts = atlas.catalog.counts()
    models = counts["nodes"]["model"]
    assert models >= 5000 and len(counts["models by source"]) >= 12
    coverage = counts["coverage"]
    assert coverage["tasks"] >= 150 and coverage["tasks with models"] >= 100
    assert coverage["models with a paper or link"] >= 0.9 * models
    # Only OpenMMLab's pre-training checkpoints state no task (docs/catalog-format.md).
    without = [m for m in atlas.catalog.nodes(NodeKind.MODEL) if not atlas.catalog.targets(m.id, Relation.PERFORMS)]
    assert len(without) == coverage["models without a task"]
    zoo = ("data/openmmlab/mmpretrain/", "data/openmmlab/mmaction/configs/recognition/uniformerv2/")
    assert all(s.startswith(zoo) for m in without for s in m.sources)


@pytest.mark.parametrize("question, tasks", [
    ("estimate the body pose of people in a photo", {"task:human-pose-estimation", "task:keypoint-detection"}),
    ("recognise what action people perform in a video clip", {"task:action-recognition", "task:video-classification"}),
    ("optical flow between two frames", {"task:optical-flow-estimation"}),
    ("detect cars as 3D boxes in LiDAR point clouds", {"task:3d-object-detection"}),
    ("detect ships with rotated boxes in aerial images", {"task:oriented-object-detection"}),
    ("transcribe a podcast", {"task:automatic-speech-recognition"}),
    ("translate English to German", {"task:translation"}),
])
def test_questions_across_the_field_recommend_real_models_with_links(atlas, question, tasks):
    answer = atlas.ask(question)
    assert answer.confident and answer.coverage == "answered" and answer.tasks[0].id in tasks
    assert answer.workflow
    for step in answer.workflow:
        assert step.model_id in atlas.catalog
        assert step.paper or step.code, f"{step.model_id} has neither a paper nor a code link"
