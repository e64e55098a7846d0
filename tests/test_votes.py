"""`rag feedback`: readers' votes listed, the 👎 ones drafted as test items to label."""

import json
from pathlib import Path

import pytest

from rag.cli import main
from rag.eval.dataset import check_dataset, load_dataset, read_sources
from rag.eval.votes import VotesError, draft_items, read_votes
from rag.settings import PROJECT_ROOT
from ui.feedback import FeedbackLog

HISTORY = [{"role": "user", "content": "Who?"}, {"role": "assistant", "content": "Allies [1]."}]
CITED = {"n": 1, "source": "a.txt", "section": "s", "start": 0, "end": 5, "text": "Israel"}


def _votes(data_dir: Path) -> None:
    log = FeedbackLog(data_dir)
    log.record("up", {"question": "Who?", "answer": "Allies [1].", "citations": [CITED]})
    log.record(
        "down",
        {"question": "why tho", "answer": "The article doesn't say.", "history": HISTORY},
    )


def test_down_votes_become_stable_drafts_with_their_conversation(tmp_path: Path) -> None:
    _votes(tmp_path)
    votes = read_votes(tmp_path / "feedback.jsonl")
    drafts = draft_items(votes)
    assert len(votes) == 2 and len(drafts) == 1
    draft = drafts[0]
    assert draft["question"] == "why tho" and draft["history"] == HISTORY
    assert draft["answerable"] is None and draft["evidence"] == []
    assert draft["answer_given"] == "The article doesn't say."
    assert draft_items(read_votes(tmp_path / "feedback.jsonl"))[0]["id"] == draft["id"]


def test_no_file_is_no_votes_and_a_bad_line_is_named(tmp_path: Path) -> None:
    assert read_votes(tmp_path / "feedback.jsonl") == []
    (tmp_path / "feedback.jsonl").write_text('{"question": "a", "vote": "up"}\n{oops\n')
    with pytest.raises(VotesError, match="feedback.jsonl:2: not JSON"):
        read_votes(tmp_path / "feedback.jsonl")
    (tmp_path / "feedback.jsonl").write_text("[1]\n")
    with pytest.raises(VotesError, match="feedback.jsonl:1: not a vote"):
        read_votes(tmp_path / "feedback.jsonl")


def test_rag_feedback_writes_drafts_that_the_dataset_check_accepts_once_labelled(
    tmp_path: Path, capsys
) -> None:
    data, drafts = tmp_path / "data", tmp_path / "drafts.jsonl"
    assert main(["--data-dir", str(data), "feedback", "--drafts", str(drafts)]) == 0
    assert "No votes yet" in capsys.readouterr().out
    _votes(data)
    assert main(["--data-dir", str(data), "feedback", "--drafts", str(drafts)]) == 0
    out = capsys.readouterr().out
    assert "👍  Who?" in out and "👎  why tho" in out and "2 votes: 1 👍, 1 👎." in out
    sources = read_sources(PROJECT_ROOT / "seeds")
    _, problems = check_dataset(drafts, sources)
    assert problems == [f"{drafts}:1: answerable must be true or false"]  # still to label
    item = json.loads(drafts.read_text(encoding="utf-8"))
    item |= {"answerable": True, "reference_answer": "Israel.", "evidence": ["Saudi Arabia"]}
    drafts.write_text(json.dumps(item) + "\n", encoding="utf-8")
    assert check_dataset(drafts, sources) == (1, [])
    assert load_dataset(drafts)[0]["history"] == HISTORY
    (data / "feedback.jsonl").write_text("{oops\n")
    assert main(["--data-dir", str(data), "feedback", "--drafts", str(drafts)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("rag: error: ") and err.count("\n") == 1
