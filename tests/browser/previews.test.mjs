// Link previews in Chromium (CAMPFIRE.md 2.11): a URL typed in the composer is unfurled once typing
// pauses, its card shows under the editor, and it goes with the message if the URL is still there
// when it is sent; the other person sees the card (text only: the image is never loaded). The
// person can dismiss it. Where the page's answer matters, the unfurl route is answered by the test
// (the sandbox has no internet); one test lets the real server answer, for a page on this host,
// which it must refuse to fetch.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { launchBrowser, withTwo, sleep } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// Answers the page's unfurl requests as a server that reached the page would; returns the URLs asked.
async function fakeUnfurl(page, preview) {
  const asked = [];
  await page.route("**/api/unfurl_link", async (route) => {
    const { url } = JSON.parse(route.request().postData() ?? "{}");
    asked.push(url);
    await route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify({ ...preview(url), url }) });
  });
  return asked;
}

// Requests the page makes to anywhere but the Hearth server (there must be none).
function foreignRequests(page, serverUrl) {
  const seen = [];
  page.on("request", (r) => { if (!r.url().startsWith(serverUrl)) seen.push(r.url()); });
  return seen;
}

const box = (page) => page.getByRole("textbox", { name: "Message" });
const lastBody = (page) => page.locator(".message[data-message-id] .message-body").last();
async function arrived(page, n) {
  await page.waitForFunction((k) => document.querySelectorAll(".message[data-message-id]").length >= k, n);
}

test("a typed URL's preview is shown, sent with the message, and seen as a card by the other person", { timeout: 120_000 }, async () => {
  await withTwo(browser, async ({ ada, bo, server }) => {
    const asked = await fakeUnfurl(ada, (url) => ({
      title: `Article at ${new URL(url).pathname}`, description: "What it is about", image: "https://example.com/card.png",
    }));
    const adaForeign = foreignRequests(ada, server.url);
    const boForeign = foreignRequests(bo, server.url);

    await box(ada).click();
    await box(ada).pressSequentially("look at https://example.com/article please");
    const card = ada.locator(".composer-preview .link-preview");
    await card.waitFor();
    assert.equal(await card.locator(".link-preview-title").textContent(), "Article at /article");
    assert.equal(await card.locator(".link-preview-host").textContent(), "example.com");
    assert.deepEqual(asked, ["https://example.com/article"]); // debounced: one request for the whole typing
    await box(ada).press("Enter");
    assert.equal(await ada.locator(".composer-preview").isHidden(), true);

    await arrived(bo, 1);
    const seen = lastBody(bo).locator(".link-preview");
    await seen.waitFor();
    assert.equal(await seen.getAttribute("href"), "https://example.com/article");
    assert.equal(await seen.getAttribute("target"), "_blank");
    assert.equal(await seen.getAttribute("rel"), "noopener noreferrer");
    assert.equal(await seen.locator(".link-preview-title").textContent(), "Article at /article");
    assert.equal(await seen.locator(".link-preview-description").textContent(), "What it is about");
    assert.equal(await seen.locator("img").count(), 0);
    assert.match(await lastBody(bo).innerText(), /^look at https:\/\/example\.com\/article please/);

    // A message that is only the link shows just the card (Campfire's solo unfurled link).
    await box(ada).pressSequentially("https://example.com/solo");
    await ada.locator(".composer-preview .link-preview").waitFor();
    await box(ada).press("Enter");
    await arrived(bo, 2);
    await lastBody(bo).locator(".link-preview").waitFor();
    const solo = await lastBody(bo).evaluate((b) => [...b.childNodes].map((n) => n.nodeName));
    assert.deepEqual(solo, ["A"]);
    assert.equal(await lastBody(bo).locator(".link-preview-title").textContent(), "Article at /solo");

    // The stored body carries the preview as data, with no text of its own.
    const body = await bo.evaluate(async () => {
      const rooms = await (await fetch("/api/bootstrap")).json();
      const page = await (await fetch(`/api/rooms/${rooms.rooms[0].id}/messages`)).json();
      return page.messages.at(-1);
    });
    assert.match(body.body_html, /<action-text-attachment content-type="application\/vnd\.actiontext\.opengraph-embed" href="https:\/\/example\.com\/solo" url="https:\/\/example\.com\/card\.png" filename="Article at \/solo" caption="What it is about"><\/action-text-attachment>$/);
    assert.equal(body.plain_text, "https://example.com/solo");

    assert.deepEqual(adaForeign, []);
    assert.deepEqual(boForeign, []);
  });
});

