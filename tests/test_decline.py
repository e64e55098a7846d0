"""What the reader is told when the article cannot answer."""

from rag.answer.decide import GateDecision
from rag.answer.decline import not_answered
from rag.answer.question import classify


def _told(question: str, reason: str, detail: str = "") -> str:
    return not_answered(classify(question), GateDecision(False, reason, detail))


def test_unknown_words_are_quoted_as_the_reader_typed_them() -> None:
    assert _told("What did China say?", "unknown_terms", "china") == (
        "The article doesn't mention “China”, so it can't answer that."
    )
    told = _told("Did Biden meet Macron in Paris?", "unknown_terms", "biden, macron, paris, x")
    assert "“Biden”, “Macron” or “Paris”" in told  # three at most


def test_each_reason_has_its_own_plain_sentence() -> None:
    assert _told("When did the allies meet?", "no_answer_type", "time") == (
        "The article doesn't give a date or time for that."
    )
    assert _told("What is the capital of France?", "low_relevance") == "The article doesn't say."
    assert _told("Quels alliés repensent le partage?", "low_relevance").endswith(
        "in English about the article."
    )
