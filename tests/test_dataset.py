"""`rag eval --check-dataset`: every problem of a test set, one line each."""

import json
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from rag.cli import main
from rag.eval.dataset import DatasetError, check_dataset, load_dataset, read_sources
from tests.conftest import PROJECT_ROOT

SEEDS = PROJECT_ROOT / "seeds"
NEAR_COPY = 85  # rapidfuzz ratio: "whats the headline" vs "what's the headline" is 97
QUOTE = "Saudi Arabia"  # verbatim in the article


def _write(path: Path, items: list) -> Path:
    path.write_text(
        "".join((i if isinstance(i, str) else json.dumps(i)) + "\n" for i in items),
        encoding="utf-8",
    )
    return path


def _item(i: str, **changes) -> dict:
    item = {"id": i, "question": f"who {i}?", "answerable": True, "evidence": [QUOTE]}
    return {**item, **changes}


@pytest.mark.parametrize(
    "name",
    [
        "qa",
        "readers_tune",
        "readers_test",
        "readers_fresh3",
        "readers_fresh4",
        "readers_fresh5",
        "heldout",
    ],
)
def test_the_committed_test_sets_have_no_problems(name: str) -> None:
    count, problems = check_dataset(PROJECT_ROOT / "eval" / f"{name}.jsonl", read_sources(SEEDS))
    assert count > 30 and problems == []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("readers_tune", "readers_test"),
        ("readers_tune", "readers_fresh3"),
        ("readers_fresh3", "readers_test"),
        ("readers_tune", "readers_fresh4"),
        ("readers_tune", "readers_fresh5"),
    ],
)
def test_no_tuning_question_is_a_near_copy_of_a_frozen_one(one: str, other: str) -> None:
    """The frozen part and the fresh set judge what tuning did, so their questions must not be
    tuned on, even with a typo or an apostrophe changed; the fresh set must not repeat the
    frozen part either, or it would not be a second opinion."""
    first = [i["question"].lower() for i in load_dataset(PROJECT_ROOT / "eval" / f"{one}.jsonl")]
    second = [i["question"].lower() for i in load_dataset(PROJECT_ROOT / "eval" / f"{other}.jsonl")]
    near = [(a, b) for a in first for b in second if fuzz.ratio(a, b) >= NEAR_COPY]
    assert near == []


def test_every_problem_is_named_with_its_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "set.jsonl",
        [
            _item("a"),
            "{oops",
            _item("a", question="another?"),  # the id again
            _item("c", question="who a?"),  # the question again
            _item("d", evidence=["words the article never uses"]),
            _item("e", answerable="yes", history=[{"role": "bot", "content": "hi"}]),
            {"question": "no id?", "answerable": False},
            _item("g", evidence=[]),
            [1, 2],
        ],
    )
    count, problems = check_dataset(path, read_sources(SEEDS))
    assert count == 7  # the JSON objects among the lines
    assert problems == [
        f"{path}:2: not JSON (Expecting property name enclosed in double quotes)",
        f"{path}:3: duplicate id 'a' (line 1)",
        f"{path}:4: same question as line 1",
        f"{path}:5: evidence not verbatim in the seeds: 'words the article never uses'",
        f"{path}:6: answerable must be true or false",
        f'{path}:6: history must be a list of {{"role": "user"|"assistant", "content": text}}',
        f"{path}:7: missing id",
        f"{path}:8: an answerable item needs at least one evidence quote",
        f"{path}:9: not a JSON object",
    ]


def test_check_dataset_exits_0_when_clean_and_1_with_problems(tmp_path: Path, capsys) -> None:
    clean = _write(tmp_path / "clean.jsonl", [_item("a"), _item("b")])
    assert main(["--seeds-dir", str(SEEDS), "eval", "--check-dataset", str(clean)]) == 0
    assert capsys.readouterr().err.strip() == f"{clean}: 2 items, 0 problem(s)"
    bad = _write(tmp_path / "bad.jsonl", [_item("a"), _item("a", question="other?")])
    assert main(["--seeds-dir", str(SEEDS), "eval", "--check-dataset", str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.out == f"{bad}:2: duplicate id 'a' (line 1)\n"
    missing = tmp_path / "none.jsonl"
    assert main(["eval", "--check-dataset", str(missing)]) == 1
    assert "cannot read dataset" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        (_item("a", history=["who defends it?"]), "history must be a list of"),
        (_item("a", question=7), "question must be a non-empty string"),
        (_item("a", evidence="Saudi Arabia"), "evidence must be a list of quotes"),
        ([1, 2], "not a JSON object"),
    ],
)
def test_loading_a_set_refuses_a_malformed_item_by_its_line(
    tmp_path: Path, item: object, problem: str
) -> None:
    path = _write(tmp_path / "set.jsonl", [_item("ok"), item])
    with pytest.raises(DatasetError, match=f"set.jsonl:2: {problem}") as err:
        load_dataset(path)
    assert "--check-dataset" in str(err.value)  # where to see every problem
