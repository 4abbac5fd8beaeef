// Side-by-side translation in the article form: the button "Side by side" puts each field of every
// language version next to the same field of the others (标题（简体中文） beside 标题（英文）), and
// puts them back. The fields are moved, not copied, so the form posts exactly what it did before;
// the rich-text editors keep working where they are moved to. The choice is remembered in this browser.
(() => {
  "use strict";
  const gettext = window.gettext || ((text) => text);
  const REMEMBERED = "portal-side-by-side";
  const fieldsets = Array.from(document.querySelectorAll("fieldset.language-version"));
  if (fieldsets.length < 2) return;
  const codes = fieldsets.map((fieldset) =>
    Array.from(fieldset.classList).find((name) => name.startsWith("language-") && name !== "language-version").slice(9),
  );
  const fieldOf = (row, code) => {
    const name = Array.from(row.classList).find((cls) => cls.startsWith("field-") && cls.endsWith(`_${code}`));
    return name ? name.slice(6, -code.length - 1) : null;
  };

  const button = document.createElement("button");
  button.type = "button";
  button.className = "button side-by-side-toggle";
  button.textContent = gettext("Side by side");
  button.setAttribute("aria-pressed", "false");
  fieldsets[0].parentNode.insertBefore(button, fieldsets[0]);

  let table = null;
  const placed = []; // [row, parent, next sibling] to put every row back

  function sideBySide() {
    table = document.createElement("div");
    table.className = "side-by-side";
    table.style.setProperty("--languages", String(fieldsets.length));
    const heading = document.createElement("div");
    heading.className = "side-by-side-pair side-by-side-heading";
    for (const fieldset of fieldsets) {
      const title = document.createElement("h2");
      title.textContent = fieldset.querySelector("h2, legend")?.textContent.trim() || "";
      heading.append(title);
    }
    table.append(heading);
    for (const row of Array.from(fieldsets[0].querySelectorAll(".form-row"))) {
      const base = fieldOf(row, codes[0]);
      if (!base) continue;
      const pair = document.createElement("div");
      pair.className = "side-by-side-pair";
      fieldsets.forEach((fieldset, index) => {
        const match = index === 0 ? row : fieldset.querySelector(`.form-row.field-${base}_${codes[index]}`);
        const cell = document.createElement("div");
        cell.className = "side-by-side-cell";
        if (match) {
          placed.push([match, match.parentNode, match.nextSibling]);
          cell.append(match);
        }
        pair.append(cell);
      });
      table.append(pair);
    }
    fieldsets[0].parentNode.insertBefore(table, fieldsets[0]);
    for (const fieldset of fieldsets) fieldset.hidden = true;
    button.textContent = gettext("One language after the other");
    button.setAttribute("aria-pressed", "true");
  }

  function apart() {
    for (const [row, parent, next] of placed.reverse()) parent.insertBefore(row, next);
    placed.length = 0;
    table.remove();
    table = null;
    for (const fieldset of fieldsets) fieldset.hidden = false;
    button.textContent = gettext("Side by side");
    button.setAttribute("aria-pressed", "false");
  }

  button.addEventListener("click", () => {
    if (table) {
      apart();
      localStorage.removeItem(REMEMBERED);
    } else {
      sideBySide();
      localStorage.setItem(REMEMBERED, "1");
    }
  });
  if (localStorage.getItem(REMEMBERED)) sideBySide();
})();
