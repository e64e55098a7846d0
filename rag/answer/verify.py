"""Check every answer sentence against the passages it cites; pick quotable sentences instead."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from wordfreq import zipf_frequency

from rag.nlp.names import names
from rag.nlp.sentences import sentence_spans, split_sentences
from rag.nlp.words import content_stems, content_words, numbers, stem, words
from rag.tuning import TUNING

log = logging.getLogger(__name__)

MARKER = re.compile(r"\[(\d+)\]")  # one citation marker and its number
_CITATION_GROUP = re.compile(r"\s*\[\s*\d+(?:\s*[,;]\s*\d+)*\s*\]")
# The words of a sentence that make one phrase: a word need only sit near one of the last few
# before it, so a phrase may be turned round but not stitched to a far-away one.
PHRASE_WORDS = 3


@dataclass(frozen=True)
class Claim:
    """One answer sentence without its markers, and the passage numbers it cites (1-based)."""

    text: str
    cited: tuple[int, ...]


@dataclass(frozen=True)
class Support:
    """Whether a sentence is backed by a passage, and why not."""

    supported: bool
    overlap: float  # share of the sentence's content words found in the passage
    similarity: float | None  # cosine similarity of sentence and passage, if measured
    missing: tuple[str, ...] = ()  # names or numbers the passage does not contain


def parse_citations(text: str, n_passages: int) -> list[int]:
    """The [n] markers in text, in order, without repeats; out-of-range numbers are dropped."""
    found: list[int] = []
    for group in _CITATION_GROUP.finditer(text):
        for raw in re.findall(r"\d+", group.group()):
            n = int(raw)
            if not 1 <= n <= n_passages:
                log.warning("dropping citation [%d]: only %d passages were given", n, n_passages)
            elif n not in found:
                found.append(n)
    return found


def without_citations(text: str) -> str:
    """The text without its citation markers ("[1]", "[1, 2]") and the space before them."""
    return _CITATION_GROUP.sub("", text)


def split_claims(answer: str, n_passages: int) -> list[Claim]:
    """Split a generated answer into sentences, each with the citations that follow or fill it."""
    claims = []
    for sentence in split_sentences(answer.strip()):
        cited = tuple(parse_citations(sentence, n_passages))
        text = re.sub(r"\s+", " ", without_citations(sentence)).strip()
        text = re.sub(r"\s+([.,;:!?])", r"\1", text)
        if words(text):
            claims.append(Claim(text, cited))
    return claims


def split_finished(buffer: str, n_passages: int) -> tuple[list[Claim], str]:
    """(claims of the finished sentences, unfinished rest) of a growing generation. A sentence
    is finished once the next one has begun, so markers after its full stop stay with it."""
    spans = list(sentence_spans(buffer, 0, len(buffer)))
    if len(spans) < 2:
        return [], buffer
    cut = spans[-1][0]
    return split_claims(buffer[:cut], n_passages), buffer[cut:]


def word_support(sentence: str, passage: str) -> tuple[tuple[str, ...], list[str], float]:
    """(the sentence's names and numbers the passage lacks, its content words whose stem the
    passage lacks, the share of its content words the passage has; 0 for a sentence with
    none)."""
    passage_words = set(words(passage))
    passage_stems = {stem(w) for w in passage_words}
    missing = tuple(
        sorted(
            w
            for w in names(sentence) | numbers(sentence)
            if w not in passage_words and stem(w) not in passage_stems
        )
    )
    said = content_words(sentence)
    unsupported = [w for w in said if stem(w) not in passage_stems]
    overlap = 1 - len(unsupported) / len(said) if said else 0.0
    return missing, unsupported, overlap


def check_support(
    sentence: str,
    passage: str,
    similarity: float | None,
    min_similarity: float,
    min_overlap: float | None = None,
    question: str = "",
) -> Support:
    """A sentence is supported when it is a run of the passage's own words, or when its names
    and numbers all occur in the passage, nearly all of its content words do (and none it
    merely echoes from the question is missing), the words it puts side by side sit close
    together in the passage, and its meaning is close to the passage's (embedding
    similarity). With similarity None only the word checks run: they are cheap, so they go
    first."""
    echoed = set(content_stems(question))
    missing, unsupported, overlap = word_support(sentence, passage)
    if copied(sentence, passage):
        return Support(True, overlap, similarity, missing)
    parroted = any(stem(w) in echoed for w in unsupported)
    # One new content word can reverse a claim ("softer" -> "tougher", "growing" -> "fading");
    # only the commonest English words ("also", "now", "many") may be added.
    invented = any(zipf_frequency(w, "en") < TUNING.added_word_min_zipf for w in unsupported)
    close = similarity is None or similarity >= min_similarity
    moved = not kept_together(content_stems(sentence), content_stems(passage))
    ok = not missing and not parroted and not invented and not moved
    min_overlap = TUNING.min_word_overlap if min_overlap is None else min_overlap
    return Support(ok and overlap >= min_overlap and close, overlap, similarity, missing)


def copied(sentence: str, passage: str) -> bool:
    """True when the sentence's words are a run of the passage's words, in the same order
    (case, punctuation and quote marks aside): a quote, faithful by construction."""
    said, source = words(sentence), words(passage)
    n = len(said)
    runs = (source[i : i + n] for i in range(len(source) - n + 1))
    return bool(content_words(sentence)) and said in runs


def kept_together(
    sentence_stems: list[str], passage_stems: list[str], max_skip: int | None = None
) -> bool:
    """True when each word of the sentence that the passage has sits, somewhere in the
    passage, within max_skip words of one of the last PHRASE_WORDS such words before it, in
    either order. A small model splices far-apart phrases into a claim the passage never
    makes ("statements downplay ... reevaluating protocols") or swaps who does what ("agents
    operate ... protecting agencies"): both put words side by side that the passage keeps
    apart. Copying and light paraphrase, even with a phrase turned round ("Israel and Saudi
    Arabia are key allies"), keep them together."""
    max_skip = TUNING.max_skip if max_skip is None else max_skip
    at: dict[str, list[int]] = {}
    for i, s in enumerate(passage_stems):
        at.setdefault(s, []).append(i)
    found = [s for s in sentence_stems if s in at]

    def near(a: str, b: str) -> bool:
        return a == b or min(abs(i - j) for i in at[a] for j in at[b]) - 1 <= max_skip

    return all(
        any(near(word, before) for before in found[max(0, n - PHRASE_WORDS) : n])
        for n, word in enumerate(found)
        if n
    )
