"""Generation: what the model writes reaches the reader, checked (with the real packaged SmolLM2,
and with a scripted model for what SmolLM2 does only now and then)."""

import numpy as np
import pytest
from langchain_core.documents import Document
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from rag.answer.answerer import Answerer
from rag.answer.generate import Generator
from rag.answer.question import classify, clean
from rag.answer.reply import Draft, Timings
from rag.llm import make_chat_model
from rag.settings import Settings
from tests.conftest import SEED, TokenRecorder, written_by_the_model

# Questions the embedded model answers in its own words (eval/baseline/results.jsonl, mode
# "generated"); its sentences then pass the verifier.
MODEL_ANSWERED = [
    "What does the balance between sharing vital intelligence and safeguarding sensitive "
    "information underscore?",
    "What has raised eyebrows among experts and former intelligence officials?",
    "What did the National Security Council spokesperson emphasize?",
]


@pytest.mark.slow
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


def test_a_last_sentence_cut_off_by_the_token_limit_never_reaches_the_reader() -> None:
    passage = Document(
        "Reports suggest that some longstanding allies are contemplating scaling back "
        "intelligence sharing with Washington, citing worries about safeguarding foreign assets.",
        metadata={"source": "a.txt", "start": 0, "end": 160},
    )
    written = (
        "Some longstanding allies are contemplating scaling back intelligence sharing with "
        "Washington. [1] Reports suggest that some longstanding allies are contemplating"
    )
    model = GenericFakeChatModel(messages=iter([AIMessage(written)]))
    same = np.ones(4) / 2  # every text one unit vector: relevance and support are not at stake
    generator = Generator(model, lambda texts: np.array([same for _ in texts]), 0.5)
    q = classify(clean("what are allies thinking about doing"))
    draft = Draft()
    shown = list(generator.stream(q, [passage], same, draft, Timings()))
    assert shown == draft.sentences
    assert [s.split(" [")[0] for s in shown] == [
        "Some longstanding allies are contemplating scaling back intelligence sharing with "
        "Washington."
    ]


def test_a_copy_of_a_whole_passage_is_left_to_the_quote_that_cuts_it() -> None:
    text = (
        "Reports suggest that some longstanding allies are contemplating scaling back "
        "intelligence sharing with Washington, citing worries about safeguarding foreign assets."
    )
    passage = Document(text, metadata={"source": "a.txt", "start": 0, "end": len(text)})
    same = np.ones(4) / 2
    q = classify(clean("why are allies thinking of scaling back"))
    for written, kept in [
        (f"{text} [1]", []),  # only copied: the quoted answer extracts the reason instead
        (
            "Allies are contemplating scaling back intelligence sharing with Washington. [1]",
            ["Allies are contemplating scaling back intelligence sharing with Washington."],
        ),
    ]:
        model = GenericFakeChatModel(messages=iter([AIMessage(written)]))
        generator = Generator(model, lambda texts: np.array([same for _ in texts]), 0.5)
        draft = Draft()
        shown = list(generator.stream(q, [passage], same, draft, Timings()))
        assert [s.split(" [")[0] for s in shown] == kept
