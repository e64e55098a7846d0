"""Question likelihood: the packaged model finds a question likelier after the passage that
answers it."""

import logging

import pytest

from rag.answer import likelihood
from rag.llm import LLMError


@pytest.mark.slow
def test_a_question_is_likelier_after_the_passage_that_answers_it() -> None:
    scorer = likelihood.load_likelihood()
    assert scorer is not None
    question = "why was the harbour bridge closed"
    answering = "The harbour bridge was closed on Monday after engineers found cracks in a pier."
    other = "Bakeries in the old town reported record sales of bread over the winter."
    scores = scorer.scores(question, [other, answering, other])
    assert scores[1] > scores[0] and scores[0] == pytest.approx(scores[2])
    assert all(s < 0 for s in scores)  # mean log-probabilities


def test_without_the_packaged_model_passages_are_ranked_without_it(monkeypatch, caplog) -> None:
    def missing():
        raise LLMError("the packaged model is missing")

    monkeypatch.setattr(likelihood, "default_gguf_path", missing)
    with caplog.at_level(logging.WARNING):
        assert likelihood.load_likelihood() is None
    assert "ranked without question likelihood" in caplog.text
