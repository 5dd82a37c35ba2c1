// web/link_preview.js: which URL the composer unfurls, which links a card may show, and where its
// image is loaded from.
import { test } from "node:test";
import assert from "node:assert/strict";
import { lastUrlIn, previewHost, previewImageSrc, kLinkPreviewType } from "../../web/link_preview.js";

test("the last http(s) URL typed is the one unfurled, without a sentence's closing punctuation", () => {
  assert.equal(lastUrlIn("see https://example.com/a?b=1"), "https://example.com/a?b=1");
  assert.equal(lastUrlIn("first http://one.test/ then https://two.test/x."), "https://two.test/x");
  assert.equal(lastUrlIn("(https://example.com/page)!"), "https://example.com/page");
  assert.equal(lastUrlIn("HTTPS://Example.com"), "HTTPS://Example.com");
  assert.equal(lastUrlIn("a <https://example.com/> b"), "https://example.com/");
});

test("no URL, or only its beginning, asks for nothing", () => {
  for (const text of ["", "plain words", "https://", "http:///path", "ftp://example.com/", "javascript:alert(1)",
    "mailto:a@example.com", null, undefined, `https://example.com/${"a".repeat(2100)}`]) {
    assert.equal(lastUrlIn(text), null, String(text).slice(0, 40));
  }
});

test("a card shows only http(s) links, named by their host", () => {
  assert.equal(previewHost("https://example.com:8443/a"), "example.com:8443");
  assert.equal(previewHost("http://example.com"), "example.com");
  for (const href of ["javascript:alert(1)", "data:text/html,x", "/relative", "", null, "mailto:a@b.c", " java\tscript:x"]) {
    assert.equal(previewHost(href), null, String(href));
  }
  assert.equal(kLinkPreviewType, "application/vnd.actiontext.opengraph-embed");
});

test("a card's image is loaded through the server's proxy, and only for an http(s) image URL", () => {
  assert.equal(previewImageSrc("https://example.com/a b.png?x=1&y=2"),
    "/api/link_preview_image?url=https%3A%2F%2Fexample.com%2Fa%20b.png%3Fx%3D1%26y%3D2");
  for (const image of ["", null, undefined, "javascript:alert(1)", "data:image/png;base64,AAAA", "/local.png"]) {
    assert.equal(previewImageSrc(image), null, String(image));
  }
});
