"""Suggested questions: about the passages beside the used ones, new topics only, each checked."""

from langchain_core.documents import Document

from rag.answer.suggest import MAX_SUGGESTIONS, TEMPLATE, _repeated_pairs, suggestions, topics

TEXTS = [
    "Officials in Saudi Arabia weigh their options.",  # 0
    "The delicate balance worries officials. Then cyber operations were paused.",  # 1
    "Officials cite the delicate balance again, and cyber operations resumed.",  # 2
    "Then Vladimir Putin said little about Saudi Arabia.",  # 3
    "Members of the Five Eyes met.",  # 4
    "Talks with New Zealand went on.",  # 5
]
BODY = [Document(t, id=f"p{i}") for i, t in enumerate(TEXTS)]


def _about(question: str) -> str:
    return question.removeprefix("What does the article say about ").removesuffix("?")


def test_names_and_recurring_noun_phrases_are_topics_most_specific_first() -> None:
    repeated = {("delicate", "balance"), ("cyber", "operations")}
    assert topics(TEXTS[1], repeated) == ["delicate balance", "cyber operations"]
    assert topics(TEXTS[3], repeated) == ["Vladimir Putin", "Saudi Arabia"]
    # of the pairs that recur, only noun phrases: not "allies regarding" (a verb form after)
    twice = [
        Document("So key allies regarding it.", id="a"),
        Document("So key allies regarding x.", id="b"),
    ]
    assert _repeated_pairs(twice) == {("key", "allies")}
    assert [_about(q) for q in suggestions(twice, [], [], bool)] == ["the key allies"]


def test_the_next_passage_comes_first_then_the_one_before_and_used_topics_are_left_out() -> None:
    offered = suggestions(BODY, [BODY[3]], ["who is in five eyes?"], lambda q: True)
    # 4 (next) only names what was asked; then 2 (before), 5, and 1, whose first topic 2 took
    assert [_about(q) for q in offered] == [
        "the delicate balance",
        "New Zealand",
        "the cyber operations",
    ]
    assert "Saudi Arabia" not in " ".join(offered)  # the used passage already names it


def test_only_questions_the_decision_passes_are_offered() -> None:
    checked: list[str] = []

    def would_answer(question: str) -> bool:
        checked.append(question)
        return "Zealand" in question

    assert suggestions(BODY, [BODY[0]], [], would_answer) == [TEMPLATE.format("New Zealand")]
    assert len(checked) == 5  # one topic from each other passage, each checked
    assert suggestions(BODY, [BODY[0]], [], lambda q: False) == []


def test_a_reply_that_cites_nothing_suggests_from_the_start_of_the_article() -> None:
    offered = suggestions(BODY, [], [], lambda q: True)
    assert [_about(q) for q in offered] == [
        "Saudi Arabia",
        "the delicate balance",
        "the cyber operations",
    ]
    assert len(offered) == MAX_SUGGESTIONS
