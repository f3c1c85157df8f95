"""Export torchvision's pretrained weights to a model-index file, reading its source without running it.

Usage: python scripts/export_torchvision.py TORCHVISION_WHEEL VERSION > data/torchvision/model-index.yml

torchvision states each checkpoint in a `Weights(url=..., meta={...})` entry of a `*_Weights` enum, and
the paper of each model in its builder's docstring. Importing torchvision needs a matching torch build,
so this reads the Python files of the wheel with `ast` instead: the meta dictionaries are literals
(with `**_COMMON_META` spreads), and the builder's `weights:` annotation names its enum.
The output is a model-index file (Collections = methods, Models = checkpoints) that
`modelatlas.ingest.formats.model_index` reads like the OpenMMLab metafiles.
"""

from __future__ import annotations

import ast
import re
import sys
import zipfile

import yaml

CODE = "https://github.com/pytorch/vision"
# The task of a module's models, by the module's folder.
TASKS = {"": "Image Classification", "quantization": "Image Classification", "segmentation": "Semantic Segmentation",
         "video": "Action Recognition", "optical_flow": "Optical flow estimation"}
DETECTION = {"keypoint_rcnn": "Human Pose Estimation", "mask_rcnn": "Instance Segmentation"}
# The method a builder belongs to, by its name, named as the other sources name it (one node per method).
METHODS = [
    (r"^resnext", "ResNeXt"), (r"^wide_resnet", "Wide-ResNet"), (r"^resnet", "ResNet"),
    (r"^alexnet", "AlexNet"), (r"^convnext", "ConvNeXt"), (r"^densenet", "DenseNet"),
    (r"^efficientnet_v2", "EfficientNetV2"), (r"^efficientnet", "EfficientNet"), (r"^googlenet", "GoogLeNet"),
    (r"^inception", "Inception V3"), (r"^maxvit", "MaxViT"), (r"^mnasnet", "MNASNet"),
    (r"^mobilenet_v2", "MobileNet V2"), (r"^mobilenet_v3", "MobileNet V3"), (r"^regnet", "RegNet"),
    (r"^shufflenet_v2", "Shufflenet V2"), (r"^squeezenet", "SqueezeNet"), (r"^swin_v2", "Swin-Transformer V2"),
    (r"^swin3d", "Video Swin Transformer"), (r"^swin", "Swin-Transformer"), (r"^vgg", "VGG"),
    (r"^vit", "Vision Transformer"), (r"^fasterrcnn", "Faster R-CNN"), (r"^fcos", "FCOS"),
    (r"^keypointrcnn", "Keypoint R-CNN"), (r"^maskrcnn", "Mask R-CNN"), (r"^retinanet", "RetinaNet"),
    (r"^ssdlite", "SSDlite"), (r"^ssd", "SSD"), (r"^deeplabv3", "DeepLabV3"), (r"^fcn", "FCN"),
    (r"^lraspp", "LRASPP"), (r"^mvit", "MViT"), (r"^r2plus1d", "R2Plus1D"), (r"^r3d", "R3D"), (r"^mc3", "MC3"),
    (r"^s3d", "S3D"), (r"^raft", "RAFT"),
]
# Metric keys of `_metrics`, in the words of the other sources (graph/facts.py folds the rest).
METRICS = {"acc@1": "Top 1 Accuracy", "acc@5": "Top 5 Accuracy", "box_map": "box AP", "mask_map": "mask AP",
           "kp_map": "AP", "miou": "mIoU", "pixel_acc": "aAcc", "epe": "EPE", "per_image_epe": "per-image EPE",
           "fl_all": "Fl-all"}
DATASETS = {"ImageNet-1K": "ImageNet-1k", "COCO-val2017": "COCO"}
_PAPER = re.compile(r"`([^`]+?)\s*<(https?://[^>\s]+)>`")


