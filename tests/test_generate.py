"""Generation with the real packaged SmolLM2: what the model writes reaches the reader, checked."""

import pytest

from rag.answer.answerer import Answerer
from rag.llm import make_chat_model
from rag.settings import Settings
from tests.conftest import SEED, TokenRecorder, written_by_the_model

pytestmark = pytest.mark.slow

# Questions the embedded model answers in its own words (eval/baseline/results.jsonl, mode
# "generated"); its sentences then pass the verifier.
MODEL_ANSWERED = [
    "What does the balance between sharing vital intelligence and safeguarding sensitive "
    "information underscore?",
    "What has raised eyebrows among experts and former intelligence officials?",
    "What did the National Security Council spokesperson emphasize?",
]


def test_the_models_own_sentences_reach_the_reader_with_exact_citations(retriever) -> None:
    settings = Settings.from_env(env={}, seeds_dir=retriever.index.settings.seeds_dir)
    answerer = Answerer(settings, retriever, make_chat_model(settings))
    source = SEED.read_text(encoding="utf-8")
    generated = 0
    for question in MODEL_ANSWERED:
        recorder = TokenRecorder()
        answer = answerer.ask(question, config={"callbacks": [recorder]})
        assert recorder.text.strip(), "the model wrote nothing"
        assert not answer.abstained and answer.citations
        for c in answer.citations:
            assert source[c.start : c.end] == c.text
        if answer.mode == "generated":
            generated += 1
            assert written_by_the_model(answer.answer, recorder.text), (answer, recorder.text)
    # Greedy decoding makes these answers repeatable; one of three may fall back to a quote
    # where a machine's arithmetic differs, but not more.
    assert generated >= 2


def test_the_reader_reads_of_the_article_unless_the_article_speaks_of_passages() -> None:
    from rag.answer.generate import for_reader

    news = "Experts warn that any breach could erode cooperation."
    assert for_reader("The passage warns of a breach.", news) == "The article warns of a breach."
    assert for_reader("As this passage says, trust.", news) == "As the article says, trust."
    law = "The passage of the bill was delayed by a week."
    assert for_reader("The passage of the bill was delayed.", law) == (
        "The passage of the bill was delayed."
    )
