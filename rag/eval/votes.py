"""Readers' votes (`DATA_DIR/feedback.jsonl`, written by the chat page) read back, and the 👎
ones drafted as test items for an evaluator to label."""

from __future__ import annotations

import hashlib
from pathlib import Path

from rag.errors import ReaderError
from rag.eval.jsonl import read_jsonl

FEEDBACK_FILE = "feedback.jsonl"


class VotesError(ReaderError, ValueError):
    """A feedback file that cannot be read; the message names the line."""


def read_votes(path: Path) -> list[dict]:
    """Every vote in the file, oldest first; none when the file does not exist yet."""
    if not path.exists():
        return []
    votes = []
    for lineno, vote in read_jsonl(path, VotesError, "votes"):
        if not isinstance(vote, dict) or not isinstance(vote.get("question"), str):
            raise VotesError(f"{path}:{lineno}: not a vote (no question)")
        votes.append(vote)
    return votes


def draft_items(votes: list[dict]) -> list[dict]:
    """The 👎 votes as test items in `rag eval --dataset` form, to be labelled: `answerable`
    is left null and `evidence` empty until an evaluator fills them in (`--check-dataset`
    lists what is still missing). The id is stable, so drafting twice gives the same ids."""
    items = []
    for vote in votes:
        if vote.get("vote") != "down":
            continue
        key = f"{vote.get('time', '')}\n{vote['question']}".encode()
        item = {
            "id": "fb-" + hashlib.sha256(key).hexdigest()[:10],
            "question": vote["question"],
            "answerable": None,
            "reference_answer": "",
            "evidence": [],
            "category": "reader_vote",
            "answer_given": vote.get("answer", ""),
            "citations_given": [
                {k: c.get(k) for k in ("n", "source", "start", "end", "text")}
                for c in vote.get("citations", [])
                if isinstance(c, dict)
            ],
            "voted": vote.get("time", ""),
        }
        if vote.get("history"):
            item["history"] = vote["history"]
        items.append(item)
    return items
