// What the client knows: who I am, the people, my rooms, each room's messages and my pending
// posts. No DOM here (Node's tests import it). Views subscribe and re-read.
//
// Messages of a room come from two sources that may overlap: HTTP pages (a snapshot of the room
// as of the page's `seq`) and live events from the stream. Merging is by message id, and a
// message keeps whichever copy is newer: `version` is the seq of the last event that touched it,
// and a page's copies have the page's seq as their version. Removals leave a tombstone so that an
// older page cannot bring a removed message back.
//
// A room opened at a permalink holds a window around that message (Campfire 2.4/2.23) rather than
// the newest page: `hasNewer` is then true, and list() shows only up to the newest paged message,
// so live posts wait (kept, not dropped) until ?after= pages close the gap between them.

import { displayName } from "./rooms.js";
import { setAvatarUrl } from "./views/avatar.js";
import { avatarUrlFor } from "./uploads.js";

export const Pending = Object.freeze({ sending: "sending", failed: "failed" });

const kRoles = ["member", "administrator", "bot"];

// The events after which the server's rooms.updated_at_us moves (projections/apply_rooms.cc).
const kTouchesRoom = new Set(["MessagePosted", "MessageEdited", "MessageRemoved", "BoostAdded", "BoostRemoved",
  "RoomRenamed", "RoomConverted"]);

export class RoomMessages {
  constructor() {
    this.byId = new Map();       // message id → message
    this.removed = new Set();    // tombstones
    this.pending = [];           // my posts not yet in byId, in sending order
    this.loaded = false;         // the newest page arrived
    this.hasOlder = true;        // a page before the oldest one may exist
    this.hasNewer = false;       // a window around a permalink: messages after it are not paged in yet
    this.pagedUntil = 0;         // while hasNewer: the seq of the newest paged message
    this.sorted_ = null;
  }

  // Starts over (a permalink opens a window elsewhere in the room), keeping the tombstones.
  restart() {
    const fresh = new RoomMessages();
    fresh.removed = this.removed;
    return fresh;
  }

  // Confirmed messages by seq, then pending ones.
  list() {
    if (!this.sorted_) {
      const all = [...this.byId.values()].sort((a, b) => a.seq - b.seq);
      this.sorted_ = this.hasNewer ? all.filter((m) => m.seq <= this.pagedUntil) : all;
    }
    return this.pending.length && !this.hasNewer ? [...this.sorted_, ...this.pending] : this.sorted_;
  }

  // The cursor for the next ?after= page while hasNewer.
  newestPagedId() {
    this.list();
    return this.sorted_.length ? this.sorted_[this.sorted_.length - 1].id : null;
  }

  // The newest confirmed message by `userId` (↑ in an empty composer edits it).
  lastBy(userId) {
    const list = this.list();
    for (let i = list.length - 1; i >= 0; --i) {
      if (list[i].id && list[i].creator_id === userId) return list[i];
    }
    return null;
  }

  oldestId() {
    const list = this.list();
    return list.length && list[0].id ? list[0].id : null;
  }

  upsert(message) {
    if (this.removed.has(message.id)) return false;
    const had = this.byId.get(message.id);
    if (had && had.version >= message.version) return false;
    this.byId.set(message.id, message);
    if (message.client_message_id) this.pending = this.pending.filter((p) => p.client_message_id !== message.client_message_id);
    this.sorted_ = null;
    return true;
  }

  remove(id) {
    this.removed.add(id);
    this.sorted_ = null;
    return this.byId.delete(id);
  }
}

export class Store {
  constructor() {
    this.listeners_ = new Set();
    this.reset({});
  }

  // Everything from a bootstrap answer; message lists start empty (pages load on demand).
  reset(bootstrap) {
    this.seq = bootstrap.seq ?? 0;
    this.me = bootstrap.me ?? null;
    this.account = bootstrap.account ?? null;
    this.csrf = bootstrap.csrf_token ?? "";
    this.users = new Map((bootstrap.users ?? []).map((u) => [u.id, u]));
    for (const u of [...this.users.values(), this.me]) if (u) setAvatarUrl(u.id, u.avatar_url);
    this.rooms = new Map((bootstrap.rooms ?? []).map((r) => [r.id, { version: this.seq, ...r }]));
    // What the stream told me about rooms I may not be in (yet): open rooms are announced to
    // everyone, and I hear of rooms I create before my own membership.
    this.roomMeta = new Map([...this.rooms.values()].map((r) => [r.id, { name: r.name, kind: r.kind, creator_id: r.creator_id }]));
    this.messages = new Map();
    this.currentRoom = null;
    this.viewing = true;     // the tab shows currentRoom (false once it has been hidden 5 s)
    this.typing = new Map(); // room id → Map(user id → expiry ms)
    this.changed_("all");
  }

