// Accessible names and keyboard access that Wagtail's admin leaves out (axe-core finds each
// one; tests/browser/test_accessibility.py keeps them fixed). Applied when the page loads and
// again whenever Wagtail adds markup (new blocks, choosers, the editing-sessions list).
(function () {
  "use strict";

  let counter = 0;
  function idFor(element) {
    if (!element.id) {
      counter += 1;
      element.id = "pcmd-a11y-" + counter;
    }
    return element.id;
  }

  function text(element) {
    return (element.textContent || "").replace(/\s+/g, " ").trim();
  }

  // The rich-text editor (Draftail) is a textbox without a name: name it by its field's label.
  function nameRichTextEditors(root) {
    root.querySelectorAll('.Draftail-Editor [role="textbox"]').forEach((box) => {
      if (box.hasAttribute("aria-label") || box.hasAttribute("aria-labelledby")) return;
      const field = box.closest("[data-field], .w-field, [data-contentpath]");
      const label = field && field.querySelector("label, .w-field__label, [data-panel-heading-text]");
      if (label && text(label)) {
        box.setAttribute("aria-labelledby", idFor(label));
        return;
      }
      const block = box.closest("[data-panel], section");
      const heading = block && block.querySelector("[data-panel-heading-text], h2, h3");
      if (heading && text(heading)) box.setAttribute("aria-label", text(heading));
    });
  }

  // A "tab" link outside any tab list (the user form's "Roles" button) is a plain link.
  function dropStrayTabRoles(root) {
    root.querySelectorAll('[role="tab"]').forEach((tab) => {
      if (!tab.closest('[role="tablist"]')) tab.removeAttribute("role");
    });
  }

  // The editor's minimap scrolls: keyboard users must be able to reach it.
  function focusableMinimap(root) {
    root.querySelectorAll(".w-minimap__list").forEach((list) => {
      if (!list.hasAttribute("tabindex")) list.setAttribute("tabindex", "0");
    });
  }

  // Modal dialogs (choosers) are named by their title.
  function nameDialogs(root) {
    root.querySelectorAll('[role="dialog"], .modal').forEach((dialog) => {
      if (dialog.hasAttribute("aria-label") || dialog.hasAttribute("aria-labelledby")) return;
      const title = dialog.querySelector("h1, h2");
      if (title && text(title)) dialog.setAttribute("aria-labelledby", idFor(title));
    });
  }

  // Another editor's avatar in the editing-sessions list: its name is in a hidden tooltip.
  function nameEditingSessions(root) {
    root.querySelectorAll("button.w-editing-sessions__session").forEach((button) => {
      if (button.hasAttribute("aria-label")) return;
      const popup = button.querySelector(".w-editing-sessions__popup");
      const name = popup && text(popup).replace(/\s+-\s+/, " – ");
      if (name) button.setAttribute("aria-label", name);
    });
  }

  function fix(root) {
    nameRichTextEditors(root);
    dropStrayTabRoles(root);
    focusableMinimap(root);
    nameDialogs(root);
    nameEditingSessions(root);
  }

  function start() {
    fix(document);
    // Fixed as soon as Wagtail adds markup (a microtask), not at the next frame: nothing
    // (a keyboard user, a check) sees the markup without its names in between.
    new MutationObserver(() => fix(document)).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
