// What users do to messages, in the real client against a real server, two people in two
// browser contexts where it is about the other seeing it live: edit and delete (and ↑ to edit the
// last message), boosts (only the booster removes one), permalinks (centred, highlighted),
// @mentions (autocomplete; highlighted for the mentioned person), replies.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import {
  launchBrowser, newPage, firstRun, say, confirmedTexts, waitForOnline, assertHealthy, withServer, withTwo as withTwoIn,
} from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const kTestTimeout = { timeout: 90_000 };
// Ada (administrator) and Bo, both in All Talk and online (tests/browser/harness.mjs).
const withTwo = (body) => withTwoIn(browser, body);

const message = (page, text) => page.locator(".message[data-message-id]", { hasText: text });

async function openMenu(page, text) {
  const m = message(page, text);
  await m.hover();
  await m.getByRole("button", { name: "Message actions" }).click();
  return m;
}

test("edit and delete show live for the other person; ↑ edits my last message; Esc cancels", kTestTimeout, () => withTwo(async ({ ada, bo }) => {
  await say(bo, "first words");
  await message(ada, "first words").waitFor();

  // The pencil in the menu; Ctrl+Enter saves.
  await openMenu(bo, "first words");
  await bo.getByRole("menuitem", { name: "✎ Edit" }).click();
  const editor = bo.getByRole("textbox", { name: "Edit message" });
  await editor.fill("better words");
  await editor.press("Control+Enter");
  await message(ada, "better words").waitFor();
  assert.deepEqual(await confirmedTexts(ada), ["better words"]);

  // ↑ in the empty composer edits the last message; Esc leaves it as it was.
  const box = bo.getByRole("textbox", { name: "Message" });
  await box.press("ArrowUp");
  await editor.waitFor();
  assert.equal(await editor.innerText(), "better words");
  await editor.fill("discarded");
  await editor.press("Escape");
  await editor.waitFor({ state: "detached" });
  assert.deepEqual(await confirmedTexts(bo), ["better words"]);
  await box.press("ArrowUp");
  await editor.fill("best words");
  await editor.press("Control+Enter");
  await message(ada, "best words").waitFor();

  // Editing keeps the formatting: the bold part stays bold after words are added.
  await editor.waitFor({ state: "detached" });
  const composerBox = bo.getByRole("textbox", { name: "Message", exact: true });
  await composerBox.press("Control+b");
  await composerBox.pressSequentially("loud");
  await composerBox.press("Control+b");
  await composerBox.pressSequentially(" quiet");
  await composerBox.press("Enter");
  await message(ada, "loud quiet").waitFor();
  await composerBox.press("ArrowUp");
  await editor.waitFor();
  await editor.pressSequentially(" more");
  await editor.press("Control+Enter");
  await message(ada, "loud quiet more").waitFor();
  assert.equal(await message(ada, "loud quiet more").locator("strong, b").first().innerText(), "loud");

  // Bo may not change Ada's message; Ada, an administrator, may change Bo's.
  await say(ada, "ada says");
  await openMenu(bo, "ada says");
  assert.equal(await bo.getByRole("menuitem", { name: "✎ Edit" }).count(), 0);
  assert.equal(await bo.getByRole("menuitem", { name: "Delete" }).count(), 0);
  await bo.keyboard.press("Escape");

  // Delete asks first; a refusal keeps the message.
  bo.once("dialog", (d) => d.dismiss());
  await openMenu(bo, "best words");
  await bo.getByRole("menuitem", { name: "Delete" }).click();
  await ada.waitForTimeout(300);
  assert.deepEqual(await confirmedTexts(ada), ["best words", "loud quiet more", "ada says"]);
  bo.once("dialog", (d) => d.accept());
  await openMenu(bo, "best words");
  await bo.getByRole("menuitem", { name: "Delete" }).click();
  await message(ada, "best words").waitFor({ state: "detached" });
  await message(bo, "best words").waitFor({ state: "detached" });
  assert.deepEqual(await confirmedTexts(ada), ["loud quiet more", "ada says"]);
}));

test("a boost shows live with its booster, and only the booster can remove it", kTestTimeout, () => withTwo(async ({ ada, bo }) => {
  await say(ada, "boost me");
  await message(bo, "boost me").waitFor();

  await openMenu(bo, "boost me");
  await bo.getByRole("menuitem", { name: "Boost" }).click();
  await bo.getByRole("button", { name: "Fire" }).click();
  const onAda = message(ada, "boost me").locator(".boosts .boost");
  await onAda.first().waitFor();
  assert.equal(await onAda.first().locator(".boost-content").textContent(), "🔥");
  assert.equal(await onAda.first().locator(".boost-booster").textContent(), "Bo");
  assert.equal(await onAda.first().getByRole("button", { name: /Remove boost/ }).count(), 0, "not Ada's to remove");

  // Free text, up to 16 characters; a second boost by the same person is allowed.
  await openMenu(bo, "boost me");
  await bo.getByRole("menuitem", { name: "Boost" }).click();
  const text = bo.getByRole("textbox", { name: "Boost text" });
  await text.fill("seventeen chars!!");
  assert.equal(await bo.getByRole("button", { name: "Boost", exact: true }).isDisabled(), true);
  await text.fill("so good");
  await text.press("Enter");
  await onAda.nth(1).waitFor();
  assert.deepEqual(await onAda.locator(".boost-content").allTextContents(), ["🔥", "so good"]);

  // Bo removes the fire; it goes for Ada too.
  await message(bo, "boost me").getByRole("button", { name: "Remove boost 🔥" }).click();
  await ada.waitForFunction(() => document.querySelectorAll(".boosts .boost").length === 1);
  assert.deepEqual(await onAda.locator(".boost-content").allTextContents(), ["so good"]);
}));

