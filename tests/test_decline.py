"""What the reader is told when the article cannot answer."""

from langchain_core.documents import Document

from rag.answer.decide import GateDecision
from rag.answer.decline import decline, not_answered
from rag.answer.question import classify
from rag.answer.retrieve import Hit


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
    assert _told("which former experts did they talk to", "unnamed", "former experts") == (
        "The article doesn't say which former experts."
    )
    assert _told("why did israel cut them off", "unconfirmed") == (
        "The article doesn't say that happened; it reports it only as a possibility."
    )
    assert _told("Quels alliés repensent le partage?", "low_relevance").endswith(
        "in English about the article."
    )


def test_a_vague_question_is_asked_for_more_and_quotes_no_passage() -> None:
    assert _told("why?", "vague").startswith("Could you say a little more?")
    passage = Document(page_content="Any passage at all.", metadata={})
    text, citations, mode = decline(
        classify("why?"), [Hit(passage, 0.5, 0.2, 0.0)], GateDecision(False, "vague")
    )
    assert mode == "abstained" and citations == [] and "closest" not in text
