// The composer: Enter sends, Shift+Enter is a new line, Esc clears. Disabled while offline
// (Campfire 4.3), and says why. Typing notices: at most one `active` per second while there is
// text, one `inactive` when it is emptied or sent (Campfire 2.10). ↑ in an empty composer edits
// your last message (2.11). Mentions (2.14) are inserted by views/mention_picker.js through
// mentionQuery()/insertMention(), and sent as user ids; a reply (2.11) through insertQuote().
import { h } from "../dom.js";

export class Composer {
  constructor({ onSend, onTyping, onEditLast }) {
    this.onSend = onSend;
    this.onTyping = onTyping;
    this.onEditLast = onEditLast;
    this.mentions = new Map(); // "@Name" → user id, for the mentions inserted since the last send
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
    if (e.key === "ArrowUp" && this.input.value === "" && !e.isComposing && this.onEditLast?.()) {
      e.preventDefault();
    } else if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
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
    const mentions = [...new Set([...this.mentions].filter(([label]) => text.includes(label)).map(([, id]) => id))];
    this.onSend(text, mentions);
    this.clear();
  }

  // The `@query` being typed just before the caret, or null.
  mentionQuery() {
    const before = this.input.value.slice(0, this.input.selectionStart);
    const m = /(?:^|\s)@([^\s@]{0,30})$/.exec(before);
    return m ? { query: m[1] } : null;
  }

  // Replaces the `@query` before the caret with the person's mention.
  insertMention({ id, name }) {
    const q = this.mentionQuery();
    const end = this.input.selectionStart;
    const start = q ? end - q.query.length - 1 : end;
    const label = `@${name}`;
    this.input.setRangeText(`${label} `, start, end, "end");
    this.mentions.set(label, id);
    this.input.dispatchEvent(new Event("input"));
    this.focus();
  }

  // A reply: the quoted text, then who wrote it and a link to it.
  insertQuote({ text, author, href }) {
    const quoted = text.split("\n").map((line) => `> ${line}`).join("\n");
    const lead = this.input.value && !this.input.value.endsWith("\n") ? "\n" : "";
    this.input.setRangeText(`${lead}${quoted}\n— ${author} ${href}\n`, this.input.value.length, this.input.value.length, "end");
    this.input.dispatchEvent(new Event("input"));
    this.focus();
  }

  clear() {
    this.mentions.clear();
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

  // The room is being left: whoever saw this user typing there is told it stopped.
  stopTyping() {
    if (!this.typingActive) return;
    this.typingActive = false;
    this.onTyping(false);
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
