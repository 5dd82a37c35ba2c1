// /search?q=…: the query box, my recent searches (clearable), and the newest 100 messages in my
// rooms that match, oldest first, each linking to its permalink /rooms/:id/@:message_id
// (CAMPFIRE.md 2.13). Matched words are <mark> elements around text nodes: nothing a user wrote
// is ever parsed as HTML here.
import * as api from "../api.js";
import { h, clear, append } from "../dom.js";
import { highlightParts } from "../search_highlight.js";
import { timeLabel, dayLabel, fullLabel, isoTime } from "../format.js";
import { pageTitle } from "../page_title.js";

export class SearchView {
  constructor(store, { onOpenMessage, onSearch, onToggleSidebar }) {
    this.store = store;
    this.onOpenMessage = onOpenMessage;
    this.onSearch = onSearch;
    this.generation = 0;  // answers to an older search are dropped
    this.input = h("input", {
      type: "search", name: "q", class: "search-input", placeholder: "Search messages", "aria-label": "Search messages",
      autocomplete: "off", maxlength: "1024",
    });
    this.form = h("form", { class: "search-form", role: "search", onsubmit: (e) => { e.preventDefault(); this.onSearch(this.input.value); } },
      this.input, h("button", { type: "submit", class: "primary", text: "Search" }));
    this.recent = h("div", { class: "recent-searches" });
    this.summary = h("p", { class: "search-summary", "aria-live": "polite" });
    this.results = h("ol", { class: "search-results" });
    this.el = h("section", { class: "room search", hidden: true },
      h("header", { class: "room-head" },
        h("button", { type: "button", class: "icon-button menu", "aria-label": "Rooms", onclick: onToggleSidebar },
          h("span", { class: "burger", "aria-hidden": "true" })),
        h("h1", { class: "room-title", text: "Search" })),
      h("div", { class: "search-body" }, this.form, this.recent, this.summary, this.results));
  }

  show(visible) {
    this.el.hidden = !visible;
    if (visible) document.title = pageTitle(this.store, "Search");
  }

  // Shows the page for `query` (may be empty): the recent searches, then the results.
  async load(query) {
    const generation = ++this.generation;
    this.input.value = query;
    clear(this.results);
    this.summary.textContent = query.trim() ? "Searching…" : "";
    const [recent, found] = await Promise.all([api.recentSearches(), query.trim() ? api.search(query) : null]);
    if (generation !== this.generation) return;
    this.renderRecent(recent.ok ? recent.body.searches : []);
    if (!found) return;
    if (!found.ok) {
      this.summary.textContent = `Search failed: ${found.message}`;
      return;
    }
    this.renderResults(found.body.messages, found.body.terms);
  }

  renderRecent(searches) {
    append(clear(this.recent), searches.length ? [
      h("div", { class: "recent-head" },
        h("h2", { text: "Recent searches" }),
        h("button", {
          type: "button", class: "link-button clear-searches", text: "Clear",
          onclick: async () => {
            const res = await api.clearSearches();
            if (res.ok) clear(this.recent);
          },
        })),
      h("ul", { class: "recent-list" }, searches.map((s) => h("li", {},
        h("a", {
          href: `/search?q=${encodeURIComponent(s.query)}`, class: "recent-search", text: s.query,
          onclick: (e) => { e.preventDefault(); this.onSearch(s.query); },
        })))),
    ] : []);
  }

  renderResults(messages, terms) {
    const { store } = this;
    this.summary.textContent = messages.length === 0 ? "No matches."
      : messages.length === 1 ? "1 match" : `${messages.length} matches`;
    append(clear(this.results), messages.map((m) => {
      const href = `/rooms/${m.room_id}/@${m.id}`;
      const room = store.rooms.has(m.room_id) ? store.roomName(m.room_id) : m.room_name;
      return h("li", { class: "search-result", "data-message": m.id, "data-room": m.room_id },
        h("a", {
          href, class: "search-result-link",
          onclick: (e) => {
            if (e.metaKey || e.ctrlKey || e.shiftKey) return;
            e.preventDefault();
            this.onOpenMessage(m.room_id, m.id);
          },
        },
        h("span", { class: "search-result-meta" },
          h("span", { class: "search-result-room", text: room || "Ping" }),
          " · ",
          h("span", { class: "search-result-author", text: store.userName(m.creator_id) }),
          " · ",
          h("time", { datetime: isoTime(m.created_at_us), title: fullLabel(m.created_at_us),
            text: `${dayLabel(m.created_at_us)}, ${timeLabel(m.created_at_us)}` })),
        h("span", { class: "search-result-text" },
          highlightParts(m.plain_text, terms).map((p) => (p.match ? h("mark", { text: p.text }) : p.text)))));
    }));
  }
}
