"""Word helpers: stems, names, numbers, aliases, typo distance."""

from rag.text import (
    content_words,
    edit_distance_at_most,
    name_phrases,
    names,
    numbers,
    stem,
    words,
)


def test_stem_joins_word_forms() -> None:
    assert stem("worries") == stem("worried")
    assert stem("sharing") == stem("shares")
    assert stem("allies") == stem("ally")
    assert stem("us") == "us"


def test_country_spellings_are_one_word() -> None:
    assert words("U.S. allies") == ["usa", "allies"]
    assert "usa" in words("the United States and America’s adversaries")
    assert words("tell us") == ["tell", "us"]  # the pronoun is left alone
    assert words("the US") == ["the", "usa"]


def test_names_skip_sentence_initial_capitals() -> None:
    assert names("Which allies trust Vladimir Putin?") == {"vladimir", "putin"}
    assert names("What did Joe Biden say?") == {"joe", "biden"}


def test_numbers_find_digits_number_words_and_months() -> None:
    assert numbers("In 2019 five agents left in March") == {"2019", "five", "march"}
    assert numbers("They may leave") == set()
    assert numbers("members of the Five Eyes") == set()


def test_content_words_drop_stop_words_and_chat_shorthand() -> None:
    assert content_words("what r the allies worried abt") == ["allies", "worried"]


def test_edit_distance_counts_swaps_as_one() -> None:
    assert edit_distance_at_most("isreal", "israel", 1)
    assert edit_distance_at_most("inteligence", "intelligence", 1)
    assert not edit_distance_at_most("france", "russia", 2)


def test_name_phrases_keep_the_spelling_and_cut_at_sentence_ends() -> None:
    text = (
        "Officials met in New York. Reports name Dr. Jones and Mr. Smith; "
        "President Donald Trump’s aides visited the U.S. Congress on Tuesday."
    )
    assert name_phrases(text) == [
        "New York",
        "Dr. Jones",
        "Mr. Smith",
        "President Donald Trump",
        "U.S. Congress",
    ]
