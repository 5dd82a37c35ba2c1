#include "campfire_builder.h"

namespace hearth::testing {
namespace {

constexpr const char* kCurrent = R"sql(
CREATE TABLE accounts (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, created_at datetime(6) NOT NULL, custom_styles text,
  join_code varchar NOT NULL, name varchar NOT NULL, settings json, singleton_guard integer DEFAULT 0 NOT NULL, updated_at datetime(6) NOT NULL);
CREATE TABLE users (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, bio text, bot_token varchar, created_at datetime(6) NOT NULL,
  email_address varchar, name varchar NOT NULL, password_digest varchar, role integer DEFAULT 0 NOT NULL,
  status integer DEFAULT 0 NOT NULL, updated_at datetime(6) NOT NULL);
CREATE TABLE bans (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, created_at datetime(6) NOT NULL, ip_address varchar NOT NULL,
  updated_at datetime(6) NOT NULL, user_id integer NOT NULL);
)sql";

// The original schema: migration column order, users.active, no bans.
constexpr const char* kOriginal = R"sql(
CREATE TABLE accounts (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, name varchar NOT NULL, join_code varchar NOT NULL,
  created_at datetime(6) NOT NULL, updated_at datetime(6) NOT NULL, custom_styles text);
CREATE TABLE users (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, name varchar NOT NULL, email_address varchar,
  password_digest varchar, role integer DEFAULT 0 NOT NULL, active boolean DEFAULT 1, created_at datetime(6) NOT NULL,
  updated_at datetime(6) NOT NULL, bio text, bot_token varchar);
)sql";

constexpr const char* kCommon = R"sql(
CREATE TABLE rooms (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, name varchar, type varchar NOT NULL, creator_id bigint NOT NULL,
  created_at datetime(6) NOT NULL, updated_at datetime(6) NOT NULL);
CREATE TABLE memberships (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, room_id integer NOT NULL, user_id integer NOT NULL,
  created_at datetime(6) NOT NULL, updated_at datetime(6) NOT NULL, unread_at datetime(6), involvement varchar DEFAULT 'mentions',
  connections integer DEFAULT 0 NOT NULL, connected_at datetime(6));
CREATE TABLE messages (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, room_id integer NOT NULL, creator_id integer NOT NULL,
  created_at datetime(6) NOT NULL, updated_at datetime(6) NOT NULL, client_message_id varchar NOT NULL);
CREATE TABLE boosts (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, message_id integer NOT NULL, booster_id integer NOT NULL,
  content varchar(16) NOT NULL, created_at datetime(6) NOT NULL, updated_at datetime(6) NOT NULL);
CREATE TABLE action_text_rich_texts (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, name varchar NOT NULL, body text,
  record_type varchar NOT NULL, record_id bigint NOT NULL, created_at datetime(6) NOT NULL, updated_at datetime(6) NOT NULL);
CREATE UNIQUE INDEX index_action_text_rich_texts_uniqueness ON action_text_rich_texts (record_type, record_id, name);
CREATE TABLE active_storage_blobs (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, key varchar NOT NULL, filename varchar NOT NULL,
  content_type varchar, metadata text, service_name varchar NOT NULL, byte_size bigint NOT NULL, checksum varchar, created_at datetime(6) NOT NULL);
CREATE TABLE active_storage_attachments (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, name varchar NOT NULL, record_type varchar NOT NULL,
  record_id bigint NOT NULL, blob_id bigint NOT NULL, created_at datetime(6) NOT NULL);
CREATE TABLE sessions (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, user_id integer NOT NULL, token varchar NOT NULL,
  ip_address varchar, user_agent varchar, last_active_at datetime(6) NOT NULL, created_at datetime(6) NOT NULL, updated_at datetime(6) NOT NULL);
CREATE TABLE searches (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, user_id integer NOT NULL, query varchar NOT NULL,
  created_at datetime(6) NOT NULL, updated_at datetime(6) NOT NULL);
CREATE TABLE webhooks (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, user_id integer NOT NULL, url varchar,
  created_at datetime(6) NOT NULL, updated_at datetime(6) NOT NULL);
CREATE TABLE push_subscriptions (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, user_id integer NOT NULL, endpoint varchar,
  p256dh_key varchar, auth_key varchar, created_at datetime(6) NOT NULL, updated_at datetime(6) NOT NULL, user_agent varchar);
CREATE TABLE schema_migrations (version varchar NOT NULL PRIMARY KEY);
)sql";

constexpr const char* kNow = "'2024-03-01 10:00:00.000001'";

std::string q(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += "''";
    else out.push_back(c);
  }
  return out + "'";
}

