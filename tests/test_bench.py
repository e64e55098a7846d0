"""`rag bench`: its targets judge each number against its own limit, and short measurements
are repeated and judged on their median, so one hiccup of the machine fails nothing."""

import copy
import json

import pytest

from rag.cli import main
from tools import bench
from tools.bench import _targets
from tools.bench_stats import MAX_RUNS, MIN_RUNS, MIN_TOTAL_S, enough, ingest_runs

# A run that meets every target (numbers of the committed eval/bench/bench.json).
MET = {
    "ingest": [
        {"docs": 1, "ingest_over_encode": 1.169, "retrieval_p95_ms": 16.01},
        {"docs": 10, "ingest_over_encode": 1.038, "retrieval_p95_ms": 14.72},
        {"docs": 100, "ingest_over_encode": 1.069, "retrieval_p95_ms": 15.89},
    ],
    "answers": {"ask_p50_ms": 456.8, "ask_over_bare_generation": 1.066},
    "cold_start": {"cold_ask_p50_s": 2.87},
    "server": {"server_peak_rss_mb": 592.6},
}

# Each target, where its number sits in the results, its limit and a number just past it.
TARGETS = [
    ("ingest_over_encode <= 1.25", ("ingest", 0, "ingest_over_encode"), 1.25, 1.26),
    ("ingest_over_encode <= 1.25", ("ingest", 1, "ingest_over_encode"), 1.25, 1.26),
    ("retrieval_p95_ms at 100 docs <= 50", ("ingest", -1, "retrieval_p95_ms"), 50, 50.01),
    ("warm ask_p50_ms <= 1000", ("answers", "ask_p50_ms"), 1000, 1000.1),
    ("cold_ask_p50_s <= 6", ("cold_start", "cold_ask_p50_s"), 6, 6.01),
    ("server_peak_rss_mb <= 1536", ("server", "server_peak_rss_mb"), 1536, 1536.1),
    ("ask_over_bare_generation <= 1.15", ("answers", "ask_over_bare_generation"), 1.15, 1.151),
]


def _with(path: tuple, value: float) -> dict:
    """MET with the number at path set to value."""
    results = copy.deepcopy(MET)
    *parents, last = path
    holder = results
    for key in parents:
        holder = holder[key]
    holder[last] = value
    return results


def test_a_run_that_meets_every_target_passes_them_all() -> None:
    targets = _targets(MET)
    assert set(targets) == {t[0] for t in TARGETS}
    assert all(v is True for v in targets.values())


@pytest.mark.parametrize(("target", "path", "limit", "past"), TARGETS)
def test_each_target_fails_on_its_own_number_only(target, path, limit, past) -> None:
    at_limit = _targets(_with(path, limit))
    assert at_limit[target] is True  # the limit itself meets the target
    judged = _targets(_with(path, past))
    assert judged[target] is False
    assert all(v is True for name, v in judged.items() if name != target)


def test_retrieval_is_judged_at_the_largest_corpus_only() -> None:
    """A slow search over the smallest corpus is not the target's number."""
    targets = _targets(_with(("ingest", 0, "retrieval_p95_ms"), 80))
    assert all(targets.values())


def test_without_bare_generation_there_is_no_ratio_to_judge() -> None:
    targets = _targets(_with(("answers", "ask_over_bare_generation"), None))
    assert "ask_over_bare_generation <= 1.15" not in targets and all(targets.values())


def _ingest(ratios: list[float], encode_s: float = 0.23) -> dict:
    """The ingest entry of runs whose ingest took ratio times the bare encode beside it."""
    return {
        "docs": 1,
        "retrieval_p95_ms": 16.0,
        **ingest_runs([(r * encode_s, encode_s) for r in ratios]),
    }


