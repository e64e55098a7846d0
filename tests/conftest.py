"""Shared fixtures: isolated data folders, the real MiniLM and Chroma, scripted chat models."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from rag.settings import PROJECT_ROOT, Settings

SEED = PROJECT_ROOT / "seeds" / "us-allies-rethink-intelligence-sharing.txt"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's RAG_* settings or writes to the project's data folder."""
    import os

    for name in list(os.environ):
        if name.startswith("RAG_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "data"))


class ScriptedChat(BaseChatModel):
    """A chat model whose reply is computed from the prompt by a Python function; it streams
    the reply in pieces of a few characters, so sentences arrive split across chunks, and
    counts the pieces that were read."""

    reply: Callable[[str], str]
    prompts: list[str] = []
    chunk_chars: int = 7
    pieces_read: int = 0
    pieces_total: int = 0

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> ChatResult:
        prompt = messages[-1].text
        self.prompts.append(prompt)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(self.reply(prompt)))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: Any = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        prompt = messages[-1].text
        self.prompts.append(prompt)
        text = self.reply(prompt)
        pieces = [text[i : i + self.chunk_chars] for i in range(0, len(text), self.chunk_chars)]
        self.pieces_total = len(pieces)
        self.pieces_read = 0
        for piece in pieces or [""]:
            self.pieces_read += 1
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))


class TokenRecorder(BaseCallbackHandler):
    """The text a chat model streamed, as LangChain callbacks see it."""

    def __init__(self) -> None:
        self.text = ""

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        self.text += token


def written_by_the_model(answer: str, model_text: str) -> bool:
    """True when every sentence of the answer (its citation markers set aside) is text the model
    wrote: the reader got the model's words, checked, not a quote put in their place."""
    flat = " ".join(model_text.split())
    sentences = [s.strip() for s in re.split(r"\s*\[\d+\]\s*", answer) if s.strip()]
    return bool(sentences) and all(" ".join(s.split()).rstrip(".") in flat for s in sentences)


def passage(prompt: str, n: int) -> str:
    """The text of passage [n] in an answer prompt."""
    match = re.search(rf"^\[{n}\] (.*)$", prompt, re.MULTILINE)
    return match.group(1) if match else ""


@pytest.fixture(scope="session")
def embeddings():
    """The real packaged all-MiniLM-L6-v2 (loads in well under a second once imported)."""
    from rag.ingest.embeddings import SentenceEmbeddings

    return SentenceEmbeddings()


@pytest.fixture(scope="session")
def seeds_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the seed folder that tests may not change."""
    folder = tmp_path_factory.mktemp("seeds")
    shutil.copy(SEED, folder / SEED.name)
    return folder


@pytest.fixture(scope="session")
def index(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path, embeddings):
    """A real Chroma index of the article, built once for the session."""
    from rag.ingest.index import PassageIndex

    settings = Settings.from_env(
        env={}, seeds_dir=seeds_dir, data_dir=tmp_path_factory.mktemp("index")
    )
    idx = PassageIndex(settings, embeddings)
    idx.ensure()
    return idx


@pytest.fixture(scope="session")
def retriever(index):
    from rag.answer.retrieve import Retriever

    return Retriever(index)


@pytest.fixture
def make_answerer(retriever, tmp_path: Path):
    """Build an Answerer over the real index with a scripted chat model."""
    from rag.answer.answerer import Answerer

    def build(reply: Callable[[str], str], **overrides: Any):
        overrides = {"data_dir": tmp_path / "data", **overrides}
        settings = Settings.from_env(
            env={}, seeds_dir=retriever.index.settings.seeds_dir, **overrides
        )
        return Answerer(settings, retriever, ScriptedChat(reply=reply, prompts=[]))

    return build


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A skipped test is a failed run: every test here can run on a fresh clone (CI included)."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == 0:
        reporter.ensure_newline()
        reporter.write_line(f"{len(skipped)} test(s) skipped: failing the run", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