std::string base64(const std::string& in) {
  static constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (static_cast<uint32_t>(static_cast<uint8_t>(in[i])) << 16) |
                 (static_cast<uint32_t>(static_cast<uint8_t>(in[i + 1])) << 8) | static_cast<uint8_t>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out.push_back(kB64[(v >> s) & 63]);
  }
  if (i < in.size()) {
    uint32_t v = static_cast<uint32_t>(static_cast<uint8_t>(in[i])) << 16;
    if (i + 1 < in.size()) v |= static_cast<uint32_t>(static_cast<uint8_t>(in[i + 1])) << 8;
    out.push_back(kB64[(v >> 18) & 63]);
    out.push_back(kB64[(v >> 12) & 63]);
    out.push_back(i + 1 < in.size() ? kB64[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

}  // namespace

CampfireBuilder::CampfireBuilder(const std::filesystem::path& path, Schema schema) : schema_(schema) {
  auto db = sqlite::Db::open(path.string(), sqlite::Db::Mode::kReadWriteCreate);
  if (!db.ok()) {
    ADD_FAILURE() << db.error().message;
    return;
  }
  db_ = std::move(*db);
  sql(schema == Schema::kCurrent ? kCurrent : kOriginal);
  sql(kCommon);
  // The first eight migrations (a pre-open-source ONCE install), or all fifteen.
  sql("INSERT INTO schema_migrations VALUES ('20231215043540'), ('20231220143106'), ('20240110071740'), "
      "('20240115124901'), ('20240130003150'), ('20240130213001'), ('20240131105830'), ('20240209110503')");
  if (schema == Schema::kCurrent) {
    sql("INSERT INTO schema_migrations VALUES ('20251126092013'), ('20251126115722'), ('20251126130131'), ('20251212154340')");
  }
}

void CampfireBuilder::sql(const std::string& statements) {
  auto s = db_.exec(statements);
  if (!s.ok()) ADD_FAILURE() << s.error().message;
}

void CampfireBuilder::account(const std::string& name, const std::string& join_code) {
  sql("INSERT INTO accounts (name, join_code, created_at, updated_at) VALUES (" + q(name) + ", " + q(join_code) + ", " +
      kNow + ", " + kNow + ")");
}

void CampfireBuilder::user(int64_t id, const std::string& name, const std::string& email, int role, int status,
                           const std::string& digest, const std::string& bot_token) {
  std::string status_col = schema_ == Schema::kCurrent ? "status" : "active";
  int status_val = schema_ == Schema::kCurrent ? status : (status == 0 ? 1 : 0);
  sql("INSERT INTO users (id, name, email_address, password_digest, role, " + status_col +
      ", bot_token, created_at, updated_at) VALUES (" + std::to_string(id) + ", " + q(name) + ", " +
      (email.empty() ? "NULL" : q(email)) + ", " + (digest.empty() ? "NULL" : q(digest)) + ", " + std::to_string(role) +
      ", " + std::to_string(status_val) + ", " + (bot_token.empty() ? "NULL" : q(bot_token)) + ", " + kNow + ", " + kNow + ")");
}

void CampfireBuilder::room(int64_t id, const std::string& type, const std::string& name, int64_t creator) {
  sql("INSERT INTO rooms (id, name, type, creator_id, created_at, updated_at) VALUES (" + std::to_string(id) + ", " +
      (name.empty() ? "NULL" : q(name)) + ", " + q(type) + ", " + std::to_string(creator) + ", " + kNow + ", " + kNow + ")");
}

void CampfireBuilder::member(int64_t room, int64_t user, const std::string& involvement, bool unread) {
  sql("INSERT INTO memberships (room_id, user_id, involvement, unread_at, created_at, updated_at) VALUES (" +
      std::to_string(room) + ", " + std::to_string(user) + ", " + q(involvement) + ", " + (unread ? kNow : "NULL") + ", " +
      kNow + ", " + kNow + ")");
}

void CampfireBuilder::message(int64_t id, int64_t room, int64_t creator, const std::string& created_at,
                              const std::string* body, const std::string& client_id) {
  sql("INSERT INTO messages (id, room_id, creator_id, client_message_id, created_at, updated_at) VALUES (" +
      std::to_string(id) + ", " + std::to_string(room) + ", " + std::to_string(creator) + ", " + q(client_id) + ", " +
      q(created_at) + ", " + q(created_at) + ")");
  if (body) {
    sql("INSERT INTO action_text_rich_texts (name, body, record_type, record_id, created_at, updated_at) VALUES ('body', " +
        q(*body) + ", 'Message', " + std::to_string(id) + ", " + q(created_at) + ", " + q(created_at) + ")");
  }
}

void CampfireBuilder::boost(int64_t id, int64_t message, int64_t booster, const std::string& content) {
  sql("INSERT INTO boosts (id, message_id, booster_id, content, created_at, updated_at) VALUES (" + std::to_string(id) +
      ", " + std::to_string(message) + ", " + std::to_string(booster) + ", " + q(content) + ", " + kNow + ", " + kNow + ")");
}

void CampfireBuilder::attachment(int64_t message, int64_t blob_id, const std::string& key, const std::string& filename,
                                 int64_t size) {
  sql("INSERT INTO active_storage_blobs (id, key, filename, content_type, service_name, byte_size, created_at) VALUES (" +
      std::to_string(blob_id) + ", " + q(key) + ", " + q(filename) + ", 'text/plain', 'local', " + std::to_string(size) +
      ", " + kNow + ")");
  sql("INSERT INTO active_storage_attachments (name, record_type, record_id, blob_id, created_at) VALUES ('attachment', "
      "'Message', " + std::to_string(message) + ", " + std::to_string(blob_id) + ", " + kNow + ")");
}

std::string CampfireBuilder::sgid(int64_t user, bool legacy) {
  std::string gid = "gid://campfire/User/" + std::to_string(user);
  std::string json;
  if (legacy) {
    // Marshal.dump of a String: \x04\x08 I " <len+5> <bytes> \x06 : \x06 E T
    std::string marshal = std::string("\x04\x08I\"", 4) + static_cast<char>(gid.size() + 5) + gid + "\x06:\x06" "ET";
    json = "{\"_rails\":{\"message\":\"" + base64(marshal) + "\",\"exp\":null,\"pur\":\"attachable\"}}";
  } else {
    json = "{\"_rails\":{\"data\":\"" + gid + "\",\"pur\":\"attachable\"}}";
  }
  return base64(json) + "--0123456789abcdef0123456789abcdef01234567";
}

std::string CampfireBuilder::mention(int64_t user, bool legacy) {
  return "<action-text-attachment sgid=\"" + sgid(user, legacy) +
         "\" content-type=\"application/vnd.campfire.mention\" content=\"&lt;span&gt;x&lt;/span&gt;\"></action-text-attachment>";
}

}  // namespace hearth::testing
