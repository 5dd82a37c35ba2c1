// Every vector of tests/data/xss_vectors.txt, in Chromium: posted as a message body (over the
// HTTP API, as a bot or a hostile client would, not through the composer that would escape it),
// used as people's names, and — when the server has room routes — as room names. Another person
// watches it all arrive live. With alert/confirm/prompt hooked, CSP violations collected and
// every request off the server's origin refused and counted, nothing may fire, and the names must
// show as the very text they are.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  startServer, launchBrowser, newPage, tempDir, firstRun, joinWithLink, joinUrlOf, waitForOnline, repoRoot, password,
} from "./harness.mjs";

const kPlaceholders = { "{TAB}": "\t", "{LF}": "\n", "{CR}": "\r", "{FF}": "\f", "{NUL}": "\0" };
const vectors = readFileSync(join(repoRoot, "tests/data/xss_vectors.txt"), "utf8").split("\n")
  .filter((l) => l && l !== "#" && !l.startsWith("# "))
  .map((l) => l.replace(/\{(TAB|LF|CR|FF|NUL)\}/g, (m) => kPlaceholders[m]));

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

// Hooks what an injected script would call, and records CSP violations, before any page script.
async function watch(context, origin) {
  await context.addInitScript(() => {
    window.__fired = [];
    for (const name of ["alert", "confirm", "prompt", "print"]) {
      window[name] = (...args) => { window.__fired.push(`${name}(${args.join(",")})`); };
    }
    document.addEventListener("securitypolicyviolation",
      (e) => window.__fired.push(`csp: ${e.violatedDirective} ${e.blockedURI}`));
  });
  const offOrigin = [];
  await context.route((url) => !url.href.startsWith(origin), (route) => {
    offOrigin.push(route.request().url());
    return route.abort();
  });
  return offOrigin;
}

