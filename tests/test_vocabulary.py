"""Known words (stems, typos, word families), specificity and place names."""

from rag.nlp.vocabulary import Vocabulary, is_function_word_typo, places, specificity
from rag.nlp.words import content_words, stem

TEXT = "Allies worry about intelligence sharing and the historical skepticism of officials."


def test_a_vocabulary_knows_word_forms_typos_and_families_not_lookalikes() -> None:
    known = Vocabulary(stem(w) for w in content_words(TEXT))
    assert known.knows("worried") and known.knows("ally")  # word forms
    assert known.knows("inteligence") and known.knows("oficials")  # one edit
    assert known.knows("intel") and known.knows("history")  # word families
    assert not known.knows("france") and not known.knows("sanctions")


def test_function_word_typos_carry_no_topic() -> None:
    assert is_function_word_typo("wich") and is_function_word_typo("waht")
    assert not is_function_word_typo("russia")


def test_specificity_ranks_rare_words_above_common_ones() -> None:
    assert specificity("the") < specificity("going") < specificity("mossad") <= 1
    assert specificity("xqzvbnm") == 1.0  # no frequency at all


def test_places_are_found_in_any_case_and_narrowed_by_kind() -> None:
    assert places("what did germany and south korea say") == ["south korea", "germany"]
    assert places("Is Texas in Europe?") == ["texas", "europe"]
    assert places("Is Texas in Europe?", ("country",)) == []
    assert places("the U.S. and Israel") == ["usa", "israel"]
    assert places("going to the shops") == []
