"""Per-item metrics: pure functions of an answer, its citations and the test item."""

from __future__ import annotations

import re
import string
import unicodedata
from collections import Counter

from rag.answer.verify import MARKER, word_support
from rag.eval.dataset import Span
from rag.nlp.sentences import split_sentences
from rag.nlp.words import content_stems, words

# An answerable item is correct when the answer covers this share of the reference's words.
RECALL_FOR_CORRECT = 0.5
# "Faithful": this share of a sentence's content words occur in the passages it cites.
FAITHFUL_OVERLAP = 0.75
_ASCII_PUNCTUATION = frozenset(string.punctuation)  # with symbols such as $ + < = > ^ | ~


def squad_tokens(text: str) -> list[str]:
    """SQuAD normalization: lower case, no punctuation, no articles, split on white space.
    Punctuation is any Unicode punctuation too (an extracted answer's "…" and curly quotes would
    otherwise cling to its first and last words), and citation markers ("[1]") are not words
    of the answer."""
    text = MARKER.sub(" ", text.lower().replace("’", "'"))
    text = "".join(
        ch for ch in text if ch not in _ASCII_PUNCTUATION and unicodedata.category(ch)[0] != "P"
    )
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
    marked = bool(MARKER.search(answer))
    # An answer with no markers at all (the tutorial chain's) is checked against all its sources.
    uncited = [] if marked else list(by_n.values())
    scored = []
    # A piece ends with its citation markers; a sentence in it without markers of its own is
    # cited by the piece's ("“…a quote…” [1]" after a cut quote the sentence splitter keeps
    # going). Text after the last marker with none of its own is this system's note about
    # the answer ("The article doesn't answer the other part, …"), not a claim to check.
    for piece in re.split(r"(?<=\])\s+", answer.strip()):
        piece_cites = _cited(piece, by_n)
        if marked and not MARKER.search(piece):
            continue
        for part in split_sentences(piece):
            cited = _cited(part, by_n) or piece_cites or uncited
            body = MARKER.sub("", part).strip(' “”"')
            if words(body):
                scored.append(sentence_faithful(body, cited))
    return sum(scored) / len(scored) if scored else None


def _cited(text: str, by_n: dict[int, str]) -> list[str]:
    """The texts of the passages the markers in `text` cite."""
    return [by_n[int(n)] for n in MARKER.findall(text) if int(n) in by_n]


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
