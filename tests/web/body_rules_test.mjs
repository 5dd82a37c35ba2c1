// web/body_rules.js: the client's copy of the body allow-list agrees with the server's rules
// (docs/api.md "Message bodies"), and the emoji-only test that makes a message large.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  kAllowedTags, kDroppedWithContent, allowedAttribute, safeUrl, opensInNewTab, isUserId, isEmojiOnly,
} from "../../web/body_rules.js";

test("the tag lists are the server's, word for word", () => {
  const source = readFileSync(new URL("../../core/html/sanitizer.cc", import.meta.url), "utf8");
  const list = (name) => {
    const m = new RegExp(`${name} = \\{([^}]*)\\}`).exec(source);
    return new Set([...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]));
  };
  assert.deepEqual([...list("kAllowedTags")].sort(), [...kAllowedTags].sort());
  assert.deepEqual([...list("kDroppedWithContent")].sort(), [...kDroppedWithContent].sort());
});

test("only safe URL schemes stay, however they are disguised", () => {
  for (const ok of ["https://x.test", "http://x", "mailto:a@b.test", "tel:+1", "/rooms/1/@2", "#x", "?q", "x.html", ""]) {
    assert.equal(safeUrl(ok), true, ok);
  }
  for (const bad of ["javascript:alert(1)", " JaVaScRiPt:x", "java\tscript:x", "\u0001javascript:x", "data:text/html,x",
    "vbscript:x", "jav\nascript:x", ":x", "file:///etc/passwd"]) {
    assert.equal(safeUrl(bad), false, JSON.stringify(bad));
  }
  assert.equal(opensInNewTab("https://x.test"), true);
  assert.equal(opensInNewTab("/rooms/1"), false);
  assert.equal(opensInNewTab("mailto:a@b.test"), false);
});

test("attributes: the allow-list, URLs checked, data-user-id only as a mention's id", () => {
  assert.equal(allowedAttribute("a", "href", "https://x.test"), true);
  assert.equal(allowedAttribute("a", "href", "javascript:x"), false);
  assert.equal(allowedAttribute("blockquote", "cite", "data:x"), false);
  assert.equal(allowedAttribute("div", "onclick", "x()"), false);
  assert.equal(allowedAttribute("div", "style", "color:red"), false);
  assert.equal(allowedAttribute("a", "target", "_self"), false);
  assert.equal(allowedAttribute("span", "class", "mention"), true);
  assert.equal(allowedAttribute("span", "data-user-id", "7"), true);
  assert.equal(allowedAttribute("div", "data-user-id", "7"), false);
  assert.equal(allowedAttribute("span", "data-user-id", "07"), false);
  assert.equal(allowedAttribute("action-text-attachment", "url", "https://x.test/i.png"), true);
  assert.equal(allowedAttribute("action-text-attachment", "content", "<img onerror=x>"), false);
  assert.equal(isUserId("123"), true);
  assert.equal(isUserId("1e3"), false);
});

test("emoji-only: one to five emoji with spaces, not text, not digits", () => {
  for (const yes of ["👍", "🎉🎉", " 🔥 ❤️ ", "👋🏽", "👩‍👩‍👧‍👦", "🇫🇷", "1️⃣", "😂😂😂😂😂"]) assert.equal(isEmojiOnly(yes), true, yes);
  for (const no of ["", "   ", "ok 👍", "1", "#", "😂😂😂😂😂😂", "→", "©x", "<b>"]) assert.equal(isEmojiOnly(no), false, no);
});
