"""Ranking passages for the answer: the question's words in a passage, and quoted terms."""

from langchain_core.documents import Document

from rag.answer.question import classify
from rag.answer.rank import quoted_terms, rank_passages
from rag.answer.retrieve import Hit


def _ranked_first(question: str, *texts: str) -> str:
    """The text ranked first when every passage is equally similar to the question."""
    hits = [Hit(Document(page_content=t, metadata={}), 0.5, 0.4, 0.0) for t in texts]
    return rank_passages(classify(question), hits)[0][0].page_content


def test_a_misspelt_question_word_still_counts_for_the_passage_that_uses_it() -> None:
    cautions = "Doctors caution against trusting the new device."
    rivals = "Doctors and nurses have raised concerns about the device's price."
    assert _ranked_first("what r the doctors cautoning about", rivals, cautions) == cautions


def test_the_rare_word_of_a_question_outweighs_a_common_one() -> None:
    rift = "Statements downplay any rift between the two unions."
    officials = "Former officials said the unions met twice."
    assert _ranked_first("so is there a rift or not officially", officials, rift) == rift


def test_quoted_terms_are_found_and_apostrophes_are_not_quotes() -> None:
    assert quoted_terms("what does 'rift' refer to in the white house part") == ["rift"]
    assert quoted_terms("something “looms large”... what was it") == ["looms large"]
    assert quoted_terms("what's 'stance' mean there") == ["stance"]
    assert quoted_terms("what's the deal, isn't it") == []
