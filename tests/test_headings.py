"""Questions about the text's layout: which wording asks for the headline, the headings, a
section; and which heading a position or a section's words point at."""

import pytest

from rag.answer.headings import (
    asks_position,
    headings,
    layout_intent,
    pick_sections,
    section_named,
)
from rag.ingest.documents import split_text

TEXT = (
    "Ports Reopen After Storm\n"
    "Shipping resumed on Monday. Crews cleared the channel.\n"
    "Harbour Damage and Repairs\n"
    "Two cranes fell. Engineers expect repairs to take weeks.\n"
    "What Comes Next for Trade\n"
    "Importers rerouted cargo. Prices rose slightly.\n"
)
PASSAGES = split_text(TEXT, "a.txt", 60)
FOUND = headings(PASSAGES)
SECTIONS = [h for h in FOUND if h.metadata["kind"] == "heading"]


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("what's the headline", "title"),
        ("what was the title again?", "title"),
        ("whats the article called", "title"),
        ("what's it called", None),  # the name of what was just discussed, maybe
        ("what are the section headings", "sections"),
        ("whats the first section heading after the intro", "sections"),
        ("list the subheadings", "sections"),
        # A topic beside the layout words: a question about the news, not the layout.
        ("what does the headline say about the storm", None),
        ("which section mentions cranes", None),
        ("what did the engineers say", None),
        # A section named by its topic, asked for its heading.
        ("what's the trade section called", "sections"),
        ("whats the heading of the part about cranes", "sections"),
    ],
)
def test_layout_questions_are_told_from_questions_about_the_news(question, intent) -> None:
    assert layout_intent(question) == intent


def test_headings_are_citable_spans_of_the_file_in_order() -> None:
    assert [(h.metadata["kind"], h.page_content) for h in FOUND] == [
        ("title", "Ports Reopen After Storm"),
        ("heading", "Harbour Damage and Repairs"),
        ("heading", "What Comes Next for Trade"),
    ]
    for h in FOUND:
        assert TEXT[h.metadata["start"] : h.metadata["end"]] == h.page_content


def test_a_text_without_headings_has_none() -> None:
    assert headings(split_text("just one line of text. and another.\n", "b.txt", 60)) == []


@pytest.mark.parametrize(
    ("question", "before", "picked"),
    [
        ("what's the first section heading", "", [0]),
        ("and the last one", "", [1]),
        ("and the final one?", "", [1]),
        ("and the next one?", "“Harbour Damage and Repairs” [1]", [1]),
        ("what are the sections", "", [0, 1]),
        # Past the end, or a position the text lacks: every heading, not a wrong one.
        ("and the next one?", "“What Comes Next for Trade” [1]", [0, 1]),
        ("the fifth section", "", [0, 1]),
    ],
)
def test_a_position_picks_its_heading(question, before, picked) -> None:
    assert pick_sections(SECTIONS, question, before) == [SECTIONS[i] for i in picked]


def test_a_position_alone_leans_on_the_list_before() -> None:
    assert asks_position("and the next one?") and asks_position("the last one")
    assert not asks_position("and the engineers?") and not asks_position("and?")


def test_a_section_is_found_by_its_heading_words() -> None:
    assert section_named("what's the harbour damage section about", SECTIONS) == SECTIONS[0]
    assert section_named("what does the trade part say", SECTIONS) == SECTIONS[1]
    # Words the heading lacks, or no word for a place in the text: not a section question.
    assert section_named("what does 'cranes' mean in the trade part", SECTIONS) is None
    assert section_named("what about trade", SECTIONS) is None


def test_a_topic_picks_the_section_whose_heading_or_passages_hold_it() -> None:
    texts = {
        "Harbour Damage and Repairs": "Two cranes fell. Engineers expect repairs to take weeks.",
        "What Comes Next for Trade": "Importers rerouted cargo. Prices rose slightly.",
    }
    assert pick_sections(SECTIONS, "what's the trade section called", "", texts) == [SECTIONS[1]]
    assert pick_sections(SECTIONS, "heading of the part about cranes", "", texts) == [SECTIONS[0]]
    # The heading names its topic, though another section's passages use the word too.
    texts["What Comes Next for Trade"] += " Ships left the harbour."
    assert pick_sections(SECTIONS, "what's the harbour section called", "", texts) == [SECTIONS[0]]
    # A topic no section holds: every heading, not a wrong one.
    assert pick_sections(SECTIONS, "what's the weather section called", "", texts) == SECTIONS
