// /profile: every room I am in — invisible ones included, so a hidden room can be brought back —
// each with its bell (CAMPFIRE.md 2.8, 2.18). The account's settings are on /account (views/account.js).
import { h, clear, append } from "../dom.js";
import { pageTitle } from "../page_title.js";
import { bellButton } from "./involvement.js";
import { sortedPings } from "../rooms.js";
import { pushControl } from "../push.js";
import { avatarControl } from "./avatar_control.js";

export class ProfileView {
  constructor(store, { onOpenRoom, onToggleSidebar }) {
    this.store = store;
    this.onOpenRoom = onOpenRoom;
    this.body = h("div", { class: "profile-body" });
    this.el = h("section", { class: "room profile", hidden: true },
      h("header", { class: "room-head" },
        h("button", { type: "button", class: "icon-button menu", "aria-label": "Rooms", onclick: onToggleSidebar },
          h("span", { class: "burger", "aria-hidden": "true" })),
        h("h1", { class: "room-title", text: "Your profile" })),
      this.body);
    store.subscribe((what) => {
      if (!this.el.hidden && (what === "rooms" || what === "all" || what === "account" || what === "users")) this.render();
    });
  }

  show(visible) {
    this.el.hidden = !visible;
    if (visible) {
      document.title = pageTitle(this.store, "Your profile");
      this.render();
    }
  }

  render() {
    const { store } = this;
    const me = store.me;
    if (!me) return;
    const all = [...store.rooms.values()].filter((r) => !r.needsDetails);
    const shared = all.filter((r) => r.kind !== "direct").sort((a, b) => a.name.localeCompare(b.name));
    const row = (room) => h("li", { class: "membership", "data-room": room.id },
      h("a", {
        href: `/rooms/${room.id}`, class: "membership-name", text: store.roomName(room.id),
        onclick: (e) => { e.preventDefault(); this.onOpenRoom(room.id); },
      }),
      bellButton(room));
    append(clear(this.body), [
      h("p", { class: "lead", text: `${me.name} · ${me.email ?? ""}` }),
      avatarControl(store),
      h("h2", { text: "Rooms" }),
      h("ul", { class: "membership-list" }, shared.map(row)),
      h("h2", { text: "Pings" }),
      h("ul", { class: "membership-list" }, sortedPings(all).map(row)),
      pushControl(),
    ]);
  }
}
