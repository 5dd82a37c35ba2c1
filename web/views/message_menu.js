// A message's menu (Campfire 2.11/2.12): boost, reply, copy its permalink, and — for its author or
// an administrator — edit (the pencil) and delete. One menu is open at a time; Esc or a click
// elsewhere closes it.
import { h } from "../dom.js";

let openMenu = null; // {button, menu}

function close() {
  if (!openMenu) return;
  openMenu.menu.hidden = true;
  openMenu.button.setAttribute("aria-expanded", "false");
  openMenu = null;
}

document.addEventListener("click", (e) => {
  if (openMenu && !openMenu.menu.contains(e.target) && !openMenu.button.contains(e.target)) close();
});
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && openMenu) {
    const { button } = openMenu;
    close();
    button.focus();
  }
});

// `actions`: {onBoost, onReply, onCopyLink, onEdit, onDelete}, each called with the message.
export function messageMenu(message, mayChange, actions) {
  const item = (label, cls, fn) => h("button", {
    type: "button", role: "menuitem", class: `menu-item menu-${cls}`, text: label,
    onclick: () => { close(); fn(message); },
  });
  const menu = h("div", { class: "message-menu", role: "menu", hidden: true },
    item("Boost", "boost", actions.onBoost),
    item("Reply", "reply", actions.onReply),
    item("Copy link", "copy-link", actions.onCopyLink),
    mayChange ? item("✎ Edit", "edit", actions.onEdit) : null,
    mayChange ? item("Delete", "delete", actions.onDelete) : null);
  const button = h("button", {
    type: "button", class: "message-menu-button", "aria-label": "Message actions", "aria-haspopup": "menu",
    "aria-expanded": "false", text: "⋯",
    onclick: () => {
      const wasOpen = openMenu?.menu === menu;
      close();
      if (wasOpen) return;
      menu.hidden = false;
      button.setAttribute("aria-expanded", "true");
      openMenu = { button, menu };
      menu.querySelector("button")?.focus();
    },
  });
  return h("div", { class: "message-actions" }, button, menu);
}
