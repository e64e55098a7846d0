"""What each `rag` subcommand does, once the command line has been read into settings."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from rag.settings import Settings

if TYPE_CHECKING:
    from rag.eval.judge import Judge


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
    from rag.eval.compare import load_run
    from rag.eval.gate import missed
    from rag.eval.run import run_eval

    if args.check_dataset:
        return _check_dataset(settings, args.check_dataset)
    if args.sweep:
        return _sweep(settings, args)
    before = load_run(args.compare) if args.compare else None  # a bad folder fails first
    judge = _judge(settings, args)
    if judge is not None:
        judge.check()  # a judge server that is down fails before the run, not after it
    summary = run_eval(
        settings,
        args.dataset,
        args.out,
        baseline=args.baseline,
        limit=args.limit,
        before=before,
        judge=judge,
        replay=args.replay,
    )
    print(f"Wrote {args.out}/report.md")
    headline = summary["system"]["headline"]
    print(json.dumps(headline, indent=2))
    if before is not None:
        print(f"Compared with {before.path}: {args.out}/comparison.md")
    misses = missed(headline, args.fail_under, args.fail_over)
    for line in misses:
        print(f"rag: eval gate: {line}", file=sys.stderr)
    return 1 if misses else 0


def _judge(settings: Settings, args: argparse.Namespace) -> Judge | None:
    from rag.eval.judge import Judge, JudgeUsageError

    if not args.judge_base_url and not args.judge_model:
        return None
    if not (args.judge_base_url and args.judge_model):
        raise JudgeUsageError("a judge needs both --judge-base-url and --judge-model")
    return Judge(settings, args.judge_base_url, args.judge_model)


def _sweep(settings: Settings, args: argparse.Namespace) -> int:
    from rag.eval.sweep import SweepError, run_sweep

    if args.compare or args.fail_under or args.fail_over or args.baseline:
        raise SweepError(
            "--sweep makes one run per value; compare or gate them one by one "
            "(`rag compare`, `rag eval --fail-under`)"
        )
    name, values = args.sweep
    run_sweep(settings, args.dataset, args.out, name, values, args.limit, args.replay)
    print((args.out / "sweep.md").read_text(encoding="utf-8"), end="")
    print(f"Wrote {args.out}/sweep.md and {args.out}/sweep.png")
    return 0


def _check_dataset(settings: Settings, path: Path) -> int:
    from rag.eval.dataset import check_dataset, read_sources

    count, problems = check_dataset(path, read_sources(settings.seeds_dir))
    for line in problems:
        print(line)
    print(f"{path}: {count} items, {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


def cmd_feedback(settings: Settings, args: argparse.Namespace) -> int:
    from rag.eval.votes import FEEDBACK_FILE, draft_items, read_votes

    path = settings.data_dir / FEEDBACK_FILE
    votes = read_votes(path)
    if not votes:
        print(f"No votes yet in {path}.")
        return 0
    for vote in votes:
        mark = {"up": "👍", "down": "👎"}.get(vote.get("vote"), vote.get("vote", "?"))
        print(f"{vote.get('time', '')}  {mark}  {vote['question'][:100]}")
    drafts = draft_items(votes)
    ups = sum(v.get("vote") == "up" for v in votes)
    print(f"{len(votes)} votes: {ups} 👍, {len(drafts)} 👎.")
    if drafts:
        args.drafts.parent.mkdir(parents=True, exist_ok=True)
        args.drafts.write_text(
            "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in drafts), encoding="utf-8"
        )
        print(
            f"Wrote {len(drafts)} draft items to {args.drafts}: label answerable, "
            "reference_answer and evidence, then `rag eval --check-dataset` it."
        )
    return 0


def cmd_compare(settings: Settings, args: argparse.Namespace) -> int:
    from rag.eval.compare import compare_runs, comparison_markdown, load_run

    print(comparison_markdown(compare_runs(load_run(args.before), load_run(args.after))), end="")
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
    "compare": cmd_compare,
    "feedback": cmd_feedback,
    "bench": cmd_bench,
}
