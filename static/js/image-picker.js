// The picture library window opened by the body editor's picture button (django-prose-editor).
// The editor speaks the CKEditor file-browser protocol: it waits for
// CKEDITOR.tools.callFunction(number, url, details) on the window that opened this one.
(() => {
  const place = (url, details) => {
    const list = document.querySelector(".image-picker");
    if (!list || !window.opener || !window.opener.CKEDITOR) return;
    window.opener.CKEDITOR.tools.callFunction(Number(list.dataset.functionNumber), url, details);
    window.close();
  };

  document.addEventListener("click", (event) => {
    const choice = event.target.closest(".image-choice");
    if (!choice) return;
    place(choice.dataset.url, {
      id: choice.dataset.id,
      alternative_text: choice.dataset.alt,
      caption: choice.dataset.caption,
    });
  });

  // A new picture: uploaded into the library (its checks, with its alt text), then placed.
  document.addEventListener("submit", async (event) => {
    const form = event.target.closest(".image-upload");
    if (!form) return;
    event.preventDefault();
    const error = form.querySelector(".image-upload-error");
    error.hidden = true;
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    });
    const answer = await response.json().catch(() => ({ error: response.statusText }));
    if (!response.ok) {
      error.textContent = answer.error || response.statusText;
      error.classList.add("errornote"); // the admin's error look (its display rule outweighs [hidden])
      error.hidden = false;
      return;
    }
    place(answer.url, { id: String(answer.id), alternative_text: answer.alt, caption: "" });
  });
})();
