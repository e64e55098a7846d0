"""The one sentence splitter: article paragraphs, generated answers and evaluated answers."""

from __future__ import annotations

import re
from collections.abc import Iterator

# Words that end in a period without ending a sentence (titles included, so "Gen. Smith" and
# "Sen. Jones" stay whole in sentences and in names).
ABBREVIATIONS = frozenset("mr mrs ms dr st jr sr vs etc e.g i.e no gen gov sen rep prof".split())
# A sentence ends at . ! or ? (plus closing quotes or brackets, and any citation markers such
# as "[1]" or "[1, 2]" that belong to it) followed by whitespace.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*(?:\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\])*(?=\s)")
# How a finished text ends: its last mark (an ellipsis too, where a writer stops on purpose)
# and any closing quotes; checked on text whose citation markers are already removed.
_FINISHED = re.compile(r"[.!?…][\"'”’)]*$")


def sentence_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence in text[start:end], without surrounding whitespace."""
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if _is_abbreviation(text, cursor, match.start()):
            continue
        nxt = _skip_space(text, match.end(), end)
        # Lower case goes on the same sentence; so does a citation marker still being written
        # ("... ends. [1" while an answer streams).
        if nxt < end and (text[nxt].islower() or text[nxt] == "["):
            continue
        yield cursor, match.end()
        cursor = nxt
    tail_start = _skip_space(text, cursor, end)
    tail_end = end
    while tail_end > tail_start and text[tail_end - 1].isspace():
        tail_end -= 1
    if tail_end > tail_start:
        yield tail_start, tail_end


def split_sentences(text: str) -> list[str]:
    """The sentences of a text, in order."""
    return [text[s:e] for s, e in sentence_spans(text, 0, len(text))]


def ends_a_sentence(text: str) -> bool:
    """True when text ends like a finished sentence, not cut off mid-clause."""
    return bool(_FINISHED.search(text))


def _is_abbreviation(text: str, sentence_start: int, period: int) -> bool:
    """True when the period at `period` closes an abbreviation such as U.S. or Dr."""
    word_start = period
    while word_start > sentence_start and not text[word_start - 1].isspace():
        word_start -= 1
    word = text[word_start:period].lower().lstrip("(\"'“‘")
    return word in ABBREVIATIONS or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos
