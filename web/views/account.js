// /account: the account's settings (CAMPFIRE.md 2.2, 2.17). Everyone sees the logo, the name, the
// join link with its copy button and QR code, and whether room creation is restricted; only
// administrators get the controls (rename, regenerate the link, the restriction, custom CSS). The
// server refuses the same to everyone else (server/api/account_routes.cc); hiding them is courtesy.
//
// The page is built once per showing and then filled in place from GET /api/account, again after
// each account event, so a field being edited is never overwritten under the cursor.
import * as api from "../api.js";
import { h, clear, append } from "../dom.js";
import { qrCodePath } from "../base64url.js";
import { pageTitle } from "../page_title.js";
import { logoControl } from "./logo_control.js";

export class AccountView {
  constructor(store, { onToggleSidebar }) {
    this.store = store;
    this.body = h("div", { class: "profile-body account-body" });
    this.heading = h("h1", { class: "room-title", text: "Account" });
    this.el = h("section", { class: "room account", hidden: true },
      h("header", { class: "room-head" },
        h("button", { type: "button", class: "icon-button menu", "aria-label": "Rooms", onclick: onToggleSidebar },
          h("span", { class: "burger", "aria-hidden": "true" })),
        this.heading),
      this.body);
    this.fields = null;
    this.builtFor = null; // the role the page was built for
    store.subscribe((what) => {
      if (this.el.hidden) return;
      if (what === "account" || what === "all") this.load();
    });
  }

  show(visible) {
    this.el.hidden = !visible;
    if (visible) {
      document.title = pageTitle(this.store, "Account");
      this.load();
    }
  }

  isAdmin() { return this.store.me?.role === "administrator"; }

  async load() {
    const res = await api.account();
    if (this.el.hidden) return;
    if (!res.ok) {
      append(clear(this.body), [h("p", { class: "form-error", role: "alert", text: res.message })]);
      this.fields = null;
      return;
    }
    if (!this.fields || this.builtFor !== this.isAdmin()) this.build();
    this.fill(res.body);
  }

  build() {
    const admin = this.isAdmin();
    this.builtFor = admin;
    const f = {};
    f.name = admin
      ? h("input", { class: "account-name-input", name: "name", type: "text", required: true, maxlength: 255, "aria-label": "Account name" })
      : h("p", { class: "account-name-text" });
    f.nameStatus = h("span", { class: "form-status", role: "status" });
    f.joinLink = h("input", { class: "join-link", readonly: true, "aria-label": "Join link", onfocus: (e) => e.target.select() });
    f.copyStatus = h("span", { class: "form-status", role: "status" });
    f.qr = h("img", { class: "join-qr", alt: "QR code of the join link", width: 160, height: 160 });
    f.restrict = h("input", { type: "checkbox", class: "restrict-rooms", disabled: !admin, onchange: (e) => this.setRestriction(e.target) });
    f.css = admin ? h("textarea", { class: "custom-css", name: "css", rows: 8, spellcheck: false, "aria-label": "Custom CSS" }) : null;
    f.cssStatus = h("span", { class: "form-status", role: "status" });
    this.fields = f;

    append(clear(this.body), [
      h("h2", { text: "Logo" }),
      h("div", { class: "account-logo" },
        h("img", { class: "account-logo-image", src: "/account/logo", alt: "The account's logo", width: 96, height: 96 }),
        // The logo upload control goes here (the files part of the client fills it).
        h("div", { id: "account-logo-upload" }, logoControl(this.store))),
      h("h2", { text: "Name" }),
      admin
        ? h("form", { class: "account-rename inline-form", onsubmit: (e) => { e.preventDefault(); this.rename(); } },
          f.name, h("button", { type: "submit", class: "primary", text: "Save name" }), f.nameStatus)
        : f.name,
      h("h2", { text: "Invite people" }),
      h("p", { text: "Anyone with this link can join and is added to every open room." }),
      h("div", { class: "inline-form" }, f.joinLink,
        h("button", { type: "button", class: "copy-join-link", text: "Copy", onclick: () => this.copy() }),
        admin ? h("button", { type: "button", class: "regenerate-join-link", text: "Regenerate", onclick: () => this.regenerate() }) : null,
        f.copyStatus),
      f.qr,
      h("h2", { text: "Rooms" }),
      h("label", { class: "setting" }, f.restrict, " Must be an administrator to create new rooms"),
      admin ? [
        h("h2", { text: "Custom CSS" }),
        h("p", { text: "Added to every page, sign-in included." }),
        h("form", { class: "custom-css-form", onsubmit: (e) => { e.preventDefault(); this.saveCss(); } },
          f.css, h("div", { class: "inline-form" }, h("button", { type: "submit", class: "primary", text: "Save CSS" }), f.cssStatus)),
      ] : null,
      h("h2", { text: "People and bots" }),
      h("ul", { class: "account-links" },
        h("li", {}, h("a", { href: "/account/people", class: "account-people-link", text: "People on this account" })),
        admin ? h("li", {}, h("a", { href: "/account/bots", class: "account-bots-link", text: "Bots" })) : null),
    ]);
  }

  fill(account) {
    const f = this.fields;
    this.account = account;
    if (f.name instanceof HTMLInputElement) {
      if (document.activeElement !== f.name) f.name.value = account.name;
    } else f.name.textContent = account.name;
    const url = `${location.origin}${account.join_path}`;
    f.joinLink.value = url;
    f.qr.src = qrCodePath(url);
    f.restrict.checked = Boolean(account.restrict_room_creation);
    if (f.css && document.activeElement !== f.css && !f.css.dataset.dirty) f.css.value = account.custom_css;
    if (f.css) f.css.oninput = () => { f.css.dataset.dirty = "1"; };
    document.title = pageTitle(this.store, "Account");
  }

  async rename() {
    const f = this.fields;
    const res = await api.renameAccount(f.name.value);
    f.nameStatus.textContent = res.ok ? "Saved." : res.message;
    f.name.blur();
  }

  async copy() {
    const f = this.fields;
    try {
      await navigator.clipboard.writeText(f.joinLink.value);
      f.copyStatus.textContent = "Copied.";
    } catch {
      f.joinLink.focus(); // no clipboard permission (plain http, or refused): selected for ⌘C
      f.copyStatus.textContent = "Press Ctrl+C (⌘C) to copy.";
    }
  }

  async regenerate() {
    if (!window.confirm("Make a new join link? The current one stops working at once.")) return;
    const res = await api.resetJoinCode();
    this.fields.copyStatus.textContent = res.ok ? "A new link is ready; the old one no longer works." : res.message;
    if (res.ok) this.load();
  }

  async setRestriction(box) {
    const res = await api.setAccountSettings({ restrict_room_creation_to_administrators: box.checked });
    if (!res.ok) {
      box.checked = !box.checked;
      console.warn(`settings: ${res.code} ${res.message}`);
    }
  }

  async saveCss() {
    const f = this.fields;
    const res = await api.setCustomStyles(f.css.value);
    f.cssStatus.textContent = res.ok ? "Saved." : res.message;
    if (res.ok) delete f.css.dataset.dirty;
  }
}
