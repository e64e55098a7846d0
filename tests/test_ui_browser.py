"""The page in a real browser: headless Chromium (Debian's) against `rag serve`, embedded model."""

import json
import os
import re
import threading
import time
from pathlib import Path

import pytest
from gradio_client import Client
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from rag.settings import PROJECT_ROOT
from tests.fake_openai import FakeOpenAI, page_with_held_answers
from tools.browser import BOT_MESSAGES, DESKTOP, PHONE, ChatPage, chromium
from tools.conversation import converse, tally
from tools.conversation import load as load_conversation
from tools.conversation import report as conversation_report
from tools.load import ask
from tools.servers import free_port, served
from ui.app import CONCURRENCY, EXAMPLE_CANDIDATES

pytestmark = pytest.mark.slow

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", PROJECT_ROOT / "tests" / "artifacts"))
NOT_IN_ARTICLE = "What did the Pope say about the alliance?"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    """`rag serve` on a free port with a fresh index; yields (url, data dir)."""
    folder = tmp_path_factory.mktemp("serve")
    data_dir = folder / "data"
    with served({"RAG_DATA_DIR": str(data_dir)}, folder / "serve.log") as server:
        yield server.url, data_dir


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def _open(browser, url: str, viewport: dict) -> ChatPage:
    context = browser.new_context(
        viewport=viewport, permissions=["clipboard-read", "clipboard-write"]
    )
    page = ChatPage(context.new_page(), url)
    page.open()
    return page


# True once the element is scrolled into view: inside the article panel's own scroll box, or
# (on a phone, where the panel does not scroll) inside the window.
IN_PANEL = """id => {
  const e = document.getElementById(id).getBoundingClientRect();
  const box = document.querySelector('.article-panel').getBoundingClientRect();
  return e.top >= box.top - 1 && e.bottom <= box.bottom + 1;
}"""
# Scroll the article panel to whichever end is farther from the element.
SCROLL_AWAY = """id => {
  const panel = document.querySelector('.article-panel');
  const e = document.getElementById(id);
  panel.scrollTop = e.offsetTop > panel.scrollHeight / 2 ? 0 : panel.scrollHeight;
}"""
IN_WINDOW = """id => {
  const e = document.getElementById(id).getBoundingClientRect();
  return e.bottom > 0 && e.top < window.innerHeight;
}"""


def _scrolled_to(page, anchor: str, check: str) -> bool:
    """Wait (smooth scrolling takes a moment) until the element is in view."""
    try:
        page.wait_for_function(check, arg=anchor, timeout=5000)
    except PlaywrightTimeout:
        return False
    return True


def test_a_reader_asks_checks_sources_and_gets_honest_refusals(server, browser) -> None:
    url, data_dir = server
    chat = _open(browser, url, DESKTOP)
    page = chat.page
    assert "Ask the article" in page.locator("#intro").inner_text()

    chat.click_example(EXAMPLE_CANDIDATES[0])
    answer = chat.last_answer()
    assert "Israel" in answer.inner_text()
    cite = answer.locator("a.cite").first
    anchor = cite.get_attribute("href").removeprefix("#")
    # The panel already shows the answer's first passage; move it away so the click must scroll.
    page.evaluate(SCROLL_AWAY, anchor)
    assert not page.evaluate(IN_PANEL, anchor), "the passage is out of view before the click"
    cite.click()
    passage = page.locator(f".article-panel #{anchor}")
    page.wait_for_function(
        "id => document.getElementById(id).classList.contains('focus')", arg=anchor
    )
    assert passage.evaluate("e => e.tagName") == "MARK"  # highlighted as cited by this answer
    assert "Israel, Saudi Arabia" in passage.inner_text()
    assert _scrolled_to(page, anchor, IN_PANEL), "the cited passage is scrolled into view"

    answer.locator("a.copy-answer").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    # The answer as text (generated or quoted, whichever survived), without the page's markup.
    assert "Israel, Saudi Arabia" in copied and "<" not in copied
    assert "Sources: [1]" in copied and "Copy answer" not in copied
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "desktop-answer.png"))

    chat.ask(NOT_IN_ARTICLE)
    refusal = chat.last_answer()
    assert "The article doesn't mention “Pope”" in refusal.inner_text()
    assert refusal.locator("a.cite").count() >= 1  # a link to the closest passage
    # A declined reader is offered questions the article can answer; one click asks one.
    offered = chat.suggestions()
    assert 2 <= len(offered) <= 3, offered
    chat.click_suggestion(offered[0])
    assert page.locator('#chat [data-testid="user"]').last.inner_text() == offered[0]
    followed = chat.last_answer()
    assert "doesn't" not in followed.inner_text() and followed.locator("a.cite").count() >= 1

    chat.ask("What happened to offensive cyber operations?")  # cites the last section
    first = page.locator(".article-panel mark.cited").first.get_attribute("id")
    assert _scrolled_to(page, first, IN_PANEL), "the panel shows the new answer's passage"

    chat.ask("What approach does Trump take towards Russia?")
    chat.ask("And who defends it?")
    assert "Republican lawmakers" in chat.last_answer().inner_text()
    page.locator('#chat button[aria-label="Like"]').last.click()
    votes = _wait_for_votes(page, data_dir, 1)
    assert votes[-1]["vote"] == "up" and votes[-1]["question"] == "And who defends it?"
    assert votes[-1]["citations"][0]["text"].startswith("While administration officials")
    chat.ask("give me the short version")
    summary = chat.last_answer()
    said = re.sub(r"\[\d+\]", "", summary.inner_text().split("Sources:")[0])
    assert len(said.split()) <= 70 and summary.locator("a.cite").count() >= 2
    chat.ask("what was the title again?")  # the headline line itself is cited and marked
    assert chat.last_answer().inner_text().startswith("The headline is “U.S. Allies Rethink")
    assert page.locator(".article-panel h2 mark.cited").count() == 1
    page.screenshot(path=str(ARTIFACTS / "desktop-conversation.png"), full_page=True)

    chat.start_over()
    assert page.get_by_role("button", name=EXAMPLE_CANDIDATES[0]).is_visible()
    assert page.locator(".article-panel mark").count() == 0
    assert chat.other_hosts() == [], "the page loaded something from another host"


