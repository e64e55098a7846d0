"""Comparing two eval runs: paired intervals, flipped items, and clear lines for bad folders."""

import json
from pathlib import Path

import pytest

from rag.cli import main
from rag.eval.compare import RunError, compare_runs, comparison_markdown, load_run
from tests.conftest import PROJECT_ROOT


def _row(i: int, correct: bool, answerable: bool = True) -> dict:
    return {
        "id": f"q{i}",
        "category": "fact" if answerable else "missing_detail",
        "question": f"question {i}?",
        "answerable": answerable,
        "abstained": not answerable and correct or answerable and not correct,
        "correct": correct,
        "cited": True,
        "latency_ms": 100.0 + i,
    }


def _run(folder: Path, rows: list[dict]) -> Path:
    folder.mkdir(parents=True)
    (folder / "summary.json").write_text(json.dumps({"settings": {"top_k": "4"}}))
    (folder / "results.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return folder


def test_flipped_items_are_listed_and_a_single_flip_is_within_the_noise(tmp_path: Path) -> None:
    before = [_row(i, i % 2 == 0) for i in range(40)]
    after = [_row(i, i % 2 == 0 if i not in (0, 1) else i == 1) for i in range(40)]
    comparison = compare_runs(
        load_run(_run(tmp_path / "a", before)), load_run(_run(tmp_path / "b", after))
    )
    assert [i["id"] for i in comparison["broke"]] == ["q0"]
    assert [i["id"] for i in comparison["fixed"]] == ["q1"]
    correct = comparison["metrics"]["correct"]
    assert correct["before"] == correct["after"] == 0.5 and correct["change"] == 0
    low, high = correct["change_95_interval"]
    assert low < 0 < high and not correct["beyond_noise"]
    text = comparison_markdown(comparison)
    assert text.index("q0") < text.index("q1") < text.index("| correct |")  # flips first


def test_a_change_on_many_items_is_beyond_the_noise(tmp_path: Path) -> None:
    before = [_row(i, i < 10) for i in range(40)]
    after = [_row(i, i < 30) for i in range(40)]
    comparison = compare_runs(
        load_run(_run(tmp_path / "a", before)), load_run(_run(tmp_path / "b", after))
    )
    correct = comparison["metrics"]["correct"]
    assert correct["change"] == 0.5 and correct["beyond_noise"]
    assert correct["change_95_interval"][0] > 0.25
    assert len(comparison["fixed"]) == 20 and not comparison["broke"]
    assert "+50.0 pts *" in comparison_markdown(comparison)


def test_only_shared_items_are_paired_and_the_rest_named(tmp_path: Path) -> None:
    before = [_row(i, True) for i in range(5)]
    after = [_row(i, True) for i in range(2, 8)]
    comparison = compare_runs(
        load_run(_run(tmp_path / "a", before)), load_run(_run(tmp_path / "b", after))
    )
    assert comparison["paired_items"] == 3
    assert comparison["only_before"] == ["q0", "q1"]
    assert comparison["only_after"] == ["q5", "q6", "q7"]
    with pytest.raises(RunError, match="share no item ids"):
        compare_runs(
            load_run(_run(tmp_path / "c", before[:1])), load_run(_run(tmp_path / "d", after))
        )


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: None, "is not a run folder"),
        (lambda d: d.mkdir(), "cannot read run"),
        (lambda d: _run(d, []), "holds no results"),
        (
            lambda d: _run(d, [_row(1, True)]) and (d / "results.jsonl").write_text("{oops\n"),
            "results.jsonl:1: not JSON",
        ),
        (
            lambda d: _run(d, [_row(1, True)]) and (d / "results.jsonl").write_text('{"id": 1}\n'),
            "results.jsonl:1: missing question",
        ),
        (
            lambda d: _run(d, [_row(1, True)]) and (d / "summary.json").write_text("{"),
            "summary.json is not JSON",
        ),
    ],
)
def test_a_bad_run_folder_is_one_clear_line(tmp_path: Path, capsys, make, message) -> None:
    bad = tmp_path / "run"
    make(bad)
    good = _run(tmp_path / "good", [_row(1, True)])
    with pytest.raises(RunError, match=message):
        load_run(bad)
    assert main(["compare", str(bad), str(good)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("rag: error: ") and message in err and err.count("\n") == 1


def test_compare_prints_the_comparison_of_two_committed_runs(capsys) -> None:
    runs = PROJECT_ROOT / "eval" / "baseline"
    assert main(["compare", str(runs / "readers_test_before"), str(runs / "readers_test")]) == 0
    out = capsys.readouterr().out
    assert "130 items in both runs" in out and "**Broke" in out and "| correct |" in out


@pytest.mark.slow
def test_eval_compares_with_an_earlier_real_run_and_gates_on_a_threshold(
    tmp_path: Path, seeds_dir: Path, capsys
) -> None:
    """Two real runs of one item: the second scores it against a reference the answer cannot
    match, so the item breaks; the gate then fails the command."""
    item = next(
        json.loads(line)
        for line in (PROJECT_ROOT / "eval" / "qa.jsonl").read_text(encoding="utf-8").splitlines()
        if '"id": "fact-01"' in line
    )
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(json.dumps(item) + "\n", encoding="utf-8")
    # Verbatim in the article, but in a passage the answer to this question does not cite.
    item["reference_answer"], item["evidence"] = "Portugal.", ["offensive cyber operations"]
    second.write_text(json.dumps(item) + "\n", encoding="utf-8")
    common = ["--seeds-dir", str(seeds_dir), "--data-dir", str(tmp_path / "data"), "eval"]
    first_run = ["--dataset", str(first), "--out", str(tmp_path / "a")]
    assert main([*common, *first_run, "--fail-under", "correct=50%"]) == 0  # met: exit 0
    assert json.loads((tmp_path / "a" / "results.jsonl").read_text(encoding="utf-8"))["correct"]
    capsys.readouterr()
    code = main(
        [
            *common,
            "--dataset",
            str(second),
            "--out",
            str(tmp_path / "b"),
            "--compare",
            str(tmp_path / "a"),
            "--fail-under",
            "correct=50%",
            "--fail-over",
            "latency_p50_ms=3600000",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1
    said = [line for line in err.splitlines() if line.startswith("rag")]  # not the progress bar
    assert said == ["rag: eval gate: correct 0.0% is under 50.0%"]
    comparison = json.loads((tmp_path / "b" / "comparison.json").read_text(encoding="utf-8"))
    assert [i["id"] for i in comparison["broke"]] == ["fact-01"]
    report = (tmp_path / "b" / "report.md").read_text(encoding="utf-8")
    assert "Broke (right before, wrong now)" in report and "fact-01" in report
