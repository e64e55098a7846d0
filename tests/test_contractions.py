"""Contractions typed without their apostrophe and "-in" for "-ing" are read as meant; words are
left alone."""

import pytest

from rag.nlp.contractions import restore_apostrophes, restore_dropped_g


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


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("wich contreis r thinkin abt pullin back", "wich contreis r thinking abt pulling back"),
        ("THEY'RE SHARIN LESS", "THEY'RE SHARING LESS"),
        ("are they goin' along", "are they going along"),
    ],
)
def test_a_dropped_g_is_put_back(typed: str, read: str) -> None:
    assert restore_dropped_g(typed) == read


def test_words_that_end_in_in_are_left_alone() -> None:
    typed = "did Putin begin talks in the kremlin within the margin, robin"
    assert restore_dropped_g(typed) == typed
