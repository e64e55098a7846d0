"""`rag eval --replay`: conversations that hold the pipeline's own replies."""

from types import SimpleNamespace

from rag.answer.question import QuestionError
from rag.eval.run import answer_with_pipeline, replayed

WRITTEN = [
    {"role": "user", "content": "who defends it?"},
    {"role": "assistant", "content": "Some lawmakers."},  # the set's short paraphrase
    {"role": "user", "content": "why?"},
    {"role": "assistant", "content": "For peace."},
]


class RecordingAnswerer:
    """Answers every question with a quote that names it, and records each history it got."""

    def __init__(self, fail_on: str = "") -> None:
        self.asked: list[tuple[str, list[dict]]] = []
        self.fail_on = fail_on

    def ask(self, question: str, history: list[dict] | None = None):
        if question == self.fail_on:
            raise QuestionError("Please ask a shorter question.")
        self.asked.append((question, list(history or [])))
        return SimpleNamespace(
            answer=f"“quote for {question}” [1]",
            abstained=False,
            citations=[],
            retrieved=[],
            timings_ms={"total": 1.0},
            mode="quoted",
            decision={"probability": 0.9},
        )


def test_each_earlier_question_is_asked_in_turn_and_its_own_reply_replaces_the_written_one():
    answerer = RecordingAnswerer()
    history = replayed(answerer, WRITTEN)
    assert history == [
        {"role": "user", "content": "who defends it?"},
        {"role": "assistant", "content": "“quote for who defends it?” [1]"},
        {"role": "user", "content": "why?"},
        {"role": "assistant", "content": "“quote for why?” [1]"},
    ]
    assert answerer.asked[1] == ("why?", history[:2])  # the second turn saw the first reply


def test_with_replay_the_item_is_asked_after_the_replayed_conversation():
    answerer = RecordingAnswerer()
    item = {"question": "and the allies?", "history": WRITTEN}
    answer_with_pipeline(answerer, replay=True)(item)
    question, history = answerer.asked[-1]
    assert question == "and the allies?"
    assert [m["content"] for m in history if m["role"] == "assistant"] == [
        "“quote for who defends it?” [1]",
        "“quote for why?” [1]",
    ]


def test_without_replay_the_written_conversation_is_used_as_is():
    answerer = RecordingAnswerer()
    answer_with_pipeline(answerer)({"question": "and the allies?", "history": WRITTEN})
    assert answerer.asked == [("and the allies?", WRITTEN)]


def test_a_question_the_pipeline_refuses_while_replaying_fails_that_item_only():
    answerer = RecordingAnswerer(fail_on="why?")
    row = answer_with_pipeline(answerer, replay=True)({"question": "x?", "history": WRITTEN})
    assert row["mode"] == "QuestionError" and row["abstained"]
    assert row["answer"] == "Please ask a shorter question."


def test_a_malformed_conversation_is_replayed_as_the_chat_reads_it_without_a_crash():
    answerer = RecordingAnswerer()
    broken = ["hi", {"role": "user"}, {"role": "user", "content": 7}, WRITTEN[0], {"content": "x"}]
    assert replayed(answerer, broken) == [
        {"role": "user", "content": "who defends it?"},
        {"role": "assistant", "content": "“quote for who defends it?” [1]"},
    ]
