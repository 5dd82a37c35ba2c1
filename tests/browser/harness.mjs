// What every browser test needs: a real `hearth serve` on 127.0.0.1 with a temporary data
// directory and this checkout's web/, and Debian's chromium driven by playwright-core (never a
// downloaded browser). Everything started here is stopped by the test that started it, and a
// watchdog kills the server if a test hangs past its bound.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, existsSync, readFileSync, openSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "../..");
export const hearthBinary = process.env.HEARTH ?? resolve(repoRoot, "build/cli/hearth");
export const chromiumPath = process.env.HEARTH_CHROMIUM ?? "/usr/bin/chromium";
export const password = "correct horse battery";

export const kChromiumFlags = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage",
];

// A data directory that outlives server restarts within one test.
export function tempDir(prefix = "hearth-browser-") {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

// Starts `hearth serve` and resolves once it logs the address it listens on ("port 0" picks a
// free port; pass `port` to come back on the same one after a restart).
export async function startServer(dataDir, { port = 0, timeoutMs = 15_000 } = {}) {
  if (!existsSync(hearthBinary)) throw new Error(`no hearth binary at ${hearthBinary} (set HEARTH)`);
  const logPath = join(dataDir, `server-${Date.now()}.log`);
  const log = openSync(logPath, "a");
  const child = spawn(hearthBinary, ["serve", "--data", join(dataDir, "data"), "--port", String(port),
    "--listen-address", "127.0.0.1", "--web-root", join(repoRoot, "web"), "--durability", "normal"],
  { stdio: ["ignore", log, log] });
  closeSync(log);
  const exited = new Promise((res) => child.once("exit", (code, signal) => res({ code, signal })));
  const deadline = Date.now() + timeoutMs;
  let url = null;
  while (!url) {
    const text = existsSync(logPath) ? readFileSync(logPath, "utf8") : "";
    const m = text.match(/on (http:\/\/127\.0\.0\.1:(\d+)\/)/);
    if (m) url = m[1];
    else if (child.exitCode !== null) throw new Error(`hearth serve exited ${child.exitCode}:\n${text}`);
    else if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`hearth serve did not start in ${timeoutMs} ms:\n${text}`);
    }
    else await sleep(25);
  }
  const watchdog = setTimeout(() => child.kill("SIGKILL"), 5 * 60_000);
  watchdog.unref();
  return {
    url: url.replace(/\/$/, ""),
    port: Number(new URL(url).port),
    log: () => readFileSync(logPath, "utf8"),
    // SIGTERM (graceful: finish the batch, close sockets with 1001), SIGKILL after 10 s.
    async stop() {
      clearTimeout(watchdog);
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      const result = await exited;
      clearTimeout(killer);
      return result;
    },
  };
}

// Runs `body` with a fresh server and data dir, and always cleans up; on failure the server's
// log is attached to the error.
export async function withServer(body) {
  const dir = tempDir();
  const servers = [];
  const start = async (options) => {
    const s = await startServer(dir.path, options);
    servers.push(s);
    return s;
  };
  try {
    await body({ start, dir });
  } catch (e) {
    const logs = servers.map((s) => s.log()).join("\n---\n");
    e.message += `\n--- server log ---\n${logs.slice(-4000)}`;
    throw e;
  } finally {
    for (const s of servers) await s.stop();
    dir.remove();
  }
}

export function launchBrowser() {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: kChromiumFlags, timeout: 30_000 });
}

// A browser context whose pages fail the test on any page error, CSP violation or console error
// (so a broken script or an inline-script regression cannot pass silently).
export async function newPage(browser, { width = 1280, height = 800 } = {}) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (e) => page.problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    // A refused WebSocket (server restarting, offline) is logged by Chromium itself: expected.
    if (m.type() === "error" && !/WebSocket connection|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION_REFUSED|Failed to load resource/.test(m.text())) {
      page.problems.push(`console: ${m.text()}`);
    }
  });
  page.setDefaultTimeout(15_000);
  return { context, page };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---- steps a person takes ----

export async function firstRun(page, url, { name = "Ada Lovelace", email = "ada@example.com" } = {}) {
  await page.goto(`${url}/`);
  await page.getByRole("heading", { name: "Set up Hearth" }).waitFor();
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Set up and sign in" }).click();
  await page.getByRole("heading", { name: "All Talk" }).waitFor();
}

export async function signIn(page, url, email) {
  await page.goto(`${url}/`);
  await page.getByRole("heading", { name: "Sign in" }).waitFor();
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "All Talk" }).waitFor();
}

export async function joinWithLink(page, joinUrl, { name, email }) {
  await page.goto(joinUrl);
  await page.getByRole("heading", { name: "Join the chat" }).waitFor();
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Join" }).click();
  await page.getByRole("heading", { name: "All Talk" }).waitFor();
}

export async function joinUrlOf(page) {
  return page.locator(".invite-link").inputValue();
}

// Types a message and presses Enter.
export async function say(page, text) {
  const box = page.getByRole("textbox", { name: "Message" });
  await box.fill(text);
  await box.press("Enter");
}

// The confirmed messages' texts in screen order (as read: a <br> is a newline).
export function confirmedTexts(page) {
  return page.$$eval(".message-list .message[data-message-id] .message-body", (els) => els.map((e) => e.innerText));
}

export async function waitForOnline(page) {
  await page.waitForFunction(() => document.body.dataset.stream === "online", null, { timeout: 15_000 });
}

// Fails when the page had errors or its stream reported a gap (issue 3 §8: any gap report
// during a test fails that test).
export async function assertHealthy(page) {
  const gaps = await page.evaluate(() => window.hearth?.stream?.gaps ?? 0).catch(() => 0);
  const problems = [...page.problems];
  if (gaps) problems.push(`${gaps} gap report(s)`);
  if (problems.length) throw new Error(`page problems:\n${problems.join("\n")}`);
}

// Ada (the administrator) and Bo, each in a browser context of their own, both online, on a
// fresh server; `body` gets their pages. Both pages must end healthy; everything is cleaned up.
export async function withTwo(browser, body) {
  const dir = tempDir();
  const server = await startServer(dir.path);
  const contexts = [];
  try {
    const ada = await newPage(browser);
    contexts.push(ada.context);
    await firstRun(ada.page, server.url);
    const joinUrl = await joinUrlOf(ada.page);
    const bo = await newPage(browser);
    contexts.push(bo.context);
    await joinWithLink(bo.page, joinUrl, { name: "Bo", email: "bo@example.com" });
    await waitForOnline(ada.page);
    await waitForOnline(bo.page);
    await body({ ada: ada.page, bo: bo.page, server });
    await assertHealthy(ada.page);
    await assertHealthy(bo.page);
  } catch (e) {
    e.message += `\n--- server log ---\n${server.log().slice(-4000)}`;
    throw e;
  } finally {
    for (const c of contexts) await c.close();
    await server.stop();
    dir.remove();
  }
}
