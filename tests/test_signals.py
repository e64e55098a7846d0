"""The decision's signals, measured on the real article with the real MiniLM."""

import pytest

from rag.answer.signals import Signals

pytestmark = pytest.mark.slow

ALLIES = "Which allies are rethinking intelligence sharing with the United States?"
HISTORY = [
    {"role": "user", "content": ALLIES},
    {"role": "assistant", "content": "Israel, Saudi Arabia and the Five Eyes [1]"},
]


def _signals(make_answerer, text: str, history: list[dict] | None = None) -> Signals:
    return make_answerer(lambda p: "").assess(text, history).signals


def test_an_article_question_scores_above_an_unrelated_one(make_answerer) -> None:
    on = _signals(
        make_answerer, "Which allies are contemplating scaling back intelligence sharing?"
    )
    off = _signals(make_answerer, "What is the best recipe for pancakes?")
    assert on.similarity > off.similarity + 0.3
    assert on.passage_coverage > off.passage_coverage and on.known_share == 1.0
    assert off.known_share < 0.5 and off.unknown_specificity > 0


def test_typos_are_corrected_before_measuring(make_answerer) -> None:
    typed = _signals(make_answerer, "wich alies are rethinkng inteligence sharing")
    clean = _signals(make_answerer, "which allies are rethinking intelligence sharing")
    assert typed.similarity == pytest.approx(clean.similarity, abs=0.02)


def test_names_the_article_never_uses_are_counted_in_any_case(make_answerer) -> None:
    assert _signals(make_answerer, "what did germany say about it").unknown_names > 0
    assert _signals(make_answerer, "What did Macron say about it?").unknown_names > 0
    assert _signals(make_answerer, "what did israel say about it").unknown_names == 0


def test_a_small_count_points_and_a_figure_is_checked(make_answerer) -> None:
    # "two" counts what is asked for; "12" is a figure the article never gives.
    assert _signals(make_answerer, "a cyber détente between which two capitals").unknown_names == 0
    assert _signals(make_answerer, "did 12 allies stop sharing intelligence").unknown_names > 0


def test_opinions_and_predictions_are_flagged(make_answerer) -> None:
    for text in (
        "should the allies stop sharing",
        "do u think putin can be trusted",
        "would u trust putin",
        "if u were running israeli intel would u keep sharing",
        "your honest take, is trump right",
    ):
        assert _signals(make_answerer, text).opinion == 1
    assert _signals(make_answerer, ALLIES).opinion == 0


def test_a_view_the_question_attributes_to_someone_is_not_asked_of_the_assistant(
    make_answerer,
) -> None:
    for text in (
        "what are partner nations afraid will happen to their informants",
        "what would losing trust do, according to the former officials",
        "so is that seen as good or bad",
    ):
        assert _signals(make_answerer, text).opinion == 0
    # Put to the assistant, it is still an opinion asked for.
    assert _signals(make_answerer, "will the allies cut the us off do u think").opinion == 1
    assert _signals(make_answerer, "what do you think the allies are afraid will happen").opinion


def test_only_a_follow_up_with_history_measures_the_joined_query(make_answerer) -> None:
    alone = _signals(make_answerer, "why are they worried?")
    after = _signals(make_answerer, "why are they worried?", HISTORY)
    assert alone.follow_up == 0 and alone.follow_up_similarity == 0
    assert after.follow_up == 1 and after.follow_up_similarity > alone.similarity


def test_a_kind_the_article_mentions_but_never_names_is_flagged(make_answerer) -> None:
    # "...raised eyebrows among experts and former intelligence officials": no names.
    assert _signals(make_answerer, "which experts did they talk to").unnamed_kind == 1
    # "...key allies, including Israel, Saudi Arabia, and members of the Five Eyes alliance".
    assert _signals(make_answerer, ALLIES).unnamed_kind == 0


def test_an_event_taken_as_done_that_the_article_reports_only_as_possible_is_flagged(
    make_answerer,
) -> None:
    # "Reports suggest that some longstanding allies are contemplating scaling back...".
    flagged = "why did israel stop sharing intelligence with the us"
    assert _signals(make_answerer, flagged).hedged_premise == 1
    assert _signals(make_answerer, "has israel already cut them off").hedged_premise == 1
    # The same topic asked without taking it as done.
    assert _signals(make_answerer, "why are allies thinking of sharing less").hedged_premise == 0
    # Taken as done, and the article says it plainly: "...a spokesperson for the White House
    # National Security Council emphasized ... the Five Eyes alliance."
    said = "why did the white house spokesperson bring up the five eyes"
    assert _signals(make_answerer, said).hedged_premise == 0


def test_the_words_of_an_event_taken_as_done_that_the_passage_lacks_are_measured(
    make_answerer,
) -> None:
    # Nobody leaks anything in the article; "...recent policy shifts by the Trump
    # administration in cybersecurity have raised eyebrows among experts" is reported.
    assert _signals(make_answerer, "why did trump leak their names").unreported_event > 0.5
    reported = "why have the cybersecurity policy shifts raised eyebrows"
    assert _signals(make_answerer, reported).unreported_event == 0
    # Not taken as done: nothing to check.
    assert _signals(make_answerer, "why would trump leak their names").unreported_event == 0


def test_a_question_that_can_be_read_alone_does_not_lean_on_history(make_answerer) -> None:
    off = _signals(make_answerer, "And why is the sky blue?", HISTORY)
    assert off.follow_up == 0 and off.follow_up_similarity == 0
    leaning = _signals(make_answerer, "and the experts?", HISTORY)
    assert leaning.follow_up == 1 and leaning.follow_up_similarity > 0
