"""The report's decision section: where the shipped threshold sits on the trade-off between
answering what the article answers and declining what it does not."""

from __future__ import annotations

from pathlib import Path

THRESHOLDS = [t / 100 for t in range(5, 96, 5)]


def tradeoff(rows: list[dict], threshold: float) -> dict:
    """Share of answerable and of not-answerable items whose decision probability reaches the
    threshold (so would be answered), over the items the fitted model decided."""
    decided = [r for r in rows if r.get("decision_probability") is not None]
    answerable = [r for r in decided if r["answerable"]]
    other = [r for r in decided if not r["answerable"]]

    def share(subset: list[dict]) -> float | None:
        if not subset:
            return None
        return sum(r["decision_probability"] >= threshold for r in subset) / len(subset)

    return {
        "threshold": threshold,
        "answerable_answered": share(answerable),
        "not_answerable_answered": share(other),
    }


def decision_section(out: Path, decision: dict, rows: list[dict]) -> list[str]:
    """Markdown lines for report.md, and decision.png with this run's trade-off curve."""
    threshold = decision["threshold"]
    cv = decision["cross_validation"]
    here = tradeoff(rows, threshold)
    lines = [
        "## The answer/decline decision",
        "",
        f"A logistic model over {len(decision['signals'])} measured signals, fitted on "
        f"{', '.join(f'`{k}`' for k in decision['fitted_on'])} ({decision['fitted_items']} "
        f"items decided by the model); answers at probability >= {threshold}. "
        f"{cv['folds']}-fold cross-validation there"
        + (f" (folds drawn {cv['repeats']} times, averaged)" if cv.get("repeats") else "")
        + f": AUC {cv['auc']}, "
        f"{cv['answerable_answered']:.0%} of answerable and "
        f"{cv['not_answerable_answered']:.0%} of not-answerable items answered.",
        "",
    ]
    if here["answerable_answered"] is not None and here["not_answerable_answered"] is not None:
        _plot(out / "decision.png", rows, threshold)
        lines += [
            f"In this run, at the shipped threshold: {here['answerable_answered']:.0%} of "
            f"answerable and {here['not_answerable_answered']:.0%} of not-answerable items "
            "reach it. The curve shows the trade-off across thresholds; the dot is the "
            "shipped one.",
            "",
            "![decision trade-off](decision.png)",
            "",
        ]
    return lines


def _plot(path: Path, rows: list[dict], threshold: float) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    curve = [tradeoff(rows, t) for t in THRESHOLDS]
    here = tradeoff(rows, threshold)
    fig, ax = plt.subplots(figsize=(4.6, 4))
    ax.plot(
        [c["not_answerable_answered"] for c in curve],
        [c["answerable_answered"] for c in curve],
        "o-",
        markersize=3,
    )
    ax.plot([here["not_answerable_answered"]], [here["answerable_answered"]], "o", markersize=9)
    ax.set(
        xlabel="not-answerable items answered (wrongly)",
        ylabel="answerable items answered",
        xlim=(-0.02, 1.02),
        ylim=(-0.02, 1.02),
        title="Answer/decline trade-off",
    )
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
