"""One chat turn: stream the answerer's events into the conversation, and record the turn."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import asdict

from rag.answer.answerer import SEARCHING, Answerer
from rag.answer.chain import AnswerChain
from rag.answer.question import MAX_QUESTION_CHARS, QuestionError
from rag.answer.reply import Answer
from rag.llm import LLMError
from ui.render import answer_message, escape, streaming_text

log = logging.getLogger(__name__)


def respond(
    answerer: Answerer, message: str, chat: list[dict], turns: list[dict]
) -> Iterator[tuple[list[dict], dict | None]]:
    """Stream one turn into the chat: a status line, verified sentences, the final answer.

    Yields (chat, None) while working, then (chat, turn) once: `turn` is the record of the
    question and answer (what feedback stores), with `index`, its message's place in the chat.
    """
    history = history_of(turns)
    chat = [
        *chat,
        {"role": "user", "content": escape(shown_question(message))},
        {"role": "assistant", "content": SEARCHING},  # shown before the answerer starts
    ]
    yield list(chat), None  # a copy per update: each yield is one state of the page
    shown: list[str] = []
    turn = {"question": message, "answer": "", "citations": [], "mode": "error"}
    try:
        chain = AnswerChain(answerer)
        for event in chain.stream({"question": message, "history": history}):
            if event.answer is not None:
                answer = event.answer
                chat[-1] = {"role": "assistant", "content": answer_message(answer)}
                turn = {
                    "question": answer.question,
                    "answer": answer.answer,
                    "citations": [asdict(c) for c in answer.citations],
                    "mode": answer.mode,
                }
                break
            if event.kind == "sentence":
                shown.append(event.text)
            chat[-1] = {"role": "assistant", "content": streaming_text(shown) or escape(event.text)}
            yield list(chat), None
    except QuestionError as err:
        turn["answer"] = str(err)
    except LLMError as err:
        log.warning("language model failed: %s", err)
        turn["answer"] = f"Sorry, I couldn't answer that just now. {err}"
    except Exception:
        log.exception("answering %r failed", message[:200])
        turn["answer"] = "Sorry, something went wrong on our side. Please try again."
    if turn["mode"] == "error":
        chat[-1] = {"role": "assistant", "content": escape(turn["answer"])}
    else:
        yield list(chat), None  # the answer is shown before the suggestions are looked for
        offered = suggested(answerer, answer, turns)
        if offered:
            chat[-1] = {**chat[-1], "options": [{"value": q} for q in offered]}
        turn["suggestions"] = offered
    yield chat, {**turn, "backend": answerer.backend, "index": len(chat) - 1}


def suggested(answerer: Answerer, answer: Answer, turns: list[dict]) -> list[str]:
    """Questions to offer under the answer (clickable); none if looking for them fails."""
    try:
        return answerer.suggest(answer, [t["question"] for t in turns])
    except Exception:  # the answer is already shown: a failure here must not replace it
        log.exception("suggesting questions after %r failed", answer.question[:200])
        return []


def history_of(turns: list[dict]) -> list[dict]:
    """Earlier turns as the conversation the answerer reads: question, answer, in order."""
    history = []
    for t in turns:
        history += [
            {"role": "user", "content": t["question"]},
            {"role": "assistant", "content": t["answer"]},
        ]
    return history


def shown_question(message: str, limit: int = 2 * MAX_QUESTION_CHARS) -> str:
    """The question as echoed in the chat: cut short when huge (the answer says it is too
    long), with undecodable characters replaced so the page can always send it."""
    text = message if len(message) <= limit else message[:limit] + "…"
    return text.encode("utf-8", "replace").decode("utf-8")