  subscribe(fn) {
    this.listeners_.add(fn);
    return () => this.listeners_.delete(fn);
  }

  unsubscribeAll() { this.listeners_.clear(); }

  changed_(what, roomId = null) {
    for (const fn of this.listeners_) fn(what, roomId);
  }

  room(id) { return this.rooms.get(id) ?? null; }

  // A room's name as shown: a ping is named after the others in it (web/rooms.js).
  roomName(id) {
    const room = this.rooms.get(id);
    if (!room) return "";
    return displayName(room, this.me?.id, (uid) => this.userName(uid));
  }

  // The answer of GET /api/rooms/:room, for a room I was just granted (the stream does not carry
  // what happened in it before I joined). Older than what the stream already told me: ignored.
  applyRoomDetails(details) {
    const room = this.rooms.get(details.id);
    if (!room || details.seq < room.version) return;
    Object.assign(room, {
      kind: details.kind, name: details.name, creator_id: details.creator_id, updated_at_us: details.updated_at_us,
      version: details.seq, needsDetails: false,
    });
    if (details.kind === "direct") room.member_ids = details.members.map((m) => m.id).sort((a, b) => a - b);
    const mine = details.members.find((m) => m.id === this.me?.id);
    if (mine) room.involvement = mine.involvement;
    this.changed_("rooms");
  }

  // A room's latest activity moved: pings re-sort (Campfire 2.7).
  touchRoom_(id, time) {
    const room = this.rooms.get(id);
    if (!room || !(time > (room.updated_at_us ?? 0))) return;
    room.updated_at_us = time;
    if (room.kind === "direct") this.changed_("rooms");
  }

  dropRoom_(id) {
    this.rooms.delete(id);
    this.messages.delete(id);
    this.typing.delete(id);
  }

  userName(id) {
    return this.users.get(id)?.name ?? (this.me && id === this.me.id ? this.me.name : `User ${id}`);
  }

  roomMessages(id) {
    let m = this.messages.get(id);
    if (!m) {
      m = new RoomMessages();
      this.messages.set(id, m);
    }
    return m;
  }

  openRoom(id) {
    this.currentRoom = id;
    const room = this.rooms.get(id);
    if (room) room.unread = false;
    this.changed_("rooms");
    this.changed_("messages", id);
  }

  // The tab became visible (the room shown is viewed again: not unread) or absent.
  setViewing(viewing) {
    this.viewing = viewing;
    const room = viewing ? this.rooms.get(this.currentRoom) : null;
    if (room) room.unread = false;
    this.changed_("rooms");
  }

  // The room being viewed now (CAMPFIRE.md 2.9: it is never shown unread), or null.
  viewedRoom() { return this.viewing ? this.currentRoom : null; }

  // A page from GET /api/rooms/:room/messages. `mode` is what was asked: "newest" (no cursor),
  // "older" (?before=), "newer" (?after=) or {around: id}; `true`/`false` mean older/newest.
  addPage(roomId, page, mode) {
    if (mode === true) mode = "older";
    if (mode === false || mode === undefined) mode = "newest";
    const m = this.roomMessages(roomId);
    const rows = page.messages;
    for (const msg of rows) m.upsert({ boosts: [], mentioned_user_ids: [], ...msg, version: page.seq });
    if (mode === "older" || (mode === "newest" && !m.loaded)) m.hasOlder = rows.length === 40;
    if (mode === "newer") {
      m.hasNewer = rows.length === 40;
      if (rows.length) m.pagedUntil = rows[rows.length - 1].seq;
    }
    if (mode?.around) {
      const at = rows.findIndex((r) => r.id === mode.around);
      m.hasOlder = at >= 40;
      m.hasNewer = rows.length - at - 1 >= 40;
      m.pagedUntil = rows.length ? rows[rows.length - 1].seq : 0;
    }
    m.loaded = true;
    m.sorted_ = null;
    this.changed_("messages", roomId);
  }

  // Forgets a room's pages (keeping tombstones), before opening it around a permalink.
  restartRoom(roomId) {
    this.messages.set(roomId, this.roomMessages(roomId).restart());
  }

  message(roomId, id) { return this.messages.get(roomId)?.byId.get(id) ?? null; }

  mentionsMe(message) { return !!this.me && (message.mentioned_user_ids ?? []).includes(this.me.id); }

  // Campfire 2.11: the author or any administrator may edit and delete.
  mayChange(message) {
    if (!this.me || !message.id) return false;
    const role = this.users.get(this.me.id)?.role ?? this.me.role; // `users` follows RoleChanged live
    return message.creator_id === this.me.id || role === "administrator";
  }

