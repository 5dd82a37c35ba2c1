// /profile: my avatar, with upload and remove (CAMPFIRE.md 2.18). The server resizes it to 512 px;
// without one it draws my initials. Built once and kept, so the profile's re-renders (one comes
// with the avatar event itself) keep what the status line says.
import { h } from "../dom.js";
import { uploadAvatar, removeAvatar } from "../uploads.js";
import { avatarUrl } from "./avatar.js";

let control = null; // {el, picture, userId}

export function avatarControl(store) {
  const me = store.me;
  if (!me) return null;
  if (!control || control.userId !== me.id) {
    const picture = h("img", { class: "avatar large profile-avatar", alt: "Your avatar", width: 96, height: 96 });
    const status = h("span", { class: "form-status avatar-status", role: "status", "aria-live": "polite" });
    const input = h("input", { type: "file", class: "avatar-input", accept: "image/png,image/jpeg,image/gif,image/webp", "aria-label": "New avatar" });
    const act = async (work, done) => {
      status.textContent = "Saving…";
      const res = await work();
      status.textContent = res.ok ? done : `Not saved: ${res.message}`;
    };
    input.addEventListener("change", () => {
      const file = input.files?.[0];
      input.value = "";
      if (file) act(() => uploadAvatar(file), "Saved. It may take up to 30 minutes to change everywhere.");
    });
    const el = h("section", { class: "avatar-control" },
      h("h2", { text: "Avatar" }),
      picture,
      h("div", { class: "inline-form" },
        h("label", { class: "setting" }, "Upload a new avatar ", input),
        h("button", { type: "button", class: "link-button remove-avatar", text: "Remove avatar", onclick: () => act(removeAvatar, "Removed.") }),
        status));
    control = { el, picture, userId: me.id };
  }
  const src = avatarUrl(me.id) ?? `/api/users/${me.id}/avatar?v=0`;
  if (control.picture.getAttribute("src") !== src) control.picture.setAttribute("src", src);
  return control.el;
}
