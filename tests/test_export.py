"""The RAGAS export: one sample per item, contexts as the text the system retrieved."""

from rag.eval.export import ragas_rows


def test_each_item_becomes_a_ragas_sample_with_the_retrieved_text() -> None:
    sources = {"a.txt": "Alpha beta. Gamma delta."}
    rows = [
        {
            "question": "what about gamma?",
            "answer": "“Gamma delta.” [1]",
            "reference_answer": "Delta.",
            "retrieved": [("a.txt", 12, 24), ("a.txt", 0, 11), ("gone.txt", 0, 3)],
        },
        {
            "question": "capital of Peru?",
            "answer": "The article doesn't say.",
            "reference_answer": "",
        },
    ]
    assert ragas_rows(rows, sources) == [
        {
            "user_input": "what about gamma?",
            "retrieved_contexts": ["Gamma delta.", "Alpha beta."],  # best first; unknown skipped
            "response": "“Gamma delta.” [1]",
            "reference": "Delta.",
        },
        {
            "user_input": "capital of Peru?",
            "retrieved_contexts": [],
            "response": "The article doesn't say.",
            "reference": "",
        },
    ]
