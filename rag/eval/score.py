"""Score a run: one row of metrics per item, then headline and per-category numbers."""

from __future__ import annotations

import random
from collections import defaultdict
from statistics import median

from rag.answer.verify import without_citations
from rag.eval.dataset import evidence_spans
from rag.eval.metrics import (
    abstention_metrics,
    answer_faithfulness,
    citation_metrics,
    evidence_containment,
    is_correct,
    percentile,
    retrieval_metrics,
    token_f1,
)

FACTUAL_MODES = ("generated", "extracted", "quoted")


def score_item(item: dict, result: dict, sources: dict[str, str], k: int) -> dict:
    """One results.jsonl row: the answer, its citations and every per-item metric."""
    evidence = evidence_spans(item["evidence"], sources)
    cited = [(c["source"], c["start"], c["end"]) for c in result["citations"]]
    row = {
        "id": item["id"],
        "category": item["category"],
        "question": item["question"],
        "answerable": item["answerable"],
        "reference_answer": item["reference_answer"],
        **{
            key: result.get(key)
            for key in (
                "answer",
                "abstained",
                "citations",
                "latency_ms",
                "first_token_ms",
                "mode",
                "decision_probability",
                "retrieved",
            )
        },
    }
    row["evidence_spans"] = [span for spans in evidence for span in spans]
    cit = citation_metrics(cited, evidence) if item["evidence"] else {}
    row.update(cit)
    if item["evidence"]:
        row.update(retrieval_metrics(result["retrieved"], evidence, k))
    if item["answerable"] and not result["abstained"]:
        row["token_f1"] = token_f1(result["answer"], item["reference_answer"])
        row["evidence_containment"] = evidence_containment(result["answer"], item["evidence"])
    row["faithfulness"] = (
        None if result["abstained"] else answer_faithfulness(result["answer"], result["citations"])
    )
    row["cited"] = bool(result["citations"])
    if not result["abstained"]:
        row["answer_words"] = answer_words(result["answer"])
        row["whole_passages"] = quotes_whole_passages(result["answer"], result["citations"])
    row["correct"] = is_correct(
        item, result["answer"], result["abstained"], cit.get("citation_precision", 0.0)
    )
    return row


def answer_words(answer: str) -> int:
    """Words of an answer as a reader sees them, without citation markers and ellipses."""
    return len(without_citations(answer).replace("…", " ").split())


def quotes_whole_passages(answer: str, citations: list[dict]) -> bool:
    """True when the answer is nothing but the whole of each passage it cites."""
    if not citations:
        return False
    rest = without_citations(answer)
    for c in citations:
        if c["text"] not in rest:
            return False
        rest = rest.replace(c["text"], " ")
    return not rest.strip(' “”"')


def _mean(key: str, subset: list[dict]) -> float | None:
    """The mean of a metric over the rows that have it (None when none do)."""
    vals = [r[key] for r in subset if r.get(key) is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def summarize(rows: list[dict], k: int) -> dict:
    """Headline numbers and the same numbers per category."""

    def block(subset: list[dict]) -> dict:
        answered = [r for r in subset if not r["abstained"]]
        latencies = [r["latency_ms"] for r in subset]
        firsts = [r["first_token_ms"] for r in subset if r.get("first_token_ms") is not None]
        out = {
            "items": len(subset),
            "correct": _mean("correct", subset),
            f"hit@{k}": _mean(f"hit@{k}", subset),
            "mrr": _mean("mrr", subset),
            f"recall@{k}": _mean(f"recall@{k}", subset),
            "token_f1": _mean("token_f1", subset),
            "evidence_containment": _mean("evidence_containment", subset),
            "citation_precision": _mean("citation_precision", answered),
            "citation_recall": _mean("citation_recall", answered),
            "faithfulness": _mean("faithfulness", answered),
            "answered_with_citations": (
                sum(r["cited"] for r in answered) / len(answered) if answered else None
            ),
            "latency_p50_ms": round(percentile(latencies, 50), 1),
            "latency_p95_ms": round(percentile(latencies, 95), 1),
            "first_token_p50_ms": round(median(firsts), 1) if firsts else None,
        }
        out.update({key: round(v, 4) for key, v in abstention_metrics(subset).items()})
        return out

    by_cat: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_cat[r["category"]].append(r)
    overall = block(rows)
    return {
        "headline": headline(rows, k),
        "headline_95_intervals": headline_intervals(rows, k),
        "overall": overall,
        "by_category": {c: block(rs) for c, rs in sorted(by_cat.items())},
    }


def headline(rows: list[dict], k: int) -> dict:
    """The numbers an evaluator reads first, from the scored rows."""

    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    answered = [r for r in rows if not r["abstained"]]
    # Answers to questions about a topic: not summaries or names lists, which run longer.
    factual = [r for r in answered if r.get("mode") in FACTUAL_MODES]
    lengths = [r["answer_words"] for r in factual if r.get("answer_words") is not None]
    latencies = [r["latency_ms"] for r in rows]
    return {
        "items": len(rows),
        "correct": _mean("correct", rows),
        "answerable_correct": _mean("correct", answerable),
        "unanswerable_abstained": _mean("abstained", unanswerable),
        "false_abstention_rate": _mean("abstained", answerable) if answerable else 0.0,
        "answered_with_citations": _mean("cited", answered),
        "citation_precision": _mean("citation_precision", answered),
        "faithfulness": _mean("faithfulness", answered),
        f"hit@{k}": _mean(f"hit@{k}", rows),
        "token_f1": _mean("token_f1", rows),
        "answer_words_p50": round(median(lengths), 1) if lengths else None,
        "whole_passage_answers": _mean("whole_passages", factual),
        "latency_p50_ms": round(percentile(latencies, 50), 1),
        "latency_p95_ms": round(percentile(latencies, 95), 1),
    }


def headline_intervals(
    rows: list[dict], k: int, resamples: int = 1000, seed: int = 0
) -> dict[str, tuple[float, float] | None]:
    """A 95% percentile-bootstrap interval for every headline number: the items are drawn
    again with replacement and the headline computed anew each time."""
    if not rows:
        return {}
    rng = random.Random(seed)
    draws = [headline(rng.choices(rows, k=len(rows)), k) for _ in range(resamples)]
    intervals: dict[str, tuple[float, float] | None] = {}
    for key in headline(rows, k):
        if key == "items":
            continue
        values = [d[key] for d in draws if d[key] is not None]
        intervals[key] = (
            (round(percentile(values, 2.5), 4), round(percentile(values, 97.5), 4))
            if values
            else None
        )
    return intervals
