"""'What is <term>?': the term asked about, and whether a text defines it or only uses it."""

from __future__ import annotations

import re

from rag.nlp.vocabulary import specificity
from rag.nlp.words import STOPWORDS, words

# "what is X", "what's an X", "what are X", "what does X mean (here)", "what does it mean by
# X", "what is meant by X", "define X", "meaning of X": general English forms of asking what a
# term is.
_TERM_QUESTION = re.compile(
    r"^\s*(?:(?:so|and|ok|okay),?\s+)?(?:"
    r"(?:what|wat|wht)\s+(?:does|do|did)\s+(?:it|they|he|she|the\s+\w+)\s+mean\s+by\s+(?P<d>.+?)"
    r"|(?:what|wat|wht)\s*(?:'s|’s|\s+is|\s+was)\s+meant\s+by\s+(?P<e>.+?)"
    r"|(?:what|wat|wht)\s*(?:'s|’s|\s+is|\s+are|\s+was|\s+were)\s+(?P<a>.+?)"
    r"|(?:what|wat|wht)\s+(?:does|do|did)\s+(?P<b>.+?)\s+(?:mean|stand\s+for)"
    r"(?:\s+(?:here|there|in\s+(?:this|the)\s+(?:article|piece|story|text|context)))?"
    r"|(?:define|meaning\s+of|definition\s+of)\s+(?P<c>.+?)"
    r")\s*[?.!]*\s*$",
    re.IGNORECASE,
)
_ARTICLE = re.compile(r"^(?:a|an|the|this|that|these|those)\s+", re.IGNORECASE)
# After "mean by", a preposition belongs to the phrase the term was lifted from ("in flux").
_PREPOSITION = re.compile(r"^(?:in|of|on|at)\s+", re.IGNORECASE)
_QUOTES = "\"'“”‘’"
MAX_TERM_WORDS = 4
# A term has a word rarer than everyday English (wordfreq zipf below 4, as "détente" or
# "recalibration"), or a name: "what are the risks?" asks about the text, not a term.
TERM_SPECIFICITY = 0.5
# How a text says what a term is: "X is a ...", "X, an alliance of ...", "X (the ...)",
# "X refers to", "X means", "known as X", "called X".
_DEFINING_AFTER = (
    r"(?:\s+(?:is|are|was|were)\s+(?:a|an|the)\b|\s*,\s*(?:a|an|the)\b|\s*\("
    r"|\s+(?:refers?\s+to|means?|stands?\s+for)\b)"
)
_DEFINING_BEFORE = r"(?:known\s+as|called|termed|dubbed)\s+(?:the\s+)?"


def term_asked(question: str) -> str | None:
    """The term a 'what is X?' question asks about ("Five Eyes alliance"), or None when the
    question asks something else ("what is the section about", "what is Trump's approach to
    Russia")."""
    m = _TERM_QUESTION.match(question)
    if not m:
        return None
    asked = next(g for g in m.groups() if g).strip()
    quoted = asked[:1] in _QUOTES
    asked = asked.strip(_QUOTES + " ")
    if m["d"] or m["e"]:
        asked = _PREPOSITION.sub("", asked)
    term = _ARTICLE.sub("", asked).strip(_QUOTES + " ")
    tokens = words(term)
    # A term is a few words with no function word inside: "about", "to", "between" make it a
    # question about something said, not about what a word means.
    if not tokens or len(tokens) > MAX_TERM_WORDS or any(t in STOPWORDS for t in tokens):
        return None
    # Quotation marks say the reader asks about the word as written, however common it is.
    if not (
        quoted or any(c.isupper() for c in term) or max(map(specificity, tokens)) > TERM_SPECIFICITY
    ):
        return None
    return term


def uses(term: str, text: str) -> bool:
    """The text has every word of the term, in any case."""
    return set(words(term)) <= set(words(text))


def used_undefined(term: str, texts: list[str]) -> bool:
    """The texts use the term and none of them defines it."""
    return any(uses(term, t) for t in texts) and not any(defines(term, t) for t in texts)


def defines(term: str, text: str) -> bool:
    """The text says what the term is, in one of the usual defining forms."""
    name = r"\s+".join(re.escape(w) for w in term.split())
    quoted = rf"[{_QUOTES}]?{name}[{_QUOTES}]?"
    pattern = rf"\b{quoted}{_DEFINING_AFTER}|{_DEFINING_BEFORE}{quoted}"
    return re.search(pattern, text, re.IGNORECASE) is not None


def not_defined_note(term: str) -> str:
    """The sentence added when the article uses the term without defining it."""
    return f"The article doesn't define “{term}” further."