def test_a_casual_conversation_declines_only_what_the_article_lacks(server, browser) -> None:
    """The 16 turns of eval/browser_conversation.jsonl, typed in one conversation: the issue's
    bar, at most one answerable turn declined (today none; the closest, "wich contreis…", is
    0.02 above the threshold) and no not-answerable turn answered."""
    url, _ = server
    turns = converse(_open(browser, url, DESKTOP), load_conversation())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "conversation.md").write_text(conversation_report(turns) + "\n")
    counts = tally(turns)
    assert counts["answerable_declined"] <= 1, conversation_report(turns)
    assert counts["not_answerable_answered"] == 0, conversation_report(turns)


def test_a_question_sent_while_an_answer_streams_is_answered_next(server, browser) -> None:
    url, _ = server
    chat = _open(browser, url, DESKTOP)
    page, box = chat.page, chat.page.locator("#question textarea")
    box.fill("Who defends Trump's approach to Russia?")
    box.press("Enter")
    page.wait_for_selector('#chat [data-testid="bot"]')  # the first answer has started
    box.fill("Why are the allies worried?")
    box.press("Enter")
    page.wait_for_function("() => document.querySelector('.article-panel').dataset.turns === '2'")
    asked = page.locator('#chat [data-testid="user"]').all_inner_texts()
    assert asked == ["Who defends Trump's approach to Russia?", "Why are the allies worried?"]
    answers = page.locator('#chat [data-testid="bot"]').all_inner_texts()
    assert "Republican lawmakers" in answers[0] and "worries" in answers[1]


def test_on_a_phone_the_article_folds_under_the_chat(server, browser) -> None:
    url, _ = server
    chat = _open(browser, url, PHONE)
    page = chat.page
    chat.ask("Who defends Trump's approach to Russia?")
    chat_box = page.locator("#chat").bounding_box()
    panel = page.locator(".article-panel").bounding_box()
    assert panel["y"] >= chat_box["y"] + chat_box["height"], "article below the chat"
    assert panel["width"] <= PHONE["width"]
    cite = chat.last_answer().locator("a.cite").first
    anchor = cite.get_attribute("href").removeprefix("#")
    back = page.locator(".article-panel .to-chat")
    assert not back.is_visible(), "no floating button before a marker is tapped"
    cite.click()
    assert _scrolled_to(page, anchor, IN_WINDOW), "the page scrolled to the cited passage"
    # One tap brings the reader back: the button floats in view beside the passage.
    box = back.bounding_box()
    assert back.is_visible() and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone-passage.png"))
    page.screenshot(path=str(ARTIFACTS / "phone-full.png"), full_page=True)
    back.dispatch_event("click")  # a tap where it is, without Playwright scrolling anything
    assert _scrolled_to(page, "question", IN_WINDOW), "the button leads back to the question box"
    focused = "() => document.activeElement.closest('#question') !== null"
    assert page.evaluate(focused), "the question box has the focus, ready to type"
    assert not back.is_visible()
    assert chat.other_hosts() == []


