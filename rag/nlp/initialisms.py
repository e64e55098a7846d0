"""Initialisms a reader types for the articles' own names: "NSC" or "nsc" for "National
Security Council"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from wordfreq import zipf_frequency

from rag.nlp.names import name_phrases
from rag.nlp.words import STOPWORDS

# A lower-case token at least this frequent in general English is a word, not an initialism.
WORD_ZIPF = 3.0
# Two letters stand for too many things: "VP" would read as "Vladimir Putin", "SA" as "Saudi
# Arabia" for a reader who means South Africa.
MIN_LETTERS = 3
MAX_NAME_WORDS = 5  # the longest run of a name's words that an initialism stands for
_TOKEN = re.compile(rf"\b[A-Za-z]{{{MIN_LETTERS},6}}\b")
# Small words inside a name, which an initialism may skip or keep ("Department of Defense":
# DD or DOD).
_CONNECTORS = frozenset({"of", "and", "for", "the", "on", "in"})


class Initialisms:
    """The initialisms of the names in a set of texts, and the expansion of a question."""

    def __init__(self, texts: Iterable[str]) -> None:
        found: dict[str, set[str]] = {}
        for text in texts:
            for name in name_phrases(text):
                for phrase in _runs(name.split()):
                    for short in _initials(phrase):
                        found.setdefault(short, set()).add(" ".join(phrase))
        # An initialism of two different names is ambiguous, and left as typed.
        self.names = {short: next(iter(long)) for short, long in found.items() if len(long) == 1}

    def expand(self, text: str) -> str:
        """The text with each initialism of a name replaced by the name. A token in capitals
        is taken for an initialism (unless the whole text is in capitals), any other only when
        it is no English word."""
        shouting = text.isupper()
        return _TOKEN.sub(lambda m: self._long(m.group(), shouting), text)

    def _long(self, token: str, shouting: bool) -> str:
        name = self.names.get(token.upper())
        lower = token.lower()
        if name is None or lower in STOPWORDS:
            return token
        if token.isupper() and not shouting:
            return name
        return name if zipf_frequency(lower, "en") < WORD_ZIPF else token


def _runs(tokens: list[str]) -> Iterable[list[str]]:
    """Each run of two to MAX_NAME_WORDS words of a name that starts and ends with a capital."""
    for i, first in enumerate(tokens):
        if not first[:1].isupper():
            continue
        for j in range(i + 1, min(i + MAX_NAME_WORDS, len(tokens))):
            if tokens[j][:1].isupper():
                yield tokens[i : j + 1]


def _initials(phrase: list[str]) -> set[str]:
    """The initialisms of a phrase: its capitals' first letters, with or without its small
    connecting words' ("DD", "DOD")."""
    if not all(w[:1].isupper() or w.lower() in _CONNECTORS for w in phrase):
        return set()
    capitals = "".join(w[0] for w in phrase if w[:1].isupper()).upper()
    every = "".join(w[0] for w in phrase).upper()
    return {short for short in (capitals, every) if len(short) >= MIN_LETTERS}
