"""JSON Lines files read with their line numbers, so that every error can name its line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def read_jsonl(path: Path, error: type[Exception], what: str) -> list[tuple[int, Any]]:
    """(line number, value) for every non-blank line; `error` with one clear line when the
    file cannot be read or a line is not JSON."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise error(f"cannot read {what} {path}: {err}") from None
    values = []
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            values.append((lineno, json.loads(line)))
        except json.JSONDecodeError as err:
            raise error(f"{path}:{lineno}: not JSON ({err.msg})") from None
    return values
