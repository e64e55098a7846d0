"""`rag bench`: ingest, retrieval, answering, cold start and server memory, measured in one run."""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler

from rag.eval.dataset import load_dataset
from rag.eval.metrics import percentile
from rag.ingest.documents import read_source, seed_files
from rag.settings import PROJECT_ROOT, Settings, env_name
from tools.bench_corpus import plot_bench, synthetic_corpus
from tools.bench_stats import enough, ingest_runs
from tools.servers import served

FULL_SIZES = (1, 10, 100, 1000)
QUICK_SIZES = (1, 10, 100)


def _questions() -> list[str]:
    items = load_dataset(PROJECT_ROOT / "eval" / "qa.jsonl")
    return [i["question"] for i in items if i["answerable"] and not i.get("history")]


def measure_ingest(n_docs: int, queries: int) -> dict:
    """In a fresh process: ingest time and peak memory, bare encode time, retrieval latency."""
    from rag.answer.retrieve import Retriever
    from rag.ingest.documents import load_passages, retrieval_texts
    from rag.ingest.embeddings import SentenceEmbeddings
    from rag.ingest.index import PassageIndex

    seed = read_source(seed_files(PROJECT_ROOT / "seeds")[0])
    with tempfile.TemporaryDirectory(prefix="rag-bench-") as tmp:
        seeds = Path(tmp) / "seeds"
        synthetic_corpus(seed, n_docs, seeds)
        settings = Settings.from_env(seeds_dir=seeds, data_dir=Path(tmp) / "data", chroma_url="")
        embeddings = SentenceEmbeddings(settings.embed_model)
        texts = retrieval_texts(load_passages(seeds, settings.passage_chars))
        embeddings.st_model.encode(texts[:64], batch_size=64)  # warm-up, not timed
        runs: list[tuple[float, float]] = []  # (ingest_s, encode_s) back to back, fresh database
        peaks: list[float] = []  # before and after each ingest; the first ingest's are reported
        while not enough([ingest for ingest, _ in runs]):  # short ones repeated: bench_stats.py
            t = time.perf_counter()  # the bare library call on the same texts, same batch size
            embeddings.st_model.encode(
                texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False
            )
            encode_s = time.perf_counter() - t
            peaks.append(_peak_rss_mb())
            data = replace(settings, data_dir=Path(tmp) / f"data-{len(runs)}")
            index = PassageIndex(data, embeddings)  # opens the database: not part of ingest
            t = time.perf_counter()
            report = index.ensure()  # split, fingerprint, embed, upsert, mark complete
            runs.append((time.perf_counter() - t, encode_s))
            peaks.append(_peak_rss_mb())
        retriever = Retriever(index)
        latencies = []
        questions = _questions()
        for i in range(queries):
            t = time.perf_counter()
            retriever.search(questions[i % len(questions)], settings.top_k)
            latencies.append((time.perf_counter() - t) * 1000)
    return {
        "docs": n_docs,
        "passages": report.passages,
        **ingest_runs(runs),
        "peak_rss_mb": round(peaks[1], 1),
        "rss_before_ingest_mb": round(peaks[0], 1),
        "retrieval_p50_ms": round(percentile(latencies, 50), 2),
        "retrieval_p95_ms": round(percentile(latencies, 95), 2),
    }


class _Recorder(BaseCallbackHandler):
    """Keeps the messages of each chat call and counts the tokens streamed back."""

    def __init__(self) -> None:
        self.calls: list[dict] = []

    def on_chat_model_start(self, serialized: Any, messages: Any, **kwargs: Any) -> None:
        self.calls.append(
            {
                "messages": messages[0],
                "tokens": 0,
                "stop": kwargs.get("invocation_params", {}).get("stop"),
            }
        )

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        if self.calls:
            self.calls[-1]["tokens"] += 1


def measure_answers(settings: Settings, repeats: int) -> dict:
    """Warm `ask` latency and time to first token, and its ratio to bare llama.cpp generation
    of the same prompts and output lengths. Each bare call runs right after the next ask, so
    both find only the shared system prompt in llama.cpp's cache and share the machine's
    momentary speed."""
    from rag.answer.build import load_answerer

    answerer = load_answerer(settings)
    llama = getattr(answerer.model, "_llama", None)
    recorder = _Recorder()
    answerer.model.callbacks = [recorder]
    questions = _questions()
    answerer.ask(questions[0])  # warm caches, as a server is after its first question
    asks, firsts, paired_asks, bare = [], [], [], []
    pending = None  # (ask time, recorded call) waiting for its bare run
    for q in [q for _ in range(repeats) for q in questions]:
        recorder.calls.clear()
        answer = answerer.ask(q)
        asks.append(answer.timings_ms["total"])
        if "first_token" in answer.timings_ms:
            firsts.append(answer.timings_ms["first_token"])
        if pending and llama is not None:
            bare.append(_bare_generation(llama, pending[1], settings.temperature))
            paired_asks.append(pending[0])
        pending = (answer.timings_ms["total"], recorder.calls[0]) if recorder.calls else None
    ratio = round(sum(paired_asks) / sum(bare), 3) if bare else None
    return {
        "questions": len(asks),
        "ask_p50_ms": round(percentile(asks, 50), 1),
        "ask_p95_ms": round(percentile(asks, 95), 1),
        "first_token_p50_ms": round(percentile(firsts, 50), 1) if firsts else None,
        "generated_answers": len(paired_asks),
        "bare_generation_p50_ms": round(percentile(bare, 50), 1) if bare else None,
        "ask_over_bare_generation": ratio,
    }


