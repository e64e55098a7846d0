"""`rag eval`: answer a test set, score it, and write results, summary and report."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

from rag.answer.decide import fitted
from rag.eval.compare import Run, compare_runs, comparison_markdown
from rag.eval.dataset import load_dataset, read_sources
from rag.eval.export import write_ragas
from rag.eval.html_report import write_html_report
from rag.eval.judge import Judge
from rag.eval.score import score_item, summarize
from rag.eval.verifier import PAIR_SETS, load_pairs, measure_verifier
from rag.settings import Settings
from rag.tuning import TUNING


def answer_with_pipeline(answerer, replay: bool = False) -> Callable[[dict], dict]:
    """A function that answers one test item with the grounded pipeline; with `replay`, the
    item's conversation holds the pipeline's own replies."""

    def run(item: dict) -> dict:
        from rag.answer.question import QuestionError
        from rag.llm import LLMError

        q, history = item["question"], item.get("history")
        t = time.perf_counter()
        try:
            if replay and history:
                history = replayed(answerer, history)
                t = time.perf_counter()  # the latency is the question's own
            answer = answerer.ask(q, history)
        except (QuestionError, LLMError) as err:  # scored as a failed item; the run goes on
            return {
                "answer": str(err),
                "abstained": isinstance(err, QuestionError),
                "citations": [],
                "retrieved": [],
                "latency_ms": round((time.perf_counter() - t) * 1000, 1),
                "first_token_ms": None,
                "mode": type(err).__name__,
                "decision_probability": None,
            }
        return {
            "answer": answer.answer,
            "abstained": answer.abstained,
            "citations": [vars(c) for c in answer.citations],
            "retrieved": answer.retrieved,
            "latency_ms": answer.timings_ms["total"],
            "first_token_ms": answer.timings_ms.get("first_token"),
            "mode": answer.mode,
            "decision_probability": answer.decision.get("probability"),
        }

    return run


def replayed(answerer, history: list[dict]) -> list[dict]:
    """The conversation as the chat would hold it: each earlier question asked in turn, with
    the pipeline's answer in place of the written reply. A set's written replies are short
    paraphrases, while the chat's are quotes; a follow-up can read differently after each."""
    from rag.answer.answerer import said

    own: list[dict] = []
    # Read as the answerer reads a conversation: turns that are not text are skipped.
    for question in said(history, "user"):
        if isinstance(question, str):
            answer = answerer.ask(question, own)
            own += [
                {"role": "user", "content": question},
                {"role": "assistant", "content": answer.answer},
            ]
    return own


def run_items(
    items: list[dict],
    answer_fn: Callable[[dict], dict],
    sources: dict[str, str],
    k: int,
    label: str,
) -> list[dict]:
    """Answer every item with a progress bar; return the scored rows."""
    from tqdm import tqdm

    rows = []
    for item in tqdm(items, desc=label, unit="q", leave=False):
        rows.append(score_item(item, answer_fn(item), sources, k))
    return rows


def run_eval(
    settings: Settings,
    dataset: Path,
    out: Path,
    baseline: bool = False,
    limit: int = 0,
    before: Run | None = None,
    judge: Judge | None = None,
    replay: bool = False,
) -> dict:
    """Answer the test set (and optionally the tutorial baseline); write results, the RAGAS
    export, report.md and report.html, and a comparison with an earlier run when one is given.
    With `replay`, conversations hold the pipeline's own replies (`replayed`)."""
    from rag.answer.build import load_answerer
    from rag.eval.report import write_report

    items = load_dataset(dataset)[: limit or None]
    sources = read_sources(settings.seeds_dir)
    answerer = load_answerer(settings)
    k = settings.top_k
    started = time.time()
    rows = run_items(items, answer_with_pipeline(answerer, replay), sources, k, "grounded")
    judged = judge.grade(rows) if judge is not None else None
    summary = {
        "dataset": str(dataset),
        "replayed_history": replay,
        "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)),
        "backend": answerer.backend,
        "settings": _settings_dict(settings),
        "tuning": TUNING.as_dict(),
        "decision": {k: v for k, v in fitted().items() if k != "curve"},
        "system": summarize(rows, k),
    }
    if judged is not None:
        summary["judge"] = judged
    for key, pairs in PAIR_SETS.items():  # the verifier on its own, on labelled pairs
        if pairs.exists():
            summary[key] = measure_verifier(
                load_pairs(pairs), answerer.retriever.embeddings, settings.min_support
            )
    baseline_rows = None
    if baseline:
        from rag.eval.baseline import TutorialChain

        chain = TutorialChain(settings, answerer.retriever.embeddings, answerer.model)
        baseline_rows = run_items(items, chain.answer_item, sources, k, "baseline")
        summary["baseline"] = summarize(baseline_rows, k)
    out.mkdir(parents=True, exist_ok=True)
    _write_jsonl(out / "results.jsonl", rows)
    write_ragas(out / "ragas.jsonl", rows, sources)
    if baseline_rows is not None:
        _write_jsonl(out / "baseline_results.jsonl", baseline_rows)
    (out / "summary.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    comparison = None
    if before is not None:
        comparison = compare_runs(before, Run(out, summary, rows))
        comparison["after"] = str(out)
        (out / "comparison.md").write_text(comparison_markdown(comparison), encoding="utf-8")
        (out / "comparison.json").write_text(
            json.dumps(comparison, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    write_report(out, summary, rows, baseline_rows, comparison)
    write_html_report(out / "report.html", summary, rows, sources, comparison)
    return summary


def _settings_dict(settings: Settings) -> dict:
    return {
        k: str(v)
        for k, v in vars(settings).items()
        if k not in ("seeds_dir", "data_dir", "host", "port")
    }


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
