"""How far a perfect answer/decline decision would take each question set: every
not-answerable item declined, every answerable one answered by the pipeline as it is.

    python -m tools.ceiling [--dataset eval/readers_test.jsonl ...]

Counted over the items the fitted model decides (`fit_decision.decided_whole`: not
instructions, questions about the whole article or questions that ask two things). It fits
nothing, so it may read the frozen sets: it says how much of what is missing the decision
could win back, and how much only better answers could.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from rag.eval.dataset import DatasetError, load_dataset
from rag.settings import PROJECT_ROOT, Settings
from tools.fit_decision import FROZEN, TUNING_SETS, measure_items

SETS = (*TUNING_SETS, *FROZEN, PROJECT_ROOT / "eval" / "heldout.jsonl")


def ceiling(answerable: np.ndarray, right: np.ndarray) -> dict:
    """The share right with a perfect decision, and the answerable items' share answered right
    when answered. `answerable`: 1 per answerable item; `right`: whether answering it is right."""
    answerable = answerable.astype(bool)
    right = right.astype(bool) & answerable
    items, asked = len(answerable), int(answerable.sum())
    return {
        "items": items,
        "answerable": asked,
        "answerable_right_when_answered": round(int(right.sum()) / asked, 3) if asked else None,
        "correct_with_a_perfect_decision": (
            round((items - asked + int(right.sum())) / items, 3) if items else None
        ),
    }


def main(argv: list[str] | None = None) -> int:
    """Print one line of JSON per question set."""
    parser = argparse.ArgumentParser(prog="python -m tools.ceiling", description=__doc__)
    parser.add_argument("--dataset", type=Path, action="append", help="question set (repeatable)")
    args = parser.parse_args(argv)
    for path in args.dataset or list(SETS):
        try:
            items = load_dataset(path)
        except (DatasetError, OSError) as err:
            parser.error(f"cannot read {path}: {err}")
        _, answerable, right = measure_items(Settings.from_env(), items)
        print(json.dumps({"set": path.name, **ceiling(answerable, right)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
