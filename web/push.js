// Web Push in the page (CAMPFIRE.md 2.16): the service worker's registration, this device's
// subscription, and the control on /profile that turns notifications on and off for this device.
//
// The subscription lives in two places: the browser's push manager (made with the server's VAPID
// public key, GET /api/vapid_public_key) and the server (POST /api/push_subscriptions). Turning on
// asks for permission, subscribes the browser and posts the subscription; turning off removes it
// from the server and unsubscribes the browser. Signing out does the same and sends the endpoint,
// as Campfire does (2.3), so a shared computer stops getting someone's notifications.
import * as api from "./api.js";
import { h, clear, append } from "./dom.js";

const supported = () => "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

let registering = null;

// Registers /service-worker.js (scope /) once per page; resolves to the registration or null.
export function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return Promise.resolve(null);
  registering ??= navigator.serviceWorker.register("/service-worker.js", { scope: "/" }).catch((e) => {
    console.warn(`service worker: ${e.message}`);
    return null;
  });
  return registering;
}

async function browserSubscription() {
  const registration = await registerServiceWorker();
  return registration?.pushManager ? registration.pushManager.getSubscription() : null;
}

function keyBytes(base64url) {
  const text = atob(base64url.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

async function postSubscription(subscription) {
  const { endpoint, keys } = subscription.toJSON();
  return api.addPushSubscription({ endpoint, p256dh_key: keys.p256dh, auth_key: keys.auth });
}

async function turnOn() {
  if (await Notification.requestPermission() !== "granted") {
    return "Notifications are blocked for this site: allow them in the browser's site settings.";
  }
  const key = await api.vapidPublicKey();
  if (!key.ok) return `Cannot turn on notifications: ${key.message}`;
  const registration = await registerServiceWorker();
  if (!registration) return "This browser cannot run the service worker notifications need.";
  const options = { userVisibleOnly: true, applicationServerKey: keyBytes(key.body.vapid_public_key) };
  let subscription;
  try {
    subscription = await registration.pushManager.subscribe(options);
  } catch (e) {
    // Subscribed earlier with another server key (the server's key changed): start again.
    const old = await registration.pushManager.getSubscription();
    if (!old) return `Cannot turn on notifications: ${e.message}`;
    await old.unsubscribe();
    try { subscription = await registration.pushManager.subscribe(options); } catch (e2) {
      return `Cannot turn on notifications: ${e2.message}`;
    }
  }
  const res = await postSubscription(subscription);
  return res.ok ? null : `Cannot turn on notifications: ${res.message}`;
}

async function forgetOnServer(endpoint) {
  const mine = await api.pushSubscriptions();
  for (const s of mine.ok ? mine.body.push_subscriptions : []) {
    if (s.endpoint === endpoint) await api.removePushSubscription(s.id);
  }
}

async function turnOff() {
  const subscription = await browserSubscription();
  if (!subscription) return null;
  await forgetOnServer(subscription.endpoint);
  await subscription.unsubscribe().catch(() => {});
  return null;
}

// After sign-in: a device that was already subscribed (permission granted) is posted again — the
// server touches an identical subscription — so the server knows it after a sign-in.
export async function resumePush() {
  if (!supported() || Notification.permission !== "granted") return;
  const subscription = await browserSubscription();
  if (subscription) await postSubscription(subscription);
}

// Before sign-out: unsubscribes this browser and answers the endpoint the server should forget.
export async function leavePush() {
  if (!supported()) return undefined;
  const subscription = await browserSubscription().catch(() => null);
  if (!subscription) return undefined;
  await subscription.unsubscribe().catch(() => {});
  return subscription.endpoint;
}

let control = null;

// The profile's control: one element for the page's life, refreshed each time it is shown.
export function pushControl() {
  if (!control) {
    control = h("section", { class: "push-control" });
    control.dataset.state = "unknown";
  }
  refresh();
  return control;
}

async function refresh() {
  const el = control;
  if (!supported()) return render(el, "unsupported", "This browser cannot show notifications from Hearth.");
  if (Notification.permission === "denied") {
    return render(el, "denied", "Notifications are blocked for this site: allow them in the browser's site settings.");
  }
  const on = Boolean(await browserSubscription().catch(() => null)) && Notification.permission === "granted";
  render(el, on ? "on" : "off", null);
}

function render(el, state, note) {
  el.dataset.state = state;
  const on = state === "on";
  const label = on ? "Notifications are on for this device" : "Notifications are off for this device";
  const button = h("button", {
    type: "button", class: `bell push-toggle ${on ? "bell-everything" : "bell-nothing"}`,
    "aria-pressed": on ? "true" : "false", disabled: state === "unsupported" || state === "denied",
    onclick: async () => {
      button.disabled = true;
      const problem = on ? await turnOff() : await turnOn();
      if (problem) return render(el, "off", problem);
      refresh();
    },
  }, h("span", { class: "bell-label", text: on ? "Turn off notifications" : "Turn on notifications" }));
  append(clear(el), [
    h("h2", { text: "Notifications" }),
    h("p", { class: "push-state", text: label }),
    button,
    note ? h("p", { class: "push-note", role: "status", text: note }) : null,
  ]);
}
