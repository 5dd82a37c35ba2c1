// The account page in the browser (CAMPFIRE.md 2.2, 2.17, 2.26): Ada (administrator) renames the
// account and the page title, sidebar and web manifest follow; her custom CSS reaches Bo's open
// page and the sign-in page of a fresh browser (with the help contact), under the page's CSP; she
// regenerates the join link and the old one is a 404 at once while Bo's copy updates live; the QR
// code renders. Bo (member) sees the join link and its QR code, and none of the controls.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, newPage, assertHealthy, withTwo } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function openAccount(page) {
  await page.getByRole("link", { name: "Account", exact: true }).click();
  await page.getByRole("heading", { name: "Account" }).waitFor();
  assert.equal(new URL(page.url()).pathname, "/account");
}

async function qrRendered(page) {
  const qr = page.locator("img.join-qr");
  await qr.waitFor();
  await page.waitForFunction(() => {
    const img = document.querySelector("img.join-qr");
    return img?.complete && img.naturalWidth > 0;
  });
  return qr.getAttribute("src");
}

test("rename, custom CSS, regenerate the join link, QR code; members read only", { timeout: 120_000 }, () => withTwo(browser, async ({ ada, bo, server }) => {
  await openAccount(ada);
  assert.equal(await ada.title(), "Account · Campfire");

  // Rename: the title, both sidebars and the manifest follow.
  await ada.locator(".account-name-input").fill("Hearthside");
  await ada.getByRole("button", { name: "Save name" }).click();
  await ada.waitForFunction(() => document.title === "Account · Hearthside");
  await bo.locator(".sidebar .account-name", { hasText: "Hearthside" }).waitFor();
  await bo.waitForFunction(() => document.title.endsWith(" · Hearthside"));
  const manifest = await ada.evaluate(async () => {
    const res = await fetch("/webmanifest");
    return { type: res.headers.get("content-type"), body: await res.json() };
  });
  assert.equal(manifest.type, "application/manifest+json");
  assert.equal(manifest.body.name, "Hearthside");
  assert.equal(await ada.locator('link[rel="manifest"]').getAttribute("href"), "/webmanifest");
  assert.deepEqual(manifest.body.shortcuts.map((s) => s.url), ["/rooms/new", "/profile"]);

  // The QR code of the join link is an SVG image that renders.
  const oldUrl = await ada.locator(".join-link").inputValue();
  assert.equal(oldUrl, `${server.url}/join/${oldUrl.split("/join/")[1]}`);
  const qrSrc = await qrRendered(ada);
  const qr = await ada.request.get(`${server.url}${qrSrc}`);
  assert.equal(qr.status(), 200);
  assert.equal(qr.headers()["content-type"], "image/svg+xml");
  assert.match(qr.headers()["cache-control"], /max-age=31536000/);

  // Custom CSS: applied live on Bo's open page and on the sign-in page of a fresh browser.
  const css = ".sidebar, .auth-card { outline: 7px solid rgb(1, 2, 3); }";
  await ada.locator(".custom-css").fill(css);
  await ada.getByRole("button", { name: "Save CSS" }).click();
  await ada.locator(".custom-css-form .form-status", { hasText: "Saved." }).waitFor();
  await bo.waitForFunction(() => getComputedStyle(document.querySelector(".sidebar")).outlineColor === "rgb(1, 2, 3)");
  const fresh = await newPage(browser);
  try {
    await fresh.page.goto(`${server.url}/`);
    await fresh.page.getByRole("heading", { name: "Sign in" }).waitFor();
    await fresh.page.waitForFunction(() => getComputedStyle(document.querySelector(".auth-card")).outlineWidth === "7px");
    assert.equal(await fresh.page.evaluate(() => getComputedStyle(document.querySelector(".auth-card")).outlineColor),
      "rgb(1, 2, 3)");
    await fresh.page.locator(".auth-help", { hasText: "ada@example.com" }).waitFor();
    await fresh.page.waitForFunction(() => document.title === "Hearthside");
    await assertHealthy(fresh.page); // no CSP violation, no error
  } finally {
    await fresh.context.close();
  }

  // Regenerate (confirmed): the old link is a 404 at once; Bo's sidebar learns the new one live.
  ada.once("dialog", (d) => d.accept());
  await ada.getByRole("button", { name: "Regenerate" }).click();
  await ada.waitForFunction((old) => document.querySelector(".join-link").value !== old, oldUrl);
  const newUrl = await ada.locator(".join-link").inputValue();
  assert.equal((await ada.request.get(oldUrl)).status(), 404);
  assert.equal((await ada.request.get(newUrl)).status(), 200);
  await bo.waitForFunction((url) => document.querySelector(".invite-link")?.value === url, newUrl);
  assert.notEqual(await qrRendered(ada), qrSrc, "the QR code follows the new link");

  // Bo sees the account read only: the join link and its QR code, no administrator controls.
  await openAccount(bo);
  assert.equal(await bo.locator(".join-link").inputValue(), newUrl);
  await qrRendered(bo);
  assert.equal(await bo.locator(".account-name-text").textContent(), "Hearthside");
  for (const control of [".account-name-input", ".regenerate-join-link", ".custom-css", ".account-bots-link"]) {
    assert.equal(await bo.locator(control).count(), 0, control);
  }
  assert.equal(await bo.locator(".restrict-rooms").isDisabled(), true);
  await bo.locator(".account-people-link").waitFor();
  assert.equal(await bo.locator("#account-logo-upload").count(), 1);
  await bo.reload(); // the page loads from its URL too
  await bo.getByRole("heading", { name: "Account" }).waitFor();
  assert.equal(await bo.locator(".join-link").inputValue(), newUrl);

  // The manifest's "New chat room" shortcut opens the new-room dialog.
  await ada.goto(`${server.url}/rooms/new`);
  await ada.getByRole("button", { name: "Create room" }).waitFor();
}));
