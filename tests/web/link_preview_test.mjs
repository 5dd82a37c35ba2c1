// web/link_preview.js: which URL the composer unfurls, and which links a card may show.
import { test } from "node:test";
import assert from "node:assert/strict";
import { lastUrlIn, previewHost, kLinkPreviewType } from "../../web/link_preview.js";

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
