"""Typo correction against the words of the indexed articles and of general English (wordfreq's
commonest words), with rapidfuzz's edit distance: "balence" -> "balance", "alies" -> "allies".
Of equally close spellings, the one that sounds like the typo wins (jellyfish's Metaphone):
"wich" -> "which", not "with"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import jellyfish
from rapidfuzz import process
from rapidfuzz.distance import OSA
from wordfreq import top_n_list, zipf_frequency

from rag.nlp.words import STOPWORDS, sentence_initial

# A word at least this frequent in general English (Zipf scale) is taken as spelled on purpose;
# below it, a word close to one of the articles' words is taken for a typo of it.
KNOWN_ZIPF = 3.0
# Only a word rarer than this is corrected to another English word: rare names ("macron",
# "gabbard") are as frequent as common typos, and must stay what the reader typed.
ENGLISH_TYPO_ZIPF = 1.5
ENGLISH_WORDS = 30_000  # the commonest English words that a typo may be corrected to
# Letters of any script: split at "é", "détente" would lose its "tente" to "tent".
_TOKEN = re.compile(r"[^\W\d_]{2,}")
# The "n't" after "wasn", "shouldn": the stem of a negation, never a typo ("wasn" is one edit
# from "was", and correcting it would turn "wasn't" into "was't").
_NEGATION = re.compile(r"['’]t\b")


class Speller:
    """Corrects a reader's typos, preferring the articles' own words."""

    def __init__(self, corpus_words: Iterable[str]) -> None:
        self._corpus_set = frozenset(w.lower() for w in corpus_words if w.isalpha() and len(w) > 2)
        # Question and chat words ("which", "their", "because") are typed in every question,
        # whether or not the articles use them.
        chat = {w for w in STOPWORDS if w.isalpha() and len(w) > 2}
        self.corpus = sorted(self._corpus_set | chat)

    def correct(self, text: str) -> str:
        """The text with each misspelled word replaced by its nearest known spelling; a word
        capitalized mid-sentence is a name the reader meant, and is left alone."""
        return _TOKEN.sub(
            lambda m: (
                m.group()
                if _NEGATION.match(text, m.end())
                else self._word(
                    m.group(), m.group()[0].isupper() and not sentence_initial(text, m.start())
                )
            ),
            text,
        )

    def _word(self, word: str, named: bool) -> str:
        lower = word.lower()
        if named or lower in self._corpus_set or lower in STOPWORDS or len(lower) < 4:
            return word
        frequency = zipf_frequency(lower, "en")
        if frequency >= KNOWN_ZIPF:
            return word
        limit = 1 if len(lower) < 7 else 2
        lists = [self.corpus] + ([_english()] if frequency < ENGLISH_TYPO_ZIPF else [])
        for candidates in lists:
            found = process.extract(
                lower, candidates, scorer=OSA.distance, score_cutoff=limit, limit=None
            )
            if found:
                closest = min(distance for _, distance, _ in found)
                sound = jellyfish.metaphone(lower)
                tied = [c for c, distance, _ in found if distance == closest]
                return next((c for c in tied if jellyfish.metaphone(c) == sound), tied[0])
        return word


@lru_cache(maxsize=1)
def _english() -> list[str]:
    return [w for w in top_n_list("en", ENGLISH_WORDS) if w.isalpha() and len(w) > 2]
