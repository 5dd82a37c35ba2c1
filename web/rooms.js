// How rooms and pings are named, ordered and notified about (CAMPFIRE.md 2.7, 2.8). Pure
// functions over the store's plain data (Node's tests import them).

// The bell: shared rooms cycle mentions → everything → nothing → invisible → mentions; pings
// only everything ↔ nothing.
const kSharedCycle = ["mentions", "everything", "nothing", "invisible"];
const kPingCycle = ["everything", "nothing"];

export const kInvolvementLabels = Object.freeze({
  mentions: "Notifying about @ mentions",
  everything: "Notifying about all messages",
  nothing: "Notifications are off",
  invisible: "Notifications are off and room invisible in sidebar",
});

export function nextInvolvement(kind, current) {
  const cycle = kind === "direct" ? kPingCycle : kSharedCycle;
  const at = cycle.indexOf(current);
  return cycle[(at + 1) % cycle.length]; // an unknown level starts the cycle
}

// "A", "A and B", "A, B, and C" (Rails' to_sentence, as Campfire names pings).
export function sentence(words) {
  if (words.length <= 1) return words[0] ?? "";
  if (words.length === 2) return `${words[0]} and ${words[1]}`;
  return `${words.slice(0, -1).join(", ")}, and ${words[words.length - 1]}`;
}

// A ping is named after the others in it, or after me when I am alone in it.
export function pingName(room, meId, nameOf) {
  const others = (room.member_ids ?? []).filter((id) => id !== meId);
  return others.length ? sentence(others.map(nameOf)) : nameOf(meId);
}

export function displayName(room, meId, nameOf) {
  return room.kind === "direct" ? pingName(room, meId, nameOf) : room.name;
}

// Pings by latest activity, newest first (ties: the newer room first).
export function sortedPings(rooms) {
  return rooms.filter((r) => r.kind === "direct")
    .sort((a, b) => (b.updated_at_us ?? 0) - (a.updated_at_us ?? 0) || b.id - a.id);
}

// People I could start a ping with, as Campfire offers them under my pings: active users (bots
// too) who are in none of my pings, oldest accounts first, at most 20 minus the number of
// people (me included) I already share pings with.
export function pingPlaceholders(rooms, users, meId) {
  const shared = new Set();
  for (const r of rooms) {
    if (r.kind === "direct") for (const id of r.member_ids ?? []) shared.add(id);
  }
  const room = Math.max(0, 20 - shared.size);
  return users.filter((u) => u.id !== meId && !u.deactivated && !shared.has(u.id))
    .sort((a, b) => a.id - b.id)
    .slice(0, room);
}
