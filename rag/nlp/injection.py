"""The one prompt-injection filter: text that speaks to the model instead of asking or telling.

Two directions, one module. A reader's question that tries to steer the assistant ("ignore the
article", "you are now...", "write a poem") is refused. A passage of a seed document that
addresses the model ("ignore previous instructions...") stays in the article but is never
retrieved, given to the model or quoted, so a planted instruction cannot steer the answers.
The passage test is narrower than the question test: a news article may well report that
someone was "told to ignore the rules"; a question has no reason to say such things to us."""

from __future__ import annotations

import re

_MODEL = r"(ai|a\.i\.|assistant|language model|chat ?bot|llm|gpt)"
# Narrow on purpose: a news article may well quote "ignore the rules" or report that "AI
# chatbots must tell users they are bots"; only text speaking to the model itself matches.
_DIRECTIVE = re.compile(
    r"\b(ignore|disregard|forget|override)\W+((all|any|the|of|these|those)\W+)*"
    r"(previous|prior|above|earlier|preceding|your|system)\W+(instructions?|prompts?)\b"
    r"|\b(system|developer|hidden) prompt\b"
    r"|\bnew instructions?\s*:"
    rf"|(^|[.!?:]\s+|\b(dear|attention|note to|message to|hey)\W+)(the\W+)?{_MODEL}\s*[,:]"
    r"|\byou\W+(must|should|will|are to)\W+(now\W+)?(say|tell|answer|reply|respond|claim|state)"
    r"\b.{0,40}\b(readers?|users?|everyone|anyone|questions?)\b",
    re.IGNORECASE | re.DOTALL,
)


def addresses_the_model(text: str) -> bool:
    """True when the text reads as an instruction to a language model."""
    return bool(_DIRECTIVE.search(text))


# Phrases that try to steer the model instead of asking about the article.
_STEERING = re.compile(
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instruction|prompt|rule|guideline|"
    r"above|previous|prior|article|context|everything)"
    r"|\b(system|initial|hidden|your)\s+(prompt|instructions?)\b"
    r"|\byou are (now|no longer)\b|\byou are (a|an|my)\b|\b(act|pretend|behave) (as|like|to be)\b"
    # Role play, however typed: "pretend ur a diplomat", "imagine you're the president".
    r"|\b(pretend|imagine)\W+(that\W+)?(you|u|ur)(\W*(are|r|re|were))?\W+(a|an|the)\b|\brole\W?play"
    r"|\b(answer|respond|reply|speak|talk|write) (as|like) (a|an)\b|^\W*(system|developer)\s*:"
    r"|\bnew instructions?\b|\bjailbreak\b"
    r"|\bdeveloper mode\b|\b(repeat|print|reveal|show|output)\b.{0,30}\b(prompt|instructions)\b"
    r"|\b(write|compose|generate)\b.{0,20}\b(poem|song|story|essay|code|joke|email|tweet)\b"
    r"|\btranslate\b|\bfrom now on\b",
    re.IGNORECASE | re.DOTALL,
)


def instructs_the_assistant(question: str) -> bool:
    """True when a reader's question tries to give the assistant orders or leave the article."""
    return bool(_STEERING.search(question))
