"""One frozen settings object; the only module that reads RAG_* environment variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _setting(
    default: Any, help: str, choices: tuple[str, ...] | None = None, flag: bool = True
) -> Any:
    """A dataclass field that carries its CLI help text (and choices) in its metadata.
    flag=False: a secret, read from the environment only (a flag would show in `ps`), and
    left out of the settings' repr so it is never logged."""
    return field(
        default=default, repr=flag, metadata={"help": help, "choices": choices, "flag": flag}
    )


@dataclass(frozen=True)
class Settings:
    """Every tunable: each field is RAG_<NAME> in the environment and, unless secret, --<name>."""

    # Where the source documents (.txt, .md) live.
    seeds_dir: Path = _setting(PROJECT_ROOT / "seeds", "folder of .txt/.md source documents")
    # Where the Chroma index, feedback and caches live; one process owns it (see README).
    data_dir: Path = _setting(PROJECT_ROOT / "data", "folder for the index and local data")
    # A Chroma server (http://host:port); empty means an embedded Chroma in data_dir.
    chroma_url: str = _setting("", "Chroma server URL; empty = embedded Chroma in data dir")
    # A sentence-transformers model name or folder; empty means the packaged all-MiniLM-L6-v2.
    embed_model: str = _setting("", "embedding model folder or name; empty = packaged MiniLM")
    # Largest passage in characters; sentences are grouped up to this, never across paragraphs.
    passage_chars: int = _setting(300, "largest passage in characters (whole sentences)")
    # Passages retrieved and shown to the model.
    top_k: int = _setting(4, "passages retrieved per question")
    # Verifier: lowest similarity of a generated sentence to its cited passage.
    min_support: float = _setting(0.60, "lowest sentence-passage similarity that counts as support")
    # LLM backend: embedded llama.cpp, or any OpenAI-compatible server (Ollama included).
    backend: str = _setting("embedded", "LLM backend", choices=("embedded", "openai", "ollama"))
    # GGUF path (embedded) or model name (openai/ollama); empty = packaged SmolLM2-135M.
    model: str = _setting("", "GGUF file (embedded) or model name (servers)")
    # OpenAI-compatible base URL, e.g. http://127.0.0.1:8000/v1.
    base_url: str = _setting("", "OpenAI-compatible server URL (openai/ollama backends)")
    # Seconds before an LLM call is abandoned.
    timeout: float = _setting(30.0, "seconds before an LLM request is abandoned")
    # Longest generated answer in tokens; short answers keep a tiny model on the passages.
    max_tokens: int = _setting(48, "longest generated answer in tokens")
    # 0 = deterministic answers.
    temperature: float = _setting(0.0, "sampling temperature")
    # llama.cpp threads; 0 = all cores.
    threads: int = _setting(0, "llama.cpp CPU threads (0 = all cores)")
    # Web server address; 127.0.0.1 keeps the page private to this machine.
    host: str = _setting("127.0.0.1", "address the web page binds to")
    port: int = _setting(7860, "port of the web page")
    # Questions waiting beyond those being answered; more get "busy, please try again".
    queue_size: int = _setting(32, "questions that may wait for the page; more are told busy")
    # A public *.gradio.live link through Gradio's share servers; off unless asked for.
    share: bool = _setting(False, "also publish the page on a public gradio.live link")
    # Login for the page and its API: "user:password", several separated by commas.
    auth: str = _setting("", "page login, user:password[,user:password]", flag=False)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from RAG_* variables, then explicit overrides (e.g. CLI flags)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(env_name(f.name))
            if raw is not None and raw != "":
                values[f.name] = parse_value(f.name, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values).validated()

    def validated(self) -> Settings:
        """Return self, or raise ValueError with a message that says how to fix the setting."""
        if self.passage_chars < 40:
            raise ValueError("passage_chars must be at least 40 (RAG_PASSAGE_CHARS)")
        if not 1 <= self.top_k <= 50:
            raise ValueError("top_k must be between 1 and 50 (RAG_TOP_K)")
        if self.backend not in ("embedded", "openai", "ollama"):
            raise ValueError("backend must be embedded, openai or ollama (RAG_BACKEND)")
        if self.max_tokens < 1 or self.timeout <= 0:
            raise ValueError(
                "max_tokens and timeout must be positive (RAG_MAX_TOKENS, RAG_TIMEOUT)"
            )
        if self.queue_size < 1:
            raise ValueError("queue_size must be at least 1 (RAG_QUEUE_SIZE)")
        if not 1 <= self.port <= 65535:
            raise ValueError("port must be between 1 and 65535 (RAG_PORT)")
        if self.threads < 0 or self.temperature < 0:
            raise ValueError(
                "threads and temperature cannot be negative (RAG_THREADS, RAG_TEMPERATURE)"
            )
        self.logins()  # raises on a malformed RAG_AUTH
        return replace(self, seeds_dir=Path(self.seeds_dir), data_dir=Path(self.data_dir))

    def logins(self) -> list[tuple[str, str]]:
        """The (user, password) pairs of RAG_AUTH; empty when the page has no login."""
        pairs = []
        for entry in filter(None, (e.strip() for e in self.auth.split(","))):
            user, _, password = entry.partition(":")
            if not user or not password:
                # The value is a secret: the message names the format, never the value.
                raise ValueError(
                    "RAG_AUTH must be user:password, several separated by commas "
                    "(a password may not contain a comma)"
                )
            pairs.append((user, password))
        return pairs


def env_name(name: str) -> str:
    """The environment variable of a settings field."""
    return "RAG_" + name.upper()


def parse_value(name: str, raw: str) -> Any:
    """Convert a string (environment or CLI) to the type of settings field `name`."""
    default = getattr(Settings, name)
    kind = Path if isinstance(default, Path) else type(default)
    try:
        if kind is Path:
            return Path(raw).expanduser()
        if kind is bool:
            return _truth(raw)
        return kind(raw)
    except ValueError:
        raise ValueError(f"{env_name(name)}={raw!r} is not a valid {kind.__name__}") from None


def _truth(raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(raw)


def setting_help() -> list[tuple[str, str, Any, tuple[str, ...] | None]]:
    """(name, help, default, choices) for every setting that is also a CLI flag."""
    return [
        (f.name, f.metadata["help"], f.default, f.metadata["choices"])
        for f in fields(Settings)
        if f.metadata["flag"]
    ]
