// /users/:id: a person's public profile (CAMPFIRE.md 2.18): avatar, name, bio and a Ping button;
// "… is no longer on this account" once deactivated. Administrators also see the email, the
// person's sign-in link (2.3, how Campfire lets someone back in) and the Ban / Remove ban button,
// never on their own profile (2.21).
import * as api from "../api.js";
import { h, clear, append } from "../dom.js";
import { pageTitle } from "../page_title.js";
import { avatar } from "./avatar.js";
import { transferLinkSection } from "./transfer_link.js";

export class UserProfileView {
  constructor(store, { onPing, onToggleSidebar }) {
    this.store = store;
    this.onPing = onPing;
    this.userId = null;
    this.title = h("h1", { class: "room-title", text: "Profile" });
    this.body = h("div", { class: "profile-body user-profile" });
    this.el = h("section", { class: "room profile", hidden: true },
      h("header", { class: "room-head" },
        h("button", { type: "button", class: "icon-button menu", "aria-label": "Rooms", onclick: onToggleSidebar },
          h("span", { class: "burger", "aria-hidden": "true" })),
        this.title),
      this.body);
  }

  show(visible, userId = null) {
    this.el.hidden = !visible;
    if (!visible) return;
    this.userId = userId;
    this.load();
  }

  async load() {
    const id = this.userId;
    clear(this.body).append(h("p", { class: "muted", text: "Loading…" }));
    const res = await api.user(id);
    if (id !== this.userId || this.el.hidden) return;
    if (!res.ok) {
      this.title.textContent = "Profile";
      clear(this.body).append(h("p", { class: "error", text: res.status === 404 ? "There is nobody here." : res.message }));
      return;
    }
    this.render(res.body);
  }

  render(user) {
    const me = this.store.me;
    const admin = this.store.users.get(me?.id)?.role === "administrator" || me?.role === "administrator";
    const mine = user.id === me?.id;
    this.title.textContent = user.name;
    document.title = pageTitle(this.store, user.name);
    const picture = user.avatar_url
      ? h("img", { class: "avatar large", src: user.avatar_url, alt: "" })
      : avatar(user.id, user.name, "large");
    const banButton = admin && !mine && user.role !== "bot" && user.active !== undefined
      ? h("button", {
        type: "button", class: user.banned ? "unban" : "danger ban", text: user.banned ? "Remove ban" : "Ban",
        onclick: async () => {
          if (!user.banned && !window.confirm(`Ban ${user.name}? Their messages are deleted and their addresses can no longer post.`)) return;
          const res = user.banned ? await api.unbanUser(user.id) : await api.banUser(user.id);
          if (res.ok) this.load();
          else console.warn(`ban: ${res.code} ${res.message}`);
        },
      })
      : null;
    append(clear(this.body), [
      h("div", { class: "person-card" },
        picture,
        h("div", {},
          h("p", { class: "person-name", text: user.name }),
          user.bio ? h("p", { class: "person-bio", text: user.bio }) : null,
          admin && user.email ? h("p", { class: "person-email", text: user.email }) : null,
          user.banned ? h("p", { class: "person-banned", text: `${user.name} is banned.` }) : null,
          !user.active && !user.banned ? h("p", { class: "person-gone", text: `${user.name} is no longer on this account.` }) : null)),
      h("div", { class: "form-actions" },
        !mine && user.active && user.role !== "bot"
          ? h("button", { type: "button", class: "primary ping-person", text: "Ping", onclick: () => this.onPing(user.id) })
          : null,
        banButton),
      user.transfer_path && user.active && !mine
        ? transferLinkSection(user.id, `Send this link to ${user.name}: it signs them in without a password.`)
        : null,
    ]);
  }
}
