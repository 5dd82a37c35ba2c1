// Hearth's service worker, served at the stable root URL /service-worker.js with scope / (CAMPFIRE.md
// 2.16, 2.26). It does one job: Web Push. A push carries the server's notification JSON
// (server/push/notification.h):
//   {"title": …, "options": {"body": …, "icon": "/account/logo", "data": {"path": "/rooms/<id>", "badge": <n>}}}
// It shows the notification and sets the app badge to `badge` (the user's unread rooms); a click
// brings a Hearth window to `data.path` — the focused one, else any, else a new one.
// No fetch handler: pages and the API always come from the network.

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("push", (event) => {
  let note = null;
  try { note = event.data?.json() ?? null; } catch { note = null; }
  if (!note || typeof note.title !== "string") return;
  const options = note.options ?? {};
  event.waitUntil(Promise.all([
    self.registration.showNotification(note.title, options),
    setBadge(options.data?.badge),
  ]));
});

async function setBadge(count) {
  if (!("setAppBadge" in self.navigator)) return;
  try {
    if (Number.isInteger(count) && count > 0) await self.navigator.setAppBadge(count);
    else await self.navigator.clearAppBadge();
  } catch {
    // Badging is a hint; a browser that refuses it (not installed as an app) changes nothing.
  }
}

// Only a path of this site: a notification never sends a window elsewhere.
function targetUrl(path) {
  const safe = typeof path === "string" && path.startsWith("/") && !path.startsWith("//") ? path : "/";
  return new URL(safe, self.location.origin).href;
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = targetUrl(event.notification.data?.path);
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
    const window = windows.find((w) => w.focused) ?? windows[0];
    if (window) {
      // navigate() works only on a window this worker controls; otherwise open a fresh one.
      const navigated = await window.navigate(url).catch(() => null);
      if (navigated) return navigated.focus();
    }
    return self.clients.openWindow(url);
  })());
});
