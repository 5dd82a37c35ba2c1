// The room column: header (with the sidebar toggle on narrow screens), the offline banner, the
// timeline, who is typing, and the composer.
import { h } from "../dom.js";
import { MessageList } from "./message_list.js";
import { Composer } from "./composer.js";

export class RoomView {
  constructor(store, { onLoadOlder, onRetry, onSend, onTyping, onToggleSidebar }) {
    this.store = store;
    this.title = h("h1", { class: "room-title" });
    this.controls = h("div", { class: "room-controls" }); // views/room_controls.js
    this.banner = h("div", { class: "offline-banner", role: "status", hidden: true },
      h("span", { class: "dot", "aria-hidden": "true" }), h("span", { text: "You are offline. Trying to reconnect…" }));
    this.messages = new MessageList(store, { onLoadOlder, onRetry });
    this.typing = h("div", { class: "typing", "aria-live": "polite" });
    this.composer = new Composer({ onSend, onTyping });
    this.el = h("section", { class: "room" },
      h("header", { class: "room-head" },
        h("button", { type: "button", class: "icon-button menu", "aria-label": "Rooms", onclick: onToggleSidebar },
          h("span", { class: "burger", "aria-hidden": "true" })),
        this.title,
        this.controls),
      this.banner,
      this.messages.el,
      this.typing,
      this.composer.el);
    store.subscribe((what, roomId) => {
      if (what === "rooms" || what === "all" || what === "users") this.renderTitle();
      if (what === "typing" && roomId === store.currentRoom) this.renderTyping();
    });
    this.typingTimer = setInterval(() => this.renderTyping(), 1000); // notices expire
  }

  dispose() {
    clearInterval(this.typingTimer);
  }

  show(roomId) {
    this.composer.el.hidden = roomId === null; // the "No rooms yet" page has nothing to post to
    this.renderTitle();
    this.messages.show(roomId);
    this.renderTyping();
  }

  renderTitle() {
    const room = this.store.room(this.store.currentRoom);
    const name = room ? this.store.roomName(room.id) : "";
    this.title.textContent = room ? name : "No rooms yet";
    document.title = room ? `${name} · Hearth` : "Hearth";
  }

  renderTyping() {
    const names = this.store.currentRoom ? this.store.typingNames(this.store.currentRoom) : [];
    this.typing.textContent = names.length ? `${names.join(", ")} ${names.length === 1 ? "is" : "are"} typing…` : "";
  }

  setOffline(offline) {
    this.banner.hidden = !offline;
    this.composer.setOffline(offline);
  }
}
