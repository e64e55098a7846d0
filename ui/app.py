"""The chat page: `build_app(answerer) -> gr.Blocks` and `main(settings)`; logic stays in rag/."""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator

import gradio as gr

from rag.answer import Answer, Answerer
from rag.config import Settings
from rag.llm import LLMError
from rag.question import QuestionError

log = logging.getLogger(__name__)

QUEUE_SIZE = 32  # waiting questions beyond this are told the page is busy
EXAMPLES = [
    "Which allies are rethinking intelligence sharing with the United States?",
    "Why are the allies worried?",
    "Who defends Trump's approach to Russia?",
    "What is this article about?",
]


def render_answer(answer: Answer) -> str:
    """The answer as Markdown, with each cited passage quoted under it."""
    lines = [html.escape(answer.answer, quote=False)]
    if answer.citations:
        lines.append("")
        label = "Closest passage" if answer.abstained else "Sources"
        lines.append(f"**{label}**")
        quoted = answer.mode in ("quoted", "summary")  # the answer already shows the text
        for c in answer.citations:
            text = "" if quoted else f": “{html.escape(c.text)}”"
            lines.append(f"> **[{c.n}]** {html.escape(c.section)}{text}")
            lines.append(">")
    return "\n".join(lines).rstrip(">\n")


def _text(content: object) -> str:
    """The text of a chat message's content (a string or a list of parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def respond(answerer: Answerer, message: str, history: list[dict]) -> Iterator[list[dict]]:
    """Stream one turn: the question, a status line, verified sentences, then the answer."""
    past = [{"role": m.get("role"), "content": _text(m.get("content"))} for m in history]
    chat = [
        *history,
        {"role": "user", "content": message},
        {"role": "assistant", "content": "Searching the article..."},
    ]
    yield list(chat)  # a copy per update: each yield is one state of the page
    shown: list[str] = []
    try:
        for event in answerer.stream(message, past):
            if event.kind == "status":
                chat[-1] = {"role": "assistant", "content": " ".join(shown) or event.text}
            elif event.kind == "sentence":
                shown.append(event.text)
                chat[-1] = {"role": "assistant", "content": " ".join(shown)}
            else:
                chat[-1] = {"role": "assistant", "content": render_answer(event.answer)}
            yield list(chat)
    except QuestionError as err:
        chat[-1] = {"role": "assistant", "content": str(err)}
        yield chat
    except LLMError as err:
        chat[-1] = {"role": "assistant", "content": f"Sorry, something went wrong: {err}"}
        yield chat


def build_app(answerer: Answerer, title: str = "Ask the article") -> gr.Blocks:
    """The chat page over one Answerer."""
    with gr.Blocks(title=title, analytics_enabled=False) as app:
        gr.Markdown(
            f"# {html.escape(title)}\nAsk a question in plain words. Every answer "
            "quotes or cites the passage of the article it comes from; when the article "
            "does not say, you are told so."
        )
        chatbot = gr.Chatbot(label="Conversation", height=480)
        box = gr.Textbox(placeholder="Type a question and press Enter", show_label=False)
        gr.Examples(EXAMPLES, inputs=box)
        clear = gr.Button("New conversation")
        gr.Markdown(f"<small>Model: {html.escape(answerer.backend)}</small>")

        def on_submit(message: str, history: list[dict]) -> Iterator[tuple[list[dict], str]]:
            for chat in respond(answerer, message, history or []):
                yield chat, ""

        box.submit(on_submit, [box, chatbot], [chatbot, box])
        clear.click(lambda: ([], ""), None, [chatbot, box])
    return app


def _title(answerer: Answerer) -> str:
    titles = {p.metadata.get("title") for p in answerer.retriever.passages}
    titles.discard(None)
    titles.discard("")
    return f"Ask the article: {titles.pop()}" if len(titles) == 1 else "Ask the articles"


def main(settings: Settings | None = None) -> int:
    """Load the pipeline and serve the page on settings.host:settings.port."""
    from rag.pipeline import load_answerer

    settings = settings or Settings.from_env()
    answerer = load_answerer(settings)
    app = build_app(answerer, _title(answerer))
    app.queue(max_size=QUEUE_SIZE)
    print(f"Serving on http://{settings.host}:{settings.port} (Ctrl+C to stop)")
    app.launch(
        server_name=settings.host,
        server_port=settings.port,
        share=False,
        show_error=False,
        quiet=True,
    )
    return 0
