// The bell: one button per membership that shows how I am notified and moves to the next level
// when pressed (CAMPFIRE.md 2.8). The new level comes back as InvolvementChanged; the button
// re-renders from the store.
import * as api from "../api.js";
import { h } from "../dom.js";
import { nextInvolvement, kInvolvementLabels } from "../rooms.js";

const kIcons = { mentions: "@", everything: "🔔", nothing: "🔕", invisible: "🙈" };

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
  }, h("span", { class: "bell-icon", "aria-hidden": "true", text: kIcons[room.involvement] ?? "🔔" }),
  h("span", { class: "bell-label", text: label }));
}
