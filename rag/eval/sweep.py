"""`rag eval --sweep NAME=V1,V2,...`: one run per value of a setting or of a tuned number
(`rag.tuning`), one table of headline numbers, one plot."""

from __future__ import annotations

import json
from contextlib import nullcontext
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from rag.errors import ReaderError
from rag.eval.report import fmt
from rag.settings import Settings, parse_value
from rag.tuning import TUNING, parse_tuned, sweepable


class SweepError(ReaderError, ValueError):
    """A sweep that cannot run as asked (a value the settings refuse, flags it cannot take);
    nothing has run yet."""

    exit_code = 2  # a usage error, like a bad flag


# Headline numbers drawn in sweep.png (shares, 0..1).
PLOTTED = ("correct", "answerable_correct", "unanswerable_abstained", "token_f1")


def parse_sweep(raw: str) -> tuple[str, list[tuple[str, Any]]]:
    """'top_k=2,4,8' as ('top_k', [('2', 2), ...]); a setting or a tuned number. ValueError
    that says what to write."""
    name, sep, values = raw.partition("=")
    name = name.strip().replace("-", "_")
    flags = [f.name for f in fields(Settings) if f.metadata["flag"]]
    if not sep or not name:
        raise ValueError(f"expected NAME=V1,V2,..., got {raw!r}")
    if name not in flags and name not in sweepable():
        raise ValueError(
            f"unknown setting {name!r}; choose a setting ({', '.join(flags)}) "
            f"or a tuned number ({', '.join(sweepable())})"
        )
    texts = [v.strip() for v in values.split(",") if v.strip()]
    if len(texts) < 2:
        raise ValueError(f"give at least two values to sweep, e.g. {name}=2,4")
    parse = parse_value if name in flags else parse_tuned
    return name, [(text, parse(name, text)) for text in texts]


def run_sweep(
    settings: Settings,
    dataset: Path,
    out: Path,
    name: str,
    values: list[tuple[str, Any]],
    limit: int = 0,
    replay: bool = False,
) -> dict:
    """Run the eval once per value (each in out/NAME=VALUE/), then write sweep.md, sweep.json
    and sweep.png into out. A value the settings refuse fails before any run starts. A tuned
    number is changed for its run only; the run's summary.json records it under `tuning`."""
    from rag.eval.run import run_eval

    tuned = name in sweepable()
    try:
        chosen = [
            (text, value, settings if tuned else replace(settings, **{name: value}).validated())
            for text, value in values
        ]
    except ValueError as err:
        raise SweepError(f"--sweep: {err}") from None
    runs = []
    for text, value, swept in chosen:
        folder = out / f"{name}={text}"
        with TUNING.overridden(name, value) if tuned else nullcontext():
            summary = run_eval(swept, dataset, folder, limit=limit, replay=replay)
        runs.append({"value": text, "run": str(folder), "headline": summary["system"]["headline"]})
    result = {"setting": name, "dataset": str(dataset), "runs": runs}
    out.mkdir(parents=True, exist_ok=True)
    (out / "sweep.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (out / "sweep.md").write_text(sweep_markdown(result), encoding="utf-8")
    _plot(out / "sweep.png", result)
    return result


def sweep_markdown(result: dict) -> str:
    """One row per value, one column per headline number."""
    # hit@k is named by the run's top_k: a sweep of top_k has one such column per value.
    keys = list(dict.fromkeys(k for r in result["runs"] for k in r["headline"] if k != "items"))
    lines = [
        f"# Sweep of `{result['setting']}` on `{result['dataset']}`",
        "",
        f"| {result['setting']} | " + " | ".join(keys) + " |",
        "|---|" + "---|" * len(keys),
    ]
    for run in result["runs"]:
        cells = [fmt(run["headline"].get(k)) for k in keys]
        lines.append(f"| {run['value']} | " + " | ".join(cells) + " |")
    lines += ["", "Each value's own report is in its folder; `rag compare` pairs any two of them."]
    return "\n".join(lines) + "\n"


def _plot(path: Path, result: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [run["value"] for run in result["runs"]]
    fig, ax = plt.subplots(figsize=(6, 3.6))
    for key in PLOTTED:
        values = [run["headline"].get(key) for run in result["runs"]]
        if any(v is not None for v in values):
            ax.plot(labels, [(v or 0) * 100 for v in values], marker="o", label=key)
    ax.set_xlabel(result["setting"])
    ax.set_ylabel("%")
    ax.set_ylim(0, 100)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
