"""Scoring one reader's conversation as the page handled it (tools/conversation.py)."""

from tools.conversation import CONVERSATION, Turn, load, report, tally


def _turn(answerable: bool, declined: bool, evidence_cited: bool = True) -> Turn:
    return Turn("q", answerable, "c", declined, evidence_cited and not declined, "shown")


def test_a_turn_is_right_when_declined_exactly_when_the_article_lacks_the_answer() -> None:
    assert _turn(answerable=True, declined=False).right
    assert not _turn(answerable=True, declined=True).right
    assert not _turn(answerable=True, declined=False, evidence_cited=False).right
    assert _turn(answerable=False, declined=True).right
    assert not _turn(answerable=False, declined=False).right


def test_the_tally_counts_each_kind_of_mistake_apart() -> None:
    turns = [
        _turn(True, False),
        _turn(True, True),
        _turn(True, False, evidence_cited=False),
        _turn(False, True),
        _turn(False, False),
    ]
    assert tally(turns) == {
        "turns": 5,
        "right": 2,
        "answerable": 3,
        "answerable_declined": 1,
        "answered_without_evidence": 1,
        "not_answerable": 2,
        "not_answerable_answered": 1,
    }
    assert "Right: 2 of 5" in report(turns)


def test_the_committed_conversation_is_sixteen_labelled_turns_with_true_evidence() -> None:
    items = load(CONVERSATION)
    article = next((CONVERSATION.parents[1] / "seeds").glob("*.txt")).read_text(encoding="utf-8")
    assert len(items) == 16
    assert sum(not i["answerable"] for i in items) >= 4
    for item in items:
        assert all(e in article for e in item["evidence"]), item
        assert bool(item["evidence"]) == item["answerable"], item
