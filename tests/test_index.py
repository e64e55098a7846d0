"""The Chroma index: deterministic ids, no duplicates, rebuild when stale, survive a crash."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rag.ingest.index import COLLECTION_PREFIX, IndexBuildError, PassageIndex
from rag.settings import Settings
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


def test_an_interrupted_build_leaves_the_old_index_and_is_redone(
    fresh, monkeypatch, caplog
) -> None:
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
    assert "(the seeds, the embedding model or the passage size changed)" in caplog.text
    monkeypatch.undo()
    report = open_index().ensure()
    assert report.rebuilt and report.passages == 17
    assert "(finishing a build that was interrupted)" in caplog.text


def test_collection_names_carry_the_fingerprint(fresh) -> None:
    _, open_index = fresh
    idx = open_index()
    assert idx.collection_name.startswith(COLLECTION_PREFIX)
    assert idx.collection_name == open_index().collection_name


def _break_database(data: Path) -> None:
    (data / "chroma" / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)


def _break_vectors(data: Path) -> None:
    files = list((data / "chroma").glob("*/*.bin"))
    assert files, "the vector files this test damages are missing"
    for f in files:
        f.write_bytes(b"xx")


@pytest.mark.parametrize("damage", [_break_database, _break_vectors])
def test_a_corrupted_index_is_set_aside_and_rebuilt_with_a_message(fresh, damage, caplog) -> None:
    seeds, open_index = fresh
    # Chroma writes its vector files only for collections of about a thousand items or more.
    lines = "\n\n".join(f"Note {i}: the otter number {i} swam." for i in range(1100))
    (seeds / "notes.md").write_text(f"# Notes\n\n{lines}\n")
    first = open_index()
    built = first.ensure()
    first.client.close()
    data = first.settings.data_dir
    damage(data)
    report = open_index().ensure()
    assert report.rebuilt and report.passages == built.passages == 1116
    broken = list(data.glob("chroma.broken-*"))
    assert len(broken) == 1  # kept for inspection, not deleted
    assert "could not be read" in caplog.text and str(broken[0]) in caplog.text


def test_a_deleted_data_folder_is_rebuilt_with_a_message(fresh, caplog) -> None:
    _, open_index = fresh
    first = open_index()
    first.ensure()
    first.client.close()
    shutil.rmtree(first.settings.data_dir)
    report = open_index().ensure()
    assert report.rebuilt and report.passages == 16
    assert "building the passage index (there is no index yet)" in caplog.text


def test_an_unreadable_chroma_server_index_is_reported_not_set_aside(fresh) -> None:
    import chromadb

    _, open_index = fresh
    idx = open_index()

    class Broken:
        def get_collection(self, name):
            raise chromadb.errors.InternalError("Error loading hnsw index")

    idx.client = Broken()
    idx._owns_folder = False  # as for a client passed in or RAG_CHROMA_URL
    with pytest.raises(IndexBuildError, match="cannot be read"):
        idx.ensure()


def _rag(*args: str, env: dict, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rag.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        **kw,
    )


def test_an_ingest_killed_mid_build_leaves_the_previous_index_usable(tmp_path: Path) -> None:
    seeds, data = tmp_path / "seeds", tmp_path / "data"
    seeds.mkdir()
    shutil.copy(SEED, seeds / SEED.name)
    env = {**os.environ, "RAG_SEEDS_DIR": str(seeds), "RAG_DATA_DIR": str(data)}
    assert "16 passages" in _rag("ingest", env=env).stdout
    notes = "\n\n".join(f"Note {i}: the otter number {i} swam upstream." for i in range(4000))
    (seeds / "notes.md").write_text(f"# Notes\n\n{notes}\n")

    proc = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "ingest"], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        for line in proc.stderr:
            if "building the passage index" in line:
                break
        time.sleep(3)  # well inside the embedding and upserting of 4,016 passages
        assert proc.poll() is None, "ingest finished before it could be killed"
    finally:
        proc.kill()
        proc.wait()

    (seeds / "notes.md").unlink()  # back to the seeds of the previous index
    again = _rag("ingest", env=env)
    assert "16 passages" in again.stdout and "already up to date" in again.stdout
    asked = _rag("ask", "--json", "Who defends Trump's approach to Russia?", env=env)
    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout)["citations"]

    (seeds / "notes.md").write_text(f"# Notes\n\n{notes}\n")
    done = _rag("ingest", env=env)
    assert "4016 passages" in done.stdout and "built" in done.stdout  # no duplicates


def test_chroma_telemetry_is_off(fresh) -> None:
    _, open_index = fresh
    assert open_index().client.get_settings().anonymized_telemetry is False
