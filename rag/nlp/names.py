"""Names: capitalized words and phrases of a text, as written or in normal form."""

from __future__ import annotations

import re

from rag.nlp.sentences import ABBREVIATIONS
from rag.nlp.words import MONTHS, STOPWORDS, sentence_initial, words

_NAME = re.compile(r"\b[A-Z][\w’'.-]*(?:\s+(?:of\s+)?[A-Z][\w’'.-]*)*")


def names(text: str) -> set[str]:
    """Capitalized words or phrases that are not just the first word of a sentence, lower-cased."""
    found = set()
    for _, phrase in name_starts(text):
        found.update(w for w in words(phrase.rstrip(".")) if w not in STOPWORDS and len(w) > 1)
    return found


def name_starts(text: str) -> list[tuple[int, str]]:
    """(offset, phrase) of each capitalized phrase, without a capital that only starts a
    sentence."""
    found = []
    for m in _NAME.finditer(text):
        start, phrase = m.start(), m.group()
        if sentence_initial(text, start):
            # "Some Republican lawmakers": the words after the capital that starts a sentence.
            first = re.match(r"\S+\s+", phrase)
            if not first:
                continue
            start, phrase = start + first.end(), phrase[first.end() :]
        found.append((start, phrase))
    return found


def name_phrases(text: str) -> list[str]:
    """Names as written ("Saudi Arabia", "President Donald Trump"), in order: not a sentence's
    capitalized first word, not a possessive 's or a full stop."""
    found = []
    for match in _NAME.finditer(text):
        initial = sentence_initial(text, match.start())
        # A match can run over a sentence end ("Russia. Reports"): cut it there.
        phrase: list[str] = []
        for token in match.group().split():
            # "Russia." ends a sentence; "U.S." and "Dr." do not.
            ends = (
                token.endswith(".")
                and "." not in token[:-1]
                and token.lower().rstrip(".") not in ABBREVIATIONS
            )
            phrase.append(token[:-1] if ends else token)
            if ends:
                _add_name(found, phrase, initial)
                phrase, initial = [], True
        _add_name(found, phrase, initial)
    return found


def _add_name(found: list[str], phrase: list[str], initial: bool) -> None:
    if initial:
        phrase = phrase[1:]  # "Reports suggest...": a capital that only starts the sentence
    name = re.sub(r"[’']s$", "", " ".join(phrase))
    if len(name) > 1 and name.lower() not in STOPWORDS and name.lower() not in MONTHS:
        found.append(name)
