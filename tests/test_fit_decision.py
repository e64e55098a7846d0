"""Fitting the decision (tools/fit_decision.py) on made-up signals."""

import numpy as np
import pytest

from rag.answer.signals import Signals
from tools.fit_decision import REPEATS, fit

pytestmark = pytest.mark.slow  # hundreds of small fits: about a minute


def _signals(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Signals of which only the first says anything: noisy, so the folds matter."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    x = rng.random((n, len(Signals.names())))
    x[:, 0] = y * 0.3 + rng.random(n)
    return x, y


def test_the_fit_weighs_the_informative_signal_and_averages_repeated_folds() -> None:
    x, y = _signals(200, 0)
    result = fit(x, y)
    assert result["weights"][0] > 0 and abs(result["weights"][0]) == max(
        map(abs, result["weights"])
    )
    assert result["cross_validation"]["repeats"] == REPEATS > 1
    assert 0.05 <= result["threshold"] <= 0.95 and len(result["curve"]) > 10


def test_leaving_one_item_out_barely_moves_the_threshold() -> None:
    # With one drawing of the folds this set's threshold moves by 0.10 when one item leaves.
    x, y = _signals(200, 3)
    moved = [
        abs(fit(x, y)["threshold"] - fit(np.delete(x, i, 0), np.delete(y, i))["threshold"])
        for i in (0, 1, 2)
    ]
    assert max(moved) <= 0.05
