"""Metric functions on small cases worked out by hand, the test set itself, and a short run."""

import json
from pathlib import Path

import pytest

from rag.eval.dataset import DatasetError, load_dataset
from rag.eval.metrics import (
    abstention_metrics,
    answer_faithfulness,
    citation_metrics,
    evidence_containment,
    is_correct,
    percentile,
    reference_recall,
    retrieval_metrics,
    token_f1,
)
from rag.settings import PROJECT_ROOT, Settings
from rag.tuning import TUNING
from tests.conftest import SEED

QA = PROJECT_ROOT / "eval" / "qa.jsonl"


def test_token_f1_by_hand() -> None:
    # pred: [israel, saudi, arabia] ref: [israel, and, saudi, arabia] -> P=1, R=3/4, F1=6/7
    assert token_f1("Israel, Saudi Arabia.", "Israel and Saudi Arabia") == pytest.approx(6 / 7)
    assert token_f1("The answer", "an answer") == 1.0  # articles and case do not count
    assert token_f1("nothing shared", "Israel") == 0.0


def test_an_extracted_quote_is_scored_on_its_words_not_its_ellipses_or_markers() -> None:
    answer = "“…experts caution against misplaced trust in Russia’s cyber activities…” [1]"
    # nine words: experts caution against misplaced trust in russias cyber activities
    assert token_f1(answer, "Experts.") == pytest.approx(2 * (1 / 9) / (1 / 9 + 1))
    assert token_f1("“…Israel, Saudi Arabia…” [1] [2]", "Israel, Saudi Arabia") == 1.0


def test_reference_recall_and_evidence_containment() -> None:
    # reference content words: israel, saudi, arabia; the prediction has one of three
    assert reference_recall("Israel and the Five Eyes", "Israel, Saudi Arabia") == pytest.approx(
        1 / 3
    )
    assert (
        evidence_containment(
            "He said “foster peace and stability.” [1]",
            ["foster peace and stability", "other quote"],
        )
        == 0.5
    )


def test_retrieval_metrics_by_hand() -> None:
    evidence = [[("a", 10, 20)], [("a", 50, 60)]]
    retrieved = [("a", 0, 5), ("a", 15, 30), ("b", 50, 60), ("a", 55, 70)]
    m = retrieval_metrics(retrieved, evidence, k=4)
    assert m == {"hit@4": 1.0, "mrr": 0.5, "recall@4": 1.0}
    assert retrieval_metrics(retrieved, evidence, k=2)["recall@2"] == 0.5


def test_citation_metrics_by_hand() -> None:
    evidence = [[("a", 10, 20)], [("a", 50, 60)]]
    m = citation_metrics([("a", 12, 14), ("a", 30, 40)], evidence)
    assert m == {"citation_precision": 0.5, "citation_recall": 0.5}


def test_abstention_metrics_by_hand() -> None:
    rows = [
        {"abstained": True, "answerable": False},
        {"abstained": True, "answerable": True},
        {"abstained": False, "answerable": False},
        {"abstained": False, "answerable": True},
    ]
    m = abstention_metrics(rows)
    assert (m["abstain_precision"], m["abstain_recall"], m["false_abstention_rate"]) == (
        0.5,
        0.5,
        0.5,
    )


def test_faithfulness_checks_each_sentence_against_its_citations() -> None:
    cites = [{"n": 1, "text": "Israel and Saudi Arabia are key allies."}]
    assert answer_faithfulness("Israel and Saudi Arabia are allies. [1]", cites) == 1.0
    assert answer_faithfulness("Israel is an ally. [1] Canada left. [1]", cites) == 0.5
    assert answer_faithfulness("Israel is an ally. Canada left. [1]", cites) == 0.5


def test_a_note_after_a_cited_answer_is_not_a_claim_to_check() -> None:
    cites = [{"n": 1, "text": "Officials and some lawmakers defend the plan."}]
    answer = (
        "“…Officials and some lawmakers…” [1] The article doesn't answer the other part, “who”."
    )
    assert answer_faithfulness(answer, cites) == 1.0
    assert answer_faithfulness("“…Canada left…” [1] The article doesn't say more.", cites) == 0.0


def test_correctness_rules() -> None:
    item = {"answerable": True, "reference_answer": "Israel and Saudi Arabia", "evidence": ["x"]}
    assert is_correct(item, "Israel and Saudi Arabia [1]", False, citation_precision=1.0)
    assert not is_correct(item, "Israel and Saudi Arabia [1]", False, citation_precision=0.0)
    assert not is_correct(item, "The article doesn't say.", True, citation_precision=1.0)
    assert is_correct({"answerable": False, "evidence": []}, "No.", True, 0.0)


