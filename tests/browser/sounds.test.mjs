// /play sounds (CAMPFIRE.md 2.25) and the last room visited (2.4) in Chromium against a real server.
// Web Audio is instrumented in each page: every start() of a source node is counted, and the
// starts made in one synchronous run count as one sound played (a recipe starts all its voices
// at once).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  launchBrowser, newPage, firstRun, joinWithLink, joinUrlOf, say, waitForOnline, assertHealthy, withServer, sleep,
} from "./harness.mjs";
import { kSounds } from "../../web/sounds.js";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

function instrumentAudio() {
  window.__audio = { plays: 0, starts: 0 };
  window.__csp = [];
  document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  const start = AudioScheduledSourceNode.prototype.start;
  let inRun = false;
  AudioScheduledSourceNode.prototype.start = function (...args) {
    window.__audio.starts += 1;
    if (!inRun) {
      inRun = true;
      window.__audio.plays += 1;
      queueMicrotask(() => { inRun = false; });
    }
    return start.apply(this, args);
  };
}

async function person(server, join) {
  const p = await newPage(browser);
  await p.context.addInitScript(instrumentAudio);
  if (join) await joinWithLink(p.page, join.link, join);
  else await firstRun(p.page, server.url);
  await waitForOnline(p.page);
  return p;
}

const plays = (page) => page.evaluate(() => window.__audio.plays);
const soundAt = (page, name) => page.locator(`.message[data-message-id] .message-body.sound[data-sound="${name}"]`);

// Waits long enough for a sound that should not play to have played (it is scheduled in the same
// task that applies the event), then reads the count.
async function settledPlays(page) {
  await sleep(400);
  return plays(page);
}

async function healthy(...pages) {
  for (const page of pages) {
    assert.deepEqual(await page.evaluate(() => window.__csp), [], "no CSP violation");
    await assertHealthy(page);
  }
}

// Posts over HTTP as the page's user (quicker than typing, for many messages).
function postAll(page, texts) {
  return page.evaluate(async (texts) => {
    const room = Number(location.pathname.match(/\/rooms\/(\d+)/)[1]);
    for (const [i, text] of texts.entries()) {
      const res = await fetch(`/api/rooms/${room}/messages`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": window.hearth.store.csrf },
        body: JSON.stringify({ client_message_id: `bulk-${i}-${Date.now()}`, body_html: text, plain_text: text }),
      });
      if (!res.ok) throw new Error(`post ${text}: HTTP ${res.status}`);
    }
  }, texts);
}

test("/play: live at the bottom plays once; history, catch-up, scrolled up and unknown names do not", { timeout: 120_000 }, () => withServer(async ({ start }) => {
  const server = await start();
  const ada = await person(server);
  const grace = await person(server, { link: await joinUrlOf(ada.page), name: "Grace Hopper", email: "grace@example.com" });

  // Live, from another user, Ada at the bottom: one fanfare, shown with its caption.
  await say(grace.page, "/play tada");
  await soundAt(ada.page, "tada").waitFor();
  assert.equal(await soundAt(ada.page, "tada").locator(".sound-caption").textContent(), "plays a fanfare 🎏");
  await ada.page.waitForFunction(() => window.__audio.plays === 1);
  assert.equal(await settledPlays(ada.page), 1, "played exactly once");
  await soundAt(grace.page, "tada").waitFor();
  assert.equal(await settledPlays(grace.page), 1, "the sender hears it too, once");

  // An unknown name (or other casing) is ordinary text and plays nothing.
  await say(grace.page, "/play nope");
  await say(grace.page, "/play Tada");
  await ada.page.locator(".message[data-message-id] .message-body", { hasText: "/play Tada" }).waitFor();
  const texts = await ada.page.$$eval(".message[data-message-id] .message-body:not(.sound)", (els) => els.map((e) => e.textContent));
  assert.deepEqual(texts, ["/play nope", "/play Tada"]);
  assert.equal(await settledPlays(ada.page), 1);

  // The 🔊 button plays it again on demand.
  await soundAt(ada.page, "tada").getByRole("button", { name: "Play tada" }).click();
  await ada.page.waitForFunction(() => window.__audio.plays === 2);

  // From history (a reload): shown as a sound, never played.
  await ada.page.reload();
  await soundAt(ada.page, "tada").waitFor();
  await waitForOnline(ada.page);
  assert.equal(await settledPlays(ada.page), 0, "history does not play");

  // Resume catch-up: posted while Ada was away, shown when she is back, not played.
  await ada.context.setOffline(true);
  await ada.page.waitForFunction(() => window.hearth.stream.status !== "online");
  await say(grace.page, "/play bell");
  await soundAt(grace.page, "bell").waitFor();
  await ada.context.setOffline(false);
  await soundAt(ada.page, "bell").waitFor({ timeout: 30_000 });
  assert.equal(await settledPlays(ada.page), 0, "catch-up does not play");
  await waitForOnline(ada.page);

  // My own post while it is on its way reads "Playing <name>…".
  await grace.context.setOffline(true);
  await grace.page.waitForFunction(() => window.hearth.stream.status !== "online");
  await say(grace.page, "/play secret");
  await grace.page.locator(".message.pending-sending .sound-pending", { hasText: "Playing secret…" }).waitFor();
  await grace.context.setOffline(false);
  await soundAt(grace.page, "secret").waitFor({ timeout: 30_000 });
  await soundAt(ada.page, "secret").waitFor();

  // Every name: its caption or its image (loaded, at the table's size). Ada follows live.
  await postAll(grace.page, [...kSounds.keys()].map((name) => `/play ${name}`));
  await soundAt(ada.page, "yodel").waitFor({ timeout: 30_000 });
  for (const [name, shows] of kSounds) {
    const body = soundAt(ada.page, name).last();
    if (shows.caption !== undefined) {
      assert.equal(await body.locator(".sound-caption").textContent(), shows.caption, name);
    } else {
      const img = body.locator("img.sound-image");
      await img.scrollIntoViewIfNeeded();
      await ada.page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
      assert.deepEqual(await img.evaluate((el) => [el.getAttribute("src"), el.naturalWidth, el.naturalHeight]),
        [shows.image, shows.width, shows.height], name);
    }
  }
  assert.equal(await soundAt(ada.page, "deeper").last().locator("img").getAttribute("src"), "/sounds/top.svg");
  const svg = await ada.page.request.get(`${server.url}/sounds/top.svg`);
  assert.equal(svg.headers()["content-type"], "image/svg+xml", "served as an image, under nosniff");

  // Scrolled up: a live sound arrives and shows, but does not play.
  await ada.page.locator(".messages").evaluate((el) => { el.scrollTop = 0; });
  await sleep(200);
  const before = await plays(ada.page);
  await say(grace.page, "/play honk"); // the second honk
  await ada.page.waitForFunction(() => document.querySelectorAll('.message[data-message-id] .sound[data-sound="honk"]').length === 2);
  assert.equal(await settledPlays(ada.page), before, "not at the bottom: silent");

  await healthy(ada.page, grace.page);
  await ada.context.close();
  await grace.context.close();
}));