def _bare_generation(llama: Any, call: dict, temperature: float) -> float:
    """Milliseconds for llama.cpp alone to answer a recorded prompt with as many tokens."""
    from rag.llm import _ROLES

    chat = [{"role": _ROLES.get(m.type, "user"), "content": m.text} for m in call["messages"]]
    t = time.perf_counter()
    llama.create_chat_completion(
        messages=chat, max_tokens=max(call["tokens"], 1), temperature=temperature, stop=call["stop"]
    )
    return (time.perf_counter() - t) * 1000


def measure_cold_start(settings: Settings, runs: int) -> dict:
    """Wall time of `rag ask` in a new process, the index already built."""
    env = _child_env(settings)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "rag.cli", "ask", "Who defends Trump's overtures?"],
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
        times.append(time.perf_counter() - t)
    return {"runs": [round(x, 2) for x in times], "cold_ask_p50_s": round(percentile(times, 50), 2)}


def measure_server_memory(settings: Settings, questions: int) -> dict:
    """Peak resident memory of `rag serve` after answering questions through its API."""
    from gradio_client import Client

    with (
        tempfile.TemporaryDirectory() as tmp,
        served(_child_env(settings), Path(tmp) / "serve.log") as server,
    ):
        client = Client(server.url, verbose=False)
        for q in _questions()[:questions]:
            client.predict(q, [], api_name="/ask")
        status = Path(f"/proc/{server.pid}/status").read_text()
    peak_kb = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
    return {"questions": questions, "server_peak_rss_mb": round(peak_kb / 1024, 1)}


def run_bench(settings: Settings, out: Path, quick: bool = False) -> dict:
    """Run every measurement and write bench.json and bench.png into out."""
    from tqdm import tqdm

    sizes = QUICK_SIZES if quick else FULL_SIZES
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    results: dict[str, Any] = {"quick": quick, "cpu_count": os.cpu_count(), "started": started}
    results["ingest"] = []
    for n in tqdm(sizes, desc="ingest", leave=False):
        results["ingest"].append(_in_child(settings, n, queries=40 if quick else 100))
    settings = replace(settings, chroma_url="")
    results["answers"] = measure_answers(settings, repeats=1 if quick else 2)
    results["cold_start"] = measure_cold_start(settings, runs=3)
    results["server"] = measure_server_memory(settings, questions=3 if quick else 10)
    results["targets"] = _targets(results)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    plot_bench(out / "bench.png", results)
    return results


def _targets(r: dict) -> dict:
    """Each target of the project and whether this run met it."""
    largest = r["ingest"][-1]
    checks = {
        "ingest_over_encode <= 1.25": max(x["ingest_over_encode"] for x in r["ingest"]) <= 1.25,
        f"retrieval_p95_ms at {largest['docs']} docs <= 50": largest["retrieval_p95_ms"] <= 50,
        "warm ask_p50_ms <= 1000": r["answers"]["ask_p50_ms"] <= 1000,
        "cold_ask_p50_s <= 6": r["cold_start"]["cold_ask_p50_s"] <= 6,
        "server_peak_rss_mb <= 1536": r["server"]["server_peak_rss_mb"] <= 1536,
    }
    ratio = r["answers"]["ask_over_bare_generation"]
    if ratio is not None:
        checks["ask_over_bare_generation <= 1.15"] = ratio <= 1.15
    return checks


def _in_child(settings: Settings, n_docs: int, queries: int) -> dict:
    """measure_ingest in a new process, so its peak memory is its own."""
    code = (
        f"import json; from tools.bench import measure_ingest; "
        f"print(json.dumps(measure_ingest({n_docs}, {queries})))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=3600,
        env=_child_env(settings),
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _child_env(settings: Settings) -> dict[str, str]:
    """The environment that gives a child process these exact settings."""
    return {
        **os.environ,
        **{env_name(f.name): str(getattr(settings, f.name)) for f in fields(Settings)},
    }


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
