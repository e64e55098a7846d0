"""The answer/decline decision: a logistic model over measured signals, fitted on the tuning
questions (tools/fit_decision.py) and kept in decision.json beside this module."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rag.answer.answer_type import asked_kind
from rag.answer.question import Question
from rag.answer.signals import Signals

DECISION_FILE = "decision.json"
# Questions about the text as a whole (a summary, its names, its headline and headings, one
# section by its heading, how it ends or starts): answered.
WHOLE_TEXT = ("summary", "names", "title", "sections", "section", "ending", "opening")


@dataclass(frozen=True)
class GateDecision:
    """Whether the article can answer the question, and why not when it cannot."""

    answer: bool
    # "ok", "instruction", "vague", "low_relevance", "unknown_terms", "no_answer_type",
    # "unnamed", "opinion", "unconfirmed"
    reason: str
    detail: str = ""
    # The fitted model's belief that the article answers it; None when a rule decided.
    probability: float | None = None


@dataclass(frozen=True)
class DecisionModel:
    """P(the article answers) = sigmoid(bias + weights · signals); answer at >= threshold."""

    signals: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float

    @classmethod
    def from_dict(cls, data: dict) -> DecisionModel:
        """The model of a decision.json; refuses one fitted on other signals."""
        if list(data["signals"]) != Signals.names():
            raise ValueError(
                f"{DECISION_FILE} was fitted on other signals; refit it with "
                "`python -m tools.fit_decision`"
            )
        return cls(tuple(data["signals"]), tuple(data["weights"]), data["bias"], data["threshold"])

    def probability(self, signals: Signals) -> float:
        """How likely the article answers the question, 0..1."""
        z = self.bias + sum(w * x for w, x in zip(self.weights, signals.vector(), strict=True))
        return 1 / (1 + math.exp(-z))


@lru_cache(maxsize=1)
def fitted() -> dict:
    """The shipped decision.json: the model, and how it was fitted and cross-validated."""
    text = resources.files("rag.answer").joinpath(DECISION_FILE).read_text(encoding="utf-8")
    return json.loads(text)


def default_model() -> DecisionModel:
    """The shipped, fitted model."""
    return DecisionModel.from_dict(fitted())


def decide(
    q: Question, has_passages: bool, signals: Signals, missing: list[str], model: DecisionModel
) -> GateDecision:
    """Answer or decline, before any generation. Instructions are refused, questions about
    the article as a whole answered outright, and a question with no words of its own and no
    conversation to lean on is asked to say more; the rest is the fitted model's call, and a
    decline says why: a name or number the article never uses, an opinion asked for, a kind
    of answer no passage holds, a kind of thing it mentions but never names, an event it
    reports only as possible, or nothing close enough."""
    if q.intent == "instruction":
        return GateDecision(False, "instruction")
    if not has_passages:
        return GateDecision(False, "low_relevance", "the index is empty")
    if q.intent in WHOLE_TEXT:
        return GateDecision(True, "ok")
    if not signals.own_words and not signals.follow_up:
        return GateDecision(False, "vague")  # "why?" with nothing before it to lean on
    p = model.probability(signals)
    if p >= model.threshold:
        return GateDecision(True, "ok", probability=p)
    if missing:
        return GateDecision(False, "unknown_terms", ", ".join(missing), p)
    if signals.opinion:
        return GateDecision(False, "opinion", probability=p)
    if signals.answer_type_missing:
        return GateDecision(False, "no_answer_type", q.answer_type, p)
    if signals.unnamed_kind:
        return GateDecision(False, "unnamed", asked_kind(q.text), p)
    if signals.hedged_premise:
        return GateDecision(False, "unconfirmed", probability=p)
    return GateDecision(False, "low_relevance", probability=p)