# The contrast ratio (WCAG 2) of an element's text or icon colour against the first opaque
# background behind it.
CONTRAST = """e => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let back = e;
  while (back && (getComputedStyle(back).backgroundColor.endsWith(", 0)")
                  || getComputedStyle(back).backgroundColor === "transparent")) {
    back = back.parentElement;
  }
  const fg = lum(rgb(getComputedStyle(e).color));
  const bg = lum(rgb(back ? getComputedStyle(back).backgroundColor : "rgb(255,255,255)"));
  return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_answer_controls_are_legible_and_named_for_screen_readers(
    server, browser, theme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    url, _ = server
    context = browser.new_context(viewport=DESKTOP, color_scheme=theme)
    chat = ChatPage(context.new_page(), url)
    chat.open()
    chat.ask(EXAMPLE_CANDIDATES[0])
    page = chat.page
    violations = Axe().run(page).response["violations"]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    # Gradio's message names were raw HTML ("bot's message: <a class=...").
    names = page.evaluate(
        "() => [...document.querySelectorAll('#chat [aria-label]')].map(e => e.ariaLabel)"
    )
    answer = next(n for n in names if n.startswith("Answer: "))
    assert "Israel" in answer and "<" not in answer and "Copy answer" not in answer
    assert f"Question: {EXAMPLE_CANDIDATES[0]}" in names
    votes = page.locator("#chat button[aria-label='Like'], #chat button[aria-label='Dislike']")
    assert [b.get_attribute("aria-label") for b in votes.all()] == ["Like", "Dislike"]
    for control in [*votes.all(), chat.last_answer().locator("a.copy-answer")]:
        assert control.evaluate(CONTRAST) >= 4.5, control.evaluate("e => e.outerHTML")


def test_a_dead_language_model_server_gets_a_polite_message(browser, tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}/v1"  # nothing listens there
    env = {
        "RAG_DATA_DIR": str(tmp_path / "data"),
        "RAG_BACKEND": "openai",
        "RAG_BASE_URL": dead,
        "RAG_MODEL": "any-model",
    }
    with served(env, tmp_path / "serve.log") as server:
        chat = _open(browser, server.url, DESKTOP)
        assert f"(openai backend), served by {dead}" in chat.page.locator("#footer").inner_text()
        chat.ask("Who defends Trump's approach to Russia?")
        text = chat.last_answer().inner_text()
        assert text.startswith("Sorry, I couldn't answer that just now.")
        assert "cannot be reached" in text
        # The page stays usable: the next question gets its answer (this one needs no model).
        chat.ask(NOT_IN_ARTICLE)
        assert "The article doesn't mention “Pope”" in chat.last_answer().inner_text()


def _wait_for_votes(page, data_dir: Path, n: int) -> list[dict]:
    path = data_dir / "feedback.jsonl"
    for _ in range(50):
        if path.exists() and len(path.read_text().splitlines()) >= n:
            break
        page.wait_for_timeout(100)
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_blank_question_is_pointed_out_at_the_box(browser, server) -> None:
    url, _ = server
    chat = _open(browser, url, DESKTOP)
    chat.page.locator("#question textarea").fill("   ")
    chat.page.locator("#question textarea").press("Enter")
    message = chat.page.locator("#question div.validation-error")
    message.wait_for()
    assert message.inner_text() == "Please type a question about the article."
    assert message.get_attribute("role") == "alert"  # screen readers say it too
    assert chat.page.locator(BOT_MESSAGES).count() == 0


def test_markup_in_a_question_is_shown_as_text_and_never_runs(browser, server) -> None:
    url, _ = server
    chat = _open(browser, url, DESKTOP)
    dialogs: list[str] = []
    chat.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    question = (
        '<img src=x onerror="alert(1)"><script>alert(2)</script> '
        "[click](javascript:alert(3)) ![pic](http://evil.test/p.png) **Who** defends Trump?"
    )
    chat.ask(question)
    bubble = chat.page.locator("#chat .message-row.user-row").last
    assert bubble.inner_text().strip() == question  # exactly what was typed, as text
    live = bubble.locator("img, script, a")
    assert live.count() == 0, live.first.evaluate("e => e.outerHTML")
    chat.page.wait_for_timeout(500)
    assert dialogs == [] and chat.other_hosts() == []


def test_a_full_queue_says_busy_and_keeps_the_question(browser, tmp_path: Path) -> None:
    """The language model (a fake server here) holds every answer until the test releases it,
    so the queue stays full for as long as the test needs: no race with the queue draining."""
    with page_with_held_answers(tmp_path) as server:
        chat = _open(browser, server.url, DESKTOP)
        # Far more questions than the page answers at once plus its queue of one (Gradio
        # admits a few more than max_size when they arrive together): some are turned
        # away, which shows the queue is full, and it stays full while answers are held.
        clients = [Client(server.url, verbose=False) for _ in range(24)]
        busy = threading.Event()

        def flood(client: Client) -> None:
            if ask(client, "Why are the allies worried?").busy:
                busy.set()

        threads = [threading.Thread(target=flood, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        assert busy.wait(60), "the flood never filled the queue"
        assert _wait(lambda: len(FakeOpenAI.seen) >= CONCURRENCY), "no answer was held"
        question = "Who defends Trump's approach to Russia?"
        box = chat.page.locator("#question textarea")
        box.fill(question)
        box.press("Enter")
        chat.page.get_by_text("This application is currently busy. Please try again.").wait_for()
        assert box.input_value() == question
        # The notice explains; no "Error" badge hides the conversation or the question.
        badges = chat.page.locator("#chat .error, #question span.error, #article-box .error")
        assert all(not badges.nth(i).is_visible() for i in range(badges.count()))
        FakeOpenAI.release.set()
        for t in threads:
            t.join()
        chat.ask(question)  # once the others are answered, trying again works
        assert "Republican lawmakers" in chat.last_answer().inner_text()


def _wait(condition, seconds: float = 60) -> bool:
    """Poll until the condition holds (the event itself, not a guess at how long it takes)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False
