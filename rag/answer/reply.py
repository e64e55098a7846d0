"""The reply to one question: the answer with its citations, and the events that stream it."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

from langchain_core.documents import Document

from rag.nlp.words import STOPWORDS, words


@dataclass(frozen=True)
class Citation:
    """A cited span of a source file: text == file_text[start:end]."""

    n: int
    source: str
    section: str
    start: int
    end: int
    text: str


@dataclass
class Answer:
    """The reply to one question, as printed by `rag ask --json`."""

    question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    backend: str
    timings_ms: dict[str, float]
    mode: str  # "generated", "extracted", "quoted", "summary", "names", "abstained" or "refused"
    reason: str = ""
    # (source, start, end) of the passages retrieved, best first: for evaluation, not printed.
    retrieved: list[tuple[str, int, int]] = field(default_factory=list)
    # The decision's probability and signals: for evaluation, not printed.
    decision: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The JSON contract of DESIGN.md (plus `mode` and `reason`)."""
        out = asdict(self)
        del out["retrieved"], out["decision"]
        return out


@dataclass(frozen=True)
class Event:
    """One step of a streamed answer: a status line, a verified sentence, or the final answer."""

    kind: str  # "status", "sentence" or "answer"
    text: str = ""
    answer: Answer | None = None


@dataclass
class Draft:
    """Sentences accepted so far and the passages they cite, numbered in order of first use."""

    sentences: list[str] = field(default_factory=list)
    cited: list[Document] = field(default_factory=list)
    stems: list[set[str]] = field(default_factory=list)

    def add(self, text: str, passages: list[Document], quote: bool = False) -> str | None:
        """Append a sentence with its citation markers; None when it repeats an earlier one."""
        seen = set(words(text)) - STOPWORDS
        if any(seen <= earlier for earlier in self.stems):
            return None
        numbers = []
        for p in passages:
            if p not in self.cited:
                self.cited.append(p)
            numbers.append(self.cited.index(p) + 1)
        body = f"“{text}”" if quote else text
        sentence = body + " " + "".join(f"[{n}]" for n in numbers)
        self.sentences.append(sentence)
        self.stems.append(seen)
        return sentence

    def note(self, text: str) -> str:
        """Append a sentence about the article itself, which cites nothing."""
        self.sentences.append(text)
        self.stems.append(set(words(text)) - STOPWORDS)
        return text

    def citations(self) -> list[Citation]:
        return [citation(i + 1, p) for i, p in enumerate(self.cited)]


def citation(n: int, passage: Document) -> Citation:
    m = passage.metadata
    return Citation(
        n, m["source"], m["section"], int(m["start"]), int(m["end"]), passage.page_content
    )


class Timings:
    """Milliseconds spent per stage of one answer, measured from the moment it was asked."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self._lap = self.started
        self.ms: dict[str, float] = {"retrieve": 0.0, "generate": 0.0, "verify": 0.0}

    def lap(self, stage: str) -> None:
        """Charge the time since the previous lap to `stage`."""
        now = time.perf_counter()
        self.ms[stage] = round(self.ms.get(stage, 0.0) + (now - self._lap) * 1000, 1)
        self._lap = now

    def mark(self, name: str) -> None:
        """Record, once, the time since the start (the first token, say)."""
        self.ms.setdefault(name, _ms(self.started))

    def total(self) -> dict[str, float]:
        """Every stage, and the total so far."""
        return {**self.ms, "total": _ms(self.started)}


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 1)