// A JSON call to the API as the page's user.
function apiCall(page, method, path, body) {
  return page.evaluate(async ({ method, path, body }) => {
    const res = await fetch(path, {
      method, body: body === undefined ? undefined : JSON.stringify(body),
      headers: { "Content-Type": "application/json", "X-CSRF-Token": window.hearth.store.csrf },
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  }, { method, path, body });
}

test("/ opens the last room shown while I am still in it, else my oldest; with none, No rooms yet", { timeout: 60_000 }, () => withServer(async ({ start }) => {
  const server = await start();
  const ada = await person(server);
  const path = () => new URL(ada.page.url()).pathname;
  const allTalk = path();
  assert.match(allTalk, /^\/rooms\/\d+$/);

  // A newer room, shown last: "/" comes back to it, on a new visit and going back to "/".
  const created = await apiCall(ada.page, "POST", "/api/rooms", { kind: "open", name: "Second" });
  assert.equal(created.status, 201);
  const second = `/rooms/${created.body.id}`;
  await ada.page.locator(`.room-link[data-room="${created.body.id}"]`).click();
  await ada.page.getByRole("heading", { name: "Second" }).waitFor();
  await ada.page.goto(`${server.url}/`);
  await ada.page.getByRole("heading", { name: "Second" }).waitFor();
  assert.equal(path(), second);

  // A last room I am not in (any more): my oldest room, All Talk, not the newest.
  await ada.page.evaluate(() => localStorage.setItem("last_room", "999999"));
  await ada.page.goto(`${server.url}/`);
  await ada.page.getByRole("heading", { name: "All Talk" }).waitFor();
  assert.equal(path(), allTalk);
  await ada.page.locator(`.room-link[data-room="${created.body.id}"]`).click();
  await ada.page.evaluate(() => { localStorage.setItem("last_room", "999999"); history.pushState({}, "", "/"); dispatchEvent(new PopStateEvent("popstate")); });
  await ada.page.waitForFunction((p) => location.pathname === p, allTalk);

  // No rooms at all: the "No rooms yet" page, with nothing to post to.
  for (const id of [created.body.id, Number(allTalk.split("/").pop())]) {
    assert.equal((await apiCall(ada.page, "DELETE", `/api/rooms/${id}`)).status, 200);
  }
  await ada.page.goto(`${server.url}/`);
  await ada.page.getByRole("heading", { name: "No rooms yet" }).waitFor();
  assert.equal(path(), "/");
  assert.equal(await ada.page.getByRole("textbox", { name: "Message" }).isVisible(), false);
  await healthy(ada.page);
  await ada.context.close();
}));
