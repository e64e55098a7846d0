"""Repeated short measurements for `rag bench`: when to stop repeating, and median and spread.

A measurement of a fraction of a second is as much the machine's momentary speed as the code's;
it is repeated and judged on its median, and its spread is reported beside it."""

from __future__ import annotations

from statistics import median

MIN_RUNS = 5  # the median of 5 runs ignores up to 2 hiccups
MIN_TOTAL_S = 2.0  # and the runs of a short measurement add up to at least this
LONG_S = 10.0  # a measurement this long in total needs no more runs: a hiccup is a small part
MAX_RUNS = 25


def enough(times: list[float]) -> bool:
    """Whether runs taking these seconds are enough to judge the code rather than a hiccup."""
    total = sum(times)
    if len(times) >= MAX_RUNS or total >= LONG_S:
        return True
    return len(times) >= MIN_RUNS and total >= MIN_TOTAL_S


def spread(values: list[float], digits: int = 3) -> dict[str, float]:
    """The median of repeated runs, and their smallest and largest value."""
    funcs = {"median": median, "min": min, "max": max}
    return {name: round(f(values), digits) for name, f in funcs.items()}


def ingest_runs(runs: list[tuple[float, float]]) -> dict:
    """bench.json's ingest numbers from repeated (ingest seconds, bare encode seconds) pairs:
    medians, and the median ratio of each ingest to the encode run beside it with its spread."""
    ratio = spread([ingest / encode for ingest, encode in runs])
    return {
        "runs": len(runs),
        "ingest_s": round(median(r[0] for r in runs), 3),
        "encode_s": round(median(r[1] for r in runs), 3),
        "ingest_over_encode": ratio["median"],
        "ingest_over_encode_spread": {"min": ratio["min"], "max": ratio["max"]},
    }
