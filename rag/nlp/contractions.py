"""Letters and apostrophes that readers leave out of English words: "whats" -> "what's",
"thinkin" -> "thinking", "y r u" -> "why are you"."""

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


# Chat spellings of words that carry a question's form ("y" asks why, "abt" what it is about).
# The `contractions` package's slang table lacks "y", "wat" and "cuz", and its `fix()` would
# also expand every contraction the later stages read ("what's"); these are general English.
_CHAT_SPELLINGS = {
    "u": "you",
    "ya": "you",
    "ur": "your",
    "r": "are",
    "y": "why",
    "abt": "about",
    "bout": "about",
    "bc": "because",
    "bcuz": "because",
    "cuz": "because",
    "coz": "because",
    "tho": "though",
    "altho": "although",
    "thru": "through",
    "b4": "before",
    "ppl": "people",
    "govt": "government",
    "wat": "what",
    "wut": "what",
    "wen": "when",
    "smth": "something",
    "sth": "something",
    "pls": "please",
    "plz": "please",
    "w/": "with",
}
# A whole word, not a letter of an initialism ("U.S.", "U-turn") or of a contraction.
_CHAT_WORD = re.compile(
    r"(?<![\w'’./-])(" + "|".join(re.escape(w) for w in _CHAT_SPELLINGS) + r")(?![\w'’/-]|\.\w)",
    re.IGNORECASE,
)


def expand_chat_spellings(text: str) -> str:
    """The text with chat spellings written out ("y r allies mad abt it" -> "why are allies
    mad about it"), capitalized as typed; "U.S." and every other word unchanged."""

    def expand(m: re.Match) -> str:
        word = _CHAT_SPELLINGS[m.group().lower()]
        return word[0].upper() + word[1:] if m.group()[0].isupper() else word

    return _CHAT_WORD.sub(expand, text)
