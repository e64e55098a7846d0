"""The page's HTML: markers that link to the cited passage, text shown literally."""

import re

from rag.answer.reply import Answer, Citation
from ui.article import Article, Part, Span
from ui.render import answer_message, article_panel, escape, passage_anchor

ARTICLE = Article(
    "a.txt",
    "A <b>title</b>",
    (
        Part("title", (Span("A <b>title</b>"),)),
        Part("heading", (Span("Section one"),)),
        Part("paragraph", (Span("First one.", 20), Span(" "), Span("Second <i>one</i>.", 31))),
    ),
)


def _answer(text: str, citations: list[Citation], mode: str = "generated") -> Answer:
    abstained = mode in ("abstained", "refused")
    return Answer("q", text, abstained, citations, "embedded:m", {}, mode)


def test_markers_link_to_the_anchor_of_the_passage_they_cite() -> None:
    cites = [
        Citation(1, "a.txt", "Section one", 31, 48, "Second <i>one</i>."),
        Citation(2, "a.txt", "Section one", 20, 30, "First one."),
    ]
    message = answer_message(_answer("It is second [1] and first [2]. Not [7].", cites))
    links = re.findall(r'<a class="cite" href="#([^"]+)"[^>]*>\[(\d)\]</a>', message)
    # each marker in the answer, then each in the sources line
    assert links == [
        (passage_anchor("a.txt", 31), "1"),
        (passage_anchor("a.txt", 20), "2"),
        (passage_anchor("a.txt", 31), "1"),
        (passage_anchor("a.txt", 20), "2"),
    ]
    assert r"Not \[7\]." in message  # a number that cites nothing stays plain text
    assert message.count("</a> Section one") == 1  # both markers, then their one section
    assert "<b>Sources:</b>" in message and message.endswith("Copy answer</a>")


def test_abstentions_name_the_closest_passage_and_refusals_cite_nothing() -> None:
    closest = [Citation(1, "a.txt", "Section one", 20, 30, "First one.")]
    message = answer_message(
        _answer("The article doesn't say. The closest passage is [1].", closest, "abstained")
    )
    assert "<b>Closest passage:</b>" in message and 'class="cite"' in message
    refusal = answer_message(
        _answer("I can only answer questions about the article.", [], "refused")
    )
    assert "cite" not in refusal and "Sources" not in refusal


def test_html_and_markdown_in_text_are_shown_literally() -> None:
    assert escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert escape("**bold** [link](http://x) `code`") == (
        r"\*\*bold\*\* \[link\](http&#58;//x) \`code\`"
    )
    # Bare addresses would be auto-linked by the chat's Markdown: they are written so they
    # read the same and stay text.
    assert escape("www.evil.test or me@evil.test") == "www&#46;evil.test or me&#64;evil.test"
    message = answer_message(_answer("<img src=x onerror=alert(1)> [1]", []))
    assert "<img" not in message


def test_the_panel_highlights_and_numbers_only_the_cited_passages() -> None:
    html = article_panel([ARTICLE], {("a.txt", 31): 1}, turns=3)
    assert html.startswith('<div class="article-panel" data-turns="3" tabindex="0" role="region"')
    assert html.count('href="#question"') == 1  # the way back to the chat on a phone
    assert "<h2>A &lt;b&gt;title&lt;/b&gt;</h2>" in html and "<h3>Section one</h3>" in html
    first = f'<span class="passage" id="{passage_anchor("a.txt", 20)}">First one.</span>'
    assert first in html
    cited = re.search(r'<mark class="passage cited" id="([^"]+)"[^>]*>(.*?)</mark>', html)
    assert cited.group(1) == passage_anchor("a.txt", 31)
    assert cited.group(2) == '<sup class="marker">[1]</sup> Second &lt;i&gt;one&lt;/i&gt;.'
    assert article_panel([ARTICLE]).count("<mark") == 0


def test_a_cited_heading_is_marked_in_its_own_tag() -> None:
    article = Article(
        "a.txt",
        "Title",
        (
            Part("title", (Span("Title", 0),)),
            Part("heading", (Span("Section <one>", 6),)),
            Part("paragraph", (Span("Text.", 20),)),
        ),
    )
    html = article_panel([article], {("a.txt", 6): 1})
    assert f'<h2><span class="passage" id="{passage_anchor("a.txt", 0)}">Title</span></h2>' in html
    assert re.search(
        rf'<h3><mark class="passage cited" id="{passage_anchor("a.txt", 6)}"[^>]*>'
        r'<sup class="marker">\[1\]</sup> Section &lt;one&gt;</mark></h3>',
        html,
    )


def test_anchors_are_stable_and_distinct_per_source() -> None:
    assert passage_anchor("a.txt", 5) == passage_anchor("a.txt", 5)
    assert passage_anchor("a.txt", 5) != passage_anchor("b.txt", 5)
    assert re.fullmatch(r"p-[0-9a-f]{8}-5", passage_anchor("dir/with space.md", 5))


def _visible(message_html: str) -> str:
    return re.sub(r"<[^>]+>", "", message_html)


def test_the_sources_line_is_never_longer_than_the_answer() -> None:
    section = "Reassurances and Uncertainties: White House Response and Alliance Unity"
    cites = [
        Citation(1, "a.txt", section, 20, 30, "First one."),
        Citation(2, "a.txt", "Section one", 31, 48, "Second <i>one</i>."),
    ]
    for text in (
        "A long answer that names both sections and still has room to spare for them [1] [2].",
        "The alliance and the spokesperson's reply, both cited [1] [2].",
        "Israel [1] [2].",
    ):
        answer, sources, _ = answer_message(_answer(text, cites)).split("\n\n")
        shown, answer_text = _visible(sources), re.sub(r"\[\d\]", "", _visible(answer))
        # the markers alone are the shortest a Sources line gets
        assert len(shown) <= max(len(answer_text.strip()), len("Sources: [1] [2]")), shown
        assert shown.startswith("Sources: [1]") and "[2]" in shown
    long_enough = answer_message(_answer("x" * 200 + " [1] [2].", cites))
    assert f"[1]</a> {escape(section)}; " in long_enough  # whole names when the answer is long
    medium = answer_message(_answer("y" * 70 + " [1] [2].", cites))
    assert "[1]</a> Reassurances and Uncertainties&#58; White…; " in medium
    short = answer_message(_answer("Israel [1] [2].", cites))
    assert _visible(short.split("\n\n")[1]) == "Sources: [1] [2]"
    assert f"({section})" in short  # the whole name stays in each marker's tooltip