def test_one_hiccup_among_the_runs_does_not_fail_the_ingest_target() -> None:
    """The finding: 0.91 and 1.49 in two runs in a row. The median judges, the spread shows."""
    entry = _ingest([1.05, 1.08, 1.49, 1.02, 1.06, 1.10, 0.91, 1.04])
    assert entry["runs"] == 8
    assert entry["ingest_over_encode"] == pytest.approx(1.055)
    assert entry["ingest_over_encode_spread"] == {"min": 0.91, "max": 1.49}
    assert entry["ingest_s"] == pytest.approx(1.055 * 0.23, abs=1e-3)
    assert entry["encode_s"] == 0.23
    results = {**MET, "ingest": [entry, *MET["ingest"][1:]]}
    assert _targets(results)["ingest_over_encode <= 1.25"] is True
    # The single run the bench used to take, had it been the hiccup, failed the target.
    assert _targets({**MET, "ingest": [_ingest([1.49])]})["ingest_over_encode <= 1.25"] is False


def test_an_ingest_that_is_slow_in_most_runs_still_fails() -> None:
    entry = _ingest([1.31, 1.05, 1.40, 1.29, 1.02])
    assert entry["ingest_over_encode"] == 1.29
    results = {**MET, "ingest": [entry, *MET["ingest"][1:]]}
    assert _targets(results)["ingest_over_encode <= 1.25"] is False


def _runs_needed(seconds: float) -> int:
    """How many runs of this many seconds each the bench takes."""
    times: list[float] = []
    while not enough(times):
        times.append(seconds)
    return len(times)


@pytest.mark.parametrize(
    ("seconds", "runs"),
    [
        (0.01, MAX_RUNS),  # capped
        (0.27, 8),  # one document: repeated until the runs add up to 2 s
        (0.5, MIN_RUNS),  # and at least 5 times, for a median that ignores a hiccup
        (2.0, MIN_RUNS),  # ten documents
        (16.0, 1),  # a hundred: long enough that a hiccup is a small part of it
    ],
)
def test_short_measurements_are_repeated_until_they_add_up(seconds, runs) -> None:
    assert _runs_needed(seconds) == runs
    assert runs == MAX_RUNS or runs * seconds >= MIN_TOTAL_S


@pytest.mark.slow
def test_quick_bench_over_one_document_writes_medians_spreads_and_targets(
    tmp_path, monkeypatch
) -> None:
    """`rag bench --quick` end to end, its ingest measured for real in a child process over a
    one-document corpus. The answer, cold start and server measurements (minutes of the
    embedded LLM, untouched by the repetition) stand in with the numbers of MET."""
    monkeypatch.setattr(bench, "QUICK_SIZES", (1,))
    monkeypatch.setattr(bench, "measure_answers", lambda settings, repeats: MET["answers"])
    monkeypatch.setattr(bench, "measure_cold_start", lambda settings, runs: MET["cold_start"])
    monkeypatch.setattr(bench, "measure_server_memory", lambda settings, questions: MET["server"])
    out = tmp_path / "bench"

    assert main(["bench", "--quick", "--out", str(out)]) == 0

    results = json.loads((out / "bench.json").read_text(encoding="utf-8"))
    (entry,) = results["ingest"]
    assert entry["docs"] == 1 and entry["passages"] > 0
    assert MIN_RUNS <= entry["runs"] <= MAX_RUNS  # a fraction of a second each: repeated
    spread = entry["ingest_over_encode_spread"]
    assert 0 < spread["min"] <= entry["ingest_over_encode"] <= spread["max"]
    assert entry["ingest_s"] > 0 and entry["encode_s"] > 0
    assert entry["rss_before_ingest_mb"] <= entry["peak_rss_mb"]
    assert 0 < entry["retrieval_p50_ms"] <= entry["retrieval_p95_ms"]
    names = {t[0] for t in TARGETS} - {"retrieval_p95_ms at 100 docs <= 50"}
    assert set(results["targets"]) == names | {"retrieval_p95_ms at 1 docs <= 50"}
    assert all(isinstance(v, bool) for v in results["targets"].values())
    assert (out / "bench.png").stat().st_size > 0
