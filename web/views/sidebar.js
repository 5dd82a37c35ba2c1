// The sidebar: the account's name, my rooms (unread in bold; invisible ones left out), my pings by
// latest activity, people I have no ping with yet, the invite link and who I am (CAMPFIRE.md 2.7).
import { h, clear, append } from "../dom.js";
import { avatar } from "./avatar.js";
import { sortedPings, pingPlaceholders } from "../rooms.js";

export class Sidebar {
  constructor(store, { onOpenRoom, onSignOut, onNewRoom, onNewPing, onPingUser, onOpenProfile, onOpenSearch, onOpenAccount }) {
    this.store = store;
    this.onOpenRoom = onOpenRoom;
    this.onSignOut = onSignOut;
    this.onNewRoom = onNewRoom;
    this.onNewPing = onNewPing;
    this.onPingUser = onPingUser;
    this.onOpenProfile = onOpenProfile;
    this.onOpenSearch = onOpenSearch;
    this.onOpenAccount = onOpenAccount;
    this.el = h("nav", { class: "sidebar", "aria-label": "Rooms" });
    store.subscribe((what) => {
      if (what === "rooms" || what === "all" || what === "account" || what === "users") this.render();
    });
    this.render();
  }

  // Campfire hides the "+" from non-administrators when creation is restricted (2.5).
  mayCreateRooms() {
    const { store } = this;
    return !store.account?.restrict_room_creation || store.me?.role === "administrator";
  }

  render() {
    const { store } = this;
    // A room whose kind and name are still being read (store.applyRoomDetails) waits, so a ping
    // never flashes up among the rooms.
    const all = [...store.rooms.values()].filter((r) => !r.needsDetails);
    const shared = all.filter((r) => r.kind !== "direct" && r.involvement !== "invisible");
    const pings = sortedPings(all);
    const placeholders = pingPlaceholders(all, [...store.users.values()], store.me?.id);
    const item = (room) => {
      const current = room.id === store.currentRoom;
      const name = store.roomName(room.id);
      return h("li", {},
        h("a", {
          href: `/rooms/${room.id}`, class: ["room-link", current && "current", room.unread && "unread"].filter(Boolean).join(" "),
          "aria-current": current ? "page" : null, "data-room": room.id, "data-kind": room.kind,
          onclick: (e) => { e.preventDefault(); this.onOpenRoom(room.id); },
        },
        room.kind === "direct"
          ? pingAvatars(room, store)
          : h("span", { class: "room-hash", "aria-hidden": "true", text: room.kind === "closed" ? "🔒" : "#" }),
        h("span", { class: "room-name", text: name })));
    };
    const placeholder = (user) => h("li", {},
      h("button", {
        type: "button", class: "room-link ping-placeholder", "data-user": user.id,
        title: `Ping ${user.name}`, onclick: () => this.onPingUser(user.id),
      }, avatar(user.id, user.name, "small"), h("span", { class: "room-name", text: user.name })));
    const me = store.me;
    const joinUrl = store.account?.join_code ? `${location.origin}/join/${store.account.join_code}` : null;
    append(clear(this.el), [
      h("header", { class: "sidebar-head" },
        h("span", { class: "brand-mark", "aria-hidden": "true" }),
        h("span", { class: "account-name", text: store.account?.name ?? "Hearth" }),
        h("a", {
          href: "/search", class: "search-link", title: "Search messages", "aria-label": "Search messages", text: "Search",
          onclick: (e) => { e.preventDefault(); this.onOpenSearch?.(); },
        })),
      h("div", { class: "sidebar-section" },
        h("h2", { class: "sidebar-label", text: "Rooms" }),
        this.mayCreateRooms()
          ? h("button", { type: "button", class: "icon-button add-room", title: "New room", "aria-label": "New room", text: "+", onclick: () => this.onNewRoom() })
          : null),
      h("ul", { class: "room-list rooms" }, shared.length ? shared.map(item) : h("li", { class: "empty", text: "No rooms yet" })),
      h("div", { class: "sidebar-section" },
        h("h2", { class: "sidebar-label", text: "Pings" }),
        h("button", { type: "button", class: "icon-button add-ping", title: "New ping", "aria-label": "New ping", text: "+", onclick: () => this.onNewPing() })),
      h("ul", { class: "room-list pings" }, pings.map(item), placeholders.map(placeholder)),
      joinUrl ? h("details", { class: "invite" },
        h("summary", { text: "Invite people" }),
        h("p", { text: "Anyone with this link can join:" }),
        h("input", { class: "invite-link", readonly: true, value: joinUrl, onfocus: (e) => e.target.select() }),
        h("a", {
          href: "/account", class: "account-link", text: "QR code and account settings",
          onclick: (e) => { e.preventDefault(); this.onOpenAccount?.(); },
        })) : null,
      me ? h("footer", { class: "sidebar-foot" },
        avatar(me.id, me.name, "small"),
        h("a", {
          href: "/profile", class: "me-name", text: me.name, title: "Your profile and rooms",
          onclick: (e) => { e.preventDefault(); this.onOpenProfile(); },
        }),
        h("a", {
          href: "/account", class: "account-settings-link", text: "Account", title: "The account's settings and join link",
          onclick: (e) => { e.preventDefault(); this.onOpenAccount?.(); },
        }),
        h("button", { type: "button", class: "link-button sign-out", text: "Sign out", onclick: () => this.onSignOut() })) : null,
    ]);
  }
}

// Up to 4 of the others' avatars (mine when I am alone in it), as Campfire's sidebar shows.
function pingAvatars(room, store) {
  const others = (room.member_ids ?? []).filter((id) => id !== store.me?.id);
  const shown = (others.length ? others : [store.me?.id]).slice(0, 4);
  return h("span", { class: "ping-avatars", "aria-hidden": "true" }, shown.map((id) => avatar(id, store.userName(id), "tiny")));
}
