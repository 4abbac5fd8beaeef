// The rich-text editor (django-prose-editor) in the admin's language.
//
// Its dialogs already ask window.gettext (the admin's JavaScript catalogue, which includes this
// project's djangojs catalogue); its toolbar tooltips are fixed English strings. This script gives
// the catalogue the dialogs' strings (DIALOG_STRINGS, listed so that `make messages` extracts them)
// and translates every tooltip as each editor starts. Loaded before the editor's module, so it hears
// every "prose-editor:ready". A new django-prose-editor version may bring new strings:
// tests/browser/test_admin_editor_i18n.py then names any tooltip or dialog left in English.
(() => {
  "use strict";
  const gettext = window.gettext || ((text) => text);
  // The strings editor.js passes to window.gettext (its dialogs and a few buttons).
  // eslint-disable-next-line no-unused-vars
  const DIALOG_STRINGS = [
    gettext("Add caption"),
    gettext("Alternative Text"),
    gettext("Browse..."),
    gettext("Bullets"),
    gettext("Cancel"),
    gettext("Caption"),
    gettext("Columns"),
    gettext("Decimal numbers"),
    gettext("Edit Figure"),
    gettext("Edit HTML"),
    gettext("Edit Image"),
    gettext("Edit Link"),
    gettext("Image URL"),
    gettext("Include header row"),
    gettext("Insert"),
    gettext("Insert Figure"),
    gettext("Insert Table"),
    gettext("List properties"),
    gettext("List type"),
    gettext("Lowercase letters"),
    gettext("Lowercase Roman numerals"),
    gettext("Open in new window"),
    gettext("Prettify"),
    gettext("Remove caption"),
    gettext("Rows"),
    gettext("Start at"),
    gettext("Table Properties"),
    gettext("The HTML contents of the editor. Note that the allowed HTML is restricted by the editor schema."),
    gettext("Title"),
    gettext("Toggle fullscreen"),
    gettext("Update"),
    gettext("Uppercase letters"),
    gettext("Uppercase Roman numerals"),
    gettext("URL"),
  ];
  // Strings Django 5.2's admin scripts ask for (SelectFilter2.js: the two-box selector of sectors,
  // further columns…) that Django's own zh_Hans catalogue lacks, so the Chinese admin showed them
  // in English. Listed here for `make messages`; the catalogue serves every admin page.
  // eslint-disable-next-line no-unused-vars
  const DJANGO_ADMIN_STRINGS = [
    gettext('Choose %s by selecting them and then select the "Choose" arrow button.'),
    gettext("Choose all %s"),
    gettext("Choose selected %s"),
    gettext("Remove selected %s"),
    gettext('Remove %s by selecting them and then select the "Remove" arrow button.'),
    gettext("(click to clear)"),
    gettext("Remove all %s"),
  ];
  // The toolbar's tooltips, as editor.js writes them.
  const TOOLTIPS = {
    bold: gettext("Bold"),
    italic: gettext("Italic"),
    underline: gettext("Underline"),
    strike: gettext("Strikethrough"),
    subscript: gettext("Subscript"),
    superscript: gettext("Superscript"),
    "unordered list": gettext("Bulleted list"),
    "ordered list": gettext("Numbered list"),
    blockquote: gettext("Quotation"),
    "horizontal rule": gettext("Horizontal line"),
    "insert link": gettext("Insert link"),
    "remove link": gettext("Remove link"),
    undo: gettext("Undo"),
    redo: gettext("Redo"),
    paragraph: gettext("Paragraph"),
    "Insert table": gettext("Insert table"),
    figure: gettext("Picture"),
    "edit HTML": gettext("Edit HTML"),
    Code: gettext("Code"),
    "Code block": gettext("Code block"),
    "Merge cells": gettext("Merge cells"),
    "Split cell": gettext("Split cell"),
    "Add column": gettext("Add column"),
    "Add row": gettext("Add row"),
    "Delete column": gettext("Delete column"),
    "Delete row": gettext("Delete row"),
    "Delete table": gettext("Delete table"),
    "Toggle header cell": gettext("Header cell / normal cell"),
    Styles: gettext("Styles"),
    HTML: gettext("HTML"),
  };
  const HEADING = /^heading (\d)$/;
  // Choices in the editor's dialogs that editor.js writes in English; it reads them back by value.
  const CHOICES = { No: gettext("No"), Yes: gettext("Yes") };

  function translated(title) {
    if (Object.prototype.hasOwnProperty.call(TOOLTIPS, title)) return TOOLTIPS[title];
    const heading = HEADING.exec(title);
    return heading ? gettext("Heading %s").replace("%s", heading[1]) : null;
  }

  function translate(root) {
    // The block-type dropdown's choices carry their name as text (<h2>Heading 2</h2>, <p>Paragraph</p>).
    for (const option of root.querySelectorAll(".prose-menubar__option")) {
      const label = option.firstElementChild || option;
      const text = translated(label.textContent.trim().toLowerCase());
      if (text) label.textContent = text;
    }
    for (const element of root.querySelectorAll("[title]")) {
      const text = translated(element.getAttribute("title"));
      if (text) {
        element.setAttribute("title", text);
        element.setAttribute("aria-label", text);
      }
    }
  }

  function translateChoices(dialog) {
    for (const option of dialog.querySelectorAll("option")) {
      const text = option.textContent;
      if (Object.prototype.hasOwnProperty.call(CHOICES, text) && !option.hasAttribute("value")) {
        option.value = text; // what editor.js compares, kept
        option.textContent = CHOICES[text];
      }
    }
  }

  // The dialogs are built when opened.
  new MutationObserver((changes) => {
    for (const change of changes) {
      for (const node of change.addedNodes) {
        if (node.nodeType !== Node.ELEMENT_NODE) continue;
        const dialog = node.closest("dialog");
        if (dialog) translateChoices(dialog);
        for (const inner of node.querySelectorAll("dialog")) translateChoices(inner);
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true });

  document.addEventListener("prose-editor:ready", (event) => {
    const editor = event.target.closest(".prose-editor") || event.target.parentElement;
    if (!editor) return;
    translate(editor);
    // Menus the editor builds later (table tools, dropdowns) are translated as they appear.
    new MutationObserver((changes) => {
      for (const change of changes) {
        for (const node of change.addedNodes) {
          if (node.nodeType === Node.ELEMENT_NODE) translate(node.parentElement || node);
        }
      }
    }).observe(editor, { childList: true, subtree: true });
  });
})();