def literal(node: ast.AST, names: dict) -> object:
    """The value of a literal expression, with module-level names resolved and `**spread` merged; None if not literal."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, (ast.List, ast.Tuple)):
        return [literal(item, names) for item in node.elts]
    if isinstance(node, ast.Dict):
        out: dict = {}
        for key, value in zip(node.keys, node.values):
            if key is None:
                spread = literal(value, names)
                out.update(spread if isinstance(spread, dict) else {})
            else:
                out[literal(key, names)] = literal(value, names)
        return out
    return None


def module_entries(path: str, source: str) -> tuple[list[dict], dict[str, dict]]:
    """(builders with their weights enums and papers, {enum name: {tag: (url, meta)}}) of one module."""
    tree = ast.parse(source, path)
    names: dict = {}
    enums: dict[str, dict] = {}
    builders = []
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if node.value is not None:
                for target in targets:
                    if isinstance(target, ast.Name):
                        names[target.id] = literal(node.value, names)
        elif isinstance(node, ast.ClassDef) and any(getattr(b, "id", "") == "WeightsEnum" for b in node.bases):
            weights = {}
            for item in node.body:
                if isinstance(item, ast.Assign) and isinstance(item.value, ast.Call) and getattr(item.value.func, "id", "") == "Weights":
                    keywords = {k.arg: k.value for k in item.value.keywords}
                    weights[item.targets[0].id] = (literal(keywords["url"], names), literal(keywords["meta"], names))
            enums[node.name] = weights
        elif isinstance(node, ast.FunctionDef) and any("register_model" in ast.unparse(d) for d in node.decorator_list):
            annotation = next((a.annotation for a in node.args.kwonlyargs if a.arg == "weights"), None)
            enum_names = re.findall(r"\w+Weights\b", ast.unparse(annotation)) if annotation is not None else []
            docstring = ast.get_docstring(node) or ""
            links = _PAPER.findall(docstring)  # the paper: its first arXiv link, else its first link
            paper = next((link for link in links if "arxiv.org/" in link[1]), links[0] if links else None)
            builders.append({"name": node.name, "enums": enum_names, "paper": paper})
    return builders, enums


def method_of(builder: str) -> str:
    return next(name for pattern, name in METHODS if re.match(pattern, builder))


def export(wheel: str, version: str) -> dict:
    collections: dict[str, dict] = {}
    models = []
    with zipfile.ZipFile(wheel) as archive:
        for path in sorted(n for n in archive.namelist() if re.match(r"^torchvision/models/(?:\w+/)?\w+\.py$", n)):
            folder = path.split("/")[2] if path.count("/") == 3 else ""
            module = path.rsplit("/", 1)[1][:-3]
            if folder not in TASKS and folder != "detection":
                continue
            builders, enums = module_entries(path, archive.read(path).decode("utf-8"))
            task = TASKS.get(folder) or DETECTION.get(module, "Object Detection")
            for builder in builders:
                method = method_of(builder["name"])
                collection = collections.setdefault(method, {"Name": method, "Code": {"URL": CODE}})
                if builder["paper"] and "Paper" not in collection:
                    title, url = builder["paper"]
                    collection["Paper"] = {"Title": " ".join(title.split()), "URL": url}
                for enum in builder["enums"]:
                    for tag, (url, meta) in enums.get(enum, {}).items():
                        models.append(model_entry(f"{enum}.{tag}", method, task, folder, url, meta))
    return {"Collections": sorted(collections.values(), key=lambda c: c["Name"]), "Models": models}


def model_entry(name: str, method: str, task: str, folder: str, url: str, meta: dict) -> dict:
    metadata: dict = {}
    if meta.get("num_params"):
        metadata["Parameters"] = meta["num_params"]
    if meta.get("_ops"):
        metadata["FLOPs"] = round(meta["_ops"] * 1e9)
    if folder == "quantization" and meta.get("backend"):
        metadata["Quantization"] = f"int8 ({meta['backend']})"
    results = []
    for dataset, metrics in (meta.get("_metrics") or {}).items():
        by_task: dict[str, dict] = {}
        for key, value in metrics.items():
            result_task = "Object Detection" if key == "box_map" else task
            by_task.setdefault(result_task, {})[METRICS.get(key, key)] = value
        for result_task, values in by_task.items():
            results.append({"Task": result_task, "Dataset": DATASETS.get(dataset, dataset), "Metrics": values})
    entry = {"Name": name, "In Collection": method, "Metadata": metadata, "Results": results, "Weights": url}
    # Only the SWAG weights state a licence (a link to facebookresearch/SWAG's LICENSE, CC BY-NC 4.0);
    # the others state none, and none is assumed.
    if "facebookresearch/SWAG" in str(meta.get("license")):
        entry["License"] = "CC-BY-NC-4.0"
    return entry


if __name__ == "__main__":
    wheel, version = sys.argv[1], sys.argv[2]
    print(f"# torchvision {version}: pretrained weights exported by scripts/export_torchvision.py; BSD-3-Clause (LICENSE).")
    print(yaml.safe_dump(export(wheel, version), sort_keys=False, allow_unicode=True, width=1000), end="")
