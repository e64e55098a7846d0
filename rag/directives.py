"""Text in a seed document that addresses the model instead of the reader ("ignore previous
instructions..."): such passages stay in the article but are never retrieved, given to the model
or quoted, so a planted instruction cannot steer the answers."""

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
