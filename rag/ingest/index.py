"""The Chroma collection of passages: deterministic ids, upsert, fingerprint, rebuild when stale."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass

import chromadb
import numpy as np
from langchain_chroma import Chroma
from langchain_core.documents import Document

from rag.ingest.chroma import (
    IndexBuildError,
    chroma_client,
    open_client,
    set_aside_with_warning,
)
from rag.ingest.documents import load_passages, read_source, retrieval_texts, seed_files
from rag.ingest.embeddings import SentenceEmbeddings
from rag.settings import Settings

log = logging.getLogger(__name__)

COLLECTION_PREFIX = "passages-"
# Bump when the splitting code changes in a way the settings do not show.
SPLITTER_VERSION = "5"
# Passages embedded and stored per step: what an interrupted build keeps.
UPSERT_BATCH = 512


@dataclass(frozen=True)
class IngestReport:
    """What `ensure_index` did."""

    collection: str
    passages: int
    rebuilt: bool
    removed_collections: tuple[str, ...] = ()


def fingerprint(settings: Settings, embeddings: SentenceEmbeddings) -> str:
    """A hash of the seeds' bytes, the embedding model and the splitting settings."""
    h = hashlib.sha256()
    for path in seed_files(settings.seeds_dir):
        h.update(path.relative_to(settings.seeds_dir).as_posix().encode())
        h.update(hashlib.sha256(read_source(path).encode()).digest())
    h.update(
        json.dumps(
            [embeddings.name, embeddings.dimension, settings.passage_chars, SPLITTER_VERSION]
        ).encode()
    )
    return h.hexdigest()


