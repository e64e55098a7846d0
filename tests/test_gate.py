"""`--fail-under` / `--fail-over`: thresholds read from the command line, misses named."""

import pytest

from rag.cli import main
from rag.eval.gate import missed, parse_threshold


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("correct=0.85", ("correct", 0.85)),
        ("correct=85%", ("correct", 0.85)),
        (" token_f1 = 60% ", ("token_f1", 0.6)),
        ("hit@8=0.9", ("hit@8", 0.9)),
    ],
)
def test_thresholds_read_as_a_share_or_a_percentage(raw: str, expected) -> None:
    assert parse_threshold(raw, lower_is_better=False) == pytest.approx(expected)


def test_lower_is_better_metrics_take_fail_over() -> None:
    assert parse_threshold("latency_p50_ms=1000", lower_is_better=True) == (
        "latency_p50_ms",
        1000.0,
    )
    with pytest.raises(ValueError, match="better lower: use --fail-over latency_p50_ms=1000"):
        parse_threshold("latency_p50_ms=1000", lower_is_better=False)
    with pytest.raises(ValueError, match="better higher: use --fail-under correct=0.9"):
        parse_threshold("correct=0.9", lower_is_better=True)


def test_a_threshold_on_the_limit_passes_and_one_above_it_fails() -> None:
    numbers = {"correct": 0.8, "false_abstention_rate": 0.1, "token_f1": None}
    assert missed(numbers, [("correct", 0.8)], [("false_abstention_rate", 0.1)]) == []
    assert missed(numbers, [("correct", 0.81)], [("false_abstention_rate", 0.09)]) == [
        "correct 80.0% is under 81.0%",
        "false_abstention_rate 10.0% is over 9.0%",
    ]
    assert missed(numbers, [("token_f1", 0.5)], []) == [
        "token_f1 was not measured in this run (threshold 50.0%)"
    ]


@pytest.mark.parametrize(
    ("flag", "message"),
    [
        ("correctness=0.8", "unknown metric 'correctness'; choose from"),
        ("correct", "expected METRIC=VALUE"),
        ("correct=high", "'high' is not a number"),
    ],
)
def test_a_bad_threshold_is_a_usage_error_before_anything_runs(capsys, flag, message) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["eval", "--fail-under", flag])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
