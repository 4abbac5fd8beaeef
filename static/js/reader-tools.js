// Reader controls: text size (large / medium / small) and print.
// Loaded in <head> without defer so the saved size is on <html> before the first paint
// (no jump). The choice lives in this browser's localStorage, never in a cookie: pages are
// cached whole for anonymous readers and must not vary by reader. Without JavaScript the
// controls stay hidden (CSS shows them under html.js) and the browser's own zoom and print
// menu do the same work; the print stylesheet applies either way.
(() => {
  const KEY = "portal-text-size";
  const SIZES = ["small", "medium", "large"];
  const root = document.documentElement;

  const saved = () => {
    try {
      const value = localStorage.getItem(KEY);
      return SIZES.includes(value) ? value : "medium";
    } catch {
      return "medium"; // Storage refused (private mode, policy): medium, every page.
    }
  };

  const apply = (size) => {
    for (const name of SIZES) root.classList.toggle(`text-${name}`, name === size && size !== "medium");
    for (const button of document.querySelectorAll("[data-text-size]")) {
      button.setAttribute("aria-pressed", String(button.dataset.textSize === size));
    }
  };

  root.classList.add("js");
  apply(saved());

  document.addEventListener("DOMContentLoaded", () => apply(saved()));
  document.addEventListener("click", (event) => {
    const sizeButton = event.target.closest("[data-text-size]");
    if (sizeButton) {
      try {
        localStorage.setItem(KEY, sizeButton.dataset.textSize);
      } catch {
        // Not saved: the size still applies to this page.
      }
      apply(sizeButton.dataset.textSize);
    } else if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
  // Another tab changed the size: follow it.
  window.addEventListener("storage", (event) => {
    if (event.key === KEY) apply(saved());
  });
})();
