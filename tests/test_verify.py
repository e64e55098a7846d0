"""Citation parsing, sentence splitting and the support check."""

import logging

from rag.answer.verify import check_support, parse_citations, split_claims, split_finished

PASSAGE = (
    "This potential recalibration in the intelligence landscape has sparked discussions among "
    "key allies, including Israel, Saudi Arabia, and members of the Five Eyes alliance."
)


def test_parse_citations_keeps_order_and_drops_out_of_range(caplog) -> None:
    with caplog.at_level(logging.WARNING):
        assert parse_citations("A [2] b [1, 3] c [9] d [2]", 3) == [2, 1, 3]
    assert "dropping citation [9]" in caplog.text


def test_split_claims_keeps_markers_with_their_sentence() -> None:
    claims = split_claims("Israel is one [1]. Saudi Arabia is another. [2] No marker here.", 2)
    assert [(c.text, c.cited) for c in claims] == [
        ("Israel is one.", (1,)),
        ("Saudi Arabia is another.", (2,)),
        ("No marker here.", ()),
    ]


def test_split_claims_does_not_break_after_u_s() -> None:
    claims = split_claims("Skepticism lingers among U.S. allies about Putin. [1]", 1)
    assert len(claims) == 1


def test_copied_sentence_is_supported() -> None:
    s = "Key allies include Israel, Saudi Arabia, and members of the Five Eyes alliance."
    assert check_support(s, PASSAGE, similarity=0.8, min_similarity=0.6).supported


def test_a_name_not_in_the_passage_is_unsupported() -> None:
    s = "Key allies include Israel, Canada, and members of the Five Eyes alliance."
    result = check_support(s, PASSAGE, similarity=0.8, min_similarity=0.6)
    assert not result.supported and result.missing == ("canada",)


def test_echoing_the_question_is_not_support() -> None:
    s = "Israel and Saudi Arabia are key allies now."
    q = "Which allies are there now?"
    assert not check_support(s, PASSAGE, 0.8, 0.6, min_overlap=0.5, question=q).supported
    assert check_support(s, PASSAGE, 0.8, 0.6, min_overlap=0.5).supported


def test_one_new_content_word_that_can_reverse_the_claim_is_unsupported() -> None:
    passage = (
        "A growing concern emerges among U.S. allies regarding the Trump administration’s "
        "softer approach towards Russia."
    )
    reversed_ = passage.replace("softer", "tougher")  # 12 of 13 content words still there
    assert not check_support(reversed_, passage, 0.9, 0.6).supported
    common = passage.replace("A growing", "Now a growing")  # "now" adds no claim
    assert check_support(common, passage, 0.9, 0.6).supported


def test_low_similarity_or_low_overlap_is_unsupported() -> None:
    s = "Israel, Saudi Arabia and the Five Eyes alliance."
    assert not check_support(s, PASSAGE, similarity=0.3, min_similarity=0.6).supported
    s = "The alliance will collapse because budgets shrink."
    assert not check_support(s, PASSAGE, similarity=0.9, min_similarity=0.6).supported


def test_a_claim_spliced_from_far_apart_phrases_is_unsupported() -> None:
    passage = (
        "Despite public statements downplaying any rift in intelligence cooperation, the prospect "
        "of reevaluating protocols for sharing sensitive information looms large among key allies."
    )
    spliced = "Public statements downplay reevaluating protocols for sharing sensitive information."
    faithful = "Public statements downplay any rift in intelligence cooperation."
    assert not check_support(spliced, passage, 0.9, 0.6, min_overlap=0.5).supported
    assert check_support(faithful, passage, 0.9, 0.6).supported


def test_word_checks_alone_when_similarity_is_not_measured() -> None:
    s = "Key allies include Israel, Saudi Arabia, and members of the Five Eyes alliance."
    assert check_support(s, PASSAGE, similarity=None, min_similarity=0.6).supported


