// Import phases for people-sized entities: the account, users and bots, rooms and memberships,
// searches, push subscriptions, and the statuses (deactivated, banned) written last.
#include <algorithm>

#include "core/base/secret_hash.h"
#include "core/events/event_view.h"
#include "migrate/import_context.h"
#include "migrate/rails_time.h"

namespace hearth::migrate {
namespace {

using flatbuffers::FlatBufferBuilder;

// A column if this install has it, else `fallback` (older schemas, CAMPFIRE.md 1.7).
std::string col(const SourceDb& src, const char* table, const char* column, const char* fallback = "NULL") {
  return src.has_column(table, column) ? std::string(column) : std::string(fallback);
}

// Steps `st` to its end, calling `row()` for each row; stops at the first error.
template <class Row>
Status each_row(sqlite::Stmt& st, Row&& row) {
  while (true) {
    auto r = st.step();
    if (!r) return r.take_error();
    if (!*r) return ok_status();
    HEARTH_TRY(row());
  }
}

std::string text(const sqlite::Stmt& st, int i) { return std::string(st.col_text(i)); }

// The blob of the first `name` attachment of (record_type, record_id), copied; nullopt when none
// or when its file is missing (reported under `entity`).
Result<std::optional<Blob>> attached_blob(ImportContext& c, const char* record_type, int64_t record_id,
                                          const char* name, const std::string& entity) {
  if (!c.src.has_table("active_storage_attachments") || !c.src.has_table("active_storage_blobs")) {
    return std::optional<Blob>();
  }
  auto st = c.src.prepare(
      "SELECT b.id, b.key, b.filename, b.content_type FROM active_storage_attachments a "
      "JOIN active_storage_blobs b ON b.id = a.blob_id "
      "WHERE a.record_type = ?1 AND a.record_id = ?2 AND a.name = ?3 ORDER BY a.id LIMIT 1");
  if (!st) return st.take_error();
  st->bind(1, std::string_view(record_type)).bind(2, record_id).bind(3, std::string_view(name));
  auto row = st->step();
  if (!row) return row.take_error();
  if (!*row) return std::optional<Blob>();
  c.report.read(entity);
  std::string why;
  auto blob = c.blobs.copy(text(*st, 1), &why);
  if (!blob) return blob.take_error();
  if (!*blob) {
    c.report.skip(entity, st->col_int(0), why);
    return std::optional<Blob>();
  }
  (*blob)->filename = text(*st, 2);
  (*blob)->content_type = text(*st, 3);
  c.report.imported(entity);
  return blob;
}

flatbuffers::Offset<schema::BlobRef> blob_ref(FlatBufferBuilder& b, const Blob& blob) {
  return schema::CreateBlobRef(b, b.CreateString(blob.content_hash), blob.byte_size, b.CreateString(blob.content_type),
                               b.CreateString(blob.filename));
}

std::optional<Involvement> involvement_of(std::string_view s) {
  if (s.empty() || s == "mentions") return Involvement::kMentions;  // the column default (nullable)
  if (s == "everything") return Involvement::kEverything;
  if (s == "nothing") return Involvement::kNothing;
  if (s == "invisible") return Involvement::kInvisible;
  return std::nullopt;
}

}  // namespace

int64_t time_or(std::string_view t, int64_t fallback) { return parse_rails_time(t).value_or(fallback); }

Status import_account(ImportContext& c) {
  auto st = c.src.prepare("SELECT id, name, join_code, " + col(c.src, "accounts", "custom_styles") + ", " +
                          col(c.src, "accounts", "settings") + ", created_at FROM accounts ORDER BY id");
  if (!st) return st.take_error();
  bool found = false;
  HEARTH_TRY(each_row(*st, [&]() -> Status {
    c.report.read("accounts");
    if (found) {  // the singleton guard arrived in v1.4.3; before it the app read the first row
      c.report.skip("accounts", st->col_int(0), "not the first account row (Campfire reads only the first)");
      return ok_status();
    }
    found = true;
    int64_t id = st->col_int(0);
    int64_t t = time_or(st->col_text(5), 0);
    c.account_time_us = t;
    std::string name = text(*st, 1), join_code = text(*st, 2), css = text(*st, 3), settings = text(*st, 4);
    HEARTH_TRY(c.sink.emit(t, [&](FlatBufferBuilder& b) {
      return schema::CreateAccountCreated(b, b.CreateString(name), b.CreateString(join_code));
    }));
    if (!css.empty()) {
      HEARTH_TRY(c.sink.emit(t, [&](FlatBufferBuilder& b) {
        return schema::CreateAccountCustomStylesChanged(b, b.CreateString(css));
      }));
    }
    // settings is a one-key JSON object written by Rails; only `true` changes Hearth's default.
    std::string compact;
    for (char ch : settings) {
      if (ch != ' ' && ch != '\n' && ch != '\t' && ch != '\r') compact.push_back(ch);
    }
    if (compact.find("\"restrict_room_creation_to_administrators\":true") != std::string::npos) {
      HEARTH_TRY(c.sink.emit(t, [&](FlatBufferBuilder& b) { return schema::CreateAccountSettingsChanged(b, true); }));
    }
    auto logo = attached_blob(c, "Account", id, "logo", "account logo");
    if (!logo) return logo.take_error();
    if (*logo) {
      HEARTH_TRY(c.sink.emit(t, [&](FlatBufferBuilder& b) {
        return schema::CreateAccountLogoChanged(b, blob_ref(b, **logo));
      }));
    }
    c.report.imported("accounts");
    return ok_status();
  }));
  if (!found) return invalid(c.src.path() + " has no account row: this Campfire was never set up");
  return ok_status();
}

Status import_users(ImportContext& c) {
  // Webhooks: one per bot; the first by id wins.
  std::map<int64_t, std::string> webhooks;
  if (c.src.has_table("webhooks")) {
    auto wh = c.src.prepare("SELECT id, user_id, url FROM webhooks ORDER BY id");
    if (!wh) return wh.take_error();
    HEARTH_TRY(each_row(*wh, [&]() -> Status {
      c.report.read("webhooks");
      if (!webhooks.emplace(wh->col_int(1), text(*wh, 2)).second) {
        c.report.skip("webhooks", wh->col_int(0), "a second webhook for the same bot");
      }
      return ok_status();
    }));
  }
  // Before migration 20240115124901, role 2 meant "owner"; it became administrator (1.4).
  bool owner_era = false;
  if (c.src.has_table("schema_migrations")) {
    auto n = c.src.count("SELECT count(*) FROM schema_migrations WHERE version = '20240115124901'");
    if (!n) return n.take_error();
    auto any = c.src.count("SELECT count(*) FROM schema_migrations");
    if (!any) return any.take_error();
    owner_era = *any > 0 && *n == 0;
  }
  bool has_status = c.src.has_column("users", "status");
  auto st = c.src.prepare("SELECT id, name, " + col(c.src, "users", "email_address") + ", " +
                          col(c.src, "users", "password_digest") + ", role, " +
                          (has_status ? std::string("status") : std::string("active")) + ", " +
                          col(c.src, "users", "bio") + ", " + col(c.src, "users", "bot_token") +
                          ", created_at, updated_at FROM users ORDER BY id");
  if (!st) return st.take_error();
  HEARTH_TRY(each_row(*st, [&]() -> Status {
    c.report.read("users");
    int64_t id = st->col_int(0);
    if (id <= 0) {
      c.report.skip("users", id, "id is not a positive integer");
      return ok_status();
    }
    std::string name = text(*st, 1), email = text(*st, 2), digest = text(*st, 3), bio = text(*st, 6);
    std::string token = text(*st, 7);
    int64_t role_code = st->col_int(4);
    int64_t status_code = st->col_int(5);
    int64_t t = time_or(st->col_text(8), c.account_time_us);
    SourceUser u;
    u.name = name;
    u.email = email;
    u.updated_at_us = time_or(st->col_text(9), t);
    if (has_status) {
      u.status = status_code == 1 ? UserStatus::kDeactivated : status_code == 2 ? UserStatus::kBanned : UserStatus::kActive;
    } else {
      u.status = status_code == 0 ? UserStatus::kDeactivated : UserStatus::kActive;  // users.active
    }
    Role role = role_code == 1 ? Role::kAdministrator : role_code == 2 ? Role::kBot : Role::kMember;
    if (role_code == 2 && owner_era) role = Role::kAdministrator;
    if (role == Role::kBot) {
      if (token.empty()) c.report.note("bot " + std::to_string(id) + " has no bot_token: its key cannot authenticate");
      // Only the hash: the sealing key belongs to the server (server/auth/bot_key_vault.h), so an
      // imported bot's key authenticates but cannot be recovered for webhook payloads or the bots
      // page until an administrator resets it.
      std::string hash = token.empty() ? std::string() : secret_hash(token);
      std::string url = webhooks.contains(id) ? webhooks[id] : std::string();
      if (webhooks.contains(id)) c.report.imported("webhooks");
      HEARTH_TRY(c.sink.emit(t, [&](FlatBufferBuilder& b) {
        return schema::CreateBotCreated(b, id, b.CreateString(name), b.CreateString(hash), b.CreateString(url));
      }));
    } else {
      if (webhooks.contains(id)) c.report.skip("webhooks", id, "the user is not a bot");
      HEARTH_TRY(c.sink.emit(t, [&](FlatBufferBuilder& b) {
        return schema::CreateUserJoined(b, id, b.CreateString(name), b.CreateString(email), b.CreateString(digest),
                                        to_schema(role));
      }));
    }
    if (!bio.empty()) {
      HEARTH_TRY(c.sink.emit(t, [&](FlatBufferBuilder& b) {
        return schema::CreateUserProfileChanged(b, id, b.CreateString(name), b.CreateString(email), b.CreateString(bio));
      }));
    }
    auto avatar = attached_blob(c, "User", id, "avatar", "user avatars");
    if (!avatar) return avatar.take_error();
    if (*avatar) {
      HEARTH_TRY(c.sink.emit(u.updated_at_us, [&](FlatBufferBuilder& b) {
        return schema::CreateUserAvatarChanged(b, id, blob_ref(b, **avatar));
      }));
    }
    c.user_names[id] = name;
    c.users[id] = std::move(u);
    c.report.imported("users");
    return ok_status();
  }));

  // Documented choice: a user row deleted by hand (foreign keys off) leaves messages and boosts
  // pointing at its id. Rather than drop that content, the id is kept as a deactivated
  // placeholder with no email and no password (it can never sign in), and its mentions still
  // render as nothing, as in Campfire.
  std::string missing_sql = "SELECT creator_id FROM messages WHERE creator_id NOT IN (SELECT id FROM users)";
  if (c.src.has_table("boosts")) missing_sql += " UNION SELECT booster_id FROM boosts WHERE booster_id NOT IN (SELECT id FROM users)";
  auto missing = c.src.prepare("SELECT DISTINCT * FROM (" + missing_sql + ") ORDER BY 1");
  if (!missing) return missing.take_error();
  HEARTH_TRY(each_row(*missing, [&]() -> Status {
    int64_t id = missing->col_int(0);
    if (id <= 0) return ok_status();  // reported as dangling by the rows that carry it
    std::string name = "Deleted user " + std::to_string(id);
    HEARTH_TRY(c.sink.emit(c.account_time_us, [&](FlatBufferBuilder& b) {
      return schema::CreateUserJoined(b, id, b.CreateString(name), 0, 0, schema::Role::Member);
    }));
    SourceUser u;
    u.name = name;
    u.status = UserStatus::kDeactivated;
    u.updated_at_us = c.account_time_us;
    u.placeholder = true;
    c.users[id] = std::move(u);
    c.report.imported("placeholder users");
    c.report.note("user " + std::to_string(id) +
                  " is missing from the source but messages or boosts point at it: kept as a deactivated placeholder "
                  "(\"" + name + "\", no email, no password)");
    return ok_status();
  }));
  return ok_status();
}

Status import_rooms(ImportContext& c) {
  // Memberships are people x rooms: small enough to group in memory.
  struct Member {
    int64_t id, user;
    Involvement involvement;
    bool unread;
    int64_t t;
  };
  std::map<int64_t, std::vector<Member>> members;
  auto ms = c.src.prepare("SELECT id, room_id, user_id, involvement, " + col(c.src, "memberships", "unread_at") +
                          ", created_at FROM memberships ORDER BY room_id, created_at, id");
  if (!ms) return ms.take_error();
  HEARTH_TRY(each_row(*ms, [&]() -> Status {
    c.report.read("memberships");
    int64_t id = ms->col_int(0), user = ms->col_int(2);
    auto inv = involvement_of(ms->col_text(3));
    if (!inv) {
      c.report.skip("memberships", id, "unknown involvement '" + text(*ms, 3) + "'");
      return ok_status();
    }
    if (!c.users.contains(user) || c.users[user].placeholder) {
      c.report.skip("memberships", id, "user missing");
      return ok_status();
    }
    members[ms->col_int(1)].push_back(Member{id, user, *inv, !ms->col_null(4), time_or(ms->col_text(5), 0)});
    return ok_status();
  }));

  auto st = c.src.prepare("SELECT id, name, type, creator_id, created_at FROM rooms ORDER BY id");
  if (!st) return st.take_error();
  HEARTH_TRY(each_row(*st, [&]() -> Status {
    c.report.read("rooms");
    int64_t id = st->col_int(0);
    std::string_view type = st->col_text(2);
    std::optional<RoomKind> kind;
    if (type == "Rooms::Open") kind = RoomKind::kOpen;
    if (type == "Rooms::Closed") kind = RoomKind::kClosed;
    if (type == "Rooms::Direct") kind = RoomKind::kDirect;
    if (!kind || id <= 0) {
      c.report.skip("rooms", id, kind ? "id is not a positive integer" : "unknown room type '" + std::string(type) + "'");
      return ok_status();
    }
    std::string name = *kind == RoomKind::kDirect ? std::string() : text(*st, 1);
    int64_t creator = st->col_int(3);
    int64_t t = time_or(st->col_text(4), c.account_time_us);
    HEARTH_TRY(c.sink.emit(t, [&](FlatBufferBuilder& b) {
      return schema::CreateRoomCreated(b, id, to_schema(*kind), b.CreateString(name), creator);
    }));
    c.rooms[id] = *kind;
    c.report.imported("rooms");
    for (const Member& m : members[id]) {
      HEARTH_TRY(c.sink.emit(m.t ? m.t : t, [&](FlatBufferBuilder& b) {
        return schema::CreateMembershipGranted(b, id, m.user, to_schema(m.involvement));
      }));
      if (m.unread) c.unread_members[id].push_back(m.user);
      c.report.imported("memberships");
    }
    members.erase(id);
    return ok_status();
  }));
  for (const auto& [room, list] : members) {
    for (const Member& m : list) c.report.skip("memberships", m.id, "room missing");
  }
  return ok_status();
}

Status import_searches_and_push(ImportContext& c) {
  if (c.src.has_table("searches")) {
    auto st = c.src.prepare("SELECT id, user_id, query, updated_at FROM searches ORDER BY updated_at, id");
    if (!st) return st.take_error();
    HEARTH_TRY(each_row(*st, [&]() -> Status {
      c.report.read("searches");
      int64_t user = st->col_int(1);
      if (!c.users.contains(user) || c.users[user].placeholder) {
        c.report.skip("searches", st->col_int(0), "user missing");
        return ok_status();
      }
      std::string query = text(*st, 2);
      HEARTH_TRY(c.sink.emit(time_or(st->col_text(3), c.account_time_us), [&](FlatBufferBuilder& b) {
        return schema::CreateSearchRecorded(b, user, b.CreateString(query));
      }));
      c.report.imported("searches");
      return ok_status();
    }));
  }
  if (c.src.has_table("push_subscriptions")) {
    auto st = c.src.prepare(
        "SELECT id, user_id, endpoint, p256dh_key, auth_key, user_agent, created_at FROM push_subscriptions ORDER BY id");
    if (!st) return st.take_error();
    HEARTH_TRY(each_row(*st, [&]() -> Status {
      c.report.read("push subscriptions");
      int64_t id = st->col_int(0), user = st->col_int(1);
      if (!c.users.contains(user) || c.users[user].placeholder) {
        c.report.skip("push subscriptions", id, "user missing");
        return ok_status();
      }
      if (st->col_null(2) || st->col_text(2).empty()) {
        c.report.skip("push subscriptions", id, "no endpoint");
        return ok_status();
      }
      std::string endpoint = text(*st, 2), p256dh = text(*st, 3), auth = text(*st, 4), agent = text(*st, 5);
      HEARTH_TRY(c.sink.emit(time_or(st->col_text(6), c.account_time_us), [&](FlatBufferBuilder& b) {
        return schema::CreatePushSubscriptionAdded(b, id, user, b.CreateString(endpoint), b.CreateString(p256dh),
                                                   b.CreateString(auth), b.CreateString(agent));
      }));
      c.report.imported("push subscriptions");
      return ok_status();
    }));
  }
  return ok_status();
}

Status import_statuses(ImportContext& c) {
  std::map<int64_t, std::vector<std::string>> bans;
  if (c.src.has_table("bans")) {
    auto st = c.src.prepare("SELECT id, user_id, ip_address FROM bans ORDER BY id");
    if (!st) return st.take_error();
    HEARTH_TRY(each_row(*st, [&]() -> Status {
      c.report.read("bans");
      int64_t user = st->col_int(1);
      auto it = c.users.find(user);
      if (it == c.users.end() || it->second.placeholder) {
        c.report.skip("bans", st->col_int(0), "user missing");
      } else if (it->second.status != UserStatus::kBanned) {
        c.report.skip("bans", st->col_int(0), "user is not banned (Campfire drops bans on unban)");
      } else {
        bans[user].push_back(text(*st, 2));
        c.report.imported("bans");
      }
      return ok_status();
    }));
  }
  for (const auto& [id, u] : c.users) {
    if (u.status == UserStatus::kDeactivated) {
      std::string email = u.email;
      HEARTH_TRY(c.sink.emit(u.updated_at_us, [&](FlatBufferBuilder& b) {
        return schema::CreateUserDeactivated(b, id, b.CreateString(email));
      }));
    } else if (u.status == UserStatus::kBanned) {
      const auto& ips = bans[id];
      HEARTH_TRY(c.sink.emit(u.updated_at_us, [&](FlatBufferBuilder& b) {
        return schema::CreateUserBanned(b, id, b.CreateVectorOfStrings(ips));
      }));
    }
  }
  return ok_status();
}

Status count_uncarried(ImportContext& c) {
  auto uncarried = [&](const char* table, const std::string& sql, const char* entity, const char* why) -> Status {
    if (!c.src.has_table(table)) return ok_status();
    auto n = c.src.count(sql);
    if (!n) return n.take_error();
    EntityReport& e = c.report.entity(entity);
    e.read += *n;
    e.skipped += *n;
    if (*n > 0) e.skips[why].count += *n;
    return ok_status();
  };
  HEARTH_TRY(uncarried("sessions", "SELECT count(*) FROM sessions", "sessions", "sessions are not carried: users sign in again"));
  HEARTH_TRY(uncarried("active_storage_attachments",
                       "SELECT count(*) FROM active_storage_attachments WHERE record_type IN "
                       "('ActiveStorage::VariantRecord', 'ActiveStorage::Blob')",
                       "image variants and previews", "not carried: regenerable from the original file"));
  return ok_status();
}

}  // namespace hearth::migrate
