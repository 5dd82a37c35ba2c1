#include "projections/state_schema.h"

#include <string>

namespace hearth {
namespace {

constexpr const char* kDdl = R"sql(
CREATE TABLE IF NOT EXISTS account (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  name TEXT NOT NULL,
  join_code TEXT NOT NULL,
  custom_css TEXT,
  logo_hash TEXT, logo_size INTEGER, logo_content_type TEXT, logo_filename TEXT,
  restrict_room_creation INTEGER NOT NULL DEFAULT 0,
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL
);

-- email is NULL for bots; not UNIQUE because the sequencer, not this fold, owns that rule and a
-- constraint failure here would wedge the projector on a log the sequencer accepted.
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT,
  password_digest TEXT,
  role INTEGER NOT NULL,
  status INTEGER NOT NULL DEFAULT 0,
  bio TEXT,
  avatar_hash TEXT, avatar_size INTEGER, avatar_content_type TEXT, avatar_filename TEXT,
  bot_token_hash TEXT,
  bot_token_sealed BLOB,  -- opened only by the server's data-dir key (server/auth/bot_key_vault.h)
  webhook_url TEXT,
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS users_email ON users(email);
CREATE INDEX IF NOT EXISTS users_bot_token_hash ON users(bot_token_hash);

CREATE TABLE IF NOT EXISTS sessions (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  ip TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT '',
  created_at_us INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(user_id);

CREATE TABLE IF NOT EXISTS rooms (
  id INTEGER PRIMARY KEY,
  kind INTEGER NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  creator_id INTEGER NOT NULL,
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS memberships (
  room_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  involvement INTEGER NOT NULL,
  unread INTEGER NOT NULL DEFAULT 0,
  created_at_us INTEGER NOT NULL,
  PRIMARY KEY (room_id, user_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS memberships_user ON memberships(user_id);

CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY,
  room_id INTEGER NOT NULL,
  creator_id INTEGER NOT NULL,
  client_message_id TEXT,
  body_html TEXT NOT NULL DEFAULT '',
  plain_text TEXT NOT NULL DEFAULT '',
  attachment_hash TEXT, attachment_size INTEGER, attachment_content_type TEXT, attachment_filename TEXT,
  attachment_width INTEGER, attachment_height INTEGER,
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL,
  seq INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_room_seq ON messages(room_id, seq);
-- the blob sweep asks, per stored file, whether a message still holds it (server/files/blob_reaper.h)
CREATE INDEX IF NOT EXISTS messages_attachment ON messages(attachment_hash) WHERE attachment_hash IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_creator ON messages(creator_id);

CREATE TABLE IF NOT EXISTS message_mentions (
  message_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  PRIMARY KEY (message_id, user_id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS boosts (
  id INTEGER PRIMARY KEY,
  message_id INTEGER NOT NULL,
  room_id INTEGER NOT NULL,
  booster_id INTEGER NOT NULL,
  content TEXT NOT NULL,
  created_at_us INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS boosts_message ON boosts(message_id);

-- seq (of the event that last recorded the query) orders the recent searches: time_us may tie
-- within a batch, seq never does, so trimming is deterministic (DESIGN I3).
CREATE TABLE IF NOT EXISTS searches (
  user_id INTEGER NOT NULL,
  query TEXT NOT NULL,
  updated_at_us INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (user_id, query)
);
CREATE INDEX IF NOT EXISTS searches_user ON searches(user_id, seq);

CREATE TABLE IF NOT EXISTS push_subscriptions (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL,
  endpoint TEXT NOT NULL,
  p256dh_key TEXT NOT NULL,
  auth_key TEXT NOT NULL,
  user_agent TEXT NOT NULL DEFAULT '',
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS push_subscriptions_user ON push_subscriptions(user_id);

CREATE TABLE IF NOT EXISTS bans (
  user_id INTEGER NOT NULL,
  ip_address TEXT NOT NULL,
  PRIMARY KEY (user_id, ip_address)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bans_ip ON bans(ip_address);

-- History of the facts visibility reads (projections/visibility.h), so that a viewer's facts as
-- of any past seq load with a few indexed reads instead of a replay (load_viewer_state). Each row
-- is "from this seq on"; the row with the greatest seq <= c holds as of c. Rows are written where
-- WriteModel::apply sets the fact, and only there (a grant to a room that does not exist, or a
-- ban of an id that is not a user, writes nothing); they are never updated or deleted.
--   user_status_history.status: UserStatus code;
--   room_history.kind: RoomKind code, NULL from the seq the room was deleted;
--   membership_history.member: 1 granted, 0 revoked — or the room deleted, which ends every
--   membership it had at that seq.
CREATE TABLE IF NOT EXISTS user_status_history (
  user_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  status INTEGER NOT NULL,
  PRIMARY KEY (user_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS room_history (
  room_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  kind INTEGER,
  PRIMARY KEY (room_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS membership_history (
  user_id INTEGER NOT NULL,
  room_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  member INTEGER NOT NULL,
  PRIMARY KEY (user_id, room_id, seq)
) WITHOUT ROWID;

-- The highest id ever used per entity, so a deleted row's id is never handed out again.
CREATE TABLE IF NOT EXISTS id_counters (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  user INTEGER NOT NULL DEFAULT 0,
  room INTEGER NOT NULL DEFAULT 0,
  message INTEGER NOT NULL DEFAULT 0,
  boost INTEGER NOT NULL DEFAULT 0,
  session INTEGER NOT NULL DEFAULT 0,
  push_subscription INTEGER NOT NULL DEFAULT 0
);
INSERT OR IGNORE INTO id_counters (id) VALUES (1);

CREATE TABLE IF NOT EXISTS meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  applied_seq INTEGER NOT NULL DEFAULT 0
);
INSERT OR IGNORE INTO meta (id) VALUES (1);

-- External-content FTS5 over messages.plain_text: the text is stored once, in messages.
CREATE VIRTUAL TABLE IF NOT EXISTS message_search USING fts5(
  plain_text, content='messages', content_rowid='id', tokenize='porter unicode61');

-- The index and a message's dependents follow the messages row through triggers, so every path
-- that deletes messages (removal, room deletion) keeps them in step within its transaction. An
-- external-content index must be told the old text to delete it, which only these triggers can
-- guarantee. Inserts are the exception: apply_message_posted adds the FTS row itself, because an
-- AFTER INSERT trigger wraps every post in a statement savepoint, and FTS5 flushes its pending
-- terms at each savepoint instead of once per transaction (measured: 4x fewer posts/s).
CREATE TRIGGER IF NOT EXISTS messages_au AFTER UPDATE OF plain_text ON messages BEGIN
  INSERT INTO message_search (message_search, rowid, plain_text) VALUES ('delete', old.id, old.plain_text);
  INSERT INTO message_search (rowid, plain_text) VALUES (new.id, new.plain_text);
END;
CREATE TRIGGER IF NOT EXISTS messages_ad AFTER DELETE ON messages BEGIN
  INSERT INTO message_search (message_search, rowid, plain_text) VALUES ('delete', old.id, old.plain_text);
  DELETE FROM message_mentions WHERE message_id = old.id;
  DELETE FROM boosts WHERE message_id = old.id;
END;
)sql";

}  // namespace

Status create_state_schema(sqlite::Db& db) {
  auto version = db.query_int("PRAGMA user_version");
  if (!version) return version.take_error();
  int64_t v = version->value_or(0);
  if (v != 0 && v != kStateSchemaVersion) {
    return Error{ErrorCode::kCorruption, "state database " + db.path() + " has schema version " +
                                             std::to_string(v) + ", this build writes " +
                                             std::to_string(kStateSchemaVersion) +
                                             "; rebuild it from the log (hearth replay rebuild)"};
  }
  HEARTH_TRY(db.exec("BEGIN IMMEDIATE"));
  Status st = db.exec(kDdl);
  if (st.ok()) st = db.exec("PRAGMA user_version = " + std::to_string(kStateSchemaVersion));
  if (!st.ok()) {
    (void)db.exec("ROLLBACK");
    return st;
  }
  return db.exec("COMMIT");
}

}  // namespace hearth
