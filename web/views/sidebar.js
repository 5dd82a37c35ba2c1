// The sidebar: the account's name, my rooms (unread in bold), the invite link and who I am.
import { h, clear, append } from "../dom.js";
import { avatar } from "./avatar.js";

export class Sidebar {
  constructor(store, { onOpenRoom, onSignOut }) {
    this.store = store;
    this.onOpenRoom = onOpenRoom;
    this.onSignOut = onSignOut;
    this.el = h("nav", { class: "sidebar", "aria-label": "Rooms" });
    store.subscribe((what) => {
      if (what === "rooms" || what === "all" || what === "account" || what === "users") this.render();
    });
    this.render();
  }

  render() {
    const { store } = this;
    const rooms = [...store.rooms.values()].filter((r) => r.involvement !== "invisible");
    const open = rooms.filter((r) => r.kind !== "direct");
    const direct = rooms.filter((r) => r.kind === "direct");
    const item = (room) => {
      const current = room.id === store.currentRoom;
      return h("li", {},
        h("a", {
          href: `/rooms/${room.id}`, class: ["room-link", current && "current", room.unread && "unread"].filter(Boolean).join(" "),
          "aria-current": current ? "page" : null, "data-room": room.id,
          onclick: (e) => { e.preventDefault(); this.onOpenRoom(room.id); },
        }, h("span", { class: "room-hash", "aria-hidden": "true", text: room.kind === "closed" ? "🔒" : "#" }),
        h("span", { class: "room-name", text: room.name })));
    };
    const me = store.me;
    const joinUrl = store.account?.join_code ? `${location.origin}/join/${store.account.join_code}` : null;
    append(clear(this.el), [
      h("header", { class: "sidebar-head" },
        h("span", { class: "brand-mark", "aria-hidden": "true" }),
        h("span", { class: "account-name", text: store.account?.name ?? "Hearth" })),
      h("h2", { class: "sidebar-label", text: "Rooms" }),
      h("ul", { class: "room-list" }, open.length ? open.map(item) : h("li", { class: "empty", text: "No rooms yet" })),
      direct.length ? [h("h2", { class: "sidebar-label", text: "Pings" }), h("ul", { class: "room-list" }, direct.map(item))] : null,
      joinUrl ? h("details", { class: "invite" },
        h("summary", { text: "Invite people" }),
        h("p", { text: "Anyone with this link can join:" }),
        h("input", { class: "invite-link", readonly: true, value: joinUrl, onfocus: (e) => e.target.select() })) : null,
      me ? h("footer", { class: "sidebar-foot" },
        avatar(me.id, me.name, "small"),
        h("span", { class: "me-name", text: me.name }),
        h("button", { type: "button", class: "link-button sign-out", text: "Sign out", onclick: () => this.onSignOut() })) : null,
    ]);
  }
}
