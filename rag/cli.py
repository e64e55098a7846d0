"""`rag ingest | ask | serve | eval | compare | feedback | bench`: the article Q&A command."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from rag.commands import COMMANDS
from rag.errors import ReaderError
from rag.settings import Settings, env_name, parse_value, setting_help

EXIT_USAGE = 2
DESCRIPTION = """Ask questions about the news articles in the seeds folder and get short answers
whose every sentence cites the passage it comes from. Runs offline on the packaged models."""


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a one-line hint instead of a traceback on bad usage."""

    def error(self, message: str) -> None:  # noqa: D401 - argparse's API
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _settings_parent() -> argparse.ArgumentParser:
    """One flag per setting; flags that are not given leave the environment's value alone."""
    parent = argparse.ArgumentParser(add_help=False)
    group = parent.add_argument_group("settings (each also an environment variable)")
    for name, help_text, default, choices in setting_help():
        shown = default if str(default) else '""'
        if isinstance(default, bool):
            group.add_argument(
                "--" + name.replace("_", "-"),
                dest=name,
                action="store_true",
                default=argparse.SUPPRESS,
                help=f"{help_text} [{env_name(name)}=1]",
            )
            continue
        group.add_argument(
            "--" + name.replace("_", "-"),
            dest=name,
            default=argparse.SUPPRESS,
            choices=choices,
            metavar=None if choices else name.upper(),
            type=lambda raw, n=name: _parse(n, raw),
            help=f"{help_text} [{env_name(name)}; default {shown}]",
        )
    parent.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="log what each stage does",
    )
    return parent


