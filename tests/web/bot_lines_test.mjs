// web/views/bots.js: the bots page's ready-made lines are Campfire's two (CAMPFIRE.md 2.15), built
// on the bot API's URL for the room and key.
import { test } from "node:test";
import assert from "node:assert/strict";
import { botMessagesUrl, curlLines } from "../../web/views/bots.js";

test("the URL is the room's bot API path with the key as a segment", () => {
  assert.equal(botMessagesUrl("https://chat.example", 3, "7-abcDEF123"), "https://chat.example/rooms/3/7-abcDEF123/messages");
});

test("a text line and a file line, exactly as Campfire's page shows them", () => {
  const url = "https://chat.example/rooms/3/7-abc/messages";
  assert.deepEqual(curlLines(url), [
    "curl -d 'Hello!' https://chat.example/rooms/3/7-abc/messages",
    'curl -F "attachment=@/path/to/file" https://chat.example/rooms/3/7-abc/messages',
  ]);
});
