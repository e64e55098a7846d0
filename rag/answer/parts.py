"""Two questions in one ("which allies are mulling this and when will they decide"): the parts,
so the part the article answers is answered and the other is said to be missing."""

from __future__ import annotations

import re

from rag.nlp.words import content_words

# "..., and when/why/how many/is/does ..." starts a second question: general English question
# openers after a coordinating "and" (or "but", "plus", "also").
_SECOND_QUESTION = re.compile(
    r"^(?P<first>.+?)\s*,?\s+(?:and|but|plus|also|&)\s+(?:also\s+)?"
    r"(?P<second>(?:(?:for|since|until|by|from|with|to)\s+)?"
    r"(?:what|when|where|who|whom|whose|which|why|how|is|are|was|were|do|does|did|"
    r"can|could|will|would|has|have|had)\b.*)$",
    re.IGNORECASE,
)
# How the first part starts when it is a question of its own.
_FIRST_QUESTION = re.compile(
    r"^(?:what|when|where|who|whom|whose|which|why|how|is|are|was|were|do|does|did)\b",
    re.IGNORECASE,
)


def two_parts(question: str) -> tuple[str, str] | None:
    """The two questions of a question that asks two things, each with words of its own
    ("…and why?" alone is one question that asks for a reason), or None."""
    m = _SECOND_QUESTION.match(question.strip())
    if not m:
        return None
    first, second = m.group("first").strip(" ,"), m.group("second").strip()
    # The first part must be a question too ("Israel and who else?" is not two questions).
    if not _FIRST_QUESTION.match(first):
        return None
    if not content_words(first) or not content_words(second):
        return None
    return first, second


def missing_part_note(part: str) -> str:
    """The sentence added after the answered part: the other part, as asked, is not answered."""
    return f"The article doesn't answer the other part, “{part.rstrip('?.! ')}”."
