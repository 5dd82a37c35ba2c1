// /profile: my name, email, bio and password to edit (CAMPFIRE.md 2.18), sign-out, my "sign in on
// another device" link (2.3), "sign out everywhere else", and every room I am in — invisible ones included, so a hidden room
// can be brought back — each with its bell (2.8). The account's settings are on /account
// (views/account.js).
import * as api from "../api.js";
import { h, clear, append } from "../dom.js";
import { pageTitle } from "../page_title.js";
import { bellButton } from "./involvement.js";
import { sortedPings } from "../rooms.js";
import { pushControl } from "../push.js";
import { avatarControl } from "./avatar_control.js";
import { transferLinkSection } from "./transfer_link.js";
import { signOutElsewhereSection } from "./sign_out_elsewhere.js";

const kBioChars = 200;

export class ProfileView {
  constructor(store, { onOpenRoom, onToggleSidebar, onSignOut }) {
    this.store = store;
    this.onOpenRoom = onOpenRoom;
    this.onSignOut = onSignOut;
    this.editor = h("div", { class: "profile-editor" });  // built on show, not on every store change
    this.body = h("div", { class: "profile-body" });
    this.el = h("section", { class: "room profile", hidden: true },
      h("header", { class: "room-head" },
        h("button", { type: "button", class: "icon-button menu", "aria-label": "Rooms", onclick: onToggleSidebar },
          h("span", { class: "burger", "aria-hidden": "true" })),
        h("h1", { class: "room-title", text: "Your profile" })),
      this.editor,
      this.body);
    store.subscribe((what) => {
      if (!this.el.hidden && (what === "rooms" || what === "all" || what === "account" || what === "users")) this.render();
    });
  }

  show(visible) {
    this.el.hidden = !visible;
    if (visible) {
      document.title = pageTitle(this.store, "Your profile");
      this.buildEditor();
      this.render();
    }
  }

  // The form keeps what is typed: store changes re-render the rooms below, never this.
  buildEditor() {
    const me = this.store.me;
    clear(this.editor);
    if (!me) return;
    const field = (label, input) => h("label", { class: "field" }, h("span", { text: label }), input);
    const name = h("input", { name: "name", required: true, value: me.name ?? "", autocomplete: "name" });
    const email = h("input", { name: "email", type: "email", required: true, value: me.email ?? "", autocomplete: "email" });
    const bio = h("textarea", { name: "bio", maxlength: kBioChars, rows: 3 });
    bio.value = me.bio ?? "";
    const password = h("input", {
      name: "password", type: "password", maxlength: 72, autocomplete: "new-password", placeholder: "Leave blank to keep it",
    });
    const status = h("p", { class: "form-status", role: "status" });
    const form = h("form", {
      class: "profile-form",
      onsubmit: async (e) => {
        e.preventDefault();
        status.textContent = "Saving…";
        const res = await api.updateProfile({ name: name.value, email: email.value, bio: bio.value, password: password.value });
        if (!res.ok) {
          status.textContent = res.message ?? "Not saved";
          status.classList.add("error");
          return;
        }
        status.classList.remove("error");
        status.textContent = password.value ? "Saved. Your other browsers and devices were signed out." : "Saved";
        password.value = "";
        Object.assign(this.store.me, { name: name.value, email: email.value, bio: bio.value });
        this.render();
      },
    },
    field("Name", name), field("Email address", email), field("Bio", bio), field("New password", password),
    h("div", { class: "form-actions" },
      h("button", { type: "submit", class: "primary save-profile", text: "Save changes" }),
      h("button", { type: "button", class: "link-button profile-sign-out", text: "Sign out", onclick: () => this.onSignOut?.() })),
    status);
    append(this.editor, [
      h("nav", { class: "profile-links" },
        h("a", { href: `/users/${me.id}`, "data-route": "user", class: "public-profile-link", text: "Your public profile" }),
        " · ",
        h("a", { href: "/account/people", "data-route": "people", class: "people-link", text: "Everyone on this account" })),
      form,
      transferLinkSection(me.id, "Open this link on your other device to sign in there as you."),
      signOutElsewhereSection(),
    ]);
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
