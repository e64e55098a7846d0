"""Compare two evaluation runs: every headline number's change with a paired bootstrap interval,
and the items that flipped between right and wrong."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from rag.errors import ReaderError
from rag.eval.jsonl import read_jsonl
from rag.eval.metrics import percentile
from rag.eval.score import headline

_ROW_KEYS = ("id", "question", "answerable", "abstained", "correct", "latency_ms")


class RunError(ReaderError, ValueError):
    """A run folder that cannot be read; the message says which file and what is wrong."""


@dataclass(frozen=True)
class Run:
    """One `rag eval` output folder: its summary and its scored rows."""

    path: Path
    summary: dict
    rows: list[dict]

    @property
    def top_k(self) -> int:
        return int(self.summary.get("settings", {}).get("top_k", 4))


def load_run(path: Path) -> Run:
    """Read a run folder written by `rag eval`; raise RunError with one clear line."""
    if not path.is_dir():
        raise RunError(f"{path} is not a run folder (run `rag eval --out {path}` first)")
    try:
        summary = json.loads((path / "summary.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise RunError(f"cannot read run {path}: {err}") from None
    except json.JSONDecodeError as err:
        raise RunError(f"{path / 'summary.json'} is not JSON ({err.msg})") from None
    rows = []
    for lineno, row in read_jsonl(path / "results.jsonl", RunError, "run results"):
        missing = [key for key in _ROW_KEYS if not isinstance(row, dict) or key not in row]
        if missing:
            raise RunError(f"{path / 'results.jsonl'}:{lineno}: missing {', '.join(missing)}")
        rows.append(row)
    if not rows:
        raise RunError(f"{path / 'results.jsonl'} holds no results")
    return Run(path, summary if isinstance(summary, dict) else {}, rows)


def compare_runs(before: Run, after: Run, resamples: int = 1000, seed: int = 0) -> dict:
    """The change of every headline number over the items both runs answered, each with a
    paired bootstrap 95% interval (the same items drawn for both runs), and the flipped items."""
    old = {r["id"]: r for r in before.rows}
    new = {r["id"]: r for r in after.rows}
    paired = [i for i in new if i in old]
    if not paired:
        raise RunError(f"{before.path} and {after.path} share no item ids: nothing to compare")
    old_rows, new_rows = [old[i] for i in paired], [new[i] for i in paired]
    old_head, new_head = headline(old_rows, before.top_k), headline(new_rows, after.top_k)
    keys = [k for k in new_head if k in old_head and k != "items"]
    rng = random.Random(seed)
    changes: dict[str, list[float]] = {k: [] for k in keys}
    for _ in range(resamples):
        drawn = rng.choices(range(len(paired)), k=len(paired))
        a = headline([old_rows[i] for i in drawn], before.top_k)
        b = headline([new_rows[i] for i in drawn], after.top_k)
        for k in keys:
            if a[k] is not None and b[k] is not None:
                changes[k].append(b[k] - a[k])
    metrics = {}
    for k in keys:
        change = None
        if old_head[k] is not None and new_head[k] is not None:
            change = round(new_head[k] - old_head[k], 4)
        interval = None
        if changes[k]:
            interval = (
                round(percentile(changes[k], 2.5), 4),
                round(percentile(changes[k], 97.5), 4),
            )
        metrics[k] = {
            "before": old_head[k],
            "after": new_head[k],
            "change": change,
            "change_95_interval": interval,
            # The interval leaves out zero: more than the noise of drawing these items.
            "beyond_noise": bool(interval and (interval[0] > 0 or interval[1] < 0)),
        }

    def flipped(was: bool) -> list[dict]:
        return [
            {"id": i, "category": new[i].get("category", ""), "question": new[i]["question"]}
            for i in paired
            if bool(old[i]["correct"]) == was and bool(new[i]["correct"]) != was
        ]

    return {
        "before": str(before.path),
        "after": str(after.path),
        "paired_items": len(paired),
        "only_before": [i for i in old if i not in new],
        "only_after": [i for i in new if i not in old],
        "metrics": metrics,
        "broke": flipped(True),
        "fixed": flipped(False),
    }


def comparison_markdown(comparison: dict) -> str:
    """The comparison as a report section: flipped items first, then every number."""
    lines = [
        f"## Compared with `{comparison['before']}`",
        "",
        f"{comparison['paired_items']} items in both runs. "
        f"Broke: {len(comparison['broke'])}, fixed: {len(comparison['fixed'])}.",
    ]
    for label, items in (
        ("Broke (right before, wrong now)", comparison["broke"]),
        ("Fixed (wrong before, right now)", comparison["fixed"]),
    ):
        if items:
            lines += ["", f"**{label}**", ""]
            lines += [f"- {i['id']} ({i['category']}): {i['question']}" for i in items]
    for label, ids in (
        ("Only in the earlier run", comparison["only_before"]),
        ("Only in this run", comparison["only_after"]),
    ):
        if ids:
            lines += ["", f"{label}: {', '.join(ids)}"]
    lines += [
        "",
        "| metric | before | after | change | paired 95% interval of the change |",
        "|---|---|---|---|---|",
    ]
    for key, m in comparison["metrics"].items():
        scale = _scale(key)
        mark = " *" if m["beyond_noise"] else ""
        interval = m["change_95_interval"]
        shown = (
            f"{_num(interval[0], scale, True)} to {_num(interval[1], scale, True)}"
            if interval
            else "–"
        )
        lines.append(
            f"| {key} | {_num(m['before'], scale)} | {_num(m['after'], scale)} | "
            f"{_num(m['change'], scale, True)}{mark} | {shown} |"
        )
    lines += [
        "",
        "\\* the interval leaves out zero: a change beyond the noise of drawing these items.",
    ]
    return "\n".join(lines) + "\n"


def _scale(key: str) -> str:
    return "raw" if key.endswith("_ms") or key == "answer_words_p50" else "share"


def _num(value: float | None, scale: str, signed: bool = False) -> str:
    """A share in percentage points, a count as it is."""
    if value is None:
        return "–"
    if scale == "share":
        text = f"{value * 100:+.1f}" if signed else f"{value * 100:.1f}%"
        return text + (" pts" if signed else "")
    return f"{value:+,.1f}" if signed else f"{value:,.1f}"
