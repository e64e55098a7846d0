"""`python -m tools.ui_bench`: answer latency through the page in headless Chromium, in one run."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from rag.eval.metrics import percentile
from rag.settings import PROJECT_ROOT, Settings
from tools.browser import DESKTOP, BrowserMissing, ChatPage, chromium
from tools.servers import served

TURNS_PER_CONVERSATION = 10  # a reader's conversation; then "New conversation"
TARGETS = {"answer_p50_s": 1.5, "first_visible_p95_s": 0.3}


def questions(dataset: Path, n: int) -> list[str]:
    """The first n questions of the eval set that stand alone (no earlier turns)."""
    items = [json.loads(line) for line in dataset.read_text(encoding="utf-8").splitlines() if line]
    return [i["question"] for i in items if not i.get("history")][:n]


def run(asked: list[str], out: Path) -> dict:
    """Serve the page, ask every question in the browser, and write browser.json into out."""
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        log = Path(tmp) / "serve.log"
        with served({"RAG_DATA_DIR": str(data_dir)}, log) as server, chromium() as browser:
            page = ChatPage(browser.new_page(viewport=DESKTOP), server.url)
            page.open()
            first = page.ask(asked[0])  # the first question after start-up, reported apart
            timings = []
            for i, q in enumerate(asked[1:]):
                if i and i % TURNS_PER_CONVERSATION == 0:
                    page.start_over()
                timings.append(page.ask(q))
            outside = page.other_hosts()
        direct = time_direct(asked, Settings.from_env(data_dir=data_dir))
    answers = [t.answer_s for t in timings]
    visible = [t.first_visible_s for t in timings]
    result = {
        "started": started,
        "questions": len(timings),
        "first_question_after_start_s": round(first.answer_s, 3),
        "answer_p50_s": round(percentile(answers, 50), 3),
        "answer_p95_s": round(percentile(answers, 95), 3),
        "first_visible_p50_s": round(percentile(visible, 50), 3),
        "first_visible_p95_s": round(percentile(visible, 95), 3),
        "direct_answer_p50_s": round(percentile(direct, 50), 3),
        "browser_over_direct_p50": round(percentile(answers, 50) / percentile(direct, 50), 2),
        "requests_to_other_hosts": len(outside),
    }
    result["targets"] = {f"{k} <= {v}": result[k] <= v for k, v in TARGETS.items()}
    out.mkdir(parents=True, exist_ok=True)
    (out / "browser.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


def time_direct(asked: list[str], settings: Settings) -> list[float]:
    """The same questions answered in this process, no page: what the page adds is the rest."""
    from rag.answer.build import load_answerer

    answerer = load_answerer(settings)
    answerer.ask(asked[0])  # as the server does at start-up
    times = []
    for q in asked[1:]:
        t = time.perf_counter()
        answerer.ask(q)
        times.append(time.perf_counter() - t)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.ui_bench",
        description="Time answers through the chat page in headless Chromium (embedded model, "
        "a fresh index in a temporary folder) and write browser.json.",
    )
    parser.add_argument("--questions", type=int, default=30, help="questions timed (default 30)")
    parser.add_argument(
        "--dataset", type=Path, default=PROJECT_ROOT / "eval" / "qa.jsonl", help="JSONL eval set"
    )
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "eval" / "bench")
    args = parser.parse_args(argv)
    if args.questions < 1:
        parser.error("--questions must be at least 1")
    try:
        asked = questions(args.dataset, args.questions + 1)
    except (OSError, ValueError, KeyError) as err:
        parser.error(f"cannot read questions from {args.dataset}: {err}")
    try:
        result = run(asked, args.out)
    except (BrowserMissing, RuntimeError, TimeoutError) as err:  # no browser, or no page
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2))
    return 0 if all(result["targets"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
