"""Offline metrics for the question-answer test set, and `rag eval`, which answers it."""

from __future__ import annotations

import json
import re
import string
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from statistics import median

from rag.config import Settings
from rag.documents import read_source, seed_files
from rag.text import content_stems, words
from rag.verify import word_support

RECALL_FOR_CORRECT = 0.5
FAITHFUL_OVERLAP = 0.75
Span = tuple[str, int, int]  # (source, start, end)


class DatasetError(ValueError):
    """A test set that cannot be used; the message names the line and the problem."""


# --- loading ---------------------------------------------------------------------------------


def load_dataset(path: Path) -> list[dict]:
    """Read and check a JSONL test set (schema in DESIGN.md)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise DatasetError(f"cannot read dataset {path}: {err}") from None
    items, seen = [], set()
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            raise DatasetError(f"{path}:{lineno}: not JSON ({err.msg})") from None
        missing = {"id", "question", "answerable"} - set(item if isinstance(item, dict) else ())
        if missing:
            raise DatasetError(f"{path}:{lineno}: missing {', '.join(sorted(missing))}")
        if item["id"] in seen:
            raise DatasetError(f"{path}:{lineno}: duplicate id {item['id']!r}")
        seen.add(item["id"])
        item.setdefault("evidence", [])
        item.setdefault("reference_answer", "")
        item.setdefault("category", "uncategorized")
        items.append(item)
    if not items:
        raise DatasetError(f"{path} holds no items")
    return items


def evidence_spans(evidence: Iterable[str], sources: dict[str, str]) -> list[list[Span]]:
    """For each evidence quote, every place it occurs verbatim in the seed files."""
    found = []
    for quote in evidence:
        spans = []
        for source, text in sources.items():
            for m in re.finditer(re.escape(quote), text):
                spans.append((source, m.start(), m.end()))
        found.append(spans)
    return found


def read_sources(seeds_dir: Path) -> dict[str, str]:
    """The text of every seed file by its source name."""
    return {p.relative_to(seeds_dir).as_posix(): read_source(p) for p in seed_files(seeds_dir)}


# --- metrics (pure functions, unit-tested) ---------------------------------------------------


def squad_tokens(text: str) -> list[str]:
    """SQuAD normalization: lower case, no punctuation, no articles, split on white space."""
    text = text.lower().replace("’", "'")
    text = "".join(ch for ch in text if ch not in set(string.punctuation) | {"“", "”"})
    text = re.sub(r"\b(a|an|the)\b", " ", text)
    return text.split()


def token_f1(prediction: str, reference: str) -> float:
    """SQuAD token F1 between a prediction and a reference answer."""
    pred, ref = squad_tokens(prediction), squad_tokens(reference)
    common = sum((Counter(pred) & Counter(ref)).values())
    if not pred or not ref or not common:
        return float(pred == ref)
    precision, recall = common / len(pred), common / len(ref)
    return 2 * precision * recall / (precision + recall)


def reference_recall(prediction: str, reference: str) -> float:
    """Share of the reference's content words (stemmed) that the prediction contains."""
    ref = set(content_stems(reference))
    if not ref:
        return 0.0
    return len(ref & set(content_stems(prediction))) / len(ref)


def evidence_containment(answer: str, evidence: list[str]) -> float:
    """Share of evidence quotes that appear, SQuAD-normalized, inside the answer."""
    if not evidence:
        return 0.0
    norm = " ".join(squad_tokens(answer))
    return sum(" ".join(squad_tokens(q)) in norm for q in evidence) / len(evidence)


def overlaps(a: Span, b: Span) -> bool:
    """True when two spans of the same source share at least one character."""
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def retrieval_metrics(retrieved: list[Span], evidence: list[list[Span]], k: int) -> dict:
    """hit@k, reciprocal rank and recall@k: a passage is relevant when it overlaps evidence."""
    top = retrieved[:k]
    all_ev = [s for spans in evidence for s in spans]
    ranks = [i for i, span in enumerate(top, 1) if any(overlaps(span, e) for e in all_ev)]
    covered = sum(any(overlaps(p, e) for p in top for e in spans) for spans in evidence)
    return {
        f"hit@{k}": float(bool(ranks)),
        "mrr": 1 / ranks[0] if ranks else 0.0,
        f"recall@{k}": covered / len(evidence) if evidence else 0.0,
    }


def citation_metrics(cited: list[Span], evidence: list[list[Span]]) -> dict:
    """ALCE-style citation precision (cited passages that overlap evidence) and recall
    (evidence quotes covered by some cited passage)."""
    all_ev = [s for spans in evidence for s in spans]
    precision = (
        sum(any(overlaps(c, e) for e in all_ev) for c in cited) / len(cited) if cited else 0.0
    )
    recall = (
        sum(any(overlaps(c, e) for c in cited for e in spans) for spans in evidence) / len(evidence)
        if evidence
        else 0.0
    )
    return {"citation_precision": precision, "citation_recall": recall}


