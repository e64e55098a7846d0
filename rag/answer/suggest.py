"""Questions to offer after a reply: about the passages next to the ones it used, so a reader
(a declined one above all) learns what else the article can answer."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from langchain_core.documents import Document
from lemminflect import getAllLemmas

from rag.nlp.names import name_phrases
from rag.nlp.vocabulary import specificity
from rag.nlp.words import STOPWORDS, content_stems

MAX_SUGGESTIONS = 3
# Candidates checked against the answer/decline decision before giving up (each check is one
# retrieval, a few tens of milliseconds).
MAX_CHECKS = 6
TEMPLATE = "What does the article say about {}?"


def suggestions(
    body: list[Document],
    used: list[Document],
    asked: list[str],
    would_answer: Callable[[str], bool],
) -> list[str]:
    """Up to three questions about what the passages beside `used` name (in the article's
    order: the next passage first, then the one before), leaving out what the used passages or
    the questions asked so far already name; each one passes `would_answer` before it is
    offered."""
    known = {s for text in [*asked, *(p.page_content for p in used)] for s in content_stems(text)}
    repeated = _repeated_pairs(body)
    offered: list[str] = []
    checks = 0
    for passage in _neighbours(body, used):
        for topic in topics(passage.page_content, repeated):
            stems = set(content_stems(topic))
            if stems <= known:
                continue
            known |= stems  # one question per topic, and per passage
            checks += 1
            question = TEMPLATE.format(topic if topic[0].isupper() else f"the {topic}")
            if would_answer(question):
                offered.append(question)
            break
        if len(offered) == MAX_SUGGESTIONS or checks == MAX_CHECKS:
            break
    return offered


def topics(text: str, repeated: set[tuple[str, str]]) -> list[str]:
    """What a passage is about, as written, most specific first: its names of two words or
    more ("Saudi Arabia") and its pairs of words that recur in the article ("cyber
    operations"), which are mostly terms and noun phrases."""
    found = [n for n in name_phrases(text) if len(n.split()) > 1]
    found += [f"{a} {b}" for a, b in _adjacent_pairs(text) if (a.lower(), b.lower()) in repeated]
    unique = list(dict.fromkeys(found))
    return sorted(unique, key=lambda t: -sum(specificity(w) for w in t.lower().split()))


# A word as written, for finding recurring pairs (hyphens and apostrophes kept inside).
_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def _repeated_pairs(body: list[Document]) -> set[tuple[str, str]]:
    """Pairs of adjacent content words (lower case) that occur more than once in the article."""
    pairs = Counter(
        (a.lower(), b.lower()) for p in body for a, b in _adjacent_pairs(p.page_content)
    )
    return {pair for pair, n in pairs.items() if n > 1 and _noun_phrase(*pair)}


def _adjacent_pairs(text: str) -> list[tuple[str, str]]:
    """Each two words in a row, as written, with one space and nothing else between them."""
    tokens = list(_TOKEN.finditer(text))
    return [
        (a.group(), b.group())
        for a, b in zip(tokens, tokens[1:], strict=False)
        if text[a.end() : b.start()] == " "
    ]


def _neighbours(body: list[Document], used: list[Document]) -> list[Document]:
    """The passages next to the used ones in the article, nearest first, not the used ones;
    with none used (a refusal cites nothing), the article from its start."""
    if not used:
        return list(body)
    where = {p.id: i for i, p in enumerate(body)}
    spots = [where[p.id] for p in used if p.id in where]
    taken = set(spots)
    out: list[int] = []
    for distance in range(1, len(body)):
        for spot in spots:
            for i in (spot + distance, spot - distance):
                if 0 <= i < len(body) and i not in taken:
                    taken.add(i)
                    out.append(i)
    return [body[i] for i in out]


def _noun_phrase(first: str, second: str) -> bool:
    """Two words that can read as a noun phrase: a noun after an adjective or a noun (or a
    word the lexicon lacks, such as "cyber"), neither a function word ("delicate balance",
    "cyber operations"; not "allies regarding")."""
    if {first, second} & STOPWORDS:
        return False
    head, modifier = getAllLemmas(second), getAllLemmas(first)
    return "NOUN" in head and (not modifier or bool({"ADJ", "NOUN"} & set(modifier)))
