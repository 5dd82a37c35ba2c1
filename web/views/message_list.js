// A room's timeline: messages in seq order, runs by the same author grouped (Campfire's visual
// threading), day separators, local times. Rendering is keyed: each message keeps its element,
// so a pending post turns into the confirmed one in place (same client id, same element).
//
// Scrolling: at the bottom, new messages keep the view at the bottom; elsewhere the message at
// the top of the view stays put while older pages are prepended. Scrolling near the top asks for
// the page before the oldest message (CAMPFIRE.md 2.23); in a window around a permalink, scrolling
// near the bottom asks for the page after the newest one.
//
// What users do to a message — its menu, boosts, editing in place, the permalink highlight, the
// mention highlight — is built by views/message_menu.js, boost_bar.js and message_editor.js; here
// only `decorate` places them.
import { h, clear } from "../dom.js";
import { continuesRun, sameDay, timeLabel, dayLabel, fullLabel, isoTime } from "../format.js";
import { Pending } from "../store.js";
import { avatar, avatarUrl } from "./avatar.js";
import { attachmentView } from "./attachment.js";
import { renderSound } from "./sound_message.js";
import { boostList, boostPicker } from "./boost_bar.js";
import { MessageEditor } from "./message_editor.js";
import { messageMenu } from "./message_menu.js";
import { renderBody } from "./message_body.js";

const keyOf = (m) => (m.client_message_id ? `c:${m.client_message_id}` : `m:${m.id}`);

export class MessageList {
  // actions: {onEdit(m, html) → Promise, onDelete(m), onBoost(m, content), onUnboost(m, boost),
  // onReply(m), onCopyLink(m)}.
  constructor(store, { onLoadOlder, onLoadNewer, onRetry, actions }) {
    this.store = store;
    this.onLoadOlder = onLoadOlder;
    this.onLoadNewer = onLoadNewer;
    this.onRetry = onRetry;
    this.actions = actions;
    this.editor = null;        // MessageEditor of the message being edited
    this.pickerFor = null;     // id of the message whose boost picker is open
    this.highlightId = null;   // the permalinked message
    this.loadingNewer = false;
    this.roomId = null;
    this.loadingOlder = false;
    this.retryOlderAt = 0;
    this.elements = new Map(); // key → element
    this.status = h("div", { class: "history-status", "aria-live": "polite" });
    this.list = h("ol", { class: "message-list", "aria-label": "Messages" });
    this.newer = h("div", { class: "history-status newer", hidden: true },
      h("button", { type: "button", class: "link-button jump-newest", text: "Jump to the newest messages",
        onclick: () => this.actions.onJumpToNewest?.() }));
    this.el = h("div", { class: "messages", tabindex: "-1" }, this.status, this.list, this.newer);
    this.el.addEventListener("scroll", () => { this.maybeLoadOlder(); this.maybeLoadNewer(); }, { passive: true });
    store.subscribe((what, roomId) => {
      if ((what === "messages" && roomId === this.roomId) || what === "users" || what === "all") this.render();
    });
  }

  show(roomId, highlightId = null) {
    this.roomId = roomId;
    this.highlightId = highlightId;
    this.editor = null;
    this.pickerFor = null;
    this.elements.clear();
    clear(this.list);
    this.render();
    this.scrollToBottom();
  }

  atBottom() {
    return this.el.scrollHeight - this.el.scrollTop - this.el.clientHeight < 48;
  }

  scrollToBottom() {
    this.el.scrollTop = this.el.scrollHeight;
  }

  maybeLoadOlder() {
    const room = this.roomId && this.store.messages.get(this.roomId);
    if (!room?.loaded || !room.hasOlder || this.el.scrollTop >= 400 || this.loadingOlder) return;
    if (Date.now() < this.retryOlderAt) return; // the last try failed: not in a tight loop
    this.loadingOlder = true;
    this.status.textContent = "Loading earlier messages…";
    Promise.resolve(this.onLoadOlder(this.roomId)).then((ok) => {
      this.retryOlderAt = ok ? 0 : Date.now() + 3000;
    }).finally(() => {
      this.loadingOlder = false;
      this.render();
    });
  }

