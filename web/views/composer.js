// The composer: Enter sends, Shift+Enter is a new line, Esc clears. Disabled while offline
// (Campfire 4.3), and says why. Typing notices: at most one `active` per second while there is
// text, one `inactive` when it is emptied or sent (Campfire 2.10).
import { h } from "../dom.js";

export class Composer {
  constructor({ onSend, onTyping }) {
    this.onSend = onSend;
    this.onTyping = onTyping;
    this.lastTyping = 0;
    this.typingActive = false;
    this.input = h("textarea", {
      class: "composer-input", rows: 1, placeholder: "Say something…", "aria-label": "Message",
      enterkeyhint: "send", autocomplete: "off",
    });
    this.button = h("button", { type: "submit", class: "send", "aria-label": "Send" }, h("span", { text: "Send" }));
    this.form = h("form", { class: "composer" }, this.input, this.button);
    this.form.addEventListener("submit", (e) => { e.preventDefault(); this.send(); });
    this.input.addEventListener("keydown", (e) => this.keydown(e));
    this.input.addEventListener("input", () => { this.resize(); this.typing(); });
    this.el = this.form;
  }

  keydown(e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      this.send();
    } else if (e.key === "Escape") {
      e.preventDefault();
      this.clear();
    }
  }

  send() {
    if (this.input.disabled) return;
    const text = this.input.value.replace(/\s+$/, "").replace(/^\n+/, "");
    if (!text.trim()) return;
    this.onSend(text);
    this.clear();
  }

  clear() {
    this.input.value = "";
    this.resize();
    this.typing();
  }

  typing() {
    const active = this.input.value.trim() !== "";
    const now = Date.now();
    if (active && (!this.typingActive || now - this.lastTyping > 1000)) {
      this.lastTyping = now;
      this.typingActive = true;
      this.onTyping(true);
    } else if (!active && this.typingActive) {
      this.typingActive = false;
      this.onTyping(false);
    }
  }

  resize() {
    this.input.style.height = "auto";
    this.input.style.height = `${Math.min(this.input.scrollHeight, 200)}px`;
  }

  setOffline(offline) {
    this.input.disabled = offline;
    this.button.disabled = offline;
    this.input.placeholder = offline ? "You are offline. Reconnecting…" : "Say something…";
    this.form.classList.toggle("offline", offline);
  }

  focus() { this.input.focus(); }
}
