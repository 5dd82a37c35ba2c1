// /account/people: everyone on the account, administrators first (CAMPFIRE.md 2.19). An
// administrator can promote or demote (never themselves or a bot), deactivate (2.20) and ban or
// unban (2.21); everyone else sees the list. Pages of 500, as Campfire's.
import * as api from "../api.js";
import { h, clear, append } from "../dom.js";
import { pageTitle } from "../page_title.js";
import { avatar } from "./avatar.js";

export class PeopleView {
  constructor(store, { onOpenUser, onToggleSidebar }) {
    this.store = store;
    this.onOpenUser = onOpenUser;
    this.list = h("ul", { class: "people-list" });
    this.more = h("button", { type: "button", class: "link-button more-people", text: "More", hidden: true });
    this.nextPage = null;
    this.more.addEventListener("click", () => this.load(this.nextPage, false));
    this.el = h("section", { class: "room profile people", hidden: true },
      h("header", { class: "room-head" },
        h("button", { type: "button", class: "icon-button menu", "aria-label": "Rooms", onclick: onToggleSidebar },
          h("span", { class: "burger", "aria-hidden": "true" })),
        h("h1", { class: "room-title", text: "People" })),
      h("div", { class: "profile-body" }, this.list, this.more));
  }

  show(visible) {
    this.el.hidden = !visible;
    if (!visible) return;
    document.title = pageTitle(this.store, "People");
    this.load(1, true);
  }

  isAdmin() {
    const me = this.store.me;
    return (this.store.users.get(me?.id)?.role ?? me?.role) === "administrator";
  }

  async load(page, fresh) {
    const res = await api.people(page);
    if (this.el.hidden) return;
    if (fresh) clear(this.list);
    if (!res.ok) {
      this.list.append(h("li", { class: "error", text: res.message }));
      return;
    }
    append(this.list, res.body.users.map((u) => this.row(u)));
    this.nextPage = res.body.next_page;
    this.more.hidden = !this.nextPage;
  }

  row(user) {
    const mine = user.id === this.store.me?.id;
    const admin = this.isAdmin();
    const act = (label, cls, fn, confirmText) => h("button", {
      type: "button", class: `link-button ${cls}`, text: label,
      onclick: async () => {
        if (confirmText && !window.confirm(confirmText)) return;
        const res = await fn();
        if (!res.ok) console.warn(`${cls}: ${res.code} ${res.message}`);
        this.load(1, true);
      },
    });
    const banned = user.status === "banned";
    return h("li", { class: "person", "data-user": user.id, "data-role": user.role, "data-status": user.status ?? "active" },
      avatar(user.id, user.name, "small"),
      h("a", {
        href: `/users/${user.id}`, class: "person-link", text: user.name,
        onclick: (e) => { e.preventDefault(); this.onOpenUser(user.id); },
      }),
      h("span", { class: "person-role", text: banned ? "banned" : user.role }),
      admin && user.email ? h("span", { class: "person-email muted", text: user.email }) : null,
      admin && !mine ? h("span", { class: "person-actions" },
        banned ? null : user.role === "administrator"
          ? act("Demote", "demote", () => api.setRole(user.id, "member"))
          : act("Promote", "promote", () => api.setRole(user.id, "administrator")),
        banned
          ? act("Remove ban", "unban", () => api.unbanUser(user.id))
          : act("Ban", "ban", () => api.banUser(user.id), `Ban ${user.name}? Their messages are deleted.`),
        banned ? null : act("Deactivate", "deactivate", () => api.deactivateUser(user.id),
          `Deactivate ${user.name}? They are signed out everywhere and leave every room. This can't be undone.`)) : null);
  }
}
