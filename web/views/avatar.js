// A person's avatar: the picture they uploaded, served by the server, or else their initials on a
// colour of their own, drawn here (no request per face). URLs come from bootstrap and from avatar
// events (store.js calls setAvatarUrl); "?v=0" means no upload (the server would draw the initials).
import { h } from "../dom.js";
import { initials, avatarHue } from "../format.js";

const urls = new Map(); // user id → avatar URL (with its ?v=)

export function setAvatarUrl(id, url) {
  if (url) urls.set(id, url);
}
export const avatarUrl = (id) => urls.get(id) ?? null;

export function avatar(id, name, size = "") {
  const url = urls.get(id);
  if (url && !url.endsWith("?v=0")) return h("img", { class: `avatar ${size}`.trim(), src: url, alt: "", "aria-hidden": "true", loading: "lazy" });
  const el = h("span", { class: `avatar ${size}`.trim(), "aria-hidden": "true", text: initials(name) });
  el.dataset.hue = String(avatarHue(id) % 12);
  return el;
}
