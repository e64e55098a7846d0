"""Answers taken from the article itself: the names it mentions, and its key passages."""

from __future__ import annotations

from langchain_core.documents import Document

from rag.nlp.names import name_phrases
from rag.nlp.sentences import split_sentences
from rag.nlp.vocabulary import PLACE_KINDS, is_place
from rag.nlp.words import stem, words
from rag.tuning import TUNING

# Names questions about countries or places ("Which countries are mentioned?").
_COUNTRY_STEMS = frozenset(stem(w) for w in ("country", "nation"))  # also their plurals
_PLACE_STEMS = frozenset(stem(w) for w in ("place", "where"))


def body_passages(passages: list[Document], source: str) -> list[Document]:
    """The passages of one source's paragraphs (not title or headings), in order."""
    return [p for p in passages if p.metadata["source"] == source and p.metadata["kind"] == "body"]


def names_by_passage(body: list[Document], question: str = "") -> list[tuple[Document, list[str]]]:
    """For "who is mentioned?": each name in the passages, as written, with the passage that
    first has it, in article order. A name inside a longer one ("Trump" in "President Donald
    Trump") is listed once, as the longer. A question about countries or places lists only
    those ("Which countries are mentioned?")."""
    kinds = _place_kinds(question)
    first: dict[str, tuple[str, Document]] = {}
    for p in body:
        for name in name_phrases(p.page_content):
            if kinds is None or is_place(name, kinds):
                first.setdefault(name.lower(), (name, p))
    spelled = {key: set(key.split()) for key in first}  # as written: Russia is not Russian
    grouped: dict[str, tuple[Document, list[str]]] = {}
    for key, (name, p) in first.items():
        if any(spelled[key] < other for other in spelled.values()):
            continue
        grouped.setdefault(p.id, (p, []))[1].append(name)
    return list(grouped.values())


def _place_kinds(question: str) -> tuple[str, ...] | None:
    """The kinds of place a names question asks for, or None when it asks for any name."""
    asked = {stem(w) for w in words(question)}
    if asked & _COUNTRY_STEMS:
        return ("country",)
    if asked & _PLACE_STEMS:
        return PLACE_KINDS
    return None


def summary_sentences(body: list[Document]) -> list[tuple[str, Document]]:
    """For a summary: the first sentence of each of a news article's two lead passages, then
    of each later section, in article order, as many as fit in the summary's words (always at
    least one)."""
    chosen = body[:2]
    seen = {p.metadata["section"] for p in chosen}
    for p in body[2:]:
        if p.metadata["section"] not in seen:
            seen.add(p.metadata["section"])
            chosen.append(p)
    picked: list[tuple[str, Document]] = []
    total = 0
    for p in chosen[: TUNING.summary_sentences]:
        first = split_sentences(p.page_content)[0]
        total += len(words(first))
        if picked and total > TUNING.summary_words:
            break
        picked.append((first, p))
    return picked


def edge_passage(body: list[Document], intent: str) -> Document:
    """For "how does it end?" the last passage of the text, for "how does it start?" the
    first."""
    return body[-1] if intent == "ending" else body[0]
