"""The pipeline as LangChain objects: a Runnable whose stages reach callbacks, a retriever."""

from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler

from rag.answer.chain import AnswerChain, PassageRetriever

pytestmark = pytest.mark.slow

ALLIES = "Which allies are rethinking intelligence sharing with the United States?"


class Recorder(BaseCallbackHandler):
    """Names of the runs a tracer would see, in order."""

    def __init__(self) -> None:
        self.runs: list[str] = []

    def on_chain_start(self, serialized: Any, inputs: Any, **kwargs: Any) -> None:
        self.runs.append(kwargs.get("name") or "?")

    def on_chat_model_start(self, serialized: Any, messages: Any, **kwargs: Any) -> None:
        self.runs.append("chat_model")

    def on_retriever_start(self, serialized: Any, query: str, **kwargs: Any) -> None:
        self.runs.append("retriever")


def test_invoke_traces_each_stage_and_returns_the_answer(make_answerer) -> None:
    chain = AnswerChain(make_answerer(lambda p: "NOT IN ARTICLE"))
    recorder = Recorder()
    answer = chain.invoke(ALLIES, {"callbacks": [recorder]})
    assert "Israel" in answer.answer and not answer.abstained
    assert recorder.runs[0] == "AnswerChain"
    assert {"retrieve", "decide", "chat_model"} <= set(recorder.runs)


def test_stream_yields_events_and_batch_answers_each_input(make_answerer) -> None:
    chain = AnswerChain(make_answerer(lambda p: "NOT IN ARTICLE"))
    events = list(chain.stream({"question": ALLIES, "history": []}))
    assert events[0].kind == "status" and events[-1].answer is not None
    first, second = chain.batch([ALLIES, "What is the capital of France?"])
    assert not first.abstained and second.abstained


def test_the_retriever_returns_passages_with_their_scores(retriever) -> None:
    docs = PassageRetriever(retriever=retriever, k=3).invoke(ALLIES)
    assert len(docs) == 3 and any("Saudi Arabia" in d.page_content for d in docs)
    assert all(-1 <= d.metadata["dense"] <= 1 and d.metadata["start"] >= 0 for d in docs)
