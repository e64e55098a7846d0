"""The verifier measured on its own: the labelled pairs, and the numbers `rag eval` reports."""

import json
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from rag.eval.dataset import DatasetError
from rag.eval.verifier import FROZEN_PAIRS, PAIRS, load_pairs, measure_verifier
from tests.conftest import SEED

PASSAGE = "Israel and Saudi Arabia are reviewing what they share with Washington."


class SameVector:
    """Embeddings under which every text is identical: similarity 1, so only the word checks
    of the verifier decide."""

    def encode(self, texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 4)) / 2.0


def test_the_labelled_pairs_cover_every_kind_with_passages_from_the_article() -> None:
    pairs = load_pairs(PAIRS)
    article = SEED.read_text(encoding="utf-8")
    kinds = Counter(p["kind"] for p in pairs)
    assert len(pairs) >= 150 and len({p["id"] for p in pairs}) == len(pairs)
    assert kinds["paraphrase"] >= 60 and kinds["verbatim"] >= 20
    for kind in ("swapped_roles", "negation", "wrong_number", "outside_fact", "spliced"):
        assert kinds[kind] >= 12, kind
    assert all(p["passage"] in article for p in pairs)
    assert all(p["supported"] == (p["kind"] in ("verbatim", "paraphrase")) for p in pairs)


def test_the_frozen_pairs_are_a_separate_set_of_every_kind() -> None:
    pairs, tuning = load_pairs(FROZEN_PAIRS), load_pairs(PAIRS)
    article = SEED.read_text(encoding="utf-8")
    kinds = Counter(p["kind"] for p in pairs)
    assert len(pairs) >= 90 and len({p["id"] for p in pairs}) == len(pairs)
    assert set(kinds) == set(Counter(p["kind"] for p in tuning))
    assert all(p["passage"] in article for p in pairs)
    assert all(p["supported"] == (p["kind"] in ("verbatim", "paraphrase")) for p in pairs)
    assert not {p["sentence"] for p in pairs} & {p["sentence"] for p in tuning}


def test_precision_and_recall_count_the_verifiers_verdicts() -> None:
    pairs = [
        {"passage": PASSAGE, "sentence": PASSAGE, "supported": True, "kind": "verbatim"},
        {
            "passage": PASSAGE,
            "sentence": "Israel and Canada are reviewing what they share with Washington.",
            "supported": False,
            "kind": "outside_fact",
        },
        {
            "passage": PASSAGE,
            "sentence": "Two Gulf kingdoms reconsider their cooperation with America.",
            "supported": True,
            "kind": "paraphrase",
        },
    ]
    result = measure_verifier(pairs, SameVector(), 0.6)
    assert result["pairs"] == 3
    assert result["precision"] == 1.0  # the one accepted pair is supported
    assert result["recall"] == 0.5 and result["paraphrase_recall"] == 0.0
    assert result["accepted_by_kind"] == {"outside_fact": 0.0, "paraphrase": 0.0, "verbatim": 1.0}


def test_a_bad_pairs_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "pairs.jsonl"
    path.write_text(json.dumps({"passage": "a", "sentence": "b"}) + "\n")
    with pytest.raises(DatasetError, match="pairs.jsonl:1: needs passage, sentence"):
        load_pairs(path)
