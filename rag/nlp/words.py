"""Words: tokens, the stop-word list, stems, numbers and edit distance, in one normal form."""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

import Stemmer
from lemminflect import getAllLemmas

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't could couldn't did didn't do does doesn't doing
    don't down during each few for from further had hadn't has hasn't have haven't having he he'd
    he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into
    is isn't it it's its itself just let's me more most mustn't my myself no nor not of off on once
    only or other ought our ours ourselves out over own same shan't she she'd she'll she's should
    shouldn't so some such than that that's the their theirs them themselves then there there's
    these they they'd they'll they're they've this those through to too under until up very was
    wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while
    who who's whom why why's will with won't would wouldn't you you'd you'll you're you've your
    yours yourself yourselves tell explain describe give say says said according article text story
    piece passage news report mention mentioned mentions please kind sort thing things stuff bit
    anything something really actually like get got gonna wanna u ur r pls plz thx ok okay hey hi
    hello does did do doing done know think tldr tl dr whats thats ya yeah abt bc cuz tho wut wat
    rn idk imo btw though although everyone everybody anyone anybody someone somebody
    everything""".split()
)
NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred hundreds thousand thousands million millions billion billions trillion percent
    dozen dozens half quarter first second third fourth fifth""".split()
)
# Small counts and positions, with which a reader points rather than states a figure ("which
# two capitals", "the first thing you said"): a question's figure to check is anything larger.
POINTING_NUMBERS = frozenset("one two three four five first second third fourth fifth".split())
# "may" is left out: far more often the verb than the month.
MONTH_NAMES = tuple(
    "january february march april june july august september october november december".split()
)
WEEKDAYS = tuple("monday tuesday wednesday thursday friday saturday sunday".split())
MONTHS = frozenset(MONTH_NAMES + WEEKDAYS)
# Country names, their abbreviations and demonyms, each mapped to one token.
_ALIASES = {
    **dict.fromkeys(
        [
            "united states of america",
            "united states",
            "usa",
            "us",
            "america",
            "american",
            "americans",
        ],
        "usa",
    ),
    **dict.fromkeys(["united kingdom", "uk", "britain", "great britain", "british"], "uk"),
    **{
        "russian": "russia",
        "russians": "russia",
        "israeli": "israel",
        "israelis": "israel",
        "chinese": "china",
        "ukrainian": "ukraine",
        "canadian": "canada",
        "french": "france",
        "german": "germany",
        "european": "europe",
        "saudis": "saudi",
    },
}
_ALIAS = re.compile(
    r"\bu\.s\.(?:a\.)?|\bu\.k\.|\b(?:"
    + "|".join(sorted((k for k in _ALIASES if k not in ("us", "uk")), key=len, reverse=True))
    + r")\b"
)
_UPPER_ALIAS = re.compile(r"\b(US|UK)\b")  # upper case only: "us" is also a pronoun
_ALIASES |= {"us": "usa", "usa": "usa", "uk": "uk"}
_local = threading.local()
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_YEAR_OR_NUMBER = re.compile(r"\d")


def normalize(text: str) -> str:
    """NFKC, straight quotes, no accents (readers type "detente" for "détente"), lower case,
    and one spelling per country (U.S. = America = usa): the form in which words are compared."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("‘", "'")
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        text = unicodedata.normalize("NFC", stripped)  # other scripts as they were
    text = _UPPER_ALIAS.sub(lambda m: m.group().lower() + "a" if m.group() == "US" else "uk", text)
    text = text.lower()
    return _ALIAS.sub(lambda m: _ALIASES[m.group().replace(".", "")], text)


def words(text: str) -> list[str]:
    """Lower-case word tokens; hyphenated words are split, possessive 's dropped."""
    out = []
    for token in _WORD.findall(normalize(text)):
        token = re.sub(r"'s$", "", token)
        out.append(token)
    return out


def stem(word: str) -> str:
    """The Snowball (Porter 2) stem of a word, so that word forms match (allies, ally)."""
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:  # a PyStemmer object is not thread-safe: one per thread
        stemmer = _local.stemmer = Stemmer.Stemmer("english")
    return stemmer.stemWord(word.lower())


def content_words(text: str) -> list[str]:
    """Words that carry meaning: not stop words or forms of one ("mentioning", "explains"),
    longer than one letter."""
    return [w for w in words(text) if not is_stopword(w) and (len(w) > 1 or w.isdigit())]


@lru_cache(maxsize=50_000)
def is_stopword(word: str) -> bool:
    """A stop word, or only an inflected form of one by lemminflect's lexicon: "mentioning"
    is "mention"; "given" is also an adjective of its own and "likely" no form of "like"."""
    if word in STOPWORDS:
        return True
    lemmas = {lemma for found in getAllLemmas(word).values() for lemma in found}
    return word not in lemmas and bool(lemmas & STOPWORDS)


def content_stems(text: str) -> list[str]:
    """Stems of the content words, in order."""
    return [stem(w) for w in content_words(text)]


def numbers(text: str) -> set[str]:
    """Numbers, number words, months and weekdays in the text, lower-cased. A capitalized number
    word mid-sentence is part of a name ("the Five Eyes"), not a count."""
    found = set()
    for m in _WORD.finditer(unicodedata.normalize("NFKC", text)):
        token = m.group()
        w = token.lower()
        counted = w in NUMBER_WORDS and (token.islower() or sentence_initial(text, m.start()))
        if counted or _YEAR_OR_NUMBER.search(w) or w in MONTHS:
            found.add(w)
    return found


def sentence_initial(text: str, pos: int) -> bool:
    before = text[:pos].rstrip()
    return not before or before[-1] in '.!?:"“('
