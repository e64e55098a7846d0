"""Many readers at once through Gradio's API: no errors, each answer its own, a bounded queue."""

import threading
import time
from pathlib import Path

import pytest
from gradio_client import Client

from tests.fake_openai import FakeOpenAI, page_with_held_answers
from tools.load import Reply, ask, belongs, run_load
from tools.servers import served
from tools.ui_bench import questions

DATASET = Path(__file__).resolve().parent.parent / "eval" / "qa.jsonl"


def test_an_answer_belongs_only_to_the_question_it_echoes() -> None:
    alone = Reply("Who?", 0.4, echoed="Who?", answer="A [1]", cited=frozenset({"p-1"}))
    same = Reply("Who?", 3.0, echoed="Who?", answer="A [1]", cited=frozenset({"p-1"}))
    reworded = Reply("Who?", 3.0, echoed="Who?", answer="B [1]", cited=frozenset({"p-1"}))
    other_passage = Reply("Who?", 3.0, echoed="Who?", answer="B [1]", cited=frozenset({"p-2"}))
    other_question = Reply("Who?", 3.0, echoed="Why?", answer="A [1]", cited=frozenset({"p-1"}))
    assert belongs(same, alone) and belongs(reworded, alone)
    assert not belongs(other_passage, alone) and not belongs(other_question, alone)


@pytest.mark.slow
def test_twenty_readers_for_a_minute(tmp_path: Path) -> None:
    with served({"RAG_DATA_DIR": str(tmp_path / "data")}, tmp_path / "serve.log") as server:
        result = run_load(server.url, questions(DATASET, 1000), clients=20, seconds=60)
    assert result["errors"] == 0, result["first_error"]
    assert result["answers_not_belonging"] == 0, result["first_not_belonging"]
    assert result["busy"] == 0  # 20 readers fit the default queue of 32
    assert result["answers"] >= 20 and result["latency_p95_s"] > 0


@pytest.mark.slow
def test_a_full_queue_says_busy_and_the_page_keeps_answering(tmp_path: Path) -> None:
    """The model (a fake server) holds every answer until all 24 questions are in, so the queue
    is full when they arrive whatever the machine's speed; then it lets them all finish."""
    asked = ["Why are the allies worried?", "Who defends Trump's approach to Russia?"] * 12
    with page_with_held_answers(tmp_path) as server:
        clients = [Client(server.url, verbose=False) for _ in asked]
        replies: list[Reply] = []
        start = threading.Barrier(len(asked))

        def reader(client: Client, question: str) -> None:
            start.wait()
            replies.append(ask(client, question))

        pairs = zip(clients, asked, strict=True)
        threads = [threading.Thread(target=reader, args=pair) for pair in pairs]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 120
        while not any(r.busy for r in replies) and time.monotonic() < deadline:
            time.sleep(0.05)  # polling for the first "busy" reply, not guessing a delay
        FakeOpenAI.release.set()
        for t in threads:
            t.join()
        FakeOpenAI.mode = "ok"
        after = ask(clients[0], asked[0])
    busy = [r for r in replies if r.busy]
    answered = [r for r in replies if not r.busy]
    assert busy, "24 questions at once with room for 4 running and 1 waiting: some must be told"
    assert answered and not any(r.error for r in replies)
    assert all(r.answer for r in answered) and after.answer and not after.busy