  // ---- my posts ----

  addPending(roomId, post) {
    const m = this.roomMessages(roomId);
    m.pending.push({
      id: null, seq: Infinity, creator_id: this.me.id, client_message_id: post.id,
      // Shown as its text until the server's sanitized copy arrives; sent_html is what a retry sends.
      body_html: null, plain_text: post.plain_text, sent_html: post.body_html ?? null, created_at_us: Date.now() * 1000,
      mentions: post.mentions ?? [],
      pending: Pending.sending, room_id: roomId,
    });
    this.changed_("messages", roomId);
  }

  findPending(clientId) {
    for (const [roomId, m] of this.messages) {
      const p = m.pending.find((x) => x.client_message_id === clientId);
      if (p) return { roomId, pending: p, list: m };
    }
    return null;
  }

  // An ack: the post committed as message `id` at `seq`. The event may have come first.
  confirm(clientId, id, seq) {
    const found = this.findPending(clientId);
    if (!found) return;
    const { roomId, pending, list } = found;
    list.upsert({ ...pending, id, seq, pending: undefined, version: 0 });
    this.changed_("messages", roomId);
  }

  discardPending(clientId) {
    const found = this.findPending(clientId);
    if (!found) return;
    found.list.pending = found.list.pending.filter((p) => p !== found.pending);
    this.changed_("messages", found.roomId);
  }

  setPendingState(clientId, state, reason = "") {
    const found = this.findPending(clientId);
    if (!found) return;
    found.pending.pending = state;
    found.pending.reason = reason;
    this.changed_("messages", found.roomId);
  }

  // ---- events from the stream ----

  applyEvents(events) {
    for (const e of events) this.applyEvent_(e);
    if (events.length) this.seq = events[events.length - 1].seq;
  }