class PassageIndex:
    """The passages of the current seeds in a Chroma collection, kept fresh by fingerprint."""

    def __init__(
        self,
        settings: Settings,
        embeddings: SentenceEmbeddings,
        client: chromadb.ClientAPI | None = None,
    ) -> None:
        self.settings = settings
        self.embeddings = embeddings
        # An index this object opened in data_dir may be set aside and rebuilt when unreadable;
        # a client passed in, or a Chroma server, belongs to someone else.
        self._owns_folder = client is None and not settings.chroma_url
        self.client = client or open_client(settings)
        self.fingerprint = fingerprint(settings, embeddings)
        self.collection_name = COLLECTION_PREFIX + self.fingerprint[:32]
        self._store: Chroma | None = None

    @property
    def store(self) -> Chroma:
        """The LangChain vector store over the current collection (call ensure() first)."""
        if self._store is None:
            self._store = Chroma(
                client=self.client,
                collection_name=self.collection_name,
                embedding_function=self.embeddings,
            )
        return self._store

    def is_current(self) -> bool:
        """True when a complete collection for the current fingerprint exists."""
        try:
            collection = self.client.get_collection(self.collection_name)
        except (ValueError, chromadb.errors.NotFoundError):
            return False
        return bool((collection.metadata or {}).get("complete"))

    def ensure(self) -> IngestReport:
        """Build the collection if it is missing, stale or incomplete; then drop stale ones.

        An embedded index that cannot be read (a corrupted database or vector file) is set
        aside and rebuilt; on a Chroma server the error is reported instead."""
        try:
            return self._ensure()
        except chromadb.errors.ChromaError as err:
            if not self._owns_folder:
                raise IndexBuildError(
                    f"the Chroma index cannot be read ({err}); check the server at "
                    f"{self.settings.chroma_url or 'the given client'}"
                ) from None
            self.client.close()
            self._store = None
            set_aside_with_warning(self.settings, err)
            self.client = chroma_client(self.settings)
            return self._ensure()

    def _ensure(self) -> IngestReport:
        rebuilt = False
        if not self.is_current():
            self._build()
            rebuilt = True
        removed = self._remove_stale()
        collection = self.client.get_collection(self.collection_name)
        # Reading one vector loads the vector files too, so a damaged index fails here, at
        # start-up, and not on a reader's question.
        probe = [1.0] + [0.0] * (self.embeddings.dimension - 1)
        collection.query(query_embeddings=[probe], n_results=1, include=[])
        return IngestReport(self.collection_name, collection.count(), rebuilt, removed)

    def upsert(self, passages: list[Document]) -> None:
        """Embed and upsert passages by their deterministic ids; re-running changes nothing.
        Each passage is embedded with its context window (see documents.retrieval_texts).
        Batches are stored as they are embedded, so an interrupted build keeps its progress."""
        collection = self.client.get_collection(self.collection_name)
        texts = retrieval_texts(passages)
        batch = max(1, min(self.client.get_max_batch_size(), UPSERT_BATCH))
        for i in range(0, len(passages), batch):
            chunk = passages[i : i + batch]
            collection.upsert(
                ids=[p.id for p in chunk],
                embeddings=self.embeddings.encode_documents(texts[i : i + batch]),
                documents=[p.page_content for p in chunk],
                metadatas=[p.metadata for p in chunk],
            )
            log.info("stored %d of %d passages", i + len(chunk), len(passages))

    def _build(self) -> None:
        """Fill the collection; it is marked complete only after the last passage is in.

        An incomplete collection of the same name (an interrupted build, or another process
        building right now against the same Chroma server) is filled, not deleted: its ids and
        contents are fixed by the fingerprint, so upserting them again is harmless."""
        passages = load_passages(self.settings.seeds_dir, self.settings.passage_chars)
        self._store = None
        ours = [n for n in _collection_names(self.client) if n.startswith(COLLECTION_PREFIX)]
        if self.collection_name in ours:
            why = "finishing a build that was interrupted"
        elif ours:
            why = "the seeds, the embedding model or the passage size changed"
        else:
            why = "there is no index yet"
        metadata = {
            "fingerprint": self.fingerprint,
            "embed_model": self.embeddings.name,
            "complete": False,
        }
        collection = self.client.get_or_create_collection(
            self.collection_name, metadata=metadata, configuration={"hnsw": {"space": "cosine"}}
        )
        log.warning(
            "building the passage index (%s): %d passages from %s into %s...",
            why,
            len(passages),
            self.settings.seeds_dir,
            self.collection_name,
        )
        stored = set(collection.get(include=[])["ids"])
        if stored:
            log.warning(
                "resuming: %d of %d passages were already stored", len(stored), len(passages)
            )
        self.upsert([p for p in passages if p.id not in stored])
        collection = self.client.get_collection(self.collection_name)
        collection.modify(metadata={**metadata, "complete": True})

    def _remove_stale(self) -> tuple[str, ...]:
        """Delete our collections of other fingerprints, once the current one is complete."""
        removed = []
        for name in _collection_names(self.client):
            if name.startswith(COLLECTION_PREFIX) and name != self.collection_name:
                self.client.delete_collection(name)
                removed.append(name)
        return tuple(removed)

    def all_passages(self) -> list[Document]:
        """Every passage in the collection, in source order."""
        got = self.client.get_collection(self.collection_name).get(
            include=["documents", "metadatas"]
        )
        docs = [
            Document(page_content=text, id=pid, metadata=dict(meta or {}))
            for pid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
        ]
        return sorted(docs, key=lambda d: (d.metadata["source"], d.metadata["start"]))

    def stored_vectors(self, ids: list[str]) -> np.ndarray:
        """The stored (context-window) vectors of passages, in the order of ids."""
        got = self.client.get_collection(self.collection_name).get(ids=ids, include=["embeddings"])
        by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
        return np.array([by_id[i] for i in ids], dtype=np.float32)

    def dense_search(self, vector: list[float], k: int) -> list[tuple[Document, float]]:
        """The k nearest passages with their cosine similarity (higher is closer)."""
        hits = self.store.similarity_search_by_vector_with_relevance_scores(vector, k=k)
        return [(doc, 1.0 - distance) for doc, distance in hits]


def _collection_names(client: chromadb.ClientAPI) -> list[str]:
    """The names of the client's collections (Chroma 1.x lists Collection objects)."""
    return [c.name for c in client.list_collections()]
