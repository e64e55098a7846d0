"""Dense (Chroma) and lexical (BM25) retrieval fused into one ranking."""

from __future__ import annotations

import logging
import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from langchain_core.documents import Document

from rag.answer.headings import headings
from rag.ingest.documents import retrieval_texts
from rag.ingest.index import PassageIndex
from rag.nlp.initialisms import Initialisms
from rag.nlp.injection import addresses_the_model
from rag.nlp.spelling import Speller
from rag.nlp.vocabulary import Vocabulary
from rag.nlp.words import content_stems, words
from rag.tuning import TUNING

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Hit:
    """A retrieved passage with its fused score and the two scores it came from."""

    passage: Document
    score: float  # reciprocal-rank fusion of the two rankings (higher is better)
    dense: float  # cosine similarity of query and passage, -1..1
    lexical: float  # BM25 score, 0 when no query word occurs


class BM25:
    """Okapi BM25 over stemmed content words, with per-term weights computed once."""

    def __init__(
        self, docs: list[list[str]], k1: float | None = None, b: float | None = None
    ) -> None:
        k1 = TUNING.bm25_k1 if k1 is None else k1
        b = TUNING.bm25_b if b is None else b
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
        # term -> inverse document frequency: near 0 for a term every document holds
        self.idf: dict[str, float] = {}
        for term, (ids, tfs) in raw.items():
            idx = np.array(ids)
            tf = np.array(tfs, dtype=np.float32)
            idf = self.idf[term] = math.log(1 + (self.size - len(ids) + 0.5) / (len(ids) + 0.5))
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
        # The headline and section headings are the article's words too: a reader who asks
        # "why are allies rethinking" echoes the headline's "Rethink".
        titles = [h.page_content for h in headings(self.passages)]
        self.vocabulary = Vocabulary(
            set(self.bm25.postings).union(*(content_stems(t) for t in titles))
        )
        self.speller = Speller(
            w for t in [p.page_content for p in self.passages] + titles for w in words(t)
        )
        self.initialisms = Initialisms(p.page_content for p in self.passages)

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
            fused[pid] += 1 / (TUNING.rrf_k + rank + 1)
        for rank, i in enumerate(lexical_top):
            fused[self.passages[i].id] += 1 / (TUNING.rrf_k + rank + 1)
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
