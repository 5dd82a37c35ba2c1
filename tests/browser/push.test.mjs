// Web Push end to end (CAMPFIRE.md 2.16): a real `hearth serve` sends to a local push service
// (push_receiver.mjs), which decrypts each notification with http_ece and checks the VAPID token
// with Node's crypto — implementations independent of the server's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startServer, tempDir, password, launchBrowser, newPage, firstRun, assertHealthy } from "./harness.mjs";
import { makeCertificate, startReceiver, newBrowserKeys, decryptPayload, verifyVapid } from "./push_receiver.mjs";

// A signed-in API caller: cookie + CSRF token, like the browser's api.js.
async function caller(url, path, body) {
  const res = await fetch(`${url}${path}`, {
    method: "POST", headers: { "Content-Type": "application/json", Origin: url }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 201, `${path}: ${await res.clone().text()}`);
  const cookie = res.headers.get("set-cookie").split(";")[0];
  const { csrf_token: csrf } = await res.json();
  const call = async (method, p, b) => {
    const r = await fetch(`${url}${p}`, {
      method,
      headers: { "Content-Type": "application/json", Origin: url, Cookie: cookie, "X-CSRF-Token": csrf },
      body: b === undefined ? undefined : JSON.stringify(b),
    });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null };
  };
  return call;
}

// Ada (first run) and Bo (joined), a ping between them, and a push service; Bo is never connected
// (no socket), so every message Ada posts there is for Bo's subscriptions.
async function withPushWorld(body) {
  const dir = tempDir("hearth-push-");
  const tls = makeCertificate(dir.path);
  const receiver = await startReceiver(tls);
  process.env.HEARTH_PUSH_CA_FILE = tls.cert;
  // The receiver is on 127.0.0.1, which the outgoing guard refuses: the test-only allowance lets
  // this one port stand for a public push service (docs/api.md "Web Push").
  process.env.HEARTH_TEST_OUTGOING_ORIGIN = new URL(receiver.origin).host;
  const server = await startServer(dir.path);
  try {
    const ada = await caller(server.url, "/api/first_run", { name: "Ada Lovelace", email: "ada@example.com", password });
    const code = (await ada("GET", "/api/bootstrap")).json.account.join_code;
    const bo = await caller(server.url, `/api/join/${code}`, { name: "Bo", email: "bo@example.com", password });
    const boId = (await bo("GET", "/api/bootstrap")).json.me.id;
    const ping = (await ada("POST", "/api/pings", { user_ids: [boId] })).json.id;
    const vapidKey = (await bo("GET", "/api/vapid_public_key")).json.vapid_public_key;
    await body({ ada, bo, ping, receiver, vapidKey, server });
  } catch (e) {
    e.message += `\n--- server log ---\n${server.log().slice(-4000)}`;
    throw e;
  } finally {
    delete process.env.HEARTH_PUSH_CA_FILE;
    delete process.env.HEARTH_TEST_OUTGOING_ORIGIN;
    await server.stop();
    await receiver.close();
    dir.remove();
  }
}

test("a posted message reaches the subscriber encrypted, VAPID-signed, with exactly Campfire's payload", async () => {
  await withPushWorld(async ({ ada, bo, ping, receiver, vapidKey }) => {
    const keys = newBrowserKeys();
    const endpoint = `${receiver.origin}/push/bo-phone`;
    const sub = await bo("POST", "/api/push_subscriptions",
      { push_subscription: { endpoint, p256dh_key: keys.p256dh, auth_key: keys.auth } });
    assert.equal(sub.status, 201);

    const posted = await ada("POST", `/api/rooms/${ping}/messages`, { client_message_id: "push-1", body_html: "Tea at <b>four</b>?" });
    assert.equal(posted.status, 201);
    const req = await receiver.next((r) => r.path === "/push/bo-phone");

    assert.equal(req.method, "POST");
    assert.equal(req.headers["content-encoding"], "aes128gcm");
    assert.equal(req.headers.urgency, "high");
    assert.ok(Number(req.headers.ttl) > 0, `TTL ${req.headers.ttl}`);
    verifyVapid(req.headers.authorization, { audience: receiver.origin, publicKey: vapidKey });
    const payload = decryptPayload(req.body, keys);
    assert.equal(payload, JSON.stringify({
      title: "Ada Lovelace",
      options: { body: "Tea at four?", icon: "/account/logo", data: { path: `/rooms/${ping}`, badge: 1 } },
    }));
    // The author is never notified, and nothing else was sent.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(receiver.received.length, 1);
  });
});

