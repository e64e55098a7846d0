"""Ranking passages for the answer: quoted terms."""

from rag.answer.rank import quoted_terms


def test_quoted_terms_are_found_and_apostrophes_are_not_quotes() -> None:
    assert quoted_terms("what does 'rift' refer to in the white house part") == ["rift"]
    assert quoted_terms("something “looms large”... what was it") == ["looms large"]
    assert quoted_terms("what's 'stance' mean there") == ["stance"]
    assert quoted_terms("what's the deal, isn't it") == []
