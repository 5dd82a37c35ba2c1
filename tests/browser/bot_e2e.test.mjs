// A bot end to end (issue 6, "an end-to-end bot written in another language"): echo_bot.mjs, a
// Node process of its own, receives Hearth's webhooks on 127.0.0.1, answers with text and with a
// file, and posts text and a file through the bot API; Ada sees every reply appear live in Chromium.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, tempDir, password, launchBrowser, newPage, signIn, assertHealthy, waitForOnline, confirmedTexts } from "./harness.mjs";

const here = dirname(fileURLToPath(import.meta.url));

// A signed-in API caller (cookie + CSRF token), as api.js does it.
async function caller(url, path, body) {
  const res = await fetch(`${url}${path}`, {
    method: "POST", headers: { "Content-Type": "application/json", Origin: url }, body: JSON.stringify(body),
  });
  assert.equal(res.status, 201, `${path}: ${await res.clone().text()}`);
  const cookie = res.headers.get("set-cookie").split(";")[0];
  const { csrf_token: csrf } = await res.json();
  return async (method, p, b) => {
    const r = await fetch(`${url}${p}`, {
      method,
      headers: { "Content-Type": "application/json", Origin: url, Cookie: cookie, "X-CSRF-Token": csrf },
      body: b === undefined ? undefined : JSON.stringify(b),
    });
    const text = await r.text();
    return { status: r.status, json: text ? JSON.parse(text) : null };
  };
}

// Starts echo_bot.mjs; resolves with its URL and the lines it prints.
async function startBot(hearthUrl) {
  const child = spawn(process.execPath, [join(here, "echo_bot.mjs")], {
    env: { ...process.env, HEARTH_URL: hearthUrl }, stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = [];
  const waiters = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line);
    for (const w of waiters.splice(0)) w();
  });
  const waitFor = async (pred, ms = 15_000) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = lines.find(pred);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`bot never printed the line awaited; it printed:\n${lines.join("\n")}`);
      await new Promise((r) => { waiters.push(r); setTimeout(r, 200); });
    }
  };
  const port = Number((await waitFor((l) => l.startsWith("listening "))).split(" ")[1]);
  return { url: `http://127.0.0.1:${port}/hook`, lines, waitFor, stop: () => child.kill("SIGTERM") };
}

test("a Node bot answers a mention with text, with a file, and through the bot API; Ada sees each live", async () => {
  const dir = tempDir("hearth-bot-");
  const server = await startServer(dir.path);
  let bot = null;
  const browser = await launchBrowser();
  try {
    bot = await startBot(server.url);
    const ada = await caller(server.url, "/api/first_run", { name: "Ada Lovelace", email: "ada@example.com", password });
    const made = await ada("POST", "/api/account/bots", { name: "Echo", webhook_url: bot.url });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const echoId = made.json.id;

    const { page, context } = await newPage(browser);
    await signIn(page, server.url, "ada@example.com");
    await waitForOnline(page);

    let n = 0;
    const mentionEcho = async (text) => {
      const body_html = `<p><span class="mention" data-user-id="${echoId}">@Echo</span> ${text}</p>`;
      const r = await ada("POST", "/api/rooms/1/messages", { client_message_id: `e2e-${n++}`, body_html });
      assert.equal(r.status, 201, JSON.stringify(r.json));
      return r.json.seq;
    };

    // 1. Text: the answer's HTML is posted by Echo.
    const seq = await mentionEcho("hello there");
    const seen = JSON.parse(await bot.waitFor((l) => l.includes(`"seq":"${seq}"`)));
    assert.equal(seen.payload.user.name, "Ada Lovelace");
    assert.equal(seen.payload.message.body.plain, "hello there");
    assert.equal(seen.payload.room.path, `/rooms/1/${made.json.key}/messages`);
    assert.equal(seen.payload.message.path, `/rooms/1/@${seen.payload.message.id}`);
    await page.getByText("echo: hello there").waitFor();
    const reply = page.locator(".message-list .message[data-message-id]", { hasText: "echo: hello there" });
    assert.equal(await reply.locator(".message-body b").innerText(), "echo");

    // 2. Through the bot API: an empty answer, then a POST to room.path.
    await mentionEcho("later please");
    await bot.waitFor((l) => l.startsWith('{"posted":'));
    assert.ok(bot.lines.includes('{"posted":201}'), bot.lines.join("\n"));
    await page.getByText("Later, Ada Lovelace!").waitFor();

    // 3. A file: the JSON answer becomes Echo's attachment.json, a download link with its bytes.
    const fileSeq = await mentionEcho("file for me");
    await bot.waitFor((l) => l.includes("file for me"));
    const attachment = page.locator(".message-list .message[data-message-id]", { hasText: "attachment.json" });
    await attachment.waitFor();
    const href = await attachment.locator("a.attachment").first().getAttribute("href");
    const file = await page.evaluate(async (h) => (await fetch(h)).text(), href);
    assert.equal(JSON.parse(file).for, "Ada Lovelace", file);
    assert.equal(typeof JSON.parse(file).message, "number", file);
    assert.ok(fileSeq > 0);

    // 4. A file through the bot API (curl -F "attachment=@notes.txt"): Echo's notes.txt.
    await mentionEcho("upload notes");
    await bot.waitFor((l) => l.startsWith('{"uploaded":'));
    assert.ok(bot.lines.includes('{"uploaded":201}'), bot.lines.join("\n"));
    await page.locator(".message-list .message[data-message-id]", { hasText: "notes.txt" }).waitFor();

    const texts = await confirmedTexts(page);
    assert.ok(texts.some((t) => t.includes("echo: hello there")), texts.join("\n"));
    await assertHealthy(page);
    await context.close();
  } catch (e) {
    e.message += `\n--- server log ---\n${server.log().slice(-4000)}`;
    throw e;
  } finally {
    await browser.close();
    bot?.stop();
    await server.stop();
    dir.remove();
  }
});
