"""What each `rag` subcommand does, once the command line has been read into settings."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rag.settings import Settings


def cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    from rag.answer.build import ingest

    _, report = ingest(settings)
    state = "built" if report.rebuilt else "already up to date"
    print(
        f"Index {report.collection}: {report.passages} passages from {settings.seeds_dir}, {state}."
    )
    if report.removed_collections:
        print(f"Removed {len(report.removed_collections)} stale collection(s).")
    return 0


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    from rag.answer.build import load_answerer
    from rag.answer.chain import AnswerChain
    from rag.answer.question import clean

    question = clean(args.question)  # bad input fails before any model loads
    history = _read_history(args.history) if args.history else []
    chain = AnswerChain(load_answerer(settings))
    answer = chain.invoke({"question": question, "history": history})
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
        return 0
    print(answer.answer)
    if answer.citations:
        print()
        for c in answer.citations:
            print(f"[{c.n}] {c.source} · {c.section} · chars {c.start}-{c.end}")
            print(f"    {c.text}")
    return 0


def _read_history(path: Path) -> list[dict]:
    from rag.answer.question import QuestionError

    try:
        history = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise QuestionError(f"cannot read history file {path}: {err}") from None
    if not isinstance(history, list) or not all(isinstance(m, dict) for m in history):
        raise QuestionError(f'{path} must hold a JSON list of {{"role", "content"}} objects')
    return history


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from ui.serve import main as serve

    return serve(settings)


def cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    from rag.eval.run import run_eval

    summary = run_eval(settings, args.dataset, args.out, baseline=args.baseline, limit=args.limit)
    print(f"Wrote {args.out}/report.md")
    headline = summary["system"]["headline"]
    print(json.dumps(headline, indent=2))
    return 0


def cmd_bench(settings: Settings, args: argparse.Namespace) -> int:
    from tools.bench import run_bench

    run_bench(settings, args.out, quick=args.quick)
    print(f"Wrote {args.out}/bench.json")
    return 0


COMMANDS = {
    "ingest": cmd_ingest,
    "ask": cmd_ask,
    "serve": cmd_serve,
    "eval": cmd_eval,
    "bench": cmd_bench,
}
