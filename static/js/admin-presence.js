// Editing presence (news/admin/presence.py): the open article form says every few seconds that it is
// still open and shows who else has it open; it says so when it is left.
(() => {
  "use strict";
  const notice = document.querySelector(".editing-presence[data-url]");
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (!notice || !token) return;
  const every = Number(notice.dataset.every || 30) * 1000;

  function show(sentences) {
    notice.replaceChildren(
      ...sentences.map((sentence) => {
        const line = document.createElement("p");
        line.textContent = sentence;
        return line;
      }),
    );
    notice.hidden = sentences.length === 0;
  }

  async function beat() {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token.value);
    try {
      const response = await fetch(notice.dataset.url, { method: "POST", body, credentials: "same-origin" });
      if (response.ok) show((await response.json()).others || []);
    } catch {
      // Offline or the server restarting: the notice stays as it was; the conflict check still holds.
    }
  }

  setInterval(beat, every);
  window.addEventListener("pagehide", () => {
    const body = new FormData();
    body.append("csrfmiddlewaretoken", token.value);
    body.append("leave", "1");
    navigator.sendBeacon(notice.dataset.url, body);
  });
})();