// The API from inside a signed-in page (its cookie and CSRF token).
function api(page, method, path, body) {
  return page.evaluate(async ({ method, path, body }) => {
    window.__csrf ??= (await (await fetch("/api/bootstrap")).json()).csrf_token;
    const res = await fetch(path, {
      method, headers: { "Content-Type": "application/json", "X-CSRF-Token": window.__csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  }, { method, path, body });
}

// The elements and attributes inside message bodies that the allow-list would not keep.
function strayMarkup(page) {
  return page.$$eval(".message-body *", (els) => {
    const allowed = new Set(["a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "cite", "code", "dd",
      "del", "dfn", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd", "li", "ol",
      "p", "pre", "samp", "small", "span", "strong", "sub", "sup", "time", "tt", "ul", "var", "action-text-attachment",
      "figure", "figcaption"]);
    const out = [];
    for (const el of els) {
      if (!allowed.has(el.localName) || el.namespaceURI !== "http://www.w3.org/1999/xhtml") out.push(`<${el.localName}>`);
      for (const a of el.attributes) {
        const url = ["href", "cite", "url", "action", "formaction", "xlink:href", "poster", "background"].includes(a.name);
        if (a.name.startsWith("on") || a.name === "style" || a.name === "src" || a.name === "srcdoc" ||
          (url && /^(javascript|data|vbscript):/i.test(a.value.replace(/[\s\0-\x1f]/g, "")))) out.push(`${el.localName}[${a.name}=${a.value}]`);
      }
    }
    return out;
  });
}

test("every XSS vector renders inert: as bodies, as people's names, as room names", { timeout: 240_000 }, async (t) => {
  const dir = tempDir();
  const server = await startServer(dir.path);
  try {
    const ada = await newPage(browser);
    const grace = await newPage(browser);
    const adaOff = await watch(ada.context, server.url);
    const graceOff = await watch(grace.context, server.url);
    await firstRun(ada.page, server.url);
    const link = await joinUrlOf(ada.page);
    await joinWithLink(grace.page, link, { name: "Grace Hopper", email: "grace@example.com" });
    await waitForOnline(ada.page);
    await waitForOnline(grace.page);
    const room = (await api(ada.page, "GET", "/api/bootstrap")).body.rooms[0].id;

    // Bodies: each posted raw over HTTP; Grace watches them arrive live.
    let stored = 0;
    for (const [i, v] of vectors.entries()) {
      const res = await api(ada.page, "POST", `/api/rooms/${room}/messages`, { client_message_id: `xss-${i}`, body_html: v });
      assert.ok(res.status === 201 || res.status === 422, `vector ${i}: ${res.status} ${JSON.stringify(res.body)}`);
      if (res.status === 201) stored++;
    }
    assert.ok(stored > 150, `most vectors keep some text (${stored})`);
    await grace.page.waitForFunction((n) => document.querySelectorAll(".message[data-message-id]").length >= n,
      stored, { timeout: 60_000 });

    const texts = await grace.page.$$eval(".message-body", (els) => els.map((e) => e.textContent).join("\n"));
    assert.ok(texts.includes("<script>alert(198)</script>"), "escaped markup shows as the text it is");

    // Hovers, focuses and clicks every element in every shown body (a handler that survived would
    // run), then checks that nothing fired, nothing loaded from elsewhere, no stray markup.
    const everythingInert = async () => {
      for (const page of [ada.page, grace.page]) {
        await page.$$eval(".message-body *", (els) => {
          for (const el of els) {
            for (const type of ["mouseover", "mouseenter", "focus", "click", "animationstart"]) {
              if (type === "click" && el.localName === "a") continue; // links open new tabs, not scripts
              el.dispatchEvent(new Event(type, { bubbles: true }));
            }
          }
        });
      }
      await grace.page.waitForTimeout(500);

      for (const [who, page, off] of [["Ada", ada.page, adaOff], ["Grace", grace.page, graceOff]]) {
        assert.deepEqual(await page.evaluate(() => window.__fired), [], `${who}: nothing fired`);
        assert.deepEqual(off, [], `${who}: nothing loaded from outside the server`);
        assert.deepEqual(await strayMarkup(page), [], `${who}: only allow-listed markup in bodies`);
        assert.deepEqual(page.problems, [], `${who}: no page errors`);
      }
    };
    await everythingInert();

    // Names: people who join with a vector as their name (each in a context of its own, so the
    // join's cookie is theirs) and post once, so each name shows as an author to Ada and Grace.
    const code = link.split("/join/")[1];
    const names = vectors.filter((v) => v.length <= 80 && !/[\0-\x1f]/.test(v)).filter((_, i) => i % 6 === 0);
    const shown = [];
    for (const [i, name] of names.entries()) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.goto(`${server.url}/up`).catch(() => {});
      const status = await page.evaluate(async ({ code, name, email, password, room, i }) => {
        const join = await fetch(`/api/join/${code}`, {
          method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name, email, password }),
        });
        if (join.status !== 201) return `join ${join.status}`;
        const { csrf_token: csrf } = await join.json();
        const post = await fetch(`/api/rooms/${room}/messages`, {
          method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
          body: JSON.stringify({ client_message_id: `name-${i}`, body_html: `hello from person ${i}` }),
        });
        return `post ${post.status}`;
      }, { code, name, email: `x${i}@example.com`, password, room, i });
      await ctx.close();
      if (status === "post 201") shown.push({ name, i });
      else assert.match(status, /^join 4\d\d$/, `person ${i} (${name}): ${status}`); // a name the server refuses
    }
    assert.ok(shown.length >= 20, `at least 20 hostile names joined (${shown.length})`);
    await grace.page.reload();
    await waitForOnline(grace.page);
    await grace.page.getByText(`hello from person ${shown.at(-1).i}`).waitFor();
    const authors = await grace.page.$$eval(".message .author", (els) => els.map((e) => e.textContent));
    // The page shows the newest 40 messages: the last names' posts are among them.
    for (const { name } of shown.slice(-10)) assert.ok(authors.includes(name), `the name shows as text: ${name}`);

    // Room names, when the server has room routes.
    const probe = await api(ada.page, "POST", "/api/rooms", { kind: "open", name: "probe" });
    if (probe.status === 404 || probe.status === 405) {
      t.diagnostic("no POST /api/rooms on this server: room names not tried");
    } else {
      const made = [];
      for (const [i, name] of names.slice(0, 40).entries()) {
        const res = await api(ada.page, "POST", "/api/rooms", { kind: "open", name });
        assert.ok(res.status === 201 || res.status === 422, `room ${i}: ${res.status}`);
        if (res.status === 201) made.push({ name, id: res.body.id });
      }
      assert.ok(made.length >= 20, `at least 20 hostile room names (${made.length})`);
      await grace.page.reload();
      await waitForOnline(grace.page);
      const listed = await grace.page.$$eval(".room-list.rooms .room-name", (els) => els.map((e) => e.textContent));
      for (const { name } of made) assert.ok(listed.includes(name), `the room name shows as text: ${name}`);
      // Opening a few shows the name as the room's heading and the page title, as text.
      for (const { name, id } of made.slice(0, 5)) {
        await grace.page.locator(`.room-list.rooms [href="/rooms/${id}"], .room-list.rooms [data-room="${id}"]`).first().click();
        await grace.page.waitForFunction((n) => document.querySelector(".room-title")?.textContent === n, name);
        assert.equal(await grace.page.title(), `${name} · Campfire`);  // first run names the account "Campfire"
      }
    }

    await everythingInert();
    await ada.context.close();
    await grace.context.close();
  } catch (e) {
    e.message += `\n--- server log ---\n${server.log().slice(-3000)}`;
    throw e;
  } finally {
    await server.stop();
    dir.remove();
  }
});
