"""What kind of answer a question asks for, and whether a text holds one."""

from __future__ import annotations

import re

from lemminflect import getAllLemmas

from rag.answer.question import Question
from rag.nlp.names import name_starts, names
from rag.nlp.words import MONTH_NAMES, STOPWORDS, content_words, numbers, stem, words

# Words for people and groups: a "who" question can be answered by these as well as by names.
PEOPLE_WORDS = frozenset(
    stem(w)
    for w in """official officials spokesperson spokesman spokeswoman lawmaker lawmakers
    expert experts president minister leader leaders agent agents ally allies government
    administration agency agencies analyst analysts member members people country countries
    council senator senators diplomat diplomats partner partners critic critics adversary
    adversaries""".split()
)
_TIME_WORDS = re.compile(
    r"\b(\d{4}|\d{1,2}(st|nd|rd|th)|yesterday|today|tomorrow|ago|"
    r"last (week|month|year)|next (week|month|year)|" + "|".join(MONTH_NAMES) + r")\b",
    re.IGNORECASE,
)


# "Which experts ...": the kind of thing asked for follows "which".
_WHICH = re.compile(r"\bwhich\b", re.IGNORECASE)
_TOKEN = re.compile(r"[\w’'.-]+")
# Named instances follow the word for their kind within a few words, in apposition or a list:
# "allies, including Israel", "between Washington and Moscow", "members of the Five Eyes".
NAMED_WITHIN = 3
# "Which one(s)?" points back at what was said; it names no kind of its own.
POINTING_WORDS = frozenset({"one", "ones"})


def asked_kind(question: str) -> str:
    """The noun phrase after 'which' up to its noun ("former experts" in "which former experts
    said that"), or "". The phrase ends at a function word, an adverb or a word that is only a
    verb."""
    m = _WHICH.search(question)
    if not m:
        return ""
    phrase: list[str] = []
    kind = 0  # words of the phrase up to its last noun
    for token in re.findall(r"[\w’'-]+", question[m.end() :].lower())[:4]:
        if token in STOPWORDS:
            break
        # A compound modifier ("intelligence-sharing initiative") is not a verb.
        lemmas = getAllLemmas(token) if "-" not in token else {"ADJ": ()}
        if "ADV" in lemmas or (lemmas and not {"NOUN", "ADJ"} & set(lemmas)):
            break
        phrase.append(token)
        if "NOUN" in lemmas and token not in POINTING_WORDS:
            kind = len(phrase)
    return " ".join(phrase[:kind])


def names_none_of_kind(question: str, texts: list[str]) -> bool:
    """True when the question asks 'which <kind>' and the texts mention that kind, but never
    with a name (beyond the question's own) right before or after it: "which experts" over
    "...raised eyebrows among experts and former officials" is a detail the text does not
    give; "which lawmakers" over "some Republican lawmakers" is answered."""
    kind = asked_kind(question)
    if not kind:
        return False
    asked, wanted = set(words(question)), stem(kind.split()[-1])
    mentioned = False
    for text in texts:
        fresh = [
            (at, at + len(name)) for at, name in name_starts(text) if not set(words(name)) <= asked
        ]
        tokens = list(_TOKEN.finditer(text))
        for i, token in enumerate(tokens):
            if stem(token.group().lower().rstrip(".’'")) != wanted:
                continue
            mentioned = True
            # A name just before the word names the group too: "Republican lawmakers", "the
            # White House spokesperson".
            start = tokens[i - 1].start() if i else token.start()
            end = tokens[min(i + NAMED_WITHIN, len(tokens) - 1)].end()
            if any(
                begin < end and finish > start and begin != token.start() for begin, finish in fresh
            ):
                return False
    return mentioned


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
