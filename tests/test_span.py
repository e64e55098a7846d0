"""The answering span: clauses chosen by the question's words and the kind of answer asked for."""

import pytest

from rag.answer.question import classify
from rag.answer.span import answer_span
from rag.nlp.words import stem

# Passages written for these tests, not taken from the article: the rules must hold for any text.
HARBOUR = (
    "The council voted to close the old harbour, citing the cost of repairing the sea wall. "
    "Fishermen protested outside the town hall."
)
TRADE = (
    "The summit brought together several neighbours, including Norway, Iceland, and members of "
    "the Nordic Council, raising questions about future fishing quotas."
)
BRIDGE = (
    "While engineers and some local councillors defend the new bridge as a way to ease traffic "
    "in the centre, residents remain doubtful about its cost and its noise."
)
VALUES = "The report names three priorities: safety, openness, and shared long-term planning."


def _span(question: str, passage: str) -> str:
    span = answer_span(classify(question), passage)
    assert span is not None
    assert passage[span.start : span.end] == span.text  # verbatim, at its place in the passage
    return span.quoted()


def test_why_takes_the_clause_that_gives_the_reason() -> None:
    assert _span("why did the council close the harbour?", HARBOUR) == (
        "…citing the cost of repairing the sea wall."
    )


def test_which_takes_the_names_the_question_lacks_not_the_clause_that_restates_it() -> None:
    assert _span("which neighbours came to the summit?", TRADE) == (
        "…including Norway, Iceland, and members of the Nordic Council…"
    )


def test_who_keeps_the_clause_that_holds_the_people_and_drops_the_joining_word() -> None:
    assert _span("who defends the new bridge?", BRIDGE) == (
        "…engineers and some local councillors defend the new bridge as a way to ease traffic "
        "in the centre…"
    )


def test_the_other_clause_answers_what_the_first_one_does_not() -> None:
    assert _span("what are residents doubtful about?", BRIDGE) == (
        "…residents remain doubtful about its cost and its noise."
    )


def test_a_list_is_kept_whole_with_its_head_when_the_question_matches_its_last_item() -> None:
    assert _span("what about shared planning?", VALUES) == VALUES


def test_a_middle_item_of_a_list_keeps_the_list_from_its_head() -> None:
    # Not "…Iceland, and members of the Nordic Council…", which starts inside the list.
    assert _span("and iceland?", TRADE) == (
        "The summit brought together several neighbours, including Norway, Iceland, and members "
        "of the Nordic Council…"
    )


def test_a_clause_that_only_restates_the_question_takes_its_neighbour() -> None:
    text = "In response to the flooding, the mayor announced a new pumping station."
    assert _span("how did they respond to the flooding?", text) == text


def test_the_sentence_with_the_question_words_is_chosen() -> None:
    assert _span("did fishermen protest?", HARBOUR) == "Fishermen protested outside the town hall."


@pytest.mark.parametrize("question", ["why?", "what is the capital of Peru?"])
def test_no_span_without_the_questions_words(question: str) -> None:
    assert answer_span(classify(question), HARBOUR) is None


def test_a_word_found_as_typed_beats_one_found_only_through_its_word_family() -> None:
    text = "Officials warned about cyber attacks on banks, given the rise of cybercriminals abroad."
    assert _span("what about cybercriminals?", text) == "…given the rise of cybercriminals abroad."


def test_question_words_spread_over_two_clauses_keep_both() -> None:
    text = "As cargo ships grow larger, the depth of the channel is paramount."
    assert _span("what is paramount for cargo ships?", text) == text


REVIEW = (
    "Several councils are reviewing the harbour plans, citing fears about the cost of dredging "
    "and the loss of fishing grounds."
)


def test_a_question_word_that_every_passage_uses_does_not_hold_its_clause_in_the_answer() -> None:
    q = classify("what fears do councils cite?")
    # "council" is in every passage of this index, "cite" and "fear" in one.
    idf = {stem("councils"): 0.03, stem("cite"): 2.4, stem("fears"): 2.4}
    span = answer_span(q, REVIEW, idf=idf)
    assert span is not None and span.quoted() == (
        "…citing fears about the cost of dredging and the loss of fishing grounds."
    )
    # Weighted alike, the clause with "councils" is part of the answer.
    assert answer_span(q, REVIEW).text == REVIEW
    even = dict.fromkeys(idf, 1.0)
    assert answer_span(q, REVIEW, idf=even).text == REVIEW


def test_who_takes_the_people_even_when_a_later_clause_has_a_name() -> None:
    text = "Health officials warn against the new diet, given its history of harming Canadians."
    assert _span("who is warning against the new diet?", text) == "Health officials…"


def test_what_a_term_means_is_answered_with_the_whole_sentence_that_uses_it() -> None:
    text = "As the market enters a period of flux, prices swing across the region."
    assert _span("what does it mean by flux", text) == text


PAUSE = (
    "Recent changes in road policy have raised eyebrows among engineers and former planners. "
    "Experts caution against trusting the new signals, given their history of failing."
)


def test_who_does_something_takes_the_doer_before_that_verb() -> None:
    text = "While city officials and some local experts defend the bridge, residents doubt it."
    assert _span("who defends the bridge", text) == "…city officials and some local experts…"
    assert _span("who's cautioning against the new signals", PAUSE) == "Experts…"
    text = "Critics say the plan, which Mayor Ana Ruiz backs, is too costly."
    assert _span("who backs the plan", text) == "…Mayor Ana Ruiz…"


def test_a_capital_that_only_starts_the_sentence_is_not_a_name() -> None:
    text = "Planners caution against trusting the new signals."
    assert _span("who cautions against the signals", text) == text


def test_a_question_that_asks_two_things_keeps_the_clause_around_the_doer() -> None:
    text = "City officials and some local experts defend the bridge as a way to ease traffic."
    assert _span("who defends the bridge and how do they justify it", text) == text
    part = answer_span(classify("who defends the bridge"), text, one_thing=False)
    assert part is not None and part.quoted() == text
    assert _span("who defends the bridge", text) == "City officials and some local experts…"


def test_a_doer_not_known_as_people_keeps_the_clause_answer() -> None:
    # "councillors" is not among the words for people, and is not a name.
    assert _span("who defends the new bridge?", BRIDGE).startswith("…engineers and some local")


def test_a_doer_that_is_not_people_keeps_the_clause_answer() -> None:
    # "road policy have raised": the words before the verb end in a thing, not in people.
    assert _span("who raised eyebrows about the road changes", PAUSE) == (
        "Recent changes in road policy have raised eyebrows among engineers and former planners."
    )


def test_who_with_no_verb_of_its_own_is_not_asking_for_a_doer() -> None:
    # "who is the ...": no verb follows, so the clause with the names answers.
    assert "Norway" in _span("who is the summit's first neighbour", TRADE)
