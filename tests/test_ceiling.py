"""What a perfect answer/decline decision would score (tools/ceiling.py)."""

import numpy as np
import pytest

from tools.ceiling import ceiling, main


def test_a_perfect_decision_declines_every_not_answerable_item_and_keeps_wrong_answers() -> None:
    answerable = np.array([1, 1, 1, 1, 0, 0])
    right = np.array([1, 1, 0, 0, 1, 0])  # a not-answerable item is never "right when answered"
    assert ceiling(answerable, right) == {
        "items": 6,
        "answerable": 4,
        "answerable_right_when_answered": 0.5,
        "correct_with_a_perfect_decision": round(4 / 6, 3),
    }


def test_a_set_without_answerable_items_has_no_answer_rate() -> None:
    result = ceiling(np.array([0, 0]), np.array([0, 0]))
    assert result["answerable_right_when_answered"] is None
    assert result["correct_with_a_perfect_decision"] == 1.0


def test_a_missing_set_is_a_usage_error_not_a_traceback(tmp_path, capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--dataset", str(tmp_path / "none.jsonl")])
    assert stop.value.code == 2
    assert "cannot read" in capsys.readouterr().err
