"""Where a sentence ends, and whether a text ends like a finished one."""

import pytest

from rag.nlp.sentences import ends_a_sentence


@pytest.mark.parametrize(
    "text", ["Allies worry.", "Is it over?", "He said “no.”", "It trails off…", "(It ends.)"]
)
def test_a_finished_sentence_is_finished(text: str) -> None:
    assert ends_a_sentence(text)


@pytest.mark.parametrize(
    "text", ["Reports suggest that some allies are contemplating", "It cost U.S", "", "Done. And"]
)
def test_a_sentence_cut_off_mid_clause_is_not(text: str) -> None:
    assert not ends_a_sentence(text)
