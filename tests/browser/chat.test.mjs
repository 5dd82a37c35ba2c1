// The browser client against a real server: what a person sees must end up equal to the log —
// nothing lost, nothing twice, nothing out of order — through reloads, offline spells and server
// restarts (issue 3 §6). One chromium for the file; each test has its own server and data dir.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import {
  startServer, launchBrowser, newPage, tempDir, firstRun, signIn, joinWithLink, joinUrlOf, say,
  confirmedTexts, waitForOnline, assertHealthy, withServer,
} from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const kTestTimeout = { timeout: 60_000 };

test("first run, post, reload: the history stays and the post is not doubled", kTestTimeout, () => withServer(async ({ start }) => {
  const server = await start();
  const { context, page } = await newPage(browser);
  await firstRun(page, server.url);
  await waitForOnline(page);
  await say(page, "Hello, <b>world</b> & friends");
  const box = page.getByRole("textbox", { name: "Message" });
  await box.pressSequentially("a draft to drop");
  await box.press("Escape");
  assert.equal(await box.textContent(), "", "Esc clears the composer");
  await box.pressSequentially("Second line");
  await box.press("Shift+Enter");
  await box.pressSequentially("with a newline");
  await box.press("Enter");
  await page.locator(".message[data-message-id]").nth(1).waitFor();
  assert.deepEqual(await confirmedTexts(page), ["Hello, <b>world</b> & friends", "Second line\nwith a newline"]);
  await page.reload();
  await page.getByRole("heading", { name: "All Talk" }).waitFor();
  await page.locator(".message[data-message-id]").nth(1).waitFor();
  assert.deepEqual(await confirmedTexts(page), ["Hello, <b>world</b> & friends", "Second line\nwith a newline"]);
  assert.equal(await page.locator(".message-body b").count(), 0, "text is never markup");

  // A post the server cannot take fails visibly, keeps its text, and offers a retry.
  await box.fill("x".repeat(70_000));
  await box.press("Enter");
  const failed = page.locator(".message.pending-failed");
  await failed.getByText("Not sent: The message is too long.").waitFor();
  await failed.getByRole("button", { name: "Retry" }).click();
  await failed.getByText("Not sent").waitFor();
  await failed.getByRole("button", { name: "Discard" }).click();
  await failed.waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => window.hearth.stream.status), "online", "the connection was not dropped");
  assert.match(page.url(), /\/rooms\/\d+$/);
  await assertHealthy(page);
  await context.close();
}));

test("sign out, then sign in again with the same email and password", kTestTimeout, () => withServer(async ({ start }) => {
  const server = await start();
  const { context, page } = await newPage(browser);
  await firstRun(page, server.url, { email: "ada@example.com" });
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.reload(); // the session is gone on the server too, not only on screen
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.getByLabel("Email address").fill("ada@example.com");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("alert").filter({ hasText: "Too many requests or unauthorized." }).waitFor();
  await signIn(page, server.url, "ada@example.com");
  assert.equal(await page.locator(".me-name").textContent(), "Ada Lovelace");
  await assertHealthy(page);
  await context.close();
}));

