"""How likely a small language model finds the reader's question after each passage.

A passage that answers a question makes the question's words likely to follow it (query
likelihood; Sachan et al. 2022, "Improving Passage Retrieval with Zero-Shot Question
Generation"). Only the question's tokens are scored, so one forward pass per passage suffices;
the packaged SmolLM2 scores it locally whatever backend writes the answers.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from rag.llm import LLMError, default_gguf_path, load_llama

log = logging.getLogger(__name__)

PROMPT = "{passage}\nQuestion: "
# A passage (about 300 characters) and a question fit in far less.
CONTEXT_TOKENS = 512


class QuestionLikelihood:
    """Scores passages by the mean log-probability of a question's tokens after each one."""

    def __init__(self, model_path: str, n_threads: int = 0) -> None:
        # A context of its own, beside the chat model's, with the lock that guards it.
        self._llama, self._lock = load_llama(model_path, CONTEXT_TOKENS, n_threads)

    def scores(self, question: str, passages: Sequence[str]) -> list[float]:
        """For each passage, the mean log-probability of the question's tokens after it."""
        asked = self._llama.tokenize(question.encode(), add_bos=False, special=False)
        asked = asked[: CONTEXT_TOKENS // 2]  # a long question still leaves room for a passage
        if not asked:
            return [0.0] * len(passages)
        room = max(CONTEXT_TOKENS - len(asked), 1)  # tokens left for the passage
        out = []
        with self._lock:
            for passage in passages:
                prefix = self._llama.tokenize(
                    PROMPT.format(passage=passage).encode(), add_bos=True, special=False
                )
                out.append(self._score(prefix[:room], asked))
        return out

    def _score(self, prefix: list[int], asked: list[int]) -> float:
        """One decode of prefix + question, with logits only where a question token is
        predicted (the prefix's last position up to the question's second to last).
        llama-cpp-python's eval() keeps the logits of every token or of the last only, so its
        batch (an internal of 0.3.x) is filled here directly."""
        import llama_cpp

        tokens = prefix + asked
        batch = self._llama._batch.batch
        batch.n_tokens = len(tokens)
        first = len(prefix) - 1
        for i, token in enumerate(tokens):
            batch.token[i] = token
            batch.pos[i] = i
            batch.seq_id[i][0] = 0
            batch.n_seq_id[i] = 1
            batch.logits[i] = first <= i < len(tokens) - 1
        self._llama._ctx.kv_cache_seq_rm(-1, 0, -1)
        self._llama.n_tokens = 0  # nothing of an earlier call is reused
        self._llama._ctx.decode(self._llama._batch)
        rows = np.ctypeslib.as_array(
            llama_cpp.llama_get_logits(self._llama._ctx.ctx),
            shape=(len(asked), self._llama.n_vocab()),
        )
        top = rows.max(axis=1, keepdims=True)
        log_probs = rows - top - np.log(np.exp(rows - top).sum(axis=1, keepdims=True))
        return float(log_probs[np.arange(len(asked)), asked].mean())


def load_likelihood(n_threads: int = 0) -> QuestionLikelihood | None:
    """The packaged model's scorer, or None (logged) when it cannot be loaded: answers are
    then ranked without it."""
    try:
        return QuestionLikelihood(str(default_gguf_path()), n_threads)
    except (LLMError, OSError) as err:
        log.warning("passages ranked without question likelihood: %s", err)
        return None
