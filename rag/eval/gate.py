"""Thresholds on a run's headline numbers (`--fail-under`, `--fail-over`) that fail the command,
so that a CI job can gate on answer quality."""

from __future__ import annotations

import re

from rag.eval.score import headline

# Headline numbers where a smaller value is the better one: they take --fail-over.
LOWER_IS_BETTER = frozenset(
    {
        "false_abstention_rate",
        "answer_words_p50",
        "whole_passage_answers",
        "latency_p50_ms",
        "latency_p95_ms",
    }
)
_NAMES = sorted(set(headline([], 4)) - {"items", "hit@4"}) + ["hit@K"]


def parse_threshold(raw: str, lower_is_better: bool) -> tuple[str, float]:
    """'correct=0.85' or 'correct=85%' as (metric, value); ValueError with the fix otherwise."""
    name, sep, value = raw.partition("=")
    name = name.strip()
    if not sep or not name:
        raise ValueError(f"expected METRIC=VALUE, got {raw!r}")
    if name not in _NAMES and not re.fullmatch(r"hit@\d+", name):
        raise ValueError(f"unknown metric {name!r}; choose from {', '.join(_NAMES)}")
    if (name in LOWER_IS_BETTER) != lower_is_better:
        flag = "--fail-over" if name in LOWER_IS_BETTER else "--fail-under"
        better = "lower" if name in LOWER_IS_BETTER else "higher"
        raise ValueError(f"{name} is better {better}: use {flag} {name}={value.strip()}")
    text = value.strip()
    try:
        number = float(text.removesuffix("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise ValueError(f"{name}: {text!r} is not a number (write 0.85 or 85%)") from None
    return name, number


def missed(
    numbers: dict, under: list[tuple[str, float]], over: list[tuple[str, float]]
) -> list[str]:
    """One line for each threshold the headline numbers miss."""
    lines = []
    for (name, limit), below in [(t, True) for t in under] + [(t, False) for t in over]:
        value = numbers.get(name)
        if value is None:
            lines.append(f"{name} was not measured in this run (threshold {_shown(name, limit)})")
        elif below and value < limit:
            lines.append(f"{name} {_shown(name, value)} is under {_shown(name, limit)}")
        elif not below and value > limit:
            lines.append(f"{name} {_shown(name, value)} is over {_shown(name, limit)}")
    return lines


def _shown(name: str, value: float) -> str:
    if name.endswith("_ms") or name == "answer_words_p50":
        return f"{value:,.1f}"
    return f"{value:.1%}"
