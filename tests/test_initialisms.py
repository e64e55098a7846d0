"""Initialisms of the article's names, spelt out in a reader's question."""

from rag.nlp.initialisms import Initialisms

# Written for these tests, not taken from the article: the rules must hold for any text.
TEXT = (
    "A spokesperson for the Harbour Safety Board said on Monday that the Department of Fisheries "
    "would review the quotas. Mayor Lena Ruiz welcomed the review. The Central Atlantic "
    "Trust and the Central Atlantic Tribunal both declined to comment."
)
INITIALISMS = Initialisms([TEXT])


def test_an_initialism_in_capitals_or_in_lower_case_is_spelt_out() -> None:
    assert INITIALISMS.expand("what did the HSB say") == "what did the Harbour Safety Board say"
    assert INITIALISMS.expand("hsb's view?") == "Harbour Safety Board's view?"


def test_the_small_words_of_a_name_may_be_part_of_its_initialism() -> None:
    assert INITIALISMS.expand("what will DOF do") == "what will Department of Fisheries do"
    assert INITIALISMS.expand("what will DF do") == "what will DF do"  # two letters: too vague


def test_an_english_word_or_an_ambiguous_initialism_is_left_as_typed() -> None:
    # "CAT" stands for two names here. In a question all in capitals, "HSB" still is an
    # initialism, but a common word is a word.
    assert INITIALISMS.expand("is the CAT involved") == "is the CAT involved"
    assert INITIALISMS.expand("WHAT DID THE HSB SAY") == "WHAT DID THE Harbour Safety Board SAY"
    shouting = Initialisms(["The Committee Against Taxes met."])
    assert shouting.expand("WHY DID THE CAT MEET") == "WHY DID THE CAT MEET"
    assert shouting.expand("why did the CAT meet") == "why did the Committee Against Taxes meet"
    assert shouting.expand("why did the cat meet") == "why did the cat meet"
