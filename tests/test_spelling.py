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
