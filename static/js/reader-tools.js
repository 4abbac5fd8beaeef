// Reader controls: text size (extra large / large / medium / small), high contrast, the
// elder-friendly mode (适老化: extra-large text and high contrast with one button, on every page)
// and print. The extra-large step and the high-contrast theme follow MIIT's 2021 design rules for
// websites used by older people (互联网网站适老化通用设计规范: extra-large text, a high-contrast
// background, everything operable from the keyboard): every control is a <button>.
// Loaded in <head> without defer so the saved choices are on <html> before the first paint
// (no jump). They live in this browser's localStorage, never in a cookie: pages are cached whole
// for anonymous readers and must not vary by reader. Without JavaScript the controls stay hidden
// (CSS shows them under html.js) and the browser's own zoom, contrast settings and print menu do
// the same work; the print stylesheet applies either way (always black on white).
(() => {
  const SIZE_KEY = "portal-text-size";
  const CONTRAST_KEY = "portal-contrast";
  const SIZES = ["small", "medium", "large", "x-large"];
  const CONTRASTS = ["normal", "high"];
  const root = document.documentElement;

  const saved = (key, allowed, fallback) => {
    try {
      const value = localStorage.getItem(key);
      return allowed.includes(value) ? value : fallback;
    } catch {
      return fallback; // Storage refused (private mode, policy): the default, every page.
    }
  };
  const save = (key, value) => {
    try {
      localStorage.setItem(key, value);
    } catch {
      // Not saved: the choice still applies to this page.
    }
  };

  let state = {};
  const load = () => {
    state = { size: saved(SIZE_KEY, SIZES, "medium"), contrast: saved(CONTRAST_KEY, CONTRASTS, "normal") };
  };

  const elderMode = () => state.size === "x-large" && state.contrast === "high";

  const apply = () => {
    for (const name of SIZES) root.classList.toggle(`text-${name}`, name === state.size && name !== "medium");
    root.classList.toggle("contrast-high", state.contrast === "high");
    for (const button of document.querySelectorAll("[data-text-size]")) {
      button.setAttribute("aria-pressed", String(button.dataset.textSize === state.size));
    }
    for (const button of document.querySelectorAll("[data-contrast]")) {
      button.setAttribute("aria-pressed", String(state.contrast === "high"));
    }
    for (const button of document.querySelectorAll("[data-elder-mode]")) {
      button.setAttribute("aria-pressed", String(elderMode()));
    }
  };

  const choose = (size, contrast) => {
    if (size !== state.size) save(SIZE_KEY, size);
    if (contrast !== state.contrast) save(CONTRAST_KEY, contrast);
    state = { size, contrast };
    apply();
  };

  root.classList.add("js");
  load();
  apply();

  document.addEventListener("DOMContentLoaded", () => {
    load();
    apply();
  });
  document.addEventListener("click", (event) => {
    const sizeButton = event.target.closest("[data-text-size]");
    if (sizeButton) {
      choose(sizeButton.dataset.textSize, state.contrast);
    } else if (event.target.closest("[data-contrast]")) {
      choose(state.size, state.contrast === "high" ? "normal" : "high");
    } else if (event.target.closest("[data-elder-mode]")) {
      if (elderMode()) choose("medium", "normal");
      else choose("x-large", "high");
    } else if (event.target.closest("[data-print]")) {
      window.print();
    }
  });
  // Another tab changed a choice: follow it.
  window.addEventListener("storage", (event) => {
    if (event.key === SIZE_KEY || event.key === CONTRAST_KEY || event.key === null) {
      load();
      apply();
    }
  });
})();
