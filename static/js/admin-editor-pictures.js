// Pictures pasted or dropped into an article body's editor (django-prose-editor) become library
// pictures: each file is sent to the picture library's upload address (its checks: format, size,
// re-encoding without metadata), after the person gives its alt text, and the library's copy is
// placed in the text. Nothing is read from another site; a refused file is named with the reason
// and nothing is placed. The address comes from <meta name="portal-picture-upload">.
(() => {
  "use strict";
  const gettext = window.gettext || ((text) => text);
  const upload = document.querySelector('meta[name="portal-picture-upload"]');
  if (!upload) return;
  let placing = false; // our own paste of the uploaded picture, let through to the editor

  const bodyLanguage = (editable) => {
    const row = editable.closest('[class*="field-body_"]');
    const name = row && [...row.classList].find((name) => name.startsWith("field-body_"));
    return name ? name.slice("field-body_".length).replace("_", "-") : "";
  };

  const say = (editable, text) => {
    const row = editable.closest(".form-row") || editable.parentElement;
    let note = row.querySelector(".picture-upload-error");
    if (!text) {
      if (note) note.remove();
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.className = "picture-upload-error errornote";
      note.setAttribute("role", "alert");
      row.prepend(note);
    }
    note.textContent = text;
  };

  const escape = (text) =>
    text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

  const place = (editable, url, alt) => {
    const data = new DataTransfer();
    data.setData("text/html", `<img src="${escape(url)}" alt="${escape(alt)}">`);
    data.setData("text/plain", "");
    editable.focus();
    placing = true;
    try {
      editable.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    } finally {
      placing = false;
    }
  };

  const send = async (editable, file) => {
    const alt = window.prompt(
      gettext("Alt text for “%s”: what the picture shows, for readers who cannot see it.").replace("%s", file.name),
      "",
    );
    if (alt === null) return; // cancelled: nothing uploaded, nothing placed
    const form = new FormData();
    form.append("file", file, file.name);
    form.append("alt", alt);
    form.append("language", bodyLanguage(editable));
    const token = document.querySelector("input[name=csrfmiddlewaretoken]");
    const response = await fetch(upload.content, {
      method: "POST",
      body: form,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "" },
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) {
      say(editable, `${file.name}: ${answer.error || response.statusText}`);
      return;
    }
    say(editable, "");
    place(editable, answer.url, answer.alt);
  };

  const pictures = (transfer) =>
    transfer ? [...transfer.files].filter((file) => file.type.startsWith("image/")) : [];

  const handle = (event, transfer) => {
    if (placing) return;
    const editable = event.target.closest && event.target.closest(".ProseMirror");
    if (!editable || !editable.closest('[class*="field-body_"]')) return;
    const files = pictures(transfer);
    if (!files.length) return;
    // Before the editor sees it: it would otherwise place nothing, or the file's bytes inline.
    event.preventDefault();
    event.stopPropagation();
    files.reduce((previous, file) => previous.then(() => send(editable, file)), Promise.resolve());
  };

  document.addEventListener("paste", (event) => handle(event, event.clipboardData), true);
  document.addEventListener("drop", (event) => handle(event, event.dataTransfer), true);
})();
