// /account/bots (CAMPFIRE.md 2.15): administrators create bots, edit their name and webhook URL,
// reset their key and deactivate them. A key is shown only when asked for ("Show key"), and with
// it the ready-made curl lines Campfire's page gives for every room the bot is in.
import * as api from "../api.js";
import { h, clear, append } from "../dom.js";

// The bot API's address for posting into `roomId` with `key` (docs/api.md "Bot API").
export function botMessagesUrl(origin, roomId, key) {
  return `${origin}/rooms/${roomId}/${key}/messages`;
}

// Campfire's two ready-made lines: a text message and a file.
export function curlLines(url) {
  return [`curl -d 'Hello!' ${url}`, `curl -F "attachment=@/path/to/file" ${url}`];
}

export class BotsView {
  constructor(store, { onToggleSidebar }) {
    this.store = store;
    this.keys = new Map(); // bot id → key shown on demand (or null: cannot be recovered)
    this.body = h("div", { class: "bots-body" });
    this.el = h("section", { class: "room bots", hidden: true },
      h("header", { class: "room-head" },
        h("button", { type: "button", class: "icon-button menu", "aria-label": "Rooms", onclick: onToggleSidebar },
          h("span", { class: "burger", "aria-hidden": "true" })),
        h("h1", { class: "room-title", text: "Bots" })),
      this.body);
  }

  show(visible) {
    this.el.hidden = !visible;
    if (visible) {
      document.title = "Bots · Hearth";
      this.keys.clear();
      this.load();
    }
  }

  async load() {
    const res = await api.bots();
    if (this.el.hidden) return;
    if (!res.ok) {
      append(clear(this.body), [h("p", { class: "notice error", text: res.status === 403 ? "Only administrators manage bots." : res.message })]);
      return;
    }
    this.render(res.body.bots);
  }

  render(bots) {
    this.bots = bots;
    append(clear(this.body), [
      h("p", { class: "lead", text: "Bots post into rooms with their key and hear about mentions and pings through their webhook." }),
      this.createForm(),
      h("ul", { class: "bot-list" }, bots.map((bot) => this.row(bot))),
    ]);
  }

  notice(text, kind = "") {
    const old = this.body.querySelector(".bots-notice");
    old?.remove();
    this.body.prepend(h("p", { class: `notice bots-notice ${kind}`, role: "status", text }));
  }

  createForm() {
    const name = h("input", { type: "text", name: "name", required: true, placeholder: "Name", "aria-label": "Bot name" });
    const url = h("input", { type: "url", name: "webhook_url", placeholder: "Webhook URL (optional)", "aria-label": "Webhook URL" });
    return h("form", {
      class: "bot-create",
      onsubmit: async (e) => {
        e.preventDefault();
        const res = await api.createBot({ name: name.value, webhook_url: url.value });
        if (!res.ok) return this.notice(res.message, "error");
        this.keys.set(res.body.id, res.body.key);
        await this.load();
        this.notice(`${name.value} is ready. Its key is shown below; keep it secret.`);
      },
    }, h("h2", { text: "New bot" }), name, url, h("button", { type: "submit", class: "button", text: "Create bot" }));
  }

  row(bot) {
    const key = this.keys.get(bot.id);
    const name = h("input", { type: "text", class: "bot-name", value: bot.name, "aria-label": "Name" });
    const url = h("input", { type: "url", class: "bot-webhook", value: bot.webhook_url, placeholder: "Webhook URL", "aria-label": "Webhook URL" });
    const rooms = bot.rooms.filter((r) => r.kind !== "direct");
    return h("li", { class: "bot", "data-bot": bot.id },
      h("h2", { class: "bot-title", text: bot.name }),
      h("form", {
        class: "bot-edit",
        onsubmit: async (e) => {
          e.preventDefault();
          const res = await api.updateBot(bot.id, { name: name.value, webhook_url: url.value });
          if (!res.ok) return this.notice(res.message, "error");
          await this.load();
        },
      }, name, url, h("button", { type: "submit", class: "button", text: "Save" })),
      h("div", { class: "bot-actions" },
        h("button", {
          type: "button", class: "button show-key", text: key === undefined ? "Show key" : "Hide key",
          onclick: async () => {
            if (this.keys.has(bot.id)) this.keys.delete(bot.id);
            else {
              const res = await api.botKey(bot.id);
              if (!res.ok) return this.notice(res.message, "error");
              this.keys.set(bot.id, res.body.key);
            }
            this.render(this.bots);
          },
        }),
        h("button", {
          type: "button", class: "button reset-key", text: "Reset key",
          onclick: async () => {
            if (!confirm(`Reset ${bot.name}'s key? Anything using the old key stops working.`)) return;
            const res = await api.resetBotKey(bot.id);
            if (!res.ok) return this.notice(res.message, "error");
            this.keys.set(bot.id, res.body.key);
            this.render(this.bots);
          },
        }),
        h("button", {
          type: "button", class: "button danger deactivate-bot", text: "Deactivate",
          onclick: async () => {
            if (!confirm(`Deactivate ${bot.name}? Its key stops working.`)) return;
            const res = await api.deactivateBot(bot.id);
            if (!res.ok) return this.notice(res.message, "error");
            this.keys.delete(bot.id);
            await this.load();
          },
        })),
      key === undefined ? null : this.keyDetails(key, rooms));
  }

  keyDetails(key, rooms) {
    if (key === null) {
      return h("p", { class: "bot-key missing", text: "This key cannot be shown (an imported bot). Reset it to get one that can." });
    }
    return h("div", { class: "bot-key-details" },
      h("p", {}, "Key: ", h("code", { class: "bot-key", text: key })),
      h("ul", { class: "bot-curl" }, rooms.map((room) => {
        const url = botMessagesUrl(location.origin, room.id, key);
        return h("li", { "data-room": room.id },
          h("strong", { text: room.name }),
          curlLines(url).map((line) => h("pre", { class: "curl" }, h("code", { text: line }))));
      })));
  }
}
