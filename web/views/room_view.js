// The room column: header (with the sidebar toggle on narrow screens), the offline banner, the
// timeline, who is typing, and the composer.
import { h } from "../dom.js";
import { MessageList } from "./message_list.js";
import { Composer } from "./composer.js";
import { MentionPicker } from "./mention_picker.js";
import { attachButton } from "./attach_button.js";
import { pageTitle } from "../page_title.js";

export class RoomView {
  // actions: what users do to messages (views/message_list.js); members(): the current room's
  // people, for @mentions.
  constructor(store, { onLoadOlder, onLoadNewer, onRetry, onSend, onTyping, onToggleSidebar, actions, members }) {
    this.store = store;
    this.title = h("h1", { class: "room-title" });
    this.controls = h("div", { class: "room-controls" }); // views/room_controls.js
    this.banner = h("div", { class: "offline-banner", role: "status", hidden: true },
      h("span", { class: "dot", "aria-hidden": "true" }), h("span", { text: "You are offline. Trying to reconnect…" }));
    this.messages = new MessageList(store, { onLoadOlder, onLoadNewer, onRetry, actions });
    this.typing = h("div", { class: "typing", "aria-live": "polite" });
    this.composer = new Composer({ onSend, onTyping, onEditLast: () => this.editLast() });
    this.composer.form.insertBefore(attachButton(store), this.composer.button); // a file is its own message
    this.mentions = new MentionPicker(this.composer, { members });
    this.el = h("section", { class: "room" },
      h("header", { class: "room-head" },
        h("button", { type: "button", class: "icon-button menu", "aria-label": "Rooms", onclick: onToggleSidebar },
          h("span", { class: "burger", "aria-hidden": "true" })),
        this.title,
        this.controls),
      this.banner,
      this.messages.el,
      this.typing,
      this.mentions.el,
      this.composer.el);
    store.subscribe((what, roomId) => {
      if ((what === "rooms" || what === "all" || what === "users" || what === "account") && !this.el.hidden) this.renderTitle();
      if (what === "typing" && roomId === store.currentRoom) this.renderTyping();
    });
    this.typingTimer = setInterval(() => this.renderTyping(), 1000); // notices expire
  }

  dispose() {
    clearInterval(this.typingTimer);
  }

  show(roomId, highlightId = null) {
    this.composer.el.hidden = roomId === null; // the "No rooms yet" page has nothing to post to
    this.renderTitle();
    this.messages.show(roomId, highlightId);
    this.renderTyping();
  }

  // ↑ in an empty composer: edit my last message in this room, if there is one.
  editLast() {
    const room = this.store.currentRoom;
    const last = room && this.store.me ? this.store.roomMessages(room).lastBy(this.store.me.id) : null;
    return last ? this.messages.startEdit(last.id) : false;
  }

  renderTitle() {
    const room = this.store.room(this.store.currentRoom);
    const name = room ? this.store.roomName(room.id) : "";
    this.title.textContent = room ? name : "No rooms yet";
    document.title = room ? pageTitle(this.store, name) : pageTitle(this.store);
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
