"""Export open_clip's pretrained table to a model-index file, reading its source without importing it.

Usage: python scripts/export_open_clip.py OPEN_CLIP_WHEEL VERSION > data/open_clip/model-index.yml

`open_clip/pretrained.py` lists each architecture's pretrained tags (`ViT-B-32` -> `laion2b_s34b_b79k`)
in `_PRETRAINED`, built by helper functions at its top level; scripts/pysource.py runs only those.
The `-quickgelu` duplicates the module adds afterwards are the same weights and are left out.
A checkpoint is named as `open_clip.list_pretrained(as_str=True)` names it (`ViT-B-32:laion2b_s34b_b79k`).
A method's paper is given only where the package's own README cites it (checked against the wheel's METADATA).
"""

from __future__ import annotations

import re
import sys
import zipfile

import yaml

from pysource import constants, run_top_level

CODE = "https://github.com/mlfoundations/open_clip"
TASKS = ["Zero-Shot Image Classification", "Text-To-Image Retrieval", "Image-To-Text Retrieval"]
# (architecture or tag pattern, method, the paper the README cites for it); most specific first.
METHODS = [
    (r"SigLIP2", "SigLIP2", "https://arxiv.org/abs/2502.14786"),
    (r"SigLIP", "SigLIP", "https://arxiv.org/abs/2303.15343"),
    (r"^coca", "CoCa", "https://arxiv.org/abs/2205.01917"),
    (r"^PE-Core", "Perception Encoder", "https://arxiv.org/abs/2504.13181"),
    (r"^EVA", "EVA-CLIP", None),
    (r"MobileCLIP2", "MobileCLIP2", None),
    (r"MobileCLIP", "MobileCLIP", None),
    (r"CLIPA", "CLIPA", None),
    (r"^nllb", "NLLB-CLIP", None),
    (r":dfn", "DFN", "https://arxiv.org/abs/2309.17425"),
    (r"", "CLIP", "https://arxiv.org/abs/2103.00020"),
]
# Training data by a tag's leading token.
DATA = {"openai": "OpenAI WIT", "laion400m": "LAION-400M", "laion2b": "LAION-2B", "laion5b": "LAION-5B",
        "laion_aesthetic": "LAION-Aesthetics", "datacomp": "DataComp-1B", "commonpool": "CommonPool",
        "dfn2b": "DFN-2B", "dfn5b": "DFN-5B", "webli": "WebLI", "yfcc15m": "YFCC15M", "cc12m": "CC12M",
        "metaclip": "MetaCLIP", "merged2b": "Merged-2B", "datacompdr": "DataCompDR", "mlcommons": "CommonPool"}


def export(wheel: str) -> dict:
    with zipfile.ZipFile(wheel) as archive:
        names = constants(archive.read("open_clip/constants.py").decode(), "open_clip/constants.py")
        namespace, failed = run_top_level(archive.read("open_clip/pretrained.py").decode(), "open_clip/pretrained.py", names)
        metadata = next(archive.read(n).decode() for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
    table = namespace.get("_PRETRAINED")
    if not isinstance(table, dict):
        sys.exit(f"export_open_clip: open_clip/pretrained.py: no _PRETRAINED ({'; '.join(failed[-1:])})")
    collections: dict[str, dict] = {}
    models = []
    for arch, tags in table.items():
        for tag, cfg in tags.items():
            name = f"{arch}:{tag}"
            _, method, paper = next(m for m in METHODS if re.search(m[0], name))
            collection = collections.setdefault(method, {"Name": method, "Code": {"URL": CODE}})
            if paper:
                if paper not in metadata:
                    sys.exit(f"export_open_clip: the package's README does not cite {paper} for {method}")
                collection["Paper"] = paper
            models.append(model_entry(name, method, tag, cfg))
    return {"Collections": sorted(collections.values(), key=lambda c: c["Name"]), "Models": models}


def model_entry(name: str, method: str, tag: str, cfg: dict) -> dict:
    entry: dict = {"Name": name, "In Collection": method, "Task": TASKS if not method == "CoCa" else [*TASKS, "Image Captioning"]}
    data = next((label for token, label in sorted(DATA.items(), key=lambda kv: -len(kv[0])) if tag.startswith(token)), None)
    if data:
        entry["Metadata"] = {"Training Data": [data]}
    hub = (cfg.get("hf_hub") or "").rstrip("/")
    if hub:
        entry["Weights"] = f"https://huggingface.co/{hub}"
    elif cfg.get("url"):
        entry["Weights"] = cfg["url"]
    return entry


if __name__ == "__main__":
    wheel, version = sys.argv[1], sys.argv[2]
    print(f"# open_clip {version}: pretrained tags exported by scripts/export_open_clip.py; MIT (LICENSE).")
    print(yaml.safe_dump(export(wheel), sort_keys=False, allow_unicode=True, width=1000), end="")
