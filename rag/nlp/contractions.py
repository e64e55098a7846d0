"""Letters and apostrophes that readers leave out of English words: "whats" -> "what's",
"thinkin" -> "thinking"."""

from __future__ import annotations

import re
from functools import cache

from lemminflect import getAllLemmas

from rag.nlp.words import STOPWORDS

_WORD = re.compile(r"\b[A-Za-z]+\b")


@cache
def _bare_forms() -> dict[str, str]:
    """The contractions of the stop-word list by their form without the apostrophe, where that
    form is no English word of its own ("dont", "whats", "hows"), so never "well", "ill",
    "its" or "were". lemminflect's lexicon says which forms are words: "hows" is only the
    plural of "how", the contraction's own first word. Built on first use: reading the
    lexicon takes a third of a second."""
    table = {}
    for contraction in STOPWORDS:
        if "'" not in contraction:
            continue
        bare = contraction.replace("'", "")
        lemmas = {lemma for found in getAllLemmas(bare).values() for lemma in found}
        if lemmas <= {contraction.split("'")[0]}:
            table[bare] = contraction
    return table


def restore_apostrophes(text: str) -> str:
    """The text with the apostrophe put back in contractions typed without one, keeping the
    letters as typed ("Whats" -> "What's", "didnt" -> "didn't"); every other word unchanged."""

    def restore(m: re.Match) -> str:
        word = m.group()
        contraction = _bare_forms().get(word.lower())
        if contraction is None:
            return word
        at = contraction.index("'")
        return word[:at] + "'" + word[at:]

    return _WORD.sub(restore, text)


# A word ending in "in" that is no English word of its own, typed for its "-ing" form.
_DROPPED_G = re.compile(r"\b[A-Za-z]{2,}[iI][nN]\b'?")


def restore_dropped_g(text: str) -> str:
    """The text with the g put back on "-in'" spellings of "-ing" forms ("thinkin",
    "pullin'" -> "thinking", "pulling"), where lemminflect knows the "-ing" form and not the
    typed word: "robin", "begin", "Putin" and "latin" stay."""

    def restore(m: re.Match) -> str:
        word = m.group().rstrip("'")
        if getAllLemmas(word.lower()) or not getAllLemmas(word.lower() + "g"):
            return m.group()
        return word + ("G" if word.isupper() else "g")

    return _DROPPED_G.sub(restore, text)
