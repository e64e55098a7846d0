"""A run in RAGAS's columns, so that evaluators can score it with their own judge."""

from __future__ import annotations

import json
from pathlib import Path


def ragas_rows(rows: list[dict], sources: dict[str, str]) -> list[dict]:
    """One RAGAS `SingleTurnSample` per item: user_input, retrieved_contexts (the passages the
    system retrieved, as text), response and reference."""
    return [
        {
            "user_input": row["question"],
            "retrieved_contexts": [
                sources[source][start:end]
                for source, start, end in row.get("retrieved", [])
                if source in sources
            ],
            "response": row["answer"],
            "reference": row["reference_answer"],
        }
        for row in rows
    ]


def write_ragas(path: Path, rows: list[dict], sources: dict[str, str]) -> None:
    """Write the RAGAS rows as JSONL (`ragas.EvaluationDataset.from_list` reads the lines)."""
    with path.open("w", encoding="utf-8") as f:
        for row in ragas_rows(rows, sources):
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
