"""'What is <term>?': which questions ask about a term, and when a text defines one."""

import pytest

from rag.answer.define import defines, not_defined_note, term_asked, used_undefined

PASSAGE = "Allies, including members of the Five Eyes alliance, discuss a cyber détente."


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("What is the Five Eyes alliance?", "Five Eyes alliance"),
        ("what's a cyber détente", "cyber détente"),
        ("what does 'recalibration' mean", "recalibration"),
        ("so what are the Five Eyes?", "Five Eyes"),
        ("define rift", "rift"),
        ("meaning of détente?", "détente"),
        ("what does it mean by in flux", "flux"),
        ("what does the piece mean by 'five eyes'", "five eyes"),  # quoted: a word as written
        ("what does 'stance' mean there", "stance"),
        ("what is meant by détente?", "détente"),
        ('what is "the rift"', "rift"),
    ],
)
def test_questions_about_a_term_name_the_term(question: str, term: str) -> None:
    assert term_asked(question) == term


@pytest.mark.parametrize(
    "question",
    [
        "what is the expert insights section about",  # about a part of the text
        "what is trump's approach to russia",  # about what is said, with a function word
        "what are the risks",  # an everyday word, not a term
        "what is happening",
        "why is the Five Eyes alliance worried?",
        "what is the relationship between the allies and the White House now",  # too long
        "what is in flux",  # asks what is changing, not what a word means
        "what does trump mean by peace",  # an everyday word, unquoted
        "what does it mean",
    ],
)
def test_other_questions_are_not_about_a_term(question: str) -> None:
    assert term_asked(question) is None


@pytest.mark.parametrize(
    "text",
    [
        "The Five Eyes alliance is an intelligence pact of five countries.",
        "The Five Eyes alliance, a pact of five countries, met.",
        "The Five Eyes alliance (the UK, the US and others) met.",
        "The pact known as the Five Eyes alliance met.",
        "“Five Eyes alliance” refers to five countries.",
    ],
)
def test_the_usual_defining_forms_count_as_a_definition(text: str) -> None:
    assert defines("Five Eyes alliance", text)


def test_a_term_used_but_not_defined_gets_the_note() -> None:
    assert not defines("Five Eyes alliance", PASSAGE)
    assert used_undefined("Five Eyes alliance", [PASSAGE])
    assert not used_undefined("NATO", [PASSAGE])  # not used at all: nothing to note
    defined = "The Five Eyes alliance is a pact of five countries."
    assert not used_undefined("Five Eyes alliance", [PASSAGE, defined])
    note = "The article doesn't define “cyber détente” further."
    assert not_defined_note("cyber détente") == note
