// How people, times and message runs are shown. Pure functions (Node's tests import them).

// "Ada Lovelace" → "AL", "bob" → "B", "  " → "?"
export function initials(name) {
  const words = String(name ?? "").trim().split(/\s+/).filter(Boolean);
  if (!words.length) return "?";
  const first = [...words[0]][0];
  const last = words.length > 1 ? [...words[words.length - 1]][0] : "";
  return (first + last).toUpperCase();
}

// A stable hue per user id, so an avatar keeps its colour everywhere.
export function avatarHue(id) {
  return (Math.imul(Number(id) | 0, 2654435761) >>> 0) % 360;
}

const kGroupGapUs = 5 * 60 * 1_000_000;

// Campfire's visual threading: consecutive messages by the same author within 5 minutes.
export function continuesRun(previous, message) {
  if (!previous || !message) return false;
  if (previous.creator_id !== message.creator_id) return false;
  if (!sameDay(previous.created_at_us, message.created_at_us)) return false;
  return message.created_at_us - previous.created_at_us < kGroupGapUs;
}

export function sameDay(aUs, bUs) {
  const a = new Date(aUs / 1000), b = new Date(bUs / 1000);
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric", year: "numeric" });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "medium" });

export const timeLabel = (us) => timeFormat.format(new Date(us / 1000));
export const dayLabel = (us) => dayFormat.format(new Date(us / 1000));
export const fullLabel = (us) => fullFormat.format(new Date(us / 1000));
export const isoTime = (us) => new Date(us / 1000).toISOString();
