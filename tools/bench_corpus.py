"""The benchmark's synthetic corpus (the article, names swapped per copy) and its plot."""

from __future__ import annotations

import random
import re
from pathlib import Path

# Swapped in per synthetic document, so that its passages differ from every other copy.
_VARIANTS = {
    "Russia": ["Russia", "Iran", "China", "Belarus", "North Korea", "Venezuela"],
    "Israel": ["Israel", "Japan", "Poland", "Canada", "Norway", "Turkey"],
    "Saudi Arabia": ["Saudi Arabia", "South Korea", "Australia", "Germany", "Qatar", "Italy"],
    "intelligence": ["intelligence", "security", "surveillance", "signals", "defense"],
    "allies": ["allies", "partners", "friends", "neighbours", "members"],
    "Washington": ["Washington", "the Pentagon", "Langley", "the capital"],
    "cyber": ["cyber", "digital", "online", "network"],
}


def synthetic_corpus(seed_text: str, n_docs: int, folder: Path) -> None:
    """n_docs article-sized variants of the seed: names and key words swapped per document."""
    folder.mkdir(parents=True, exist_ok=True)
    pattern = re.compile("|".join(re.escape(k) for k in _VARIANTS))
    for i in range(n_docs):
        rng = random.Random(i)
        choice = {k: rng.choice(v) for k, v in _VARIANTS.items()}
        text = pattern.sub(lambda m, c=choice: c[m.group()], seed_text)
        (folder / f"doc-{i:04d}.txt").write_text(f"Report {i}: {text}", encoding="utf-8")


def plot_bench(path: Path, r: dict) -> None:
    """bench.png: ingest and retrieval time against corpus size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    docs = [x["docs"] for x in r["ingest"]]
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.4))
    a.plot(docs, [x["ingest_s"] for x in r["ingest"]], "o-", label="ingest")
    a.plot(docs, [x["encode_s"] for x in r["ingest"]], "s--", label="bare encode")
    a.set(xscale="log", yscale="log", xlabel="documents", ylabel="seconds", title="Ingest")
    a.legend()
    b.plot(docs, [x["retrieval_p50_ms"] for x in r["ingest"]], "o-", label="p50")
    b.plot(docs, [x["retrieval_p95_ms"] for x in r["ingest"]], "s--", label="p95")
    b.set(xscale="log", xlabel="documents", ylabel="ms", title="Retrieval latency")
    b.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
