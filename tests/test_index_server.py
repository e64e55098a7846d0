"""RAG_CHROMA_URL: ingest and questions through a real Chroma server (`chroma run`)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED
from tools.servers import chroma_server

pytestmark = pytest.mark.slow
RAG = [sys.executable, "-m", "rag.cli"]


@pytest.fixture
def chroma(tmp_path: Path):
    with chroma_server(tmp_path / "chroma-server", tmp_path / "chroma.log") as server:
        yield server


def _env(tmp_path: Path, url: str, data: str = "data") -> dict[str, str]:
    seeds = tmp_path / "seeds"
    if not seeds.exists():
        seeds.mkdir()
        shutil.copy(SEED, seeds / SEED.name)
    return {
        **os.environ,
        "RAG_CHROMA_URL": url,
        "RAG_SEEDS_DIR": str(seeds),
        "RAG_DATA_DIR": str(tmp_path / data),
    }


def test_app_processes_share_one_index_on_a_chroma_server(tmp_path: Path, chroma) -> None:
    """Two app processes starting at once on an empty server build one index between them,
    answer through it, and keep nothing in their own data folders."""
    question = "Which allies are rethinking intelligence sharing with the United States?"
    procs = [
        subprocess.Popen(
            [*RAG, "ask", "--json", question],
            env=_env(tmp_path, chroma.url, data=f"data{i}"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    source = SEED.read_text(encoding="utf-8")
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        answer = json.loads(out)
        assert not answer["abstained"] and "Israel" in answer["answer"]
        for c in answer["citations"]:
            assert source[c["start"] : c["end"]] == c["text"]
    for i in range(2):
        assert not (tmp_path / f"data{i}" / "chroma").exists()

    again = subprocess.run(
        [*RAG, "ingest"], env=_env(tmp_path, chroma.url), capture_output=True, text=True
    )
    assert "16 passages" in again.stdout and "already up to date" in again.stdout

    import chromadb

    client = chromadb.HttpClient(host="127.0.0.1", port=int(chroma.url.rsplit(":", 1)[1]))
    (collection,) = client.list_collections()
    assert collection.count() == 16  # both processes upserted; nothing was duplicated


def test_an_unreachable_chroma_server_is_one_clear_line(tmp_path: Path) -> None:
    from tools.servers import free_port

    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    proc = subprocess.run(
        [*RAG, "ingest"], env=_env(tmp_path, url), capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 1
    assert f"cannot reach the Chroma server at {url}" in proc.stderr
    assert "Traceback" not in proc.stderr
