// A /play message on screen (CAMPFIRE.md 2.25): a 🔊 button that plays it, and its caption or
// image. While my post is on its way it reads "Playing <name>…".
import { h, clear } from "../dom.js";
import { soundName, soundOf } from "../sounds.js";
import { playSound } from "../sound_synth.js";

// Shows message `m` as a sound in its body element when it is one; answers whether it was.
export function renderSound(body, m) {
  const name = soundName(m.plain_text);
  if (!name) return false;
  clear(body);
  body.classList.add("sound");
  body.dataset.sound = name;
  if (m.pending) {
    body.append(h("span", { class: "sound-pending", text: `Playing ${name}…` }));
    return true;
  }
  const shows = soundOf(name);
  body.append(
    h("button", {
      type: "button", class: "sound-play", title: `/play ${name}`, "aria-label": `Play ${name}`,
      onclick: () => playSound(name),
    }, h("span", { "aria-hidden": "true", text: "🔊" })),
    shows.image
      ? h("img", { class: "sound-image", src: shows.image, width: shows.width, height: shows.height, alt: name })
      : h("span", { class: "sound-caption", text: shows.caption }));
  return true;
}
