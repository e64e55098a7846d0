"""A stdlib OpenAI-compatible chat server on 127.0.0.1 that can misbehave on purpose."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tools.servers import Server


class FakeOpenAI(BaseHTTPRequestHandler):
    """POST /v1/chat/completions, streamed or not; `mode` makes it misbehave on purpose."""

    mode = "ok"
    seen: list[dict] = []
    # In "hold" mode every reply waits until this is set: a test decides when answers finish.
    release = threading.Event()

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeOpenAI.seen.append(body)
        if self.mode == "hangup":
            self.close_connection = True  # no reply at all: the socket just closes
            return
        if self.mode == "500":
            self.send_error(500, "boom")
            return
        if self.mode == "slow":
            time.sleep(3)
        if self.mode == "hold":
            self.release.wait(120)
        last = body["messages"][-1]["content"]
        reply = f"You asked: {last}"
        if not body.get("stream"):
            self._json(
                {
                    "id": "x",
                    "object": "chat.completion",
                    "created": 0,
                    "model": "m",
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": reply},
                        }
                    ],
                }
            )
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        if self.mode == "garbage":
            self.wfile.write(b"data: {not json\n\n")
            return
        words = reply.split(" ")
        for i, word in enumerate(words):
            if i == 2 and self.mode == "truncated":
                return  # the connection closes mid-answer
            if i == 2 and self.mode == "stall":
                self.wfile.flush()
                time.sleep(3)  # the first words arrive, then nothing
            last_word = i == len(words) - 1
            self._chunk({"content": word + ("" if last_word else " ")}, None)
        self._chunk({}, "stop")
        self.wfile.write(b"data: [DONE]\n\n")

    def _chunk(self, delta: dict, finish_reason: str | None) -> None:
        chunk = {
            "id": "x",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": "m",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}],
        }
        self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())

    def _json(self, data: dict) -> None:
        raw = json.dumps(data).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # clients that hang up on purpose (timeouts) are expected here


@contextmanager
def fake_openai_server() -> Iterator[str]:
    """Serve FakeOpenAI on a free port of 127.0.0.1; yields its base URL (…/v1)."""
    httpd = QuietServer(("127.0.0.1", 0), FakeOpenAI)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    FakeOpenAI.mode, FakeOpenAI.seen = "ok", []
    FakeOpenAI.release.clear()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    finally:
        FakeOpenAI.release.set()  # no held request outlives the server
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def page_with_held_answers(folder: Path) -> Iterator[Server]:
    """`rag serve` with a queue of one, answered by a FakeOpenAI that holds every reply until
    `FakeOpenAI.release` is set: the queue fills and stays full for as long as a test needs."""
    from tools.servers import served

    with fake_openai_server() as llm:
        FakeOpenAI.mode = "hold"
        env = {
            "RAG_DATA_DIR": str(folder / "data"),
            "RAG_QUEUE_SIZE": "1",
            "RAG_BACKEND": "openai",
            "RAG_BASE_URL": llm,
            "RAG_MODEL": "test-model",
        }
        with served(env, folder / "serve.log") as server:
            yield server
