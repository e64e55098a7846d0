"""Check and classify a reader's question: clean text, expected answer type, intent, follow-up."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rag.answer.headings import layout_intent
from rag.errors import ReaderError
from rag.nlp.contractions import expand_chat_spellings, restore_apostrophes, restore_dropped_g
from rag.nlp.injection import instructs_the_assistant
from rag.nlp.words import content_words, words

MAX_QUESTION_CHARS = 1000
_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")
# Adverbs that a reader puts before "about" without narrowing it: "what's it even about".
_FILLER = r"( (all|even|really|actually|mainly|mostly|basically|exactly|generally))?"
_SUMMARY = re.compile(
    r"\b(summar\w*|tl;?dr|gist|overview|main (point|idea|message|takeaway)s?|key points?)\b"
    rf"|\bwhat('s| is) (this|the) (article|story|piece|text){_FILLER} about\b"
    rf"|\bwhat('s| is| was) it{_FILLER} about\b"
    # "what's going on here?": the gist, when nothing narrows it to a topic.
    r"|^\W*((so|ok|okay)\W+)?what('s| is) (going on|happening)"
    r"( here| in (this|the) (article|story|piece|text))?\W*(basically)?\W*$"
    r"|\bexplain (it|this|that)?\s*(like i'?m \w+|simply|in simple (terms|words))"
    r"|\beli5\b|\bshort version\b|\bin a nutshell\b|\bsum (it|this|that|the \w+) up\b"
    r"|\b\w+[- ](sentence|line|paragraph) (version|summary|recap)\b",
    re.IGNORECASE,
)
# Questions about where the text ends or begins, not about a topic.
_TEXT = r"(it|the (article|story|piece|text|report)|this (article|story|piece))"
_ENDING = re.compile(
    rf"\bhow does {_TEXT} (end|finish|wrap up|conclude)\b|\b(the )?(ending|conclusion)\b"
    r"|\b(end|close) of (the|this) (article|story|piece|text)\b"
    r"|\b(last|final|closing|concluding) (paragraphs?|part|bit|lines?|section|sentences?)\b",
    re.IGNORECASE,
)
# "whats the final paragraph say", "on what note does the last paragraph close": a verb or
# two besides the place asked about; a third word is a topic of the question's own.
MAX_WORDS_BESIDE_PLACE = 2
_OPENING = re.compile(
    rf"\bhow does {_TEXT} (start|begin|open)\b|\b(intro|introduction|opening)\b"
    r"|\b(start|beginning) of (the|this) (article|story|piece|text)\b"
    r"|\bfirst (paragraph|part|bit|line|section|sentence)\b",
    re.IGNORECASE,
)
# "Which countries are mentioned?", "Who are the key players?": a question about the names in
# the article, not about a topic. Every content word must come from this list.
_NAMES_WORDS = frozenset(
    """people person persons country countries nation nations state states organization
    organizations organisation organisations group groups institution institutions agency
    agencies name names named player players figure figures leader leaders official officials
    place places key main major important involved cited quoted appear appears featured
    individuals parties list""".split()
)
_NAMES_ASKED = re.compile(
    r"\b(mention\w*|named|names|involved|players|figures|cited|quoted|appears?|featured)\b",
    re.IGNORECASE,
)
_FOLLOW_UP = {
    "it",
    "its",
    "they",
    "them",
    "their",
    "this",
    "that",
    "these",
    "those",
    "he",
    "she",
    "his",
    "her",
    "there",
    "such",
    "one",
    "ones",
    "else",
    "also",
    "too",
    "more",
}


class QuestionError(ReaderError, ValueError):
    """A question that cannot be answered as given; the message tells the reader what to change."""

    exit_code = 2  # a usage error, like a bad flag


@dataclass(frozen=True)
class Question:
    """A cleaned question and what kind of answer it asks for."""

    text: str
    answer_type: str  # "person", "time", "number", "place" or "any"
    # "question", "summary", "names", "title", "sections", "section", "ending", "opening" or
    # "instruction"
    intent: str
    follow_up: bool


def clean(raw: str | bytes) -> str:
    """Validate and tidy a question; raise QuestionError with a reader-facing message."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise QuestionError("The question is not valid UTF-8 text; please retype it.") from None
    if any("\ud800" <= ch <= "\udfff" for ch in raw):  # undecodable bytes smuggled in via argv
        raise QuestionError("The question is not valid UTF-8 text; please retype it.")
    if len(raw) > MAX_QUESTION_CHARS * 20:
        raise QuestionError(
            f"The question is too long ({len(raw):,} characters); "
            f"please ask in under {MAX_QUESTION_CHARS:,} characters."
        )
    # Terminal colour codes (pasted from a console) go; other control and format characters
    # (null bytes, escapes, bidi overrides) become spaces.
    raw = _ANSI_ESCAPE.sub("", raw)
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in raw
    )
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise QuestionError("Please type a question about the article.")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"The question is too long ({len(text):,} characters); "
            f"please ask in under {MAX_QUESTION_CHARS:,} characters."
        )
    # Later stages read "whats" as "what's" ("whats five eyes" asks about a term), "thinkin"
    # as "thinking" and "y" as "why".
    return expand_chat_spellings(restore_dropped_g(restore_apostrophes(text)))


