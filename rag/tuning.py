"""Every tuned number of the pipeline in one frozen object, each with what it trades.

Settings (`rag.settings`) are what an operator chooses per deployment; these are the numbers
the answering code was tuned with. Every `rag eval` writes them into `summary.json`, so a result
can be traced to the numbers that made it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields


@dataclass(frozen=True)
class Tuning:
    """The pipeline's tuned constants (defaults are the shipped values)."""

    # --- retrieval -------------------------------------------------------------------------
    # Reciprocal-rank-fusion constant; the usual 60. Small corpora are not sensitive to it.
    rrf_k: int = 60
    # BM25 term-frequency saturation and length normalization (Okapi defaults).
    bm25_k1: float = 1.2
    bm25_b: float = 0.75

    # --- the answer/decline decision -------------------------------------------------------
    # One or two unfamiliar ordinary words are tolerated only when a passage is at least this
    # similar: lower answers more casual wording, and lets more false premises through.
    close_match: float = 0.6

    # --- ranking passages for the answer ---------------------------------------------------
    # Weight of the question's own words (the share a passage holds, rare words weighing
    # more) against similarity. Swept on both tuning sets (2026-11-28, `rag eval --sweep
    # lexical_weight=0.5,0.8` beside 0.3): 0.5 kept correctness on each (tuning part: one item
    # fixed, one broken) and lifted citation precision 75.7 -> 78% and 81.9 -> 83% (qa.jsonl);
    # 0.8 lost answers on both.
    lexical_weight: float = 0.5
    # Per new name (up to 3) in a passage, for 'which' and 'who' questions.
    name_bonus: float = 0.05
    # For a term the reader quoted ("what does 'rift' mean here"): passages that use it.
    quoted_term_bonus: float = 0.3
    # For a follow-up, added to the passages of the paragraph the previous answer came from
    # ("whats their argument for it" after "who defends it"): a reader who follows up mostly
    # asks about what is next to what they were just told. Swept on the tuning part's 140
    # questions with history (2026-11-29, `--sweep near_bonus=0,0.05,0.1,0.2`): right 64.3,
    # 65.7, 66.4 and 65.7% (0.1: 3 fixed, none broken; 0.2: 3 fixed, 1 broken); citation
    # precision 66.9, 69.4, 72.6 and 71.0%. More answers every follow-up from that paragraph.
    near_bonus: float = 0.1
    # Passages shown to the model score within this of the best: more context for the model,
    # more room for it to wander.
    context_margin: float = 0.2
    # Passages within the context margin are ranked again, each losing this much per unit of
    # mean log-probability that the question is less likely after it than after the likeliest
    # (`rag.answer.likelihood`, SmolLM2 scoring); 0 turns it off and loads no scorer. Off: at
    # 0.2 (2026-11-29, `rag eval --sweep likelihood_weight=...`) the tuning part went 68.6 ->
    # 70.5% (12 fixed, 4 broken) but the frozen sets gained 7 and lost 5 of 426, `qa.jsonl`
    # lost 3 of 75 (93.3 -> 89.3%, under its 92% bar: "which allies..." now quotes the
    # sentence that repeats the question's words, not the one with the names), and p95
    # latency rose by 0.4 s. At 0.1 the tuning part gained 0.9 points and `qa.jsonl` lost 2.
    likelihood_weight: float = 0.0

    # --- generation and verification -------------------------------------------------------
    # Generated sentences in an answer; the model is stopped after these (latency vs length).
    max_sentences: int = 2
    # A generated sentence must say at least this many content words beyond the question.
    min_new_words: int = 2
    # Lowest similarity of a generated sentence to the question: drops on-passage sentences
    # that answer something else.
    min_sentence_relevance: float = 0.30
    # Share of a sentence's content words its passage must hold: higher is more faithful and
    # rejects more paraphrases.
    min_word_overlap: float = 0.85
    # A word the passage lacks is allowed in a supported sentence only when it is this common
    # in English (wordfreq's Zipf scale: 6 is "also", "now", "many"). Measured on
    # eval/verifier_pairs.jsonl: none (the overlap alone) 69% precision, 18% paraphrase
    # recall; 5.0: 78%, 16%; 6.0: 82%, 10%. Higher is more faithful, fewer paraphrases pass.
    added_word_min_zipf: float = 6.0
    # Most content words between two neighbouring words of a supported sentence where the
    # passage has them (splices and swapped roles put far-apart words side by side).
    max_skip: int = 3

    # --- quoting and extracting ------------------------------------------------------------
    # An extracted answer must hold at least this many content words the question lacks, or
    # it only restates the question and takes the next clause: lower is shorter, and more
    # often a restatement.
    span_min_new_words: int = 3
    # The share of the question words' weight (inverse document frequency over the passages)
    # that the clauses of an extracted answer must hold: lower drops more clauses that hold
    # only words the whole article uses. Simulated on the extracted and quoted answers of
    # both tuning sets (2026-11-28): 1.0 and 0.9 change nothing; 0.75 keeps every one right,
    # with token F1 56.4 -> 58.0% on qa.jsonl's 35 and 47.4 -> 47.3% on the readers' part's
    # 62; 0.7 loses a right answer on the readers' part, 0.5 five.
    span_min_coverage: float = 0.75
    # Passages quoted when no generated sentence survives.
    max_quotes: int = 2
    # A second passage is quoted when it scores within this share of the best. Swept on both
    # tuning sets (2026-11-28, `rag eval --sweep quote_margin=0.9,0.95,1`): on the readers'
    # tuning part 0.95 kept every item right and lifted citation precision 72 -> 77%, but on
    # qa.jsonl it lost two answers whose second passage holds half the answer (87 -> 84%
    # correct); 1 lost four. Right answers weigh more than exact citations: 0.9. Since
    # 2026-11-29 the second passage must also add to the best one (`rank.quotes`): citation
    # precision 81.9 -> 85.1% on qa.jsonl, 80.6 -> 83.1% on the readers' tuning part.
    quote_margin: float = 0.9
    # Sentences quoted in a summary, and the most words they may hold together: a reader who
    # asks for the short version wants a few lines, not the lead paragraphs.
    summary_sentences: int = 3
    summary_words: int = 70
    # Passages cited when listing the names in an article.
    max_name_passages: int = 8

    # --- ingest ----------------------------------------------------------------------------
    # A line longer than this is never taken for a heading.
    heading_max_chars: int = 150

    def as_dict(self) -> dict:
        """The values, for summary.json."""
        return asdict(self)

    @contextmanager
    def overridden(self, name: str, value: float) -> Iterator[None]:
        """One number changed in place for the duration (a sweep's run), then restored. In
        place, because every module reads the one shared TUNING object."""
        before = getattr(self, name)
        object.__setattr__(self, name, value)
        try:
            yield
        finally:
            object.__setattr__(self, name, before)


# Numbers read while the index is built: a sweep could not change them, because the index is
# rebuilt only when the seeds, the model or the splitter change.
INGEST_NUMBERS = frozenset({"heading_max_chars"})


def sweepable() -> list[str]:
    """The tuned numbers `rag eval --sweep` can vary."""
    return [f.name for f in fields(Tuning) if f.name not in INGEST_NUMBERS]


def parse_tuned(name: str, raw: str) -> float:
    """A string as the type of tuned number `name` (int or float)."""
    kind = type(getattr(Tuning, name))
    try:
        return kind(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a valid {kind.__name__}") from None


TUNING = Tuning()