def sentence_faithful(sentence: str, cited_texts: list[str]) -> bool:
    """Lexical faithfulness: every name and number of the sentence, and at least 75% of its
    content words, occur in the passages it cites."""
    if not cited_texts:
        return False
    missing, _, overlap = word_support(sentence, " ".join(cited_texts))
    return not missing and overlap >= FAITHFUL_OVERLAP


def answer_faithfulness(answer: str, citations: list[dict]) -> float | None:
    """Share of answer sentences faithful to the passages they cite (None when abstained)."""
    by_n = {c["n"]: c["text"] for c in citations}
    # An answer with no markers at all (the tutorial chain's) is checked against all its sources.
    uncited = list(by_n.values()) if not re.search(r"\[\d+\]", answer) else []
    parts = re.split(r"(?<=[.!?”\]])\s+(?=[A-Z“\"])", answer.strip())
    scored = []
    for part in parts:
        cited = [by_n[int(n)] for n in re.findall(r"\[(\d+)\]", part) if int(n) in by_n] or uncited
        body = re.sub(r"\[\d+\]", "", part).strip(' “”"')
        if words(body):
            scored.append(sentence_faithful(body, cited))
    return sum(scored) / len(scored) if scored else None


def abstention_metrics(rows: list[dict]) -> dict:
    """Precision, recall and F1 of abstaining on unanswerable items; false-abstention rate."""
    tp = sum(r["abstained"] and not r["answerable"] for r in rows)
    fp = sum(r["abstained"] and r["answerable"] for r in rows)
    fn = sum(not r["abstained"] and not r["answerable"] for r in rows)
    answerable = sum(r["answerable"] for r in rows)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "abstain_precision": p,
        "abstain_recall": r,
        "abstain_f1": 2 * p * r / (p + r) if p + r else 0.0,
        "false_abstention_rate": fp / answerable if answerable else 0.0,
    }


def is_correct(item: dict, answer: str, abstained: bool, citation_precision: float) -> bool:
    """Unanswerable: abstained. Answerable: answered, with a citation that overlaps the evidence,
    and covering half the reference answer's content words (or quoting the evidence)."""
    if not item["answerable"]:
        return abstained
    if abstained or (item["evidence"] and citation_precision == 0):
        return False
    return (
        reference_recall(answer, item["reference_answer"]) >= RECALL_FOR_CORRECT
        or evidence_containment(answer, item["evidence"]) > 0
    )


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    lo, hi = int(pos), min(int(pos) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


# --- scoring a run ---------------------------------------------------------------------------


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
            key: result[key]
            for key in ("answer", "abstained", "citations", "latency_ms", "first_token_ms", "mode")
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


# --- running ---------------------------------------------------------------------------------


def answer_with_pipeline(answerer) -> Callable[[dict], dict]:
    """A function that answers one test item with the grounded pipeline."""

    def run(item: dict) -> dict:
        from rag.llm import LLMError
        from rag.question import QuestionError

        t = time.perf_counter()
        q = item["question"]
        try:
            answer = answerer.ask(q, item.get("history"))
        except (QuestionError, LLMError) as err:  # scored as a failed item; the run goes on
            return {
                "answer": str(err),
                "abstained": isinstance(err, QuestionError),
                "citations": [],
                "retrieved": [],
                "latency_ms": round((time.perf_counter() - t) * 1000, 1),
                "first_token_ms": None,
                "mode": type(err).__name__,
            }
        return {
            "answer": answer.answer,
            "abstained": answer.abstained,
            "citations": [vars(c) for c in answer.citations],
            "retrieved": answer.retrieved,
            "latency_ms": answer.timings_ms["total"],
            "first_token_ms": answer.timings_ms.get("first_token"),
            "mode": answer.mode,
        }

    return run


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
    settings: Settings, dataset: Path, out: Path, baseline: bool = False, limit: int = 0
) -> dict:
    """Answer the test set (and optionally the tutorial baseline); write results and report."""
    from rag.pipeline import load_answerer
    from rag.report import write_report

    items = load_dataset(dataset)[: limit or None]
    sources = read_sources(settings.seeds_dir)
    answerer = load_answerer(settings)
    k = settings.top_k
    started = time.time()
    rows = run_items(items, answer_with_pipeline(answerer), sources, k, "grounded")
    summary = {
        "dataset": str(dataset),
        "started": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(started)),
        "backend": answerer.backend,
        "settings": _settings_dict(settings),
        "system": summarize(rows, k),
    }
    baseline_rows = None
    if baseline:
        from rag.baseline import TutorialChain

        chain = TutorialChain(settings, answerer.retriever.embeddings, answerer.model)
        baseline_rows = run_items(items, chain.answer_item, sources, k, "baseline")
        summary["baseline"] = summarize(baseline_rows, k)
    out.mkdir(parents=True, exist_ok=True)
    _write_jsonl(out / "results.jsonl", rows)
    if baseline_rows is not None:
        _write_jsonl(out / "baseline_results.jsonl", baseline_rows)
    (out / "summary.json").write_text(
        json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    write_report(out, summary, rows, baseline_rows)
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
