"""The answering pipeline: read the question, retrieve, decide; generate, extract or decline."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, TypeVar

import numpy as np
from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import RunnableConfig, RunnableLambda

from rag.answer.decide import DecisionModel, GateDecision, decide, default_model
from rag.answer.decline import decline
from rag.answer.define import not_defined_note, term_asked, used_undefined, uses
from rag.answer.extract import body_passages, edge_passage, names_by_passage, summary_sentences
from rag.answer.generate import Generator
from rag.answer.headings import asks_position, headings, layout_intent, pick_sections, section_named
from rag.answer.likelihood import QuestionLikelihood
from rag.answer.parts import missing_part_note, two_parts
from rag.answer.question import Question, classify, clean
from rag.answer.rank import (
    Ranked,
    context_passages,
    paragraph_of,
    quotes,
    rank_passages,
    with_likelihood,
)
from rag.answer.reply import Answer, Draft, Event, Timings
from rag.answer.retrieve import Hit, Retriever
from rag.answer.signals import Signals, measure
from rag.answer.span import answer_span
from rag.answer.suggest import suggestions
from rag.llm import describe
from rag.nlp.words import content_stems
from rag.settings import Settings
from rag.tuning import TUNING

SEARCHING = "Searching the article..."  # the first status of every answer
WRITING = "Writing the answer..."
T = TypeVar("T")


@dataclass(frozen=True)
class Assessment:
    """A question read once, its passages found, and the decision taken on them."""

    q: Question
    query: str  # what was searched: the question, or a follow-up joined to the previous one
    vector: np.ndarray  # the question's own unit vector
    hits: list[Hit]  # passages found for the query, best first
    signals: Signals
    decision: GateDecision

    @property
    def read_as(self) -> Question:
        """The question as it is answered: a follow-up with no words of its own ("why is
        that?") reads as the previous question continued."""
        if continues_previous(self.q, self.query):
            return replace(self.q, text=self.query)
        return self.q

    @property
    def ruled(self) -> bool:
        """Decided by rule (an instruction, a question about the whole article, no index),
        not by the fitted model."""
        return self.decision.probability is None


class Answerer:
    """The question-answering pipeline over one index and one chat model."""

    def __init__(
        self,
        settings: Settings,
        retriever: Retriever,
        model: BaseChatModel,
        decision: DecisionModel | None = None,
        likelihood: QuestionLikelihood | None = None,
    ) -> None:
        self.settings = settings
        self.retriever = retriever
        self.model = model
        self.decision = decision or default_model()
        self.likelihood = likelihood  # None: passages are ranked without it
        self.backend = f"{settings.backend}:{describe(model)}"
        self.generator = Generator(model, self._embed, settings.min_support)
        self._vectors: dict[str, np.ndarray] = {}  # text -> unit vector
        self._vectors_lock = threading.Lock()  # the page answers several readers at once

    def ask(
        self,
        question: str,
        history: list[dict] | None = None,
        config: RunnableConfig | None = None,
    ) -> Answer:
        """The final answer (see `stream` for the steps); raises QuestionError on bad input."""
        for event in self.stream(question, history, config):
            if event.answer is not None:
                return event.answer
        raise AssertionError("stream() always ends with an answer event")

    def stream(
        self,
        question: str,
        history: list[dict] | None = None,
        config: RunnableConfig | None = None,
    ) -> Iterator[Event]:
        """Status lines, then each verified sentence as soon as it is checked, then the answer.
        With a LangChain `config`, its callbacks see each stage as a run of its own."""
        timings = Timings()
        q = classify(clean(question))
        yield Event("status", SEARCHING)
        seen = self._assess(q, history or [], config)
        asked = q  # the reply names the question as asked
        seen, unanswered = self._answered_part(seen, history or [])
        q = seen.q if unanswered else replace(q, intent=seen.q.intent)
        timings.lap("retrieve")
        decision, hits, draft, mode = seen.decision, seen.hits, Draft(), "abstained"
        if decision.answer and q.intent == "summary":
            mode = "summary"
            for sentence, passage in summary_sentences(self._body(hits)):
                yield from _shown(draft.add(sentence, [passage], quote=True))
        elif decision.answer and q.intent in ("title", "sections"):
            source = hits[0].passage.metadata["source"]
            mode, found = "quoted", [h for h in self._headings if h.metadata["source"] == source]
            if q.intent == "title":
                chosen = [h for h in found if h.metadata["kind"] == "title"][:1]
            else:
                sections = [h for h in found if h.metadata["kind"] == "heading"]
                texts = {
                    s.page_content: "\n".join(p.page_content for p in self._section_passages(s))
                    for s in sections
                }
                chosen = pick_sections(sections, seen.q.text, _last_answer(history or []), texts)
            if not chosen:
                decision = GateDecision(False, "low_relevance", f"the text has no {q.intent}")
            for heading in chosen:
                yield from _shown(draft.add(heading.page_content, [heading], quote=True))
        elif decision.answer and q.intent == "section":
            mode = "summary"
            # The typo-corrected text, on which the intent was decided ("insigths").
            section = section_named(seen.q.text, self._sections)
            for sentence, passage in summary_sentences(self._section_passages(section)):
                yield from _shown(draft.add(sentence, [passage], quote=True))
        elif decision.answer and q.intent in ("ending", "opening"):
            mode, passage = "quoted", edge_passage(self._body(hits), q.intent)
            yield from _shown(draft.add(passage.page_content, [passage], quote=True))
        elif decision.answer and q.intent == "names":
            mode, groups = "names", names_by_passage(self._body(hits), q.text)
            if not groups:
                decision = GateDecision(False, "low_relevance", "the article names no one")
            for passage, found in groups[: TUNING.max_name_passages]:
                yield from _shown(draft.add(", ".join(found), [passage]))
        elif decision.answer:
            near = self._answered_from(history or []) if seen.query != seen.q.text else None
            ranked = rank_passages(seen.q, hits, near)
            if not ranked:
                reason = "no_answer_type" if q.answer_type != "any" else "low_relevance"
                decision = GateDecision(False, reason, "no passage answers it")
            else:
                yield Event("status", WRITING)
                mode = "generated"
                # The model sees the close passages whatever their new order: the likelihood
                # orders them, and takes the weaker ones out of the quotes, not out of sight.
                close = context_passages(ranked)
                ranked = self._reranked(seen.read_as.text, ranked, len(close))
                passages = [p for p, _ in ranked if p in close]
                for sentence in self.generator.stream(
                    seen.q, passages, seen.vector, draft, timings, config
                ):
                    yield Event("sentence", sentence)
                if not draft.sentences:
                    mode = "quoted"
                    for passage in quotes(ranked, seen.read_as):
                        span = answer_span(
                            seen.read_as,
                            passage.page_content,
                            one_thing=not unanswered,
                            idf=self.retriever.bm25.idf,
                        )
                        if span and (span.cut_before or span.cut_after):
                            mode = "extracted"
                        text = span.quoted() if span else passage.page_content
                        yield from _shown(draft.add(text, [passage], quote=True))
                term = term_asked(q.text)
                cited = [p.page_content for p in draft.cited]
                if term and draft.sentences and used_undefined(term, cited):
                    yield Event("sentence", draft.note(not_defined_note(term)))
        if decision.answer and unanswered and draft.sentences:
            yield Event("sentence", draft.note(missing_part_note(unanswered)))
        if decision.answer:
            answer = self._reply(asked, " ".join(draft.sentences), False, draft.citations(), mode)
            if mode == "names":
                more = "; and others" if len(groups) > TUNING.max_name_passages else ""
                answer.answer = f"The article names {'; '.join(draft.sentences)}{more}."
            elif q.intent == "title":
                answer.answer = f"The headline is {draft.sentences[0]}."
            elif q.intent == "sections":
                answer.answer = _sections_reply(draft.sentences)
        else:
            text, citations, mode = decline(q, hits, decision)
            answer = self._reply(asked, text, True, citations, mode, decision.reason)
        answer.timings_ms = timings.total()
        answer.retrieved = [_span(h.passage) for h in hits]
        answer.decision = {
            "probability": decision.probability,
            "signals": dict(zip(Signals.names(), seen.signals.vector(), strict=True)),
        }
        yield Event("answer", answer=answer)

    def assess(self, question: str, history: list[dict] | None = None) -> Assessment:
        """Read the question, find its passages and decide, without the model."""
        return self._assess(classify(clean(question)), history or [])

    def suggest(self, answer: Answer, asked: list[str]) -> list[str]:
        """Up to three questions about the passages beside those the answer cites, each one
        the answer/decline decision passes; `asked`: the conversation's earlier questions."""
        if not self.retriever.passages:
            return []
        source = (
            answer.citations[0].source
            if answer.citations
            else self.retriever.passages[0].metadata["source"]
        )
        body = body_passages(self.retriever.passages, source)
        cited = {(c.source, c.start) for c in answer.citations}
        used = [p for p in body if (p.metadata["source"], p.metadata["start"]) in cited]
        return suggestions(body, used, [*asked, answer.question], self.would_answer)

    def would_answer(self, question: str) -> bool:
        """Whether the article passes the decision for this question (retrieval only, no model)."""
        return self.assess(question).decision.answer

    def _assess(
        self, asked: Question, history: list[dict], config: RunnableConfig | None = None
    ) -> Assessment:
        # Initialisms of the article's names spelt out and typos corrected once, here: every
        # later stage reads the question so read ("nsc" -> "National Security Council").
        read = self.retriever.speller.correct(self.retriever.initialisms.expand(asked.text))
        q = replace(asked, text=read)
        q = replace(q, intent=self._layout_intent(q, history))
        query = retrieval_query(q, history)
        vector, own_hits, hits = traced("retrieve", lambda _: self._search(q, query), query, config)
        if continues_previous(q, query):
            # It is judged as the previous question continued. A follow-up with words of its
            # own is judged on them alone, so history cannot carry an off-topic question through.
            continued = replace(q, text=query)
            signals, missing = measure(continued, hits, hits, self.retriever.vocabulary, True)
        else:
            follow_up = query != q.text
            signals, missing = measure(q, own_hits, hits, self.retriever.vocabulary, follow_up)
        decision = traced(
            "decide",
            lambda _: decide(q, bool(hits), signals, missing, self.decision),
            signals,
            config,
        )
        # "What is <term>?" for a term the article uses, in a passage or its heading: what it
        # says about the term is the answer, with a note when it never defines it.
        term = term_asked(q.text)
        declined = not decision.answer and decision.reason != "instruction"
        if declined and term and any(uses(term, _with_heading(h.passage)) for h in hits):
            decision = GateDecision(True, "ok", "a term the article uses")
        return Assessment(q, query, vector, hits, signals, decision)

    def _answered_part(self, whole: Assessment, history: list[dict]) -> tuple[Assessment, str]:
        """For a question that asks two things of which the article answers just one: that
        part's assessment and the other part as asked. Otherwise the whole question's, and ""."""
        parts = two_parts(whole.q.text)
        if parts is None:
            return whole, ""
        first, second = (self._assess(classify(part), history) for part in parts)
        if first.decision.answer and not second.decision.answer:
            return first, parts[1]
        if second.decision.answer and not first.decision.answer:
            return second, parts[0]
        return whole, ""

    def _layout_intent(self, q: Question, history: list[dict]) -> str:
        """A question about one section by its heading's words reads as "section"; a position
        alone ("and the next one?") after a question about the headings reads as another."""
        if q.intent != "question":
            return q.intent
        if q.follow_up and asks_position(q.text):
            # The reader's last question that named more than a position.
            before = [
                c for c in said(history, "user") if isinstance(c, str) and not asks_position(c)
            ]
            if before and layout_intent(before[-1]) == "sections":
                return "sections"
        if section_named(q.text, self._sections):
            return "section"
        return q.intent

    @cached_property
    def _headings(self) -> list[Document]:
        """The titles and section headings of every indexed source, in order (the index is
        fixed once loaded)."""
        return headings(self.retriever.passages)

    @property
    def _sections(self) -> list[Document]:
        return [h for h in self._headings if h.metadata["kind"] == "heading"]

    def _section_passages(self, heading: Document) -> list[Document]:
        """The passages under a section heading, in order."""
        source = heading.metadata["source"]
        return [
            p
            for p in body_passages(self.retriever.passages, source)
            if p.metadata["section"] == heading.page_content
        ]

    def _search(self, q: Question, query: str) -> tuple[np.ndarray, list[Hit], list[Hit]]:
        """The question's vector, the passages for the question alone and for the query."""
        vector = self.retriever.embed(q.text)
        own_hits = self.retriever.search(q.text, self.settings.top_k, vector=vector)
        if query == q.text:
            return vector, own_hits, own_hits
        query_vector = self.retriever.embed(query)
        return vector, own_hits, self.retriever.search(query, self.settings.top_k, query_vector)

    def _answered_from(self, history: list[dict]) -> tuple | None:
        """The paragraph of the passage the previous answer matches best (BM25), or None."""
        scores = self.retriever.bm25.scores(content_stems(_last_answer(history)))
        if not scores.size or scores.max() <= 0:
            return None
        return paragraph_of(self.retriever.passages[int(scores.argmax())])

    def _reranked(self, question: str, ranked: Ranked, close: int) -> Ranked:
        """The first `close` passages ranked again by how likely the question is after each."""
        if self.likelihood is None or close < 2 or not TUNING.likelihood_weight:
            return ranked
        texts = [p.page_content for p, _ in ranked[:close]]
        likelihoods = self.likelihood.scores(question, texts)
        return with_likelihood(ranked, likelihoods, TUNING.likelihood_weight)

    def _body(self, hits: list[Hit]) -> list:
        return body_passages(self.retriever.passages, hits[0].passage.metadata["source"])

    def _reply(
        self, q: Question, text: str, abstained: bool, citations: list, mode: str, reason: str = ""
    ) -> Answer:
        return Answer(q.text, text, abstained, citations, self.backend, {}, mode, reason)

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


def traced(name: str, stage: Callable[[Any], T], arg: Any, config: RunnableConfig | None) -> T:
    """Run one stage; under a LangChain config, as a named run that callbacks (tracers) see."""
    if config is None:
        return stage(arg)
    return RunnableLambda(stage, name=name).invoke(arg, config)


def retrieval_query(q: Question, history: list[dict]) -> str:
    """The question, joined to the reader's previous question when it leans on it."""
    if not q.follow_up:
        return q.text
    previous = [p for p in said(history, "user") if isinstance(p, str) and p.strip()]
    if not previous:
        return q.text
    return f"{previous[-1].strip()[:1000]} {q.text}"


def continues_previous(q: Question, query: str) -> bool:
    """A follow-up with no words of its own ("why is that?"): it continues the previous
    question, which its retrieval query carries."""
    return query != q.text and not content_stems(q.text)


def _last_answer(history: list[dict]) -> str:
    """The previous reply's text, or ""."""
    replies = said(history, "assistant")
    return replies[-1] if replies and isinstance(replies[-1], str) else ""


def said(history: list[dict], role: str) -> list[Any]:
    """The contents of the conversation's messages from `role` ("user" or "assistant")."""
    return [m.get("content") for m in history if isinstance(m, dict) and m.get("role") == role]


def _sections_reply(quoted: list[str]) -> str:
    """'The section is headed “A” [1].', or the list of them for more than one."""
    if len(quoted) == 1:
        return f"The section is headed {quoted[0]}."
    return f"The sections are headed {'; '.join(quoted)}."


def _span(passage) -> tuple[str, int, int]:
    m = passage.metadata
    return m["source"], int(m["start"]), int(m["end"])


def _shown(sentence: str | None) -> Iterator[Event]:
    """A sentence event, unless the draft dropped the sentence as a repeat."""
    if sentence:
        yield Event("sentence", sentence)


def _with_heading(passage: Document) -> str:
    """The passage's text after the heading of its section: "Stance" in the headline is a word
    the article uses."""
    return f"{passage.metadata.get('section', '')}\n{passage.page_content}"
