"""Names in a text, as written and in normal form."""

from rag.nlp.names import name_phrases, names


def test_names_skip_sentence_initial_capitals() -> None:
    assert names("Which allies trust Vladimir Putin?") == {"vladimir", "putin"}
    assert names("What did Joe Biden say?") == {"joe", "biden"}


def test_name_phrases_keep_the_spelling_and_cut_at_sentence_ends() -> None:
    text = (
        "Officials met in New York. Reports name Dr. Jones and Mr. Smith; "
        "President Donald Trump’s aides visited the U.S. Congress on Tuesday."
    )
    assert name_phrases(text) == [
        "New York",
        "Dr. Jones",
        "Mr. Smith",
        "President Donald Trump",
        "U.S. Congress",
    ]