def test_percentile_interpolates() -> None:
    assert percentile([1, 2, 3, 4], 50) == 2.5 and percentile([], 95) == 0.0


def test_the_test_set_follows_the_schema_and_quotes_the_article_verbatim() -> None:
    items = load_dataset(QA)
    seeds = "".join(p.read_text(encoding="utf-8") for p in (PROJECT_ROOT / "seeds").iterdir())
    assert len(items) >= 60
    assert sum(not i["answerable"] for i in items) >= len(items) / 4
    for item in items:
        assert {"id", "question", "answerable", "reference_answer", "evidence", "category"} <= set(
            item
        )
        if item["answerable"]:
            assert item["evidence"], item["id"]
        for quote in item["evidence"]:
            assert quote in seeds, (item["id"], quote)
    categories = {i["category"] for i in items}
    assert {
        "paraphrase",
        "multi_passage",
        "summary",
        "follow_up",
        "not_in_article",
        "off_topic",
        "false_premise",
        "instruction",
    } <= categories
    assert any(i.get("history") for i in items)


def test_bad_dataset_lines_are_named(tmp_path: Path) -> None:
    bad = tmp_path / "qa.jsonl"
    bad.write_text('{"id": "a", "question": "q", "answerable": true}\n{oops\n')
    with pytest.raises(DatasetError, match="qa.jsonl:2: not JSON"):
        load_dataset(bad)


@pytest.mark.slow
def test_a_short_eval_run_writes_results_summary_and_report(tmp_path: Path, seeds_dir) -> None:
    from rag.eval.run import run_eval

    dataset = tmp_path / "qa.jsonl"
    chosen = ('"id": "fact-01"', '"id": "inject-04"')  # an answerable item and an injection
    lines = [ln for ln in QA.read_text(encoding="utf-8").splitlines() if ln.startswith("{")]
    picked = [next(ln for ln in lines if key in ln) for key in chosen]
    dataset.write_text("\n".join(picked) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    summary = run_eval(Settings.from_env(seeds_dir=seeds_dir), dataset, out)
    assert {p.name for p in out.iterdir()} >= {
        "results.jsonl",
        "summary.json",
        "report.md",
        "by_category.png",
        "latency.png",
    }
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == ["fact-01", "inject-04"]
    assert rows[1]["abstained"] and rows[1]["correct"]
    assert summary["system"]["headline"]["items"] == 2
    saved = json.loads((out / "summary.json").read_text())
    assert saved["tuning"] == TUNING.as_dict() and saved["tuning"]["max_sentences"] >= 1
    assert "# Evaluation report" in (out / "report.md").read_text()
    assert saved["verifier"]["pairs"] >= 150 and saved["verifier"]["precision"] is not None
    assert saved["verifier_frozen"]["pairs"] >= 90
    report = (out / "report.md").read_text()
    assert "labelled pairs** (`eval/verifier_pairs.jsonl`)" in report
    assert "frozen test pairs** (`eval/verifier_pairs_test.jsonl`)" in report
    ragas = [json.loads(line) for line in (out / "ragas.jsonl").read_text().splitlines()]
    assert [r["user_input"] for r in ragas] == [r["question"] for r in rows]
    assert ragas[0]["retrieved_contexts"] and all(
        c in SEED.read_text(encoding="utf-8") for c in ragas[0]["retrieved_contexts"]
    )


def _row(correct: bool, answerable: bool = True, latency: float = 100.0) -> dict:
    """A scored row with just what the headline reads."""
    return {
        "answerable": answerable,
        "abstained": not answerable and correct,
        "correct": correct,
        "cited": True,
        "latency_ms": latency,
        "category": "fact",
    }


def test_every_headline_number_gets_an_interval_that_brackets_it_and_narrows_with_more_items():
    from rag.eval.score import headline, headline_intervals

    small_rows = [_row(True), _row(False)] * 10
    large_rows = [_row(True), _row(False)] * 200
    assert headline_intervals([], 4) == {}
    assert headline_intervals([_row(True)] * 10, 4)["correct"] == (1.0, 1.0)
    small, large = headline_intervals(small_rows, 4), headline_intervals(large_rows, 4)
    assert set(small) == set(headline(small_rows, 4)) - {"items"}
    assert small["correct"][0] < 0.5 < small["correct"][1]
    assert large["correct"][1] - large["correct"][0] < small["correct"][1] - small["correct"][0]
    assert 0.15 < small["correct"][1] - small["correct"][0] < 0.5  # about +-11 points for 20
    assert small["token_f1"] is None  # no row has it: no interval, not a made-up one
