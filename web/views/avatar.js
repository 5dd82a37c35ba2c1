// A person's avatar: their initials on a colour of their own (no uploads shown yet).
import { h } from "../dom.js";
import { initials, avatarHue } from "../format.js";

export function avatar(id, name, size = "") {
  const el = h("span", { class: `avatar ${size}`.trim(), "aria-hidden": "true", text: initials(name) });
  el.dataset.hue = String(avatarHue(id) % 12);
  return el;
}