test("a subscription the push service answers 410 Gone is removed", async () => {
  await withPushWorld(async ({ ada, bo, ping, receiver }) => {
    const keys = newBrowserKeys();
    const gone = await bo("POST", "/api/push_subscriptions",
      { push_subscription: { endpoint: `${receiver.origin}/gone/bo`, p256dh_key: keys.p256dh, auth_key: keys.auth } });
    assert.equal(gone.status, 201);
    const kept = await bo("POST", "/api/push_subscriptions",
      { push_subscription: { endpoint: `${receiver.origin}/push/bo-laptop`, p256dh_key: keys.p256dh, auth_key: keys.auth } });
    assert.equal(kept.status, 201);
    assert.equal((await ada("POST", `/api/rooms/${ping}/messages`, { client_message_id: "push-2", body_html: "hello" })).status, 201);
    await receiver.next((r) => r.path === "/gone/bo");
    await receiver.next((r) => r.path === "/push/bo-laptop");
    const deadline = Date.now() + 10_000;
    let endpoints;
    for (;;) {
      endpoints = (await bo("GET", "/api/push_subscriptions")).json.push_subscriptions.map((s) => s.endpoint);
      if (endpoints.length === 1 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(endpoints, [`${receiver.origin}/push/bo-laptop`]);
  });
});

test("an endpoint on a private address is refused: the allowance covers the receiver's port only", async () => {
  await withPushWorld(async ({ bo, receiver }) => {
    const keys = newBrowserKeys();
    const port = Number(new URL(receiver.origin).port);
    for (const endpoint of [`https://127.0.0.1:${port + 1}/push`, `https://[::1]:${port}/push`,
      `https://2130706433:${port + 1}/push`, "https://10.0.0.1/push", "https://169.254.169.254/", `http://127.0.0.1:${port}/push`]) {
      const res = await bo("POST", "/api/push_subscriptions",
        { push_subscription: { endpoint, p256dh_key: keys.p256dh, auth_key: keys.auth } });
      assert.equal(res.status, 422, endpoint);
    }
    assert.deepEqual((await bo("GET", "/api/push_subscriptions")).json.push_subscriptions, []);
  });
});

test("a mention notifies a member at `mentions`; a member at `nothing` gets nothing", async () => {
  await withPushWorld(async ({ ada, bo, receiver }) => {
    const boId = (await bo("GET", "/api/bootstrap")).json.me.id;
    const room = (await ada("POST", "/api/rooms", { kind: "closed", name: "Ops", user_ids: [boId] })).json.id;
    assert.equal((await bo("PUT", `/api/rooms/${room}/involvement`, { involvement: "mentions" })).status, 200);
    const keys = newBrowserKeys();
    await bo("POST", "/api/push_subscriptions",
      { push_subscription: { endpoint: `${receiver.origin}/push/bo`, p256dh_key: keys.p256dh, auth_key: keys.auth } });
    await ada("POST", `/api/rooms/${room}/messages`, { client_message_id: "m-1", body_html: "no mention here" });
    const mention = `<span class="mention" data-user-id="${boId}">@Bo</span> ping`;
    await ada("POST", `/api/rooms/${room}/messages`, { client_message_id: "m-2", body_html: mention });
    const req = await receiver.next((r) => r.path === "/push/bo");
    const payload = JSON.parse(decryptPayload(req.body, keys));
    assert.equal(payload.title, "Ops");
    assert.equal(payload.options.body, "Ada Lovelace: @Bo ping");
    assert.equal(payload.options.data.path, `/rooms/${room}`);
    assert.equal((await bo("PUT", `/api/rooms/${room}/involvement`, { involvement: "nothing" })).status, 200);
    await ada("POST", `/api/rooms/${room}/messages`, { client_message_id: "m-3", body_html: mention });
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(receiver.received.length, 1, "only the mention at `mentions` was pushed");
  });
});

// The browser half: the service worker is registered at the root, shows a push as a notification
// with the payload's title, body and data, and the profile offers this device's on/off control.
// The push is delivered through the DevTools protocol (headless chromium has no push service).
test("the service worker shows a pushed notification; the profile has the device's notification control", async () => {
  const browser = await launchBrowser();
  const dir = tempDir("hearth-push-sw-");
  const server = await startServer(dir.path);
  try {
    const { context, page } = await newPage(browser);
    await context.grantPermissions(["notifications"], { origin: server.url });
    const cdp = await context.newCDPSession(page);
    const registrations = [];
    cdp.on("ServiceWorker.workerRegistrationUpdated", (e) => registrations.push(...e.registrations));
    await cdp.send("ServiceWorker.enable");
    await firstRun(page, server.url);
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    assert.equal(scope, `${server.url}/`);
    const script = await page.evaluate(async () => (await navigator.serviceWorker.ready).active.scriptURL);
    assert.equal(script, `${server.url}/service-worker.js`);

    await page.locator(".me-name").click();
    await page.waitForSelector(".push-control[data-state=off]");
    assert.equal(await page.locator(".push-toggle").getAttribute("aria-pressed"), "false");
    assert.match(await page.locator(".push-control .push-state").innerText(), /off for this device/);

    const registration = registrations.find((r) => r.scopeURL === `${server.url}/` && !r.isDeleted);
    assert.ok(registration, "the DevTools protocol saw the registration");
    const note = { title: "Ops", options: { body: "Bo: hello", icon: "/account/logo", data: { path: "/rooms/1", badge: 3 } } };
    await cdp.send("ServiceWorker.deliverPushMessage",
      { origin: `${server.url}/`, registrationId: registration.registrationId, data: JSON.stringify(note) });
    const shown = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      for (let i = 0; i < 100; i++) {
        const list = await registration.getNotifications();
        if (list.length) return list.map((n) => ({ title: n.title, body: n.body, icon: n.icon, data: n.data }));
        await new Promise((r) => setTimeout(r, 100));
      }
      return [];
    });
    assert.deepEqual(shown, [{ title: "Ops", body: "Bo: hello", icon: `${server.url}/account/logo`, data: { path: "/rooms/1", badge: 3 } }]);
    await assertHealthy(page);
    await context.close();
  } catch (e) {
    e.message += `\n--- server log ---\n${server.log().slice(-4000)}`;
    throw e;
  } finally {
    await browser.close();
    await server.stop();
    dir.remove();
  }
});
