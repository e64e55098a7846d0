"""report.md and its charts for `rag eval`: readable by someone who has never seen the code."""

from __future__ import annotations

from pathlib import Path

from rag.eval.compare import comparison_markdown
from rag.eval.decision_report import decision_section
from rag.eval.verifier import PAIR_SETS

HEADLINE_LABELS = {
    "correct": "Correct (all items)",
    "answerable_correct": "Correct on answerable items",
    "unanswerable_abstained": "Not-answerable items abstained",
    "false_abstention_rate": "Answerable items wrongly abstained",
    "answered_with_citations": "Answers that carry citations",
    "citation_precision": "Citation precision",
    "faithfulness": "Answer sentences with word support (the verifier's own check)",
    "token_f1": "Token F1 against the reference answers",
    "answer_words_p50": "Words in an answer to a factual question (median)",
    "whole_passage_answers": "Factual answers that only quote whole passages",
    "latency_p50_ms": "Latency p50 (ms)",
    "latency_p95_ms": "Latency p95 (ms)",
}
WORST_SHOWN = 8


def write_report(
    out: Path,
    summary: dict,
    rows: list[dict],
    baseline_rows: list[dict] | None,
    comparison: dict | None = None,
) -> None:
    """Write report.md, by_category.png and latency.png into out."""
    _plot_categories(out / "by_category.png", summary)
    _plot_latency(out / "latency.png", rows, baseline_rows)
    text = _markdown(summary, rows, comparison)
    if "decision" in summary:
        text += "\n" + "\n".join(decision_section(out, summary["decision"], rows)) + "\n"
    (out / "report.md").write_text(text, encoding="utf-8")


def fmt(value: object) -> str:
    """A share as a whole percentage, a count or a time with thousands separators."""
    if value is None or value == "–":
        return "–"
    if isinstance(value, float) and value <= 1.0:
        return f"{value:.0%}"
    return f"{value:,.0f}" if isinstance(value, float) else str(value)


