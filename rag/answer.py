"""Answer a question: retrieve, gate, generate (streamed), verify; else quote or abstain."""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections.abc import Iterator
from importlib import resources

import numpy as np
from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from rag.abstain import REFUSAL, not_answered
from rag.config import Settings
from rag.llm import describe, stream_text
from rag.question import Question, classify, clean
from rag.reply import Answer, Draft, Event, citation
from rag.retrieve import GateDecision, Hit, Retriever, answers_type
from rag.text import content_stems, content_words, name_phrases, names, words
from rag.verify import Claim, check_support, split_claims, split_finished

log = logging.getLogger(__name__)

SEARCHING = "Searching the article..."  # the first status of every answer
MAX_QUOTES = 2
_META = re.compile(
    r"(the|this|these) (passages?|article|text|author|report|context)s? (\w+ )?(discuss|mention|"
    r"talk|describ|highlight|focus|explor|provid|state|say|do(es)? not)",
    re.IGNORECASE,
)
MAX_SENTENCES = 2  # generated sentences in an answer; the model is stopped after these
QUOTE_MARGIN = 0.9  # a second passage is quoted when it scores within 10% of the best
CONTEXT_MARGIN = 0.2  # passages shown to the model score within this of the best
LEXICAL_WEIGHT = 0.3  # weight of the question's own words in ranking passages for the answer
NAME_BONUS = 0.05  # per new name (up to 3) in a passage, for 'which' and 'who' questions
MIN_NEW_WORDS = 2  # a generated sentence must say at least this much beyond the question
SUMMARY_SENTENCES = 5  # passages quoted in a summary
MAX_NAME_PASSAGES = 8  # passages cited when listing the names in an article


def _prompt(name: str) -> str:
    return resources.files("rag").joinpath("prompts", name).read_text(encoding="utf-8").strip()


SYSTEM_PROMPT = _prompt("answer_system.txt")
USER_PROMPT = _prompt("answer_user.txt")


