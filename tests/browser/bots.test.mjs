// Bots in the browser (CAMPFIRE.md 2.15): Ada, the administrator, creates a bot on /account/bots,
// reads its key and the ready-made curl line for All Talk, a plain HTTP POST with that key (as a
// bot script or curl sends it: a raw body, no cookie, no CSRF token) posts a message that Bo sees
// appear live, and resetting the key kills the old one at once.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, withTwo, confirmedTexts } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test("an administrator creates a bot whose key posts live, and resetting the key kills the old one", { timeout: 120_000 }, () => withTwo(browser, async ({ ada, bo, server }) => {
  ada.on("dialog", (d) => d.accept());
  await ada.goto(`${server.url}/account/bots`);
  await ada.getByRole("heading", { name: "Bots" }).waitFor();
  await ada.getByLabel("Bot name").fill("Robo");
  await ada.getByRole("button", { name: "Create bot" }).click();

  const row = ada.locator(".bot", { has: ada.locator(".bot-title", { hasText: "Robo" }) });
  const key = (await row.locator("code.bot-key").textContent()).trim();
  assert.match(key, /^\d+-[0-9A-Za-z]{24}$/);
  const curl = await row.locator(".bot-curl li", { hasText: "All Talk" }).locator("pre.curl").allTextContents();
  const roomId = await row.locator(".bot-curl li", { hasText: "All Talk" }).getAttribute("data-room");
  const url = `${server.url}/rooms/${roomId}/${key}/messages`;
  assert.deepEqual(curl, [`curl -d 'Hello!' ${url}`, `curl -F "attachment=@/path/to/file" ${url}`]);

  // Hidden, then shown again on demand: the server recovers the key, it is not only in this page.
  await row.getByRole("button", { name: "Hide key" }).click();
  assert.equal(await row.locator("code.bot-key").count(), 0);
  await row.getByRole("button", { name: "Show key" }).click();
  assert.equal((await row.locator("code.bot-key").textContent()).trim(), key);

  // What curl -d 'Hello from Robo' <url> sends: no cookie, no CSRF token, a form content type.
  const posted = await fetch(url, { method: "POST", body: "Hello from Robo", headers: { "Content-Type": "application/x-www-form-urlencoded" }, redirect: "manual" });
  assert.equal(posted.status, 201);
  assert.match(posted.headers.get("location"), /\/messages\/\d+$/);
  await bo.locator(".message-list .message[data-message-id] .message-body", { hasText: "Hello from Robo" }).waitFor();
  assert.ok((await confirmedTexts(bo)).includes("Hello from Robo"));

  await row.getByRole("button", { name: "Reset key" }).click();
  await ada.waitForFunction((old) => {
    const code = [...document.querySelectorAll(".bot code.bot-key")].map((c) => c.textContent.trim());
    return code.length > 0 && !code.includes(old);
  }, key);
  const fresh = (await row.locator("code.bot-key").textContent()).trim();
  assert.notEqual(fresh, key);
  const refused = await fetch(url, { method: "POST", body: "old key", redirect: "manual" });
  assert.equal(refused.status, 302, "the old key is dead at once");
  assert.match(refused.headers.get("location"), /\/session\/new$/);
  const accepted = await fetch(`${server.url}/rooms/${roomId}/${fresh}/messages`, { method: "POST", body: "new key", redirect: "manual" });
  assert.equal(accepted.status, 201);
  await bo.locator(".message-list .message-body", { hasText: "new key" }).waitFor();

  // Bo is no administrator: the page tells him so and the API refuses him.
  await bo.goto(`${server.url}/account/bots`);
  await bo.locator(".bots .notice", { hasText: "Only administrators" }).waitFor();
}));
