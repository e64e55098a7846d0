"""Answers taken from the article itself: the names it mentions, and its key passages."""

from __future__ import annotations

from langchain_core.documents import Document

from rag.nlp.names import name_phrases
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


def key_passages(body: list[Document]) -> list[Document]:
    """For a summary: a news article's lead (its first two passages), then the first passage
    of each later section, in article order."""
    chosen = body[:2]
    seen = {p.metadata["section"] for p in chosen}
    for p in body[2:]:
        if p.metadata["section"] not in seen:
            seen.add(p.metadata["section"])
            chosen.append(p)
    return chosen[: TUNING.summary_sentences]


def edge_passage(body: list[Document], intent: str) -> Document:
    """For "how does it end?" the last passage of the text, for "how does it start?" the
    first."""
    return body[-1] if intent == "ending" else body[0]
