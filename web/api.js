// The HTTP JSON API of docs/api.md. Every call answers {ok, status, body}; errors carry the
// server's stable code (body.error.code) or "network" when no answer came.

let csrfToken = "";
export function setCsrf(token) { csrfToken = token ?? ""; }
export const csrf = () => csrfToken; // for uploads (uploads.js), which are not JSON

async function call(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let res;
  try {
    res = await fetch(path, {
      method, headers, credentials: "same-origin", cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    return { ok: false, status: 0, body: null, code: "network", message: "The server cannot be reached." };
  }
  let parsed = null;
  if (res.status !== 204) {
    try { parsed = await res.json(); } catch { parsed = null; }
  }
  const error = parsed?.error;
  return {
    ok: res.ok, status: res.status, body: parsed,
    code: error?.code ?? (res.ok ? null : "http"), message: error?.message ?? (res.ok ? null : `HTTP ${res.status}`),
  };
}

export const firstRunState = () => call("GET", "/api/first_run");
export const firstRun = (form) => call("POST", "/api/first_run", form);
export const signIn = (form) => call("POST", "/api/session", form);
// `pushEndpoint`: this browser's push subscription, which the server then forgets (CAMPFIRE.md 2.3).
export const signOut = (pushEndpoint) =>
  call("DELETE", "/api/session", pushEndpoint ? { push_subscription_endpoint: pushEndpoint } : undefined);
// "Sign out everywhere else": every other session of mine ends; this one stays.
export const signOutElsewhere = () => call("DELETE", "/api/session/others");
export const join = (code, form) => call("POST", `/api/join/${encodeURIComponent(code)}`, form);
export const bootstrap = () => call("GET", "/api/bootstrap");
// At most one cursor: {before}, {after} or {around} (a message id of the room); none is the newest page.
export const messages = (room, cursors = {}) => {
  const [name, id] = Object.entries(cursors).find(([, v]) => v) ?? [];
  return call("GET", `/api/rooms/${room}/messages${name ? `?${name}=${id}` : ""}`);
};
export const room = (id) => call("GET", `/api/rooms/${id}`);
export const postMessage = (room, post) => call("POST", `/api/rooms/${room}/messages`, post);

// Rooms, pings and involvement (server/api/room_routes.cc).
export const createRoom = (form) => call("POST", "/api/rooms", form);
export const updateRoom = (id, changes) => call("PATCH", `/api/rooms/${id}`, changes);
export const deleteRoom = (id) => call("DELETE", `/api/rooms/${id}`);
export const ping = (userIds) => call("POST", "/api/pings", { user_ids: userIds });
export const setInvolvement = (id, involvement) => call("PUT", `/api/rooms/${id}/involvement`, { involvement });
export const setAccountSettings = (settings) => call("PATCH", "/api/account/settings", settings);

// The account (server/api/account_routes.cc).
export const account = () => call("GET", "/api/account");
export const publicAccount = () => call("GET", "/api/account/public");
export const renameAccount = (name) => call("PATCH", "/api/account", { name });
export const resetJoinCode = () => call("POST", "/api/account/join_code");
export const setCustomStyles = (css) => call("PUT", "/api/account/custom_styles", { css });

// Search (server/api/search_routes.cc): reading never records; the client records with POST.
export const search = (q) => call("GET", `/api/search?q=${encodeURIComponent(q)}`);
export const recentSearches = () => call("GET", "/api/searches");
export const recordSearch = (query) => call("POST", "/api/searches", { query });
export const clearSearches = () => call("DELETE", "/api/searches");
export const editMessage = (room, id, edit) => call("PATCH", `/api/rooms/${room}/messages/${id}`, edit);
export const removeMessage = (room, id) => call("DELETE", `/api/rooms/${room}/messages/${id}`);
export const addBoost = (room, id, content) => call("POST", `/api/rooms/${room}/messages/${id}/boosts`, { content });
export const removeBoost = (room, id, boost) => call("DELETE", `/api/rooms/${room}/messages/${id}/boosts/${boost}`);

// Web Push (server/api/push_routes.cc; web/push.js).
export const vapidPublicKey = () => call("GET", "/api/vapid_public_key");
export const pushSubscriptions = () => call("GET", "/api/push_subscriptions");
export const addPushSubscription = (subscription) => call("POST", "/api/push_subscriptions", { push_subscription: subscription });
export const removePushSubscription = (id) => call("DELETE", `/api/push_subscriptions/${id}`);

// Link previews (server/api/preview_routes.cc): 200 {title, description, image, url} or 204.
export const unfurlLink = (url) => call("POST", "/api/unfurl_link", { url });

// Bot administration (server/api/bot_admin_routes.cc; administrators only).
export const bots = () => call("GET", "/api/account/bots");
export const createBot = (form) => call("POST", "/api/account/bots", form);
export const updateBot = (id, form) => call("PATCH", `/api/account/bots/${id}`, form);
export const deactivateBot = (id) => call("DELETE", `/api/account/bots/${id}`);
export const botKey = (id) => call("GET", `/api/account/bots/${id}/key`);
export const resetBotKey = (id) => call("PUT", `/api/account/bots/${id}/key`);
// People (server/api/people_routes.cc): profile, public profiles, transfer links, administration.
export const updateProfile = (changes) => call("PATCH", "/api/profile", changes);
export const user = (id) => call("GET", `/api/users/${id}`);
export const transferLink = (id) => call("GET", `/api/users/${id}/transfer`);
export const useTransfer = (token) => call("PUT", `/api/session/transfers/${encodeURIComponent(token)}`);
export const people = (page = 1) => call("GET", `/api/account/users?page=${page}`);
export const setRole = (id, role) => call("PATCH", `/api/account/users/${id}`, { role });
export const deactivateUser = (id) => call("DELETE", `/api/account/users/${id}`);
export const banUser = (id) => call("POST", `/api/users/${id}/ban`);
export const unbanUser = (id) => call("DELETE", `/api/users/${id}/ban`);
