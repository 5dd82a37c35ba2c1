// Unread, presence and typing in the browser, two people in two contexts (CAMPFIRE.md 2.9, 2.10):
// a post in a room the other is not viewing marks it unread live; opening it reads it in the
// user's other tab too; a tab hidden for 5 s goes absent and gets unread; typing shows and expires.
// The unread flag is read from the store (`room.unread`, what the sidebar renders) and from the
// sidebar's link.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, withTwo, waitForOnline, assertHealthy, sleep } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// Ada and Bo in contexts of their own (the harness's withTwo), Bo with a second tab; a second
// open room, "Lobby".
function withPeople(body) {
  return withTwo(browser, async ({ ada, bo, server }) => {
    const lobby = await ada.evaluate(async () => {
      const res = await fetch("/api/rooms", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": window.hearth.store.csrf },
        body: JSON.stringify({ kind: "open", name: "Lobby" }),
      });
      if (res.status !== 201) throw new Error(`creating a room answered ${res.status}: ${await res.text()}`);
      return (await res.json()).id;
    });
    const boTab2 = await bo.context().newPage();
    boTab2.problems = [];
    boTab2.on("pageerror", (e) => boTab2.problems.push(`pageerror: ${e.message}`));
    await boTab2.goto(`${server.url}/`);
    await waitForOnline(boTab2);
    for (const p of [ada, bo, boTab2]) await roomLink(p, "Lobby").waitFor();
    await body({ ada, bo, boTab2, lobby });
    await assertHealthy(boTab2);
  });
}

const roomLink = (page, name) => page.locator("a.room-link", { hasText: name });
const unreadIn = (page, room) => page.evaluate((id) => window.hearth.store.room(id)?.unread ?? null, room);
const waitUnread = (page, room, unread, timeout = 5_000) =>
  page.waitForFunction(([id, want]) => window.hearth.store.room(id)?.unread === want, [room, unread], { timeout });

async function open(page, name) {
  await roomLink(page, name).click();
  await page.getByRole("heading", { name }).waitFor();
}

// Ada posts in `room` over the API (she need not be looking at it).
function postIn(page, room, text) {
  return page.evaluate(async ([id, body]) => {
    const res = await fetch(`/api/rooms/${id}/messages`, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": window.hearth.store.csrf },
      body: JSON.stringify({ client_message_id: `b-${Math.random()}`, body_html: body, plain_text: body }),
    });
    if (res.status !== 201) throw new Error(`posting answered ${res.status}`);
    return (await res.json()).seq;
  }, [room, text]);
}

// Emulates the tab being hidden or shown (headless chromium never hides a page by itself).
function setVisibility(page, visible) {
  return page.evaluate((v) => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => (v ? "visible" : "hidden") });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => !v });
    document.dispatchEvent(new Event("visibilitychange"));
  }, visible);
}

test("a post in a room the other is not viewing marks it unread live; opening it reads it in every tab", { timeout: 90_000 }, () => withPeople(async ({ ada, bo, boTab2, lobby }) => {
  // Bo views All Talk in both tabs; Ada posts in the Lobby.
  await postIn(ada, lobby, "in the lobby");
  await waitUnread(bo, lobby, true);
  await waitUnread(boTab2, lobby, true);
  await roomLink(bo, "Lobby").and(bo.locator(".unread")).waitFor();
  // Opening it in one tab reads it in the other too (RoomRead through the stream).
  await open(bo, "Lobby");
  assert.equal(await unreadIn(bo, lobby), false);
  await waitUnread(boTab2, lobby, false);
  // Reloading shows what the server holds: read.
  await boTab2.reload();
  await waitForOnline(boTab2);
  assert.equal(await unreadIn(boTab2, lobby), false);
  // While Bo views the Lobby, posts there leave it read, for her and on the server.
  await postIn(ada, lobby, "seen at once");
  await bo.getByText("seen at once").waitFor();
  await sleep(300);
  assert.equal(await unreadIn(bo, lobby), false);
  assert.equal(await unreadIn(boTab2, lobby), false);
}));

test("a tab hidden for 5 s goes absent and gets unread; shown again, it reads the room", { timeout: 90_000 }, () => withPeople(async ({ ada, bo, boTab2, lobby }) => {
  await open(bo, "Lobby");
  await setVisibility(bo, false);
  // Within the first 5 s the tab is still present: not unread.
  await postIn(ada, lobby, "hidden for a moment");
  await bo.getByText("hidden for a moment").waitFor();
  await sleep(300);
  assert.equal(await unreadIn(bo, lobby), false);
  // After 5 s it is absent.
  await bo.waitForFunction(() => window.hearth.stream.presence === null, null, { timeout: 8_000 });
  await postIn(ada, lobby, "while away");
  await waitUnread(bo, lobby, true);
  await waitUnread(boTab2, lobby, true);
  // Visible again: present, the room is read everywhere.
  await setVisibility(bo, true);
  assert.equal(await unreadIn(bo, lobby), false);
  await waitUnread(boTab2, lobby, false);
  await bo.waitForFunction((id) => window.hearth.stream.presence === id, lobby);
}));

test("typing shows for the other member and expires 5 s after the last keystroke", { timeout: 90_000 }, () => withPeople(async ({ ada, bo }) => {
  const typing = bo.locator(".typing");
  const box = ada.getByRole("textbox", { name: "Message" });
  await box.pressSequentially("thinking about it");
  await typing.filter({ hasText: "Ada Lovelace is typing…" }).waitFor();
  const lastKey = Date.now();
  // Ada stops typing without sending: no stop is sent, so Bo's notice expires on its own.
  await typing.filter({ hasText: /^$/ }).waitFor({ timeout: 10_000 });
  const shownFor = Date.now() - lastKey;
  assert.ok(shownFor >= 3_500, `the notice expired after ${shownFor} ms, before 5 s`);
  // Sending clears it at once.
  await box.pressSequentially(" — done");
  await typing.filter({ hasText: "Ada Lovelace is typing…" }).waitFor();
  await box.press("Enter");
  await typing.filter({ hasText: /^$/ }).waitFor({ timeout: 2_000 });
}));
