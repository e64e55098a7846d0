() => {
  // Citation markers are links to "#<passage id>": show that passage in the article panel
  // instead of following the link. "Copy answer" links copy their message as plain text.
  const PHONE = window.matchMedia("(max-width: 720px)");

  function showPassage(id) {
    const passage = document.getElementById(id);
    if (!passage) return false;
    // On a phone the page scrolls far down to the passage: a floating button leads back.
    if (PHONE.matches) passage.closest(".article-panel").classList.add("reading");
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

  function backToQuestion() {
    document.querySelector(".article-panel")?.classList.remove("reading");
    const box = document.querySelector("#question textarea");
    if (!box) return;
    box.scrollIntoView({ block: "center" });
    box.focus({ preventScroll: true });
  }

  // Gradio names each message by its raw HTML ("bot's message: <a class=..."); a screen
  // reader should hear the words the reader sees.
  const ROLES = { "bot's message": "Answer", "user's message": "Question" };
  function nameMessages() {
    document.querySelectorAll("#chat [aria-label]").forEach((message) => {
      const label = message.getAttribute("aria-label");
      const gradios = Object.keys(ROLES).find((r) => label.startsWith(r + ":"));
      if (gradios) message.dataset.spokenAs = ROLES[gradios];
      const role = message.dataset.spokenAs;
      if (!role) return;
      const text = message.innerText.replace(/\s*(Copy answer|Copied)\s*$/, "").trim();
      if (label !== `${role}: ${text}`) message.setAttribute("aria-label", `${role}: ${text}`);
    });
  }

  // Gradio puts 👎 before 👍; readers (and screen readers) expect 👍 first.
  function likeFirst() {
    document.querySelectorAll('#chat button[aria-label="Dislike"]').forEach((dislike) => {
      const like = dislike.parentElement.querySelector(':scope > button[aria-label="Like"]');
      if (like && dislike.compareDocumentPosition(like) & Node.DOCUMENT_POSITION_FOLLOWING) {
        dislike.before(like);
      }
    });
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
    nameMessages();
    likeFirst();
    const panel = document.querySelector(".article-panel");
    if (!panel || panel.dataset.turns === shownTurns) return;
    shownTurns = panel.dataset.turns;
    const first = panel.querySelector("mark.cited");
    if (first && panel.scrollHeight > panel.clientHeight) {
      const offset = first.getBoundingClientRect().top - panel.getBoundingClientRect().top;
      panel.scrollTop += offset - panel.clientHeight / 3;
    }
  }).observe(document.body, {
    childList: true,
    subtree: true,
    attributes: true,
    characterData: true,
    attributeFilter: ["aria-label"],
  });

  document.addEventListener(
    "click",
    (event) => {
      const cite = event.target.closest("a.cite");
      const copy = event.target.closest("a.copy-answer");
      const back = event.target.closest("a.to-chat");
      if (!cite && !copy && !back) return;
      event.preventDefault();
      event.stopPropagation();
      if (cite) showPassage(cite.getAttribute("href").slice(1));
      else if (copy) copyMessage(copy);
      else backToQuestion();
    },
    true,
  );
}
