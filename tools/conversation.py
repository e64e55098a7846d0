"""`python -m tools.conversation`: one reader's casual conversation typed into the page in
headless Chromium; which turns the page answered and which it declined, against their labels."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from rag.settings import PROJECT_ROOT
from tools.browser import DESKTOP, BrowserMissing, ChatPage, chromium
from tools.servers import served

CONVERSATION = PROJECT_ROOT / "eval" / "browser_conversation.jsonl"
# Every answer ends with a "Sources:" line; a decline shows "Closest passage:" or nothing.
ANSWERED_LABEL = "Sources:"
CITED_IN_PANEL = ".article-panel mark.cited"


@dataclass(frozen=True)
class Turn:
    """One question as the page handled it."""

    question: str
    answerable: bool
    category: str
    declined: bool
    evidence_cited: bool  # an answer whose highlighted passages hold the evidence
    shown: str  # the message as the reader sees it

    @property
    def right(self) -> bool:
        if not self.answerable:
            return self.declined
        return not self.declined and self.evidence_cited


def load(path: Path = CONVERSATION) -> list[dict]:
    """The conversation's turns, in order."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def converse(chat: ChatPage, items: list[dict]) -> list[Turn]:
    """Type each question into the open page, in order, in one conversation."""
    turns = []
    for item in items:
        chat.ask(item["question"], timeout_s=120)
        shown = chat.last_answer().inner_text()
        declined = ANSWERED_LABEL not in shown
        # Whitespace normalised on both sides: the panel's text is laid out as HTML.
        cited = " ".join(" ".join(chat.page.locator(CITED_IN_PANEL).all_inner_texts()).split())
        evidence_cited = not declined and any(
            " ".join(e.split()) in cited for e in item["evidence"]
        )
        turns.append(
            Turn(
                item["question"],
                item["answerable"],
                item["category"],
                declined,
                evidence_cited,
                shown,
            )
        )
    return turns


def tally(turns: list[Turn]) -> dict:
    """The counts the issue's bar is stated in."""
    answerable = [t for t in turns if t.answerable]
    not_answerable = [t for t in turns if not t.answerable]
    return {
        "turns": len(turns),
        "right": sum(t.right for t in turns),
        "answerable": len(answerable),
        "answerable_declined": sum(t.declined for t in answerable),
        "answered_without_evidence": sum(
            not t.declined and not t.evidence_cited for t in answerable
        ),
        "not_answerable": len(not_answerable),
        "not_answerable_answered": sum(not t.declined for t in not_answerable),
    }


def report(turns: list[Turn]) -> str:
    """A Markdown table of the turns and the tally."""
    lines = ["| # | question | answerable | page | right |", "|---|---|---|---|---|"]
    for i, t in enumerate(turns, 1):
        page = (
            "declined"
            if t.declined
            else ("answered" + ("" if t.evidence_cited else ", not the evidence"))
        )
        answerable, right = ("yes" if t.answerable else "no"), ("✓" if t.right else "✗")
        lines.append(f"| {i} | {t.question} | {answerable} | {page} | {right} |")
    counts = tally(turns)
    lines += [
        "",
        f"Right: {counts['right']} of {counts['turns']}. Answerable declined: "
        f"{counts['answerable_declined']} of {counts['answerable']}; answered without citing the "
        f"evidence: {counts['answered_without_evidence']}. Not answerable but answered: "
        f"{counts['not_answerable_answered']} of {counts['not_answerable']}.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.conversation", description=__doc__)
    parser.add_argument("--conversation", type=Path, default=CONVERSATION, help="JSONL of turns")
    parser.add_argument("--out", type=Path, help="folder for conversation.json and .md")
    args = parser.parse_args(argv)
    try:
        items = load(args.conversation)
    except (OSError, ValueError) as e:
        print(f"error: cannot read {args.conversation}: {e}", file=sys.stderr)
        return 2
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = {"RAG_DATA_DIR": str(Path(tmp) / "data")}
            with served(env, Path(tmp) / "serve.log") as server, chromium() as browser:
                chat = ChatPage(browser.new_page(viewport=DESKTOP), server.url)
                chat.open()
                turns = converse(chat, items)
    except BrowserMissing as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    text = report(turns)
    print(text)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        result = {"tally": tally(turns), "turns": [asdict(t) for t in turns]}
        (args.out / "conversation.json").write_text(
            json.dumps(result, indent=1, ensure_ascii=False)
        )
        (args.out / "conversation.md").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