test("the join link signs a new person up into the open rooms", kTestTimeout, () => withServer(async ({ start }) => {
  const server = await start();
  const admin = await newPage(browser);
  await firstRun(admin.page, server.url);
  const link = await joinUrlOf(admin.page);
  assert.match(link, /\/join\/[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$/);

  // A wrong code is a 404 page, as Campfire's (2.2), not a form.
  const guest = await newPage(browser);
  const wrong = await guest.page.goto(`${server.url}/join/AAAA-BBBB-CCCC`);
  assert.equal(wrong.status(), 404);
  await guest.page.getByRole("heading", { name: "This invitation link is not valid" }).waitFor();
  assert.equal(await guest.page.getByLabel("Your name").count(), 0);

  await joinWithLink(guest.page, link, { name: "Grace Hopper", email: "grace@example.com" });
  assert.equal(await guest.page.locator(".me-name").textContent(), "Grace Hopper");
  await assertHealthy(admin.page);
  await assertHealthy(guest.page);
  await admin.context.close();
  await guest.context.close();
}));

// Two people in All Talk: Ada (first run) and Grace (join link).
async function twoPeople(server) {
  const ada = await newPage(browser);
  await firstRun(ada.page, server.url);
  const grace = await newPage(browser);
  await joinWithLink(grace.page, await joinUrlOf(ada.page), { name: "Grace Hopper", email: "grace@example.com" });
  await waitForOnline(ada.page);
  await waitForOnline(grace.page);
  return { ada, grace };
}

test("a post appears live in the other person's browser, grouped and named", kTestTimeout, () => withServer(async ({ start }) => {
  const server = await start();
  const { ada, grace } = await twoPeople(server);
  await say(ada.page, "Are you there?");
  await say(ada.page, "Hello?");
  await grace.page.locator(".message[data-message-id]").nth(1).waitFor();
  assert.deepEqual(await confirmedTexts(grace.page), ["Are you there?", "Hello?"]);
  assert.equal(await grace.page.locator(".message .author").first().textContent(), "Ada Lovelace");
  assert.equal(await grace.page.locator(".message.continued").count(), 1, "consecutive posts group under one header");
  assert.equal(await grace.page.locator(".message .avatar").first().textContent(), "AL");
  await ada.page.getByRole("textbox", { name: "Message" }).pressSequentially("thinking");
  await grace.page.locator(".typing").filter({ hasText: "Ada Lovelace is typing…" }).waitFor();
  await ada.page.getByRole("textbox", { name: "Message" }).press("Escape");
  await grace.page.locator(".typing").filter({ hasText: /^$/ }).waitFor();
  await say(grace.page, "Yes!");
  await ada.page.locator(".message[data-message-id]").nth(2).waitFor();
  assert.deepEqual(await confirmedTexts(ada.page), ["Are you there?", "Hello?", "Yes!"]);
  await assertHealthy(ada.page);
  await assertHealthy(grace.page);
}));

test("offline while 100 messages are posted: back online, all 100 appear once, in order", { timeout: 90_000 }, () => withServer(async ({ start }) => {
  const server = await start();
  const { ada, grace } = await twoPeople(server);
  await grace.context.setOffline(true);
  await grace.page.locator(".offline-banner").waitFor({ state: "visible", timeout: 20_000 });
  assert.equal(await grace.page.getByRole("textbox", { name: "Message" }).isDisabled(), true, "composer disabled while offline");

  const texts = Array.from({ length: 100 }, (_, i) => `message ${String(i + 1).padStart(3, "0")}`);
  for (const text of texts) await say(ada.page, text);
  await ada.page.waitForFunction(() => document.querySelectorAll(".message[data-message-id]").length >= 100, null, { timeout: 30_000 });
  assert.deepEqual(await confirmedTexts(ada.page), texts);

  assert.equal(await grace.page.locator(".message[data-message-id]").count(), 0, "nothing arrived while offline");
  assert.equal(await grace.page.locator(".offline-banner").isVisible(), true, "still offline after all 100");
  await grace.context.setOffline(false);
  await grace.page.locator(".offline-banner").waitFor({ state: "hidden", timeout: 20_000 });
  await grace.page.waitForFunction(() => document.querySelectorAll(".message[data-message-id]").length >= 100, null, { timeout: 20_000 });
  assert.deepEqual(await confirmedTexts(grace.page), texts);
  const ids = await grace.page.$$eval(".message[data-message-id]", (els) => els.map((e) => Number(e.dataset.seq)));
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), "in seq order");
  assert.equal(new Set(ids).size, 100, "each once");
  await assertHealthy(ada.page);
  await assertHealthy(grace.page);
}));

test("a server restart in the middle of a conversation loses nothing", { timeout: 90_000 }, () => withServer(async ({ start, dir }) => {
  let server = await start();
  const { ada, grace } = await twoPeople(server);
  await say(ada.page, "before the restart");
  await grace.page.locator(".message[data-message-id]").first().waitFor();

  await server.stop();
  server = await start({ port: server.port });
  await waitForOnline(ada.page);
  await waitForOnline(grace.page);
  await say(grace.page, "after the restart");
  await say(ada.page, "still here");
  const expected = ["before the restart", "after the restart", "still here"];
  for (const p of [ada.page, grace.page]) {
    await p.waitForFunction((n) => document.querySelectorAll(".message[data-message-id]").length >= n, expected.length);
    assert.deepEqual(await confirmedTexts(p), expected);
  }
  // And a fresh load agrees with what the live view shows.
  await grace.page.reload();
  await grace.page.locator(".message[data-message-id]").nth(2).waitFor();
  assert.deepEqual(await confirmedTexts(grace.page), expected);
  await assertHealthy(ada.page);
  await assertHealthy(grace.page);
  void dir;
}));

