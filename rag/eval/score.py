"""Score a run: one row of metrics per item, then headline and per-category numbers."""

from __future__ import annotations

from collections import defaultdict
from statistics import median

from rag.eval.dataset import evidence_spans
from rag.eval.metrics import (
    abstention_metrics,
    answer_faithfulness,
    bootstrap_interval,
    citation_metrics,
    evidence_containment,
    is_correct,
    percentile,
    retrieval_metrics,
    token_f1,
)


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
            )
        },
    }
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
    row["correct"] = is_correct(
        item, result["answer"], result["abstained"], cit.get("citation_precision", 0.0)
    )
    return row


def summarize(rows: list[dict], k: int) -> dict:
    """Headline numbers and the same numbers per category."""

    def mean(key: str, subset: list[dict]) -> float | None:
        vals = [r[key] for r in subset if r.get(key) is not None]
        return round(sum(vals) / len(vals), 4) if vals else None

    def block(subset: list[dict]) -> dict:
        answered = [r for r in subset if not r["abstained"]]
        latencies = [r["latency_ms"] for r in subset]
        firsts = [r["first_token_ms"] for r in subset if r.get("first_token_ms") is not None]
        out = {
            "items": len(subset),
            "correct": mean("correct", subset),
            f"hit@{k}": mean(f"hit@{k}", subset),
            "mrr": mean("mrr", subset),
            f"recall@{k}": mean(f"recall@{k}", subset),
            "token_f1": mean("token_f1", subset),
            "evidence_containment": mean("evidence_containment", subset),
            "citation_precision": mean("citation_precision", answered),
            "citation_recall": mean("citation_recall", answered),
            "faithfulness": mean("faithfulness", answered),
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
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    overall = block(rows)
    headline = {
        "items": len(rows),
        "correct": overall["correct"],
        "correct_95_interval": bootstrap_interval([float(r["correct"]) for r in rows]),
        "answerable_correct": mean("correct", answerable),
        "unanswerable_abstained": mean("abstained", unanswerable),
        "false_abstention_rate": overall["false_abstention_rate"],
        "answered_with_citations": overall["answered_with_citations"],
        "citation_precision": overall["citation_precision"],
        "faithfulness": overall["faithfulness"],
        f"hit@{k}": overall[f"hit@{k}"],
        "latency_p50_ms": overall["latency_p50_ms"],
        "latency_p95_ms": overall["latency_p95_ms"],
    }
    return {
        "headline": headline,
        "overall": overall,
        "by_category": {c: block(rs) for c, rs in sorted(by_cat.items())},
    }
