"""Drive the chat page in headless Chromium: shared by the browser test and `make bench-ui`."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Debian's chromium package; Playwright drives it instead of downloading a browser of its own.
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Without the background-networking flags Chromium keeps calling Google's hosts, which a
# closed network refuses; none of them changes how the page behaves.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
BOT_MESSAGES = '#chat [data-testid="bot"]'


# Records when the next reply becomes visible and when the turn ends (the article panel's
# data-turns grows), relative to now.
_WATCH = """([selector, shown, turns]) => {
  const t = { start: performance.now(), first: null, done: null };
  window.__ragTiming = t;
  const check = () => {
    const now = performance.now();
    if (t.first === null && document.querySelectorAll(selector).length > shown) t.first = now;
    const panel = document.querySelector('.article-panel');
    if (t.done === null && panel && Number(panel.dataset.turns) > turns) {
      t.done = now;
      if (t.first === null) t.first = now;
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  const all = { childList: true, subtree: true, attributes: true, characterData: true };
  observer.observe(document.body, all);
}"""


class BrowserMissing(RuntimeError):
    """Chromium or Playwright is not installed; the message says how to install them."""


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser driven by Playwright."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BrowserMissing("Playwright is missing: pip install -e '.[dev]'") from None
    if not CHROMIUM.exists():
        raise BrowserMissing(
            f"no Chromium at {CHROMIUM}: apt-get install chromium chromium-driver "
            "(or set CHROMIUM_PATH)"
        )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Timing:
    """Seconds from pressing Enter to the first visible reply and to the finished answer."""

    first_visible_s: float
    answer_s: float


class ChatPage:
    """The page in one browser tab, with the steps a reader takes."""

    def __init__(self, page: Any, url: str) -> None:
        self.page = page
        self.url = url
        self.requests: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))

    def open(self) -> None:
        self.page.goto(self.url)
        self.page.wait_for_selector("#chat")
        self.page.wait_for_selector(".article-panel")

    def turns(self) -> int:
        """How many turns have finished (the article panel updates when an answer ends)."""
        return int(self.page.get_attribute(".article-panel", "data-turns"))

    def ask(self, question: str, timeout_s: float = 60) -> Timing:
        """Type a question, press Enter, and wait for the finished answer."""
        box = self.page.locator("#question textarea")
        box.fill(question)
        return self._timed(lambda: box.press("Enter"), timeout_s)

    def click_example(self, text: str, timeout_s: float = 60) -> Timing:
        """Click one of the example questions shown on the empty chat."""
        example = self.page.get_by_role("button", name=text)
        return self._timed(example.click, timeout_s)

    def suggestions(self) -> list[str]:
        """The questions suggested under the latest answer."""
        return self.page.locator("#chat .options").last.locator(".option").all_inner_texts()

    def click_suggestion(self, text: str, timeout_s: float = 60) -> Timing:
        """Click one of the questions suggested under an answer."""
        option = self.page.locator("#chat .options .option", has_text=text).last
        return self._timed(option.click, timeout_s)

    def _timed(self, action: Any, timeout_s: float) -> Timing:
        # Timestamps are taken in the page by a MutationObserver, so the numbers do not include
        # how often Playwright polls.
        shown = self.page.locator(BOT_MESSAGES).count()
        self.page.evaluate(_WATCH, [BOT_MESSAGES, shown, self.turns()])
        action()
        self.page.wait_for_function(
            "() => window.__ragTiming.done !== null", timeout=timeout_s * 1000
        )
        t = self.page.evaluate("window.__ragTiming")
        return Timing((t["first"] - t["start"]) / 1000, (t["done"] - t["start"]) / 1000)

    def last_answer(self) -> Any:
        """The latest bot message (a Playwright locator)."""
        return self.page.locator(f"{BOT_MESSAGES} .message-content").last

    def start_over(self) -> None:
        self.page.locator("#new-conversation").click()
        self.page.wait_for_function(f"document.querySelectorAll('{BOT_MESSAGES}').length === 0")

    def other_hosts(self) -> list[str]:
        """Every requested URL whose host is not the app's."""
        host = self.url.split("/")[2]
        return [u for u in self.requests if u.split("/")[2:3] != [host] and "://" in u]
