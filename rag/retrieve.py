"""Dense (Chroma) and lexical (BM25) retrieval fused into one ranking, and the relevance gate."""

from __future__ import annotations

import logging
import math
import os
import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
from langchain_core.documents import Document

from rag.directives import addresses_the_model
from rag.documents import retrieval_texts
from rag.index import PassageIndex
from rag.question import Question
from rag.text import (
    STOPWORDS,
    content_stems,
    content_words,
    edit_distance_at_most,
    names,
    numbers,
    stem,
)

log = logging.getLogger(__name__)

# Gate: a question with one or two unfamiliar words is answered only when a passage is at least
# this similar (calibrated on eval/qa.jsonl: casual paraphrases mostly score 0.6 or more, false
# premises below).
CLOSE_MATCH = 0.6
# Words that frame a question without naming its topic; their absence from the article is moot.
FRAME_WORDS = frozenset(
    """describe described describes named called call take taking taken besides else conclusion
    end still stuff might make makes made people change changes changed react reacted reaction
    way ways happen happened happening currently now today main point idea view views feel felt
    info detail details part parts role type overall basically generally behalf mean means
    meaning""".split()
)
RRF_K = 60  # the usual reciprocal-rank-fusion constant; small corpora are not sensitive to it
# Words for people and groups: a "who" question can be answered by these as well as by names.
PEOPLE_WORDS = frozenset(
    stem(w)
    for w in """official officials spokesperson spokesman spokeswoman lawmaker lawmakers
    expert experts president minister leader leaders agent agents ally allies government
    administration agency agencies analyst analysts member members people country countries
    council senator senators diplomat diplomats partner partners critic critics adversary
    adversaries cybercriminals""".split()
)
_TIME_WORDS = re.compile(
    r"\b(\d{4}|\d{1,2}(st|nd|rd|th)|yesterday|today|tomorrow|ago|"
    r"last (week|month|year)|next (week|month|year)|january|february|march|"
    r"april|june|july|august|september|october|november|december)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Hit:
    """A retrieved passage with its fused score and the two scores it came from."""

    passage: Document
    score: float  # reciprocal-rank fusion of the two rankings (higher is better)
    dense: float  # cosine similarity of query and passage, -1..1
    lexical: float  # BM25 score, 0 when no query word occurs


@dataclass(frozen=True)
class GateDecision:
    """Whether the article can answer the question, and why not when it cannot."""

    answer: bool
    reason: str  # "ok", "instruction", "low_relevance", "unknown_terms", "no_answer_type"
    detail: str = ""


class BM25:
    """Okapi BM25 over stemmed content words, with per-term weights computed once."""

    def __init__(self, docs: list[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.size = len(docs)
        lengths = np.array([len(d) for d in docs], dtype=np.float32)
        avg_len = float(lengths.mean()) if docs and lengths.mean() > 0 else 1.0
        raw: dict[str, tuple[list[int], list[int]]] = {}
        for i, doc in enumerate(docs):
            for term, tf in Counter(doc).items():
                ids, tfs = raw.setdefault(term, ([], []))
                ids.append(i)
                tfs.append(tf)
        # term -> (document indices, BM25 weight of the term in each of them)
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, (ids, tfs) in raw.items():
            idx = np.array(ids)
            tf = np.array(tfs, dtype=np.float32)
            idf = math.log(1 + (self.size - len(ids) + 0.5) / (len(ids) + 0.5))
            norm = tf + k1 * (1 - b + b * lengths[idx] / avg_len)
            self.postings[term] = (idx, (idf * tf * (k1 + 1) / norm).astype(np.float32))

    def scores(self, query: list[str]) -> np.ndarray:
        """A BM25 score for every document."""
        out = np.zeros(self.size, dtype=np.float32)
        for term in set(query):
            if term in self.postings:
                idx, weight = self.postings[term]
                out[idx] += weight
        return out


class Retriever:
    """Hybrid search over a PassageIndex plus the checks that decide 'not in the article'."""

    def __init__(self, index: PassageIndex) -> None:
        self.index = index
        self.embeddings = index.embeddings
        stored = index.all_passages()
        # Data, not instructions: a passage written to the model is never searched or quoted.
        self.directives = [p for p in stored if addresses_the_model(p.page_content)]
        for p in self.directives:
            log.warning(
                "%s, characters %s-%s, reads as an instruction to the model; it is shown in "
                "the article but never used to answer: %.80r",
                p.metadata["source"],
                p.metadata["start"],
                p.metadata["end"],
                p.page_content,
            )
        planted = {p.id for p in self.directives}
        self.passages = [p for p in stored if p.id not in planted]
        self._by_id = {p.id: i for i, p in enumerate(self.passages)}
        self.bm25 = BM25([content_stems(t) for t in retrieval_texts(self.passages)])
        self.vocabulary = frozenset(self.bm25.postings)
        self._by_initial: dict[str, list[str]] = {}
        for term in sorted(self.vocabulary):
            self._by_initial.setdefault(term[:1], []).append(term)

    def embed(self, text: str) -> np.ndarray:
        """The unit vector of a text."""
        return self.embeddings.encode([text])[0]

    def search(self, query: str, k: int, vector: np.ndarray | None = None) -> list[Hit]:
        """The k best passages by reciprocal-rank fusion of dense and BM25 rankings."""
        if not self.passages:
            return []
        vector = self.embed(query) if vector is None else vector
        depth = min(len(self.passages), max(4 * k, 20))
        found = self.index.dense_search(vector.tolist(), depth + len(self.directives))
        dense = {doc.id: sim for doc, sim in found if doc.id in self._by_id}
        lexical = self.bm25.scores(content_stems(query))
        lexical_top = [int(i) for i in np.argsort(-lexical)[:depth] if lexical[i] > 0]
        fused: Counter[str] = Counter()
        for rank, pid in enumerate(sorted(dense, key=dense.get, reverse=True)):
            fused[pid] += 1 / (RRF_K + rank + 1)
        for rank, i in enumerate(lexical_top):
            fused[self.passages[i].id] += 1 / (RRF_K + rank + 1)
        best = [pid for pid, _ in fused.most_common(k)]
        missing = [pid for pid in best if pid not in dense]
        if missing:  # found by BM25 alone: their stored vectors give the dense score
            sims = self.index.stored_vectors(missing) @ vector
            dense.update(zip(missing, sims.tolist(), strict=True))
        hits = []
        for pid in best:
            i = self._by_id[pid]
            hits.append(Hit(self.passages[i], fused[pid], float(dense[pid]), float(lexical[i])))
        return hits

    def gate(
        self, question: Question, hits: list[Hit], relevance: float, min_relevance: float
    ) -> GateDecision:
        """Decide before any generation whether the retrieved passages can answer the question."""
        if question.intent == "instruction":
            return GateDecision(False, "instruction")
        if not hits:
            return GateDecision(False, "low_relevance", "the index is empty")
        if question.intent in ("summary", "names"):  # about the article as a whole
            return GateDecision(True, "ok")
        if relevance < min_relevance and not _covered(question.text, hits):
            specific, _ = self.unfamiliar_words(question.text)
            if specific:  # say which name the articles never use, not just "doesn't say"
                return GateDecision(False, "unknown_terms", ", ".join(specific))
            return GateDecision(False, "low_relevance", f"best similarity {relevance:.2f}")
        if question.answer_type != "any" and not any(
            answers_type(question, h.passage.page_content) for h in hits
        ):
            return GateDecision(False, "no_answer_type", question.answer_type)
        specific, vague = self.unfamiliar_words(question.text)
        # A name or number the articles never use means they are about something else; one or
        # two unfamiliar ordinary words are tolerated (casual wording) when a passage matches
        # closely.
        if specific or len(vague) > 2 or (vague and relevance < CLOSE_MATCH):
            return GateDecision(False, "unknown_terms", ", ".join(specific + vague))
        return GateDecision(True, "ok")

    def unfamiliar_words(self, text: str) -> tuple[list[str], list[str]]:
        """Question words that no passage uses, allowing for typos and word families:
        (names and numbers, other words)."""
        specific_words = names(text) | numbers(text)
        specific, vague = [], []
        for word in dict.fromkeys(content_words(text)):
            if word in FRAME_WORDS or self._known(word) or _misspelled_stopword(word):
                continue
            (specific if word in specific_words else vague).append(word)
        return specific, vague

    def _known(self, word: str) -> bool:
        """The corpus uses the word: same stem, a spelling one edit away (two for words of ten
        letters or more), or the same word family (intel/intelligence, skeptical/skepticism)."""
        s = stem(word)
        if s in self.vocabulary:
            return True
        limit = 0 if len(s) < 4 else 1 if len(s) < 10 else 2
        for t in self._by_initial.get(s[:1], ()):
            if limit and abs(len(t) - len(s)) <= limit and edit_distance_at_most(s, t, limit):
                return True
            if _same_family(s, t):
                return True
        return False


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


def _same_family(a: str, b: str) -> bool:
    """Stems of one word family: one a prefix of the other (intel, intelligence), a long shared
    beginning (skeptical, skepticism), or all but the last letter shared (history,
    historical); not words that are merely alike (sanction, sanctity)."""
    shared = len(os.path.commonprefix([a, b]))
    shorter = min(len(a), len(b))
    return shared >= 5 and (shared >= shorter - 1 or shared >= 7)


def _covered(question: str, hits: list[Hit]) -> bool:
    """True when one passage holds every content word of the question: two or more words, or
    a single name ("What about Israel?")."""
    asked = set(content_stems(question))
    if not asked:
        return False
    for h in hits:
        text = h.passage.page_content
        if asked <= set(content_stems(text)) and (
            len(asked) >= 2 or asked <= {stem(n) for n in names(text)}
        ):
            return True
    return False


def _misspelled_stopword(word: str) -> bool:
    """'wich', 'waht': a typo of a function word carries no topic."""
    return len(word) >= 3 and any(
        abs(len(word) - len(s)) <= 1 and s[:1] == word[:1] and edit_distance_at_most(word, s, 1)
        for s in _LONG_STOPWORDS
    )


_LONG_STOPWORDS = tuple(w for w in STOPWORDS if len(w) >= 4 and "'" not in w)
