"""Word helpers: stems, numbers, aliases."""

from rag.nlp.words import (
    content_words,
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


def test_numbers_find_digits_number_words_and_months() -> None:
    assert numbers("In 2019 five agents left in March") == {"2019", "five", "march"}
    assert numbers("They may leave") == set()
    assert numbers("members of the Five Eyes") == set()


def test_content_words_drop_stop_words_and_chat_shorthand() -> None:
    assert content_words("what r the allies worried abt") == ["allies", "worried"]


def test_forms_of_a_stop_word_are_stop_words_too() -> None:
    assert content_words("the delicate balance they keep mentioning") == [
        "delicate",
        "balance",
        "keep",
    ]
    assert content_words("what stuff explains the rift") == ["rift"]
    # A word that is also a word of its own stays: "given" (an adjective), "likely".
    assert content_words("given the rift, is a deal likely") == ["given", "rift", "deal", "likely"]


def test_accents_are_not_needed_to_match() -> None:
    assert words("a cyber Détente") == words("a cyber detente") == ["a", "cyber", "detente"]
    assert words("한국어 뉴스") == ["한국어", "뉴스"]  # other scripts are left as they are
