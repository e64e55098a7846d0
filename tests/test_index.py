"""The Chroma index: deterministic ids, no duplicates, rebuild when stale, survive a crash."""

import shutil
from pathlib import Path

import pytest

from rag.config import Settings
from rag.index import COLLECTION_PREFIX, PassageIndex
from tests.conftest import SEED

pytestmark = pytest.mark.slow


@pytest.fixture
def fresh(tmp_path: Path, embeddings):
    """A function returning a PassageIndex over a private, changeable seed folder."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)

    def open_index() -> PassageIndex:
        settings = Settings.from_env(env={}, seeds_dir=seeds, data_dir=tmp_path / "data")
        return PassageIndex(settings, embeddings)

    return seeds, open_index


def _names(idx: PassageIndex) -> list[str]:
    return [c.name for c in idx.client.list_collections()]


def test_reingesting_changes_nothing(fresh) -> None:
    _, open_index = fresh
    first = open_index().ensure()
    again = open_index()
    second = again.ensure()
    assert first.rebuilt and not second.rebuilt
    assert second.passages == first.passages == 16
    again.upsert(again.all_passages())  # a forced upsert of the same passages adds nothing
    assert again.client.get_collection(again.collection_name).count() == 16


def test_a_changed_seed_is_picked_up_and_the_old_collection_dropped(fresh) -> None:
    seeds, open_index = fresh
    old = open_index()
    old.ensure()
    (seeds / "second.md").write_text("# Another story\n\nA brand new fact about otters.\n")
    new = open_index()
    report = new.ensure()
    assert report.rebuilt and report.removed_collections == (old.collection_name,)
    assert _names(new) == [new.collection_name]
    assert any("otters" in p.page_content for p in new.all_passages())


def test_an_interrupted_build_leaves_the_old_index_and_is_redone(fresh, monkeypatch) -> None:
    seeds, open_index = fresh
    old = open_index()
    old.ensure()
    (seeds / SEED.name).write_text(SEED.read_text(encoding="utf-8") + "\nA new closing line.\n")
    broken = open_index()

    def crash(passages):
        raise KeyboardInterrupt  # the process dies half-way through embedding

    monkeypatch.setattr(broken, "upsert", crash)
    with pytest.raises(KeyboardInterrupt):
        broken.ensure()
    assert old.is_current() and old.all_passages()  # the previous index is still usable
    assert not broken.is_current()
    monkeypatch.undo()
    report = open_index().ensure()
    assert report.rebuilt and report.passages == 17


def test_collection_names_carry_the_fingerprint(fresh) -> None:
    _, open_index = fresh
    idx = open_index()
    assert idx.collection_name.startswith(COLLECTION_PREFIX)
    assert idx.collection_name == open_index().collection_name
