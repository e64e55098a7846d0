"""A NumPy forward pass of BERT-style sentence-transformers models (e.g. all-MiniLM-L6-v2).

Importing sentence-transformers costs ~6 s on two cores (torch, transformers, scikit-learn),
longer than the whole cold-start budget of `rag ask`. Questions and answer sentences are short,
so at question time the same weights run here in NumPy: same vectors (tested to agree with
sentence-transformers to 1e-5), ~0.3 s to load. Passages are still embedded by
sentence-transformers at ingest.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

_LINEAR_LAYERS = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)
_SUPPORTED_MODULES = [
    "sentence_transformers.models.Transformer",
    "sentence_transformers.models.Pooling",
    "sentence_transformers.models.Normalize",
]


def supports(folder: Path) -> bool:
    """True for a local BERT model with mean pooling and normalization, in safetensors."""
    try:
        config = json.loads((folder / "config.json").read_text())
        modules = [m["type"] for m in json.loads((folder / "modules.json").read_text())]
        pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return (
        config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and config.get("position_embedding_type", "absolute") == "absolute"
        and modules == _SUPPORTED_MODULES
        and pooling.get("pooling_mode_mean_tokens") is True
        and not any(
            v
            for k, v in pooling.items()
            if k.startswith("pooling_mode_") and k != "pooling_mode_mean_tokens"
        )
        and (folder / "model.safetensors").is_file()
        and (folder / "tokenizer.json").is_file()
    )


class NumpyBertEncoder:
    """Tokenize, run the transformer, mean-pool and normalize, all on the CPU in NumPy."""

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file
        from threadpoolctl import threadpool_limits
        from tokenizers import Tokenizer

        # These matrices are small: one BLAS thread is as fast, and idle OpenBLAS workers
        # otherwise spin for milliseconds and slow llama.cpp's threads right after retrieval
        # (measured: retrieval 22 -> 14 ms, generation 8% faster, on 2 cores). Torch, which
        # embeds passages at ingest, keeps its own thread pool.
        threadpool_limits(limits=1, user_api="blas")

        config = json.loads((folder / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.dimension = int(config["hidden_size"])
        bert_config = folder / "sentence_bert_config.json"
        max_len = (
            json.loads(bert_config.read_text()).get("max_seq_length", 256)
            if bert_config.is_file()
            else 256
        )
        weights = load_file(str(folder / "model.safetensors"))
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""
        self.w = {k[len(prefix) :]: v for k, v in weights.items() if k.startswith(prefix)}
        # Linear layers store (out, in); keep (in, out) contiguous so x @ w needs no transpose.
        self.linear = {
            f"encoder.layer.{i}.{name}": np.ascontiguousarray(
                self.w[f"encoder.layer.{i}.{name}.weight"].T
            )
            for i in range(self.layers)
            for name in _LINEAR_LAYERS
        }
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=int(max_len))
        self.tokenizer.enable_padding(pad_id=int(config.get("pad_token_id", 0)))

    def encode(self, texts: list[str]) -> np.ndarray:
        """(len(texts), dim) unit vectors, as sentence-transformers would compute them."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        batch = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in batch])
        mask = np.array([e.attention_mask for e in batch], dtype=np.float32)
        types = np.array([e.type_ids for e in batch])
        x = self._forward(ids, types, mask)
        pooled = (x * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)[:, None]
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)

    def _forward(self, ids: np.ndarray, types: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.w
        length = ids.shape[1]
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][types]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        bias = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)  # padding gets no attention
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            q = self._heads(self._dense(x, p + "attention.self.query"))
            k = self._heads(self._dense(x, p + "attention.self.key"))
            v = self._heads(self._dense(x, p + "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) * np.float32(q.shape[-1] ** -0.5) + bias
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(x.shape)
            x = self._norm(
                x + self._dense(context, p + "attention.output.dense"),
                p + "attention.output.LayerNorm",
            )
            hidden = _gelu(self._dense(x, p + "intermediate.dense"))
            x = self._norm(x + self._dense(hidden, p + "output.dense"), p + "output.LayerNorm")
        return x

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.linear[name] + self.w[name + ".bias"]

    def _heads(self, x: np.ndarray) -> np.ndarray:
        b, n, d = x.shape
        return x.reshape(b, n, self.heads, d // self.heads).transpose(0, 2, 1, 3)

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(axis=-1, keepdims=True)
        var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[name + ".weight"] + self.w[
            name + ".bias"
        ]


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, as BERT uses; erf by Abramowitz-Stegun 7.1.26 (error < 1.5e-7)."""
    z = x * np.float32(0.5**0.5)
    sign = np.sign(z)
    a = np.abs(z)
    t = np.float32(1.0) / (np.float32(1.0) + np.float32(0.3275911) * a)
    poly = t * (
        0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    erf = sign * (1.0 - poly * np.exp(-a * a))
    return 0.5 * x * (1.0 + erf)
