"""Start the servers the app talks to (itself, Chroma, llama.cpp's) on 127.0.0.1 for tests and
benches, and stop them when the block ends."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rag.llm import default_gguf_path


@dataclass(frozen=True)
class Server:
    """A running server process: the URL it answers on and its process id."""

    url: str
    pid: int


def free_port() -> int:
    """A TCP port of 127.0.0.1 that is free now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(
    command: list[str],
    ready_url: str,
    log_path: Path,
    env: dict[str, str] | None = None,
    timeout: float = 240,
) -> Iterator[int]:
    """Run command until the block ends, once ready_url answers; yields its pid. Its output
    goes to log_path."""
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            command, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_up(ready_url, proc, log_path, timeout)
        yield proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def served(env: dict[str, str], log_path: Path, timeout: float = 240) -> Iterator[Server]:
    """`rag serve` on a free port of 127.0.0.1 with these RAG_* settings."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "rag.cli", "serve"]
    env = {**env, "RAG_HOST": "127.0.0.1", "RAG_PORT": str(port)}
    with running(command, url, log_path, env, timeout) as pid:
        yield Server(url, pid)


@contextmanager
def chroma_server(path: Path, log_path: Path) -> Iterator[Server]:
    """A Chroma server (`chroma run`, from the chromadb wheel) storing its data in path."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    chroma = Path(sys.executable).with_name("chroma")
    command = [str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)]
    with running(command, f"{url}/api/v2/heartbeat", log_path, timeout=60) as pid:
        yield Server(url, pid)


@contextmanager
def llama_server(log_path: Path, alias: str = "smollm2") -> Iterator[Server]:
    """llama-cpp-python's OpenAI-compatible server on the packaged SmolLM2 GGUF; url is the
    base URL (…/v1) and alias the model name it answers to."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    # `python -m llama_cpp.server`, with the weights left unpacked as in the embedded backend
    # (`no_weight_repacking`: the AMX repack crashes decoding on some Xeons).
    serve = (
        "import runpy, sys; from rag.llm import no_weight_repacking\n"
        "sys.argv[0] = 'llama_cpp.server'\n"
        "with no_weight_repacking(): runpy.run_module('llama_cpp.server', run_name='__main__')"
    )
    command = [
        *(sys.executable, "-c", serve, "--model", str(default_gguf_path())),
        *("--model_alias", alias, "--host", "127.0.0.1", "--port", str(port)),
    ]
    with running(command, f"{url}/models", log_path, timeout=120) as pid:
        yield Server(url, pid)


def _wait_until_up(url: str, proc: subprocess.Popen, log_path: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[:3]} exited: {log_path.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise TimeoutError(f"{proc.args[:3]} did not answer at {url} within {timeout:.0f}s")
