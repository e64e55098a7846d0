"""`rag eval --sweep`: one run per value of a setting, one table and one plot."""

import json
from pathlib import Path

import pytest

from rag.cli import main
from rag.eval.sweep import parse_sweep, run_sweep, sweep_markdown
from rag.settings import PROJECT_ROOT, Settings
from rag.tuning import TUNING


def test_a_sweep_reads_as_a_setting_and_typed_values() -> None:
    assert parse_sweep("top_k=2, 4,8") == ("top_k", [("2", 2), ("4", 4), ("8", 8)])
    assert parse_sweep("min-support=0.5,0.7") == ("min_support", [("0.5", 0.5), ("0.7", 0.7)])


def test_a_tuned_number_can_be_swept_but_not_one_read_at_ingest() -> None:
    assert parse_sweep("quote_margin=0.8,1") == ("quote_margin", [("0.8", 0.8), ("1", 1.0)])
    assert parse_sweep("max_quotes=1,2") == ("max_quotes", [("1", 1), ("2", 2)])
    with pytest.raises(ValueError, match="unknown setting 'heading_max_chars'"):
        parse_sweep("heading_max_chars=100,200")
    with pytest.raises(ValueError, match="max_quotes='1.5' is not a valid int"):
        parse_sweep("max_quotes=1,1.5")


def test_a_swept_tuned_number_holds_for_its_run_only(tmp_path: Path, monkeypatch) -> None:
    seen = []

    def fake_run(settings, dataset, out, limit=0, replay=False):  # records what each run read
        seen.append((TUNING.quote_margin, replay))
        return {"system": {"headline": {"items": 1, "correct": TUNING.quote_margin}}}

    monkeypatch.setattr("rag.eval.run.run_eval", fake_run)
    before = TUNING.quote_margin
    values = [("0.5", 0.5), ("1", 1.0)]
    result = run_sweep(Settings(), Path("x.jsonl"), tmp_path, "quote_margin", values, replay=True)
    assert seen == [(0.5, True), (1.0, True)] and TUNING.quote_margin == before
    assert [r["headline"]["correct"] for r in result["runs"]] == [0.5, 1.0]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("top_k", "expected NAME=V1,V2"),
        ("colour=1,2", "unknown setting 'colour'"),
        ("auth=a:b,c:d", "unknown setting 'auth'"),  # a secret is never a flag
        ("top_k=4", "at least two values"),
        ("top_k=two,4", "RAG_TOP_K='two' is not a valid int"),
    ],
)
def test_a_bad_sweep_is_a_usage_error_before_anything_runs(capsys, raw, message) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["eval", "--sweep", raw])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_a_value_the_settings_refuse_fails_before_any_run(tmp_path: Path, capsys) -> None:
    assert main(["eval", "--sweep", "top_k=4,0", "--out", str(tmp_path / "s")]) == 2
    assert "top_k must be between 1 and 50" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()
    assert main(["eval", "--sweep", "top_k=2,4", "--fail-under", "correct=0.5"]) == 2
    assert "one by one" in capsys.readouterr().err


def test_the_table_has_a_row_per_value() -> None:
    runs = [
        {"value": "2", "headline": {"items": 3, "correct": 0.5, "latency_p50_ms": 120.0}},
        {"value": "4", "headline": {"items": 3, "correct": 0.75, "latency_p50_ms": 130.5}},
    ]
    text = sweep_markdown({"setting": "top_k", "dataset": "x.jsonl", "runs": runs})
    assert "| top_k | correct | latency_p50_ms |" in text
    assert "| 2 | 50% | 120 |" in text and "| 4 | 75% | 130 |" in text


@pytest.mark.slow
def test_a_real_sweep_runs_each_value_and_draws_the_plot(
    tmp_path: Path, seeds_dir: Path, capsys
) -> None:
    out = tmp_path / "sweep"
    argv = ["--seeds-dir", str(seeds_dir), "--data-dir", str(tmp_path / "data"), "eval"]
    argv += ["--dataset", str(PROJECT_ROOT / "eval" / "qa.jsonl"), "--limit", "2"]
    assert main([*argv, "--sweep", "top_k=1,4", "--out", str(out)]) == 0
    result = json.loads((out / "sweep.json").read_text(encoding="utf-8"))
    assert [r["value"] for r in result["runs"]] == ["1", "4"]
    for value in ("1", "4"):
        summary = json.loads((out / f"top_k={value}" / "summary.json").read_text())
        assert summary["settings"]["top_k"] == value and summary["system"]["headline"]["items"] == 2
    assert "hit@1" in result["runs"][0]["headline"] and "hit@4" in result["runs"][1]["headline"]
    assert (out / "sweep.png").stat().st_size > 1000
    assert "| top_k |" in capsys.readouterr().out
