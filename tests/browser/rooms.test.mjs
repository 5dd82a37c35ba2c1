// Rooms, pings and the bell in the browser, two people in two contexts: what one does appears or
// disappears live for the other (CAMPFIRE.md 2.5–2.8). One chromium for the file; each test has
// its own server and data directory.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchBrowser, withTwo as withTwoIn, newPage, joinWithLink, joinUrlOf, say } from "./harness.mjs";

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const kTestTimeout = { timeout: 90_000 };
const withTwo = (body) => withTwoIn(browser, body);

const roomLink = (page, name) => page.locator(".room-list.rooms .room-link", { hasText: name });
const pingLink = (page, name) => page.locator(".room-list.pings a.room-link", { hasText: name });
const bell = (page) => page.locator(".room-controls .bell");
const accept = (page) => page.once("dialog", (d) => d.accept());

async function createRoom(page, name, { closed = false } = {}) {
  await page.getByRole("button", { name: "New room" }).click();
  const dialog = page.getByRole("dialog", { name: "New room" });
  await dialog.getByLabel("Name").fill(name);
  if (closed) await dialog.getByLabel("Only the people I choose (closed room)").check();
  await dialog.getByRole("button", { name: "Create room" }).click();
  await page.getByRole("heading", { name }).waitFor();
}

test("a new open room appears live for the other, and its deletion removes it live", kTestTimeout, () => withTwo(async ({ ada, bo }) => {
  await createRoom(ada, "Lobby");
  await roomLink(bo, "Lobby").waitFor();
  await roomLink(bo, "Lobby").click();
  await bo.getByRole("heading", { name: "Lobby" }).waitFor();

  // Renamed by its creator: the other sees the new name in the sidebar and the header.
  await ada.getByRole("button", { name: "Room settings" }).click();
  const settings = ada.getByRole("dialog", { name: "Room settings" });
  await settings.getByLabel("Name").fill("Lounge");
  await settings.getByRole("button", { name: "Save" }).click();
  await bo.getByRole("heading", { name: "Lounge" }).waitFor();

  // Bo is not its creator: no delete button for him.
  await bo.getByRole("button", { name: "Room settings" }).click();
  const readOnly = bo.getByRole("dialog", { name: "Lounge" });
  await readOnly.getByText("Only the room's creator or an administrator can change it.").waitFor();
  assert.equal(await readOnly.getByRole("button", { name: "Delete room" }).count(), 0);
  await readOnly.getByRole("button", { name: "Close" }).click();

  // Deleted with Campfire's confirmation: gone for both; Bo, who was in it, lands in All Talk.
  let question = "";
  ada.once("dialog", (d) => { question = d.message(); d.accept(); });
  await ada.getByRole("button", { name: "Room settings" }).click();
  await ada.getByRole("dialog", { name: "Room settings" }).getByRole("button", { name: "Delete room" }).click();
  await roomLink(bo, "Lounge").waitFor({ state: "detached" });
  await bo.getByRole("heading", { name: "All Talk" }).waitFor();
  await roomLink(ada, "Lounge").waitFor({ state: "detached" });
  assert.equal(question, "Are you sure you want to delete this room and all messages in it? This can't be undone.");
}));

test("a closed room's members are revised live: the room appears and disappears for Bo", kTestTimeout, () => withTwo(async ({ ada, bo }) => {
  await createRoom(ada, "Secret", { closed: true });
  await roomLink(ada, "Secret").waitFor();
  assert.equal(await roomLink(bo, "Secret").count(), 0, "not a member");

  await ada.getByRole("button", { name: "Room settings" }).click();
  let settings = ada.getByRole("dialog", { name: "Room settings" });
  await settings.getByLabel("Bo").check();
  await settings.getByRole("button", { name: "Save" }).click();
  await roomLink(bo, "Secret").waitFor();
  await roomLink(bo, "Secret").click();
  await bo.getByRole("heading", { name: "Secret" }).waitFor();
  assert.match(await roomLink(bo, "Secret").textContent(), /🔒/, "shown as closed");

  await ada.getByRole("button", { name: "Room settings" }).click();
  settings = ada.getByRole("dialog", { name: "Room settings" });
  await settings.getByLabel("Bo").uncheck();
  await settings.getByRole("button", { name: "Save" }).click();
  await roomLink(bo, "Secret").waitFor({ state: "detached" });
  await bo.getByRole("heading", { name: "All Talk" }).waitFor();

  // Converted to open: everyone is in it, Bo included.
  await ada.getByRole("button", { name: "Room settings" }).click();
  settings = ada.getByRole("dialog", { name: "Room settings" });
  await settings.getByLabel("Everyone (open room)").check();
  await settings.getByRole("button", { name: "Save" }).click();
  await roomLink(bo, "Secret").waitFor();
  assert.doesNotMatch(await roomLink(bo, "Secret").textContent(), /🔒/);
}));

