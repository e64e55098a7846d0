"""Test sets: reading and checking a JSONL file, and finding each evidence quote in the seeds."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from rag.errors import ReaderError
from rag.ingest.documents import read_source, seed_files

Span = tuple[str, int, int]  # (source, start, end)


class DatasetError(ReaderError, ValueError):
    """A test set that cannot be used; the message names the line and the problem."""


def load_dataset(path: Path) -> list[dict]:
    """Read and check a JSONL test set (schema in DESIGN.md)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise DatasetError(f"cannot read dataset {path}: {err}") from None
    items, seen = [], set()
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            raise DatasetError(f"{path}:{lineno}: not JSON ({err.msg})") from None
        missing = {"id", "question", "answerable"} - set(item if isinstance(item, dict) else ())
        if missing:
            raise DatasetError(f"{path}:{lineno}: missing {', '.join(sorted(missing))}")
        if item["id"] in seen:
            raise DatasetError(f"{path}:{lineno}: duplicate id {item['id']!r}")
        seen.add(item["id"])
        item.setdefault("evidence", [])
        item.setdefault("reference_answer", "")
        item.setdefault("category", "uncategorized")
        items.append(item)
    if not items:
        raise DatasetError(f"{path} holds no items")
    return items


def evidence_spans(evidence: Iterable[str], sources: dict[str, str]) -> list[list[Span]]:
    """For each evidence quote, every place it occurs verbatim in the seed files."""
    found = []
    for quote in evidence:
        spans = []
        for source, text in sources.items():
            for m in re.finditer(re.escape(quote), text):
                spans.append((source, m.start(), m.end()))
        found.append(spans)
    return found


def read_sources(seeds_dir: Path) -> dict[str, str]:
    """The text of every seed file by its source name."""
    return {p.relative_to(seeds_dir).as_posix(): read_source(p) for p in seed_files(seeds_dir)}
