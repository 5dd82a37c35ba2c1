// The room dialogs: a new room (open, or closed with chosen members), a room's settings (rename,
// convert, revise members, delete; CAMPFIRE.md 2.5, 2.6), a ping's participants and delete (2.7),
// and the picker that starts a ping. Each is a modal <dialog>; what it changes comes back through
// the event stream, so a dialog only sends and reports refusals.
import * as api from "../api.js";
import { newClientId } from "../client_id.js";
import { h } from "../dom.js";
import { avatar } from "./avatar.js";

export const kDeleteRoomQuestion = "Are you sure you want to delete this room and all messages in it? This can't be undone.";
export const kDeletePingQuestion = "Are you sure you want to delete this ping and all messages in it? This can't be undone.";

function modal(title, ...body) {
  const dialog = h("dialog", { class: "modal", "aria-label": title },
    h("h2", { class: "modal-title", text: title }), ...body);
  dialog.addEventListener("close", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

// Active people and bots (Campfire's pickers include bots), me first and checked.
function memberPicker(store, checked) {
  const people = [...store.users.values()].filter((u) => !u.deactivated)
    .sort((a, b) => (a.id === store.me.id ? -1 : b.id === store.me.id ? 1 : a.name.localeCompare(b.name)));
  return h("fieldset", { class: "member-picker" },
    h("legend", { text: "Who is in it" }),
    people.map((u) => h("label", { class: "member-option" },
      h("input", { type: "checkbox", name: "member", value: String(u.id), checked: checked.has(u.id) }),
      avatar(u.id, u.name, "tiny"),
      h("span", { text: u.id === store.me.id ? `${u.name} (you)` : u.name }))));
}

const pickedIds = (form) => [...form.querySelectorAll("input[name=member]:checked")].map((i) => Number(i.value));

function errorLine() {
  return h("p", { class: "form-error", role: "alert", hidden: true });
}
function showError(el, res) {
  el.hidden = false;
  el.textContent = res.message ?? "That did not work.";
}

// Open or closed, a name, and for closed the members. `onCreated(id)` opens it.
export function showNewRoom(store, onCreated) {
  const error = errorLine();
  const picker = memberPicker(store, new Set([store.me.id]));
  const form = h("form", { class: "modal-form" },
    h("label", { class: "field" }, "Name", h("input", { name: "name", value: "New room", required: true, maxlength: 255 })),
    h("fieldset", { class: "kind-choice" },
      h("legend", { text: "Who can join" }),
      h("label", {}, h("input", { type: "radio", name: "kind", value: "open", checked: true }), " Everyone (open room)"),
      h("label", {}, h("input", { type: "radio", name: "kind", value: "closed" }), " Only the people I choose (closed room)")),
    picker, error,
    h("div", { class: "modal-actions" },
      h("button", { type: "button", class: "link-button", text: "Cancel", onclick: () => dialog.close() }),
      h("button", { type: "submit", class: "primary", text: "Create room" })));
  const syncKind = () => { picker.hidden = form.elements.kind.value !== "closed"; };
  form.addEventListener("change", syncKind);
  syncKind();
  const clientId = newClientId(); // one per dialog: submitting again after a lost answer is the same room
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const kind = form.elements.kind.value;
    const body = { kind, name: form.elements.name.value, client_id: clientId };
    if (kind === "closed") body.user_ids = pickedIds(form);
    const res = await api.createRoom(body);
    if (!res.ok) return showError(error, res);
    dialog.close();
    onCreated(res.body.id);
  });
  const dialog = modal("New room", form);
  form.elements.name.select();
  return dialog;
}

