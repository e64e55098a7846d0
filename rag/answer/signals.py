"""Measured signals for the answer/decline decision: one number per kind of evidence.

Nothing here knows the article: every signal compares the question with whatever passages the
index holds, or with general English (word frequencies from wordfreq).
"""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass, fields

from rag.answer.answer_type import answers_type, names_none_of_kind
from rag.answer.question import Question, refers_back
from rag.answer.retrieve import Hit
from rag.nlp.names import names
from rag.nlp.sentences import sentence_spans
from rag.nlp.vocabulary import (
    Vocabulary,
    found_in,
    is_function_word_typo,
    places,
    specificity,
    weighted_share,
)
from rag.nlp.words import POINTING_NUMBERS, content_words, numbers

# Asking for a judgement, a forecast or advice rather than for what the text says: modal and
# evaluative question forms of general English.
_OPINION = re.compile(
    r"\b(should|shall|ought to|what would|would it|will|gonna|going to)\b"
    r"|\b(is|are|was|were)\b.{0,40}\b(right|wrong|good|bad|fair|smart|wise|worth|dangerous|"
    r"a (good|bad|smart) (idea|thing|move))\b"
    r"|\b(do|does|did) (you|u|ya) (think|believe|reckon|agree|trust)\b"
    r"|\bwould (you|u|ya)\b|\bif (you|u|ya) (were|was)\b"
    r"|\b(your|ur)( honest| own)? (view|opinion|take|thoughts)\b|\bin your opinion\b"
    r"|\b(predict\w*|forecast\w*|likely|probably|advice|advise|recommend\w*)\b"
    r"|\bwho('s| is) (right|wrong|to blame)\b",
    re.IGNORECASE,
)

# A question about a view the text reports, not one asked of the assistant: "what are the allies
# afraid will happen", "what would it do, according to the officials", "the case for it".
_REPORTED_VIEW = re.compile(
    r"\baccording to\b|\b(seen|viewed|described) as\b"
    r"|\b(case|argument|reasoning|rationale|justification) (for|that|behind)\b"
    r"|\b(afraid|worried|fears?|feared|warn\w*|says?|said|thinks?|argues?|argued|claims?|"
    r"claimed|believes?|believed|expects?|expected|predicts?|predicted|justify|justifies)\b",
    re.IGNORECASE,
)
# Words that put the question to the assistant or the reader: "do u think", "should i".
_ADDRESSED = re.compile(r"\b(you|u|ya|your|ur|i|me|my|should|ought)\b", re.IGNORECASE)

