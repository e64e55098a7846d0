"""Chroma storage: the embedded client in the data folder or a server's, and damaged folders."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings as ChromaSettings

from rag.errors import ReaderError
from rag.settings import Settings

log = logging.getLogger(__name__)


class IndexBuildError(ReaderError, RuntimeError):
    """The index cannot be opened or built; the message says what to do."""


def chroma_client(settings: Settings) -> chromadb.ClientAPI:
    """An embedded PersistentClient in data_dir, or an HttpClient for RAG_CHROMA_URL."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise IndexBuildError(
                f"RAG_CHROMA_URL={settings.chroma_url!r} is not http(s)://host:port"
            )
        try:
            return chromadb.HttpClient(
                host=url.hostname,
                port=url.port or (443 if url.scheme == "https" else 8000),
                ssl=url.scheme == "https",
                settings=chroma_settings,
            )
        except (ValueError, ConnectionError) as err:
            raise IndexBuildError(
                f"cannot reach the Chroma server at {settings.chroma_url}: {err}; "
                "start it with `chroma run` or unset RAG_CHROMA_URL"
            ) from None
    path = embedded_folder(settings)
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def embedded_folder(settings: Settings) -> Path:
    """Where the embedded Chroma index lives."""
    return settings.data_dir / "chroma"


def unreadable_database(folder: Path) -> str:
    """Why Chroma's folder cannot be opened (not a folder, not a SQLite database), or ''."""
    if not folder.is_dir():
        return "not a folder"
    db = folder / "chroma.sqlite3"
    if not db.exists():
        return ""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as err:
        return f"{db.name}: {err}"
    return ""


def set_aside(folder: Path) -> Path:
    """Rename an unreadable index folder out of the way (kept for inspection, never deleted)."""
    stamp = f"{folder.name}.broken-{time.strftime('%Y%m%d-%H%M%S')}"
    target, n = folder.with_name(stamp), 1
    while target.exists():
        n += 1
        target = folder.with_name(f"{stamp}-{n}")
    folder.rename(target)
    return target


def open_client(settings: Settings) -> chromadb.ClientAPI:
    """The client of settings; an embedded index whose database cannot be read is set aside
    first (checked here because Chroma keeps a client that failed to start for the path)."""
    folder = embedded_folder(settings)
    if not settings.chroma_url and folder.exists():
        problem = unreadable_database(folder)
        if problem:
            set_aside_with_warning(settings, problem)
    try:
        return chroma_client(settings)
    except chromadb.errors.ChromaError as err:
        raise IndexBuildError(
            f"cannot open the index in {folder} ({err}); move that folder away and run "
            "`rag ingest` to rebuild it"
        ) from None


def set_aside_with_warning(settings: Settings, err: object) -> None:
    """Move the embedded index out of the way, saying where to and why."""
    folder = embedded_folder(settings)
    moved = set_aside(folder)
    log.warning(
        "the index in %s could not be read (%s); moved it to %s (delete it when you "
        "like) and rebuilding the index from %s",
        folder,
        err,
        moved,
        settings.seeds_dir,
    )
