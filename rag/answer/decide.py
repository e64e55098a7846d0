"""The answer/decline decision: can the retrieved passages answer this question at all?"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rag.answer.question import Question
from rag.nlp.names import names
from rag.nlp.words import (
    MONTH_NAMES,
    STOPWORDS,
    content_stems,
    content_words,
    edit_distance_at_most,
    numbers,
    stem,
)
from rag.tuning import TUNING

if TYPE_CHECKING:
    from rag.answer.retrieve import Hit

# Words that frame a question without naming its topic; their absence from the article is moot.
FRAME_WORDS = frozenset(
    """describe described describes named called call take taking taken besides else conclusion
    end still stuff might make makes made people change changes changed react reacted reaction
    way ways happen happened happening currently now today main point idea view views feel felt
    info detail details part parts role type overall basically generally behalf mean means
    meaning""".split()
)
# Words for people and groups: a "who" question can be answered by these as well as by names.
PEOPLE_WORDS = frozenset(
    stem(w)
    for w in """official officials spokesperson spokesman spokeswoman lawmaker lawmakers
    expert experts president minister leader leaders agent agents ally allies government
    administration agency agencies analyst analysts member members people country countries
    council senator senators diplomat diplomats partner partners critic critics adversary
    adversaries cybercriminals""".split()
)
_TIME_WORDS = re.compile(
    r"\b(\d{4}|\d{1,2}(st|nd|rd|th)|yesterday|today|tomorrow|ago|"
    r"last (week|month|year)|next (week|month|year)|" + "|".join(MONTH_NAMES) + r")\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class GateDecision:
    """Whether the article can answer the question, and why not when it cannot."""

    answer: bool
    reason: str  # "ok", "instruction", "low_relevance", "unknown_terms", "no_answer_type"
    detail: str = ""


class Vocabulary:
    """The stems the corpus uses, and whether a question word counts as one of them."""

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms = frozenset(terms)
        self._by_initial: dict[str, list[str]] = {}
        for term in sorted(self.terms):
            self._by_initial.setdefault(term[:1], []).append(term)

    def unfamiliar_words(self, text: str) -> tuple[list[str], list[str]]:
        """Question words that no passage uses, allowing for typos and word families:
        (names and numbers, other words)."""
        specific_words = names(text) | numbers(text)
        specific, vague = [], []
        for word in dict.fromkeys(content_words(text)):
            if word in FRAME_WORDS or self._known(word) or _misspelled_stopword(word):
                continue
            (specific if word in specific_words else vague).append(word)
        return specific, vague

    def _known(self, word: str) -> bool:
        """The corpus uses the word: same stem, a spelling one edit away (two for words of ten
        letters or more), or the same word family (intel/intelligence, skeptical/skepticism)."""
        s = stem(word)
        if s in self.terms:
            return True
        limit = 0 if len(s) < 4 else 1 if len(s) < 10 else 2
        for t in self._by_initial.get(s[:1], ()):
            if limit and abs(len(t) - len(s)) <= limit and edit_distance_at_most(s, t, limit):
                return True
            if _same_family(s, t):
                return True
        return False


def decide(
    question: Question,
    hits: list[Hit],
    vocabulary: Vocabulary,
    min_relevance: float,
) -> GateDecision:
    """Decide before any generation whether the retrieved passages can answer the question."""
    relevance = max((h.dense for h in hits), default=0.0)
    if question.intent == "instruction":
        return GateDecision(False, "instruction")
    if not hits:
        return GateDecision(False, "low_relevance", "the index is empty")
    if question.intent in ("summary", "names"):  # about the article as a whole
        return GateDecision(True, "ok")
    if relevance < min_relevance and not _covered(question.text, hits):
        specific, _ = vocabulary.unfamiliar_words(question.text)
        if specific:  # say which name the articles never use, not just "doesn't say"
            return GateDecision(False, "unknown_terms", ", ".join(specific))
        return GateDecision(False, "low_relevance", f"best similarity {relevance:.2f}")
    if question.answer_type != "any" and not any(
        answers_type(question, h.passage.page_content) for h in hits
    ):
        return GateDecision(False, "no_answer_type", question.answer_type)
    specific, vague = vocabulary.unfamiliar_words(question.text)
    # A name or number the articles never use means they are about something else; one or
    # two unfamiliar ordinary words are tolerated (casual wording) when a passage matches
    # closely.
    if specific or len(vague) > 2 or (vague and relevance < TUNING.close_match):
        return GateDecision(False, "unknown_terms", ", ".join(specific + vague))
    return GateDecision(True, "ok")


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


def _same_family(a: str, b: str) -> bool:
    """Stems of one word family: one a prefix of the other (intel, intelligence), a long shared
    beginning (skeptical, skepticism), or all but the last letter shared (history,
    historical); not words that are merely alike (sanction, sanctity)."""
    shared = len(os.path.commonprefix([a, b]))
    shorter = min(len(a), len(b))
    return shared >= 5 and (shared >= shorter - 1 or shared >= 7)


def _covered(question: str, hits: list[Hit]) -> bool:
    """True when one passage holds every content word of the question: two or more words, or
    a single name ("What about Israel?")."""
    asked = set(content_stems(question))
    if not asked:
        return False
    for h in hits:
        text = h.passage.page_content
        if asked <= set(content_stems(text)) and (
            len(asked) >= 2 or asked <= {stem(n) for n in names(text)}
        ):
            return True
    return False


def _misspelled_stopword(word: str) -> bool:
    """'wich', 'waht': a typo of a function word carries no topic."""
    return len(word) >= 3 and any(
        abs(len(word) - len(s)) <= 1 and s[:1] == word[:1] and edit_distance_at_most(word, s, 1)
        for s in _LONG_STOPWORDS
    )


_LONG_STOPWORDS = tuple(w for w in STOPWORDS if len(w) >= 4 and "'" not in w)
