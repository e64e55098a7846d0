"""Generate an answer with the chat model, streamed; keep only sentences a passage supports."""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Iterator
from importlib import resources

import numpy as np
from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.runnables import RunnableConfig

from rag.answer.answer_type import answers_type
from rag.answer.question import Question
from rag.answer.reply import Draft, Timings
from rag.answer.verify import Claim, check_support, split_claims, split_finished
from rag.llm import stream_text
from rag.nlp.sentences import ends_a_sentence
from rag.nlp.words import content_stems, words
from rag.tuning import TUNING

log = logging.getLogger(__name__)

# "The passage discusses...", "The passage is about...": a description of the text, not an
# answer.
_META = re.compile(
    r"(the|this|these) (passages?|article|text|author|report|context)s? (\w+ )?(discuss|mention|"
    r"talk|describ|highlight|focus|explor|provid|state|say|about|deal|concern|cover|address|"
    r"do(es)? not)",
    re.IGNORECASE,
)
_STOP = ["\n\n", "Question:", "<passages>"]
# The model reads numbered passages, the reader an article: "The passage warns that ..." is
# shown as "The article warns that ...".
_PASSAGE = re.compile(r"\b(the|this|that|these|those) passages?\b", re.IGNORECASE)
_PASSAGE_WORD = re.compile(r"\bpassages?\b", re.IGNORECASE)


def _prompt(name: str) -> str:
    return resources.files("rag").joinpath("prompts", name).read_text(encoding="utf-8").strip()


SYSTEM_PROMPT = _prompt("answer_system.txt")
USER_PROMPT = _prompt("answer_user.txt")


class Generator:
    """Streams the model's answer over the best passages and verifies it sentence by sentence."""

    def __init__(
        self,
        model: BaseChatModel,
        embed: Callable[[list[str]], np.ndarray],
        min_support: float,
    ) -> None:
        self.model = model
        self.embed = embed
        self.min_support = min_support

    def stream(
        self,
        q: Question,
        passages: list[Document],
        q_vector: np.ndarray,
        draft: Draft,
        timings: Timings,
        config: RunnableConfig | None = None,
    ) -> Iterator[str]:
        """Each sentence that a top passage supports, as soon as it is checked; the model is
        stopped once the answer has enough of them."""
        preferred = passages[: TUNING.max_quotes]
        numbered = "\n".join(f"[{i}] {p.page_content}" for i, p in enumerate(passages, 1))
        messages = [
            SystemMessage(SYSTEM_PROMPT),
            HumanMessage(USER_PROMPT.format(passages=numbered, question=q.text)),
        ]

        def accept(claims: list[Claim]) -> Iterator[str]:
            timings.lap("generate")
            for claim in claims:
                sentence = self._accept(claim, q, passages, preferred, q_vector, draft)
                if sentence:
                    yield sentence
            timings.lap("verify")

        buffer = ""
        with contextlib.closing(stream_text(self.model, messages, _STOP, config)) as pieces:
            for piece in pieces:
                timings.mark("first_token")
                buffer += piece
                complete, buffer = split_finished(buffer, len(passages))
                yield from accept(complete)
                if len(draft.sentences) >= TUNING.max_sentences:
                    buffer = ""  # enough said: stop the model early
                    break
        rest = split_claims(buffer, len(passages))
        # What is left when the model stops mid-sentence was cut off by the token limit
        # ("...regarding Putin's intentions and past [1]") and reads as broken.
        if rest and not ends_a_sentence(rest[-1].text):
            log.info("unfinished sentence removed: %s", rest[-1].text)
            rest = rest[:-1]
        yield from accept(rest)

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
        if len(set(content_stems(claim.text)) - set(content_stems(q.text))) < TUNING.min_new_words:
            return None  # it only restates the question
        if _META.match(claim.text):
            return None
        cited = [passages[n - 1] for n in claim.cited]
        candidates = [p for p in cited if p in preferred] + [p for p in preferred if p not in cited]
        candidates = [p for p in candidates if self._supports(claim.text, p, q, None)]
        said = words(claim.text)
        if any(said == words(p.page_content) for p in candidates):
            # The model only copied a passage: the quoted answer cuts out the part that answers.
            log.info("copy of a whole passage removed: %s", claim.text)
            return None
        if candidates:
            vectors = self.embed([claim.text] + [p.page_content for p in candidates])
            s_vector, p_vectors = vectors[0], vectors[1:]
            if float(s_vector @ q_vector) < TUNING.min_sentence_relevance:
                return None
            for passage, p_vector in zip(candidates, p_vectors, strict=True):
                if self._supports(claim.text, passage, q, float(s_vector @ p_vector)):
                    if passage not in cited:
                        log.info("citation set to the supporting passage: %s", claim.text)
                    return draft.add(for_reader(claim.text, passage.page_content), [passage])
        log.info("unsupported sentence removed: %s", claim.text)
        return None

    def _supports(
        self, text: str, passage: Document, q: Question, similarity: float | None
    ) -> bool:
        return check_support(
            text, passage.page_content, similarity, self.min_support, question=q.text
        ).supported


def for_reader(sentence: str, source: str) -> str:
    """A generated sentence in the reader's terms: "the passage" becomes "the article", unless
    the source itself uses the word ("the passage of the bill")."""
    if _PASSAGE_WORD.search(source):
        return sentence
    return _PASSAGE.sub(
        lambda m: ("The" if m.group()[0].isupper() else "the") + " article", sentence
    )
