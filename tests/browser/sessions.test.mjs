// A person's other sessions in the browser (RELIABILITY S2): Bo is signed in on two browsers; from
// his profile in one he signs out everywhere else (after a confirmation), or sets a new password,
// and the other browser's open page drops to sign-in at once while this one stays signed in.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { assertHealthy, launchBrowser, newPage, say, signIn, waitForOnline, withTwo } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function expectSignedOut(page) {
  await page.getByRole("heading", { name: "Sign in" }).waitFor({ timeout: 10_000 });
  assert.equal(new URL(page.url()).pathname, "/session/new");
}

// Bo's second browser (a context of its own: its own cookie, so its own session), online on All
// Talk; `body` gets it and Bo's first page on /profile.
async function withSecondBrowser(bo, server, body) {
  const other = await newPage(browser);
  try {
    await signIn(other.page, server.url, "bo@example.com");
    await waitForOnline(other.page);
    await bo.locator(".me-name").click();
    await bo.getByRole("heading", { name: "Your profile" }).waitFor();
    await body(other.page);
    await assertHealthy(other.page);
  } finally {
    await other.context.close();
  }
}

// Ada says something: Bo's page that stayed signed in still gets it live.
async function stillLive(ada, bo, text) {
  await bo.getByRole("link", { name: "All Talk" }).first().click();
  await bo.getByRole("heading", { name: "All Talk" }).waitFor();
  await say(ada, text);
  await bo.locator(".message-body", { hasText: text }).waitFor();
}

test("Signing out everywhere else asks first, then signs the other browser out", { timeout: 120_000 }, () => withTwo(browser, async ({ ada, bo, server }) => {
  await withSecondBrowser(bo, server, async (other) => {
    const button = bo.getByRole("button", { name: "Sign out everywhere else" });
    bo.once("dialog", (d) => d.dismiss());
    await button.click();
    await other.waitForTimeout(500);
    assert.equal(new URL(other.url()).pathname.startsWith("/session/new"), false, "declined: nothing ends");

    bo.once("dialog", (d) => d.accept());
    await button.click();
    await bo.locator(".sign-out-elsewhere-status", { hasText: "Signed out everywhere else" }).waitFor();
    await expectSignedOut(other);
  });
  await stillLive(ada, bo, "Still with us, Bo?");
}));

test("A new password signs the other browser out and keeps this one", { timeout: 120_000 }, () => withTwo(browser, async ({ ada, bo, server }) => {
  await withSecondBrowser(bo, server, async (other) => {
    await bo.getByLabel("New password").fill("a much newer secret");
    await bo.getByRole("button", { name: "Save changes" }).click();
    await bo.locator(".form-status", { hasText: "Saved" }).waitFor();
    await expectSignedOut(other);
  });
  await stillLive(ada, bo, "New password, same Bo");
}));
