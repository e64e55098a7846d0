"""The NumPy query encoder gives the same vectors as sentence-transformers."""

from pathlib import Path

import numpy as np
import pytest

from rag.ingest import numpy_bert as fast_encoder
from rag.ingest.embeddings import default_model_path

pytestmark = pytest.mark.slow

TEXTS = [
    "Which allies are rethinking intelligence sharing with the United States?",
    "hi",
    "Café détente, ☃ and ñ: odd characters still encode.",
    "word " * 400,  # longer than the model's 256 tokens: truncated the same way
]


def test_numpy_encoder_matches_sentence_transformers(embeddings) -> None:
    fast = fast_encoder.NumpyBertEncoder(Path(default_model_path()))
    ours = fast.encode(TEXTS)
    reference = embeddings.st_model.encode(TEXTS, normalize_embeddings=True)
    assert ours.shape == reference.shape == (4, 384)
    assert np.abs(ours - reference).max() < 1e-5


def test_supports_only_mean_pooled_bert_folders(tmp_path: Path) -> None:
    assert fast_encoder.supports(Path(default_model_path()))
    assert not fast_encoder.supports(tmp_path)


def test_queries_and_documents_share_one_vector_space(embeddings) -> None:
    text = ["Former officials emphasize the significance of upholding these commitments."]
    assert float(embeddings.encode(text)[0] @ embeddings.encode_documents(text)[0]) > 0.99999
