"""An optional model judge (`--judge-base-url`, `--judge-model`): an OpenAI-compatible model
says whether each answer matches its reference and whether its cited passages state it.
Reported beside the offline metrics, never instead of them."""

from __future__ import annotations

import re
from dataclasses import replace

from langchain_core.messages import HumanMessage, SystemMessage

from rag.errors import ReaderError
from rag.llm import LLMError, make_chat_model, stream_text
from rag.settings import Settings

_SYSTEM = "You grade answers. Reply with one word: yes or no."
_CORRECT = (
    "Question: {question}\nReference answer: {reference}\nGiven answer: {answer}\n\n"
    "Does the given answer say what the reference answer says? Reply yes or no."
)
_FAITHFUL = (
    "Passages:\n{passages}\n\nAnswer: {answer}\n\n"
    "Is everything the answer claims stated in the passages? Reply yes or no."
)
_VERDICT = re.compile(r"\b(yes|no)\b", re.IGNORECASE)


def parse_verdict(reply: str) -> bool | None:
    """The first yes or no of a reply; None when it has neither."""
    match = _VERDICT.search(reply)
    return None if match is None else match.group(1).lower() == "yes"


class JudgeUsageError(ReaderError, ValueError):
    """The judge flags given wrong; the message says which."""

    exit_code = 2  # a usage error, like a bad flag


class Judge:
    """Asks a model served over the OpenAI API two yes/no questions per answered item."""

    def __init__(self, settings: Settings, base_url: str, model: str) -> None:
        judge_settings = replace(
            settings,
            backend="openai",
            base_url=base_url,
            model=model,
            max_tokens=4,
            temperature=0.0,
        )
        self.model = make_chat_model(judge_settings)
        self.name = f"{model} at {base_url}"

    def check(self) -> None:
        """One short request, so that a judge server that is down fails before the run."""
        try:
            "".join(stream_text(self.model, [SystemMessage(_SYSTEM), HumanMessage("Say yes.")]))
        except LLMError:
            raise LLMError(
                f"the judge model did not answer ({self.name}); check --judge-base-url, "
                "--judge-model and that the server is running"
            ) from None

    def grade(self, rows: list[dict]) -> dict:
        """Add judge_correct and judge_faithful (True, False or None) to every answered row,
        and return the judge's summary."""
        failures = 0
        for row in rows:
            if row["abstained"]:
                continue
            passages = "\n".join(f"[{c['n']}] {c['text']}" for c in row.get("citations", []))
            asks = {"judge_faithful": _FAITHFUL.format(passages=passages, answer=row["answer"])}
            if row["answerable"]:
                asks["judge_correct"] = _CORRECT.format(
                    question=row["question"],
                    reference=row["reference_answer"],
                    answer=row["answer"],
                )
            for key, prompt in asks.items():
                try:
                    reply = "".join(
                        stream_text(self.model, [SystemMessage(_SYSTEM), HumanMessage(prompt)])
                    )
                except LLMError:
                    failures += 1
                    reply = ""
                row[key] = parse_verdict(reply)
        judged = [r for r in rows if "judge_faithful" in r]

        def share(key: str) -> float | None:
            said = [r[key] for r in judged if r.get(key) is not None]
            return round(sum(said) / len(said), 4) if said else None

        return {
            "model": self.name,
            "items_judged": len(judged),
            "correct": share("judge_correct"),
            "faithful": share("judge_faithful"),
            "no_verdict": sum(
                r.get(k) is None
                for r in judged
                for k in ("judge_correct", "judge_faithful")
                if k in r
            ),
            "failed_requests": failures,
        }
