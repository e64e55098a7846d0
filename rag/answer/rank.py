"""Rank the retrieved passages for the answer, and choose the ones to quote."""

from __future__ import annotations

import re

from langchain_core.documents import Document

from rag.answer.answer_type import answers_type
from rag.answer.parts import two_parts
from rag.answer.question import Question
from rag.answer.retrieve import Hit
from rag.nlp.names import names
from rag.nlp.vocabulary import found_in, weighted_share
from rag.nlp.words import content_words, words
from rag.tuning import TUNING

Ranked = list[tuple[Document, float]]
# An opening quote after a space (not the apostrophe of "what's"), a closing one before a
# non-letter.
_QUOTED = re.compile(r"(?:(?<=\s)|^)(['\"‘“])([^'\"‘’“”]{2,60})(['\"’”])(?![A-Za-z])")


def rank_passages(q: Question, hits: list[Hit], near: tuple | None = None) -> Ranked:
    """Passages that can answer the question, best first, only those holding the kind of
    answer asked for. Score: retrieval similarity (for a follow-up, that of the question
    joined to the one before), plus the share of the question's own words the passage
    contains (each weighted by how rare it is in English), plus a little per new name when the
    question asks 'which', 'who' or 'where', plus a little for a follow-up's passages in the
    paragraph `near` (source, paragraph) that the previous answer came from."""
    asked = list(dict.fromkeys(content_words(q.text)))
    asked_words = set(asked)
    wants_names = _wants_names(q)
    quoted = [t.lower() for t in quoted_terms(q.text)]
    ranked = []
    for h in hits:
        text = h.passage.page_content
        if q.answer_type != "any" and not answers_type(q, text):
            continue
        # For a follow-up, the joined query alone: averaging in the similarity to the new
        # question alone ("any catch?", "and the allies?") put the evidence first less often
        # (tuning follow-ups: 6 fixed, none broken, of 62).
        score = h.dense
        # Rare words carry the topic ("rift" outweighs "officially"), and a misspelt word
        # still counts ("cautoning"): the same matching as the decision's coverage signals.
        score += TUNING.lexical_weight * weighted_share(found_in(text, asked), asked)
        if wants_names:
            score += TUNING.name_bonus * min(len(names(text) - asked_words), 3)
        if any(term in text.lower() for term in quoted):
            score += TUNING.quoted_term_bonus  # "what does 'rift' mean here": where it is used
        if near is not None and paragraph_of(h.passage) == near:
            score += TUNING.near_bonus
        ranked.append((h.passage, score))
    return sorted(ranked, key=lambda pair: -pair[1])


def with_likelihood(ranked: Ranked, likelihoods: list[float], weight: float) -> Ranked:
    """The ranking with the first len(likelihoods) passages' scores lowered by how much less
    likely the question is after each than after the likeliest one, times `weight`."""
    best = max(likelihoods)
    scored = [
        (p, score + weight * (lp - best))
        for (p, score), lp in zip(ranked, likelihoods, strict=False)
    ]
    return sorted(scored + ranked[len(likelihoods) :], key=lambda pair: -pair[1])


def paragraph_of(passage: Document) -> tuple:
    """The source file and paragraph a passage lies in."""
    return (passage.metadata.get("source"), passage.metadata.get("paragraph"))


def quoted_terms(text: str) -> list[str]:
    """Words or phrases the reader put in quotation marks."""
    return [m.group(2).strip() for m in _QUOTED.finditer(text) if m.group(2).strip()]


def context_passages(ranked: Ranked) -> list[Document]:
    """The passages shown to the model: those scoring within the context margin of the best."""
    best = ranked[0][1]
    return [p for p, score in ranked if score >= best - TUNING.context_margin]


def quotes(ranked: Ranked, q: Question) -> list[Document]:
    """The best passage, and the next one too when it scores nearly as well and adds to it:
    question words the best one lacks, names it lacks for a question that asks for names, or
    the other part of a question that asks two things. In article order."""
    top, best = ranked[0][1], ranked[0][0]
    asked = list(dict.fromkeys(content_words(q.text)))
    have = set(found_in(best.page_content, asked))
    named = names(best.page_content)
    chosen = [best]
    for p, score in ranked[1 : TUNING.max_quotes]:
        if score < top * TUNING.quote_margin:
            break
        adds_words = bool(set(found_in(p.page_content, asked)) - have)
        adds_names = _wants_names(q) and bool(names(p.page_content) - named - set(asked))
        if adds_words or adds_names or two_parts(q.text) is not None:
            chosen.append(p)
    return sorted(chosen, key=lambda p: (p.metadata["source"], int(p.metadata["start"])))


def _wants_names(q: Question) -> bool:
    return q.answer_type in ("person", "place") or "which" in words(q.text)[:3]
