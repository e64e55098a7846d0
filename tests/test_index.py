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


@pytest.mark.slow
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


@pytest.mark.slow
def test_passage_ids_depend_on_the_text_and_place_only(fresh, tmp_path) -> None:
    seeds, _ = fresh
    ids = [p.id for p in load_passages(seeds, 300)]
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(seeds, elsewhere)
    assert [p.id for p in load_passages(elsewhere, 300)] == ids
    (elsewhere / SEED.name).write_text(SEED.read_text(encoding="utf-8").replace("Israel", "Chile"))
    changed = [p.id for p in load_passages(elsewhere, 300)]
    assert len(changed) == len(ids) and 0 < len(set(changed) - set(ids)) < len(ids)


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_a_deleted_data_folder_is_rebuilt_with_a_message(fresh, caplog) -> None:
    _, open_index = fresh
    first = open_index()
    first.ensure()
    first.client.close()
    shutil.rmtree(first.settings.data_dir)
    report = open_index().ensure()
    assert report.rebuilt and report.passages == 16
    assert "building the passage index (there is no index yet)" in caplog.text


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_chroma_telemetry_is_off(fresh) -> None:
    _, open_index = fresh
    assert open_index().client.get_settings().anonymized_telemetry is False


class _WordHashEmbeddings:
    """A stand-in for MiniLM with its interface: each word counted in one of 16 dimensions,
    normalized, so texts that share words are close. No model is loaded."""

    name = "word-hash-16"
    dimension = 16

    def encode_documents(self, texts: list[str], batch_size: int = 64) -> list[list[float]]:
        vectors = []
        for text in texts:
            row = [0.01] * self.dimension
            for w in re.findall(r"\w+", text.lower()):
                row[sum(ord(c) * (i + 1) for i, c in enumerate(w)) % self.dimension] += 1.0
            norm = sum(x * x for x in row) ** 0.5
            vectors.append([x / norm for x in row])
        return vectors

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.encode_documents([text])[0]


def _unreadable(*args) -> None:
    import chromadb

    raise chromadb.errors.InternalError("Error loading hnsw index")


