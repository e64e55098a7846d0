"""Assemble the pipeline from settings: embeddings, a fresh index, retriever, chat model."""

from __future__ import annotations

import logging
import time

from rag.answer.answerer import Answerer
from rag.answer.likelihood import load_likelihood
from rag.answer.retrieve import Retriever
from rag.ingest.embeddings import SentenceEmbeddings
from rag.ingest.index import IngestReport, PassageIndex
from rag.llm import make_chat_model
from rag.settings import Settings
from rag.tuning import TUNING

log = logging.getLogger(__name__)


def ingest(
    settings: Settings, embeddings: SentenceEmbeddings | None = None
) -> tuple[PassageIndex, IngestReport]:
    """Open the index and rebuild it if the seeds, model or splitting settings changed."""
    index = PassageIndex(settings, embeddings or SentenceEmbeddings(settings.embed_model))
    t = time.perf_counter()
    report = index.ensure()
    if report.rebuilt:
        log.info(
            "built %s (%d passages) in %.1fs",
            report.collection,
            report.passages,
            time.perf_counter() - t,
        )
    return index, report


def load_answerer(settings: Settings) -> Answerer:
    """A ready Answerer: index fresh, retriever and chat model loaded, and the question-
    likelihood scorer when `likelihood_weight` is set."""
    index, _ = ingest(settings)
    return Answerer(
        settings,
        Retriever(index),
        make_chat_model(settings),
        likelihood=load_likelihood(settings.threads) if TUNING.likelihood_weight else None,
    )
