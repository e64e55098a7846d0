"""Laying out source files for the article panel: every passage marked, no text lost."""

from pathlib import Path

from rag.answer.headings import headings
from rag.ingest.documents import load_passages, split_text
from ui.article import layout, load_articles


def _text(part) -> str:
    return "".join(s.text for s in part.spans)


def test_the_seed_reads_as_written_with_every_passage_marked(seeds_dir: Path) -> None:
    passages = load_passages(seeds_dir, 300)
    articles = load_articles(seeds_dir, passages)
    (source,) = articles
    article = articles[source]
    text = (seeds_dir / source).read_text(encoding="utf-8")
    assert article.title == text.splitlines()[0]
    assert [p.kind for p in article.parts][:3] == ["title", "paragraph", "heading"]
    # Each part is a line of the file, whole: nothing dropped, nothing added.
    assert [_text(p) for p in article.parts] == [line for line in text.splitlines() if line]
    marked = {(s.start, s.text) for p in article.parts for s in p.spans if s.start is not None}
    # Every passage, and the title and headings, which an answer about them cites.
    citable = passages + headings(passages)
    assert marked == {(int(p.metadata["start"]), p.page_content) for p in citable}


def test_markdown_headings_lose_their_marks_and_other_sources_are_ignored() -> None:
    text = "# Title here\n\nFirst sentence is here. Second one follows it.\n\n## Part two\n\nMore."
    passages = split_text(text, "a.md", 30)
    other = split_text("Another file. With words.", "b.txt", 30)
    article = layout(text, "a.md", passages + other)
    assert article.title == "Title here"
    assert [(p.kind, _text(p)) for p in article.parts] == [
        ("title", "Title here"),
        ("paragraph", "First sentence is here. Second one follows it."),
        ("heading", "Part two"),
        ("paragraph", "More."),
    ]
    starts = [s.start for p in article.parts for s in p.spans if s.start is not None]
    assert starts == sorted(int(p.metadata["start"]) for p in passages + headings(passages))