test("a dismissed preview, or one whose URL was deleted, is not sent", { timeout: 120_000 }, async () => {
  await withTwo(browser, async ({ ada, bo }) => {
    await fakeUnfurl(ada, () => ({ title: "A page", description: "", image: "" }));
    await box(ada).click();
    await box(ada).pressSequentially("https://example.com/dismissed");
    await ada.locator(".composer-preview .link-preview").waitFor();
    await ada.getByRole("button", { name: "Remove preview" }).click();
    assert.equal(await ada.locator(".composer-preview").isHidden(), true);
    await sleep(800); // past the debounce: the dismissed URL is not offered again
    assert.equal(await ada.locator(".composer-preview").isHidden(), true);
    await box(ada).press("Enter");
    await arrived(bo, 1);
    assert.equal(await lastBody(bo).locator(".link-preview").count(), 0);
    assert.equal(await lastBody(bo).locator("a").getAttribute("href"), "https://example.com/dismissed");

    await box(ada).pressSequentially("https://example.com/removed");
    await ada.locator(".composer-preview .link-preview").waitFor();
    await box(ada).fill("never mind");
    await ada.locator(".composer-preview").waitFor({ state: "hidden" });
    await box(ada).press("Enter");
    await arrived(bo, 2);
    assert.equal(await lastBody(bo).innerText(), "never mind");
    assert.equal(await lastBody(bo).locator(".link-preview").count(), 0);
  });
});

test("a preview's text is shown as text, never as markup", { timeout: 120_000 }, async () => {
  await withTwo(browser, async ({ ada, bo }) => {
    const evil = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>";
    await fakeUnfurl(ada, () => ({ title: evil, description: `"><b>${evil}`, image: "javascript:alert(1)" }));
    await box(ada).click();
    await box(ada).pressSequentially("https://example.com/evil");
    await ada.locator(".composer-preview .link-preview").waitFor();
    await box(ada).press("Enter");
    await arrived(bo, 1);
    const card = lastBody(bo).locator(".link-preview");
    await card.waitFor();
    assert.equal(await card.locator(".link-preview-title").textContent(), evil);
    assert.equal(await card.locator(".link-preview-description").textContent(), `"><b>${evil}`);
    assert.equal(await lastBody(bo).locator("img, script, b").count(), 0);
    assert.notEqual(await bo.title(), "pwned");
    assert.notEqual(await ada.title(), "pwned");
  });
});

test("the real server refuses to preview a page on this host, and no card is offered", { timeout: 120_000 }, async () => {
  let hits = 0;
  const origin = createServer((req, res) => {
    hits++;
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end("<meta property=og:title content='Internal admin'>");
  });
  await new Promise((r) => origin.listen(0, "127.0.0.1", r));
  try {
    await withTwo(browser, async ({ ada }) => {
      const url = `http://127.0.0.1:${origin.address().port}/admin`;
      await box(ada).click();
      const answer = ada.waitForResponse((r) => r.url().endsWith("/api/unfurl_link"));
      await box(ada).pressSequentially(url);
      assert.equal((await answer).status(), 204);
      await sleep(300);
      assert.equal(await ada.locator(".composer-preview").isHidden(), true);
    });
  } finally {
    origin.close();
  }
  assert.equal(hits, 0);
});
