// Files over HTTP (docs/api.md "Files"): uploads go as multipart/form-data (the browser streams
// the file; the server stores it as it arrives), with the CSRF token like every other write.
// Every call answers {ok, status, body, code, message}, as api.js does.
import { csrf } from "./api.js";

async function send(method, path, fields) {
  let body;
  if (fields) {
    body = new FormData();
    for (const [name, value] of Object.entries(fields)) {
      if (value instanceof Blob) body.append(name, value, value.name ?? "file");
      else body.append(name, String(value));
    }
  }
  let res;
  try {
    res = await fetch(path, {
      method, body, credentials: "same-origin", cache: "no-store",
      headers: { Accept: "application/json", "X-CSRF-Token": csrf() },
    });
  } catch {
    return { ok: false, status: 0, body: null, code: "network", message: "The server cannot be reached." };
  }
  let parsed = null;
  try { parsed = await res.json(); } catch { parsed = null; }
  const error = parsed?.error;
  return {
    ok: res.ok, status: res.status, body: parsed,
    code: error?.code ?? (res.ok ? null : "http"),
    message: res.status === 413 ? "The file is too large." : error?.message ?? (res.ok ? null : `HTTP ${res.status}`),
  };
}

// One file becomes its own message (CAMPFIRE.md 2.11); it appears through the socket like any post.
export const uploadAttachment = (room, file, clientId) =>
  send("POST", `/api/rooms/${room}/attachments`, { client_message_id: clientId, attachment: file });
export const uploadAvatar = (file) => send("POST", "/api/users/me/avatar", { avatar: file });
export const removeAvatar = () => send("DELETE", "/api/users/me/avatar");
export const uploadLogo = (file) => send("POST", "/api/account/logo", { logo: file });
export const removeLogo = () => send("DELETE", "/api/account/logo");

// "1.2 MB": a file's size for people.
export function sizeLabel(bytes) {
  const units = ["bytes", "KB", "MB", "GB"];
  let n = Number(bytes) || 0;
  let u = 0;
  while (n >= 1000 && u < units.length - 1) { n /= 1000; u += 1; }
  return u === 0 ? `${n} ${n === 1 ? "byte" : "bytes"}` : `${n.toFixed(n < 10 ? 1 : 0)} ${units[u]}`;
}

// A person's avatar URL after an avatar event: the server's ?v= is the picture's hash prefix.
export const avatarUrlFor = (userId, avatar) => `/api/users/${userId}/avatar?v=${avatar?.content_hash?.slice(0, 12) ?? "0"}`;
