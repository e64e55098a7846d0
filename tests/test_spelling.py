"""Typo correction against the article's words and general English."""

from rag.nlp.spelling import Speller

ARTICLE = "allies intelligence delicate balance former officials national security".split()


def test_typos_are_corrected_preferring_the_articles_words() -> None:
    speller = Speller(ARTICLE)
    assert speller.correct("whats the delicat balence") == "whats the delicate balance"
    assert speller.correct("why are alies worried") == "why are allies worried"
    assert speller.correct("what did formr oficials say") == "what did former officials say"


def test_real_words_names_and_short_words_are_left_alone() -> None:
    speller = Speller(ARTICLE)
    assert speller.correct("has mossad said anything") == "has mossad said anything"
    assert speller.correct("r u ok abt it") == "r u ok abt it"
    assert speller.correct("Russia") == "Russia"


def test_names_are_left_as_typed_in_any_case() -> None:
    speller = Speller(ARTICLE)
    assert speller.correct("What did Macron say?") == "What did Macron say?"
    assert speller.correct("what did macron say") == "what did macron say"  # a rare name
    assert speller.correct("Balence of power") == "balance of power"  # sentence-initial typo


def test_accented_words_are_read_whole() -> None:
    speller = Speller([*ARTICLE, "détente"])
    # Split at the accent, "tente" would be "corrected" to "tent".
    assert speller.correct("what is meant by détente?") == "what is meant by détente?"
    assert speller.correct("a cyber détnte") == "a cyber détente"
    assert speller.correct("the café near Zürich") == "the café near Zürich"


def test_question_words_are_corrected_though_the_article_never_uses_them() -> None:
    # The article has "with" and no "which": "wich" must not become "with".
    speller = Speller([*ARTICLE, "with"])
    assert speller.correct("wich allies are worried") == "which allies are worried"
    assert speller.correct("thier worries") == "their worries"
    assert speller.correct("becuase of what") == "because of what"


def test_of_equally_close_spellings_the_one_that_sounds_like_the_typo_wins() -> None:
    # "affectd" is one edit from both; only "affected" sounds like it.
    speller = Speller(["affect", "affected"])
    assert speller.correct("who is affectd") == "who is affected"


def test_a_negation_keeps_its_n() -> None:
    # "wasn" and "shouldn" are one edit from "was" and "should": "was't" would lose the "not".
    speller = Speller(ARTICLE)
    for text in ("wasn't there a section", "why shouldn’t the us", "who weren't happy"):
        assert speller.correct(text) == text
