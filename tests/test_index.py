"""The Chroma index: deterministic ids, no duplicates, rebuild when stale, survive a crash."""

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rag.ingest.chroma import chroma_client
from rag.ingest.documents import load_passages
from rag.ingest.index import COLLECTION_PREFIX, IndexBuildError, PassageIndex, fingerprint
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
    # Passages split afresh get the ids they had: a forced upsert adds nothing.
    settings = again.settings
    again.upsert(load_passages(settings.seeds_dir, settings.passage_chars))
    assert again.client.get_collection(again.collection_name).count() == 16


def test_passage_ids_depend_on_the_text_and_place_only(fresh, tmp_path) -> None:
    seeds, _ = fresh
    ids = [p.id for p in load_passages(seeds, 300)]
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(seeds, elsewhere)
    assert [p.id for p in load_passages(elsewhere, 300)] == ids
    (elsewhere / SEED.name).write_text(SEED.read_text(encoding="utf-8").replace("Israel", "Chile"))
    changed = [p.id for p in load_passages(elsewhere, 300)]
    assert len(changed) == len(ids) and 0 < len(set(changed) - set(ids)) < len(ids)


@pytest.mark.parametrize(
    ("setting", "value"),
    [("RAG_PASSAGE_CHARS", "600"), ("RAG_EMBED_MODEL", "other-model")],
)
def test_a_changed_model_or_passage_size_makes_the_index_stale(
    fresh, embeddings, setting: str, value: str
) -> None:
    seeds, open_index = fresh
    built = open_index()
    built.ensure()
    settings = Settings.from_env(env={setting: value}, seeds_dir=seeds)
    other = embeddings
    if setting == "RAG_EMBED_MODEL":  # a model of the same size under another name
        other = copy.copy(embeddings)
        other.name = value
    assert fingerprint(settings, other) != built.fingerprint
    changed = PassageIndex(
        Settings.from_env(env={setting: value}, seeds_dir=seeds, data_dir=built.settings.data_dir),
        other,
    )
    assert not changed.is_current()


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


def test_an_unreadable_index_of_someone_elses_client_is_reported_not_set_aside(fresh) -> None:
    seeds, open_index = fresh
    lines = "\n\n".join(f"Note {i}: the otter number {i} swam." for i in range(1100))
    (seeds / "notes.md").write_text(f"# Notes\n\n{lines}\n")
    first = open_index()
    first.ensure()
    first.client.close()
    data = first.settings.data_dir
    _break_vectors(data)
    damaged = {f: f.read_bytes() for f in (data / "chroma").glob("*/*.bin")}

    # A client handed in (as for RAG_CHROMA_URL) belongs to someone else: its index is not ours
    # to move or rebuild.
    theirs = chroma_client(first.settings)
    idx = PassageIndex(first.settings, first.embeddings, client=theirs)
    with pytest.raises(IndexBuildError, match="cannot be read"):
        idx.ensure()
    assert not list(data.glob("chroma.broken-*"))
    assert {f: f.read_bytes() for f in damaged} == damaged


def _rag(*args: str, env: dict, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rag.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        **kw,
    )


def test_an_ingest_killed_mid_build_keeps_the_old_index_and_resumes(
    tmp_path: Path, embeddings
) -> None:
    old_seeds, seeds, data = tmp_path / "old_seeds", tmp_path / "seeds", tmp_path / "data"
    for folder in (old_seeds, seeds):
        folder.mkdir()
        shutil.copy(SEED, folder / SEED.name)
    env = {**os.environ, "RAG_SEEDS_DIR": str(seeds), "RAG_DATA_DIR": str(data)}
    assert "16 passages" in _rag("ingest", env=env).stdout
    notes = "\n\n".join(f"Note {i}: the otter number {i} swam upstream." for i in range(4000))
    (seeds / "notes.md").write_text(f"# Notes\n\n{notes}\n")

    proc = subprocess.Popen(
        [sys.executable, "-m", "rag.cli", "ingest", "-v"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Killed as soon as the first batch is stored: part of the new build is on disk.
        for line in proc.stderr:
            if "stored 512 of 4016 passages" in line:
                break
        assert proc.poll() is None, "ingest finished before it could be killed"
    finally:
        proc.kill()
        proc.wait()

    # The previous index is still complete and readable (a fingerprint depends on the seeds'
    # names and bytes, not their folder).
    old = PassageIndex(Settings.from_env(env={}, seeds_dir=old_seeds, data_dir=data), embeddings)
    assert old.is_current() and len(old.all_passages()) == 16
    old.client.close()

    resumed = _rag("ingest", "-v", env=env)
    assert "finishing a build that was interrupted" in resumed.stderr
    kept = re.search(r"resuming: (\d+) of 4016 passages were already stored", resumed.stderr)
    assert kept and 512 <= int(kept.group(1)) < 4016, resumed.stderr
    assert f"stored {4016 - int(kept.group(1))} of {4016 - int(kept.group(1))}" in resumed.stderr
    assert "4016 passages" in resumed.stdout  # no duplicates
    asked = _rag("ask", "--json", "Who defends Trump's approach to Russia?", env=env)
    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout)["citations"]


def test_chroma_telemetry_is_off(fresh) -> None:
    _, open_index = fresh
    assert open_index().client.get_settings().anonymized_telemetry is False
