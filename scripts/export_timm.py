"""Export timm's pretrained configurations to a model-index file, reading its source without importing it.

Usage: python scripts/export_timm.py TIMM_WHEEL VERSION > data/timm/model-index.yml

Each `timm/models/*.py` states its pretrained weights in `default_cfgs = generate_default_cfgs({...})`,
keyed `architecture.tag` (`resnet50.a1_in1k`), with the Hub repository, licence, classes and sometimes
paper ids. Importing timm needs torch and torchvision, so scripts/pysource.py runs only those top-level
definitions. A method is the architecture's family (`resnet50d` -> ResNet), named as the other sources
name it so that one method joins them; its paper is a configuration's `paper_ids`, or the paper of the
module's docstring whose title names the family.
"""

from __future__ import annotations

import ast
import re
import sys
import zipfile

import yaml

from pysource import constants, run_top_level

CODE = "https://github.com/huggingface/pytorch-image-models"
# Families by architecture-name pattern, most specific first, named as OpenMMLab and torchvision name them.
FAMILIES = [
    (r"vit_.*_clip_|.*_clip_|resnet\d+x?\d*_clip", "CLIP"), (r"vit_.*siglip2", "SigLIP2"), (r"vit_.*siglip", "SigLIP"),
    (r"vit_.*dinov2", "DINOv2"), (r"deit3_", "DeiT3"), (r"deit_", "DeiT"), (r"eva02_", "EVA02"), (r"eva_", "EVA"),
    (r"beitv2_", "BEiTv2"), (r"beit3?_", "BEiT"), (r"vit_", "Vision Transformer"), (r"wide_resnet", "Wide-ResNet"),
    (r"seresnext", "SE-ResNeXt"), (r"seresnet", "SEResNet"), (r"resnext", "ResNeXt"), (r"resnetv2", "ResNetV2"),
    (r"resnet\d", "ResNet"), (r"regnet[xyz]", "RegNet"), (r"efficientnetv2|efficientnet_v2", "EfficientNetV2"),
    (r"efficientnet", "EfficientNet"), (r"mobilenetv2", "MobileNet V2"), (r"mobilenetv3", "MobileNet V3"),
    (r"mobilenetv4", "MobileNet V4"), (r"convnextv2", "ConvNeXt V2"), (r"convnext", "ConvNeXt"),
    (r"swinv2", "Swin-Transformer V2"), (r"swin", "Swin-Transformer"), (r"inception_v3", "Inception V3"),
    (r"inception_v4", "Inception V4"), (r"densenet", "DenseNet"), (r"vgg", "VGG"), (r"hrnet", "HRNet"),
    (r"res2net", "Res2Net"), (r"repvgg", "RepVGG"), (r"mobileone", "MobileOne"), (r"levit", "LeViT"),
    (r"mobilevitv2", "MobileViTv2"), (r"mobilevit", "MobileViT"), (r"poolformerv2", "PoolFormerV2"),
    (r"poolformer", "PoolFormer"), (r"twins", "Twins"), (r"xcit", "XCiT"), (r"tnt_", "Transformer in Transformer"),
    (r"mixer_", "MLP-Mixer"), (r"convmixer", "ConvMixer"), (r"edgenext", "EdgeNeXt"),
    (r"efficientformerv2", "EfficientFormerV2"), (r"efficientformer", "EfficientFormer"), (r"davit", "DaViT"),
    (r"tiny_vit", "TinyViT"), (r"csp(?:resne|darknet)|cs3", "CSPNet"), (r"hgnetv2", "HGNetV2"), (r"hgnet", "HGNet"),
    (r"(?:dm_|eca_)?nfnet|nf_", "NFNet"), (r"ecaresnet", "ECA-ResNet"), (r"maxvit", "MaxViT"), (r"maxxvit", "MaxxViT"),
    (r"coatnet", "CoAtNet"), (r"fastvit", "FastViT"), (r"efficientvit", "EfficientViT"), (r"hiera", "Hiera"),
    (r"focalnet", "FocalNet"), (r"mambaout", "MambaOut"), (r"repvit", "RepViT"), (r"flexivit", "FlexiViT"),
    (r"aimv2", "AIMv2"), (r"caformer", "CAFormer"), (r"convformer", "ConvFormer"), (r"crossvit", "CrossViT"),
    (r"volo", "VOLO"), (r"cait", "CaiT"), (r"resmlp", "ResMLP"), (r"resnest", "ResNeSt"), (r"xception", "Xception"),
    (r"dla", "DLA"), (r"dpn", "DPN"), (r"pvt_v2", "PVTv2"), (r"mvitv2", "MViT V2"), (r"ghostnet", "GhostNet"),
    (r"rexnet", "ReXNet"), (r"mixnet", "MixNet"), (r"tresnet", "TResNet"),
]
# Training data by a tag's tokens (`in22k_ft_in1k`).
DATA = {"in1k": "ImageNet-1k", "in21k": "ImageNet-21k", "in22k": "ImageNet-21k", "in12k": "ImageNet-12k",
        "laion2b": "LAION-2B", "laion400m": "LAION-400M", "openai": "OpenAI WIT", "webli": "WebLI",
        "lvd142m": "LVD-142M", "jft300m": "JFT-300M", "ig1b": "Instagram-1B", "yfcc100m": "YFCC100M",
        "dfn2b": "DFN-2B", "dfn5b": "DFN-5B", "datacompxl": "DataComp-1B", "merged2b": "Merged-2B",
        "m38m": "Merged-38M", "inat21": "iNaturalist 2021", "cc12m": "CC12M", "metaclip": "MetaCLIP"}
