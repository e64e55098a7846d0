"""Ranking passages for the answer: the question's words in a passage, quoted terms, and which
passages are quoted."""

from langchain_core.documents import Document

from rag.answer.question import classify
from rag.answer.rank import paragraph_of, quoted_terms, quotes, rank_passages, with_likelihood
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


def _quoted(question: str, best: str, second: str) -> list[str]:
    """The texts quoted when the second passage scores nearly as well as the best."""
    docs = [
        Document(page_content=t, metadata={"source": "a.txt", "start": i})
        for i, t in enumerate((best, second))
    ]
    return [p.page_content for p in quotes([(docs[0], 1.0), (docs[1], 0.99)], classify(question))]


def test_a_second_passage_that_adds_nothing_the_question_asks_is_not_quoted() -> None:
    worries = "Some nurses are thinking of quitting, citing worries about pay and long shifts."
    echo = "As nurses weigh their options, questions about the hospital remain."
    assert _quoted("why are nurses thinking of quitting", worries, echo) == [worries]


def test_a_second_passage_is_quoted_when_it_holds_question_words_the_best_lacks() -> None:
    pay = "Nurses say their pay has not risen in years."
    shifts = "Doctors complain that their shifts keep getting longer."
    assert _quoted("what do nurses and doctors complain about", pay, shifts) == [pay, shifts]


def test_a_second_passage_with_new_names_is_quoted_for_a_which_question() -> None:
    talks = "Several unions are thinking of leaving the federation."
    named = "The talks involve Unite, Unison and the GMB."
    assert _quoted("which unions are thinking of leaving", talks, named) == [talks, named]


def test_both_passages_are_quoted_for_a_question_that_asks_two_things() -> None:
    # The second passage holds no question word the first lacks, but may hold the other part.
    say = "Nurses say the strike talks have stalled."
    pause = "Reports of a pause in the strike have fuelled talk of a deal."
    asked = "what changed in the strike, and what do the nurses say about it"
    assert _quoted(asked, say, pause) == [say, pause]


def test_a_follow_up_prefers_the_paragraph_the_last_answer_came_from() -> None:
    lead = Document(
        page_content="Nurses worry about pay.", metadata={"source": "a", "paragraph": 0}
    )
    told = Document(
        page_content="Managers defend the plan.", metadata={"source": "a", "paragraph": 3}
    )
    hits = [Hit(p, 0.5, 0.4, 0.0) for p in (lead, told)]
    q = classify("how do they justify it")
    assert rank_passages(q, hits)[0][0] is lead  # equal scores: the first stays first
    assert rank_passages(q, hits, near=paragraph_of(told))[0][0] is told


def test_question_likelihood_reorders_the_close_passages_and_keeps_the_rest() -> None:
    a, b, c = (Document(page_content=t, metadata={}) for t in "abc")
    ranked = [(a, 1.0), (b, 0.95), (c, 0.5)]
    # The question is likelier after b: a loses 0.2 * 2 and falls behind it.
    reranked = with_likelihood(ranked, [-5.0, -3.0], weight=0.2)
    assert [p for p, _ in reranked] == [b, a, c]
    assert reranked[0][1] == 0.95 and abs(reranked[1][1] - 0.6) < 1e-9
    assert with_likelihood(ranked, [-5.0, -3.0], weight=0.0) == ranked
