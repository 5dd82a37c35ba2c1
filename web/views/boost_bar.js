// A message's boosts (Campfire 2.12): each shows its booster and its content; the booster alone
// gets a remove button. The picker offers the 8 quick emoji and free text of at most 16 characters
// with a non-space (the server checks again: this is only the form).
import { h } from "../dom.js";
import { avatar } from "./avatar.js";

export const kQuickBoosts = Object.freeze([
  ["👍", "Thumbs up"], ["👏", "Clapping"], ["👋", "Waving hand"], ["💪", "Muscle"],
  ["❤️", "Red heart"], ["😂", "Face with tears of joy"], ["🎉", "Party popper"], ["🔥", "Fire"],
]);
export const kBoostMaxChars = 16;

// True when `text` is a boost the server accepts: a non-space, at most 16 characters.
export function validBoost(text) {
  return /\S/.test(text) && [...text].length <= kBoostMaxChars;
}

// The list under a message; null when it has none.
export function boostList(store, message, { onRemove }) {
  const boosts = message.boosts ?? [];
  if (!boosts.length) return null;
  return h("ul", { class: "boosts", "aria-label": "Boosts" }, boosts.map((b) => {
    const name = store.userName(b.booster_id);
    const mine = store.me && b.booster_id === store.me.id;
    return h("li", { class: `boost${mine ? " mine" : ""}`, title: `${name}: ${b.content}`, "data-boost-id": String(b.id) },
      avatar(b.booster_id, name, "tiny"),
      h("span", { class: "boost-booster", text: name }),
      h("span", { class: "boost-content", text: b.content }),
      mine ? h("button", {
        type: "button", class: "boost-remove", "aria-label": `Remove boost ${b.content}`, text: "×",
        onclick: () => onRemove(message, b),
      }) : null);
  }));
}

// The picker, opened from a message's menu. onPick(content) sends the boost; onClose hides it.
export function boostPicker({ onPick, onClose }) {
  const input = h("input", {
    type: "text", class: "boost-text", maxlength: String(kBoostMaxChars * 2), placeholder: "Or type a boost",
    "aria-label": "Boost text", autocomplete: "off",
  });
  const add = h("button", { type: "submit", class: "boost-add", text: "Boost", disabled: true });
  const pick = (content) => { onPick(content); onClose(); };
  input.addEventListener("input", () => { add.disabled = !validBoost(input.value); });
  const form = h("form", { class: "boost-picker", role: "dialog", "aria-label": "Boost" },
    h("div", { class: "boost-emoji" }, kQuickBoosts.map(([emoji, label]) =>
      h("button", { type: "button", class: "boost-quick", "aria-label": label, title: label, text: emoji, onclick: () => pick(emoji) }))),
    h("div", { class: "boost-free" }, input, add));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (validBoost(input.value)) pick(input.value.trim());
  });
  form.addEventListener("keydown", (e) => {
    if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); onClose(); }
  });
  return { el: form, focus: () => input.focus() };
}
