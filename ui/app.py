"""The chat page: `build_app(page) -> gr.Blocks`, its layout and handlers (no answering)."""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from rag.answer.answerer import Answerer
from rag.llm import LLMError
from rag.settings import Settings
from ui.article import Article, load_articles
from ui.chat import history_of, respond
from ui.feedback import FeedbackLog
from ui.render import article_panel, escape

log = logging.getLogger(__name__)

CONCURRENCY = 4  # turns answered at once; the llama.cpp model itself serves one at a time
STATIC = Path(__file__).parent / "static"
# Offered on the empty chat; kept only when the index passes the gate for them, so another
# article in seeds/ is not shown questions about this one.
EXAMPLE_CANDIDATES = [
    "Which allies are rethinking intelligence sharing with the United States?",
    "Who defends Trump's approach to Russia?",
    "Why are the allies worried?",
]
NO_QUESTION = "Please type a question about the article."
SUMMARY_QUESTION = "What is this article about?"
SYSTEM_FONTS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica", "Arial"]
MONO_FONTS = ["ui-monospace", "Consolas", "Menlo", "monospace"]


@dataclass
class Page:
    """What the page's handlers need: the answering pipeline, the articles, the feedback log."""

    answerer: Answerer
    articles: dict[str, Article]
    feedback: FeedbackLog
    examples: list[str]

    @classmethod
    def load(cls, answerer: Answerer, settings: Settings) -> Page:
        """Lay out the indexed seed files and pick the example questions the index can answer."""
        articles = load_articles(settings.seeds_dir, answerer.retriever.passages)
        examples = [q for q in EXAMPLE_CANDIDATES if answerer.would_answer(q)]
        # The model's first answer is 2-4 times slower than later ones (buffers, prompt cache);
        # pay for it here rather than on the first reader's question.
        try:
            answerer.suggest(answerer.ask(examples[0] if examples else SUMMARY_QUESTION), [])
        except LLMError as err:
            log.warning("the language model failed its first question: %s", err)
        return cls(
            answerer, articles, FeedbackLog(settings.data_dir), [*examples, SUMMARY_QUESTION]
        )

    @property
    def title(self) -> str:
        if len(self.articles) == 1:
            return next(iter(self.articles.values())).title
        return f"{len(self.articles)} articles"

    def panel(self, turns: list[dict]) -> str:
        """The article panel after these finished turns: the articles cited in them, in order of
        first citation (else the first article), the latest turn's citations highlighted."""
        sources = dict.fromkeys(c["source"] for t in turns for c in t["citations"])
        shown = [self.articles[s] for s in sources if s in self.articles]
        if not shown and self.articles:
            shown = [next(iter(self.articles.values()))]
        latest = turns[-1]["citations"] if turns else []
        cited = {(c["source"], c["start"]): c["n"] for c in latest}
        return article_panel(shown, cited, len(turns))

    def submit(
        self, message: str, chat: list[dict] | None, past: list[dict] | None
    ) -> Iterator[tuple]:
        """The page's updates for one question: (chat, question box, article panel, finished
        turns). Parts that do not change are gr.skip()."""
        past = past or []
        if is_blank(message):
            # check_question stops this before the queue; here for callers that skip it.
            raise gr.Error(NO_QUESTION, title="No question")
        box = ""  # cleared once: what the reader types meanwhile is theirs
        for shown, turn in respond(self.answerer, message, chat or [], past):
            if turn is None:
                yield shown, box, gr.skip(), gr.skip()
                box = gr.skip()
                continue
            done = [*past, turn]
            yield shown, box, self.panel(done), done

    def vote(self, past: list[dict], index: Any, liked: Any) -> dict | None:
        """Save a reader's vote on the answer at chat message `index`; None if there is none."""
        turn = next((t for t in past or [] if t["index"] == index), None)
        if turn is None:
            return None
        earlier = [t for t in past if t["index"] < index]
        kept = {k: v for k, v in turn.items() if k != "index"}
        return self.feedback.record(vote_name(liked), {**kept, "history": history_of(earlier)})


def check_question(message: Any, chat: Any, past: Any) -> list:
    """Gradio's check before the queue: a blank question is pointed out at the box itself."""
    ok = not is_blank(message)
    return [gr.validate(ok, NO_QUESTION), gr.validate(True, ""), gr.validate(True, "")]


