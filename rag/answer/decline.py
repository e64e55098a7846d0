"""What the reader is told when the article cannot answer: which words it lacks, or why."""

from __future__ import annotations

import re

from rag.answer.decide import GateDecision
from rag.answer.question import Question
from rag.answer.reply import Citation, citation
from rag.answer.retrieve import Hit
from rag.nlp.words import STOPWORDS, words

REFUSAL = (
    "I can only answer questions about the article, and I don't follow instructions. "
    "Try asking what the article says about a topic."
)
SHORT_QUOTE_WORDS = 18  # the closest passage, quoted in one short line
_TYPE_NAMES = {
    "person": "a name",
    "time": "a date or time",
    "number": "a number",
    "place": "a place",
}


def decline(
    q: Question, hits: list[Hit], decision: GateDecision
) -> tuple[str, list[Citation], str]:
    """(text, citations, mode) of a decline: a plain 'the article doesn't say' naming the
    nearest passage, or a refusal of an instruction."""
    if decision.reason == "instruction":
        return REFUSAL, [], "refused"
    text = not_answered(q, decision)
    if not hits or decision.reason == "vague":  # no passage is closer than another
        return text, [], "abstained"
    closest = hits[0].passage
    line = f"{text} The closest it comes: “{_shortened(closest.page_content)}” [1]"
    return line, [citation(1, closest)], "abstained"


def not_answered(q: Question, decision: GateDecision) -> str:
    """One sentence saying why the article cannot answer q (the gate's decision, in words)."""
    if not _looks_english(q.text) and decision.reason != "no_answer_type":
        return "I can only answer questions in English about the article."
    if decision.reason == "vague":
        return (
            "Could you say a little more? Ask about a person, a country or an event the "
            "article mentions."
        )
    if decision.reason == "unknown_terms":
        terms = _quote_terms(decision.detail, q.text)
        return f"The article doesn't mention {terms}, so it can't answer that."
    if decision.reason == "no_answer_type":
        return f"The article doesn't give {_TYPE_NAMES[q.answer_type]} for that."
    if decision.reason == "unnamed" and decision.detail:
        return f"The article doesn't say which {decision.detail}."
    if decision.reason == "unconfirmed":
        return "The article doesn't say that happened; it reports it only as a possibility."
    if decision.reason == "opinion":
        return (
            "The article reports what each side says; it takes no side of its own and "
            "makes no predictions."
        )
    return "The article doesn't say."


def _shortened(text: str, most: int = SHORT_QUOTE_WORDS) -> str:
    """A passage cut to its first `most` words, at a word boundary."""
    tokens = text.split()
    return text if len(tokens) <= most else " ".join(tokens[:most]).rstrip(",;:") + "…"


def _looks_english(text: str) -> bool:
    tokens = words(text)
    return len(tokens) < 3 or any(t in STOPWORDS for t in tokens)


def _quote_terms(detail: str, question: str) -> str:
    """The unknown words, quoted as the reader typed them ("China", not "china")."""
    terms = []
    for t in [t for t in detail.split(", ") if t][:3]:
        typed = re.search(rf"\b{re.escape(t)}\b", question, re.IGNORECASE)
        terms.append(f"“{typed.group() if typed else t}”")
    return terms[0] if len(terms) == 1 else ", ".join(terms[:-1]) + " or " + terms[-1]
