"""`rag eval --baseline`: the tutorial chain answers the same items, and summary.json,
baseline_results.jsonl and report.md carry its numbers beside the system's."""

import json
from pathlib import Path

import pytest

from rag.cli import main

pytestmark = pytest.mark.slow

# Three items of eval/qa.jsonl, in its format: a fact, one not in the article, a follow-up.
ITEMS = [
    {
        "id": "fact-01",
        "question": "Which allies are rethinking intelligence sharing with the United States?",
        "answerable": True,
        "reference_answer": "Israel, Saudi Arabia and members of the Five Eyes alliance.",
        "evidence": [
            "key allies, including Israel, Saudi Arabia, and members of the Five Eyes alliance"
        ],
        "category": "fact",
    },
    {
        "id": "absent-01",
        "question": "What is the name of the National Security Council spokesperson?",
        "answerable": False,
        "reference_answer": "The article does not say.",
        "evidence": [],
        "category": "not_in_article",
    },
    {
        "id": "follow-06",
        "question": "When did that happen?",
        "answerable": False,
        "reference_answer": "The article does not say.",
        "evidence": [],
        "category": "follow_up",
        "history": [
            {"role": "user", "content": "What kind of operations against Russia were paused?"},
            {"role": "assistant", "content": "Offensive cyber operations [1]."},
        ],
    },
]


def test_eval_baseline_writes_the_tutorial_chain_beside_the_system(
    tmp_path: Path, index, capsys
) -> None:
    dataset, out = tmp_path / "qa.jsonl", tmp_path / "run"
    dataset.write_text("".join(json.dumps(i) + "\n" for i in ITEMS), encoding="utf-8")
    settings = index.settings  # the session's index of the article: no second ingest
    argv = ["eval", "--baseline", "--dataset", str(dataset), "--out", str(out)]
    argv += ["--seeds-dir", str(settings.seeds_dir), "--data-dir", str(settings.data_dir)]

    assert main(argv) == 0
    assert f"Wrote {out}/report.md" in capsys.readouterr().out

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    for side in ("system", "baseline"):
        headline = summary[side]["headline"]
        assert headline["items"] == len(ITEMS)
        assert 0 <= headline["correct"] <= 1 and headline["latency_p50_ms"] > 0
    assert set(summary["baseline"]["by_category"]) == {i["category"] for i in ITEMS}

    rows = [json.loads(line) for line in (out / "baseline_results.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == [i["id"] for i in ITEMS]
    assert {r["mode"] for r in rows} == {"tutorial"}
    assert all(r["answer"] for r in rows)  # the chain answered (or declined) every item
    assert all(len(r["citations"]) == 4 for r in rows)  # its top 4 chunks

    report = (out / "report.md").read_text(encoding="utf-8")
    assert "| metric | system | 95% interval | tutorial baseline |" in report
    assert "LangChain's tutorial chain" in report


def test_eval_without_baseline_writes_no_baseline(tmp_path: Path, index) -> None:
    """The flag, not the run, adds the baseline: without it no chain runs and nothing is
    written for it."""
    dataset, out = tmp_path / "qa.jsonl", tmp_path / "run"
    dataset.write_text(json.dumps(ITEMS[0]) + "\n", encoding="utf-8")
    settings = index.settings
    argv = ["eval", "--dataset", str(dataset), "--out", str(out)]
    argv += ["--seeds-dir", str(settings.seeds_dir), "--data-dir", str(settings.data_dir)]

    assert main(argv) == 0
    assert "baseline" not in json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert not (out / "baseline_results.jsonl").exists()
    assert "tutorial baseline" not in (out / "report.md").read_text(encoding="utf-8")
