// Editing a message in place (Campfire 2.11): the body in a rich editor, formatting and mentions
// kept; Ctrl/Cmd+Enter or Save saves, Esc or Cancel cancels, Ctrl/Cmd+B and +I format (the
// browser's own editing keys). The element outlives re-renders of its message (a boost arriving
// meanwhile must not throw away what is being typed), so the list asks for it by message id.
import { h } from "../dom.js";
import { safeFragment } from "./message_body.js";
import { bodyHtmlOf, pastePlainText } from "./composer.js";

export class MessageEditor {
  // onSave(html) → Promise<{ok, message}>; onDone() closes the editor.
  constructor(message, { onSave, onDone }) {
    this.messageId = message.id;
    this.onSave = onSave;
    this.onDone = onDone;
    this.input = h("div", {
      class: "edit-input", contenteditable: "true", role: "textbox", "aria-multiline": "true",
      "aria-label": "Edit message",
    });
    // The body as shown, through the same allow-list; a mention stays one unit while editing.
    this.input.append(safeFragment(message.body_html ?? ""));
    for (const m of this.input.querySelectorAll(".mention")) m.setAttribute("contenteditable", "false");
    this.error = h("div", { class: "edit-error", role: "alert" });
    this.save = h("button", { type: "submit", class: "primary edit-save", text: "Save" });
    this.el = h("form", { class: "message-editor" }, this.input,
      h("div", { class: "edit-buttons" },
        h("span", { class: "edit-hint", text: "Esc to cancel · Ctrl+Enter to save" }),
        h("button", { type: "button", class: "edit-cancel", text: "Cancel", onclick: () => this.onDone() }),
        this.save),
      this.error);
    this.el.addEventListener("submit", (e) => { e.preventDefault(); this.submit(); });
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Escape") {
        e.preventDefault();
        e.stopPropagation();
        this.onDone();
      } else if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.submit();
      }
    });
    this.input.addEventListener("paste", pastePlainText);
  }

  focus() {
    this.input.focus();
    const end = document.createRange();
    end.selectNodeContents(this.input);
    end.collapse(false);
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(end);
  }

  async submit() {
    if (!this.input.textContent.trim()) {
      this.error.textContent = "A message can't be empty: delete it instead.";
      return;
    }
    this.save.disabled = true;
    const res = await this.onSave(bodyHtmlOf(this.input));
    this.save.disabled = false;
    if (res.ok) this.onDone();
    else this.error.textContent = res.message ?? "Not saved.";
  }
}
