"""Test sets: reading and checking a JSONL file, and finding each evidence quote in the seeds."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from rag.errors import ReaderError
from rag.eval.jsonl import read_jsonl
from rag.ingest.documents import read_source, seed_files

Span = tuple[str, int, int]  # (source, start, end)


class DatasetError(ReaderError, ValueError):
    """A test set that cannot be used; the message names the line and the problem."""


def load_dataset(path: Path) -> list[dict]:
    """Read and check a JSONL test set (schema in DESIGN.md)."""
    items, seen = [], set()
    for lineno, item in read_jsonl(path, DatasetError, "dataset"):
        problems = shape_problems(item) if isinstance(item, dict) else ["not a JSON object"]
        if problems:
            raise DatasetError(
                f"{path}:{lineno}: {problems[0]} (`rag eval --check-dataset {path}` lists "
                "every problem)"
            )
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


def check_dataset(path: Path, sources: dict[str, str]) -> tuple[int, list[str]]:
    """Every problem of a test set, one line each (schema, evidence not verbatim in the seeds,
    duplicate ids or questions), and the number of items read."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        return 0, [f"cannot read dataset {path}: {err}"]
    problems: list[str] = []
    ids: dict[str, int] = {}
    questions: dict[str, int] = {}
    count = 0
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as err:
            problems.append(f"{where}: not JSON ({err.msg})")
            continue
        if not isinstance(item, dict):
            problems.append(f"{where}: not a JSON object")
            continue
        count += 1
        problems += [f"{where}: {p}" for p in _item_problems(item, sources)]
        if isinstance(item.get("id"), str):
            if item["id"] in ids:
                problems.append(f"{where}: duplicate id {item['id']!r} (line {ids[item['id']]})")
            ids.setdefault(item["id"], lineno)
        if isinstance(item.get("question"), str):
            # The same words after the same conversation: a repeated item, not a new one.
            key = " ".join(item["question"].lower().split()) + json.dumps(item.get("history"))
            if key in questions:
                problems.append(f"{where}: same question as line {questions[key]}")
            questions.setdefault(key, lineno)
    if not count and not problems:
        problems.append(f"{path} holds no items")
    return count, problems


def _item_problems(item: dict, sources: dict[str, str]) -> list[str]:
    """What is wrong with one item of a test set, its evidence checked against the seeds."""
    found = shape_problems(item)
    evidence = item.get("evidence", [])
    if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
        return found
    if item.get("answerable") is True and not evidence:
        found.append("an answerable item needs at least one evidence quote")
    for quote in evidence:
        if not any(quote in text for text in sources.values()):
            found.append(f"evidence not verbatim in the seeds: {quote[:60]!r}")
    return found


def shape_problems(item: dict) -> list[str]:
    """What is wrong with the fields of one item, whatever the seeds hold."""
    found = []
    for key, kind in (("id", str), ("question", str), ("answerable", bool)):
        if key not in item:
            found.append(f"missing {key}")
        elif kind is bool and not isinstance(item[key], bool):
            found.append(f"{key} must be true or false")
        elif kind is str and (not isinstance(item[key], str) or not item[key].strip()):
            found.append(f"{key} must be a non-empty string")
    for key in ("reference_answer", "category"):
        if key in item and not isinstance(item[key], str):
            found.append(f"{key} must be a string")
    evidence = item.get("evidence", [])
    if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
        found.append("evidence must be a list of quotes (strings)")
    history = item.get("history", [])
    if not isinstance(history, list) or not all(
        isinstance(m, dict)
        and m.get("role") in ("user", "assistant")
        and isinstance(m.get("content"), str)
        for m in history
    ):
        found.append('history must be a list of {"role": "user"|"assistant", "content": text}')
    return found