_DOC_PAPER = re.compile(r"`([^`]+)`\s*[-:]\s*(https?://\S+)")


def family(arch: str, module: str) -> str:
    plain = re.sub(r"^(?:tf|gluon|legacy|tv|timm)_", "", arch)
    for pattern, name in FAMILIES:
        if re.match(pattern, plain):
            return name
    first = re.sub(r"^eca_", "", plain).split("_")[0]  # `eca_halonext26ts` is a halonext
    return re.sub(r"(?<!v)\d+[a-z]*$", "", first) or first


def key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.casefold())


def paper_for(name: str, module: str, papers: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The docstring paper whose title begins with the family's name (`GhostNet: ...`), else the module's
    first paper for the family the module is named after (`dla.py`: DLA)."""
    for title, url in papers:
        if key(title.split(":")[0]) == key(name):
            return title, url
    return papers[0] if papers and key(name) in (key(module), key(module).rstrip("s")) else None


def export(wheel: str) -> dict:
    collections: dict[str, dict] = {}
    models = []
    failures = []
    with zipfile.ZipFile(wheel) as archive:
        names = constants(archive.read("timm/data/constants.py").decode(), "timm/data/constants.py")
        names["generate_default_cfgs"] = lambda cfgs: cfgs
        for path in sorted(n for n in archive.namelist() if re.match(r"^timm/models/[a-z]\w*\.py$", n)):
            source = archive.read(path).decode("utf-8")
            if "generate_default_cfgs(" not in source:
                continue
            module = path.rsplit("/", 1)[1][:-3]
            namespace, failed = run_top_level(source, path, names)
            cfgs = namespace.get("default_cfgs")
            if not isinstance(cfgs, dict):
                failures.append(f"{path}: no default_cfgs ({'; '.join(failed[-1:])})")
                continue
            papers = [(" ".join(t.split()), u.rstrip(".,)")) for t, u in _DOC_PAPER.findall(ast.get_docstring(ast.parse(source)) or "")]
            for name, cfg in cfgs.items():
                arch, _, tag = name.partition(".")
                tag = tag.rstrip("*")
                if not (cfg.get("hf_hub_id") or cfg.get("url") or cfg.get("file")) or arch.startswith("test_"):
                    continue  # an architecture without pretrained weights, or timm's own test models
                method = family(arch, module)
                collection = collections.setdefault(method, {"Name": method, "Code": {"URL": CODE}})
                paper = paper_for(method, module, papers)
                if paper and "Paper" not in collection:
                    collection["Paper"] = {"Title": paper[0], "URL": paper[1]}
                models.append(model_entry(f"{arch}.{tag}" if tag else arch, method, cfg))
    for failure in failures:
        print(f"export_timm: {failure}", file=sys.stderr)
    return {"Collections": sorted(collections.values(), key=lambda c: c["Name"]), "Models": models}


def model_entry(name: str, method: str, cfg: dict) -> dict:
    tag = name.partition(".")[2]
    task = "Image Classification" if cfg.get("num_classes", 1000) else "Image Feature Extraction"
    data = list(dict.fromkeys(DATA[t] for t in re.split(r"[_-]", tag) if t in DATA))
    entry: dict = {"Name": name, "In Collection": method, "Task": task}
    if data:
        entry["Metadata"] = {"Training Data": data}
    hub = cfg.get("hf_hub_id") or ""
    if hub:
        hub = hub + name if hub.endswith("/") else hub
        entry["Weights"] = f"https://huggingface.co/{hub}"
    elif cfg.get("url"):
        entry["Weights"] = cfg["url"]
    if cfg.get("license"):
        entry["License"] = cfg["license"]
    # `paper_ids` name the paper of these weights (a training recipe such as "ResNet strikes back"), not of the method.
    arxiv = re.findall(r"arXiv:(\d{4}\.\d{4,5})", str(cfg.get("paper_ids") or ""))
    if arxiv:
        entry["Paper"] = {"Title": cfg.get("paper_name") or "", "URL": f"https://arxiv.org/abs/{arxiv[0]}"}
    if "github.com/" in str(cfg.get("origin_url")):
        entry["Code"] = {"URL": cfg["origin_url"]}  # the original implementation the weights come from
    return entry


if __name__ == "__main__":
    wheel, version = sys.argv[1], sys.argv[2]
    print(f"# timm {version}: pretrained configurations exported by scripts/export_timm.py; Apache-2.0 (LICENSE).")
    print(yaml.safe_dump(export(wheel), sort_keys=False, allow_unicode=True, width=1000), end="")
