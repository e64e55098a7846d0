"""Two questions in one: split where a second question starts, and only there."""

import pytest

from rag.answer.parts import missing_part_note, two_parts


@pytest.mark.parametrize(
    ("question", "first", "second"),
    [
        (
            "which allies are mulling this and when will they decide",
            "which allies are mulling this",
            "when will they decide",
        ),
        (
            "what did the us pause against russia and for how long",
            "what did the us pause against russia",
            "for how long",
        ),
        (
            "What did the former officials warn, and which agencies agree?",
            "What did the former officials warn",
            "which agencies agree?",
        ),
        (
            "is saudi arabia an ally and does it share intel",
            "is saudi arabia an ally",
            "does it share intel",
        ),
    ],
)
def test_a_second_question_after_and_is_split_off(question: str, first: str, second: str) -> None:
    assert two_parts(question) == (first, second)


@pytest.mark.parametrize(
    "question",
    [
        "who defends trump and why?",  # "why" alone asks for the reason of the same thing
        "what are the risks and benefits",  # one question about two things
        "Which allies are rethinking intelligence sharing with the United States?",
        "Israel and who else?",  # the first part is no question
        "tell me about israel and what it shares",  # nor is an instruction
    ],
)
def test_one_question_stays_whole(question: str) -> None:
    assert two_parts(question) is None


def test_the_note_quotes_the_part_as_asked() -> None:
    assert missing_part_note("when will they decide?") == (
        "The article doesn't answer the other part, “when will they decide”."
    )
