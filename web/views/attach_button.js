// The composer's attach button: pick a file, and it is uploaded to the room as its own message
// (CAMPFIRE.md 2.11). The message arrives through the socket like any other; until then the
// button says "Uploading…", and a refusal (too large, offline) is said next to it.
import { h } from "../dom.js";
import { newClientId } from "../client_id.js";
import { uploadAttachment } from "../uploads.js";

export function attachButton(store) {
  const input = h("input", { type: "file", class: "attach-input", hidden: true, "aria-label": "File to attach" });
  const status = h("span", { class: "attach-status", role: "status", "aria-live": "polite" });
  const button = h("button", {
    type: "button", class: "tool attach", "aria-label": "Attach a file", title: "Attach a file", text: "📎",
    onclick: () => input.click(),
  });
  input.addEventListener("change", async () => {
    const file = input.files?.[0];
    const room = store.currentRoom;
    input.value = "";
    if (!file || !room) return;
    button.disabled = true;
    status.textContent = `Uploading ${file.name}…`;
    const res = await uploadAttachment(room, file, newClientId());
    button.disabled = false;
    status.textContent = res.ok ? "" : `Not sent: ${res.message}`;
  });
  return h("span", { class: "attach-box" }, button, input, status);
}
