"""The reply's parts: citations numbered in order of first use, repeats dropped, JSON contract."""

from langchain_core.documents import Document

from rag.answer.reply import Answer, Draft


def _passage(text: str, start: int) -> Document:
    meta = {"source": "a.txt", "section": "S", "start": start, "end": start + len(text)}
    return Document(page_content=text, metadata=meta)


def test_citations_are_numbered_by_first_use_and_repeats_are_dropped() -> None:
    one, two = _passage("Allies worry.", 0), _passage("Officials defend it.", 14)
    draft = Draft()
    assert draft.add("Officials defend the policy.", [two]) == "Officials defend the policy. [1]"
    assert (
        draft.add("Allies worry about agents.", [one, two]) == "Allies worry about agents. [2][1]"
    )
    assert draft.add("Officials defend the policy!", [two]) is None  # says nothing new
    assert draft.add("Allies worry.", [one], quote=True) is None
    cited = draft.citations()
    assert [(c.n, c.start, c.text) for c in cited] == [
        (1, 14, "Officials defend it."),
        (2, 0, "Allies worry."),
    ]


def test_to_dict_is_the_json_contract_without_internal_fields() -> None:
    answer = Answer("q", "a", False, [], "embedded:m", {"total": 1.0}, "quoted", "", [("a", 0, 1)])
    data = answer.to_dict()
    assert "retrieved" not in data
    assert set(data) == {
        "question",
        "answer",
        "abstained",
        "citations",
        "backend",
        "timings_ms",
        "mode",
        "reason",
    }
