// web/format.js: initials for avatars and Campfire's 5-minute same-author grouping.
import { test } from "node:test";
import assert from "node:assert/strict";
import { initials, avatarHue, continuesRun } from "../../web/format.js";

test("initials take the first and last word, whatever the spacing or script", () => {
  assert.equal(initials("Ada Lovelace"), "AL");
  assert.equal(initials("  grace   brewster  hopper "), "GH");
  assert.equal(initials("bob"), "B");
  assert.equal(initials("Émile Zola"), "ÉZ");
  assert.equal(initials("😀 Smile"), "😀S");
  assert.equal(initials(""), "?");
  assert.equal(initials(null), "?");
});

test("an avatar's hue is stable per user and spreads across users", () => {
  assert.equal(avatarHue(7), avatarHue(7));
  assert.ok(new Set([1, 2, 3, 4, 5, 6, 7, 8].map(avatarHue)).size >= 6);
});

test("a run continues for the same author within five minutes on the same day", () => {
  const at = (minutes) => Date.UTC(2026, 0, 15, 12, 0) * 1000 + minutes * 60_000_000;
  const m = (creator_id, minutes) => ({ creator_id, created_at_us: at(minutes) });
  assert.equal(continuesRun(m(1, 0), m(1, 4)), true);
  assert.equal(continuesRun(m(1, 0), m(1, 5)), false, "five minutes apart starts a new run");
  assert.equal(continuesRun(m(1, 0), m(2, 1)), false, "another author");
  assert.equal(continuesRun(null, m(1, 0)), false);
});