# A question that takes an event as done: "why did Israel stop sharing?", "has Israel already
# cut them off?".
_PRESUPPOSED = re.compile(
    r"\b(why|y|how come)\s+(did|has|have|had)\b|\b(has|have|did)\b.{0,40}\balready\b"
    r"|\bwhen (did|was|were)\b",
    re.IGNORECASE,
)
# General-English hedges: how a report marks a thing as possible, planned or rumoured rather
# than done ("reports suggest", "a potential recalibration", "are contemplating").
_HEDGE = re.compile(
    r"\b(suggest\w*|reports?|reportedly|potential\w*|possib\w*|may|might|could|consider\w*|"
    r"contemplat\w*|speculat\w*|weigh\w*|mull\w*|whether|alleged\w*|rumou?r\w*)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Signals:
    """What the decision weighs; each field is a number in about 0..1."""

    # Best cosine similarity of the question alone to a retrieved passage.
    similarity: float
    # For a follow-up, the best cosine similarity of the retrieval query (the question joined
    # to the previous one) to a retrieved passage; 0 for a stand-alone question.
    follow_up_similarity: float
    # Share of the question's content words (typo and word-family tolerant) that the best
    # passage holds.
    passage_coverage: float
    # The same share, each word weighted by how rare it is in general English: the words that
    # carry the question's topic count most.
    weighted_coverage: float
    # Share of the question's content words that the article uses anywhere (1 when none).
    known_share: float
    # How rare in general English the rarest question word found in the best passage is: a
    # half-remembered phrase ("something 'looms large'") matches on such words.
    rare_match: float
    # How rare in general English the rarest word the article never uses is (0: none).
    unknown_specificity: float
    # Names and numbers of the question that the article never uses (0, 1/3 .. 1).
    unknown_names: float
    # 1 when the question asks who / when / how many and no passage holds such a thing.
    answer_type_missing: float
    # 1 when the question asks "which <kind>" and the passages mention that kind without
    # naming any ("which experts" over "...among experts and former officials").
    unnamed_kind: float
    # 1 when the question takes an event as done ("why did...", "...already") and the sentence
    # of the closest passage that holds most of its words reports only a possibility.
    hedged_premise: float
    # For a question that takes an event as done, the share of its words other than names
    # that the best passage lacks: "why did trump leak their names" over a passage where
    # nobody leaks anything (0 for other questions).
    unreported_event: float
    # 1 when the question asks for an opinion, a prediction or advice.
    opinion: float
    # 1 when the question leans on earlier turns and there are some.
    follow_up: float
    # The question's own content words, capped at 5, over 5.
    own_words: float

    @classmethod
    def names(cls) -> list[str]:
        """The signal names, in vector order."""
        return [f.name for f in fields(cls)]

    def vector(self) -> list[float]:
        """The signals in a fixed order, for the fitted weights."""
        return [float(v) for v in astuple(self)]


def measure(
    q: Question, hits: list[Hit], query_hits: list[Hit], vocabulary: Vocabulary, follow_up: bool
) -> tuple[Signals, list[str]]:
    """The signals for a question, and the names and numbers in it the article never uses."""
    asked = [w for w in dict.fromkeys(content_words(q.text)) if not is_function_word_typo(w)]
    unknown = [w for w in asked if not vocabulary.knows(w)]
    named = names(q.text)
    specific = named | (numbers(q.text) - POINTING_NUMBERS)
    unknown_named = [w for w in unknown if w in specific]
    for place in places(q.text):  # typed in any case: "germany", "south korea"
        if not all(vocabulary.knows(w) for w in place.split()):
            unknown_named.append(place)
    best = max(hits, key=lambda h: h.dense, default=None)
    found = found_in(best.passage.page_content, asked) if best is not None else []
    # Only a question that cannot be read alone leans on the turns before ("and why is the
    # sky blue?" has an "and" but nothing to lean on).
    leans = follow_up and refers_back(q.text)
    presupposes = bool(_PRESUPPOSED.search(q.text))
    query_texts = [h.passage.page_content for h in query_hits]
    type_missing = q.answer_type != "any" and not any(answers_type(q, t) for t in query_texts)
    signals = Signals(
        similarity=max((h.dense for h in hits), default=0.0),
        follow_up_similarity=max((h.dense for h in query_hits), default=0.0) * leans,
        passage_coverage=len(found) / len(asked) if asked else 0.0,
        weighted_coverage=weighted_share(found, asked),
        known_share=1 - len(unknown) / len(asked) if asked else 1.0,
        rare_match=max((specificity(w) for w in found), default=0.0),
        unknown_specificity=max((specificity(w) for w in unknown), default=0.0),
        unknown_names=min(len(unknown_named), 3) / 3,
        answer_type_missing=float(type_missing),
        unnamed_kind=float(names_none_of_kind(q.text, query_texts)),
        hedged_premise=float(
            best is not None
            and presupposes
            and bool(_HEDGE.search(closest_sentence(best.passage.page_content, asked)))
        ),
        unreported_event=_unreported_share(asked, named, found) if presupposes else 0.0,
        opinion=float(asks_opinion(q.text)),
        follow_up=float(leans),
        own_words=min(len(asked), 5) / 5,
    )
    return signals, list(dict.fromkeys(unknown_named))


def asks_opinion(text: str) -> bool:
    """A judgement, forecast or advice asked of the assistant; a view the question attributes
    to someone else ("what are the allies afraid will happen") is something the text reports."""
    if not _OPINION.search(text):
        return False
    return bool(_ADDRESSED.search(text)) or not _REPORTED_VIEW.search(text)


def _unreported_share(asked: list[str], named: set[str], found: list[str]) -> float:
    """The share of the question's words other than its names that the best passage lacks
    (`found`: the asked words it holds)."""
    named_words = {w.lower() for name in named for w in name.split()}
    event = [w for w in asked if w.lower() not in named_words]
    if not event:
        return 0.0
    return 1 - sum(w in found for w in event) / len(event)


def closest_sentence(text: str, asked: list[str]) -> str:
    """The sentence of text that holds most of the question's words, rare words weighing
    more (the first of equals)."""
    sentences = [text[start:end] for start, end in sentence_spans(text, 0, len(text))]
    return max(sentences, key=lambda s: weighted_share(found_in(s, asked), asked), default="")