test("a permalink opens the room centred on its message, highlighted, and newer pages follow", kTestTimeout, () => withServer(async ({ start }) => {
  const server = await start();
  const { context, page } = await newPage(browser);
  await firstRun(page, server.url);
  await waitForOnline(page);
  // 120 messages over the API (typing them would take minutes).
  const { room, ids } = await page.evaluate(async () => {
    const { store } = window.hearth;
    const room = store.currentRoom;
    const made = [];
    for (let i = 0; i < 120; ++i) {
      const res = await fetch(`/api/rooms/${room}/messages`, {
        method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": store.csrf },
        body: JSON.stringify({ client_message_id: `p-${i}`, body_html: `line ${i}`, plain_text: `line ${i}` }),
      });
      made.push((await res.json()).id);
    }
    return { room, ids: made };
  });
  const target = ids[50];
  await page.goto(`${server.url}/rooms/${room}/@${target}`);
  const highlighted = page.locator(".message.highlighted");
  await highlighted.waitFor();
  assert.equal(await highlighted.getAttribute("data-message-id"), String(target));
  assert.equal(await highlighted.locator(".message-body").textContent(), "line 50");
  const texts = await confirmedTexts(page);
  assert.equal(texts.length, 81, "40 before, the message, 40 after");
  assert.equal(texts[0], "line 10");
  const box = await highlighted.boundingBox();
  const view = await page.locator(".messages").boundingBox();
  const middle = view.y + view.height / 2;
  assert.ok(box.y <= middle && box.y + box.height >= middle - 40, `centred: ${box.y}..${box.y + box.height} vs ${middle}`);
  assert.match(page.url(), new RegExp(`/rooms/${room}/@${target}$`));

  // Scrolling down brings the newer messages in, up to the newest.
  for (let i = 0; i < 10 && (await confirmedTexts(page)).at(-1) !== "line 119"; ++i) {
    await page.locator(".messages").evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await page.waitForTimeout(300);
  }
  assert.equal((await confirmedTexts(page)).at(-1), "line 119");

  // "Copy link" gives that message's permalink.
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url });
  await openMenu(page, "line 60");
  await page.getByRole("menuitem", { name: "Copy link" }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, `${server.url}/rooms/${room}/@${ids[60]}`);
  await assertHealthy(page);
  await context.close();
}));

test("@ offers the room's people; the mention is highlighted for the one mentioned only; reply quotes", kTestTimeout, () => withTwo(async ({ ada, bo }) => {
  const box = ada.getByRole("textbox", { name: "Message" });
  await box.pressSequentially("hello @bo");
  const option = ada.getByRole("option", { name: "Bo" });
  await option.waitFor();
  await box.press("Enter"); // picks, does not send
  assert.equal((await box.textContent()).replace(/\u00a0/g, " "), "hello @Bo ");
  assert.equal(await box.locator(".mention").textContent(), "@Bo", "the mention markup (docs/api.md)");
  await box.pressSequentially("how are you");
  await box.press("Enter");
  const onBo = message(bo, "how are you");
  await onBo.waitFor();
  assert.match(await onBo.getAttribute("class"), /\bmentioned\b/);
  await message(ada, "how are you").waitFor();
  assert.doesNotMatch(await message(ada, "how are you").getAttribute("class"), /\bmentioned\b/);
  await say(ada, "nobody in particular");
  await message(bo, "nobody in particular").waitFor();
  assert.doesNotMatch(await message(bo, "nobody in particular").getAttribute("class"), /\bmentioned\b/);

  // A mention names its person as they are now, whatever "@Name" the body claims.
  await ada.evaluate(async () => {
    const { store } = window.hearth;
    const bo = [...store.users.values()].find((u) => u.name === "Bo");
    const body_html = `claims <span class="mention" data-user-id="${bo.id}">@Mallory</span> wrote it`;
    await fetch(`/api/rooms/${store.currentRoom}/messages`, {
      method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": store.csrf },
      body: JSON.stringify({ client_message_id: "spoof-1", body_html }),
    });
  });
  await message(bo, "wrote it").waitFor();
  assert.equal(await message(bo, "wrote it").locator(".mention").textContent(), "@Bo");
  assert.match(await message(bo, "wrote it").getAttribute("class"), /\bmentioned\b/);

  // Reply puts a quote with the author and the permalink into Bo's composer.
  await openMenu(bo, "how are you");
  await bo.getByRole("menuitem", { name: "Reply" }).click();
  const replyBox = bo.getByRole("textbox", { name: "Message" });
  const id = await message(bo, "how are you").getAttribute("data-message-id");
  assert.equal(await replyBox.locator("blockquote").textContent(), "hello @Bo how are you");
  const cite = await replyBox.locator("cite").textContent();
  assert.match(cite, /^— Ada Lovelace http:\/\/127\.0\.0\.1:\d+\/rooms\/\d+\/@(\d+)$/);
  assert.equal(cite.match(/@(\d+)$/)[1], id);
  assert.equal(await replyBox.locator("cite a").getAttribute("href"), cite.slice("— Ada Lovelace ".length));
}));
