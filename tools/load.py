"""`python -m tools.load`: many readers asking at once through Gradio's API (gradio_client), in
one run: latency percentiles, throughput, errors, busy replies, and answers checked against
the answer each question gets when asked alone."""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from gradio_client import Client
from gradio_client.exceptions import AppError
from gradio_client.utils import QueueError

from rag.eval.metrics import percentile
from rag.settings import PROJECT_ROOT
from tools.servers import served
from tools.ui_bench import questions
from ui.chat import shown_question
from ui.render import escape

_CITED = re.compile(r'<mark class="passage cited" id="([^"]+)"')


@dataclass(frozen=True)
class Reply:
    """One /ask call: what came back and how long it took."""

    question: str
    seconds: float
    echoed: str = ""  # the question as the chat shows it
    answer: str = ""
    cited: frozenset[str] = frozenset()  # passage ids highlighted in the article panel
    busy: bool = False  # the queue was full
    error: str = ""


def ask(client: Client, question: str) -> Reply:
    """Ask one question in a new conversation."""
    t = time.perf_counter()
    try:
        chat, _box, panel = client.predict(question, [], api_name="/ask")
    except QueueError:
        return Reply(question, time.perf_counter() - t, busy=True)
    except (AppError, OSError, ValueError) as err:
        return Reply(question, time.perf_counter() - t, error=f"{type(err).__name__}: {err}")
    return Reply(
        question,
        time.perf_counter() - t,
        echoed=chat[-2]["content"][0]["text"],
        answer=chat[-1]["content"][0]["text"],
        cited=frozenset(_CITED.findall(panel)),
    )


def belongs(reply: Reply, alone: Reply) -> bool:
    """The reply answers its own question: the chat echoes that question, and the answer is the
    one the question gets alone, or (the model's wording can vary with its cache) cites the
    same passages."""
    if reply.echoed != escape(shown_question(reply.question)):
        return False
    return reply.answer == alone.answer or (bool(reply.cited) and reply.cited == alone.cited)


def run_load(url: str, asked: list[str], clients: int, seconds: float) -> dict:
    """Ask each question alone, then let `clients` readers ask them round-robin for `seconds`."""
    alone = {}
    client = Client(url, verbose=False)
    for q in asked:
        alone[q] = ask(client, q)
    failed_alone = [r for r in alone.values() if r.error or r.busy]
    if failed_alone:
        raise RuntimeError(f"{len(failed_alone)} questions failed alone: {failed_alone[0]}")

    replies: list[Reply] = []
    lock = threading.Lock()
    # Connected first (a failure surfaces here), so the clock measures only asking.
    readers = [Client(url, verbose=False) for _ in range(clients)]

    def reader(i: int, client: Client) -> None:
        n = i * len(asked) // clients  # each reader starts at its own place in the list
        while time.perf_counter() < deadline:
            reply = ask(client, asked[n % len(asked)])
            with lock:
                replies.append(reply)
            n += 1

    began = time.perf_counter()
    deadline = began + seconds
    threads = [threading.Thread(target=reader, args=pair) for pair in enumerate(readers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    answered = [r for r in replies if not (r.error or r.busy)]
    wrong = [r for r in answered if not belongs(r, alone[r.question])]
    times = [r.seconds for r in answered]
    return {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "questions": len(asked),
        "answers": len(answered),
        "errors": len([r for r in replies if r.error]),
        "busy": len([r for r in replies if r.busy]),
        "answers_not_belonging": len(wrong),
        "answers_worded_differently_than_alone": len(
            [r for r in answered if r.answer != alone[r.question].answer]
        ),
        "throughput_answers_per_s": round(len(answered) / elapsed, 2),
        "latency_p50_s": round(percentile(times, 50), 3),
        "latency_p95_s": round(percentile(times, 95), 3),
        "alone_latency_p50_s": round(percentile([r.seconds for r in alone.values()], 50), 3),
        # One reader at a time: the throughput the same server gives without concurrency.
        "alone_throughput_answers_per_s": round(
            len(alone) / sum(r.seconds for r in alone.values()), 2
        ),
        "first_error": next((r.error for r in replies if r.error), ""),
        "first_not_belonging": wrong[0].question if wrong else "",
    }


def _load(url: str | None, asked: list[str], clients: int, seconds: float) -> dict:
    """run_load against url, or against a `rag serve` started for the run."""
    if url:
        return run_load(url, asked, clients, seconds)
    with tempfile.TemporaryDirectory() as tmp:
        env = {"RAG_DATA_DIR": str(Path(tmp) / "data")}
        with served(env, Path(tmp) / "serve.log") as server:
            return run_load(server.url, asked, clients, seconds)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.load",
        description="Many readers at once: start `rag serve` (embedded model, fresh index in a "
        "temporary folder) or use --url, ask with N gradio_client clients for S seconds, and "
        "write load.json.",
    )
    parser.add_argument("--clients", type=int, default=20, help="readers at once (default 20)")
    parser.add_argument("--seconds", type=float, default=60, help="how long (default 60)")
    parser.add_argument("--url", help="a running page to load instead of starting one")
    parser.add_argument(
        "--dataset", type=Path, default=PROJECT_ROOT / "eval" / "qa.jsonl", help="JSONL eval set"
    )
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "eval" / "bench")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0:
        parser.error("--clients and --seconds must be positive")
    if args.url and not args.url.startswith(("http://", "https://")):
        # gradio_client would take anything else for a Hugging Face Space and go online.
        parser.error("--url must be the page's http:// or https:// address")
    try:
        asked = questions(args.dataset, 1000)
    except (OSError, ValueError, KeyError) as err:
        parser.error(f"cannot read questions from {args.dataset}: {err}")
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    try:
        result = {"started": started, **_load(args.url, asked, args.clients, args.seconds)}
    except (httpx.HTTPError, ValueError, RuntimeError, TimeoutError) as err:
        print(f"error: cannot load the page: {err}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "load.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0 if not (result["errors"] or result["answers_not_belonging"]) else 1


if __name__ == "__main__":
    sys.exit(main())