def _markdown(summary: dict, rows: list[dict], comparison: dict | None = None) -> str:
    system, baseline = summary["system"], summary.get("baseline")
    k = summary["settings"]["top_k"]
    lines = [
        "# Evaluation report",
        "",
        f"- Test set: `{summary['dataset']}`, {system['headline']['items']} questions"
        + (
            "; conversations replayed: each earlier question asked in turn, the pipeline's "
            "own replies in place of the set's"
            if summary.get("replayed_history")
            else ""
        ),
        f"- Model: `{summary['backend']}`; run started {summary['started']}",
        "- System: the grounded pipeline of this repository (hybrid retrieval, relevance gate, "
        "generation, per-sentence verification, quoted fallback)"
        + (
            "; baseline: LangChain's tutorial chain (1,000-character chunks, top 4, "
            "'say you don't know' prompt) on the same model"
            if baseline
            else ""
        ),
        "",
        "## Headline",
        "",
        "| metric | system | 95% interval |" + (" tutorial baseline |" if baseline else ""),
        "|---|---|---|" + ("---|" if baseline else ""),
    ]
    intervals = system.get("headline_95_intervals", {})
    for key, label in HEADLINE_LABELS.items():
        interval = intervals.get(key)
        shown_interval = f"{fmt(interval[0])}–{fmt(interval[1])}" if interval else "–"
        row = f"| {label} | {fmt(system['headline'].get(key))} | {shown_interval} |"
        if baseline:
            shown = "–" if key == "answered_with_citations" else baseline["headline"].get(key)
            row += f" {fmt(shown)} |"
        lines.append(row)
    if baseline:
        lines += [
            "",
            "The tutorial chain writes no citation markers: its citation precision "
            "counts the four chunks it retrieved, and its sentences are checked for "
            "faithfulness against all four.",
        ]
    lines += [
        "",
        "Intervals: 95% percentile bootstrap over the items (1,000 draws); a difference "
        "between two runs inside them may be noise (`rag compare` tests it item by item).",
    ]
    for key, pairs in PAIR_SETS.items():
        verifier = summary.get(key)
        if not verifier:
            continue
        kinds = ", ".join(f"{k} {fmt(v)}" for k, v in verifier["accepted_by_kind"].items())
        part = "frozen test pairs" if key == "verifier_frozen" else "labelled pairs"
        lines += [
            "",
            f"**Verifier on {verifier['pairs']} {part}** (`eval/{pairs.name}`): "
            f"precision {fmt(verifier['precision'])}, recall {fmt(verifier['recall'])}, "
            f"recall on faithful paraphrases {fmt(verifier['paraphrase_recall'])}; "
            f"accepted by kind: {kinds}.",
        ]
    judge = summary.get("judge")
    if judge:
        lines += [
            "",
            f"**Model judge** ({judge['model']}; beside the offline numbers above, never instead "
            f"of them): {judge['items_judged']} answered items judged; reference matched "
            f"{fmt(judge['correct'])}, every claim in the cited passages "
            f"{fmt(judge['faithful'])}; "
            f"no verdict {judge['no_verdict']}, failed requests {judge['failed_requests']}.",
        ]
    if comparison:
        lines += ["", comparison_markdown(comparison).rstrip("\n")]
    lines += [
        "",
        "![Correct answers by category](by_category.png)",
        "",
        "## By category",
        "",
        f"| category | items | correct | hit@{k} | citation precision | citation recall "
        "| token F1 | abstained (not answerable) | wrongly abstained | p50 ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for cat, m in system["by_category"].items():
        lines.append(
            f"| {cat} | {m['items']} | {fmt(m['correct'])} | {fmt(m[f'hit@{k}'])} | "
            f"{fmt(m['citation_precision'])} | {fmt(m['citation_recall'])} | "
            f"{fmt(m['token_f1'])} | {fmt(m['abstain_recall'])} | "
            f"{fmt(m['false_abstention_rate'])} | {fmt(m['latency_p50_ms'])} |"
        )
    overall = system["overall"]
    lines += [
        "",
        "## Retrieval and answers",
        "",
        f"- Retrieval: hit@{k} {fmt(overall[f'hit@{k}'])}, MRR {overall['mrr'] or 0:.2f}, "
        f"recall@{k} {fmt(overall[f'recall@{k}'])} (a passage counts when it overlaps an "
        "evidence quote)",
        f"- Answers: token F1 {fmt(overall['token_f1'])} against the reference answers; "
        f"evidence quoted verbatim in {fmt(overall['evidence_containment'])} of answers",
        f"- Abstention: precision {fmt(overall['abstain_precision'])}, recall "
        f"{fmt(overall['abstain_recall'])}, F1 {fmt(overall['abstain_f1'])}",
        f"- Time to first token p50: {fmt(overall['first_token_p50_ms'])} ms "
        "(questions that reached generation)",
        "",
        "![Latency](latency.png)",
        "",
        "## Worst answers",
        "",
    ]
    worst = [r for r in rows if not r["correct"]][:WORST_SHOWN]
    if not worst:
        lines.append("Every answer was correct.")
    for r in worst:
        expected = r["reference_answer"] if r["answerable"] else "an abstention"
        lines += [
            f"**{r['id']}** ({r['category']}): {r['question']}",
            "",
            f"- Expected: {expected}",
            f"- Got: {r['answer']}",
        ]
        for c in r["citations"]:
            lines.append(
                f"  - [{c['n']}] {c['source']} {c['start']}-{c['end']}: “{c['text'][:160]}”"
            )
        lines.append("")
    lines += [
        "## How the numbers are computed",
        "",
        "- **Correct**: a not-answerable item is correct when the system abstains; an "
        "answerable one when it answers, cites a passage that overlaps the evidence, and "
        "covers at least half of the reference answer's content words (or quotes the "
        "evidence).",
        "- **Citation precision / recall** (ALCE-style): cited passages that overlap an "
        "evidence quote / evidence quotes covered by a cited passage.",
        "- **Faithful sentences**: an answer sentence is faithful when every name and "
        "number in it, and at least 75% of its content words, occur in the passages it "
        "cites (a lexical check, no judge model). Answers without markers (the baseline) "
        "are checked against all the passages they were given.",
        "- **Token F1**: SQuAD-normalized token overlap with the reference answer.",
        "- Latency is measured in-process per question, models loaded, on this machine.",
        "",
    ]
    return "\n".join(lines)


def _plot_categories(path: Path, summary: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cats = list(summary["system"]["by_category"])
    fig, ax = plt.subplots(figsize=(8, 3.6))
    series = [("system", summary["system"])]
    if "baseline" in summary:
        series.append(("tutorial baseline", summary["baseline"]))
    width = 0.8 / len(series)
    for i, (label, data) in enumerate(series):
        values = [(data["by_category"].get(c, {}).get("correct") or 0) * 100 for c in cats]
        ax.bar([x + i * width for x in range(len(cats))], values, width, label=label)
    ax.set_xticks(
        [x + width * (len(series) - 1) / 2 for x in range(len(cats))], cats, rotation=30, ha="right"
    )
    ax.set_ylabel("correct (%)")
    ax.set_ylim(0, 100)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _plot_latency(path: Path, rows: list[dict], baseline_rows: list[dict] | None) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3))
    data = [[r["latency_ms"] for r in rows]]
    labels = ["system"]
    if baseline_rows:
        data.append([r["latency_ms"] for r in baseline_rows])
        labels.append("tutorial baseline")
    ax.boxplot(data, tick_labels=labels, orientation="horizontal")
    ax.set_xlabel("latency per question (ms)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
