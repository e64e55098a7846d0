"""HTML for the page: answers with clickable citation markers, and the article panel."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable

from rag.answer.reply import Answer
from ui.article import Article, Part

_MARKER = re.compile(r"\[(\d+)\]")
# Markdown syntax in article or model text is shown as typed, not rendered.
_MARKDOWN = re.compile(r"([\\`*_\[\]~#|])")
# The chat's Markdown turns bare URLs, www. names and e-mail addresses into links; written as
# character references they read the same but are never linked.
_AUTOLINK = {":": "&#58;", "@": "&#64;", "www.": "www&#46;", "WWW.": "WWW&#46;"}
_AUTOLINK_RE = re.compile("|".join(re.escape(k) for k in _AUTOLINK))
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
    for m in _MARKER.finditer(answer.answer):
        parts.append(escape(answer.answer[pos : m.start()]))
        parts.append(links.get(int(m.group(1)), escape(m.group(0))))
        pos = m.end()
    parts.append(escape(answer.answer[pos:]))
    lines = ["".join(parts)]
    if answer.citations:
        label = "Closest passage" if answer.abstained else "Sources"
        by_section: dict[str, list[str]] = {}  # one entry per section: "[1] [2] Section"
        for c in answer.citations:
            by_section.setdefault(c.section, []).append(links[c.n])
        sources = "; ".join(f"{' '.join(m)} {escape(s)}" for s, m in by_section.items())
        lines.append(f'<span class="sources"><b>{label}:</b> {sources}</span>')
    lines.append(COPY_LINK)
    return "\n\n".join(lines)


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
    back = '<a class="to-chat" href="#question">Back to the question box</a>'  # phones only
    return f'<div class="article-panel" data-turns="{turns}">{back}{body}</div>'


def _article(article: Article, cited: dict[tuple[str, int], int]) -> str:
    out = [f'<article data-source="{html.escape(article.source)}">']
    out.extend(_part(article.source, part, cited) for part in article.parts)
    out.append("</article>")
    return "".join(out)


def _part(source: str, part: Part, cited: dict[tuple[str, int], int]) -> str:
    if part.kind == "title":
        return f"<h2>{html.escape(part.spans[0].text)}</h2>"
    if part.kind == "heading":
        return f"<h3>{html.escape(part.spans[0].text)}</h3>"
    spans = []
    for span in part.spans:
        text = html.escape(span.text)
        if span.start is None:
            spans.append(text)
            continue
        anchor = passage_anchor(source, span.start)
        n = cited.get((source, span.start))
        if n is None:
            spans.append(f'<span class="passage" id="{anchor}">{text}</span>')
        else:
            spans.append(
                f'<mark class="passage cited" id="{anchor}" title="Cited as [{n}]">'
                f'<sup class="marker">[{n}]</sup> {text}</mark>'
            )
    return f"<p>{''.join(spans)}</p>"
