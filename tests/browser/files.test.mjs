// Files in Chromium (CAMPFIRE.md 2.11, 2.17, 2.18): Ada attaches an image and a text file in All
// Talk and Bo sees both live (the image as a thumbnail linking to the full picture, the text file
// as a download with its name and size); Ada's avatar upload shows on her profile; as the
// administrator she uploads the account's logo, which /account/logo then serves.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { deflateSync } from "node:zlib";
import { launchBrowser, withTwo } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// A real PNG (RGB, w×h, one colour), so the server's decoder has something to read.
function png(w, h) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, "latin1");
    data.copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) rows.set([200, 60, 20], y * (w * 3 + 1) + 1 + x * 3);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(rows)), chunk("IEND", Buffer.alloc(0))]);
}

async function attach(page, name, mimeType, buffer) {
  await page.locator(".attach-input").setInputFiles({ name, mimeType, buffer });
}

test("an image and a text file are attached and the other person sees both live", { timeout: 120_000 }, async () => {
  await withTwo(browser, async ({ ada, bo, server }) => {
    await attach(ada, "sunset.png", "image/png", png(1600, 900));
    await attach(ada, "notes.txt", "text/plain", Buffer.from("hello from a file\n"));

    const image = bo.locator(".message[data-message-id] a.attachment.image").first();
    await image.waitFor();
    const thumb = image.locator("img");
    assert.equal(await thumb.getAttribute("alt"), "sunset.png");
    assert.equal(await thumb.getAttribute("width"), "1200");
    assert.equal(await thumb.getAttribute("height"), "675");
    await bo.waitForFunction(() => {
      const img = document.querySelector("a.attachment.image img");
      return img && img.complete && img.naturalWidth === 1200;
    });
    const full = await bo.evaluate(async (href) => {
      const r = await fetch(href);
      return { status: r.status, type: r.headers.get("content-type") };
    }, await image.getAttribute("href"));
    assert.deepEqual(full, { status: 200, type: "image/png" });

    const file = bo.locator(".message[data-message-id] a.attachment.file").first();
    await file.waitFor();
    assert.equal(await file.locator(".attachment-name").textContent(), "notes.txt");
    assert.equal(await file.locator(".attachment-size").textContent(), "18 bytes");
    assert.equal(await file.getAttribute("download"), "notes.txt");
    const download = await bo.evaluate(async (href) => {
      const r = await fetch(href);
      return { disposition: r.headers.get("content-disposition"), text: await r.text() };
    }, await file.getAttribute("href"));
    assert.match(download.disposition, /^attachment; filename="notes\.txt"/);
    assert.equal(download.text, "hello from a file\n");
    // Ada sees them too, and a non-member of the server sees nothing
    await ada.locator("a.attachment.file").waitFor();
    const anonymous = await fetch(`${server.url}${await file.getAttribute("href")}`);
    assert.equal(anonymous.status, 401);
  });
});

test("an avatar upload shows on the profile and the logo upload is served", { timeout: 120_000 }, async () => {
  await withTwo(browser, async ({ ada, server }) => {
    await ada.goto(`${server.url}/profile`);
    const picture = ada.locator("img.profile-avatar");
    await picture.waitFor();
    const before = await picture.getAttribute("src");
    assert.match(before, /\/avatar\?v=0$/);
    await ada.locator(".avatar-input").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: png(40, 30) });
    await ada.locator(".avatar-status", { hasText: "Saved" }).waitFor();
    await ada.waitForFunction((old) => {
      const img = document.querySelector("img.profile-avatar");
      return img && img.getAttribute("src") !== old && img.complete && img.naturalWidth === 512;
    }, before);

    const stock = await fetch(`${server.url}/account/logo`);
    assert.equal(stock.headers.get("content-type"), "image/svg+xml");
    await ada.goto(`${server.url}/account`);
    await ada.locator(".logo-input").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: png(300, 300) });
    await ada.locator(".logo-status", { hasText: "Saved" }).waitFor();
    const logo = await fetch(`${server.url}/account/logo?size=small`);
    assert.equal(logo.status, 200);
    assert.equal(logo.headers.get("content-type"), "image/png");
    assert.match(logo.headers.get("cache-control"), /stale-while-revalidate=604800/);
    await ada.waitForFunction(() => {
      const img = document.querySelector("img.account-logo-image");
      return img && img.src.includes("?v=") && img.complete && img.naturalWidth === 512;
    });
  });
});
