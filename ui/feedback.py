"""Readers' votes on answers, appended to a local JSONL file; nothing leaves the machine."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

from rag.eval.votes import FEEDBACK_FILE


class FeedbackLog:
    """Appends one JSON line per vote; safe to call from several page handlers at once."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / FEEDBACK_FILE
        self._lock = threading.Lock()

    def record(self, vote: str, turn: dict) -> dict:
        """Write {time, vote, question, answer, citations, ...} and return it.

        `turn` is what the page kept of the answer (question, answer, citations, mode, backend)
        and the conversation before it (history).
        """
        entry = {"time": datetime.now(UTC).isoformat(timespec="seconds"), "vote": vote, **turn}
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # One write call per line, in append mode: concurrent votes never interleave.
            with self.path.open("a", encoding="utf-8") as out:
                out.write(line)
        return entry

    def read(self) -> list[dict]:
        """All votes so far (for tests and for whoever reviews them)."""
        if not self.path.exists():
            return []
        lines = self.path.read_text(encoding="utf-8").splitlines()
        return [json.loads(line) for line in lines if line.strip()]
