"""`rag serve` at start-up, as its operator sees it: the exposure warning is printed when other
machines can reach a page without a login, and only then."""

import sys
from pathlib import Path

import pytest

from rag.settings import Settings
from tests.fake_openai import fake_openai_server
from tools.servers import free_port, running
from ui.serve import exposure_warning

pytestmark = pytest.mark.slow

WARNING = exposure_warning(Settings.from_env(env={"RAG_HOST": "0.0.0.0"}))


@pytest.fixture(scope="module")
def llm():
    """A stand-in LLM server: start-up needs a backend, and these tests ask it nothing."""
    with fake_openai_server() as url:
        yield url


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One data folder for both servers, so the second finds the index built."""
    return tmp_path_factory.mktemp("serve-data")


def _start_up_output(host: str, llm: str, data_dir: Path, log: Path) -> str:
    """What `rag serve` on host printed by the time its page answered (stdout and stderr)."""
    port = free_port()  # free on 127.0.0.1, where the page is also reached when host is 0.0.0.0
    env = {
        "RAG_HOST": host,
        "RAG_PORT": str(port),
        "RAG_DATA_DIR": str(data_dir),
        "RAG_BACKEND": "openai",
        "RAG_BASE_URL": llm,
        "RAG_MODEL": "test-model",
    }  # and no RAG_AUTH: the autouse fixture clears every RAG_* variable of the environment
    with running([sys.executable, "-m", "rag.cli", "serve"], f"http://127.0.0.1:{port}/", log, env):
        pass  # the page answered; the warning, if any, was printed before it started listening
    return log.read_text(encoding="utf-8")


def test_a_page_open_to_other_machines_without_login_warns_at_start_up(
    llm, data_dir, tmp_path
) -> None:
    assert WARNING  # what the operator must see (its wording is tested in test_ui_app.py)
    output = _start_up_output("0.0.0.0", llm, data_dir, tmp_path / "serve.log")
    assert "Serving on http://0.0.0.0:" in output
    assert WARNING in output


def test_a_page_on_127_0_0_1_starts_without_the_warning(llm, data_dir, tmp_path) -> None:
    output = _start_up_output("127.0.0.1", llm, data_dir, tmp_path / "serve.log")
    assert "Serving on http://127.0.0.1:" in output
    assert WARNING not in output and "RAG_AUTH" not in output