// A shared room's settings for its creator or an administrator (others see who is in it); a
// ping's participants and its delete button for any participant.
export async function showRoomSettings(store, roomId) {
  const res = await api.room(roomId);
  if (!res.ok) return null;
  const room = res.body;
  const me = store.me;
  const error = errorLine();
  const memberList = h("ul", { class: "member-list" },
    room.members.map((m) => h("li", {}, avatar(m.id, m.name, "tiny"), h("span", { text: m.name }))));
  if (room.kind === "direct") {
    const dialog = modal(store.roomName(roomId) || "Ping", memberList, error,
      h("div", { class: "modal-actions" },
        h("button", { type: "button", class: "link-button", text: "Close", onclick: () => dialog.close() }),
        h("button", {
          type: "button", class: "danger delete-room", text: "Delete ping",
          onclick: async () => {
            if (!window.confirm(kDeletePingQuestion)) return;
            const del = await api.deleteRoom(roomId);
            if (!del.ok) return showError(error, del);
            dialog.close();
          },
        })));
    return dialog;
  }
  const mayAdminister = room.creator_id === me.id || me.role === "administrator";
  if (!mayAdminister) {
    const dialog = modal(room.name, h("p", { class: "lead", text: "Only the room's creator or an administrator can change it." }),
      memberList, h("div", { class: "modal-actions" },
        h("button", { type: "button", class: "link-button", text: "Close", onclick: () => dialog.close() })));
    return dialog;
  }
  const picker = memberPicker(store, new Set(room.members.map((m) => m.id)));
  const form = h("form", { class: "modal-form" },
    h("label", { class: "field" }, "Name", h("input", { name: "name", value: room.name, required: true, maxlength: 255 })),
    h("fieldset", { class: "kind-choice" },
      h("legend", { text: "Who can join" }),
      h("label", {}, h("input", { type: "radio", name: "kind", value: "open", checked: room.kind === "open" }), " Everyone (open room)"),
      h("label", {}, h("input", { type: "radio", name: "kind", value: "closed", checked: room.kind === "closed" }), " Only the people I choose (closed room)")),
    picker, error,
    h("div", { class: "modal-actions" },
      h("button", {
        type: "button", class: "danger delete-room", text: "Delete room",
        onclick: async () => {
          if (!window.confirm(kDeleteRoomQuestion)) return;
          const del = await api.deleteRoom(roomId);
          if (!del.ok) return showError(error, del);
          dialog.close();
        },
      }),
      h("button", { type: "button", class: "link-button", text: "Cancel", onclick: () => dialog.close() }),
      h("button", { type: "submit", class: "primary", text: "Save" })));
  const syncKind = () => { picker.hidden = form.elements.kind.value !== "closed"; };
  form.addEventListener("change", syncKind);
  syncKind();
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const kind = form.elements.kind.value;
    const changes = {};
    if (form.elements.name.value !== room.name) changes.name = form.elements.name.value;
    if (kind !== room.kind) changes.kind = kind;
    if (kind === "closed") {
      const ids = pickedIds(form).sort((a, b) => a - b);
      const before = room.members.map((m) => m.id).sort((a, b) => a - b);
      if (ids.join() !== before.join()) changes.user_ids = ids;
    }
    if (Object.keys(changes).length) {
      const saved = await api.updateRoom(roomId, changes);
      if (!saved.ok) return showError(error, saved);
    }
    dialog.close();
  });
  const dialog = modal("Room settings", form);
  return dialog;
}

// Pick people for a ping: the one ping of exactly them and me is opened (found or created).
export function showNewPing(store, onPing) {
  const error = errorLine();
  const picker = memberPicker(store, new Set());
  for (const input of picker.querySelectorAll("input")) if (Number(input.value) === store.me.id) input.closest("label").remove();
  const form = h("form", { class: "modal-form" }, picker, error,
    h("div", { class: "modal-actions" },
      h("button", { type: "button", class: "link-button", text: "Cancel", onclick: () => dialog.close() }),
      h("button", { type: "submit", class: "primary", text: "Ping" })));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const res = await onPing(pickedIds(form));
    if (!res.ok) return showError(error, res);
    dialog.close();
  });
  const dialog = modal("New ping", form);
  return dialog;
}