def _parse(name: str, raw: str) -> Any:
    try:
        return parse_value(name, raw)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _threshold(raw: str, lower_is_better: bool) -> tuple[str, float]:
    from rag.eval.gate import parse_threshold

    try:
        return parse_threshold(raw, lower_is_better)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _sweep(raw: str) -> tuple[str, list]:
    from rag.eval.sweep import parse_sweep

    try:
        return parse_sweep(raw)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def build_parser() -> argparse.ArgumentParser:
    """The `rag` argument parser with its subcommands."""
    settings = _settings_parent()
    parser = _Parser(
        prog="rag",
        description=DESCRIPTION,
        parents=[settings],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Run `rag COMMAND --help` for the options of each command.\n"
        "RAG_AUTH=user:password (environment only, never a flag) puts a login on the page;\n"
        "a server backend reads its API key from OPENAI_API_KEY.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    sub.add_parser(
        "ingest",
        parents=[settings],
        help="build or refresh the passage index",
        description="Split the seed documents into passages and index them in Chroma. "
        "Does nothing when the index is already current.",
    )
    ask = sub.add_parser(
        "ask",
        parents=[settings],
        help="answer one question",
        description="Answer one question about the articles, with citations.",
    )
    ask.add_argument("question", help="the question, in quotes")
    ask.add_argument("--json", action="store_true", help="print one JSON object (see README)")
    ask.add_argument(
        "--history",
        type=Path,
        metavar="FILE",
        help='JSON list of earlier turns [{"role": "user", "content": ...}, ...]',
    )
    sub.add_parser(
        "serve",
        parents=[settings],
        help="start the chat web page",
        description="Serve the chat page on http://HOST:PORT (127.0.0.1:7860): the chat beside "
        "the article, citation markers that show their passage, votes saved to "
        "DATA_DIR/feedback.jsonl.",
    )
    ev = sub.add_parser(
        "eval",
        parents=[settings],
        help="answer the test set, write a report",
        description="Answer every item of the question-answer test set and "
        "write results.jsonl, summary.json, report.md and plots.",
    )
    ev.add_argument(
        "--dataset",
        type=Path,
        default=Path("eval/qa.jsonl"),
        help="test set in JSONL (default eval/qa.jsonl)",
    )
    ev.add_argument(
        "--out",
        type=Path,
        default=Path("eval/runs/latest"),
        help="output folder (default eval/runs/latest)",
    )
    ev.add_argument(
        "--baseline",
        action="store_true",
        help="also run LangChain's tutorial chain on the same items and model",
    )
    ev.add_argument("--limit", type=int, default=0, help="answer only the first N items")
    ev.add_argument(
        "--compare",
        type=Path,
        metavar="RUN_DIR",
        help="compare with an earlier run: each headline change with a paired bootstrap 95%% "
        "interval, and the items that flipped (written to comparison.md and the report)",
    )
    ev.add_argument(
        "--fail-under",
        action="append",
        default=[],
        metavar="METRIC=VALUE",
        type=lambda raw: _threshold(raw, lower_is_better=False),
        help="exit 1 when a headline number is under VALUE (0.85 or 85%%), e.g. correct=0.8; "
        "repeatable",
    )
    ev.add_argument(
        "--fail-over",
        action="append",
        default=[],
        metavar="METRIC=VALUE",
        type=lambda raw: _threshold(raw, lower_is_better=True),
        help="exit 1 when a lower-is-better number is over VALUE, e.g. "
        "false_abstention_rate=0.1 or latency_p50_ms=1000; repeatable",
    )
    ev.add_argument(
        "--judge-base-url",
        metavar="URL",
        help="an OpenAI-compatible server whose model grades each answer (yes/no: matches the "
        "reference; its claims are in the cited passages); reported beside the offline metrics",
    )
    ev.add_argument("--judge-model", metavar="NAME", help="the judge's model name on that server")
    ev.add_argument(
        "--sweep",
        metavar="NAME=V1,V2,...",
        type=_sweep,
        help="one run per value of a setting (e.g. top_k=2,4,8) or of a tuned number in "
        "rag/tuning.py (e.g. quote_margin=0.8,0.9,1), each in OUT/NAME=VALUE/, and one table "
        "(sweep.md) and plot (sweep.png) of the headline numbers",
    )
    ev.add_argument(
        "--replay",
        action="store_true",
        help="give each item's conversation the pipeline's own replies: its earlier questions "
        "are asked in turn and their answers replace the set's written ones, as in the chat",
    )
    ev.add_argument(
        "--check-dataset",
        type=Path,
        metavar="PATH",
        help="only check a test set (schema, evidence verbatim in the seeds, duplicates): "
        "one line per problem; answers nothing",
    )
    fb = sub.add_parser(
        "feedback",
        help="list readers' votes; draft the 👎 ones as test items",
        description="List the votes readers gave on the chat page (DATA_DIR/feedback.jsonl) "
        "and write each 👎 as a draft test item (question, history, the answer given and its "
        "citations) for an evaluator to label: set answerable, reference_answer and evidence, "
        "check with `rag eval --check-dataset`, then run it with `rag eval --dataset`.",
    )
    fb.add_argument(
        "--drafts",
        type=Path,
        default=Path("eval/feedback_drafts.jsonl"),
        help="where to write the draft items (default eval/feedback_drafts.jsonl)",
    )
    cmp = sub.add_parser(
        "compare",
        help="compare two eval runs",
        description="Compare two `rag eval` output folders: each headline number's change with "
        "a paired bootstrap 95% interval, and the items that broke or were fixed.",
    )
    cmp.add_argument("before", type=Path, help="the earlier run folder")
    cmp.add_argument("after", type=Path, help="the later run folder")
    bench = sub.add_parser(
        "bench",
        parents=[settings],
        help="measure speed and memory",
        description="Measure ingest, retrieval, answering and cold start; "
        "write bench.json and bench.png.",
    )
    bench.add_argument("--quick", action="store_true", help="smaller corpus, fewer repeats")
    bench.add_argument(
        "--out", type=Path, default=Path("eval/bench"), help="output folder (default eval/bench)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `rag` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    values = vars(args)
    verbose = values.pop("verbose", False)
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "chromadb", "sentence_transformers", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    overrides = {f: values.pop(f) for f in list(values) if f in Settings.__dataclass_fields__}
    try:
        settings = Settings.from_env(**overrides)
    except ValueError as err:
        parser.exit(EXIT_USAGE, f"rag: error: {err}\n")
    try:
        return COMMANDS[args.command](settings, args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except (ReaderError, OSError) as err:
        print(f"rag: error: {err}", file=sys.stderr)
        return getattr(err, "exit_code", 1)
    except Exception as err:  # the process boundary: a bug or a library failure, never a trace
        if verbose:
            logging.getLogger("rag").exception("internal error")
        print(
            f"rag: internal error ({type(err).__name__}: {err}); run again with --verbose "
            "for details, and report it if it persists",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