def is_blank(message: Any) -> bool:
    """No question at all: nothing, not text, or only white space."""
    return not isinstance(message, str) or not message.strip()


def vote_name(liked: Any) -> str:
    """'up', 'down', or Gradio's own label for any other feedback option."""
    return "up" if liked is True else "down" if liked is False else str(liked)


def footer(answerer: Answerer) -> str:
    """One line naming the model and backend, and where the questions go."""
    kind, _, model = answerer.backend.partition(":")
    settings = answerer.settings
    where = (
        "running on this machine; nothing you type leaves it"
        if kind == "embedded"
        else f"served by {settings.base_url or 'the configured server'}"
    )
    return f"Answers by {html.escape(model)} ({html.escape(kind)} backend), {html.escape(where)}."


def build_app(page: Page) -> gr.Blocks:
    """The chat page: conversation and article side by side (stacked on a phone)."""
    answerer = page.answerer
    with gr.Blocks(title=f"Ask the article: {page.title}", analytics_enabled=False) as app:
        gr.Markdown(
            f"# Ask the article\n**{escape(page.title)}**. Ask a question in plain words. "
            "Each answer shows where it comes from: click a number such as [1] to see the "
            "passage in the article. If the article doesn't say, you'll be told.",
            elem_id="intro",
        )
        turns = gr.State([])  # finished turns of this conversation, for follow-ups and votes
        with gr.Row():
            with gr.Column(scale=3, min_width=340):
                chatbot = gr.Chatbot(
                    elem_id="chat",
                    show_label=False,
                    height="62vh",
                    buttons=[],
                    placeholder="**Try one of these questions, or type your own below.**",
                    examples=[{"text": q} for q in page.examples],
                    feedback_options=("Like", "Dislike"),
                )
                with gr.Row():
                    box = gr.Textbox(
                        placeholder="Ask a question about the article",
                        label="Your question",
                        show_label=False,
                        scale=5,
                        max_length=4000,
                        elem_id="question",
                    )
                    ask = gr.Button("Ask", variant="primary", scale=1, min_width=80)
                new = gr.Button("New conversation", size="sm", elem_id="new-conversation")
            with gr.Column(scale=2, min_width=340):
                panel = gr.HTML(page.panel([]), elem_id="article-box", js_on_load=None)
        gr.HTML(f'<p id="footer">{footer(answerer)}</p>', js_on_load=None)

        outputs = [chatbot, box, panel, turns]

        def on_example(chat: list[dict], past: list[dict], data: gr.SelectData):
            yield from page.submit(data.value["text"], chat, past)

        def on_suggestion(chat: list[dict], past: list[dict], data: gr.SelectData):
            yield from page.submit(data.value, chat, past)

        def on_vote(past: list[dict], data: gr.LikeData) -> None:
            try:
                saved = page.vote(past, data.index, data.liked)
            except OSError as err:  # a full disk or a read-only data folder
                log.warning("could not save a vote in %s: %s", page.feedback.path, err)
                gr.Warning("Sorry, your vote could not be saved.")
                return
            if saved:
                gr.Info("Thank you: your vote was saved on this machine.")

        inputs = [chatbot, turns]
        answering = {
            "concurrency_limit": CONCURRENCY,
            # The page shows its own progress ("Searching the article..."); Gradio adds only its
            # small "queue: 2/5" line while a question waits, not an overlay over the chat.
            "show_progress": "minimal",
        }
        # One public API endpoint, /ask (gradio_client: predict(question, chat, api_name="/ask"));
        # the other events serve only the page.
        box.submit(
            page.submit,
            [box, *inputs],
            outputs,
            api_name="ask",
            validator=check_question,
            trigger_mode="always_last",  # a question sent mid-answer runs next, not dropped
            **answering,
        )
        private = {"api_visibility": "private"}
        ask.click(
            page.submit,
            [box, *inputs],
            outputs,
            validator=check_question,
            trigger_mode="always_last",
            **answering,
            **private,
        )
        chatbot.example_select(on_example, inputs, outputs, **answering, **private)
        # The questions suggested under an answer (message options) are asked when clicked.
        chatbot.option_select(on_suggestion, inputs, outputs, **answering, **private)
        chatbot.like(on_vote, [turns], None, **private)

        def start_over() -> tuple:
            return [], "", page.panel([]), []

        new.click(start_over, None, outputs, **private)
        chatbot.clear(start_over, None, outputs, **private)  # the chat's own bin icon
    return app