  maybeLoadNewer() {
    const room = this.roomId && this.store.messages.get(this.roomId);
    if (!room?.loaded || !room.hasNewer || this.loadingNewer || !this.onLoadNewer) return;
    if (this.el.scrollHeight - this.el.scrollTop - this.el.clientHeight >= 400) return;
    this.loadingNewer = true;
    Promise.resolve(this.onLoadNewer(this.roomId)).finally(() => {
      this.loadingNewer = false;
      this.render();
    });
  }

  // Centres the permalinked message and highlights it (Campfire 2.4).
  focusMessage(id) {
    this.highlightId = id;
    this.render();
    const el = this.list.querySelector(`[data-message-id="${id}"]`);
    el?.scrollIntoView({ block: "center" });
  }

  startEdit(id) {
    const m = this.store.message(this.roomId, id);
    if (!m || !this.store.mayChange(m)) return false;
    this.editor = new MessageEditor(m, {
      onSave: (html) => this.actions.onEdit(m, html),
      onDone: () => this.stopEdit(),
    });
    this.render();
    this.list.querySelector(`[data-message-id="${id}"]`)?.scrollIntoView({ block: "nearest" });
    this.editor.focus();
    return true;
  }

  stopEdit() {
    this.editor = null;
    this.render();
    this.actions.onEditDone?.();
  }

  render() {
    if (this.roomId === null) return;
    const room = this.store.roomMessages(this.roomId);
    // In a window around a permalink the bottom is not the room's end: don't pin to it.
    const stick = this.atBottom() && !room.hasNewer;
    const anchor = stick ? null : this.topVisible();
    const anchorTop = anchor?.getBoundingClientRect().top;

    const wanted = [];
    let previous = null;
    for (const m of room.list()) {
      if (!previous || !sameDay(previous.created_at_us, m.created_at_us)) {
        wanted.push(this.daySeparator(m.created_at_us));
      }
      wanted.push(this.messageElement(m, continuesRun(previous, m)));
      previous = m;
    }
    const keep = new Set(wanted);
    for (const [key, el] of this.elements) {
      if (!keep.has(el)) {
        el.remove();
        this.elements.delete(key);
      }
    }
    let cursor = this.list.firstChild;
    for (const el of wanted) {
      if (el === cursor) cursor = cursor.nextSibling;
      else this.list.insertBefore(el, cursor);
    }
    this.status.textContent = !room.loaded ? "Loading…" : !room.hasOlder ? "This is the start of the room."
      : this.loadingOlder ? "Loading earlier messages…" : "";
    this.status.classList.toggle("start", room.loaded && !room.hasOlder);
    this.newer.hidden = !room.hasNewer;

    if (stick) this.scrollToBottom();
    else if (anchor?.isConnected) this.el.scrollTop += anchor.getBoundingClientRect().top - anchorTop;
    if (room.loaded && room.hasOlder && this.el.scrollHeight <= this.el.clientHeight + 400) {
      queueMicrotask(() => this.maybeLoadOlder());
    }
  }

  topVisible() {
    const top = this.el.getBoundingClientRect().top;
    for (const el of this.list.children) {
      if (el.getBoundingClientRect().bottom > top) return el;
    }
    return null;
  }

  daySeparator(us) {
    const label = dayLabel(us);
    const key = `d:${label}`;
    let el = this.elements.get(key);
    if (!el) {
      el = h("li", { class: "day-separator", role: "separator" }, h("span", { text: label }));
      this.elements.set(key, el);
    }
    return el;
  }

