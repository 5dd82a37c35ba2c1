// The account's logo upload, for administrators (CAMPFIRE.md 2.17), in the /account page's
// #account-logo-upload: upload (the server makes 512 and 192 px PNGs) and remove (the stock logo
// shows again). The page's own <img class="account-logo-image"> is reloaded after each change.
import { h } from "../dom.js";
import { uploadLogo, removeLogo } from "../uploads.js";

export function logoControl(store) {
  if (store.me?.role !== "administrator") return null;
  const status = h("span", { class: "form-status logo-status", role: "status" });
  const input = h("input", { type: "file", class: "logo-input", accept: "image/png,image/jpeg,image/gif,image/webp", "aria-label": "New logo" });
  const act = async (work, done) => {
    status.textContent = "Saving…";
    const res = await work();
    status.textContent = res.ok ? done : `Not saved: ${res.message}`;
    if (res.ok) {
      for (const img of document.querySelectorAll("img.account-logo-image")) img.src = `/account/logo?v=${res.body?.seq ?? Date.now()}`;
    }
  };
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    input.value = "";
    if (file) act(() => uploadLogo(file), "Saved.");
  });
  return h("div", { class: "logo-control inline-form" },
    h("label", { class: "setting" }, "Upload a new logo ", input),
    h("button", { type: "button", class: "link-button remove-logo", text: "Remove logo", onclick: () => act(removeLogo, "Removed.") }),
    status);
}
