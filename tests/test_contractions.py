"""Contractions typed without their apostrophe and "-in" for "-ing" are read as meant; words are
left alone."""

import pytest

from rag.nlp.contractions import expand_chat_spellings, restore_apostrophes, restore_dropped_g


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


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("y r allies mad abt it", "why are allies mad about it"),
        ("Y tho", "Why though"),
        ("is the us ok w/ that, u think", "is the us ok with that, you think"),
    ],
)
def test_chat_spellings_are_written_out(typed: str, read: str) -> None:
    assert expand_chat_spellings(typed) == read


@pytest.mark.parametrize("typed", ["what did the U.S. say", "a U-turn", "you're", "rural"])
def test_initialisms_and_words_that_hold_a_chat_spelling_are_left_alone(typed: str) -> None:
    assert expand_chat_spellings(typed) == typed
