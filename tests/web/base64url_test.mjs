// web/base64url.js: the QR-code path is the canonical unpadded base64url the server decodes
// (core/base/base64url.h; the same RFC 4648 vectors as tests/core/base64url_test.cc).
import { test } from "node:test";
import assert from "node:assert/strict";
import { base64url, qrCodePath } from "../../web/base64url.js";

test("RFC 4648 vectors, URL-safe and unpadded", () => {
  const vectors = { "": "", f: "Zg", fo: "Zm8", foo: "Zm9v", foob: "Zm9vYg", fooba: "Zm9vYmE", foobar: "Zm9vYmFy" };
  for (const [text, encoded] of Object.entries(vectors)) assert.equal(base64url(text), encoded, text);
});

test("UTF-8 bytes, with - and _ in place of + and /", () => {
  assert.equal(base64url("é"), "w6k");
  assert.equal(base64url("\u00fb\u00ff"), "w7vDvw");
  assert.equal(base64url("??>"), "Pz8-");
  assert.equal(base64url("???"), "Pz8_");
  assert.equal(qrCodePath("http://x/join/A"), "/qr_code/aHR0cDovL3gvam9pbi9B");
});
