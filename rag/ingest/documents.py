"""Load the seed documents and split them into passages with headings and character offsets."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from langchain_core.documents import Document

from rag.errors import ReaderError
from rag.nlp.sentences import sentence_spans
from rag.tuning import TUNING

SEED_SUFFIXES = (".txt", ".md")


class SeedError(ReaderError, ValueError):
    """A seed folder or file that cannot be read; the message says what to fix."""


@dataclass(frozen=True)
class Block:
    """A title, heading or paragraph of a source file, with its character span."""

    kind: str  # "title", "heading" or "paragraph"
    start: int
    end: int


def read_source(path: Path) -> str:
    """The exact text of a seed file (UTF-8, line endings kept), so offsets index into it."""
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise SeedError(f"{path} is not UTF-8 text ({err.reason}); re-save it as UTF-8") from None
    except OSError as err:
        raise SeedError(f"cannot read {path}: {err.strerror}") from None


def seed_files(seeds_dir: Path) -> list[Path]:
    """Every .txt and .md file under seeds_dir, in a stable order."""
    if not seeds_dir.is_dir():
        raise SeedError(f"seed folder {seeds_dir} does not exist; set RAG_SEEDS_DIR or --seeds-dir")
    files = sorted(p for p in seeds_dir.rglob("*") if p.suffix.lower() in SEED_SUFFIXES)
    if not files:
        raise SeedError(f"no .txt or .md files in {seeds_dir}; add the article there")
    return files


def load_passages(seeds_dir: Path, passage_chars: int) -> list[Document]:
    """All passages of all seed files, each with source, section, offsets and a stable id."""
    passages: list[Document] = []
    for path in seed_files(seeds_dir):
        source = path.relative_to(seeds_dir).as_posix()
        passages.extend(split_text(read_source(path), source, passage_chars))
    return passages


def split_text(text: str, source: str, passage_chars: int) -> list[Document]:
    """Split one document into passages that never cross a paragraph."""
    passages: list[Document] = []
    title = section = ""
    title_start = section_start = -1  # where the heading lies in the file; -1: none yet
    for paragraph, block in enumerate(find_blocks(text, markdown=source.lower().endswith(".md"))):
        start, end = block_text_span(text, block)
        where = {"source": source, "paragraph": paragraph}
        # Kept as metadata, with their offsets so that a question about them can cite them: a
        # headline is not evidence for an answer about the news.
        if block.kind == "title":
            title = section = text[start:end]
            title_start = section_start = start
        elif block.kind == "heading":
            section, section_start = text[start:end], start
        else:
            headings = {
                "title": title,
                "title_start": title_start,
                "section": section,
                "section_start": section_start,
            }
            for s, e in group_sentences(list(sentence_spans(text, start, end)), passage_chars):
                passages.append(_passage(text, {**where, **headings}, "body", s, e))
    return passages


def retrieval_texts(passages: list[Document]) -> list[str]:
    """What is embedded and searched for each passage: the passage after the one before it in
    the same paragraph, so a sentence that leans on its predecessor ("This recalibration...")
    is still found. Citations keep the passage's own span."""
    texts = []
    for i, p in enumerate(passages):
        prev = passages[i - 1] if i else None
        same = prev is not None and all(
            prev.metadata[k] == p.metadata[k] for k in ("source", "paragraph")
        )
        texts.append(f"{prev.page_content} {p.page_content}" if same else p.page_content)
    return texts


def find_blocks(text: str, markdown: bool = False) -> list[Block]:
    """Title, headings and paragraphs, in order: one per line, or per run of wrapped lines."""
    blocks: list[Block] = []
    for run in _line_runs(text):
        if any(text[s].islower() for s, _ in run[1:]):
            # A line that continues in lower case is hard-wrapped: the run is one paragraph.
            blocks.append(Block("paragraph", run[0][0], run[-1][1]))
            continue
        for s, e in run:
            line = text[s:e]
            heading = line.startswith("#") if markdown else _looks_like_heading(line)
            kind = "heading" if heading else "paragraph"
            if heading and not blocks:
                kind = "title"
            blocks.append(Block(kind, s, e))
    return blocks


def group_sentences(spans: list[tuple[int, int]], max_chars: int) -> list[tuple[int, int]]:
    """Merge consecutive sentence spans while the merged span stays within max_chars."""
    groups: list[tuple[int, int]] = []
    for s, e in spans:
        if groups and e - groups[-1][0] <= max_chars:
            groups[-1] = (groups[-1][0], e)
        else:
            groups.append((s, e))
    return groups


def passage_id(source: str, start: int, end: int, text: str) -> str:
    """A deterministic id: the same passage always gets the same id, so upserts never duplicate."""
    digest = hashlib.sha256(f"{source}\0{start}\0{end}\0{text}".encode()).hexdigest()
    return digest[:24]


def _passage(text: str, where: dict, kind: str, s: int, e: int) -> Document:
    body = text[s:e]
    return Document(
        page_content=body,
        id=passage_id(where["source"], s, e, body),
        metadata={**where, "kind": kind, "start": s, "end": e},
    )


def _line_runs(text: str) -> list[list[tuple[int, int]]]:
    """Spans of non-blank lines (whitespace trimmed), grouped into runs split by blank lines."""
    runs: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            current.append((pos + len(line) - len(line.lstrip()), pos + len(line.rstrip())))
        elif current:
            runs.append(current)
            current = []
        pos += len(line)
    if current:
        runs.append(current)
    return runs


def _looks_like_heading(line: str) -> bool:
    """A short line without closing punctuation: a title or section heading in plain text."""
    line = line.strip()
    return 0 < len(line) <= TUNING.heading_max_chars and line[-1] not in ".!?,;:\"'”’"


def block_text_span(text: str, block: Block) -> tuple[int, int]:
    """The span of a block's own text: a heading without its Markdown '#' marks."""
    start = block.start
    if block.kind != "paragraph":
        while start < block.end and text[start] in "# \t":
            start += 1
    return start, block.end