test("a ping started from a placeholder appears for the other; either deletes it", kTestTimeout, () => withTwo(async ({ ada, bo }) => {
  const placeholder = ada.locator(".ping-placeholder", { hasText: "Bo" });
  await placeholder.waitFor();
  await placeholder.click();
  await ada.getByRole("heading", { name: "Bo", exact: true }).waitFor();
  await placeholder.waitFor({ state: "detached" });
  await pingLink(bo, "Ada Lovelace").waitFor();
  await pingLink(bo, "Ada Lovelace").click();
  await bo.getByRole("heading", { name: "Ada Lovelace" }).waitFor();

  // The picker finds the same ping for the same people: no second one.
  await bo.getByRole("link", { name: "All Talk" }).click();
  await bo.getByRole("button", { name: "New ping" }).click();
  const picker = bo.getByRole("dialog", { name: "New ping" });
  await picker.getByLabel("Ada Lovelace").check();
  await picker.getByRole("button", { name: "Ping" }).click();
  await bo.getByRole("heading", { name: "Ada Lovelace" }).waitFor();
  assert.equal(await bo.locator(".room-list.pings a.room-link").count(), 1);

  // Pings: everything ↔ nothing.
  assert.equal(await bell(bo).getAttribute("aria-label"), "Notifying about all messages");
  await bell(bo).click();
  await bo.locator('.room-controls .bell[aria-label="Notifications are off"]').waitFor();
  await bell(bo).click();
  await bo.locator('.room-controls .bell[aria-label="Notifying about all messages"]').waitFor();

  // Pings are ordered by latest activity, re-sorted live: a newer ping with Cy goes on top, then
  // Bo's message brings his back above it.
  const cy = await newPage(browser);
  try {
    await joinWithLink(cy.page, await joinUrlOf(ada), { name: "Cy", email: "cy@example.com" });
    await ada.locator(".ping-placeholder", { hasText: "Cy" }).click();
    await ada.getByRole("heading", { name: "Cy", exact: true }).waitFor();
    const order = () => ada.locator(".room-list.pings a.room-link .room-name").allTextContents();
    assert.deepEqual(await order(), ["Cy", "Bo"]);
    await say(bo, "back on top");
    await ada.waitForFunction(() => document.querySelector(".room-list.pings a.room-link .room-name")?.textContent === "Bo");
    assert.deepEqual(await order(), ["Bo", "Cy"]);
  } finally {
    await cy.context.close();
  }

  // Bo did not start it, and deletes it: gone for both, the placeholders come back.
  accept(bo);
  await bo.getByRole("button", { name: "Ping settings" }).click();
  await bo.getByRole("dialog").getByRole("button", { name: "Delete ping" }).click();
  await pingLink(ada, "Bo").waitFor({ state: "detached" });
  await pingLink(bo, "Ada Lovelace").waitFor({ state: "detached" });
  await ada.locator(".ping-placeholder", { hasText: "Bo" }).waitFor();
  await bo.getByRole("heading", { name: "All Talk" }).waitFor();
}));

test("the bell cycles through the four levels; invisible hides the room and the profile brings it back", kTestTimeout, () => withTwo(async ({ ada, bo }) => {
  await roomLink(bo, "All Talk").click();
  const labels = [];
  for (let i = 0; i < 3; ++i) {
    labels.push(await bell(bo).getAttribute("aria-label"));
    await bell(bo).click();
    await bo.locator(`.room-controls .bell:not([aria-label="${labels[i]}"])`).waitFor();
  }
  labels.push(await bell(bo).getAttribute("aria-label"));
  assert.deepEqual(labels, ["Notifying about @ mentions", "Notifying about all messages", "Notifications are off",
    "Notifications are off and room invisible in sidebar"]);
  await roomLink(bo, "All Talk").waitFor({ state: "detached" });

  // The profile lists every membership, the invisible one too, with its bell.
  await bo.getByRole("link", { name: "Bo", exact: true }).click();
  await bo.getByRole("heading", { name: "Your profile" }).waitFor();
  const row = bo.locator(".membership", { hasText: "All Talk" });
  await row.locator('.bell[data-involvement="invisible"]').click();
  await row.locator('.bell[data-involvement="mentions"]').waitFor();
  await roomLink(bo, "All Talk").waitFor();
  assert.equal(new URL(bo.url()).pathname, "/profile");
  await bo.reload();
  await bo.getByRole("heading", { name: "Your profile" }).waitFor();

  // The room-creation setting is on the account page, where only administrators may change it;
  // when on, Bo's "+" goes away live.
  assert.equal(await bo.locator(".restrict-rooms").count(), 0, "not on the profile");
  await ada.getByRole("link", { name: "Account", exact: true }).click();
  await ada.getByRole("heading", { name: "Account" }).waitFor();
  await ada.locator(".restrict-rooms").check();
  await bo.getByRole("button", { name: "New room" }).waitFor({ state: "detached" });
  await ada.getByRole("button", { name: "New room" }).waitFor();
  await ada.locator(".restrict-rooms").uncheck();
  await bo.getByRole("button", { name: "New room" }).waitFor();
}));
