// The bell: one button per membership that shows how I am notified and moves to the next level
// when pressed (CAMPFIRE.md 2.8). The new level comes back as InvolvementChanged; the button
// re-renders from the store.
import * as api from "../api.js";
import { h } from "../dom.js";
import { nextInvolvement, kInvolvementLabels } from "../rooms.js";

const kSvg = "http://www.w3.org/2000/svg";

// A bell drawn as SVG (an emoji bell is missing from many fonts), struck through when off; "@"
// for mentions.
function icon(involvement) {
  if (involvement === "mentions") return h("span", { class: "bell-icon", "aria-hidden": "true", text: "@" });
  const svg = document.createElementNS(kSvg, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("class", "bell-icon");
  svg.setAttribute("aria-hidden", "true");
  const paths = ["M8 1.5a4 4 0 0 0-4 4v3L2.5 11h11L12 8.5v-3a4 4 0 0 0-4-4z", "M6.5 12.5a1.5 1.5 0 0 0 3 0"];
  if (involvement !== "everything") paths.push("M2 2l12 12");
  for (const d of paths) {
    const path = document.createElementNS(kSvg, "path");
    path.setAttribute("d", d);
    svg.append(path);
  }
  return svg;
}

export function bellButton(room) {
  const label = kInvolvementLabels[room.involvement] ?? room.involvement;
  return h("button", {
    type: "button", class: `bell bell-${room.involvement}`, title: label, "aria-label": label,
    "data-involvement": room.involvement, "data-room": room.id,
    onclick: async (e) => {
      const button = e.currentTarget;
      button.disabled = true;
      const res = await api.setInvolvement(room.id, nextInvolvement(room.kind, room.involvement));
      button.disabled = false;
      if (!res.ok) console.warn(`involvement: ${res.code} ${res.message}`);
    },
  }, icon(room.involvement), h("span", { class: "bell-label", text: label }));
}
