// @mention autocomplete (Campfire 2.14): typing `@` in the composer lists the room's members whose
// name contains what follows (case-insensitive, at most 20); ↑/↓ choose, Enter or Tab inserts,
// Esc closes. It talks to the composer only through mentionQuery() and insertMention({id, name}).
import { h, clear } from "../dom.js";
import { avatar } from "./avatar.js";

const kMaxShown = 20;

export class MentionPicker {
  // members(): [{id, name}] of the current room.
  constructor(composer, { members }) {
    this.composer = composer;
    this.members = members;
    this.items = [];
    this.active = 0;
    this.el = h("ul", { class: "mention-picker", role: "listbox", "aria-label": "People to mention", hidden: true });
    const input = composer.input;
    input.addEventListener("input", () => this.update());
    input.addEventListener("blur", () => setTimeout(() => this.close(), 150));
    // Capture: on the input itself these run before the composer's own keys (Enter would send).
    input.addEventListener("keydown", (e) => this.keydown(e), { capture: true });
  }

  update() {
    const q = this.composer.mentionQuery();
    if (!q) return this.close();
    const needle = q.query.toLowerCase();
    this.items = this.members()
      .filter((u) => u.name.toLowerCase().includes(needle))
      .sort((a, b) => a.name.localeCompare(b.name))
      .slice(0, kMaxShown);
    if (!this.items.length) return this.close();
    this.active = Math.min(this.active, this.items.length - 1);
    this.render();
  }

  render() {
    clear(this.el);
    this.items.forEach((u, i) => {
      this.el.append(h("li", {
        role: "option", class: `mention-option${i === this.active ? " active" : ""}`, "aria-selected": String(i === this.active),
        "data-user-id": String(u.id),
        onmousedown: (e) => { e.preventDefault(); this.pick(u); },
      }, avatar(u.id, u.name, "tiny"), h("span", { text: u.name })));
    });
    this.el.hidden = false;
  }

  close() {
    this.el.hidden = true;
    this.items = [];
    this.active = 0;
  }

  pick(user) {
    this.close();
    this.composer.insertMention({ id: user.id, name: user.name });
  }

  keydown(e) {
    if (this.el.hidden || !this.items.length) return;
    const move = (d) => {
      this.active = (this.active + d + this.items.length) % this.items.length;
      this.render();
    };
    if (e.key === "ArrowDown") move(1);
    else if (e.key === "ArrowUp") move(-1);
    else if (e.key === "Enter" || e.key === "Tab") this.pick(this.items[this.active]);
    else if (e.key === "Escape") this.close();
    else return;
    e.preventDefault();
    e.stopImmediatePropagation();
  }
}
