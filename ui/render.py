"""HTML for the page: answers with clickable citation markers, and the article panel."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable

from rag.answer.reply import Answer
from rag.answer.verify import MARKER
from ui.article import Article, Part, Span

# Markdown syntax in article or model text is shown as typed, not rendered.
_MARKDOWN = re.compile(r"([\\`*_\[\]~#|])")
# The chat's Markdown turns bare URLs, www. names and e-mail addresses into links; written as
# character references they read the same but are never linked.
_AUTOLINK = {":": "&#58;", "@": "&#64;", "www.": "www&#46;", "WWW.": "WWW&#46;"}
_AUTOLINK_RE = re.compile("|".join(re.escape(k) for k in _AUTOLINK))
# Words of a section name kept in the Sources line when the whole name would outgrow the answer.
SECTION_WORDS = 4
COPY_LINK = '<a class="copy-answer" href="#copy">Copy answer</a>'


def passage_anchor(source: str, start: int) -> str:
    """The HTML id of a passage in the article panel (stable, and safe in a URL fragment)."""
    return f"p-{hashlib.sha1(source.encode()).hexdigest()[:8]}-{start}"


def escape(text: str) -> str:
    """Text shown literally in a chat message: no HTML, no Markdown formatting, no links."""
    text = _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False))
    return _AUTOLINK_RE.sub(lambda m: _AUTOLINK[m.group()], text)


def streaming_text(sentences: Iterable[str]) -> str:
    """The sentences verified so far, while the answer is still being written."""
    return escape(" ".join(sentences))


def answer_message(answer: Answer) -> str:
    """The final chat message: the answer with linked markers, its sources, a copy link."""
    links = {c.n: _cite_link(c.n, c.source, c.start, c.section) for c in answer.citations}
    parts = []
    pos = 0
    for m in MARKER.finditer(answer.answer):
        parts.append(escape(answer.answer[pos : m.start()]))
        parts.append(links.get(int(m.group(1)), escape(m.group(0))))
        pos = m.end()
    parts.append(escape(answer.answer[pos:]))
    lines = ["".join(parts)]
    if answer.citations:
        lines.append(_sources_line(answer, links))
    lines.append(COPY_LINK)
    return "\n\n".join(lines)


def _sources_line(answer: Answer, links: dict[int, str]) -> str:
    """The cited markers grouped by section ("[1] [2] Section one; [3] Section two"), never
    longer on screen than the answer itself: long section names are cut to their first words,
    and beside a very short answer only the markers are left (each names its section in its
    tooltip)."""
    label = "Closest passage" if answer.abstained else "Sources"
    by_section: dict[str, list[int]] = {}
    for c in answer.citations:
        by_section.setdefault(c.section, []).append(c.n)
    answer_chars = len(MARKER.sub("", answer.answer).strip())
    for most_words in (None, SECTION_WORDS, 0):
        shown = {s: _first_words(s, most_words) for s in by_section}
        join = "; " if most_words != 0 else " "
        plain = join.join(
            f"{' '.join(f'[{n}]' for n in ns)} {shown[s]}".strip() for s, ns in by_section.items()
        )
        if most_words == 0 or len(f"{label}: {plain}") <= answer_chars:
            break
    entries = join.join(
        f"{' '.join(links[n] for n in ns)} {escape(shown[s])}".rstrip()
        for s, ns in by_section.items()
    )
    return f'<span class="sources"><b>{label}:</b> {entries}</span>'


def _first_words(text: str, most: int | None) -> str:
    """The text, or its first `most` words with an ellipsis when it has more."""
    if most is None:
        return text
    if most == 0:
        return ""
    kept = text.split()
    return " ".join(kept[:most]) + ("…" if len(kept) > most else "")


def _cite_link(n: int, source: str, start: int, section: str) -> str:
    title = html.escape(f"Show passage {n} in the article ({section})")
    return f'<a class="cite" href="#{passage_anchor(source, start)}" title="{title}">[{n}]</a>'


def article_panel(
    articles: list[Article], cited: dict[tuple[str, int], int] | None = None, turns: int = 0
) -> str:
    """The articles as they read; passages cited by the latest answer highlighted and numbered.

    `cited` maps (source, start) to the marker number; `turns` counts the finished turns of the
    conversation, so a browser (or a test) can tell when the panel shows the latest one.
    """
    cited = cited or {}
    body = "".join(_article(a, cited) for a in articles)
    back = '<a class="to-chat" href="#question">Back to your question</a>'  # phones only
    # It scrolls on its own on a wide screen: focusable, so a keyboard can scroll it too.
    attributes = f'class="article-panel" data-turns="{turns}" tabindex="0" role="region"'
    return f'<div {attributes} aria-label="The article">{back}{body}</div>'


def _article(article: Article, cited: dict[tuple[str, int], int]) -> str:
    out = [f'<article data-source="{html.escape(article.source)}">']
    out.extend(_part(article.source, part, cited) for part in article.parts)
    out.append("</article>")
    return "".join(out)


def _part(source: str, part: Part, cited: dict[tuple[str, int], int]) -> str:
    spans = "".join(_span(source, span, cited) for span in part.spans)
    tag = {"title": "h2", "heading": "h3"}.get(part.kind, "p")
    return f"<{tag}>{spans}</{tag}>"


def _span(source: str, span: Span, cited: dict[tuple[str, int], int]) -> str:
    """A run of text; a passage or heading gets its anchor, and its marker when cited."""
    text = html.escape(span.text)
    if span.start is None:
        return text
    anchor = passage_anchor(source, span.start)
    n = cited.get((source, span.start))
    if n is None:
        return f'<span class="passage" id="{anchor}">{text}</span>'
    return (
        f'<mark class="passage cited" id="{anchor}" title="Cited as [{n}]">'
        f'<sup class="marker">[{n}]</sup> {text}</mark>'
    )