  messageElement(m, continued) {
    const key = keyOf(m);
    let el = this.elements.get(key);
    const stamp = `${m.id}|${m.version}|${m.pending ?? ""}|${m.reason ?? ""}|${continued}|${this.store.userName(m.creator_id)}|${avatarUrl(m.creator_id)}` +
      `|${this.decorationStamp(m)}`;
    if (el && el.dataset.stamp === stamp) return el;
    const fresh = this.buildMessage(m, continued);
    fresh.dataset.stamp = stamp;
    if (el) el.replaceWith(fresh);
    this.elements.set(key, fresh);
    return fresh;
  }

  buildMessage(m, continued) {
    const store = this.store;
    const name = store.userName(m.creator_id);
    const mine = store.me && m.creator_id === store.me.id;
    const body = renderBody(m);
    // A mention shows its person's current name, as Campfire renders a mention attachment from the
    // user record: the "@Name" inside the body is the writer's text and could claim anyone.
    for (const el of body.querySelectorAll(".mention[data-user-id]")) {
      const id = Number(el.dataset.userId);
      if (store.users.has(id) || id === store.me?.id) el.textContent = `@${store.userName(id)}`;
    }
    renderSound(body, m); // `/play name` shows as a sound, whatever the body (CAMPFIRE.md 2.25)
    const classes = ["message", continued && "continued", mine && "mine", m.pending && `pending-${m.pending}`];
    const li = h("li", { class: classes.filter(Boolean).join(" "), "data-key": keyOf(m) },
      avatar(m.creator_id, name),
      h("div", { class: "message-main" },
        h("div", { class: "message-meta" },
          h("span", { class: "author", text: name }),
          h("time", { datetime: isoTime(m.created_at_us), title: fullLabel(m.created_at_us), text: timeLabel(m.created_at_us) })),
        body,
        attachmentView(m.attachment),
        m.pending === Pending.sending ? h("div", { class: "message-state", text: "Sending…" }) : null,
        m.pending === Pending.failed ? h("div", { class: "message-state failed" },
          h("span", { text: m.reason ? `Not sent: ${m.reason}` : "Not sent." }), " ",
          h("button", { type: "button", class: "link-button retry", text: "Retry", onclick: () => this.onRetry(m.client_message_id) }),
          " · ",
          h("button", { type: "button", class: "link-button discard", text: "Discard", onclick: () => this.store.discardPending(m.client_message_id) })) : null));
    if (m.id) li.dataset.messageId = String(m.id);
    if (Number.isFinite(m.seq)) li.dataset.seq = String(m.seq);
    if (m.id) this.decorate(li, m, body);
    return li;
  }

  // What decorate() depends on besides the message's version.
  decorationStamp(m) {
    return `${this.editor?.messageId === m.id}|${this.pickerFor === m.id}|${this.highlightId === m.id}`;
  }

  // A confirmed message's menu, boosts, editor and highlights.
  decorate(li, m, body) {
    const store = this.store;
    li.classList.toggle("mentioned", store.mentionsMe(m));
    li.classList.toggle("highlighted", this.highlightId === m.id);
    if (this.editor?.messageId === m.id) {
      body.replaceWith(this.editor.el);
      li.classList.add("editing");
    }
    const main = li.querySelector(".message-main");
    main.append(...[
      boostList(store, m, { onRemove: (msg, b) => this.actions.onUnboost(msg, b) }),
      this.pickerFor === m.id ? this.picker(m) : null,
    ].filter(Boolean));
    li.append(messageMenu(m, store.mayChange(m), {
      onBoost: () => { this.pickerFor = m.id; this.render(); this.pickerFocus?.(); },
      onReply: () => this.actions.onReply(m),
      onCopyLink: () => this.actions.onCopyLink(m),
      onEdit: () => this.startEdit(m.id),
      onDelete: () => this.actions.onDelete(m),
    }));
  }

  picker(m) {
    const p = boostPicker({
      onPick: (content) => this.actions.onBoost(m, content),
      onClose: () => { this.pickerFor = null; this.pickerFocus = null; this.render(); },
    });
    this.pickerFocus = p.focus;
    return p.el;
  }
}