def classify(text: str) -> Question:
    """Expected answer type, intent and whether the question leans on the previous turn."""
    tokens = words(text)
    first = " ".join(tokens[:3])
    if instructs_the_assistant(text):
        intent = "instruction"
    elif _SUMMARY.search(text):
        intent = "summary"
    elif _asks_for_names(text, tokens):
        intent = "names"
    elif layout := layout_intent(text):
        intent = layout
    elif _only_about(_ENDING, text):
        intent = "ending"
    elif _only_about(_OPENING, text):
        intent = "opening"
    else:
        intent = "question"
    return Question(
        text=text,
        answer_type=_answer_type(tokens, first),
        intent=intent,
        follow_up=_is_follow_up(tokens),
    )


def _only_about(place: re.Pattern[str], text: str) -> bool:
    """The question asks about that place in the text and names no topic of its own: "whats
    the last paragraph saying", not "what are the two sides of the balance in the final
    paragraph", which asks about the balance."""
    m = place.search(text)
    if m is None:
        return False
    return len(content_words(f"{text[: m.start()]} {text[m.end() :]}")) <= MAX_WORDS_BESIDE_PLACE


def _asks_for_names(text: str, tokens: list[str]) -> bool:
    """'Who is mentioned?', 'Which countries are named?': names, whatever the topic."""
    return (
        bool(tokens)
        and tokens[0] in ("who", "which", "what", "list", "name")
        and bool(_NAMES_ASKED.search(text))
        and all(w in _NAMES_WORDS for w in content_words(text))
    )


_AUXILIARIES = (
    "is|are|was|were|will|would|did|do|does|has|have|had|can|could|should|shall|may|might|must|r"
)


def _answer_type(tokens: list[str], first: str) -> str:
    """What a satisfying answer must contain, judged from the question words."""
    joined = " ".join(tokens)
    if re.search(
        r"\bhow (many|much|long|old|often|far)\b|\bwhat (percentage|percent|number|"
        r"amount|figure)\b|\bhow many\b",
        joined,
    ):
        return "number"
    # "When" asks for a time as the first or second word or before an auxiliary ("so when did
    # it start", "…and when r they deciding"); before a subject it joins a clause ("what are
    # they doubtful about when it comes to putin", "what happens when trust is broken").
    if re.search(
        rf"^(\w+ )?when\b|\bwhen (\w+ly )?({_AUXILIARIES})\b|\bwhen$"
        r"|\bwhat (year|date|day|month|time)\b|\bwhich (year|date|day|month)\b",
        joined,
    ):
        return "time"
    if re.search(
        r"\b(who|whom|whose)\b|\bwhat(?:'s| is) the name\b|\bwhich (person|official|"
        r"reporter|journalist|author|minister|spokesperson|lawmaker)\b",
        joined,
    ):
        return "person"
    if re.search(r"\bwhere\b", first):
        return "place"
    return "any"


def _is_follow_up(tokens: list[str]) -> bool:
    """Short questions with a pronoun or a leading 'and'/'what about' depend on earlier turns."""
    if not tokens:
        return False
    if tokens[0] in ("and", "also", "so", "but") or " ".join(tokens[:2]) in (
        "what about",
        "how about",
    ):
        return True
    text = " ".join(tokens)
    if len(content_words(text)) <= 1:
        return True  # "why?", "how so", "who else": nothing of its own to search for
    # A pronoun far into a long question seldom points back.
    return len(tokens) <= 12 and refers_back(text)


def refers_back(text: str) -> bool:
    """A pronoun ("why did they do that") or next to nothing of its own ("why?", "any catch?",
    "who else"): the question cannot be read without the turn before. "And why is the sky
    blue?" leans on nothing but its "and"."""
    tokens = words(text)
    return len(content_words(text)) <= 1 or any(t in _FOLLOW_UP for t in tokens)
