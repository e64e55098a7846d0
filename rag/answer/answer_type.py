"""What kind of answer a question asks for, and whether a text holds one."""

from __future__ import annotations

import re

from rag.answer.question import Question
from rag.nlp.names import names
from rag.nlp.words import MONTH_NAMES, content_words, numbers, stem

# Words for people and groups: a "who" question can be answered by these as well as by names.
PEOPLE_WORDS = frozenset(
    stem(w)
    for w in """official officials spokesperson spokesman spokeswoman lawmaker lawmakers
    expert experts president minister leader leaders agent agents ally allies government
    administration agency agencies analyst analysts member members people country countries
    council senator senators diplomat diplomats partner partners critic critics adversary
    adversaries""".split()
)
_TIME_WORDS = re.compile(
    r"\b(\d{4}|\d{1,2}(st|nd|rd|th)|yesterday|today|tomorrow|ago|"
    r"last (week|month|year)|next (week|month|year)|" + "|".join(MONTH_NAMES) + r")\b",
    re.IGNORECASE,
)


def answers_type(question: Question, text: str) -> bool:
    """True when text holds the kind of thing the question asks for, beyond the question's own
    words: a name or people for 'who', a date for 'when', a number for 'how many'."""
    asked = set(content_words(question.text))
    if question.answer_type == "number":
        return bool(numbers(text) - asked - {"first", "second", "third"})
    if question.answer_type == "time":
        return any(m.group().lower() not in asked for m in _TIME_WORDS.finditer(text))
    fresh_names = names(text) - asked
    if question.answer_type == "place":
        return bool(fresh_names)
    # person
    people = {stem(w) for w in content_words(text)} & PEOPLE_WORDS - {stem(w) for w in asked}
    return bool(fresh_names or people)