def test_split_finished_waits_for_the_next_sentence_to_begin() -> None:
    claims, rest = split_finished("Israel is one. [1] Saudi Ara", 2)
    assert [(c.text, c.cited) for c in claims] == [("Israel is one.", (1,))]
    assert rest == "Saudi Ara"
    assert split_finished("Israel is one. [1]", 2) == ([], "Israel is one. [1]")
    assert split_finished("Among U.S. allies", 2) == ([], "Among U.S. allies")


def test_split_claims_tidies_the_spaces_markers_leave() -> None:
    claims = split_claims("Israel  is\tone [1]. Saudi Arabia [2] , too .", 2)
    assert [(c.text, c.cited) for c in claims] == [
        ("Israel is one.", (1,)),
        ("Saudi Arabia, too.", (2,)),
    ]


def test_split_finished_cuts_before_the_last_sentence_only() -> None:
    claims, rest = split_finished("Israel is one. [1] Saudi Arabia is another. [2] The Fi", 2)
    assert [c.text for c in claims] == ["Israel is one.", "Saudi Arabia is another."]
    assert rest == "The Fi"
    # An answer that opens with an abbreviation has not finished a sentence yet.
    assert split_finished("U.S. officials doubt", 2) == ([], "U.S. officials doubt")


def test_a_sentence_without_content_words_is_not_support() -> None:
    result = check_support("It is so.", "It is so.", similarity=0.9, min_similarity=0.6)
    assert not result.supported and result.overlap == 0.0


def test_a_name_in_another_inflection_is_found_in_the_passage() -> None:
    passage = "Australian officials are worried about sharing intelligence."
    s = "The Australians are worried about sharing intelligence."
    result = check_support(s, passage, similarity=0.9, min_similarity=0.6)
    assert result.supported and result.missing == ()


def test_the_minimum_similarity_and_overlap_are_enough() -> None:
    s = "Key allies include Israel, Saudi Arabia, and members of the Five Eyes alliance."
    result = check_support(s, PASSAGE, similarity=0.6, min_similarity=0.6, min_overlap=1.0)
    assert result.supported and (result.overlap, result.similarity) == (1.0, 0.6)


def test_kept_together_measures_the_nearest_occurrences_in_either_order() -> None:
    from rag.answer.verify import kept_together

    passage = ["a", "x", "x", "a", "x", "x", "x", "b"]
    assert kept_together(["a", "a", "b"], passage, max_skip=3)
    assert kept_together(["b", "a"], passage, max_skip=3)  # reordered clauses stay close
    assert not kept_together(["a", "b"], ["a", "x", "x", "x", "x", "b"], max_skip=3)


def test_kept_together_checks_past_an_unmatched_word() -> None:
    from rag.answer.verify import kept_together

    passage = ["x", "a", "x", "x", "x", "x", "x", "b"]
    assert not kept_together(["a", "unknown", "b"], passage, max_skip=3)
    assert kept_together(["a", "unknown", "b"], passage, max_skip=5)


def test_swapped_roles_are_unsupported_though_every_word_is_the_passages() -> None:
    passage = (
        "As intelligence agencies worldwide operate on a foundation of trust and "
        "confidentiality, the sanctity of protecting foreign agents and their identities "
        "is paramount."
    )
    swapped = (
        "Foreign agents worldwide operate on a foundation of trust, and protecting "
        "intelligence agencies is paramount."
    )
    faithful = "Protecting foreign agents and their identities is paramount."
    assert not check_support(swapped, passage, 0.9, 0.6).supported
    assert check_support(faithful, passage, 0.9, 0.6).supported


def test_a_copied_run_of_the_passage_is_supported_however_short() -> None:
    long_passage = PASSAGE + " " + " ".join(["Other matters were discussed at length."] * 5)
    quote = "key allies, including Israel"
    assert check_support(quote, long_passage, similarity=0.2, min_similarity=0.6).supported
    assert not check_support("key allies, excluding Israel", long_passage, 0.2, 0.6).supported
