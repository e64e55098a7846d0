"""The seed documents laid out for reading: title, headings and paragraphs cut at passages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from langchain_core.documents import Document

from rag.ingest.documents import block_text_span, find_blocks, read_source


@dataclass(frozen=True)
class Span:
    """A run of text; `start` is set when the run is exactly one indexed passage or a heading."""

    text: str
    start: int | None = None


@dataclass(frozen=True)
class Part:
    """A title, heading or paragraph, as the runs of text it is shown in."""

    kind: str  # "title", "heading" or "paragraph"
    spans: tuple[Span, ...]


@dataclass(frozen=True)
class Article:
    """One source file as it reads, with every indexed passage marked by its start offset."""

    source: str
    title: str
    parts: tuple[Part, ...]


def layout(text: str, source: str, passages: list[Document]) -> Article:
    """Lay out one source: each paragraph cut into its passages and the text between them."""
    starts = sorted(
        (int(p.metadata["start"]), int(p.metadata["end"]))
        for p in passages
        if p.metadata["source"] == source
    )
    parts: list[Part] = []
    for block in find_blocks(text, markdown=source.lower().endswith(".md")):
        start, end = block_text_span(text, block)
        if block.kind != "paragraph":  # marked too: an answer about the headings cites them
            parts.append(Part(block.kind, (Span(text[start:end], start),)))
            continue
        spans: list[Span] = []
        pos = start
        for s, e in starts:
            if s < start or e > end:
                continue
            if s > pos:
                spans.append(Span(text[pos:s]))
            spans.append(Span(text[s:e], s))
            pos = e
        if pos < end:
            spans.append(Span(text[pos:end]))
        parts.append(Part("paragraph", tuple(spans)))
    title = next((p.spans[0].text for p in parts if p.kind == "title"), source)
    return Article(source, title, tuple(parts))


def load_articles(seeds_dir: Path, passages: list[Document]) -> dict[str, Article]:
    """Every indexed source file under seeds_dir, laid out, in source order."""
    sources = sorted({p.metadata["source"] for p in passages})
    return {s: layout(read_source(seeds_dir / s), s, passages) for s in sources}
