"""The chat page's handlers, called directly with scripted models over the real index."""

import socket

import gradio as gr
import pytest

from rag.llm import LLMError
from rag.settings import Settings
from ui import app as page_module
from ui.app import Page, build_app, footer, vote_name
from ui.chat import respond
from ui.serve import check_port, exposure_warning

pytestmark = pytest.mark.slow

QUESTION = "Who defends Trump's diplomatic overtures?"


def _run(answerer, message: str, turns: list[dict] | None = None) -> list[tuple]:
    return list(respond(answerer, message, [], turns or []))


def test_a_turn_shows_progress_then_the_linked_answer_and_its_record(make_answerer) -> None:
    answerer = make_answerer(lambda p: "NOT IN ARTICLE")
    updates = _run(answerer, QUESTION)
    first_chat, first_turn = updates[0]
    assert first_chat[-1]["content"] == "Searching the article..." and first_turn is None
    assert all(turn is None for _, turn in updates[:-1])
    chat, turn = updates[-1]
    assert chat[0] == {"role": "user", "content": QUESTION}
    assert "Republican lawmakers" in chat[-1]["content"]
    assert 'class="cite"' in chat[-1]["content"] and "Sources:" in chat[-1]["content"]
    assert turn["index"] == 1 and turn["question"] == QUESTION
    assert turn["mode"] in ("generated", "extracted", "quoted")
    cited = turn["citations"][0]
    assert "Republican lawmakers" in cited["text"] and cited["source"].endswith(".txt")
    assert turn["backend"] == answerer.backend


def test_follow_up_reads_the_earlier_turns(make_answerer) -> None:
    answerer = make_answerer(lambda p: "NOT IN ARTICLE")
    _, first = _run(answerer, "What approach does Trump take towards Russia?")[-1]
    chat, _ = _run(answerer, "And who defends it?", [first])[-1]
    assert "Republican lawmakers" in chat[-1]["content"]


def test_failures_become_polite_messages_and_the_next_question_works(make_answerer) -> None:
    replies = iter(["boom"])

    def flaky(prompt: str) -> str:
        if next(replies, None) == "boom":
            raise LLMError("The language model server cannot be reached.")
        return "NOT IN ARTICLE"

    answerer = make_answerer(flaky)
    chat, turn = _run(answerer, QUESTION)[-1]
    assert chat[-1]["content"].startswith("Sorry, I couldn't answer that just now.")
    assert "cannot be reached" in chat[-1]["content"] and turn["mode"] == "error"
    chat, turn = _run(answerer, QUESTION)[-1]
    assert "Republican lawmakers" in chat[-1]["content"]

    def broken(*args: object) -> None:
        raise KeyError("internal detail")

    answerer._search = broken  # a bug inside the pipeline, not in the model
    chat, _ = _run(answerer, QUESTION)[-1]
    assert chat[-1]["content"] == "Sorry, something went wrong on our side. Please try again."
    del answerer._search

    chat, _ = _run(answerer, "x" * 50_000)[-1]
    assert "too long" in chat[-1]["content"]


