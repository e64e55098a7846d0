() => {
  // Citation markers are links to "#<passage id>": show that passage in the article panel
  // instead of following the link. "Copy answer" links copy their message as plain text.
  function showPassage(id) {
    const passage = document.getElementById(id);
    if (!passage) return false;
    document.querySelectorAll(".passage.focus").forEach((p) => p.classList.remove("focus"));
    passage.classList.add("focus");
    passage.scrollIntoView({ behavior: "smooth", block: "center" });
    return true;
  }

  async function copyMessage(link) {
    const message = link.closest(".message-content") || link.parentElement;
    const text = message.innerText.replace(/\s*Copy answer\s*$/, "").trim();
    try {
      await navigator.clipboard.writeText(text);
    } catch (err) {
      // Pages served over plain http on another host have no clipboard API.
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
    }
    link.textContent = "Copied";
    setTimeout(() => { link.textContent = "Copy answer"; }, 1500);
  }

  // When an answer arrives, the article panel (on a wide screen, where it scrolls on its own)
  // shows the first passage the answer cites. The page itself never moves under the reader.
  let shownTurns = null;
  new MutationObserver(() => {
    // Gradio's "please type a question" note under the box is only drawn; as an alert,
    // screen readers say it too.
    document.querySelectorAll("div.validation-error:not([role])").forEach((note) => {
      note.setAttribute("role", "alert");
    });
    const panel = document.querySelector(".article-panel");
    if (!panel || panel.dataset.turns === shownTurns) return;
    shownTurns = panel.dataset.turns;
    const first = panel.querySelector("mark.cited");
    if (first && panel.scrollHeight > panel.clientHeight) {
      const offset = first.getBoundingClientRect().top - panel.getBoundingClientRect().top;
      panel.scrollTop += offset - panel.clientHeight / 3;
    }
  }).observe(document.body, { childList: true, subtree: true });

  document.addEventListener(
    "click",
    (event) => {
      const cite = event.target.closest("a.cite");
      const copy = event.target.closest("a.copy-answer");
      if (!cite && !copy) return;
      event.preventDefault();
      event.stopPropagation();
      if (cite) showPassage(cite.getAttribute("href").slice(1));
      else copyMessage(copy);
    },
    true,
  );
}