class TestWithoutModels:
    """The index's own logic over a stand-in embedder and a real embedded Chroma. These run as
    fast as unit tests, so `make mutate` runs them (its -k picks this class by name, although
    the module is marked slow)."""

    @pytest.fixture
    def seeds(self, tmp_path: Path) -> Path:
        seeds = tmp_path / "seeds"
        seeds.mkdir()
        shutil.copy(SEED, seeds / SEED.name)
        return seeds

    @pytest.fixture
    def open_index(self, tmp_path: Path, seeds: Path):
        def open_index(embeddings=None, **overrides) -> PassageIndex:
            settings = Settings.from_env(
                env={}, seeds_dir=seeds, data_dir=tmp_path / "data", **overrides
            )
            return PassageIndex(settings, embeddings or _WordHashEmbeddings())

        return open_index

    @staticmethod
    def _report(idx: PassageIndex) -> tuple:
        r = idx.ensure()
        return (r.collection, r.passages, r.rebuilt, r.removed_collections)

    def test_a_build_stores_every_passage_once_with_its_own_vector(self, open_index) -> None:
        from rag.ingest.documents import retrieval_texts

        idx = open_index()
        assert not idx.is_current()
        assert self._report(idx) == (idx.collection_name, 16, True, ())
        assert idx.is_current()
        passages = load_passages(idx.settings.seeds_dir, idx.settings.passage_chars)
        assert [(p.id, p.page_content, p.metadata) for p in idx.all_passages()] == [
            (p.id, p.page_content, p.metadata) for p in passages
        ]
        # Each passage has the vector of its own context window, in the order asked for.
        windows = idx.embeddings.encode_documents(retrieval_texts(passages))
        got = idx.stored_vectors([p.id for p in passages[::-1]])
        assert got.dtype.name == "float32" and got.shape == (16, 16)
        assert got.tolist() == [pytest.approx(v, abs=1e-6) for v in windows[::-1]]

    def test_small_batches_store_everything_and_reingesting_changes_nothing(
        self, open_index, monkeypatch, caplog
    ) -> None:
        from rag.ingest.documents import retrieval_texts

        monkeypatch.setattr("rag.ingest.index.UPSERT_BATCH", 5)
        idx = open_index()
        with caplog.at_level("INFO", logger="rag.ingest.index"):
            idx.ensure()
        stored = [m for m in caplog.messages if m.startswith("stored ")]
        assert stored == [f"stored {n} of 16 passages" for n in (5, 10, 15, 16)]
        passages = idx.all_passages()
        got = idx.stored_vectors([p.id for p in passages])
        expected = idx.embeddings.encode_documents(retrieval_texts(passages))
        assert got.tolist() == [pytest.approx(v, abs=1e-6) for v in expected]
        again = open_index()
        assert self._report(again) == (idx.collection_name, 16, False, ())
        again.upsert(load_passages(idx.settings.seeds_dir, idx.settings.passage_chars))
        assert again.client.get_collection(again.collection_name).count() == 16

    def test_the_fingerprint_follows_the_seeds_the_model_and_the_passage_size(
        self, open_index, seeds: Path
    ) -> None:
        idx = open_index()
        assert idx.collection_name == COLLECTION_PREFIX + idx.fingerprint[:32]
        assert open_index().fingerprint == idx.fingerprint
        renamed, wider = _WordHashEmbeddings(), _WordHashEmbeddings()
        renamed.name, wider.dimension = "another-model", 32
        changed = {
            open_index(renamed).fingerprint,
            open_index(wider).fingerprint,
            open_index(passage_chars=600).fingerprint,
        }
        (seeds / SEED.name).rename(seeds / "renamed.txt")
        changed.add(open_index().fingerprint)
        (seeds / "renamed.txt").write_text(SEED.read_text(encoding="utf-8") + "\nOne more line.\n")
        changed.add(open_index().fingerprint)
        assert len(changed) == 5 and idx.fingerprint not in changed

    def test_a_stale_build_replaces_ours_and_leaves_other_collections(
        self, open_index, seeds: Path, caplog
    ) -> None:
        old = open_index()
        with caplog.at_level("WARNING"):
            old.ensure()
        assert "building the passage index (there is no index yet)" in caplog.text
        old.client.get_or_create_collection("notes-of-someone-else")
        (seeds / "second.md").write_text("# Another story\n\nA brand new fact about otters.\n")
        new = open_index()
        caplog.clear()
        with caplog.at_level("WARNING"):
            report = self._report(new)
        assert "(the seeds, the embedding model or the passage size changed)" in caplog.text
        assert report == (new.collection_name, 17, True, (old.collection_name,))
        names = sorted(c.name for c in new.client.list_collections())
        assert names == sorted(["notes-of-someone-else", new.collection_name])
        assert not old.is_current()
        sources = [p.metadata["source"] for p in new.all_passages()]
        assert sources == sorted(sources) and "second.md" in sources

    def test_an_interrupted_build_resumes_with_the_passages_it_lacks(
        self, open_index, monkeypatch, caplog
    ) -> None:
        broken = open_index()
        stored_first = broken.upsert

        def crash_after_five(passages):
            stored_first(passages[:5])
            raise KeyboardInterrupt  # the process dies after storing a few passages

        monkeypatch.setattr(broken, "upsert", crash_after_five)
        with pytest.raises(KeyboardInterrupt):
            broken.ensure()
        assert not broken.is_current()

        resumed = open_index()
        upserted: list = []
        store = resumed.upsert
        monkeypatch.setattr(resumed, "upsert", lambda ps: (upserted.extend(ps), store(ps)))
        with caplog.at_level("WARNING"):
            report = self._report(resumed)
        assert "(finishing a build that was interrupted)" in caplog.text
        assert "resuming: 5 of 16 passages were already stored" in caplog.text
        assert len(upserted) == 11 and report == (resumed.collection_name, 16, True, ())
        assert resumed.is_current()

    def test_an_unreadable_index_is_set_aside_and_rebuilt(
        self, open_index, monkeypatch, caplog
    ) -> None:
        idx = open_index()
        idx.ensure()
        query = idx.embeddings.embed_query("allies rethinking intelligence sharing")
        before = [d.id for d, _ in idx.dense_search(query, 3)]
        healthy = idx._ensure
        tries: list = []

        def fails_once():
            tries.append(1)
            return _unreadable() if len(tries) == 1 else healthy()

        monkeypatch.setattr(idx, "_ensure", fails_once)
        report = idx.ensure()
        assert report.rebuilt and report.passages == 16
        moved = list(idx.settings.data_dir.glob("chroma.broken-*"))
        assert len(moved) == 1
        assert "(Error loading hnsw index)" in caplog.text and str(moved[0]) in caplog.text
        # Searching goes through the new client (a store kept on the old one would fail).
        assert [d.id for d, _ in idx.dense_search(query, 3)] == before

    @pytest.mark.parametrize("url", ["", "http://chroma.example:8000"])
    def test_an_unreadable_index_of_another_client_is_reported(
        self, tmp_path: Path, seeds: Path, url: str, monkeypatch
    ) -> None:
        client = chroma_client(Settings.from_env(env={}, data_dir=tmp_path / "theirs"))
        settings = Settings.from_env(
            env={}, seeds_dir=seeds, data_dir=tmp_path / "data", chroma_url=url
        )
        idx = PassageIndex(settings, _WordHashEmbeddings(), client=client)
        monkeypatch.setattr(idx, "_ensure", _unreadable)
        with pytest.raises(IndexBuildError, match="cannot be read") as raised:
            idx.ensure()
        assert (url or "the given client") in str(raised.value)
        assert not list(tmp_path.rglob("*.broken-*"))

    def test_dense_search_ranks_by_cosine_similarity(self, open_index) -> None:
        idx = open_index()
        idx.ensure()
        target = idx.all_passages()[3]
        vector = idx.stored_vectors([target.id])[0].tolist()
        hits = idx.dense_search(vector, 5)
        assert len(hits) == 5 and hits[0][0].id == target.id
        found = idx.stored_vectors([d.id for d, _ in hits]).tolist()
        cosines = [sum(a * b for a, b in zip(v, vector, strict=True)) for v in found]
        assert [s for _, s in hits] == pytest.approx(cosines, abs=1e-4)
        assert cosines == sorted(cosines, reverse=True) and cosines[0] == pytest.approx(1.0)

    def test_a_reopened_index_searches_without_rebuilding(self, open_index) -> None:
        open_index().ensure()
        idx = open_index()
        assert not idx.ensure().rebuilt
        query = idx.embeddings.embed_query("allies rethinking intelligence sharing")
        assert len(idx.dense_search(query, 3)) == 3
