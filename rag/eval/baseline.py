"""LangChain's tutorial RAG chain, run on the same items and model for comparison in `rag eval`."""

from __future__ import annotations

import re
import tempfile
import time

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage
from langchain_text_splitters import RecursiveCharacterTextSplitter

from rag.ingest.documents import read_source, seed_files
from rag.ingest.embeddings import SentenceEmbeddings
from rag.llm import LLMError, stream_text
from rag.settings import Settings

# The prompt of LangChain's RAG tutorial ("rlm/rag-prompt"), word for word.
TUTORIAL_PROMPT = """You are an assistant for question-answering tasks. Use the following pieces \
of retrieved context to answer the question. If you don't know the answer, just say that you \
don't know. Use three sentences maximum and keep the answer concise.
Question: {question}
Context: {context}
Answer:"""
# How the evaluation recognizes that the tutorial chain declined to answer.
_DECLINED = re.compile(
    r"\b(don'?t|do not|doesn'?t|does not|cannot|can'?t) (know|say|mention|"
    r"provide|answer)|\bnot (mentioned|provided|specified|stated)\b|"
    r"\bno (information|mention)\b",
    re.IGNORECASE,
)


class TutorialChain:
    """Recursive 1,000-character chunks (200 overlap), Chroma, top 4, the tutorial prompt."""

    def __init__(
        self, settings: Settings, embeddings: SentenceEmbeddings, model: BaseChatModel
    ) -> None:
        self.model = model
        self._dir = tempfile.TemporaryDirectory(prefix="rag-baseline-")
        client = chromadb.PersistentClient(
            self._dir.name, ChromaSettings(anonymized_telemetry=False)
        )
        self.store = Chroma(
            client=client, collection_name="tutorial", embedding_function=embeddings
        )
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=1000, chunk_overlap=200, add_start_index=True
        )
        docs = []
        for path in seed_files(settings.seeds_dir):
            source = path.relative_to(settings.seeds_dir).as_posix()
            docs += splitter.split_documents(
                [Document(read_source(path), metadata={"source": source})]
            )
        self.store.add_documents(docs)
        self.retriever = self.store.as_retriever(search_kwargs={"k": 4})

    def answer_item(self, item: dict) -> dict:
        """Answer one test item the tutorial way; its 'citations' are the retrieved chunks."""
        t = time.perf_counter()
        docs = self.retriever.invoke(item["question"])
        context = "\n\n".join(d.page_content for d in docs)
        prompt = TUTORIAL_PROMPT.format(question=item["question"], context=context)
        first = None
        parts = []
        try:
            for piece in stream_text(self.model, [HumanMessage(prompt)]):
                first = first or round((time.perf_counter() - t) * 1000, 1)
                parts.append(piece)
        except LLMError as err:
            parts = [str(err)]
        answer = "".join(parts).strip()
        spans = [
            (
                d.metadata["source"],
                d.metadata["start_index"],
                d.metadata["start_index"] + len(d.page_content),
            )
            for d in docs
        ]
        citations = [
            {"n": i, "source": s, "section": "", "start": a, "end": b, "text": d.page_content}
            for i, ((s, a, b), d) in enumerate(zip(spans, docs, strict=True), 1)
        ]
        return {
            "answer": answer,
            "abstained": bool(_DECLINED.search(answer)) or not answer,
            "citations": citations,
            "retrieved": spans,
            "latency_ms": round((time.perf_counter() - t) * 1000, 1),
            "first_token_ms": first,
            "mode": "tutorial",
        }