class Answerer:
    """The question-answering pipeline over one index and one chat model."""

    def __init__(self, settings: Settings, retriever: Retriever, model: BaseChatModel) -> None:
        self.settings = settings
        self.retriever = retriever
        self.model = model
        self.backend = f"{settings.backend}:{describe(model)}"
        self._vectors: dict[str, np.ndarray] = {}  # text -> unit vector
        self._vectors_lock = threading.Lock()  # the page answers several readers at once

    def ask(self, question: str, history: list[dict] | None = None) -> Answer:
        """The final answer (see `stream` for the steps); raises QuestionError on bad input."""
        for event in self.stream(question, history):
            if event.answer is not None:
                return event.answer
        raise AssertionError("stream() always ends with an answer event")

    def stream(self, question: str, history: list[dict] | None = None) -> Iterator[Event]:
        """Status lines, then each verified sentence as soon as it is checked, then the answer."""
        t0 = time.perf_counter()
        q = classify(clean(question))
        yield Event("status", SEARCHING)
        query = _retrieval_query(q, history or [])
        q_vector, hits, decision = self._retrieve(q, query)
        timings = {"retrieve": _ms(t0), "generate": 0.0, "verify": 0.0}
        retrieved = [_span(h.passage) for h in hits]
        if not decision.answer:
            yield _final(self._abstain(q, hits, decision, timings, t0), retrieved)
            return
        draft = Draft()
        if q.intent == "summary":
            for passage in self._key_passages(hits[0].passage.metadata["source"]):
                yield from _shown(draft.add(passage.page_content, [passage], quote=True))
            yield _final(self._finish(q, draft, "summary", timings, t0), retrieved)
            return
        if q.intent == "names":
            groups = self._names(hits[0].passage.metadata["source"])
            if not groups:
                decision = GateDecision(False, "low_relevance", "the article names no one")
                yield _final(self._abstain(q, hits, decision, timings, t0), retrieved)
                return
            for passage, found in groups[:MAX_NAME_PASSAGES]:
                yield from _shown(draft.add(", ".join(found), [passage]))
            more = "; and others" if len(groups) > MAX_NAME_PASSAGES else ""
            answer = self._finish(q, draft, "names", timings, t0)
            answer.answer = f"The article names {'; '.join(draft.sentences)}{more}."
            yield _final(answer, retrieved)
            return
        # A follow-up's own words steer the ranking only when it has some ("why do they say
        # that?" has none, and its own vector would only add noise).
        own = query != q.text and content_stems(q.text)
        ranked = self._rank(q, hits, q_vector if own else None)
        if not ranked:
            decision = GateDecision(
                False,
                "no_answer_type" if q.answer_type != "any" else "low_relevance",
                "no passage answers it",
            )
            yield _final(self._abstain(q, hits, decision, timings, t0), retrieved)
            return
        yield Event("status", "Writing the answer...")
        yield from self._generate(q, ranked, q_vector, draft, timings, t0)
        mode = "generated"
        if not draft.sentences:
            mode = "quoted"
            for passage in _quotes(ranked):
                yield from _shown(draft.add(passage.page_content, [passage], quote=True))
        yield _final(self._finish(q, draft, mode, timings, t0), retrieved)

    def would_answer(self, question: str) -> bool:
        """Whether the article passes the gate for this question (retrieval only, no model)."""
        q = classify(clean(question))
        return self._retrieve(q, q.text)[2].answer

    def _retrieve(self, q: Question, query: str) -> tuple[np.ndarray, list[Hit], GateDecision]:
        """The question's vector, the passages found for the query, and the gate's decision."""
        q_vector = self.retriever.embed(q.text)
        query_vector = q_vector if query == q.text else self.retriever.embed(query)
        hits = self.retriever.search(query, self.settings.top_k, vector=query_vector)
        relevance = max((h.dense for h in hits), default=0.0)
        return q_vector, hits, self.retriever.gate(q, hits, relevance, self.settings.min_relevance)

    def _rank(
        self, q: Question, hits: list[Hit], follow_up_vector: np.ndarray | None
    ) -> list[tuple[Document, float]]:
        """Passages that can answer the question, best first, only those holding the kind of
        answer asked for. Score: retrieval similarity (for a follow-up, averaged with the
        similarity to the new question alone), plus the share of the question's own words the
        passage contains, plus a little per new name when the question asks 'which' or 'who'."""
        asked = set(content_stems(q.text))
        asked_words = set(content_words(q.text))
        wants_names = q.answer_type == "person" or "which" in words(q.text)[:3]
        texts = [h.passage.page_content for h in hits]
        own = (
            self._embed(texts) @ follow_up_vector
            if follow_up_vector is not None
            else [h.dense for h in hits]
        )
        ranked = []
        for h, own_similarity in zip(hits, own, strict=True):
            text = h.passage.page_content
            if q.answer_type != "any" and not answers_type(q, text):
                continue
            score = (h.dense + float(own_similarity)) / 2
            score += LEXICAL_WEIGHT * len(asked & set(content_stems(text))) / (len(asked) or 1)
            if wants_names:
                score += NAME_BONUS * min(len(names(text) - asked_words), 3)
            ranked.append((h.passage, score))
        return sorted(ranked, key=lambda pair: -pair[1])

    def _generate(
        self,
        q: Question,
        ranked: list[tuple[Document, float]],
        q_vector: np.ndarray,
        draft: Draft,
        timings: dict[str, float],
        t0: float,
    ) -> Iterator[Event]:
        """Stream the model's answer; yield each sentence that a top passage supports."""
        best = ranked[0][1]
        passages = [p for p, score in ranked if score >= best - CONTEXT_MARGIN]
        preferred = passages[:MAX_QUOTES]
        numbered = "\n".join(f"[{i}] {p.page_content}" for i, p in enumerate(passages, 1))
        messages = [
            SystemMessage(SYSTEM_PROMPT),
            HumanMessage(USER_PROMPT.format(passages=numbered, question=q.text)),
        ]
        buffer = ""
        t = time.perf_counter()
        stop = ["\n\n", "Question:", "<passages>"]
        with contextlib.closing(stream_text(self.model, messages, stop=stop)) as pieces:
            for piece in pieces:
                timings.setdefault("first_token", _ms(t0))
                buffer += piece
                complete, buffer = split_finished(buffer, len(passages))
                for claim in complete:
                    timings["generate"] += _ms(t)
                    t = time.perf_counter()
                    sentence = self._accept(claim, q, passages, preferred, q_vector, draft)
                    timings["verify"] += _ms(t)
                    t = time.perf_counter()
                    yield from _shown(sentence)
                if len(draft.sentences) >= MAX_SENTENCES:
                    buffer = ""  # enough said: stop the model early
                    break
        timings["generate"] += _ms(t)
        t = time.perf_counter()
        for claim in split_claims(buffer, len(passages)):
            yield from _shown(self._accept(claim, q, passages, preferred, q_vector, draft))
        timings["verify"] += _ms(t)

    def _accept(
        self,
        claim: Claim,
        q: Question,
        passages: list[Document],
        preferred: list[Document],
        q_vector: np.ndarray,
        draft: Draft,
    ) -> str | None:
        """Add a generated sentence to the draft if one of the best passages supports it and it
        fits the question; the citation is the supporting passage (the cited one if it does)."""
        if q.answer_type != "any" and not answers_type(q, claim.text):
            return None
        if len(set(content_stems(claim.text)) - set(content_stems(q.text))) < MIN_NEW_WORDS:
            return None  # it only restates the question
        if _META.match(claim.text):
            return None  # "The passage discusses...": a description of the text, not an answer
        cited = [passages[n - 1] for n in claim.cited]
        candidates = [p for p in cited if p in preferred] + [p for p in preferred if p not in cited]
        candidates = [p for p in candidates if self._supports(claim.text, p, q, None)]
        if candidates:
            vectors = self._embed([claim.text] + [p.page_content for p in candidates])
            s_vector, p_vectors = vectors[0], vectors[1:]
            if float(s_vector @ q_vector) < self.settings.min_relevance:
                return None
            for passage, p_vector in zip(candidates, p_vectors, strict=True):
                if self._supports(claim.text, passage, q, float(s_vector @ p_vector)):
                    if passage not in cited:
                        log.info("citation set to the supporting passage: %s", claim.text)
                    return draft.add(claim.text, [passage])
        log.info("unsupported sentence removed: %s", claim.text)
        return None

    def _supports(
        self, text: str, passage: Document, q: Question, similarity: float | None
    ) -> bool:
        return check_support(
            text, passage.page_content, similarity, self.settings.min_support, question=q.text
        ).supported

    def _names(self, source: str) -> list[tuple[Document, list[str]]]:
        """For "who is mentioned?": each name in the source, as written, with the passage that
        first has it, in article order. A name inside a longer one ("Trump" in "President
        Donald Trump") is listed once, as the longer."""
        first: dict[str, tuple[str, Document]] = {}
        for p in self._body(source):
            for name in name_phrases(p.page_content):
                first.setdefault(name.lower(), (name, p))
        spelled = {key: set(key.split()) for key in first}  # as written: Russia is not Russian
        grouped: dict[str, tuple[Document, list[str]]] = {}
        for key, (name, p) in first.items():
            if any(spelled[key] < other for other in spelled.values()):
                continue
            grouped.setdefault(p.id, (p, []))[1].append(name)
        return list(grouped.values())

    def _body(self, source: str) -> list[Document]:
        """The passages of one source's paragraphs (not title or headings), in order."""
        return [
            p
            for p in self.retriever.passages
            if p.metadata["source"] == source and p.metadata["kind"] == "body"
        ]

    def _key_passages(self, source: str) -> list[Document]:
        """For a summary: a news article's lead (its first two passages), then the first passage
        of each later section, in article order."""
        body = self._body(source)
        chosen = body[:2]
        seen = {p.metadata["section"] for p in chosen}
        for p in body[2:]:
            if p.metadata["section"] not in seen:
                seen.add(p.metadata["section"])
                chosen.append(p)
        return chosen[:SUMMARY_SENTENCES]

    def _abstain(
        self,
        q: Question,
        hits: list[Hit],
        decision: GateDecision,
        timings: dict[str, float],
        t0: float,
    ) -> Answer:
        """A plain 'the article doesn't say', naming the nearest passage; or a refusal."""
        if decision.reason == "instruction":
            text, citations, mode = REFUSAL, [], "refused"
        else:
            text, mode = not_answered(q, decision), "abstained"
            citations = [citation(1, hits[0].passage)] if hits else []
            if hits:
                text += " The closest passage is [1]."
        return Answer(
            q.text, text, True, citations, self.backend, _total(timings, t0), mode, decision.reason
        )

    def _finish(
        self, q: Question, draft: Draft, mode: str, timings: dict[str, float], t0: float
    ) -> Answer:
        return Answer(
            q.text,
            " ".join(draft.sentences),
            False,
            draft.citations(),
            self.backend,
            _total(timings, t0),
            mode,
        )

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Unit vectors, cached by text (passages and sentences recur across questions)."""
        with self._vectors_lock:
            todo = [t for t in dict.fromkeys(texts) if t not in self._vectors]
            if todo:
                if len(self._vectors) > 20_000:
                    self._vectors.clear()
                for t, v in zip(todo, self.retriever.embeddings.encode(todo), strict=True):
                    self._vectors[t] = v
            return np.stack([self._vectors[t] for t in texts])


def _span(passage: Document) -> tuple[str, int, int]:
    m = passage.metadata
    return m["source"], int(m["start"]), int(m["end"])


def _shown(sentence: str | None) -> Iterator[Event]:
    """A sentence event, unless the draft dropped the sentence as a repeat."""
    if sentence:
        yield Event("sentence", sentence)


def _final(answer: Answer, retrieved: list[tuple[str, int, int]]) -> Event:
    answer.retrieved = retrieved
    return Event("answer", answer=answer)


def _retrieval_query(q: Question, history: list[dict]) -> str:
    """The question, joined to the reader's previous question when it leans on it."""
    if not q.follow_up:
        return q.text
    previous = [
        m.get("content", "") for m in history if isinstance(m, dict) and m.get("role") == "user"
    ]
    previous = [p for p in previous if isinstance(p, str) and p.strip()]
    if not previous:
        return q.text
    return f"{previous[-1].strip()[:1000]} {q.text}"


def _quotes(ranked: list[tuple[Document, float]]) -> list[Document]:
    """The best passage, and the next one too when it scores nearly as well, in article order."""
    top = ranked[0][1]
    chosen = [p for p, score in ranked[:MAX_QUOTES] if score >= top * QUOTE_MARGIN]
    return sorted(chosen, key=lambda p: (p.metadata["source"], int(p.metadata["start"])))


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 1)


def _total(timings: dict[str, float], t0: float) -> dict[str, float]:
    return {**timings, "total": _ms(t0)}
