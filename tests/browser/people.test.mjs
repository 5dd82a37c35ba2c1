// Profiles and administration in the browser (CAMPFIRE.md 2.3, 2.18–2.21): Bo edits his profile
// and opens his "sign in on another device" link in a fresh browser; Ada promotes and demotes
// him, then deactivates him and his open tab is signed out; in another run Ada bans him and his
// messages vanish from her open page while his tab is signed out.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, newPage, say, withTwo } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const myId = (page) => page.evaluate(() => window.hearth.store.me.id);

// A second tab of Ada's (same browser context, same session) for her administrator actions, so
// her first tab stays open on All Talk.
async function adminTab(ada, path) {
  const tab = await ada.context().newPage();
  tab.on("dialog", (d) => d.accept());
  await tab.goto(new URL(path, ada.url()).href);
  return tab;
}

async function expectSignedOut(page) {
  await page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: 10_000 });
  assert.equal(new URL(page.url()).pathname, "/session/new");
}

test("Bo edits his profile and his transfer link signs in a fresh browser", { timeout: 120_000 }, () => withTwo(browser, async ({ bo, server }) => {
  await bo.locator(".me-name").click();
  await bo.getByRole("heading", { name: "Your profile" }).waitFor();
  await bo.getByLabel("Name").fill("Bo Diddley");
  await bo.getByLabel("Bio").fill("Plays a square guitar");
  await bo.getByRole("button", { name: "Save changes" }).click();
  await bo.locator(".form-status", { hasText: "Saved" }).waitFor();
  await bo.locator(".sidebar-foot .me-name", { hasText: "Bo Diddley" }).waitFor();

  const id = await myId(bo);
  await bo.goto(`${server.url}/users/${id}`);
  await bo.locator(".person-bio", { hasText: "Plays a square guitar" }).waitFor();
  assert.equal(await bo.locator(".person-name").textContent(), "Bo Diddley");
  assert.equal(await bo.locator(".ping-person").count(), 0, "no Ping button on my own profile");

  await bo.goto(`${server.url}/profile`);
  const link = await bo.locator(".transfer-link").inputValue();
  assert.match(link, new RegExp(`^${server.url}/session/transfers/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$`));

  const fresh = await newPage(browser);
  try {
    await fresh.page.goto(link);
    await fresh.page.getByRole("heading", { name: "All Talk" }).waitFor();
    assert.equal(await fresh.page.locator(".sidebar-foot .me-name").textContent(), "Bo Diddley");
    assert.equal(await myId(fresh.page), id);
    const broken = await newPage(browser);
    try {
      await broken.page.goto(`${link.slice(0, -3)}AAA`);
      await broken.page.getByRole("heading", { name: "This link doesn't work" }).waitFor();
    } finally {
      await broken.context.close();
    }
  } finally {
    await fresh.context.close();
  }
}));

test("Ada promotes and demotes Bo, then deactivates him and his tab is signed out", { timeout: 120_000 }, () => withTwo(browser, async ({ ada, bo }) => {
  const boId = await myId(bo);
  const tab = await adminTab(ada, "/account/people");
  const row = tab.locator(`.person[data-user="${boId}"]`);
  await row.waitFor();
  assert.equal(await tab.locator(`.person[data-user="${await myId(ada)}"] .person-actions`).count(), 0, "no actions on myself");
  await row.getByRole("button", { name: "Promote" }).click();
  await tab.locator(`.person[data-user="${boId}"][data-role="administrator"]`).waitFor();
  await bo.waitForFunction((id) => window.hearth.store.users.get(id)?.role === "administrator", boId);
  await tab.locator(`.person[data-user="${boId}"]`).getByRole("button", { name: "Demote" }).click();
  await tab.locator(`.person[data-user="${boId}"][data-role="member"]`).waitFor();

  await tab.locator(`.person[data-user="${boId}"]`).getByRole("button", { name: "Deactivate" }).click();
  await expectSignedOut(bo);
  await tab.locator(`.person[data-user="${boId}"]`).waitFor({ state: "detached" });
  await tab.goto(new URL(`/users/${boId}`, ada.url()).href);
  await tab.locator(".person-gone", { hasText: "Bo is no longer on this account." }).waitFor();
  await tab.close();
}));

test("Ada bans Bo: his messages vanish from her open page and his tab is signed out", { timeout: 120_000 }, () => withTwo(browser, async ({ ada, bo }) => {
  await say(bo, "buy cheap watches");
  await say(bo, "really cheap");
  const bodies = ada.locator(".message-list .message[data-message-id] .message-body");
  await ada.locator(".message-body", { hasText: "really cheap" }).waitFor();
  const before = await bodies.count();

  const boId = await myId(bo);
  const tab = await adminTab(ada, `/users/${boId}`);
  await tab.getByRole("button", { name: "Ban" }).click();
  await tab.getByRole("button", { name: "Remove ban" }).waitFor();
  await tab.locator(".person-banned").waitFor();

  await ada.locator(".message-body", { hasText: "cheap" }).first().waitFor({ state: "detached" });
  assert.equal(await bodies.count(), before - 2, "both of his messages left the page, live");
  await expectSignedOut(bo);

  await tab.getByRole("button", { name: "Remove ban" }).click();
  await tab.getByRole("button", { name: "Ban" }).waitFor();
  await tab.close();
}));