  applyEvent_(e) {
    const d = e.data ?? {};
    const mine = this.me && d.user_id === this.me.id;
    if (kTouchesRoom.has(e.type)) this.touchRoom_(d.room_id, e.time);
    switch (e.type) {
      case "MessagePosted": {
        const m = this.roomMessages(d.room_id);
        m.upsert({
          id: d.message_id, seq: e.seq, creator_id: d.creator_id, client_message_id: d.client_message_id ?? "",
          body_html: d.body_html ?? "", plain_text: d.plain_text ?? "", created_at_us: e.time,
          updated_at_us: e.time, version: e.seq, boosts: [], mentioned_user_ids: d.mentioned_user_ids ?? [],
          attachment: d.attachment ?? null,
        });
        const room = this.rooms.get(d.room_id);
        if (room && d.room_id !== this.viewedRoom() && (d.unread_user_ids ?? []).includes(this.me?.id)) {
          room.unread = true;
          this.changed_("rooms");
        }
        return this.changed_("messages", d.room_id);
      }
      case "MessageEdited": {
        const m = this.roomMessages(d.room_id);
        const had = m.byId.get(d.message_id);
        if (had && had.version < e.seq) {
          m.upsert({
            ...had, body_html: d.body_html ?? "", plain_text: d.plain_text ?? "", updated_at_us: e.time, version: e.seq,
            mentioned_user_ids: d.mentioned_user_ids ?? [],
          });
        }
        return this.changed_("messages", d.room_id);
      }
      // A boost touches its message: a page older than the event can't undo it (versions).
      case "BoostAdded":
      case "BoostRemoved": {
        const m = this.roomMessages(d.room_id);
        const had = m.byId.get(d.message_id);
        if (!had || had.version >= e.seq) return;
        const boosts = (had.boosts ?? []).filter((b) => b.id !== d.boost_id);
        if (e.type === "BoostAdded") boosts.push({ id: d.boost_id, booster_id: d.booster_id, content: d.content ?? "" });
        m.upsert({ ...had, boosts, version: e.seq });
        return this.changed_("messages", d.room_id);
      }
      case "MessageRemoved":
        this.roomMessages(d.room_id).remove(d.message_id);
        return this.changed_("messages", d.room_id);
      case "UserJoined":
      case "BotCreated":
        this.users.set(d.user_id, { id: d.user_id, name: d.name, role: e.type === "BotCreated" ? "bot" : (d.role ?? "member") });
        return this.changed_("users");
      case "UserProfileChanged": {
        const u = this.users.get(d.user_id);
        if (u) u.name = d.name;
        if (mine) this.me.name = d.name;
        return this.changed_("users");
      }
      case "UserAvatarChanged":
        setAvatarUrl(d.user_id, avatarUrlFor(d.user_id, d.avatar));
        return this.changed_("users");
      case "AccountLogoChanged":
        if (this.account) this.account.logo_url = `/account/logo?v=${d.logo?.content_hash?.slice(0, 12) ?? "0"}`;
        return this.changed_("account");
      case "RoleChanged": {
        const u = this.users.get(d.user_id);
        if (u) u.role = typeof d.role === "number" ? kRoles[d.role] : d.role;
        return this.changed_("users");
      }
      case "RoomCreated":
        this.roomMeta.set(d.room_id, { name: d.name, kind: d.kind, creator_id: d.creator_id });
        return;
      case "RoomRenamed": {
        const meta = this.roomMeta.get(d.room_id);
        if (meta) meta.name = d.name;
        const room = this.rooms.get(d.room_id);
        if (room) Object.assign(room, { name: d.name, version: e.seq });
        return this.changed_("rooms");
      }
      case "RoomConverted": {
        const meta = this.roomMeta.get(d.room_id);
        if (meta) meta.kind = d.kind;
        const room = this.rooms.get(d.room_id);
        if (room) Object.assign(room, { kind: d.kind, version: e.seq });
        return this.changed_("rooms");
      }
      case "RoomDeleted":
        this.roomMeta.delete(d.room_id);
        this.dropRoom_(d.room_id);
        return this.changed_("rooms");
      case "MembershipGranted": {
        if (!mine) {
          // Pings list their participants; only a ping I start shows me the others' grants.
          const room = this.rooms.get(d.room_id);
          if (room?.kind === "direct" && !room.member_ids?.includes(d.user_id)) {
            room.member_ids = [...(room.member_ids ?? []), d.user_id].sort((a, b) => a - b);
            this.changed_("rooms");
          }
          return;
        }
        // A closed room I was added to, or a ping (whose other grants may have come before mine):
        // the rest is read from GET /api/rooms/:room (onRoomGranted, set by app.js).
        const meta = this.roomMeta.get(d.room_id);
        const needsDetails = !meta || meta.kind === "direct";
        this.rooms.set(d.room_id, {
          id: d.room_id, kind: meta?.kind ?? "closed", name: meta?.name ?? "", creator_id: meta?.creator_id ?? null,
          involvement: d.involvement ?? "mentions", unread: false, updated_at_us: e.time,
          member_ids: meta?.kind === "direct" ? [d.user_id] : undefined, version: e.seq, needsDetails,
        });
        if (needsDetails) this.onRoomGranted?.(d.room_id);
        return this.changed_("rooms");
      }
      case "MembershipRevoked":
        if (!mine) return;
        this.dropRoom_(d.room_id);
        return this.changed_("rooms");
      case "InvolvementChanged": {
        const room = this.rooms.get(d.room_id);
        if (mine && room) room.involvement = d.involvement;
        return this.changed_("rooms");
      }
      case "AccountSettingsChanged":
        if (this.account) this.account.restrict_room_creation = Boolean(d.restrict_room_creation_to_administrators);
        return this.changed_("account");
      case "UserDeactivated": {
        const u = this.users.get(d.user_id);
        if (u) u.deactivated = true;
        return this.changed_("users");
      }
      case "RoomRead": {
        const room = this.rooms.get(d.room_id);
        if (mine && room) room.unread = false;
        return this.changed_("rooms");
      }
      case "AccountRenamed":
        if (this.account) this.account.name = d.name;
        return this.changed_("account");
      case "JoinCodeReset":
        // The stream leaves the new code out (server/realtime/event_json.cc): app.js reads it
        // from GET /api/account and hands it to applyAccount.
        if (this.account && d.join_code) this.account.join_code = d.join_code;
        else this.onJoinCodeReset?.();
        return this.changed_("account");
      case "AccountCustomStylesChanged":
        return this.changed_("styles");
      default:
        return; // events that change nothing on screen
    }
  }

  // The account's fields as GET /api/account answers them (after a join-code reset).
  applyAccount(account) {
    if (!this.account) return;
    for (const key of ["name", "join_code", "restrict_room_creation"]) {
      if (key in account) this.account[key] = account[key];
    }
    this.changed_("account");
  }

  // Typing notices expire after 5 s without a refresh (Campfire 2.10).
  setTyping(roomId, userId, active, now = Date.now()) {
    let room = this.typing.get(roomId);
    if (!room) this.typing.set(roomId, (room = new Map()));
    if (active) room.set(userId, now + 5000);
    else room.delete(userId);
    this.changed_("typing", roomId);
  }

  typingNames(roomId, now = Date.now()) {
    const room = this.typing.get(roomId);
    if (!room) return [];
    const names = [];
    for (const [id, expiry] of room) {
      if (expiry <= now) room.delete(id);
      else if (!this.me || id !== this.me.id) names.push(this.userName(id));
    }
    return names;
  }
}
