"""The answer verifier measured on its own: labelled (passage, sentence, supported?) pairs in
`eval/verifier_pairs.jsonl`, with faithful paraphrases and subtle errors of each kind."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from rag.answer.verify import check_support
from rag.eval.dataset import DatasetError
from rag.eval.jsonl import read_jsonl
from rag.settings import PROJECT_ROOT

PAIRS = PROJECT_ROOT / "eval" / "verifier_pairs.jsonl"
# Written later by another helper session that never read the verifier, and never tuned on.
FROZEN_PAIRS = PROJECT_ROOT / "eval" / "verifier_pairs_test.jsonl"
# summary.json key -> the pairs it measures
PAIR_SETS = {"verifier": PAIRS, "verifier_frozen": FROZEN_PAIRS}


def load_pairs(path: Path) -> list[dict]:
    """The labelled pairs; DatasetError naming the line when one is malformed."""
    pairs = []
    for lineno, pair in read_jsonl(path, DatasetError, "verifier pairs"):
        if not isinstance(pair, dict) or not {"passage", "sentence", "supported", "kind"} <= set(
            pair
        ):
            raise DatasetError(f"{path}:{lineno}: needs passage, sentence, supported and kind")
        pairs.append(pair)
    return pairs


def measure_verifier(pairs: list[dict], embeddings: Any, min_support: float) -> dict:
    """The verifier's verdict on every pair (with the same embedding similarity the answerer
    uses): precision of 'supported', recall on supported pairs and on paraphrases alone, and
    the share accepted per kind."""
    texts = [t for p in pairs for t in (p["sentence"], p["passage"])]
    vectors = embeddings.encode(texts)
    accepted_by_kind: dict[str, list[bool]] = defaultdict(list)
    tp = fp = fn = 0
    for i, pair in enumerate(pairs):
        similarity = float(vectors[2 * i] @ vectors[2 * i + 1])
        ok = check_support(pair["sentence"], pair["passage"], similarity, min_support).supported
        accepted_by_kind[pair["kind"]].append(ok)
        tp += ok and pair["supported"]
        fp += ok and not pair["supported"]
        fn += not ok and pair["supported"]
    paraphrases = accepted_by_kind.get("paraphrase", [])
    return {
        "pairs": len(pairs),
        "precision": round(tp / (tp + fp), 4) if tp + fp else None,
        "recall": round(tp / (tp + fn), 4) if tp + fn else None,
        "paraphrase_recall": round(sum(paraphrases) / len(paraphrases), 4) if paraphrases else None,
        "accepted_by_kind": {
            kind: round(sum(v) / len(v), 4) for kind, v in sorted(accepted_by_kind.items())
        },
    }