test("a server restored from an older backup resets the client, which reloads and shows the restored log", { timeout: 90_000 }, () => withServer(async ({ start, dir }) => {
  let server = await start();
  const { context, page } = await newPage(browser);
  await firstRun(page, server.url);
  await waitForOnline(page);
  await say(page, "kept");
  await page.locator(".message[data-message-id]").first().waitFor();
  await server.stop();
  const data = join(dir.path, "data"), backup = join(dir.path, "backup");
  cpSync(data, backup, { recursive: true });

  server = await start({ port: server.port });
  await waitForOnline(page);
  await say(page, "lost in the restore");
  await page.locator(".message[data-message-id]").nth(1).waitFor();
  await server.stop();
  rmSync(data, { recursive: true });
  cpSync(backup, data, { recursive: true });

  // The client's cursor is now ahead of the log: the server says reset, the client reloads.
  server = await start({ port: server.port });
  await page.waitForFunction(() => document.querySelectorAll(".message[data-message-id]").length === 1, null, { timeout: 20_000 });
  await waitForOnline(page);
  assert.deepEqual(await confirmedTexts(page), ["kept"]);
  await say(page, "after the restore");
  await page.locator(".message[data-message-id]").nth(1).waitFor();
  assert.deepEqual(await confirmedTexts(page), ["kept", "after the restore"]);
  await assertHealthy(page);
  await context.close();
}));

test("when the session is gone on the server (a new data directory), the client asks to sign in", kTestTimeout, () => withServer(async ({ start }) => {
  const server = await start();
  const { context, page } = await newPage(browser);
  await firstRun(page, server.url);
  await waitForOnline(page);
  await server.stop();
  const other = tempDir();
  try {
    const fresh = await startServer(other.path, { port: server.port });
    try {
      await page.getByText("Your session ended. Sign in again.").waitFor({ timeout: 20_000 });
    } finally {
      await fresh.stop();
    }
  } finally {
    other.remove();
  }
  await assertHealthy(page);
  await context.close();
}));

test("the room view fits 1280 px and 360 px screens, with history paging on scroll", { timeout: 90_000 }, () => withServer(async ({ start }) => {
  const server = await start();
  const { ada, grace } = await twoPeople(server);
  for (let i = 1; i <= 45; i++) await say(i % 5 === 0 ? grace.page : ada.page, `note ${i}${i % 7 === 0 ? " — a longer message that wraps onto a second line on a phone screen" : ""}`);
  await ada.page.waitForFunction(() => document.querySelectorAll(".message[data-message-id]").length >= 45);

  const phone = await newPage(browser, { width: 360, height: 720 });
  await signIn(phone.page, server.url, "grace@example.com");
  await phone.page.locator(".message[data-message-id]").first().waitFor();
  const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling at 360 px (overflow ${overflow} px)`);
  // The first page is the newest 40; scrolling to the top loads the rest.
  await phone.page.locator(".messages").evaluate((el) => { el.scrollTop = 0; });
  await phone.page.getByText("This is the start of the room.").waitFor();
  assert.equal(await phone.page.locator(".message[data-message-id]").count(), 45);

  const shots = process.env.HEARTH_SCREENSHOTS;
  if (shots) {
    mkdirSync(shots, { recursive: true });
    await ada.page.screenshot({ path: join(shots, "room-1280.png") });
    await phone.page.locator(".messages").evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await phone.page.screenshot({ path: join(shots, "room-360.png") });
    await phone.page.getByRole("button", { name: "Rooms" }).click();
    await phone.page.waitForTimeout(300);
    await phone.page.screenshot({ path: join(shots, "sidebar-360.png") });
  }
  await assertHealthy(ada.page);
  await assertHealthy(phone.page);
}));
