// The picture library window opened by the body editor's picture button (django-prose-editor).
// The editor speaks the CKEditor file-browser protocol: it waits for
// CKEDITOR.tools.callFunction(number, url, details) on the window that opened this one.
document.addEventListener("click", (event) => {
  const choice = event.target.closest(".image-choice");
  const list = document.querySelector(".image-picker");
  if (!choice || !list || !window.opener || !window.opener.CKEDITOR) return;
  window.opener.CKEDITOR.tools.callFunction(Number(list.dataset.functionNumber), choice.dataset.url, {
    id: choice.dataset.id,
    alternative_text: choice.dataset.alt,
    caption: choice.dataset.caption,
  });
  window.close();
});
