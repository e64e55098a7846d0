"""Contractions typed without their apostrophe are read as contractions; words are left alone."""

import pytest

from rag.nlp.contractions import restore_apostrophes


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("whats five eyes", "what's five eyes"),
        ("Whos worried", "Who's worried"),
        ("WHY DIDNT THEY", "WHY DIDN'T THEY"),
        ("so hows that a truce", "so how's that a truce"),
        ("the us isnt sure, im confused", "the us isn't sure, i'm confused"),
    ],
)
def test_a_contraction_gets_its_apostrophe_back_as_typed(typed: str, read: str) -> None:
    assert restore_apostrophes(typed) == read


@pytest.mark.parametrize(
    "typed",
    ["its history of harboring", "well were they ill", "i cant say", "what's it", "whatsapp"],
)
def test_words_of_their_own_and_written_contractions_are_left_alone(typed: str) -> None:
    assert restore_apostrophes(typed) == typed
