// Link previews in Chromium (CAMPFIRE.md 2.11): a URL typed in the composer is unfurled once typing
// pauses, its card shows under the editor, and it goes with the message if the URL is still there
// when it is sent; the other person sees the card, its image only through the server's proxy (the
// page never loads anything from another host). The person can dismiss it. Where the page's answer
// matters, the unfurl route is answered by the test (the sandbox has no internet); one test lets
// the real server answer, for a page on this host, which it must refuse to fetch; one gives the
// server the test-only allowance for a local image host and sees the re-encoded image shown.
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
    // The image, if shown at all (this sandbox has no internet: the proxy answers 404 and the card
    // drops it), is asked of this server only.
    for (const src of await seen.locator("img").evaluateAll((imgs) => imgs.map((i) => i.getAttribute("src")))) {
      assert.equal(src, "/api/link_preview_image?url=https%3A%2F%2Fexample.com%2Fcard.png");
    }
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

// A 2×1 PNG (one red pixel, one blue), as tests/server/files_fixture.h has it.
const kTinyPng = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAADUlEQVR4nGP4zwAE/wEHAAH/4iOeWQAAAABJRU5ErkJggg==", "base64");

test("a preview's image is shown as the server re-encoded it, fetched by the server once", { timeout: 120_000 }, async () => {
  const asked = [];
  const images = createServer((req, res) => {
    asked.push(req.url);
    res.writeHead(200, { "Content-Type": "image/png" });
    res.end(kTinyPng);
  });
  await new Promise((r) => images.listen(0, "127.0.0.1", r));
  // The image host is on 127.0.0.1, which the guard refuses: the test-only allowance lets this one
  // port stand for a public host (docs/api.md "Web Push", "Link previews").
  process.env.HEARTH_TEST_OUTGOING_ORIGIN = `127.0.0.1:${images.address().port}`;
  const image = `http://127.0.0.1:${images.address().port}/card.png`;
  try {
    await withTwo(browser, async ({ ada, bo, server }) => {
      await fakeUnfurl(ada, () => ({ title: "With a picture", description: "", image }));
      const boForeign = foreignRequests(bo, server.url);
      await box(ada).click();
      await box(ada).pressSequentially("https://example.com/pictured");
      const composed = ada.locator(".composer-preview .link-preview img.link-preview-image");
      await composed.waitFor();
      await ada.waitForFunction((el) => el.complete && el.naturalWidth > 0, await composed.elementHandle());
      await box(ada).press("Enter");
      await arrived(bo, 1);
      const img = lastBody(bo).locator(".link-preview img.link-preview-image");
      await img.waitFor();
      assert.equal(await img.getAttribute("src"), `/api/link_preview_image?url=${encodeURIComponent(image)}`);
      await bo.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
      assert.deepEqual(await img.evaluate((el) => [el.naturalWidth, el.naturalHeight]), [2, 1]);
      const answer = await bo.evaluate(async (src) => {
        const r = await fetch(src);
        const bytes = new Uint8Array(await r.arrayBuffer());
        return { status: r.status, type: r.headers.get("content-type"), nosniff: r.headers.get("x-content-type-options"),
          csp: r.headers.get("content-security-policy"), magic: String.fromCharCode(...bytes.slice(8, 12)) };
      }, await img.getAttribute("src"));
      assert.deepEqual(answer, { status: 200, type: "image/webp", nosniff: "nosniff", csp: answer.csp, magic: "WEBP" });
      assert.match(answer.csp, /sandbox/);
      assert.deepEqual(boForeign, []);
      assert.deepEqual(asked, ["/card.png"]); // Ada's composer card and Bo's message: one fetch, then the cache
    });
  } finally {
    delete process.env.HEARTH_TEST_OUTGOING_ORIGIN;
    images.close();
  }
});
