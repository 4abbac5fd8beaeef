// Unsaved work in the newsroom's change forms: a warning before leaving the page, and a copy of the
// form kept in this browser's localStorage while the person types, offered back when the same form is
// opened again after a crash, a closed tab or an expired session. The copy only fills the form: it is
// saved (or published) when the person presses a button, never by itself.
//
// Why the browser and not the server: the copy must survive exactly the moments the server cannot be
// reached (network gone, session expired, server restarting), and a copy on the server would be a
// second, unchecked version of every article. The copy is per person (their user id is in the key),
// never holds passwords or files, is removed once the form is saved, when the person logs out and
// after RETENTION_DAYS.
(() => {
  "use strict";
  const PREFIX = "portal-autosave:v1:";
  const RETENTION_DAYS = 14;
  const SAVE_DELAY_MS = 1000;
  const userMeta = document.querySelector('meta[name="portal-autosave-user"]');
  if (!userMeta || !window.localStorage) return;
  const userPrefix = `${PREFIX}${userMeta.content}:`;
  const gettext = window.gettext || ((text) => text);

  const storage = {
    read(key) {
      try {
        return JSON.parse(localStorage.getItem(key));
      } catch {
        return null;
      }
    },
    write(key, value) {
      try {
        localStorage.setItem(key, JSON.stringify(value));
        return true;
      } catch {
        return false; // full or disabled: the leave warning still protects the work
      }
    },
    keys() {
      return Object.keys(localStorage).filter((key) => key.startsWith(PREFIX));
    },
  };

  // Copies older than the retention period go, whoever they belong to.
  const oldest = Date.now() - RETENTION_DAYS * 86400 * 1000;
  for (const key of storage.keys()) {
    const copy = storage.read(key);
    if (!copy || !(copy.savedAt > oldest)) localStorage.removeItem(key);
  }

  // A save that went through (the admin shows a success message on the next page) ends the copy;
  // a refused save shows the form again with its errors and keeps it.
  const saved = document.querySelector(".messagelist .success");
  if (saved) {
    for (const key of storage.keys().filter((key) => key.startsWith(userPrefix))) {
      const copy = storage.read(key);
      if (copy && copy.submittedAt && Date.now() - copy.submittedAt < 10 * 60 * 1000) localStorage.removeItem(key);
    }
  }
  const logout = document.getElementById("logout-form");
  if (logout) {
    logout.addEventListener("submit", () => {
      for (const key of storage.keys().filter((key) => key.startsWith(userPrefix))) localStorage.removeItem(key);
    });
  }

  const body = document.body;
  const form = document.querySelector("#content-main form[method=post]");
  if (!form || !body.classList.contains("change-form") || !body.classList.contains("app-news")) return;
  const key = userPrefix + location.pathname;
  const editors = new Map(); // textarea name → the rich-text editor showing it
  form.addEventListener("prose-editor:ready", (event) => editors.set(event.detail.textarea.name, event.detail.editor));

  const kept = (element) =>
    element.name &&
    !element.disabled &&
    !["hidden", "file", "password", "submit", "button", "image", "reset"].includes(element.type) &&
    element.name !== "csrfmiddlewaretoken" &&
    element.name !== "_workflow" &&
    !element.closest(".empty-form");

  function snapshot() {
    const values = {};
    for (const element of form.elements) {
      if (!kept(element)) continue;
      if (element.type === "checkbox" || element.type === "radio") {
        values[`${element.name}=${element.value}`] = element.checked;
      } else if (element.tagName === "SELECT" && element.multiple) {
        values[element.name] = Array.from(element.selectedOptions, (option) => option.value);
      } else {
        values[element.name] = element.value;
      }
    }
    return values;
  }

  function editorOf(textarea) {
    if (editors.has(textarea.name)) return editors.get(textarea.name);
    const dom = textarea.closest(".prose-editor")?.querySelector(".ProseMirror");
    return dom && dom.editor;
  }

  function restore(values) {
    for (const element of form.elements) {
      if (!kept(element)) continue;
      if (element.type === "checkbox" || element.type === "radio") {
        const name = `${element.name}=${element.value}`;
        if (name in values) element.checked = values[name];
      } else if (element.tagName === "SELECT" && element.multiple) {
        if (Array.isArray(values[element.name])) {
          for (const option of element.options) option.selected = values[element.name].includes(option.value);
        }
      } else if (element.name in values) {
        element.value = values[element.name];
        const editor = element.tagName === "TEXTAREA" && editorOf(element);
        if (editor) editor.commands.setContent(values[element.name] || "", { emitUpdate: false });
      }
      element.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  let initial = null;
  let submitting = false;
  // A refused save comes back with the person's unsaved input in it: unsaved from the start.
  let refused = Boolean(document.querySelector(".errornote"));
  const dirty = () => refused || (initial !== null && !same(snapshot(), initial));

  let timer = null;
  function keep() {
    timer = null;
    if (!dirty()) return;
    const title = document.querySelector("#content h2, #content h1")?.textContent.trim() || "";
    storage.write(key, { savedAt: Date.now(), title, values: snapshot() });
  }
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(keep, SAVE_DELAY_MS);
  };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  window.addEventListener("pagehide", () => {
    if (!submitting) keep();
  });

  form.addEventListener("submit", () => {
    submitting = true;
    keep();
    const copy = storage.read(key);
    if (copy) storage.write(key, { ...copy, submittedAt: Date.now() });
  });

  window.addEventListener("beforeunload", (event) => {
    if (submitting || !dirty()) return;
    keep();
    event.preventDefault();
    event.returnValue = ""; // older browsers need it to show the warning
  });

  function offer(copy) {
    const note = document.createElement("div");
    note.className = "autosave-offer";
    note.setAttribute("role", "status");
    const when = new Date(copy.savedAt).toLocaleString(document.documentElement.lang || undefined, {
      dateStyle: "medium",
      timeStyle: "short",
    });
    const text = document.createElement("p");
    text.textContent = gettext("Unsaved changes to this form from %s are kept in this browser.").replace("%s", when);
    const bring = document.createElement("button");
    bring.type = "button";
    bring.className = "button autosave-restore";
    bring.textContent = gettext("Restore them");
    const drop = document.createElement("button");
    drop.type = "button";
    drop.className = "button autosave-discard";
    drop.textContent = gettext("Discard them");
    const help = document.createElement("p");
    help.className = "help";
    help.textContent = gettext("Restoring only fills in the form: nothing is saved until you press a button below.");
    note.append(text, bring, " ", drop, help);
    bring.addEventListener("click", () => {
      restore(copy.values);
      refused = true; // what was brought back is not saved yet
      note.remove();
      storage.write(key, { ...copy, savedAt: Date.now(), submittedAt: undefined });
    });
    drop.addEventListener("click", () => {
      localStorage.removeItem(key);
      note.remove();
    });
    form.prepend(note);
  }

  // The editors start after this script; the form's own values are read once they have.
  window.addEventListener("load", () => {
    initial = snapshot();
    const copy = storage.read(key);
    if (copy && copy.values && !same(copy.values, initial)) offer(copy);
  });
})();
