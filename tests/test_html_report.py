"""report.html: self-contained, every item with its evidence and citations marked."""

import os
import re
from pathlib import Path

import pytest

from rag.eval.html_report import write_html_report
from rag.eval.score import summarize
from rag.settings import PROJECT_ROOT
from tests.conftest import SEED

ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", PROJECT_ROOT / "tests" / "artifacts"))
SOURCE = SEED.name
TEXT = SEED.read_text(encoding="utf-8")


def _span(quote: str) -> tuple[str, int, int]:
    start = TEXT.index(quote)
    return SOURCE, start, start + len(quote)


def _rows() -> list[dict]:
    evidence = _span("Israel, Saudi Arabia, and members of the Five Eyes alliance")
    passage = _span("This potential recalibration in the intelligence landscape")
    wrong = _span("Reports of a pause in offensive cyber operations")
    base = {"cited": True, "latency_ms": 10.0, "faithfulness": 1.0}
    return [
        {
            **base,
            "id": "a-1",
            "category": "fact",
            "question": "which allies <b>?",
            "answerable": True,
            "reference_answer": "Israel and Saudi Arabia.",
            "answer": "“…including Israel…” [1]",
            "abstained": False,
            "mode": "extracted",
            "decision_probability": 0.81,
            "correct": True,
            "evidence_spans": [evidence],
            "citations": [{"source": SOURCE, "start": passage[1], "end": evidence[2] + 10}],
        },
        {
            **base,
            "id": "b-2",
            "category": "missing_detail",
            "question": "which agency paused it?",
            "answerable": False,
            "reference_answer": "",
            "answer": "“Reports of a pause…” [1]",
            "abstained": False,
            "mode": "quoted",
            "decision_probability": 0.62,
            "correct": False,
            "evidence_spans": [],
            "citations": [{"source": SOURCE, "start": wrong[1], "end": wrong[2]}],
        },
    ]


def _write(folder: Path, sources: dict[str, str] | None = None) -> Path:
    rows = _rows()
    summary = {
        "dataset": "eval/x.jsonl",
        "backend": "embedded:m",
        "started": "now",
        "system": summarize(rows, 4),
    }
    path = folder / "report.html"
    write_html_report(path, summary, rows, sources or {SOURCE: TEXT})
    return path


def test_the_page_loads_nothing_from_elsewhere_and_escapes_what_it_shows(tmp_path: Path) -> None:
    page = _write(tmp_path, {SOURCE: TEXT + "</script><script>alert(1)</script>"}).read_text()
    assert not re.search(r"""(src|href)\s*=\s*['"]?(https?:)?//""", page)
    assert "which allies &lt;b&gt;?" in page and "<b>?" not in page
    assert page.count("<script") == 2 and "\\u003c/script>\\u003cscript>alert(1)" in page
    assert "data-outcome='wrong'" in page and "data-declined='no'" in page


@pytest.mark.slow
def test_clicking_an_item_marks_its_evidence_and_citations_in_the_article(tmp_path: Path) -> None:
    from tools.browser import chromium

    path = _write(tmp_path)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(path.as_uri())
        assert page.locator("#shown").inner_text() == "2"
        page.select_option("#outcome", "wrong")
        assert page.locator("#shown").inner_text() == "1"
        assert page.locator("details#a-1").is_hidden()
        page.select_option("#outcome", "")
        page.locator("details#a-1 summary").click()
        # The marks are drawn by the page's script when the item opens: wait for them.
        page.wait_for_function(
            "document.querySelectorAll('details#a-1 .article mark').length >= 2", timeout=10_000
        )
        both = page.locator("details#a-1 mark.evidence.cited")
        assert both.inner_text() == "Israel, Saudi Arabia, and members of the Five Eyes alliance"
        cited_only = page.locator("details#a-1 mark.cited:not(.evidence)").first
        assert cited_only.inner_text().startswith("This potential recalibration")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report-html.png"), full_page=True)
        page.locator("details#b-2 summary").click()
        assert page.locator("details#b-2 mark.cited").inner_text().startswith("Reports of a pause")
        assert page.locator("details#b-2 mark.evidence").count() == 0
    assert requested == [path.as_uri()], "the report asked another host for something"
