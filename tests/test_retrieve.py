"""Hybrid retrieval on the real article with the real MiniLM."""

import numpy as np
import pytest

from rag.answer.retrieve import BM25

pytestmark = pytest.mark.slow


def test_bm25_ranks_by_rare_shared_terms() -> None:
    bm25 = BM25([["cat", "sat"], ["dog", "sat"], ["dog", "dog", "bark"]])
    scores = bm25.scores(["dog", "bark"])
    assert int(np.argmax(scores)) == 2 and scores[0] == 0


def test_bm25_idf_is_near_zero_for_a_term_every_document_holds() -> None:
    bm25 = BM25([["cat", "sat"], ["dog", "sat"], ["dog", "sat", "bark"]])
    assert bm25.idf["sat"] < 0.2 < bm25.idf["dog"] < bm25.idf["cat"] == bm25.idf["bark"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Which allies are rethinking intelligence sharing?", "Israel, Saudi Arabia"),
        ("Who defends Trump's diplomatic overtures?", "Republican lawmakers"),
        ("What speculation did the cyber policy shifts fuel?", "cyber détente"),
    ],
)
def test_evidence_passage_is_retrieved(retriever, question: str, expected: str) -> None:
    hits = retriever.search(question, 4)
    assert any(expected in h.passage.page_content for h in hits)
    assert all(-1 <= h.dense <= 1 for h in hits)


def test_the_headline_and_headings_are_words_the_article_uses(retriever) -> None:
    # "Rethink" and "Frontier" appear only in the headline and a section heading.
    assert retriever.vocabulary.knows("rethinking") and retriever.vocabulary.knows("frontier")
    assert retriever.speller.correct("reasurances") == "reassurances"
    assert not retriever.vocabulary.knows("guitar")
