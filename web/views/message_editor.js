// Editing a message in place (Campfire 2.11): Ctrl/Cmd+Enter or Save saves, Esc or Cancel cancels.
// The element outlives re-renders of its message (a boost arriving meanwhile must not throw away
// what is being typed), so the list asks for it by message id.
import { h } from "../dom.js";

export class MessageEditor {
  // onSave(text) → Promise<{ok, message}>; onDone() closes the editor.
  constructor(message, { onSave, onDone }) {
    this.messageId = message.id;
    this.onSave = onSave;
    this.onDone = onDone;
    this.input = h("textarea", { class: "edit-input", "aria-label": "Edit message", rows: 2 });
    this.input.value = message.plain_text ?? "";
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
  }

  focus() {
    this.input.focus();
    this.input.setSelectionRange(this.input.value.length, this.input.value.length);
  }

  async submit() {
    const text = this.input.value.replace(/\s+$/, "");
    if (!text.trim()) {
      this.error.textContent = "A message can't be empty: delete it instead.";
      return;
    }
    this.save.disabled = true;
    const res = await this.onSave(text);
    this.save.disabled = false;
    if (res.ok) this.onDone();
    else this.error.textContent = res.message ?? "Not saved.";
  }
}
