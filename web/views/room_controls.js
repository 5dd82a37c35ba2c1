// The room header's own controls: the bell of my membership and the room's settings (or, for a
// ping, its participants and delete). Rendered into RoomView's `controls` slot.
import { h, clear, append } from "../dom.js";
import { bellButton } from "./involvement.js";

export class RoomControls {
  constructor(store, el, { onSettings }) {
    this.store = store;
    this.el = el;
    this.onSettings = onSettings;
    store.subscribe((what) => {
      if (what === "rooms" || what === "all" || what === "users") this.render();
    });
    this.render();
  }

  render() {
    const room = this.store.room(this.store.currentRoom);
    clear(this.el);
    if (!room) return;
    append(this.el, [
      bellButton(room),
      h("button", {
        type: "button", class: "icon-button room-settings", text: "⚙",
        title: room.kind === "direct" ? "Ping settings" : "Room settings",
        "aria-label": room.kind === "direct" ? "Ping settings" : "Room settings",
        onclick: () => this.onSettings(room.id),
      }),
    ]);
  }
}
