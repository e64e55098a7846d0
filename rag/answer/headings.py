"""Questions about how the text is laid out: its headline, its section headings, one section."""

from __future__ import annotations

import re
from collections.abc import Mapping

from langchain_core.documents import Document

from rag.nlp.vocabulary import found_in, weighted_share
from rag.nlp.words import content_stems, content_words, stem, words

# Words that name the text or a place in it rather than a topic: "what's the first section
# heading after the intro?", "what was the title again?".
TEXT_WORDS = frozenset(
    stem(w)
    for w in """article story piece text report again called name headline head line title
    titled section heading subheading header subhead part bit one first second third fourth
    fifth next last final intro introduction after before list order main""".split()
)
# "What's it called?" may ask the name of what was just discussed: "called" counts only with
# a word for the text ("whats the article called").
_TITLE = re.compile(
    r"\b(head ?lines?|titled?|titles)\b|\b(article|story|piece|text|report)\b.*\bcalled\b",
    re.IGNORECASE,
)
_SECTIONS = re.compile(r"\b(sections?|(sub)?headings?|headers?|subheads?)\b", re.IGNORECASE)
# Asks what a section is called: "what's the cyber section called", "the heading of the white
# house part".
_NAMING = re.compile(r"\b(called|titled|title|(sub)?headings?|headers?|name of)\b", re.IGNORECASE)
# "What's the expert insights section about?": a place in the text named by its heading.
_SECTION = re.compile(r"\b(sections?|parts?|bits?|headings?)\b", re.IGNORECASE)
# Words that ask what a section holds, beside its name.
_ABOUT = frozenset(stem(w) for w in "about say says said cover covers discuss talk".split())
_POSITIONS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "last": -1}
_POSITION_STEMS = frozenset(stem(w) for w in [*_POSITIONS, "next", "final", "one"])


def layout_intent(text: str) -> str | None:
    """ "title" or "sections" for a question about the headline or the section headings,
    whatever its wording; None otherwise."""
    if not set(content_stems(text)) <= TEXT_WORDS:
        # A section named by its topic, asked for its heading: the topic picks the heading.
        return "sections" if _SECTION.search(text) and _NAMING.search(text) else None
    if _SECTIONS.search(text):
        return "sections"
    if _TITLE.search(text):
        return "title"
    return None


def asks_position(text: str) -> bool:
    """ "And the next one?", "the last one": only a position, which leans on the list before."""
    stems = set(content_stems(text))
    return bool(stems) and stems <= _POSITION_STEMS


def headings(body: list[Document]) -> list[Document]:
    """The title and the section headings above these passages, in order, as citable spans."""
    found: dict[tuple[str, int], Document] = {}
    for p in body:
        m = p.metadata
        for kind, key in (("title", "title"), ("heading", "section")):
            start = int(m.get(f"{key}_start", -1))
            if start < 0 or (m["source"], start) in found:
                continue
            text = m[key]
            found[(m["source"], start)] = Document(
                page_content=text,
                metadata={
                    "source": m["source"],
                    "section": text,
                    "kind": kind,
                    "start": start,
                    "end": start + len(text),
                },
            )
    return list(found.values())


def pick_sections(
    sections: list[Document], question: str, before: str, texts: Mapping[str, str] | None = None
) -> list[Document]:
    """The sections a question points at: "the first", "the last", "the next" (after the
    last one named in `before`, the previous answer), the one whose heading and passages
    (`texts`, by heading) hold most of the topic it names ("the cyber section"), or all."""
    asked = words(question)
    if "next" in asked:
        named = [i for i, s in enumerate(sections) if s.page_content in before]
        if named and named[-1] + 1 < len(sections):
            return [sections[named[-1] + 1]]
    if "final" in asked:
        asked.append("last")
    for word, i in _POSITIONS.items():
        if word in asked and -len(sections) <= i < len(sections):
            return [sections[i]]
    return _on_topic(sections, question, texts or {}) or sections


def _on_topic(sections: list[Document], question: str, texts: Mapping[str, str]) -> list[Document]:
    """The one section whose heading, else whose heading and passages, hold most of the
    question's topic words (rare words weighing more); none when no topic is named or two
    sections tie. A heading names its topic: "the section about experts" is "Expert
    Insights", though experts are quoted elsewhere too."""
    topic = [
        w for w in dict.fromkeys(content_words(question)) if stem(w) not in TEXT_WORDS | _ABOUT
    ]
    if not topic:
        return []
    for with_passages in (False, True):
        shares = [
            weighted_share(
                found_in(_heading_and_passages(s, texts, with_passages), topic),
                topic,
            )
            for s in sections
        ]
        best = max(shares, default=0.0)
        if best > 0 and shares.count(best) == 1:
            return [sections[shares.index(best)]]
    return []


def _heading_and_passages(section: Document, texts: Mapping[str, str], with_passages: bool) -> str:
    passages = texts.get(section.page_content, "") if with_passages else ""
    return f"{section.page_content}\n{passages}"


def section_named(text: str, sections: list[Document]) -> Document | None:
    """The section a question asks about by its heading's words ("the white house part"), when
    the question's other words are all about the text."""
    if not _SECTION.search(text):
        return None
    own = set(content_stems(text)) - TEXT_WORDS - _ABOUT
    if not own:
        return None
    for s in sections:
        if own <= set(content_stems(s.page_content)):
            return s
    return None
