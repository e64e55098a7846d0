"""What kind of answer a question asks for: 'which <kind>', and whether a text names one."""

import pytest

from rag.answer.answer_type import asked_kind, names_none_of_kind

ZOO = (
    "Keepers, including Maria Lopez and Tom Berg, fed the animals at the zoo. "
    "Some Republican lawmakers visited the zoo. "
    "Critics and former staff raised concerns about the new enclosure."
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("which critics did they talk to", "critics"),
        ("which former zoo staff raised concerns", "former zoo staff"),
        ("which five eyes members tho", "five eyes members"),
        ("Which data-sharing deal did they sign?", "data-sharing deal"),
        ("which newspaper first reported it", "newspaper"),  # "first" is an adverb here
        ("which lawmakers defended it", "lawmakers"),  # "defended" is only a verb
        ("and which one?", ""),  # points back; no kind of its own
        ("what did the keepers do", ""),
    ],
)
def test_the_kind_asked_for_is_the_noun_phrase_after_which(question: str, kind: str) -> None:
    assert asked_kind(question) == kind


def test_a_kind_the_text_mentions_but_never_names_is_a_missing_detail() -> None:
    assert names_none_of_kind("which critics did they talk to", [ZOO])
    assert names_none_of_kind("which former staff raised concerns", [ZOO])


def test_a_kind_named_right_after_or_before_it_is_answered() -> None:
    assert not names_none_of_kind("which keepers fed the animals", [ZOO])  # "including Maria"
    assert not names_none_of_kind("which lawmakers visited", [ZOO])  # "Republican lawmakers"
    # A longer name ending just before it: "the City Hall spokesperson".
    hall = "Later the City Hall spokesperson said the zoo would stay open."
    assert not names_none_of_kind("which spokesperson said that", [hall])
    # The question's own name is not an answer to it.
    assert names_none_of_kind("which republican lawmakers visited", [ZOO])


def test_a_kind_the_text_never_mentions_is_left_to_the_other_signals() -> None:
    assert not names_none_of_kind("which two capitals", [ZOO])
    assert not names_none_of_kind("what did the keepers do", [ZOO])
    assert not names_none_of_kind("which critics did they talk to", [])