def test_html_in_a_question_is_shown_as_text(make_answerer) -> None:
    chat, _ = _run(make_answerer(lambda p: ""), "<script>alert(1)</script>")[-1]
    assert chat[0]["content"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert all("<script>" not in m["content"] for m in chat)


@pytest.fixture
def page(make_answerer) -> Page:
    answerer = make_answerer(lambda p: "NOT IN ARTICLE")
    return Page.load(answerer, answerer.settings)


def test_the_page_offers_only_example_questions_the_article_answers(
    make_answerer, monkeypatch: pytest.MonkeyPatch
) -> None:
    off_topic = "What did the Pope say about football?"
    monkeypatch.setattr(
        page_module, "EXAMPLE_CANDIDATES", [off_topic, *page_module.EXAMPLE_CANDIDATES]
    )
    answerer = make_answerer(lambda p: "NOT IN ARTICLE")
    page = Page.load(answerer, answerer.settings)
    assert off_topic not in page.examples
    assert page.examples[-1] == "What is this article about?" and len(page.examples) == 4
    assert page.title.startswith("U.S. Allies Rethink Intelligence Sharing")


def test_submit_streams_then_highlights_the_cited_passage(page: Page) -> None:
    updates = list(page.submit(QUESTION, [], []))
    assert updates[0][1] == "" and isinstance(updates[0][2], type(gr.skip()))
    # The box is cleared once: what the reader types while the answer streams stays.
    assert all(isinstance(u[1], type(gr.skip())) for u in updates[1:])
    chat, box, panel, turns = updates[-1]
    source = turns[0]["citations"][0]["source"]
    assert len(turns) == 1 and panel.count("<article ") == 1  # the cited article, shown once
    assert f'<article data-source="{source}">' in panel
    assert 'data-turns="1"' in panel
    assert '<mark class="passage cited"' in panel and "Republican lawmakers" in panel
    # The next turn keeps the first, so the panel counts both.
    *_, (chat, _, panel, turns) = page.submit("Why are the allies worried?", chat, turns)
    assert 'data-turns="2"' in panel and [t["index"] for t in turns] == [1, 3]


@pytest.mark.parametrize("blank", ["", "  \n\t", None])
def test_blank_input_is_a_message_to_page_and_api_alike(page: Page, blank) -> None:
    with pytest.raises(gr.Error, match="Please type a question about the article."):
        next(page.submit(blank, [], []))


def test_a_huge_or_undecodable_question_is_echoed_safely(make_answerer) -> None:
    answerer = make_answerer(lambda p: "")
    chat, _ = _run(answerer, "x" * 100_000)[-1]
    assert len(chat[0]["content"]) < 2_100 and chat[0]["content"].endswith("…")
    assert "too long" in chat[-1]["content"]
    chat, _ = _run(answerer, "Who defends \udcff Trump?")[-1]
    chat[0]["content"].encode("utf-8")  # what Gradio sends must be encodable
    assert "not valid UTF-8" in chat[-1]["content"]


def test_votes_are_saved_with_the_turn_they_judge(page: Page) -> None:
    *_, (_, _, _, turns) = page.submit(QUESTION, [], [])
    saved = page.vote(turns, 1, False)
    assert saved["vote"] == "down" and saved["question"] == QUESTION
    assert page.feedback.read() == [saved]
    assert saved["citations"] == turns[0]["citations"] and "index" not in saved
    assert page.vote(turns, 0, True) is None  # the reader's own message
    assert [vote_name(True), vote_name(False), vote_name("Spam")] == ["up", "down", "Spam"]
    assert saved["history"] == []


def test_a_vote_on_a_follow_up_keeps_the_conversation_before_it(page: Page) -> None:
    *_, (chat, _, _, turns) = page.submit(QUESTION, [], [])
    *_, (chat, _, _, turns) = page.submit("And who defends it?", chat, turns)
    saved = page.vote(turns, turns[1]["index"], False)
    assert saved["question"] == "And who defends it?"
    assert saved["history"] == [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": turns[0]["answer"]},
    ]


def test_footer_names_model_and_backend(page: Page) -> None:
    assert "(embedded backend)" in footer(page.answerer)
    assert "nothing you type leaves it" in footer(page.answerer)


def test_build_app_has_one_public_api_endpoint(page: Page) -> None:
    app = build_app(page)
    assert isinstance(app, gr.Blocks)
    public = [f.api_name for f in app.fns.values() if f.api_visibility == "public"]
    assert public == ["ask"]


def test_a_busy_port_is_reported_before_anything_loads() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(OSError, match=f"cannot serve on 127.0.0.1:{port}.*--port"):
            check_port("127.0.0.1", port)
    check_port("127.0.0.1", port)  # free again


@pytest.mark.parametrize(
    ("env", "warned"),
    [
        ({}, False),
        ({"RAG_HOST": "0.0.0.0"}, True),
        ({"RAG_SHARE": "1"}, True),
        ({"RAG_HOST": "0.0.0.0", "RAG_AUTH": "reader:secret"}, False),
    ],
)
def test_an_open_page_without_a_login_is_warned_about(env: dict, warned: bool) -> None:
    assert bool(exposure_warning(Settings.from_env(env=env))) is warned
