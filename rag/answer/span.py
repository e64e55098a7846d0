"""The shortest part of a passage that answers a question: a run of its clauses, verbatim.

A sentence is cut at its clause punctuation (commas, semicolons, colons, dashes). In the
sentence that holds most of the question's words, the fewest clauses in a row that hold them
(most of their weight, each word weighing by how few of the article's passages use it: a word
the whole article uses does not place the answer) anchor the answer; the kind of answer the
question asks for then moves or widens it: a reason for "why", the names for "who" and
"which", the rest of a list, the next clause when these only restate the question. The text
is the article's own, so the answer stays faithful by construction.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rag.answer.answer_type import PEOPLE_WORDS, answers_type
from rag.answer.parts import two_parts
from rag.answer.question import Question
from rag.nlp.names import names
from rag.nlp.sentences import sentence_spans
from rag.nlp.vocabulary import Vocabulary, is_function_word_typo, specificity
from rag.nlp.words import STOPWORDS, content_words, numbers, stem, words
from rag.tuning import TUNING

_CLAUSE_BREAK = re.compile(r"[,;:]\s+|\s+[—–]\s+")
# Openers of a clause that gives a reason or a purpose (general English connectives).
_REASON = re.compile(
    r"^(because|since|as|given|citing|due to|owing to|thanks to|so that|in order to|to)\b",
    re.IGNORECASE,
)
# Openers that continue a list begun in the clause before.
_LIST_GOES_ON = re.compile(r"^(and|or|including|such as|like|as well as)\b", re.IGNORECASE)
# Leading words that only join the clause to the rest of its sentence.
_JOINER = re.compile(r"^(and|or|but|while|whereas|although|though|as)\s+", re.IGNORECASE)
_WHY = re.compile(r"\b(why|how come|what for|reason|reasons)\b", re.IGNORECASE)
_MEANING = re.compile(
    r"\bmean(s|t|ing)?\b|\brefer(s|ring)? to\b|\bstands? for\b|\bdefin", re.IGNORECASE
)
_NAMES_ASKED = re.compile(r"\b(who|whom|whose|which)\b", re.IGNORECASE)
# "who defends X", "who's cautioning against Y": the verb whose doer the reader asks for.
_WHO_DOES = re.compile(r"\bwho(?:'s|’s|\s+is|\s+are|\s+was|\s+were)?\s+([a-z]+)", re.IGNORECASE)
_TOKEN = re.compile(r"[\w’'-]+")
_RELATIVE = frozenset({"which", "who", "whom", "that"})
# Words before a verb taken as its doer, at most.
MAX_DOER_WORDS = 8


@dataclass(frozen=True)
class Clause:
    """One clause of a sentence: its place in the passage and what it holds."""

    start: int
    end: int
    text: str
    stems: frozenset[str]
    new_words: int  # content words the question lacks
    named: bool  # holds a name or a number that the question lacks


@dataclass(frozen=True)
class Span:
    """The chosen text, where it lies in the passage, and whether it was cut from a longer
    sentence on either side."""

    text: str
    start: int
    end: int
    cut_before: bool
    cut_after: bool

    def quoted(self) -> str:
        """The text with an ellipsis where the sentence was cut."""
        return ("…" if self.cut_before else "") + self.text + ("…" if self.cut_after else "")


def answer_span(
    q: Question, passage: str, one_thing: bool = True, idf: Mapping[str, float] | None = None
) -> Span | None:
    """The run of clauses of `passage` that answers `q`, or None when no clause holds any of
    the question's words. `one_thing`: False when `q` is one part of a question that asked two
    things; the clauses around a part's answer may hold the other's, so the answer is not cut
    below the clause. `idf`: each word stem's inverse document frequency over the indexed
    passages; without it every question word the sentence holds must be in the answer."""
    asked = [w for w in dict.fromkeys(content_words(q.text)) if not is_function_word_typo(w)]
    if not asked:
        return None
    asked_stems = {stem(w) for w in asked}
    sentences = [
        _clauses(passage, s, e, asked_stems) for s, e in sentence_spans(passage, 0, len(passage))
    ]
    found = [[_found(asked, c.stems) for c in sentence] for sentence in sentences]
    scores = [_coverage(asked, _union(clauses)) for clauses in found]
    best = max(range(len(sentences)), key=lambda i: scores[i], default=None)
    if best is None or not scores[best]:
        return None
    doer = _doer(q, sentences[best]) if one_thing and two_parts(q.text) is None else None
    if doer is not None:
        return doer
    first, last = _window(found[best], _weights(asked, idf))
    first, last = _widen(q, sentences[best], first, last)
    return _span(passage, sentences[best], first, last)


def _doer(q: Question, sentence: list[Clause]) -> Span | None:
    """For "who <does something>": the words before that verb in its clause, when they end in
    people or a name ("…administration officials and some Republican lawmakers…" for "who
    defends Trump's approach"). English puts the doer before its verb; a clause where it is
    not ("have raised eyebrows among experts") ends its words before the verb in something
    else, and keeps the clause answer."""
    asked = _WHO_DOES.search(q.text) if q.answer_type == "person" else None
    if asked is None or asked.group(1).lower() in STOPWORDS:
        return None
    verb = stem(asked.group(1).lower())
    question_stems = {stem(w) for w in content_words(q.text)}
    for clause in sentence:
        at = next((t for t in _TOKEN.finditer(clause.text) if _stem_of(t.group()) == verb), None)
        if at is None:
            continue
        tokens = list(_TOKEN.finditer(clause.text[: at.start()]))
        while tokens and tokens[-1].group().lower() in STOPWORDS:  # "… have raised": "have"
            tokens.pop()
        # "While officials defend", "which Mayor Ruiz backs": joining words are not the doer.
        while tokens and (
            _JOINER.match(tokens[0].group() + " ") or tokens[0].group().lower() in _RELATIVE
        ):
            tokens.pop(0)
        if not 0 < len(tokens) <= MAX_DOER_WORDS:
            return None
        head = tokens[-1].group()
        named = {w for name in names(clause.text) for w in name.split()}
        people = stem(head.lower()) in PEOPLE_WORDS or head.lower() in named
        text = clause.text[tokens[0].start() : tokens[-1].end()]
        new = [w for w in content_words(text) if stem(w) not in question_stems]
        if not people or not new:
            return None
        start = clause.start + tokens[0].start()
        return Span(text, start, start + len(text), start > sentence[0].start, True)
    return None


def _stem_of(token: str) -> str:
    found = words(token)
    return stem(found[0]) if found else ""


def _found(asked: list[str], stems: frozenset[str]) -> dict[str, float]:
    """The question's words a clause holds: 1 as typed (same stem), 1/2 through a typo or the
    word family only."""
    vocabulary = Vocabulary(stems)
    return {
        w: 1.0 if stem(w) in stems else 0.5
        for w in asked
        if stem(w) in stems or vocabulary.knows(w)
    }


def _union(found: list[dict[str, float]]) -> dict[str, float]:
    merged: dict[str, float] = {}
    for clause in found:
        for w, weight in clause.items():
            merged[w] = max(weight, merged.get(w, 0.0))
    return merged


def _coverage(asked: list[str], found: dict[str, float]) -> float:
    """The share of the question's words found, each weighted by how rare it is."""
    total = sum(specificity(w) for w in asked) or 1.0
    return sum(specificity(w) * found.get(w, 0.0) for w in asked) / total


def _weights(asked: list[str], idf: Mapping[str, float] | None) -> dict[str, float] | None:
    """How much each question word places the answer: its inverse document frequency (a stem
    the index lacks, such as a typo's, as the rarest); None: all count, and all are needed."""
    if not idf:
        return None
    rarest = max(idf.values())
    return {w: idf.get(stem(w), rarest) for w in asked}


def _window(
    found: list[dict[str, float]], weights: dict[str, float] | None = None
) -> tuple[int, int]:
    """The fewest clauses in a row that hold the question words the sentence holds, as well as
    the sentence does; with weights, that hold `TUNING.span_min_coverage` of their weight."""
    target = _union(found)
    needed = 1.0 if weights is None else TUNING.span_min_coverage
    weights = weights or dict.fromkeys(target, 1.0)
    total = sum(weights[w] * v for w, v in target.items()) or 1.0
    best = (0, len(found) - 1)
    for first in range(len(found)):
        for last in range(first, len(found)):
            held = _union(found[first : last + 1])
            if sum(weights[w] * v for w, v in held.items()) >= needed * total - 1e-9:
                if last - first < best[1] - best[0]:
                    best = (first, last)
                break
    return best


def _clauses(passage: str, start: int, end: int, asked: set[str]) -> list[Clause]:
    """The clauses of passage[start:end], each marked when it brings names the question lacks."""
    sentence = passage[start:end]
    fresh = names(sentence) | numbers(sentence)
    clauses, cursor = [], 0
    cuts = [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(sentence)] + [(len(sentence),) * 2]
    for cut_start, cut_end in cuts:
        text = sentence[cursor:cut_start]
        if text.strip():
            own = words(text)
            clauses.append(
                Clause(
                    start + cursor,
                    start + cut_start,
                    text,
                    frozenset(stem(w) for w in own),
                    sum(stem(w) not in asked for w in content_words(text)),
                    any(w in fresh and stem(w) not in asked for w in own),
                )
            )
        cursor = cut_end
    return clauses


def _widen(q: Question, sentence: list[Clause], first: int, last: int) -> tuple[int, int]:
    """The first and last clause of the answer, from the clauses that hold the question's
    words."""
    if _WHY.search(q.text):
        for j in range(first, len(sentence)):
            if _REASON.match(sentence[j].text.strip()):
                return j, _list_end(sentence, j)
    if _MEANING.search(q.text):
        return 0, len(sentence) - 1  # what a term means here: the whole sentence that uses it
    held = sentence[first : last + 1]
    if (
        _NAMES_ASKED.search(q.text)
        and not any(c.named for c in held)
        and not (q.answer_type == "person" and answers_type(q, " ".join(c.text for c in held)))
    ):
        near = [j for j in range(len(sentence)) if sentence[j].named]
        if near:
            j = min(near, key=lambda k: (min(abs(k - first), abs(k - last)), k < first))
            start = j
            while start > 0 and sentence[start - 1].named:
                start -= 1
            return start, _list_end(sentence, j)
    first, last = _list_start(sentence, first), _list_end(sentence, last)
    # Clauses that only restate the question take the next one (the last, the one before).
    while sum(c.new_words for c in sentence[first : last + 1]) < TUNING.span_min_new_words and (
        first > 0 or last < len(sentence) - 1
    ):
        if last < len(sentence) - 1:
            last = _list_end(sentence, last + 1)
        else:
            first = _list_start(sentence, first - 1)
    return first, last


def _list_start(sentence: list[Clause], j: int) -> int:
    """The clause that opens the list clause j is in, with the list's head: "..., transparency,
    and trust" and "including Norway, Iceland, and members of..." for its middle item."""
    continues = _LIST_GOES_ON.match(sentence[j].text.strip())
    inside = (
        _is_list_item(sentence[j])
        and j + 1 < len(sentence)
        and _LIST_GOES_ON.match(sentence[j + 1].text.strip())
    )
    if not (continues or inside):
        return j
    while j > 0 and _is_list_item(sentence[j - 1]):
        j -= 1
    return max(j - 1, 0)


def _is_list_item(clause: Clause) -> bool:
    """A clause short enough to be one item of a list ("Iceland", "including Norway")."""
    return len(words(clause.text)) <= 3


def _list_end(sentence: list[Clause], j: int) -> int:
    """The last clause of a list that starts at or runs through clause j."""
    while j + 1 < len(sentence) and (
        _LIST_GOES_ON.match(sentence[j + 1].text.strip())
        or sentence[j + 1].named
        and _is_list_item(sentence[j + 1])
    ):
        j += 1
    return j


def _span(passage: str, sentence: list[Clause], first: int, last: int) -> Span:
    start, end = sentence[first].start, sentence[last].end
    text = passage[start:end]
    cut_before, cut_after = first > 0, last < len(sentence) - 1
    joiner = _JOINER.match(text)
    if joiner and (cut_before or cut_after):  # "While X, Y": X alone is a statement of its own
        start, text, cut_before = start + joiner.end(), text[joiner.end() :], True
    return Span(text, start, start + len(text), cut_before, cut_after)
