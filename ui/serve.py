"""`rag serve`: load the pipeline and serve the chat page, safely by default."""

from __future__ import annotations

import socket
import sys
from typing import Any

import gradio as gr

from rag.settings import Settings
from ui.app import MONO_FONTS, STATIC, SYSTEM_FONTS, Page, build_app


def launch_options() -> dict[str, Any]:
    """Theme, CSS and script for `launch()`: all inline, nothing loaded from another host."""
    return {
        "theme": gr.themes.Default(font=SYSTEM_FONTS, font_mono=MONO_FONTS),
        "css": (STATIC / "page.css").read_text(encoding="utf-8"),
        "js": (STATIC / "page.js").read_text(encoding="utf-8"),
        "footer_links": [],
    }


def check_port(host: str, port: int) -> None:
    """Raise OSError with what to do when the page cannot listen on host:port."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the web server does
        try:
            probe.bind((host, port))
        except OSError as err:
            reason = err.strerror or str(err)
            raise OSError(
                f"cannot serve on {host}:{port} ({reason}); choose another with --port / "
                "RAG_PORT or --host / RAG_HOST"
            ) from None


def exposure_warning(settings: Settings) -> str:
    """A warning when other machines can reach the page and no login guards it, else ''."""
    local = settings.host in ("127.0.0.1", "localhost", "::1")
    if settings.logins() or (local and not settings.share):
        return ""
    return (
        "Warning: the page has no login and can be reached from other machines; "
        "set RAG_AUTH=user:password to require one."
    )


def main(settings: Settings | None = None) -> int:
    """Load the pipeline and serve the page on settings.host:settings.port."""
    from rag.answer.build import load_answerer

    settings = settings or Settings.from_env()
    check_port(settings.host, settings.port)  # before the models load, not after
    answerer = load_answerer(settings)
    app = build_app(Page.load(answerer, settings))
    app.queue(max_size=settings.queue_size)  # a full queue: "busy, please try again"
    logins = settings.logins()
    print(f"Serving on http://{settings.host}:{settings.port} (Ctrl+C to stop)", flush=True)
    warning = exposure_warning(settings)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    app.launch(
        server_name=settings.host,
        server_port=settings.port,
        share=settings.share,
        auth=logins or None,
        auth_message="Log in to ask questions about the article." if logins else None,
        show_error=False,
        quiet=True,
        max_file_size=0,  # the page takes no files: Gradio's upload route accepts none
        **launch_options(),
    )
    return 0
