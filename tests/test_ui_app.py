"""The chat page's handlers, called directly with scripted models over the real index."""

import gradio as gr
import pytest

from rag.llm import LLMError
from ui.app import build_app, respond

pytestmark = pytest.mark.slow


def _contents(chat: list[dict]) -> list[str]:
    return [m["content"] for m in chat]


def test_a_turn_shows_progress_then_the_cited_answer(make_answerer) -> None:
    answerer = make_answerer(lambda p: "NOT IN ARTICLE")
    turns = list(respond(answerer, "Who defends Trump's diplomatic overtures?", []))
    assert _contents(turns[0])[-1] == "Searching the article..."
    final = _contents(turns[-1])
    assert final[0] == "Who defends Trump's diplomatic overtures?"
    assert "Republican lawmakers" in final[-1] and "**Sources**" in final[-1]


def test_follow_up_reads_the_earlier_turns(make_answerer) -> None:
    answerer = make_answerer(lambda p: "NOT IN ARTICLE")
    history = [
        {
            "role": "user",
            "content": [{"type": "text", "text": "What approach does Trump take towards Russia?"}],
        },
        {"role": "assistant", "content": "A softer approach [1]."},
    ]
    final = list(respond(answerer, "And who defends it?", history))[-1]
    assert "Republican lawmakers" in final[-1]["content"]


def test_bad_input_and_model_failures_become_messages(make_answerer) -> None:
    final = list(respond(make_answerer(lambda p: ""), "   ", []))[-1]
    assert final[-1]["content"] == "Please type a question about the article."

    def broken(prompt: str) -> str:
        raise LLMError("The language model server cannot be reached.")

    final = list(respond(make_answerer(broken), "Who defends Trump's overtures?", []))[-1]
    assert final[-1]["content"].startswith("Sorry, something went wrong")


def test_html_in_a_question_is_shown_as_text(make_answerer) -> None:
    final = list(respond(make_answerer(lambda p: ""), "<script>alert(1)</script>", []))[-1]
    assert "<script>" not in final[-1]["content"]


def test_build_app_returns_blocks(make_answerer) -> None:
    assert isinstance(build_app(make_answerer(lambda p: "")), gr.Blocks)
