"""The pipeline as LangChain objects: a Runnable answerer and a BaseRetriever over the index,
so the project drops into other LangChain apps and their tracing (LangSmith, Langfuse)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableConfig

from rag.answer.answerer import Answerer
from rag.answer.reply import Answer, Event
from rag.answer.retrieve import Retriever

# A question, or {"question": ..., "history": [{"role", "content"}, ...]}.
ChainInput = str | dict[str, Any]


class AnswerChain(Runnable[ChainInput, Answer]):
    """`invoke` and `batch` give the Answer; `stream` gives its Events (status lines, verified
    sentences, then the answer). Callbacks in the config see the retrieve, decide and model
    stages as child runs."""

    def __init__(self, answerer: Answerer) -> None:
        self.answerer = answerer

    def invoke(
        self, input: ChainInput, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Answer:
        return self._call_with_config(self._answer, input, config)

    def stream(
        self, input: ChainInput, config: RunnableConfig | None = None, **kwargs: Any
    ) -> Iterator[Event]:  # type: ignore[override]  # events, not chunks of the Answer
        yield from self._transform_stream_with_config(iter([input]), self._events, config)

    def _answer(self, input: ChainInput, run_manager: Any, config: RunnableConfig) -> Answer:
        question, history = _unpack(input)
        child = {**config, "callbacks": run_manager.get_child()}
        return self.answerer.ask(question, history, child)

    def _events(
        self, inputs: Iterator[ChainInput], run_manager: Any, config: RunnableConfig
    ) -> Iterator[Event]:
        child = {**config, "callbacks": run_manager.get_child()}
        for input in inputs:
            question, history = _unpack(input)
            yield from self.answerer.stream(question, history, child)


class PassageRetriever(BaseRetriever):
    """The hybrid (MiniLM + BM25) search as a LangChain retriever: the k best passages, each
    with its scores in metadata."""

    retriever: Retriever
    k: int = 4

    model_config = {"arbitrary_types_allowed": True}

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [
            Document(
                h.passage.page_content,
                id=h.passage.id,
                metadata={**h.passage.metadata, "dense": h.dense, "lexical": h.lexical},
            )
            for h in self.retriever.search(query, self.k)
        ]


def _unpack(input: ChainInput) -> tuple[str, list[dict]]:
    if isinstance(input, dict):
        return input.get("question", ""), list(input.get("history") or [])
    return input, []
