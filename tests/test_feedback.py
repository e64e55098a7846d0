"""Votes on answers: one JSON line each, kept on this machine, never interleaved."""

import json
import threading
from pathlib import Path

from ui.feedback import FeedbackLog


def test_a_vote_is_appended_with_its_question_answer_and_citations(tmp_path: Path) -> None:
    log = FeedbackLog(tmp_path / "data")
    turn = {"question": "Who?", "answer": "Them [1].", "citations": [{"n": 1, "start": 5}]}
    log.record("up", turn)
    log.record("down", {**turn, "question": "Why?"})
    lines = (tmp_path / "data" / "feedback.jsonl").read_text(encoding="utf-8").splitlines()
    first, second = (json.loads(line) for line in lines)
    assert first["vote"] == "up" and first["question"] == "Who?"
    assert first["citations"] == [{"n": 1, "start": 5}] and first["time"].endswith("+00:00")
    assert second["vote"] == "down" and second["question"] == "Why?"
    assert log.read() == [first, second]


def test_votes_from_many_threads_stay_whole_lines(tmp_path: Path) -> None:
    log = FeedbackLog(tmp_path)
    answer = "x" * 20_000  # long lines would interleave if writes were split

    def vote(i: int) -> None:
        for _ in range(20):
            log.record("up", {"question": str(i), "answer": answer})

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    votes = log.read()
    assert len(votes) == 160 and all(v["answer"] == answer for v in votes)
