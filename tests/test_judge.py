"""The optional model judge: yes/no verdicts from an OpenAI-compatible server, beside the
offline metrics."""

import json
from pathlib import Path

import pytest

from rag.cli import main
from rag.eval.judge import parse_verdict
from rag.settings import PROJECT_ROOT


@pytest.mark.parametrize(
    ("reply", "verdict"),
    [("Yes.", True), (" no", False), ("NO, it does not", False), ("Maybe", None), ("", None)],
)
def test_the_first_yes_or_no_is_the_verdict(reply: str, verdict) -> None:
    assert parse_verdict(reply) is verdict


def test_half_a_judge_is_a_usage_error_and_a_dead_one_fails_before_the_run(capsys) -> None:
    assert main(["eval", "--judge-model", "m"]) == 2
    assert "needs both --judge-base-url and --judge-model" in capsys.readouterr().err
    assert main(["eval", "--judge-model", "m", "--judge-base-url", "http://127.0.0.1:9/v1"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("rag: error: the judge model did not answer") and err.count("\n") == 1


@pytest.mark.slow
def test_the_judge_grades_a_real_run_through_llama_cpps_own_server(
    tmp_path: Path, seeds_dir: Path
) -> None:
    from tools.servers import llama_server

    items = [
        line
        for line in (PROJECT_ROOT / "eval" / "qa.jsonl").read_text(encoding="utf-8").splitlines()
        if '"id": "fact-01"' in line or '"id": "fact-02"' in line
    ]
    dataset = tmp_path / "qa.jsonl"
    dataset.write_text("\n".join(items) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    with llama_server(tmp_path / "llama.log", alias="judge") as server:
        argv = ["--seeds-dir", str(seeds_dir), "--data-dir", str(tmp_path / "data"), "eval"]
        argv += ["--dataset", str(dataset), "--out", str(out)]
        assert main([*argv, "--judge-base-url", server.url, "--judge-model", "judge"]) == 0
        log = (tmp_path / "llama.log").read_text()
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    judge = summary["judge"]
    assert judge["model"] == f"judge at {server.url}" and judge["failed_requests"] == 0
    answered = [r for r in map(json.loads, (out / "results.jsonl").open()) if not r["abstained"]]
    assert judge["items_judged"] == len(answered) >= 1
    assert all(r["judge_faithful"] in (True, False, None) for r in answered)
    assert all("judge_correct" in r for r in answered)  # both items are answerable
    # One check request, then two per answered item, all served by the real server.
    assert log.count('"POST /v1/chat/completions HTTP/1.1" 200') == 1 + 2 * len(answered)
    assert "**Model judge** (judge at" in (out / "report.md").read_text(encoding="utf-8")
    assert summary["system"]["headline"]["correct"] is not None  # the offline numbers stay
