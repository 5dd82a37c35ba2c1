// Search in the browser (CAMPFIRE.md 2.13): Ada posts, Bo searches from the sidebar, sees the match
// highlighted (as text: a message that looks like markup stays inert), finds the query among his
// recent searches, opens the result's permalink (centred and highlighted), loads the search page
// from its URL, and clears his recent searches.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, say, withTwo } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test("search from the sidebar, open a result, clear recent searches", { timeout: 90_000 }, () => withTwo(browser, async ({ ada, bo, server }) => {
  await bo.addInitScript(() => { window.alert = () => { window.__alerted = true; }; });

  await say(ada, "We are Deploying the new servers tonight");
  await say(ada, "<img src=x onerror=alert(1)> deploy notes");
  await say(ada, "lunch is at noon");
  await ada.locator(".message-list .message[data-message-id]").nth(2).waitFor();

  const page = bo;
  await page.getByRole("link", { name: "Search messages" }).click();
  await page.getByRole("heading", { name: "Search" }).waitFor();
  assert.equal(new URL(page.url()).pathname, "/search");
  await page.getByRole("searchbox", { name: "Search messages" }).fill("deploying");
  await page.getByRole("button", { name: "Search" }).click();

  const results = page.locator(".search-result");
  await page.locator(".search-summary", { hasText: "2 matches" }).waitFor();
  assert.equal(new URL(page.url()).search, "?q=deploying");
  assert.deepEqual(await results.locator(".search-result-text").allTextContents(),
    ["We are Deploying the new servers tonight", "<img src=x onerror=alert(1)> deploy notes"], "oldest first, as text");
  assert.deepEqual(await results.locator("mark").allTextContents(), ["Deploying", "deploy"]);
  assert.equal(await page.locator(".search-results img").count(), 0, "no markup from a message");
  assert.equal(await results.first().locator(".search-result-room").textContent(), "All Talk");
  assert.deepEqual(await page.locator(".recent-search").allTextContents(), ["deploying"]);

  const first = results.first();
  const href = await first.locator("a").getAttribute("href");
  const messageId = await first.getAttribute("data-message");
  assert.match(href, new RegExp(`^/rooms/\\d+/@${messageId}$`));
  await first.locator("a").click();
  await page.getByRole("heading", { name: "All Talk" }).waitFor();
  assert.equal(new URL(page.url()).pathname, href, "the permalink");
  const highlighted = page.locator(".message.highlighted");
  await highlighted.waitFor();
  assert.equal(await highlighted.getAttribute("data-message-id"), messageId);

  await page.goto(`${server.url}/search?q=deploying`);  // the search page loads from its URL too
  await page.locator(".search-summary", { hasText: "2 matches" }).waitFor();
  await page.getByRole("button", { name: "Clear" }).click();
  await page.locator(".recent-search").first().waitFor({ state: "detached" });
  await page.reload();
  await page.locator(".search-summary", { hasText: "2 matches" }).waitFor();
  assert.equal(await page.locator(".recent-search").count(), 0, "cleared on the server too");

  assert.equal(await page.evaluate(() => window.__alerted ?? false), false);
}));
